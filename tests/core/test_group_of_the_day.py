"""One card of a group a day, whatever the session selects and whatever state the
other cards of the group are in (trial findings: a sibling left out of a session by
``--new`` or ``--tag`` was asked by the next session that day; a new card was asked on
the day its sibling's learning step was due)."""

from __future__ import annotations

from test_learning_loop import HEADER, WriteDeck, grouped_flashcards, session_of
from test_session import answer_all, answer_right

from maliquiz.core.deck.loader import load_deck
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.queue import QueueKind, build_queue, day_counts
from maliquiz.core.learning.scheduling import Rating, State
from maliquiz.core.progress.store import Store

# "g0" tells the answer of "g1" (Bamako): a session asks g1 first when both are due.
REVEALING = """\
  - id: g0
    type: flashcard
    prompt: Que sait-on de Bamako ?
    back: La capitale.
    group: capitale
    tags: [revision]
  - id: g1
    type: text
    prompt: Quelle est la capitale du Mali ?
    answer: Bamako
    group: capitale
  - id: c0
    type: flashcard
    prompt: Une autre carte ?
    back: Oui.
"""


# The same cards, the tag on g1 rather than g0.
G1_TAGGED = REVEALING.replace("    tags: [revision]\n", "").replace(
    "    group: capitale\n  - id: c0", "    group: capitale\n    tags: [revision]\n  - id: c0"
)


def new_today(store: Store, deck: Deck) -> list[str]:
    """The new cards a session opened now would be given (up to 20)."""
    queue = build_queue(store, "awa", [(deck.id, c.id) for c in deck.cards])
    return [item.card_id for item in queue.items if item.kind == QueueKind.NEW]


def test_a_sibling_beyond_the_days_new_cards_waits_for_tomorrow(
    store: Store, write_deck: WriteDeck, clock: ManualClock
) -> None:
    deck = load_deck(write_deck(HEADER + grouped_flashcards(2, 2)))
    session = session_of(store, deck, new_per_deck=1)
    assert session.question is not None and session.question.card.id == "g0"
    answer_right(session)
    assert ("boucle", "g1") in session.held_back
    assert new_today(store, deck) == ["c0", "c1"]  # g0 answered, g1 buried
    clock.advance(days=1)
    assert new_today(store, deck)[0] == "g1"  # held back: first of tomorrow's new cards


def test_a_sibling_outside_the_tags_waits_for_tomorrow(
    store: Store, write_deck: WriteDeck, clock: ManualClock
) -> None:
    deck = load_deck(write_deck(HEADER + REVEALING))
    assert set(answer_all(session_of(store, deck, tags=["revision"]))) == {"g0"}
    assert "g1" not in new_today(store, deck)
    assert "g1" not in answer_all(session_of(store, deck))  # not the same day
    clock.advance(days=1)
    assert "g1" in new_today(store, deck)


def test_an_undo_brings_back_the_sibling_outside_the_session(
    store: Store, write_deck: WriteDeck
) -> None:
    deck = load_deck(write_deck(HEADER + grouped_flashcards(2, 2)))
    session = session_of(store, deck, new_per_deck=1)
    answer_right(session)
    assert session.undo() is not None
    assert ("boucle", "g1") not in session.held_back
    assert sorted(new_today(store, deck)) == ["c0", "c1", "g0", "g1"]


def test_a_step_left_from_yesterday_is_held_back_as_a_review_is(
    store: Store, write_deck: WriteDeck, clock: ManualClock
) -> None:
    """g0, answered yesterday, has a learning step due today; g1 is new and is asked
    first (g0 shows its answer): g0 waits for tomorrow, as a review would. Opening
    the session changed no count (both were counted until g1 was answered)."""
    deck = load_deck(write_deck(HEADER + REVEALING))
    session = session_of(store, deck, only=[(deck.id, "g0")])
    session.reveal()
    session.rate(1)  # again: a step today, left for tomorrow as the learner stops
    clock.advance(days=1)
    selection = [(deck.id, c.id) for c in deck.cards]
    before = day_counts(build_queue(store, "awa", selection))[deck.id]
    today = session_of(store, deck)
    counts = today.counts()
    assert (counts.new, counts.learning) == (before.new, before.learn) == (2, 1)
    asked = answer_all(today)
    assert "g1" in asked and "g0" not in asked
    assert ("boucle", "g0") in today.held_back


def test_a_step_left_from_yesterday_outside_the_tags_waits(
    store: Store, write_deck: WriteDeck, clock: ManualClock
) -> None:
    """The same step, outside a session's tags: buried when its sibling is answered,
    so that the next session that day does not ask it (trial finding)."""
    deck = load_deck(write_deck(HEADER + G1_TAGGED))
    first = session_of(store, deck, only=[(deck.id, "g0")])
    first.reveal()
    first.rate(1)
    clock.advance(days=1)
    assert set(answer_all(session_of(store, deck, tags=["revision"]))) == {"g1"}
    assert "g0" not in answer_all(session_of(store, deck))


def test_a_sibling_outside_not_due_today_is_left_alone(
    store: Store, write_deck: WriteDeck, clock: ManualClock
) -> None:
    """A sibling in review due days ahead is not buried, nor a suspended one."""
    deck = load_deck(write_deck(HEADER + grouped_flashcards(3, 0)))
    for _ in range(4):
        if (record := store.card("awa", deck.id, "g1")) is not None:
            clock.set(max(clock.now(), record.state.due))
        store.record_answer(
            "awa", deck.id, "g1", rating=Rating.Good, outcome="correct", mode="flashcard"
        )
    store.suspend("awa", deck.id, "g2")
    before = {r.card_id: r for r in store.cards("awa", deck.id)}
    assert before["g1"].state.state == State.Review
    assert before["g1"].state.due > store.calendar.start_of_tomorrow(clock.now())
    session = session_of(store, deck, only=[(deck.id, "g0")])
    answer_right(session)
    after = {r.card_id: r for r in store.cards("awa", deck.id)}
    assert after["g1"] == before["g1"] and after["g2"] == before["g2"]
    assert session.held_back == []


def test_the_summary_counts_the_new_cards_the_day_still_allows(
    store: Store, write_deck: WriteDeck
) -> None:
    """A session of one new card (`--new 1`) ends saying how many new cards the day
    still allows, not only when the next review is due (trial finding)."""
    deck = load_deck(write_deck(HEADER + grouped_flashcards(0, 5)))
    session = session_of(store, deck, new_per_deck=1)
    asked = answer_all(session)
    summary = session.finish()
    assert set(asked) == {"c0"}
    assert summary.left == 0 and summary.new_left == 4
    store.update_settings("awa", new_per_deck=3)
    ended = session_of(store, deck, new_per_deck=1).finish()  # c0 made the one of today
    assert ended.left == 0 and ended.new_left == 2
    ended = session_of(store, deck).finish()  # c1 on screen, c2 to come: left, not new
    assert ended.left == 2 and ended.new_left == 0
