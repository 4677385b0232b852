"""Burying or suspending a card in a session can be undone, as an answer can (trial
finding: `:b` then `:u` said "Nothing to undo", or undid the answer before)."""

from __future__ import annotations

from test_session import answer_right, new_session, right_answer

from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.questions import Mode
from maliquiz.core.learning.session import Phase, StudySession
from maliquiz.core.progress.store import Store


def test_a_card_buried_before_its_answer_is_asked_again(store: Store, deck: Deck) -> None:
    session = new_session(store, deck, new_per_deck=3)
    assert session.question is not None
    first, counts = session.question.card.id, session.counts()
    session.bury()
    assert session.question is not None and session.question.card.id != first
    assert session.can_undo and session.answered == 0
    again = session.undo()
    assert again is not None and again.card.id == first and session.undone == "bury"
    record = store.card("awa", deck.id, first)
    assert record is None or record.buried_until is None
    assert session.counts() == counts  # the card queued in its place is gone
    assert not session.can_undo


def test_a_suspension_is_undone(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    assert session.question is not None
    first = session.question.card.id
    session.suspend()
    assert session.undo() is not None and session.undone == "suspend"
    assert session.question is not None and session.question.card.id == first
    record = store.card("awa", deck.id, first)
    assert record is not None and not record.suspended


def test_a_card_buried_once_answered_keeps_its_answer(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    session = new_session(store, deck)
    assert session.question is not None
    first = session.question.card.id
    answer_right_without_next(session)
    session.bury()  # the feedback was on screen: the answer stands
    after = session.question
    assert after is not None and after.card.id != first
    assert session.undo() is after and session.undone == "bury-answered"
    assert session.answered == 1
    record = store.card("awa", deck.id, first)
    assert record is not None and record.buried_until is None and record.state.reps == 1
    # Its learning step is back: once due, it is asked again in this session.
    clock.advance(minutes=30)
    asked = []
    while session.phase != Phase.FINISHED:
        assert session.question is not None
        asked.append(session.question.card.id)
        answer_right(session)
    assert first in asked


def test_undo_takes_back_what_came_last(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    assert session.question is not None
    answered = session.question.card.id
    answer_right(session)
    assert session.question is not None
    buried = session.question.card.id
    session.bury()
    assert session.undo() is not None and session.undone == "bury"
    assert session.question is not None and session.question.card.id == buried
    assert session.undo() is not None and session.undone == "answer"
    assert session.question is not None and session.question.card.id == answered
    assert session.answered == 0


def answer_right_without_next(session: StudySession) -> None:
    """Answered right, the feedback left on screen."""
    assert session.question is not None
    if session.question.mode == Mode.FLASHCARD:
        if session.phase == Phase.ASKING:
            session.reveal()
        session.rate(3)
    else:
        session.answer(right_answer(session.question))
    assert session.phase == Phase.ANSWERED
