"""The store's side of sync (core/progress/sync.py), on real progress files: answers
taken in once by uid, card states rebuilt from the merged answers the same on every
machine (and the same as answering live), what is still to send, the sync file."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Rating, Scheduler
from maliquiz.core.progress.connection import REVIEW_COLUMNS
from maliquiz.core.progress.store import Store
from maliquiz.core.progress.sync import (
    SyncError,
    SyncState,
    last_sync,
    load_state,
    rebuild_cards,
    receive,
    save_state,
    unsent,
)

T0 = datetime(2025, 3, 3, 8, tzinfo=UTC)
LINK = SyncState(server="http://127.0.0.1:1", token="mq_x", learner_id=1, class_id=1)


@pytest.fixture
def machines(tmp_path: Path) -> Iterator[tuple[Store, Store, ManualClock]]:
    """Two machines of the same learner, on one clock, with fuzz on (it is seeded by
    the card, so it must replay the same too)."""
    clock = ManualClock(T0)
    opened = [
        Store.open(
            tmp_path / name / "progress.sqlite3",
            clock=clock,
            calendar=StudyCalendar(UTC),
            scheduler=Scheduler(),
        )
        for name in ("school", "home")
    ]
    for store in opened:
        store.ensure_user("awa")
    yield opened[0], opened[1], clock
    for store in opened:
        store.close()


def answer(store: Store, card: str, rating: Rating, mode: str = "typed") -> None:
    outcome = "wrong" if rating == Rating.Again else "correct"
    store.record_answer(
        "awa", "deck", card, rating=rating, outcome=outcome, mode=mode,
        duration=timedelta(seconds=4),
    )  # fmt: skip


def schedule(store: Store) -> dict[str, tuple[Any, ...]]:
    return {
        c.card_id: (c.state.due, c.state.reps, c.state.lapses, c.state.stability, c.introduced,
                    c.recognised, c.recalled)
        for c in store.cards("awa")
    }  # fmt: skip


def exchange(a: Store, b: Store, states: dict[int, SyncState]) -> None:
    """What a sync does, without the server: a's new answers to b, then b's back."""
    for source, target in ((a, b), (b, a)):
        out = unsent(source, "awa", states[id(source)])
        states[id(source)] = out.state
        receive(target, "awa", out.reviews, out.exams)
        rebuild_cards(source, "awa", {(row[1], row[2]) for row in out.reviews})


def test_two_machines_studying_offline_converge(machines: Any) -> None:
    school, home, clock = machines
    states = {id(school): LINK, id(home): LINK}
    for day in range(6):
        answer(school, "capitale", Rating.Good if day % 3 else Rating.Again)
        clock.advance(timedelta(minutes=7))
        answer(home, "capitale", Rating.Good)
        answer(home, "fleuve", Rating.Hard, mode="choice")
        answer(school, "mission", Rating.Good)
        clock.advance(timedelta(days=1, hours=2))
        if day in (2, 5):
            exchange(school, home, states)
    assert {r.uid for r in school.reviews("awa")} == {r.uid for r in home.reviews("awa")}
    assert len(school.reviews("awa")) == 24
    assert schedule(school) == schedule(home)
    # A second exchange changes nothing.
    before = schedule(school)
    exchange(school, home, states)
    assert schedule(school) == schedule(home) == before


def test_replaying_a_card_gives_the_state_answering_gave(machines: Any) -> None:
    school, _, clock = machines
    for rating in (Rating.Good, Rating.Again, Rating.Good, Rating.Easy, Rating.Hard):
        answer(school, "capitale", rating)
        clock.advance(timedelta(days=2, minutes=13))
    live = schedule(school)
    assert rebuild_cards(school, "awa", {("deck", "capitale")}) == 1
    assert schedule(school) == live


def test_answers_received_twice_are_stored_once_and_never_sent_back(machines: Any) -> None:
    school, home, _ = machines
    answer(school, "capitale", Rating.Good)
    out = unsent(school, "awa", LINK)
    assert len(out.reviews) == 1 and out.reviews[0][REVIEW_COLUMNS.index("state_before")] is None
    assert receive(home, "awa", out.reviews, out.exams).reviews_added == 1
    assert receive(home, "awa", out.reviews, out.exams).reviews_added == 0
    assert len(home.reviews("awa")) == 1
    assert unsent(home, "awa", LINK).reviews == []  # received, not home's own


def test_a_bad_row_from_the_server_stores_nothing(machines: Any) -> None:
    school, home, _ = machines
    answer(school, "capitale", Rating.Good)
    answer(school, "fleuve", Rating.Good)
    rows = unsent(school, "awa", LINK).reviews
    rows[1][REVIEW_COLUMNS.index("rating")] = 7
    with pytest.raises(SyncError) as refused:
        receive(home, "awa", rows, [])
    assert (refused.value.problems[0].row, refused.value.problems[0].column) == (2, "rating")
    assert home.reviews("awa") == []


def test_an_answer_after_an_undo_is_still_sent(machines: Any) -> None:
    school, _, clock = machines
    answer(school, "capitale", Rating.Good)
    answer(school, "fleuve", Rating.Good)
    sent = unsent(school, "awa", LINK).state
    school.undo_last("awa")  # its row id may be given again to the next answer
    clock.advance(timedelta(minutes=1))
    answer(school, "mission", Rating.Good)
    assert [row[2] for row in unsent(school, "awa", sent).reviews] == ["mission"]


def test_the_sync_file_is_private_and_kept_per_learner(tmp_path: Path) -> None:
    assert load_state(tmp_path, "awa") is None and last_sync(tmp_path, "awa") is None
    save_state(tmp_path, "awa", LINK)
    save_state(tmp_path, "bob", SyncState("http://x", "mq_b", 2, 1, last_sync=T0.isoformat()))
    assert load_state(tmp_path, "AWA") == LINK
    assert last_sync(tmp_path, "bob") == T0
    assert stat.S_IMODE((tmp_path / "sync.json").stat().st_mode) == 0o600
    (tmp_path / "sync.json").write_text("{not json", encoding="utf-8")
    assert last_sync(tmp_path, "bob") is None  # the home screen never fails on it


def test_a_card_answered_on_another_machine_is_unburied(machines: Any) -> None:
    """Sibling burials are made per machine: a card buried here (its sibling was
    answered here) that is answered on the other machine comes back by its new due
    date, not by a bury that no longer holds; a card buried here and not answered
    elsewhere stays buried."""
    school, home, _clock = machines
    states = {id(school): LINK, id(home): LINK}
    home.bury("awa", "deck", "capitale")
    home.bury("awa", "deck", "fleuve")
    answer(school, "capitale", Rating.Good)
    exchange(school, home, states)
    cards = {c.card_id: c for c in home.cards("awa")}
    assert cards["capitale"].buried_until is None
    assert not cards["capitale"].state.is_new
    assert cards["fleuve"].buried_until is not None


def test_siblings_of_a_card_answered_on_another_machine_are_buried(machines: Any) -> None:
    """The two cards of one fact are asked on different days. When one is answered at
    school, the sync at home buries the other until tomorrow, as the school's session
    did; a card answered on the other machine days ago buries nothing; unburying the
    sibling at home afterwards holds (the next session asks it)."""
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.learning.session import StudySession

    school, home, clock = machines
    deck = Deck.model_validate(
        {
            "id": "deck",
            "title": "Capitales",
            "cards": [
                {"id": "capitale", "type": "flashcard", "prompt": "Capitale du Mali ?",
                 "back": "Bamako", "group": "mali"},
                {"id": "pays", "type": "flashcard", "prompt": "Bamako est la capitale de ?",
                 "back": "le Mali", "group": "mali"},
                {"id": "fleuve", "type": "flashcard", "prompt": "Le fleuve de Bamako ?",
                 "back": "le Niger"},
            ],
        }
    )  # fmt: skip
    decks = {"deck": deck}
    at_school = StudySession(school, "awa", [deck])
    assert at_school.question is not None and at_school.question.card.id == "capitale"
    at_school.reveal()
    at_school.rate(4)  # Easy: not asked again for days
    out = unsent(school, "awa", LINK)
    got = receive(home, "awa", out.reviews, out.exams, decks.get)
    assert got.reviews_added == 1
    clock.advance(minutes=30)

    def asked_at_home() -> list[str]:
        session = StudySession(home, "awa", [deck])
        asked = []
        while session.question is not None:
            asked.append(session.question.card.id)
            session.reveal()
            session.rate(4)
            session.next()
        return asked

    assert asked_at_home() == ["fleuve"]
    pays = home.card("awa", "deck", "pays")
    assert pays is not None and pays.buried_until is not None
    assert receive(home, "awa", out.reviews, out.exams, decks.get).reviews_added == 0
    home.unbury_cards("awa", [("deck", "pays")])
    receive(home, "awa", out.reviews, out.exams, decks.get)  # known answers: no new bury
    assert asked_at_home() == ["pays"]

    clock.advance(days=3)
    answer(school, "fleuve", Rating.Good)
    later = unsent(school, "awa", out.state)
    clock.advance(days=2)
    receive(home, "awa", later.reviews, later.exams, decks.get)  # answered days ago
    assert home.card("awa", "deck", "capitale").buried_until is None  # type: ignore[union-attr]


def test_answers_brought_in_from_a_file_are_sent_as_the_learners_own(
    machines: Any, tmp_path: Path
) -> None:
    """An export of an older machine imported here (``progress import``) is this
    learner's history: it goes to the server with the answers given here, while the
    answers received from the server are never sent back."""
    school, home, _ = machines
    answer(home, "capitale", Rating.Good)
    home.export_user("awa", tmp_path / "old-laptop.json")
    answer(school, "fleuve", Rating.Good)
    received = unsent(school, "awa", LINK)
    with Store.open(tmp_path / "new-laptop.sqlite3", clock=school.clock) as laptop:
        laptop.import_user(tmp_path / "old-laptop.json")
        receive(laptop, "awa", received.reviews, received.exams)
        sent = unsent(laptop, "awa", LINK).reviews
    assert [row[REVIEW_COLUMNS.index("card_id")] for row in sent] == ["capitale"]
