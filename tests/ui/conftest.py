"""Fixtures for the app's tests: a data dir with a known deck, a manual clock, UTC, no
bundled decks (so the screens do not change when decks are added to the package)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

DATA = Path(__file__).resolve().parents[1] / "data"
START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
USER = "tester"


@pytest.fixture(autouse=True)
def utc_and_no_bundled_decks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Dates shown in UTC; only the decks a test puts in its data dir."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    empty = tmp_path / "no-bundled-decks"
    empty.mkdir()
    monkeypatch.setattr("maliquiz.core.deck.files.BUNDLED_DECKS", empty)
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when told to."""
    return ManualClock(START)


@pytest.fixture
def decks_dir(data_dir: Path) -> Path:
    """The data dir's decks folder, holding the deck with one card of every type."""
    folder = data_dir / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "every_type.yaml", folder / "every_type.yaml")
    return folder


AppFactory = Callable[..., Any]


@pytest.fixture
def make(data_dir: Path, decks_dir: Path, clock: ManualClock) -> Iterator[AppFactory]:
    """Build the app as the CLI does (``make_app``), for the test's data dir and clock."""
    from maliquiz.ui.app import make_app

    built: list[Any] = []

    def build(lang: str = "en", **options: Any) -> Any:
        options.setdefault("rng_seed", 7)
        app = make_app(data_dir, USER, lang, clock, **options)
        built.append(app)
        return app

    yield build
    for app in built:
        app.store.close()


def populate(data_dir: Path, clock: ManualClock, days: int = 20) -> None:
    """Answers over ``days`` days for the every-type deck, then the clock on the last
    day: a store with a history for the stats and browse screens."""
    with Store.open(progress_path(data_dir), clock=ManualClock(clock.now())) as store:
        store.ensure_user(USER)
        inner = store.clock
        assert isinstance(inner, ManualClock)
        inner.set(clock.now() - timedelta(days=days))
        cards = ["text-wagner", "number-renforts", "date-note", "choice-pays", "tf-frais"]
        for day in range(days):
            for n, card in enumerate(cards[: 1 + (day * 7) % len(cards)]):
                wrong = (day + n) % 4 == 0
                store.record_answer(
                    USER,
                    "test-every-type",
                    card,
                    rating=Rating.Again if wrong else Rating.Good,
                    outcome=Outcome.WRONG if wrong else Outcome.CORRECT,
                    mode="typed",
                    answer="réponse",
                    duration=timedelta(seconds=4 + n),
                )
                inner.advance(minutes=3)
            inner.set(clock.now() - timedelta(days=days - day - 1))
        store.suspend(USER, "test-every-type", "order-evenements")
        store.record_exam(
            USER,
            decks=["test-every-type"],
            tags=[],
            score=6.5,
            max_score=8,
            results=[],
            duration=timedelta(minutes=4),
        )


def screen_text(app: Any) -> str:
    """What the screen shows, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_study(app: Any, pilot: Any) -> Any:
    """S pressed on the home screen: the study screen, whose session's first question
    (the fixture deck's first card) is a flashcard."""
    from maliquiz.core.learning.questions import Mode
    from maliquiz.ui.screens.study import StudyScreen

    await pilot.press("s")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, StudyScreen)
    assert screen.session.question is not None
    assert screen.session.question.mode == Mode.FLASHCARD
    return screen
