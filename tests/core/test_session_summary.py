"""What a session's summary counts and which answers can be overridden, with a real
store and the deck of every card type."""

from __future__ import annotations

from test_session import answer_right

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.questions import Mode
from maliquiz.core.learning.session import Phase, StudySession
from maliquiz.core.progress.store import Store


def session_of(store: Store, deck: Deck) -> StudySession:
    return StudySession(store, "awa", [deck])


def rate(session: StudySession, value: int) -> None:
    question = session.question
    assert question is not None and question.mode == Mode.FLASHCARD
    session.reveal()
    session.rate(value)
    session.next()


def test_a_skipped_answer_is_counted_as_skipped_not_wrong(store: Store, deck: Deck) -> None:
    session = session_of(store, deck)
    rate(session, 3)  # the flashcard: Good
    session.skip()  # "I don't know"
    session.next()
    summary = session.finish()
    assert summary.by_outcome == {"correct": 1, "skipped": 1}
    assert summary.correct == 1
    assert [r.outcome for r in store.reviews("awa")] == ["correct", "skipped"]


def test_the_summary_counts_answers_and_distinct_cards(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    session = session_of(store, deck)
    first = session.question
    assert first is not None
    rate(session, 1)  # Again: the flashcard comes back after its learning step
    session.skip()
    session.next()
    clock.advance(minutes=10)
    session.skip()
    session.next()
    again = session.question
    assert again is not None and again.key == first.key
    rate(session, 3)
    summary = session.finish()
    assert summary.answered == 4
    assert summary.cards == 3


def test_only_a_checked_answer_can_be_overridden(store: Store, deck: Deck) -> None:
    session = session_of(store, deck)
    assert not session.overridable  # nothing answered yet
    session.reveal()
    session.rate(2)
    assert not session.overridable  # a flashcard is rated by the learner
    session.next()
    session.skip()
    assert not session.overridable  # "I don't know": nothing to turn around
    session.undo()
    question = session.question
    assert question is not None and question.mode != Mode.FLASHCARD
    session.answer("Wagner")
    assert session.overridable
    session.next()
    assert session.overridable  # still, from the next question
    flipped = session.override_last()
    assert flipped.verdict.outcome == Outcome.WRONG and session.phase == Phase.ASKING


def test_a_session_ended_early_says_how_many_cards_are_left_today(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    """Ended with cards still to ask, the summary counts them (the question on screen
    included), so that 'next card due in 4 min' is not all it says; a session run to
    its end leaves none."""
    session = session_of(store, deck)
    total = session.counts().total
    rate(session, 3)  # a learning step due later today: still due today
    assert session.counts().total == total and session.finish().left == total
    clock.advance(days=1)
    through = session_of(store, deck)
    for _ in range(200):  # every card answered right until none is left
        if through.phase == Phase.FINISHED:
            break
        answer_right(through)
    assert through.phase == Phase.FINISHED and through.finish().left == 0


def test_the_counts_of_a_session_with_a_limit_are_those_it_will_ask(
    store: Store, deck: Deck
) -> None:
    """`--limit 3`: the counter says 3, then 2, then 1 (it said every card due today,
    and the session stopped after 3: found by the UI helper)."""
    session = StudySession(store, "awa", [deck], limit=3)
    assert session.counts().total == 3
    left = []
    while session.phase != Phase.FINISHED:
        left.append(session.counts().total)
        answer_right(session)
    assert left == [3, 2, 1]


def test_with_a_limit_a_step_due_later_is_counted_after_the_queue(store: Store, deck: Deck) -> None:
    """A card answered wrong comes back in a minute, after the cards of the queue: with
    `--limit 3` the counter counts the queue's next card, which is the one asked."""
    session = StudySession(store, "awa", [deck], limit=3)
    rate(session, 1)  # Again: a learning step due in a minute
    counts = session.counts()
    assert counts.total == 2 and counts.learning == 0
    assert session.question is not None and session.question.kind == "new"


def test_a_new_card_set_aside_leaves_its_place_to_the_next(store: Store, deck: Deck) -> None:
    """Burying or suspending a new card before answering it: the next new card of the
    deck takes its place, as for a card held back (trial finding)."""
    session = StudySession(store, "awa", [deck], new_per_deck=3)
    first = session.question
    assert first is not None and session.counts().new == 3
    session.bury()
    assert session.counts().new == 3
    session.suspend()
    assert session.counts().new == 3 and session.question is not None
    assert session.question.key != first.key
