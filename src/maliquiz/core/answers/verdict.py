"""The verdict on one answer: what the checker decided and what to show the learner."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from enum import StrEnum

__all__ = [
    "NOT_RECALLED",
    "DiffOp",
    "DiffPart",
    "Outcome",
    "PartKind",
    "PartResult",
    "Verdict",
    "diff_parts",
]


class Outcome(StrEnum):
    """What the answer checker decided about one answer."""

    CORRECT = "correct"
    TYPO = "typo"  # right answer with a small spelling slip
    PARTIAL = "partial"  # part of the answer (one name of two, the year of a full date)
    WRONG = "wrong"
    SKIPPED = "skipped"  # "I don't know": counts as wrong for the schedule


NOT_RECALLED = frozenset((Outcome.WRONG, Outcome.SKIPPED))
"""The outcomes that are not a right answer. Every other one counts as right wherever
an answer is counted right (a session's summary, the class report): a typo, a part of the
answer, a flashcard rated Hard. They are the answers scheduled as Again, those the stats
count as not passed."""


class DiffOp(StrEnum):
    """How a stretch of the typed answer compares with the expected one."""

    SAME = "same"
    WRONG = "wrong"  # typed, but not in the expected answer (or typed differently)
    MISSING = "missing"  # in the expected answer, not typed


@dataclass(frozen=True)
class DiffPart:
    """One stretch of a character diff; ``typed`` and ``expected`` may be empty."""

    op: DiffOp
    typed: str
    expected: str


class PartKind(StrEnum):
    """What one part of a many-part answer is."""

    PAIR = "pair"  # a pair of a match card
    ITEM = "item"  # an item of an order card
    GAP = "gap"  # a gap of a cloze card


@dataclass(frozen=True)
class PartResult:
    """How one part of a match, order or cloze answer fared.

    ``label`` names the part: the left-hand item of a pair, the item of an order, the
    gap's number (from 1) for a cloze. ``given`` and ``expected`` are what the learner
    gave and what was right: the right-hand items of a pair (``given`` empty when the
    item was left unpaired), the positions from 1 of an order's item, the typed text and
    the display answer of a gap."""

    kind: PartKind
    label: str
    given: str
    expected: str
    right: bool


def diff_parts(typed: str, expected: str) -> tuple[DiffPart, ...]:
    """Character differences between what was typed and the expected answer, compared
    without case (a learner who typed "wagner" is shown no difference in case)."""
    matcher = difflib.SequenceMatcher(None, typed.casefold(), expected.casefold(), autojunk=False)
    parts: list[DiffPart] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(DiffPart(DiffOp.SAME, typed[a1:a2], expected[b1:b2]))
            continue
        if a2 > a1:
            parts.append(DiffPart(DiffOp.WRONG, typed[a1:a2], expected[b1:b2]))
        if b2 > b1 and a2 == a1:
            parts.append(DiffPart(DiffOp.MISSING, "", expected[b1:b2]))
    return tuple(parts)


@dataclass(frozen=True)
class Verdict:
    """The checker's decision on one answer.

    ``expected`` is the right answer in its display form, ``given`` the learner's
    answer as one line; ``score`` runs from 0 to 1 (partial credit for orders, matches,
    clozes, several-answer choices and dates less precise than the key); ``detail``
    says what was partly right ("3 of 5 in order"); ``diff`` marks the differences
    of a typed answer; ``read_as`` says, in the interface language, how an answer
    accepted in another form than it was written was read ("read as 1 400" for
    ``mille quatre cents``, "read as 17 February 2022" for ``dix-sept février 2022``,
    "read as Assimi Goïta" for ``Goïta Assimi``), None when it was read as written;
    ``parts`` says how each pair of a match, item of an order or gap of a cloze fared,
    in the card's order (empty for other cards).
    """

    outcome: Outcome
    expected: str
    given: str = ""
    score: float = 0.0
    detail: str | None = None
    diff: tuple[DiffPart, ...] = ()
    read_as: str | None = None
    parts: tuple[PartResult, ...] = ()

    @property
    def right(self) -> bool:
        """Counted as right: correct, or correct but for a typo."""
        return self.outcome in (Outcome.CORRECT, Outcome.TYPO)

    def with_outcome(self, outcome: Outcome) -> Verdict:
        """The same verdict with another outcome (an override, an unanswered question);
        the score follows: 1 when right, 0 when wrong."""
        right = outcome in (Outcome.CORRECT, Outcome.TYPO)
        score = 1.0 if right else (self.score if outcome == Outcome.PARTIAL else 0.0)
        return replace(self, outcome=outcome, score=score)

    def left_blank(self) -> Verdict:
        """The verdict of a question not answered: wrong, with the right answer and
        nothing given to compare it with (no diff, no parts, no detail)."""
        return replace(
            self,
            outcome=Outcome.WRONG,
            score=0.0,
            given="",
            detail=None,
            diff=(),
            read_as=None,
            parts=(),
        )

    @classmethod
    def self_rated(cls, outcome: Outcome, back: str) -> Verdict:
        """The verdict of a flashcard the learner rated themselves."""
        score = {Outcome.CORRECT: 1.0, Outcome.PARTIAL: 0.5}.get(outcome, 0.0)
        return cls(outcome=outcome, expected=back, score=score)
