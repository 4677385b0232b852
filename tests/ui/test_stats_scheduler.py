"""The stats screen names the FSRS-6 weights the learner is scheduled with."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from maliquiz.core.learning.records import SchedulerFit
from maliquiz.core.learning.scheduling import DEFAULT_PARAMETERS
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

from .conftest import USER, populate, screen_text


async def test_stats_names_a_fit(make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock, days=3)
    fit = SchedulerFit(
        (0.5, *DEFAULT_PARAMETERS[1:]), datetime(2026, 2, 27, 20, tzinfo=UTC), 12152,
        0.4669, 0.4405, 0.1081, 0.0696,
    )  # fmt: skip
    with Store.open(progress_path(data_dir)) as store:
        store.update_settings(USER, fit=fit)
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.store.scheduler.parameters[0] == 0.5  # study schedules with the fit
        await pilot.press("t")
        await pilot.pause()
        shown = screen_text(app)
        assert "Scheduler: fitted on 2026-02-27 to 12,152 answers (log loss 0.467 → 0.441)" in shown
