"""Fixtures for the session and exam tests: the test deck, a manual clock, a real store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from maliquiz.core.clock import ManualClock, StudyCalendar
from maliquiz.core.deck import Deck
from maliquiz.core.loader import load_deck
from maliquiz.core.scheduling import Scheduler, SchedulingSettings
from maliquiz.core.store import Store

DATA = Path(__file__).resolve().parents[1] / "data"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def deck() -> Deck:
    """The deck with one card of every type."""
    return load_deck(DATA / "every_type.yaml")


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when a test advances it."""
    return ManualClock(START)


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[Store]:
    """A real progress file in the test's folder, days rolling over in UTC, no fuzz, and
    the learner "awa"."""
    with Store.open(
        tmp_path / "progress.sqlite3",
        clock=clock,
        calendar=StudyCalendar(UTC),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    ) as opened:
        opened.ensure_user("awa")
        yield opened
