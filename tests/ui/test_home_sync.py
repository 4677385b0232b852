"""The home screen says when the learner last synced with a class server, read from the
sync file (never the network), and says nothing for a learner who never synced."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from maliquiz.core.progress.sync import SyncState, save_state
from maliquiz.ui.screens.home import HomeScreen

from .conftest import screen_text


async def test_home_shows_the_last_sync(make: Any, data_dir: Path) -> None:
    app = make()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert "Last sync" not in screen_text(app)
    synced = datetime(2025, 3, 3, 14, 5, tzinfo=UTC)
    link = SyncState("http://127.0.0.1:1", "mq_x", 1, 1, last_sync=synced.isoformat())
    save_state(data_dir, "tester", link)
    app = make()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Last sync: 2025-03-03 14:05" in screen_text(app)
