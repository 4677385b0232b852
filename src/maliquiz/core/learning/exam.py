"""A self-assessment exam: a fixed set of questions, no feedback until the end.

The learner may move between questions and change any answer until they hand in (or
the time limit passes). Handing in grades every question at once; the result gives a
score, a breakdown by tag and by card type, and each mistake with its right answer and
source. It is saved to the learner's exam history. An exam leaves the schedule alone
unless the learner asks for its answers to count (:meth:`ExamResult.apply_to_schedule`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from maliquiz.core.answers.verdict import Outcome, Verdict
from maliquiz.core.deck.models import Deck, FlashCard
from maliquiz.core.learning.clock import Clock
from maliquiz.core.learning.questions import (
    Question,
    Response,
    card_matches_tags,
    empty_response,
    grade,
    present,
    response_text,
)
from maliquiz.core.learning.queue import QueueKind
from maliquiz.core.learning.records import ExamRecord, ProgressStore, right_percent
from maliquiz.core.learning.scheduling import rating_for
from maliquiz.core.learning.session import SessionError, StudySession


@dataclass(frozen=True)
class ExamItem:
    """One graded question."""

    question: Question
    response: Response | None
    verdict: Verdict

    @property
    def right(self) -> bool:
        """Counted as right: correct, or correct but for a typo."""
        return self.verdict.outcome in (Outcome.CORRECT, Outcome.TYPO)


@dataclass(frozen=True)
class Score:
    """Points over the maximum, for the whole exam or one part of it."""

    points: float
    out_of: int

    @property
    def ratio(self) -> float:
        """Points as a share of the maximum (0 when there is nothing to score)."""
        return self.points / self.out_of if self.out_of else 0.0

    @property
    def percent(self) -> int:
        """The "Right %": points over questions, a partly right answer counting for its
        share (2 of 3 pairs: 0.67), as a whole percentage."""
        return right_percent(self.points, self.out_of)


@dataclass
class ExamResult:
    """The graded exam."""

    items: list[ExamItem]
    started_at: datetime
    handed_in_at: datetime
    timed_out: bool
    decks: list[str]
    tags: list[str]
    saved: ExamRecord | None = None
    applied: bool = field(default=False)

    @property
    def score(self) -> Score:
        """Partial credit counts: half a chronology in place is half a point."""
        return Score(round(sum(i.verdict.score for i in self.items), 2), len(self.items))

    @property
    def duration(self) -> timedelta:
        """Time from the first question to handing in."""
        return self.handed_in_at - self.started_at

    def by_tag(self) -> dict[str, Score]:
        """Score for each tag the questions carry (a question counts for each tag)."""
        parts: dict[str, list[float]] = {}
        for item in self.items:
            for tag in item.question.deck.card_tags(item.question.card):
                parts.setdefault(tag, []).append(item.verdict.score)
        return {tag: Score(round(sum(s), 2), len(s)) for tag, s in sorted(parts.items())}

    def by_type(self) -> dict[str, Score]:
        """Score for each card type."""
        parts: dict[str, list[float]] = {}
        for item in self.items:
            kind = str(getattr(item.question.card, "type", "?"))
            parts.setdefault(kind, []).append(item.verdict.score)
        return {kind: Score(round(sum(s), 2), len(s)) for kind, s in sorted(parts.items())}

    @property
    def mistakes(self) -> list[ExamItem]:
        """Questions not fully right, in exam order."""
        return [item for item in self.items if not item.right]

    def mistake_keys(self) -> list[tuple[str, str]]:
        """(deck id, card id) of each mistake, for "study my mistakes"."""
        return [item.question.key for item in self.mistakes]

    def save(self, store: ProgressStore, user: str) -> ExamRecord:
        """Add the exam to the learner's history (once)."""
        if self.saved is None:
            score = self.score
            self.saved = store.record_exam(
                user,
                decks=self.decks,
                tags=self.tags,
                score=score.points,
                max_score=score.out_of,
                results=[_result_row(item) for item in self.items],
                duration=self.duration,
            )
        return self.saved

    def apply_to_schedule(self, store: ProgressStore, user: str) -> int:
        """Count the exam's answers as reviews, as if studied now (once). Returns how
        many were recorded."""
        if self.applied:
            return 0
        for item in self.items:
            store.record_answer(
                user,
                *item.question.key,
                rating=rating_for(item.verdict.outcome),
                outcome=item.verdict.outcome,
                mode="exam",
                answer=None if item.response is None else response_text(item.response),
            )
        self.applied = True
        return len(self.items)

    def study_mistakes(self, store: ProgressStore, user: str, *, cram: bool = True) -> StudySession:
        """A study session over the mistakes (practice ahead by default)."""
        decks = {item.question.deck.id: item.question.deck for item in self.mistakes}
        return StudySession(store, user, list(decks.values()), only=self.mistake_keys(), cram=cram)


