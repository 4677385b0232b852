"""Studying when there is nothing to study: the app says so (it crashed with a
traceback, looking for the question of a session that has none: trial finding)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store
from maliquiz.ui.screens.study import SummaryScreen

from .conftest import USER, screen_text


async def test_nothing_to_study_says_so(make: Any, data_dir: Path) -> None:
    with Store.open(progress_path(data_dir)) as store:
        store.ensure_user(USER)
        store.update_settings(USER, new_per_deck=0)  # no new card today, none due
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), type(app.screen)
        assert "Nothing to study now" in screen_text(app)
