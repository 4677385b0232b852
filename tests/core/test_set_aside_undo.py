"""Burying or suspending a card in a session can be undone, as an answer can (trial
finding: `:b` then `:u` said "Nothing to undo", or undid the answer before)."""

from __future__ import annotations

from test_learning_loop import HEADER, WriteDeck, session_of
from test_session import answer_right, new_session, right_answer

from maliquiz.core.deck.loader import load_deck
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.questions import Mode
from maliquiz.core.learning.queue import build_queue, day_counts
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


TEXTS = """\
  - id: t0
    type: text
    prompt: Qui dirige la junte ?
    answer: Goïta
    group: chef
  - id: t1
    type: text
    prompt: Quel colonel dirige le pays depuis 2021 ?
    answer: Assimi Goïta
    group: chef
  - id: t2
    type: text
    prompt: Quelle ville est la capitale ?
    answer: Bamako
  - id: t3
    type: text
    prompt: Quel fleuve traverse Bamako ?
    answer: Niger
"""


def test_an_override_queues_no_card_twice(store: Store, write_deck: WriteDeck) -> None:
    """Turning around the answer of a grouped card, the next question on screen, keeps
    the counts: the card was counted again as new (trial finding)."""
    deck = load_deck(write_deck(HEADER + TEXTS))
    store.update_settings("awa", typed_recall_days=0)
    session = session_of(store, deck)
    assert session.question is not None and session.question.card.id == "t0"
    session.answer("Goïta")
    session.next()
    counts = session.counts()
    session.override(False)
    assert session.counts() == counts
    today = day_counts(build_queue(store, "awa", [(deck.id, c.id) for c in deck.cards]))
    assert session.counts().new == today[deck.id].new


def test_no_override_once_the_card_is_buried(store: Store, write_deck: WriteDeck) -> None:
    deck = load_deck(write_deck(HEADER + TEXTS))
    store.update_settings("awa", typed_recall_days=0)
    session = session_of(store, deck)
    session.answer("Goïta")
    assert session.overridable
    session.bury()  # the answer's card, its feedback on screen
    assert not session.overridable  # undo the bury first
    assert session.undo() is not None and session.overridable


def test_undoing_a_bury_asks_no_more_new_cards_than_the_day_allows(
    store: Store, write_deck: WriteDeck
) -> None:
    deck = load_deck(write_deck(HEADER + TEXTS))
    store.update_settings("awa", typed_recall_days=0)
    session = session_of(store, deck, new_per_deck=2)
    session.answer("Goïta")
    session.next()
    assert session.question is not None and session.question.card.id == "t2"
    session.bury()  # t3 takes its place among the day's two new cards
    assert session.question is not None and session.question.card.id == "t3"
    session.undo()
    assert session.question is not None and session.question.card.id == "t2"
    assert session.counts().new == 1  # t2 on screen; t3 went with the bury it replaced
    asked = set()
    for _ in range(6):  # the session's new cards and their first steps
        assert session.question is not None
        asked.add(session.question.card.id)
        session.skip()
        session.next()
    assert "t3" not in asked


def test_two_answers_undone_leave_the_session_as_it_began(
    store: Store, write_deck: WriteDeck
) -> None:
    """Undoing two answers in a row: the step of the first card, put back in the queue
    by the first undo, goes with the second, and the card queued in place of its held
    back sibling too (the counter said new 3 in a session of 2: trial finding)."""
    deck = load_deck(write_deck(HEADER + TEXTS))
    store.update_settings("awa", typed_recall_days=0)
    session = session_of(store, deck, new_per_deck=2)
    start = session.counts()
    session.answer("Goïta")
    session.next()
    session.answer("Bamako")
    session.next()
    session.undo()
    session.undo()
    assert session.counts() == start
    assert session.question is not None and session.question.card.id == "t0"


def test_a_sibling_is_held_back_after_a_bury_undone(store: Store, write_deck: WriteDeck) -> None:
    """A card buried, the bury undone, then answered: its sibling, queued in its place
    meanwhile and taken out, is buried for the day (it stayed new: trial finding)."""
    deck = load_deck(write_deck(HEADER + TEXTS))
    store.update_settings("awa", typed_recall_days=0)
    session = session_of(store, deck, new_per_deck=1)
    session.bury()  # t0: t1 takes its place
    session.undo()
    assert session.question is not None and session.question.card.id == "t0"
    session.answer("Goïta")
    record = store.card("awa", deck.id, "t1")
    assert record is not None and record.buried_until is not None


def test_overriding_the_card_on_screen_moves_on(store: Store, write_deck: WriteDeck) -> None:
    """The last answer's card is also the question on screen (a step asked again):
    turned right, it graduates, and the session moves on rather than asking it again
    (it was asked a third time: trial finding)."""
    deck = load_deck(write_deck(HEADER + TEXTS))
    store.update_settings("awa", typed_recall_days=0)
    session = session_of(store, deck, new_per_deck=1, only=[(deck.id, "t2")])
    session.answer("Bamako")
    session.next()  # its step, asked early: nothing else is left
    assert session.question is not None and session.question.card.id == "t2"
    session.answer("Tombouctou")  # wrong
    session.next()
    assert session.question is not None and session.question.card.id == "t2"
    session.override(True)
    assert session.phase == Phase.FINISHED or session.question.card.id != "t2"
    assert session.counts().total == 0