class ExamSession:
    """The questions of an exam and the answers given so far."""

    def __init__(
        self,
        decks: Sequence[Deck],
        clock: Clock,
        *,
        tags: Sequence[str] = (),
        count: int = 20,
        time_limit: timedelta | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if count < 1:
            raise ValueError("an exam needs at least one question")
        if time_limit is not None and time_limit <= timedelta():
            raise ValueError("a time limit must be positive")
        self.clock = clock
        self.rng = rng or random.Random()
        self.decks = [deck.id for deck in decks]
        self.tags = list(tags)
        pool = [
            (deck, card)
            for deck in decks
            for card in deck.cards
            if not isinstance(card, FlashCard) and card_matches_tags(deck, card, tags)
        ]
        picked = self.rng.sample(pool, min(count, len(pool)))
        # An exam tests recall: names, numbers and dates are typed, not chosen.
        self.questions = [
            present(deck, card, QueueKind.CRAM, n, rng=self.rng, typed=True)
            for n, (deck, card) in enumerate(picked, start=1)
        ]
        self.responses: list[Response | None] = [None] * len(self.questions)
        self.index = 0
        self.started_at = clock.now()
        self.deadline = None if time_limit is None else self.started_at + time_limit
        self.result: ExamResult | None = None

    @property
    def question(self) -> Question:
        """The question on screen."""
        return self.questions[self.index]

    @property
    def answered_count(self) -> int:
        """How many questions have an answer."""
        return sum(r is not None for r in self.responses)

    def time_left(self) -> timedelta | None:
        """Time until the limit, never negative; None without a limit."""
        if self.deadline is None:
            return None
        return max(self.deadline - self.clock.now(), timedelta())

    @property
    def expired(self) -> bool:
        """True once the time limit has passed."""
        return self.deadline is not None and self.clock.now() >= self.deadline

    def goto(self, index: int) -> Question:
        """Show question ``index`` (from 0), to answer or change it."""
        if not 0 <= index < len(self.questions):
            raise IndexError(index)
        self.index = index
        return self.question

    def next(self) -> Question:
        """The next question (stays on the last)."""
        return self.goto(min(self.index + 1, len(self.questions) - 1))

    def previous(self) -> Question:
        """The previous question (stays on the first)."""
        return self.goto(max(self.index - 1, 0))

    def answer(self, response: Response) -> None:
        """Give or change the answer to the current question."""
        if self.result is not None:
            raise SessionError("the exam was handed in")
        if self.expired:
            raise SessionError("the time is up")
        self.responses[self.index] = response

    def hand_in(self) -> ExamResult:
        """Grade every question; unanswered ones count as wrong."""
        if self.result is not None:
            return self.result
        now = self.clock.now()
        timed_out = self.deadline is not None and now >= self.deadline
        items = []
        for question, response in zip(self.questions, self.responses, strict=True):
            if response is None:
                verdict = grade(question, empty_response(question)).left_blank()
            else:
                verdict = grade(question, response)
            items.append(ExamItem(question, response, verdict))
        self.result = ExamResult(
            items=items,
            started_at=self.started_at,
            handed_in_at=min(now, self.deadline) if self.deadline else now,
            timed_out=timed_out,
            decks=self.decks,
            tags=self.tags,
        )
        return self.result


def _result_row(item: ExamItem) -> dict[str, object]:
    """What the exam history keeps of one question."""
    question = item.question
    return {
        "deck": question.deck.id,
        "card": question.card.id,
        "type": getattr(question.card, "type", ""),
        "mode": str(question.mode),
        "tags": question.deck.card_tags(question.card),
        "answer": None if item.response is None else response_text(item.response),
        "outcome": str(item.verdict.outcome),
        "score": item.verdict.score,
        "expected": item.verdict.expected,
    }
