"""The queue's search for new cards, kept in the progress file between builds
(:mod:`maliquiz.core.progress.newcards`): every change of a deck's card rows, however
made, gives the queue the new cards a search from scratch gives."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.queue import QueueKind, build_queue
from maliquiz.core.learning.scheduling import Rating, Scheduler, SchedulingSettings
from maliquiz.core.progress import connection
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

T0 = datetime(2024, 5, 1, 9, tzinfo=UTC)
DECKS = {name: {f"{name}-{i:03d}": None for i in range(300)} for name in ("alpha", "beta")}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def open_store(folder: Path, clock: ManualClock) -> Store:
    return Store.open(
        progress_path(folder),
        clock=clock,
        calendar=StudyCalendar(tz=UTC),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    )


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[Store]:
    with open_store(tmp_path, clock) as opened:
        opened.ensure_user("awa")
        yield opened


def new_cards(store: Store, selection: object = None, per_deck: int = 20) -> list[str]:
    queue = build_queue(store, "awa", selection or DECKS, new_per_deck=per_deck)  # type: ignore[arg-type]
    return [item.card_id for item in queue.items if item.kind == QueueKind.NEW]


def kept_rows(store: Store) -> dict[str, tuple[int, str]]:
    rows = store._db.execute("SELECT deck_id, new_count, first_new FROM new_cards_kept")
    return {deck_id: (count, first) for deck_id, count, first in rows}


def from_scratch(store: Store, selection: object = None, per_deck: int = 20) -> list[str]:
    """The new cards found with nothing kept (and nothing kept after)."""
    store._db.execute("DELETE FROM new_cards_kept")
    found = new_cards(store, selection, per_deck)
    store._db.execute("DELETE FROM new_cards_kept")
    return found


def answer(store: Store, deck_id: str, card_id: str) -> None:
    store.record_answer(
        "awa", deck_id, card_id, rating=Rating.Good, outcome="correct", mode="typed"
    )


def test_the_search_is_kept_and_read_back(store: Store, clock: ManualClock) -> None:
    for n in range(30):
        answer(store, "alpha", f"alpha-{n:03d}")
    clock.advance(days=1)
    first = new_cards(store)
    assert first[:20] == [f"alpha-{n:03d}" for n in range(30, 50)]
    kept = kept_rows(store)
    assert set(kept) == {"alpha", "beta"} and kept["alpha"][0] == 270
    # Read back from what was kept: the rows of seen cards are no longer read.
    assert new_cards(store) == first == from_scratch(store)


def test_the_search_is_kept_in_the_file(tmp_path: Path, clock: ManualClock) -> None:
    with open_store(tmp_path, clock) as store:
        store.ensure_user("awa")
        answer(store, "alpha", "alpha-000")
        first = new_cards(store)
    with open_store(tmp_path, clock) as store:
        assert kept_rows(store)
        assert new_cards(store) == first


CHANGES: dict[str, Callable[[Store], object]] = {
    "first answer": lambda s: answer(s, "alpha", "alpha-012"),
    "a new card buried": lambda s: s.bury("awa", "alpha", "alpha-012"),
    "a new card suspended": lambda s: s.suspend("awa", "beta", "beta-000"),
    "cards suspended in the browser": lambda s: s.suspend_cards(
        "awa", [("alpha", "alpha-013"), ("beta", "beta-003")]
    ),
    "cards forgotten": lambda s: s.forget_cards("awa", [("alpha", "alpha-010")]),
    "undo of a first answer": lambda s: (
        answer(s, "beta", "beta-000"),
        from_scratch(s),
        new_cards(s),  # kept without beta-000
        s.undo_last("awa"),
    ),
    "undo of a browser action": lambda s: (
        s.bury_cards("awa", [("alpha", "alpha-012")]),
        from_scratch(s),
        new_cards(s),  # kept without alpha-012
        s.undo_card_action("awa"),
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_every_change_of_card_rows_is_seen(store: Store, clock: ManualClock, change: str) -> None:
    for n in range(12):
        answer(store, "alpha", f"alpha-{n:03d}")
    clock.advance(days=1)
    new_cards(store)  # kept
    CHANGES[change](store)
    assert new_cards(store) == from_scratch(store)
    clock.advance(days=1)  # buried cards come back
    new_cards(store)
    assert new_cards(store) == from_scratch(store)


def test_an_import_is_seen(store: Store, tmp_path: Path, clock: ManualClock) -> None:
    (tmp_path / "other").mkdir()
    with open_store(tmp_path / "other", clock) as other:
        other.ensure_user("awa")
        for n in range(5):
            answer(other, "beta", f"beta-{n:03d}")
        other.export_user("awa", tmp_path / "awa.json")
    before = new_cards(store)
    store.import_user(tmp_path / "awa.json")
    after = new_cards(store)
    assert after == from_scratch(store) != before
    assert "beta-000" not in after and "beta-005" in after


def test_a_changed_deck_is_searched_again(store: Store) -> None:
    answer(store, "alpha", "alpha-000")
    new_cards(store)
    reordered = {"alpha": dict.fromkeys(reversed(DECKS["alpha"])), "beta": DECKS["beta"]}
    assert new_cards(store, reordered)[:2] == ["alpha-299", "alpha-298"]
    grown = {"alpha": {"alpha-new": None, **DECKS["alpha"]}, "beta": DECKS["beta"]}
    assert new_cards(store, grown)[:2] == ["alpha-new", "alpha-001"]
    assert new_cards(store, grown) == from_scratch(store, grown)


def test_a_day_allowing_more_than_was_kept(store: Store) -> None:
    answer(store, "alpha", "alpha-000")
    new_cards(store)  # keeps the first 200 new cards of each deck
    assert new_cards(store, per_deck=250) == from_scratch(store, per_deck=250)
    assert len([c for c in new_cards(store, per_deck=999) if c.startswith("alpha")]) == 299


def test_a_change_by_another_process_during_the_search_is_not_hidden(
    store: Store, tmp_path: Path, clock: ManualClock
) -> None:
    """The search ran in a read transaction; another process answered a new card
    before it ended: what the search found is not kept, or that card would stay new."""
    with open_store(tmp_path, clock) as other, store.snapshot():
        user_id = store.user("awa").id
        found = store.new_cards(user_id, "alpha", DECKS["alpha"], 20, clock.now())
        assert found[0] == "alpha-000"
        answer(other, "alpha", "alpha-000")
    assert "alpha" not in kept_rows(store)
    assert new_cards(store)[0] == "alpha-001"


def test_a_file_another_process_writes_to_is_searched_without_waiting(
    store: Store, tmp_path: Path
) -> None:
    """Keeping the search never waits for another writer: the queue comes at once and
    the search is simply not kept."""
    answer(store, "alpha", "alpha-000")
    with closing(sqlite3.connect(progress_path(tmp_path))) as writer:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock
        assert new_cards(store)[0] == "alpha-001"
        writer.execute("ROLLBACK")
    assert kept_rows(store) == {}
    assert new_cards(store)[0] == "alpha-001" and kept_rows(store)


def test_a_file_of_schema_7_gets_the_kept_search(
    tmp_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_app:
        old_app.setattr(connection, "MIGRATIONS", connection.MIGRATIONS[:7])
        old_app.setattr(connection, "SCHEMA_VERSION", 7)
        with open_store(tmp_path, clock) as store:
            store.ensure_user("awa")
            answer(store, "alpha", "alpha-000")
    with open_store(tmp_path, clock) as store:
        assert store._db.execute("PRAGMA user_version").fetchone() == (8,)
        assert new_cards(store)[0] == "alpha-001" and kept_rows(store)
        answer(store, "alpha", "alpha-001")
        assert new_cards(store)[0] == "alpha-002" == from_scratch(store)[0]
