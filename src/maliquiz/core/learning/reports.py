"""What a study session reports to the screens: the feedback after an answer, the
cards left, the summary at the end (:mod:`.session` makes them; its names for them
stay importable from there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from maliquiz.core.answers.verdict import Outcome, Verdict
from maliquiz.core.learning.questions import Question
from maliquiz.core.learning.scheduling import Rating

__all__ = ["Counts", "Feedback", "Phase", "SessionError", "Summary", "outcome_for_rating"]


class Phase(StrEnum):
    """Where the session stands."""

    ASKING = "asking"
    REVEALED = "revealed"  # a flashcard's back is shown, waiting for a rating
    ANSWERED = "answered"  # feedback is shown, waiting for next()
    FINISHED = "finished"


class SessionError(Exception):
    """An action that makes no sense in the session's current phase."""


@dataclass(frozen=True)
class Feedback:
    """What the learner sees after answering."""

    question: Question
    verdict: Verdict
    rating: Rating
    due: datetime | None
    """When the card comes back; None when the answer did not move the schedule."""
    interval: timedelta | None
    scheduled: bool
    became_leech: bool = False
    overridden: bool = False
    outcome: Outcome | None = None
    """The outcome recorded (``skipped`` for "I don't know", whose verdict says wrong:
    what the schedule reads); None for the verdict's own."""

    @property
    def explanation(self) -> str | None:
        """The card's explanation, if it has one."""
        return self.question.card.explanation


@dataclass(frozen=True)
class Counts:
    """Cards left in the session, as Anki shows them: new, learning, review."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        """All cards left."""
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class Summary:
    """The end-of-session report."""

    answered: int
    cards: int  # distinct cards answered: a card asked again (after a lapse) counts once
    correct: int
    """Answers right: all but the wrong and skipped ones (a typo, a part of the answer
    or a flashcard rated Hard counts, as in the stats and the class report)."""
    by_outcome: dict[str, int]
    duration: timedelta
    due_tomorrow: int
    next_due: datetime | None
    left: int = 0
    """Cards the session still had to ask today when it ended (ended early): the next
    session asks them now, whatever :attr:`next_due` says of the cards due later."""
    new_left: int = 0
    """New cards the learner's daily limit still allows today beyond the session's own
    (a session with ``--new 1``, or whose new cards were held back)."""

    @property
    def accuracy(self) -> float | None:
        """Share of right answers, or None before any answer."""
        return self.correct / self.answered if self.answered else None


def outcome_for_rating(rating: Rating) -> Outcome:
    """The outcome recorded for a flashcard the learner rated themselves."""
    return {
        Rating.Again: Outcome.WRONG,
        Rating.Hard: Outcome.PARTIAL,
    }.get(rating, Outcome.CORRECT)
