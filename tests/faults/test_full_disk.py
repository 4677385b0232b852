"""Promise: when the disk is full, the answer that could not be written is named to the
learner, in plain mode and in the app, and every answer before it is kept.

A full disk is simulated with SQLite's ``PRAGMA max_page_count`` on the store's own
connection, set to the pages the file has: the next write that needs a page fails with
SQLITE_FULL, exactly as a disk with no space left makes it fail."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from maliquiz.core.deck.loader import load_deck
from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.session import Phase, StudySession
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.failures import StoreWriteError
from maliquiz.core.progress.store import Store
from maliquiz.plain.study import PlainStudy
from maliquiz.ui.app import make_app
from maliquiz.ui.screens.study import StudyScreen

from .conftest import answers_in, integrity, text_deck


def fill_the_disk(store: Store) -> None:
    """No page more for this connection: its next write that grows the file fails."""
    db = store._db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def test_plain_mode_names_the_answer_not_saved(tmp_path: Path) -> None:
    deck_file = tmp_path / "faults.yaml"
    deck_file.write_text(text_deck(200), encoding="utf-8")
    path = tmp_path / "progress.sqlite3"
    store = Store.open(path, calendar=StudyCalendar(UTC))
    session = StudySession(store, "awa", [load_deck(deck_file)], new_per_deck=200)
    fill_the_disk(store)
    out = io.StringIO()
    try:
        PlainStudy(session, io.StringIO("\n" * 200), out).run()
    except StoreWriteError as error:
        assert error.problem == "full"
    else:
        raise AssertionError("the disk never filled up")
    finally:
        store.close()
    printed = out.getvalue()
    saved = printed.count("Next review:")  # each feedback follows its commit
    assert saved > 0
    assert "This answer was NOT saved" in printed.splitlines()[-1]
    assert answers_in(path) == saved  # every answer before it, and not that one
    assert integrity(path) == ["ok"]


async def test_the_app_names_the_answer_not_saved_and_keeps_the_question(
    data_dir: Path,
) -> None:
    decks = data_dir / "decks"
    decks.mkdir(parents=True)
    (decks / "faults.yaml").write_text(text_deck(200), encoding="utf-8")
    clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    app = make_app(data_dir, "tester", "en", clock, start="study", new_per_deck=200)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StudyScreen)
            fill_the_disk(app.store)
            for _step in range(200):  # bounded
                await pilot.press("ctrl+r")  # "don't know": an answer written
                await pilot.pause()
                if screen.session.phase == Phase.ASKING:
                    break  # not answered: the write failed
                await pilot.press("enter")
                await pilot.pause()
            notes = [note.message for note in app._notifications]
            assert any("This answer was NOT saved" in n and "the disk is full" in n for n in notes)
            assert app.is_running and app.screen is screen  # the question is still there
            answered = screen.session.answered
            assert answered > 0
    finally:
        app.store.close()
    path = progress_path(data_dir)
    assert answers_in(path) == answered
    assert integrity(path) == ["ok"]
