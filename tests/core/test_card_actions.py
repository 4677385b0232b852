"""The card browser's actions on the store (suspend, bury, forget, set the due date) and
their undo, journaled in the progress file. A real store, a manual clock."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Rating, Scheduler, SchedulingSettings
from maliquiz.core.progress.actions import JOURNAL_LENGTH
from maliquiz.core.progress.connection import SCHEMA_VERSION
from maliquiz.core.progress.store import Store

USER = "awa"
DECK = "test-every-type"


def card(card_id: str) -> tuple[str, str]:
    return (DECK, card_id)


def answer(store: Store, card_id: str, rating: Rating = Rating.Good) -> None:
    store.record_answer(
        USER,
        DECK,
        card_id,
        rating=rating,
        outcome=Outcome.WRONG if rating == Rating.Again else Outcome.CORRECT,
        mode="typed",
    )


def reopen(store: Store, clock: ManualClock) -> Store:
    store.close()
    return Store.open(
        store.path,
        clock=clock,
        calendar=StudyCalendar(UTC),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    )


def test_the_journal_is_schema_5(store: Store) -> None:
    assert SCHEMA_VERSION >= 5
    with closing(sqlite3.connect(store.path)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(card_actions)")]
    assert columns == ["id", "user_id", "done_ms", "action", "cards"]


def test_suspend_and_unsuspend_count_the_cards_that_changed(store: Store) -> None:
    answer(store, "text-wagner")
    assert store.suspend_cards(USER, [card("text-wagner"), card("tf-frais")]) == 2
    assert store.suspend_cards(USER, [card("text-wagner"), card("date-note")]) == 1
    record = store.card(USER, DECK, "tf-frais")
    assert record is not None and record.suspended and record.state.is_new
    assert store.unsuspend_cards(USER, [card("text-wagner"), card("flash-minusma")]) == 1
    after = store.card(USER, DECK, "text-wagner")
    assert after is not None and not after.suspended and not after.state.is_new
    assert store.suspend_cards(USER, []) == 0


def test_bury_until_tomorrow_and_unbury(store: Store, clock: ManualClock) -> None:
    assert store.bury_cards(USER, [card("text-wagner")]) == 1
    assert store.bury_cards(USER, [card("text-wagner")]) == 0  # already, until then
    record = store.card(USER, DECK, "text-wagner")
    assert record is not None and record.is_buried(clock.now())
    assert record.buried_until == store.calendar.start_of_tomorrow(clock.now())
    assert store.unbury_cards(USER, [card("text-wagner"), card("tf-frais")]) == 1
    record = store.card(USER, DECK, "text-wagner")
    assert record is not None and not record.is_buried(clock.now())
    store.bury_cards(USER, [card("text-wagner")])
    clock.advance(days=1)
    assert store.unbury_cards(USER, [card("text-wagner")]) == 0  # the bury has ended


def test_forget_makes_a_card_new_and_keeps_its_answers(store: Store, clock: ManualClock) -> None:
    for _ in range(3):
        answer(store, "text-wagner")
        clock.advance(days=3)
    answer(store, "text-wagner", Rating.Again)
    store.suspend_cards(USER, [card("text-wagner")])
    assert store.forget_cards(USER, [card("text-wagner"), card("tf-frais")]) == 1
    record = store.card(USER, DECK, "text-wagner")
    assert record is not None
    assert record.state.is_new and record.introduced is None
    assert (record.state.reps, record.state.lapses) == (0, 0)
    assert record.recognised is None and record.recalled is None
    assert record.suspended  # still suspended: forgetting is not unsuspending
    assert len(store.reviews(USER, card_id="text-wagner")) == 4
    assert store.forget_cards(USER, [card("text-wagner")]) == 0  # already new
    # New again for the daily limit: not counted among today's first answers.
    since = store.calendar.start_of_today(clock.now())
    assert store.introduced_since(store.user(USER).id, since) == {}


def test_set_due_moves_studied_cards_to_the_start_of_a_study_day(
    store: Store, clock: ManualClock
) -> None:
    answer(store, "text-wagner")
    answer(store, "date-note")
    assert store.set_due(USER, [card("text-wagner"), card("tf-frais")], 3) == 1
    record = store.card(USER, DECK, "text-wagner")
    today = store.calendar.day(clock.now())
    assert record is not None
    assert store.calendar.day(record.state.due) == today + timedelta(days=3)
    assert record.state.due == store.calendar.start_of_tomorrow(clock.now()) + timedelta(days=2)
    assert store.set_due(USER, [card("text-wagner")], 3) == 0  # already then
    assert store.set_due(USER, [card("date-note")], 0) == 1
    record = store.card(USER, DECK, "date-note")
    assert record is not None and record.state.due <= clock.now()  # due now
    assert store.card(USER, DECK, "tf-frais") is None  # a new card is left alone


def test_set_due_in_a_range_draws_a_day_for_each_card(store: Store, clock: ManualClock) -> None:
    cards = ["text-wagner", "date-note", "choice-pays", "tf-frais", "number-renforts"]
    for card_id in cards:
        answer(store, card_id)
    assert store.set_due(USER, [card(c) for c in cards], (1, 7), rng=random.Random(3)) == 5
    today = store.calendar.day(clock.now())
    days = set()
    for card_id in cards:
        record = store.card(USER, DECK, card_id)
        assert record is not None
        days.add((store.calendar.day(record.state.due) - today).days)
    assert days <= set(range(1, 8)) and len(days) > 1


@pytest.mark.parametrize("days", [-1, (3, 1), (-2, 4)])
def test_set_due_refuses_days_before_today(store: Store, days: int | tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        store.set_due(USER, [card("text-wagner")], days)


def test_undo_takes_back_the_last_action_even_after_a_restart(
    store: Store, clock: ManualClock
) -> None:
    answer(store, "text-wagner")
    before = store.card(USER, DECK, "text-wagner")
    store.suspend_cards(USER, [card("text-wagner"), card("tf-frais")])
    store.forget_cards(USER, [card("text-wagner")])
    last = store.last_card_action(USER)
    assert last is not None and (last.action, last.cards) == ("forget", 1)
    store = reopen(store, clock)
    try:
        undone = store.undo_card_action(USER)
        assert undone is not None
        assert (undone.action, undone.restored, undone.kept) == ("forget", 1, 0)
        record = store.card(USER, DECK, "text-wagner")
        assert record is not None and record.suspended and not record.state.is_new
        undone = store.undo_card_action(USER)
        assert undone is not None and (undone.action, undone.restored) == ("suspend", 2)
        assert store.card(USER, DECK, "text-wagner") == before
        assert store.card(USER, DECK, "tf-frais") is None  # it had no row before
        assert store.undo_card_action(USER) is None
        assert store.last_card_action(USER) is None
    finally:
        store.close()


def test_undo_leaves_a_card_answered_since_as_it_is(store: Store, clock: ManualClock) -> None:
    answer(store, "text-wagner")
    answer(store, "date-note")
    store.set_due(USER, [card("text-wagner"), card("date-note")], 5)
    clock.advance(days=5)
    answer(store, "date-note")
    answered = store.card(USER, DECK, "date-note")
    undone = store.undo_card_action(USER)
    assert undone is not None and (undone.restored, undone.kept) == (1, 1)
    assert store.card(USER, DECK, "date-note") == answered
    record = store.card(USER, DECK, "text-wagner")
    assert record is not None and record.state.due < clock.now() - timedelta(days=4)


def test_undo_is_per_learner(store: Store) -> None:
    store.ensure_user("binta")
    store.suspend_cards(USER, [card("text-wagner")])
    assert store.undo_card_action("binta") is None
    assert store.suspend_cards("binta", [card("text-wagner")]) == 1
    undone = store.undo_card_action(USER)
    assert undone is not None and undone.restored == 1
    other = store.card("binta", DECK, "text-wagner")
    assert other is not None and other.suspended


def test_an_action_that_changes_nothing_is_not_journaled(store: Store) -> None:
    store.suspend_cards(USER, [card("text-wagner")])
    assert store.unsuspend_cards(USER, [card("tf-frais")]) == 0
    last = store.last_card_action(USER)
    assert last is not None and last.action == "suspend"


def test_the_journal_keeps_the_latest_actions(store: Store) -> None:
    for n in range(JOURNAL_LENGTH + 5):
        if n % 2:
            store.unsuspend_cards(USER, [card("text-wagner")])
        else:
            store.suspend_cards(USER, [card("text-wagner")])
    with closing(sqlite3.connect(store.path)) as db:
        kept = db.execute("SELECT count(*) FROM card_actions").fetchone()[0]
    assert kept == JOURNAL_LENGTH
    undone = 0
    while store.undo_card_action(USER) is not None:
        undone += 1
    assert undone == JOURNAL_LENGTH


def test_a_bad_card_changes_nothing(store: Store) -> None:
    with pytest.raises(ValueError):
        store.suspend_cards(USER, [card("text-wagner"), (DECK, "")])
    assert store.card(USER, DECK, "text-wagner") is None
    assert store.last_card_action(USER) is None


def test_removing_a_learner_removes_their_journal(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    with Store.open(tmp_path / "p.sqlite3", clock=clock, calendar=StudyCalendar(UTC)) as store:
        store.ensure_user(USER)
        store.suspend_cards(USER, [card("text-wagner")])
        store.remove_user(USER)
        count = store._db.execute("SELECT count(*) FROM card_actions").fetchone()[0]
    assert count == 0
