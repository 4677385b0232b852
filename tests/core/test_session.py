"""The study session state machine, with a real store, a real deck and a manual clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import (
    ChoiceCard,
    ClozeCard,
    DateCard,
    Deck,
    MatchCard,
    NumberCard,
    OrderCard,
    TextCard,
    TrueFalseCard,
)
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.questions import Mode, Question, Response
from maliquiz.core.learning.records import CardRecord
from maliquiz.core.learning.scheduling import Rating, State
from maliquiz.core.learning.session import Phase, SessionError, StudySession
from maliquiz.core.progress.store import Store
from maliquiz.core.text.dates import format_date


def right_answer(question: Question) -> Response:
    """What a learner who knows every card answers."""
    card = question.card
    if question.mode == Mode.CHOICE:
        return question.correct_options
    if isinstance(card, TextCard):
        return card.answer
    if isinstance(card, NumberCard):
        return card.answer
    if isinstance(card, DateCard):
        return format_date(card.date)
    if isinstance(card, TrueFalseCard):
        return card.answer
    if isinstance(card, OrderCard):
        return tuple(card.items)
    if isinstance(card, MatchCard):
        return {p.left: p.right for p in card.pairs}
    if isinstance(card, ClozeCard):
        return tuple(g[0] for g in card.gaps)
    raise AssertionError(question.mode)


def wrong_answer(question: Question) -> Response:
    card = question.card
    if question.mode == Mode.CHOICE:
        return tuple(o for o in question.options if o not in question.correct_options)[:1]
    if isinstance(card, TrueFalseCard):
        return not card.answer
    if isinstance(card, OrderCard):
        return tuple(reversed(card.items))
    if isinstance(card, MatchCard):
        rights = [p.right for p in card.pairs]
        return {p.left: rights[(i + 1) % len(rights)] for i, p in enumerate(card.pairs)}
    if isinstance(card, ClozeCard):
        return tuple("zzz" for _ in card.gaps)
    if isinstance(card, NumberCard):
        return "999999"
    if isinstance(card, DateCard):
        return "1950"
    return "Quelqu'un d'autre"


def answer_right(session: StudySession) -> None:
    question = session.question
    assert question is not None
    if question.mode == Mode.FLASHCARD:
        session.reveal()
        session.rate(3)
    else:
        feedback = session.answer(right_answer(question))
        assert feedback.verdict.outcome == Outcome.CORRECT, (question.card.id, feedback.verdict)
    session.next()


def new_session(store: Store, deck: Deck, **kwargs: object) -> StudySession:
    return StudySession(store, "awa", [deck], **kwargs)  # type: ignore[arg-type]


def test_new_cards_are_asked_in_deck_order(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    assert session.counts().new == len(deck.cards)
    asked = []
    while session.phase != Phase.FINISHED:
        assert session.question is not None
        asked.append(session.question.card.id)
        answer_right(session)
    # Learning steps bring the cards back within the session once due; with the clock
    # standing still, each card is asked once, in deck order.
    assert asked[: len(deck.cards)] == [c.id for c in deck.cards]


def test_every_answer_is_committed_before_answer_returns(
    store: Store, deck: Deck, tmp_path: Path
) -> None:
    session = new_session(store, deck)
    answer_right(session)
    answer_right(session)
    with Store.open(tmp_path / "progress.sqlite3") as other:
        assert other.review_count("awa") == 2


def test_new_cards_are_recognised_then_recalled_the_same_day(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    session = new_session(store, deck)
    modes: dict[str, list[Mode]] = {}
    while session.phase != Phase.FINISHED:
        assert session.question is not None
        modes.setdefault(session.question.card.id, []).append(session.question.mode)
        answer_right(session)
    # Picked right among choices, the number comes back in the same session, typed.
    assert modes["number-renforts"][:2] == [Mode.CHOICE, Mode.TYPED]
    assert modes["flash-minusma"][0] == Mode.FLASHCARD
    assert modes["order-evenements"][0] == Mode.ORDER
    record = store.card("awa", deck.id, "number-renforts")
    assert record is not None and record.recognised is not None and record.recalled is not None
    assert record.recognised <= record.recalled
    # From then on it is typed.
    clock.advance(days=30)
    session = new_session(store, deck)
    while session.phase != Phase.FINISHED:
        assert session.question is not None
        if session.question.card.id == "number-renforts":
            assert session.question.mode == Mode.TYPED
        answer_right(session)


def test_wrong_answer_comes_back_after_its_learning_step(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    session = new_session(store, deck, limit=None)
    question = session.question
    assert question is not None and question.mode == Mode.FLASHCARD
    session.reveal()
    feedback = session.rate(1)
    assert feedback.rating == Rating.Again
    assert feedback.interval is not None and feedback.interval <= timedelta(minutes=1)
    session.next()
    # The next card is another one; once a minute has passed, the failed card is back.
    assert session.question is not None and session.question.card.id != question.card.id
    clock.advance(minutes=2)
    answer_right(session)
    assert session.question is not None and session.question.card.id == question.card.id


def test_wrong_typed_answer_is_rated_again(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    answer_right(session)  # the flashcard
    question = session.question
    assert question is not None
    feedback = session.answer(wrong_answer(question))
    assert feedback.verdict.outcome == Outcome.WRONG
    assert feedback.rating == Rating.Again
    [review] = store.reviews("awa", card_id=question.card.id)
    assert review.outcome == "wrong" and review.mode == str(question.mode)


def test_undo_restores_the_card_and_asks_it_again(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    answer_right(session)
    first = store.card("awa", deck.id, "flash-minusma")
    question = session.question
    assert question is not None
    session.answer(wrong_answer(question))
    before_undo = store.card("awa", deck.id, question.card.id)
    assert before_undo is not None
    again = session.undo()
    assert again is not None and again.card.id == question.card.id
    assert session.phase == Phase.ASKING
    assert store.card("awa", deck.id, question.card.id) is None
    assert store.review_count("awa") == 1
    assert store.card("awa", deck.id, "flash-minusma") == first


def test_undo_from_the_next_question_goes_back_one_card(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    answer_right(session)
    answer_right(session)
    current = session.question
    assert current is not None
    again = session.undo()
    assert again is not None and again.card.id == deck.cards[1].id
    answer_right(session)
    assert session.question is not None and session.question.card.id == current.card.id
    assert store.review_count("awa") == 2


def test_override_flips_the_verdict_and_the_schedule(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    answer_right(session)
    question = session.question
    assert question is not None
    session.answer(wrong_answer(question))
    feedback = session.override(True)
    assert feedback.overridden and feedback.verdict.outcome == Outcome.CORRECT
    assert feedback.rating == Rating.Good
    reviews = store.reviews("awa", card_id=question.card.id)
    assert [r.outcome for r in reviews] == ["correct"]
    # Overriding again from the next question keeps that question on screen.
    session.next()
    following = session.question
    flipped = session.override_last()
    assert flipped.verdict.outcome == Outcome.WRONG
    assert session.question == following and session.phase == Phase.ASKING


def test_flashcards_cannot_be_overridden(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    session.reveal()
    session.rate(3)
    with pytest.raises(SessionError):
        session.override(False)


def test_bury_and_suspend_move_on_and_stick(store: Store, deck: Deck, clock: ManualClock) -> None:
    session = new_session(store, deck)
    first = session.question
    assert first is not None
    session.bury()
    second = session.question
    assert second is not None and second.card.id != first.card.id
    session.suspend()
    while session.phase != Phase.FINISHED:
        answer_right(session)
    later = new_session(store, deck)
    ids = set()
    while later.phase != Phase.FINISHED:
        assert later.question is not None
        ids.add(later.question.card.id)
        answer_right(later)
    assert first.card.id not in ids and second.card.id not in ids
    clock.advance(days=1)
    tomorrow = new_session(store, deck)
    assert tomorrow.question is not None
    seen = set()
    while tomorrow.phase != Phase.FINISHED:
        assert tomorrow.question is not None
        seen.add(tomorrow.question.card.id)
        answer_right(tomorrow)
    assert first.card.id in seen and second.card.id not in seen


def test_limit_and_tags(store: Store, deck: Deck) -> None:
    session = new_session(store, deck, limit=3)
    count = 0
    while session.phase != Phase.FINISHED:
        answer_right(session)
        count += 1
    assert count == 3
    assert new_session(store, deck, tags=["absent"]).phase == Phase.FINISHED
    assert new_session(store, deck, tags=["test"]).selection_size == len(deck.cards)


def test_cram_leaves_the_schedule_alone(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    while session.phase != Phase.FINISHED:
        answer_right(session)
    states = {c.card_id: c for c in store.cards("awa")}
    cram = new_session(store, deck, cram=True)
    assert cram.question is not None
    feedback = (
        cram.answer(wrong_answer(cram.question)) if cram.question.mode != Mode.FLASHCARD else None
    )
    if feedback is not None:
        assert feedback.due is None and not feedback.scheduled
    assert {c.card_id: c for c in store.cards("awa")} == states


def test_summary(store: Store, deck: Deck, clock: ManualClock) -> None:
    session = new_session(store, deck)
    answer_right(session)
    question = session.question
    assert question is not None
    session.answer(wrong_answer(question))
    session.next()
    clock.advance(minutes=5)
    summary = session.finish()
    assert summary.answered == 2 and summary.correct == 1
    assert summary.accuracy == 0.5
    assert summary.duration == timedelta(minutes=5)
    assert summary.next_due is not None


def test_summary_counts_what_comes_back_tomorrow(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    """The summary's "due by the end of tomorrow" and "next due" are those the cards'
    full states give: suspended and new cards left out, buried ones counted, cards of
    decks outside the session ignored."""
    ids = [card.id for card in deck.cards]
    for n, card_id in enumerate(ids):
        # Spread the cards' schedules: some answered long ago, some today, some wrong.
        clock.advance(days=1)
        for _ in range(n % 4):
            store.record_answer(
                "awa", deck.id, card_id, rating=Rating.Good, outcome="correct", mode="typed"
            )
        if n % 3 == 0:
            store.record_answer(
                "awa", deck.id, card_id, rating=Rating.Again, outcome="wrong", mode="typed"
            )
    store.record_answer("awa", "ailleurs", "x", rating=Rating.Again, outcome="wrong", mode="typed")
    answered = [r.card_id for r in store.cards("awa", deck.id) if not r.state.is_new]
    store.suspend("awa", deck.id, answered[0])
    store.bury("awa", deck.id, answered[1])
    store.forget_cards("awa", [(deck.id, answered[2])])
    clock.advance(hours=3)

    summary = new_session(store, deck).finish()

    now = clock.now()
    tomorrow_end = store.calendar.start_of_tomorrow(now) + timedelta(days=1)
    kept = [
        r.state.due for r in store.cards("awa", deck.id) if not r.suspended and not r.state.is_new
    ]
    assert kept and summary.due_tomorrow == sum(due < tomorrow_end for due in kept)
    assert summary.due_tomorrow > 0
    comes = [comes_back(store, r) for r in store.cards("awa", deck.id) if r.state.due > now]
    assert summary.next_due == min((c for c, r in comes if not r.suspended), default=None)


def comes_back(store: Store, record: CardRecord) -> tuple[datetime, CardRecord]:
    """When a card is asked again: a review from the start of its due day, a learning
    step at its time (the summary's "next card due")."""
    due = record.state.due
    if record.state.state == State.Review:
        due = store.calendar.start_of_today(due)
    return due, record


def test_next_due_beyond_tomorrow_is_the_first_card_of_the_selection(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    """With nothing due by the end of tomorrow, "next due" is read from the due order of
    each deck: the soonest card the session selected, past a suspended card and a card
    left out of the selection that come before it."""
    for n, card in enumerate(deck.cards):
        for _ in range(3 + n % 3):  # long intervals, different from card to card
            store.record_answer(
                "awa", deck.id, card.id, rating=Rating.Good, outcome="correct", mode="typed"
            )
            clock.advance(days=2 + n)
    clock.set(min(r.state.due for r in store.cards("awa", deck.id)) - timedelta(days=3))
    by_due = sorted(store.cards("awa", deck.id), key=lambda r: r.state.due)
    store.suspend("awa", deck.id, by_due[0].card_id)
    left_out = by_due[1].card_id
    only = [(deck.id, c.id) for c in deck.cards if c.id != left_out]

    summary = new_session(store, deck, only=only).finish()

    assert summary.due_tomorrow == 0
    assert by_due[2].state.due > by_due[1].state.due
    assert summary.next_due == store.calendar.start_of_today(by_due[2].state.due)


def test_skip_shows_the_answer_and_counts_as_wrong(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    answer_right(session)
    feedback = session.skip()
    assert feedback.rating == Rating.Again
    assert feedback.verdict.expected


def test_preview_intervals_match_the_rating(store: Store, deck: Deck) -> None:
    session = new_session(store, deck)
    assert session.question is not None and session.question.mode == Mode.FLASHCARD
    intervals = session.preview_intervals()
    session.reveal()
    feedback = session.rate(4)
    assert feedback.interval == intervals[4]


def test_only_restricts_to_given_cards(store: Store, deck: Deck) -> None:
    session = new_session(store, deck, only=[(deck.id, "order-evenements")], cram=True)
    assert session.question is not None and session.question.card.id == "order-evenements"
    answer_right(session)
    assert session.phase == Phase.FINISHED


def test_choice_card_options_contain_its_answer(store: Store, deck: Deck) -> None:
    card = deck.card("choice-pays")
    assert isinstance(card, ChoiceCard)
    session = new_session(store, deck, only=[(deck.id, card.id)], cram=True)
    assert session.question is not None
    assert sorted(session.question.options) == sorted(card.options)
    assert session.question.correct_options == ("États-Unis",)


def test_learner_settings_change_the_schedule(store: Store, deck: Deck, clock: ManualClock) -> None:
    for name, retention in (("awa", 0.97), ("bob", 0.80)):
        store.ensure_user(name)
        store.update_settings(name, desired_retention=retention, new_per_deck=1)
    store.use_settings_of("awa")
    assert new_session(store, deck).counts().new == 1
    start = clock.now()
    for name in ("awa", "bob"):
        clock.set(start)
        store.use_settings_of(name)
        for _ in range(3):
            session = StudySession(store, name, [deck], only=[(deck.id, "flash-minusma")])
            while session.phase != Phase.FINISHED:
                answer_right(session)
            clock.advance(days=20)
    awa, bob = (
        store.card("awa", deck.id, "flash-minusma"),
        store.card("bob", deck.id, "flash-minusma"),
    )
    assert awa is not None and bob is not None
    # The same right answers: at 97 % retention the card comes back much sooner.
    assert awa.state.due < bob.state.due


def long_deck(*, shows_first: bool) -> Deck:
    """A deck longer than one ordering window: a card "shows" whose prompt gives away
    the answer of "shown", last, and ORDER_WINDOW + 5 flashcards, with "shows" first or
    just before "shown"."""
    from maliquiz.core.learning.siblings import ORDER_WINDOW

    shows = {"id": "shows", "type": "flashcard", "prompt": "Que fait-on à Bamako ?",
             "back": "On étudie."}  # fmt: skip
    filler = [
        {"id": f"f{n}", "type": "flashcard", "prompt": f"Question {n} ?", "back": f"Dos {n}"}
        for n in range(ORDER_WINDOW + 5)
    ]
    shown = {"id": "shown", "type": "text", "prompt": "La capitale du Mali ?", "answer": "Bamako"}
    cards = [shows, *filler, shown] if shows_first else [*filler, shows, shown]
    return Deck.model_validate({"id": "long", "title": "Long", "cards": cards})


def answer_all(session: StudySession) -> list[str]:
    """Answer every question right until the session ends; the cards asked, in order."""
    asked = []
    while session.phase != Phase.FINISHED:
        assert session.question is not None
        asked.append(session.question.card.id)
        answer_right(session)
    return asked


def test_a_long_queue_is_put_in_sibling_order_as_the_session_reaches_it(
    store: Store,
) -> None:
    """Beyond the first ORDER_WINDOW cards the queue is ordered when the session comes
    to them: a card whose prompt shows another's answer still comes after it."""
    deck = long_deck(shows_first=False)
    session = StudySession(store, "awa", [deck], new_per_deck=len(deck.cards))
    asked = answer_all(session)
    assert asked.index("shown") < asked.index("shows")
    assert session.held_back == [] and set(asked) == {card.id for card in deck.cards}


def test_a_card_of_a_later_window_given_away_early_is_held_back_when_reached(
    store: Store,
) -> None:
    """The answers of a long queue are indexed a window at a time: a card beyond the
    first window whose answer an early question showed is held back when the session
    reaches it, as it would have been at once."""
    deck = long_deck(shows_first=True)
    session = StudySession(store, "awa", [deck], new_per_deck=len(deck.cards))
    asked = answer_all(session)
    assert asked[0] == "shows" and "shown" not in asked
    assert session.held_back == [("long", "shown")]
    assert set(asked) == {card.id for card in deck.cards} - {"shown"}


@pytest.mark.parametrize("leave", ["bury", "suspend"])
def test_a_question_left_unanswered_holds_back_no_card_of_a_later_window(
    store: Store, leave: str
) -> None:
    """A question buried or suspended before its answer holds nothing back, whether the
    card it gives away is in the first window of the queue or a later one."""
    deck = long_deck(shows_first=True)
    session = StudySession(store, "awa", [deck], new_per_deck=len(deck.cards))
    assert session.question is not None and session.question.card.id == "shows"
    getattr(session, leave)()
    asked = answer_all(session)
    assert "shown" in asked and session.held_back == []


def test_a_card_of_a_window_never_reached_given_away_is_not_asked_by_the_next_session(
    store: Store,
) -> None:
    """A session that ends before the window of a card whose answer it showed still
    holds that card back to tomorrow: another session today does not ask it."""
    deck = long_deck(shows_first=True)
    first = StudySession(store, "awa", [deck], new_per_deck=len(deck.cards), limit=1)
    assert first.question is not None and first.question.card.id == "shows"
    answer_right(first)
    assert first.phase == Phase.FINISHED
    first.finish()
    assert first.held_back == [("long", "shown")]
    second = StudySession(store, "awa", [deck], new_per_deck=len(deck.cards))
    asked = answer_all(second)
    fillers = {card.id for card in deck.cards if card.id.startswith("f")}
    assert "shown" not in asked and fillers <= set(asked)


def test_summary_counts_right_as_the_stats_and_the_report_do(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    """A flashcard rated Hard is a right answer (it passed): only the wrong and skipped
    answers are not, in the summary as in the class report and the stats."""
    session = new_session(store, deck)
    rated_hard = skipped = 0
    while session.question is not None and session.answered < 12:
        question = session.question
        if question.mode == Mode.FLASHCARD:
            session.reveal()
            session.rate(2)
            rated_hard += 1
        elif not skipped:
            session.skip()
            skipped += 1
        else:
            session.answer(right_answer(question))
        session.next()
    summary = session.finish()
    assert rated_hard and skipped
    assert summary.by_outcome[str(Outcome.PARTIAL)] >= rated_hard
    assert summary.correct == summary.answered - skipped
