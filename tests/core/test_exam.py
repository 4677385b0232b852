"""The self-assessment exam: answers kept until hand-in, a time limit, results."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from test_session import right_answer, wrong_answer

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import Deck, FlashCard
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.exam import ExamSession
from maliquiz.core.learning.questions import Mode
from maliquiz.core.learning.session import Phase, SessionError
from maliquiz.core.progress.store import Store


def exam(deck: Deck, clock: ManualClock, **kwargs: object) -> ExamSession:
    return ExamSession([deck], clock, rng=random.Random(5), **kwargs)  # type: ignore[arg-type]


def test_questions_exclude_flashcards_and_type_recall(deck: Deck, clock: ManualClock) -> None:
    session = exam(deck, clock, count=50)
    assert len(session.questions) == len(deck.cards) - 1
    assert not any(isinstance(q.card, FlashCard) for q in session.questions)
    modes = {q.card.type: q.mode for q in session.questions}  # type: ignore[attr-defined]
    assert modes["text"] == Mode.TYPED and modes["number"] == Mode.TYPED
    assert modes["choice"] == Mode.CHOICE


def test_changed_answer_counts_and_results(deck: Deck, clock: ManualClock, store: Store) -> None:
    session = exam(deck, clock, count=50)
    for i, question in enumerate(session.questions):
        session.goto(i)
        session.answer(wrong_answer(question))
    session.goto(0)
    session.answer(right_answer(session.question))  # changed before handing in
    clock.advance(minutes=4)
    result = session.hand_in()
    assert result.score.out_of == len(session.questions)
    assert result.items[0].verdict.outcome == Outcome.CORRECT
    assert len(result.mistakes) == len(session.questions) - 1
    assert result.duration == timedelta(minutes=4)
    assert result.by_tag()["test"].out_of == len(session.questions)
    assert sum(s.out_of for s in result.by_type().values()) == len(session.questions)
    with pytest.raises(SessionError):
        session.answer(right_answer(session.question))
    record = result.save(store, "awa")
    assert store.exams("awa") == [record]
    assert result.save(store, "awa") is record  # saved once
    assert store.review_count("awa") == 0  # the schedule is left alone


def test_unanswered_questions_are_wrong(deck: Deck, clock: ManualClock) -> None:
    result = exam(deck, clock, count=3).hand_in()
    assert result.score.points == 0 and len(result.mistakes) == 3
    # Nothing given is shown as nothing given: not the order the items were shown in,
    # nor "0 of 3 pairs right" with a line per pair.
    for item in result.items:
        verdict = item.verdict
        assert item.response is None
        assert (verdict.outcome, verdict.given, verdict.detail, verdict.parts, verdict.diff) == (
            Outcome.WRONG,
            "",
            None,
            (),
            (),
        )
        assert verdict.expected


def test_time_limit(deck: Deck, clock: ManualClock) -> None:
    session = exam(deck, clock, count=3, time_limit=timedelta(minutes=5))
    assert session.time_left() == timedelta(minutes=5)
    session.answer(right_answer(session.question))
    clock.advance(minutes=6)
    assert session.expired and session.time_left() == timedelta()
    with pytest.raises(SessionError):
        session.answer(right_answer(session.question))
    result = session.hand_in()
    assert result.timed_out and result.duration == timedelta(minutes=5)
    assert result.items[0].right


def test_apply_to_schedule_and_study_mistakes(deck: Deck, clock: ManualClock, store: Store) -> None:
    session = exam(deck, clock, count=4)
    session.answer(right_answer(session.question))
    result = session.hand_in()
    assert result.apply_to_schedule(store, "awa") == 4
    assert result.apply_to_schedule(store, "awa") == 0
    assert store.review_count("awa") == 4
    study = result.study_mistakes(store, "awa")
    asked = set()
    while study.phase != Phase.FINISHED:
        assert study.question is not None
        asked.add(study.question.key)
        study.skip()
        study.next()
    assert asked == set(result.mistake_keys())


def test_bad_settings(deck: Deck, clock: ManualClock) -> None:
    with pytest.raises(ValueError):
        exam(deck, clock, count=0)
    with pytest.raises(ValueError):
        exam(deck, clock, time_limit=timedelta(0))
