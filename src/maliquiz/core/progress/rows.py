"""The rows of a progress export, checked one by one before anything is imported.

A file to import may have been written by hand or by someone else's program: a rating
of 99, an outcome "x", a time in the year 5000 would be stored as they are and break
every statistic of that learner afterwards. Each table's rows are validated with
pydantic against the types and ranges maliquiz itself writes (:data:`ALLOWED` says
them in words), and a file with a bad row is refused whole, naming the first ones.

Times of things that happened (answers, exams, first answers) lie between 2000-01-01
and a day from now; due dates and burials up to a hundred years ahead. Imported only
when an export is read (pydantic loads on first use, never at start-up).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, Final, NamedTuple

from fsrs import Card
from pydantic import AfterValidator, Field, TypeAdapter, ValidationError, ValidationInfo

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import SLUG_PATTERN, TAG_PATTERN
from maliquiz.core.learning.clock import to_ms
from maliquiz.core.learning.questions import Mode
from maliquiz.i18n import N_

DAY_MS: Final = 86_400_000
FLOOR_MS: Final = to_ms(datetime(2000, 1, 1, tzinfo=UTC))
FUTURE_MS: Final = 100 * 366 * DAY_MS
MODES: Final = (*(str(m) for m in Mode), "exam")
OUTCOMES: Final = tuple(str(o) for o in Outcome)
UID_PATTERN: Final = r"^[A-Za-z0-9_-]{1,64}$"
SHOWN_PROBLEMS: Final = 5


class RowProblem(NamedTuple):
    """One bad value: ``table`` and ``row`` (from 1) of the file, the ``column``, the
    ``value`` found (shortened) and what is ``allowed`` there (untranslated; pass it
    through ``_()``)."""

    table: str
    row: int
    column: str
    value: str
    allowed: str


# --- the values ---------------------------------------------------------------------


def _now_ms(info: ValidationInfo) -> int:
    context = info.context
    assert isinstance(context, dict)
    now: int = context["now_ms"]
    return now


def _happened(value: int, info: ValidationInfo) -> int:
    if value > _now_ms(info) + DAY_MS:
        raise ValueError("later than tomorrow")
    return value


def _ahead(value: int, info: ValidationInfo) -> int:
    if value > _now_ms(info) + FUTURE_MS:
        raise ValueError("more than a hundred years ahead")
    return value


def _json_list(check: Callable[[Any], bool]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            items = json.loads(value)
        except ValueError:
            raise ValueError("not JSON") from None
        if not isinstance(items, list) or not all(check(item) for item in items):
            raise ValueError("not a list of the right items")
        return value

    return parse


_LAST_DUE_MS: Final = to_ms(datetime(9000, 1, 1, tzinfo=UTC))
"""Far enough for any interval, far from the year 9999 where a datetime overflows."""


def _memory(value: str) -> str:
    """A card state py-fsrs can read, with times a datetime can hold."""
    try:
        card = Card.from_json(value)
        finite = all(
            x is None or (isinstance(x, int | float) and math.isfinite(x))
            for x in (card.stability, card.difficulty)
        )
        due_ms = to_ms(card.due)
    except Exception:
        raise ValueError("not a card state") from None
    if not finite or not FLOOR_MS <= due_ms <= _LAST_DUE_MS:
        raise ValueError("not a card state")
    return value


def _storable(value: str) -> str:
    """Text every database can keep: PostgreSQL refuses a NUL character, and UTF-8
    (files, the network) an unpaired surrogate, which JSON's escapes can make."""
    if "\x00" in value:
        raise ValueError("holds a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("holds an unpaired surrogate") from None
    return value


Id = Annotated[str, Field(strict=True, pattern=SLUG_PATTERN, max_length=80)]
Uid = Annotated[str, Field(strict=True, pattern=UID_PATTERN)]
Event = Annotated[int, Field(strict=True, ge=FLOOR_MS), AfterValidator(_happened)]
Due = Annotated[int, Field(strict=True, ge=FLOOR_MS), AfterValidator(_ahead)]
Flag = Annotated[int, Field(strict=True, ge=0, le=1)]
Count = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
Rating = Annotated[int, Field(strict=True, ge=1, le=4)]
StateNumber = Annotated[int, Field(strict=True, ge=1, le=3)]
Duration = Annotated[int, Field(strict=True, ge=0, le=DAY_MS)]
Stability = Annotated[float, Field(strict=True, ge=0, le=1e6, allow_inf_nan=False)]
Difficulty = Annotated[float, Field(strict=True, ge=1, le=10, allow_inf_nan=False)]
Score = Annotated[float, Field(strict=True, ge=0, le=10_000, allow_inf_nan=False)]
Answer = Annotated[str, Field(strict=True, max_length=10_000), AfterValidator(_storable)]
StateBefore = Annotated[str, Field(strict=True, max_length=16_000)]
Choice = Annotated[str, Field(strict=True, max_length=40)]
Memory = Annotated[str, Field(strict=True, max_length=4_000), AfterValidator(_storable)]
ListText = Annotated[str, Field(strict=True, max_length=20_000), AfterValidator(_storable)]
Results = Annotated[str, Field(strict=True, max_length=4_000_000), AfterValidator(_storable)]


def _one_of(values: Sequence[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in values:
            raise ValueError("not one of the known values")
        return value

    return check


class ReviewRow(NamedTuple):
    uid: Uid
    deck_id: Id
    card_id: Id
    reviewed_ms: Event
    mode: Annotated[Choice, AfterValidator(_one_of(MODES))]
    answer: Answer | None
    outcome: Annotated[Choice, AfterValidator(_one_of(OUTCOMES))]
    rating: Rating
    duration_ms: Duration | None
    scheduled: Flag
    # Kept for undo, which never takes back an imported answer: bounded, not read.
    state_before: StateBefore | None


class CardRow(NamedTuple):
    deck_id: Id
    card_id: Id
    memory: Annotated[Memory, AfterValidator(_memory)]
    state: StateNumber
    due_ms: Due
    stability: Stability | None
    difficulty: Difficulty | None
    last_review_ms: Event | None
    reps: Count
    lapses: Count
    introduced_ms: Event | None
    buried_until_ms: Due | None
    suspended: Flag
    leech: Flag
    recognised_ms: Event | None
    recalled_ms: Event | None


_SLUG: Final = re.compile(SLUG_PATTERN)
_TAG: Final = re.compile(TAG_PATTERN)


def _is_tag(item: Any) -> bool:
    return isinstance(item, str) and len(item) <= 60 and _TAG.match(item) is not None


def _is_id(item: Any) -> bool:
    return isinstance(item, str) and len(item) <= 80 and _SLUG.match(item) is not None


class ExamRow(NamedTuple):
    uid: Uid
    taken_ms: Event
    decks: Annotated[ListText, AfterValidator(_json_list(_is_id))]
    tags: Annotated[ListText, AfterValidator(_json_list(_is_tag))]
    score: Score
    max_score: Score
    duration_ms: Duration | None
    results: Annotated[Results, AfterValidator(_json_list(lambda r: isinstance(r, dict)))]


def _score_within(row: ExamRow) -> ExamRow:
    if row.score > row.max_score:
        raise ValueError("score above the maximum")
    return row


ROWS: Final[dict[str, Any]] = {
    "reviews": ReviewRow,
    "cards": CardRow,
    "exams": Annotated[ExamRow, AfterValidator(_score_within)],
}

ALLOWED: Final = {
    "uid": N_("1 to 64 letters, digits, - or _"),
    "deck_id": N_("a deck id: lowercase letters, digits and single hyphens (80 at most)"),
    "card_id": N_("a card id: lowercase letters, digits and single hyphens (80 at most)"),
    "reviewed_ms": N_("a time in milliseconds between 2000-01-01 and tomorrow"),
    "taken_ms": N_("a time in milliseconds between 2000-01-01 and tomorrow"),
    "last_review_ms": N_("a time in milliseconds between 2000-01-01 and tomorrow, or null"),
    "introduced_ms": N_("a time in milliseconds between 2000-01-01 and tomorrow, or null"),
    "recognised_ms": N_("a time in milliseconds between 2000-01-01 and tomorrow, or null"),
    "recalled_ms": N_("a time in milliseconds between 2000-01-01 and tomorrow, or null"),
    "due_ms": N_("a time in milliseconds between 2000-01-01 and 100 years from now"),
    "buried_until_ms": N_(
        "a time in milliseconds between 2000-01-01 and 100 years from now, or null"
    ),
    "mode": N_("one of {values}"),
    "outcome": N_("one of {values}"),
    "answer": N_(
        "text of at most 10,000 characters (no NUL character, no unpaired surrogate), or null"
    ),
    "rating": N_("a whole number from 1 to 4"),
    "duration_ms": N_("a whole number of milliseconds from 0 to 86,400,000 (a day), or null"),
    "scheduled": N_("0 or 1"),
    "suspended": N_("0 or 1"),
    "leech": N_("0 or 1"),
    "state_before": N_("text of at most 16,000 characters, or null"),
    "memory": N_("a card state as py-fsrs writes it (JSON text)"),
    "state": N_("1, 2 or 3 (learning, review, relearning)"),
    "stability": N_("a number from 0 to 1,000,000, or null"),
    "difficulty": N_("a number from 1 to 10, or null"),
    "reps": N_("a whole number from 0 to 1,000,000"),
    "lapses": N_("a whole number from 0 to 1,000,000"),
    "decks": N_("a JSON list of deck ids, as text"),
    "tags": N_("a JSON list of tags, as text"),
    "results": N_("a JSON list of objects, as text (4 MB at most)"),
    "score": N_("a number from 0 to the row's max_score"),
    "max_score": N_("a number from 0 to 10,000"),
}
VALUES: Final = {"mode": ", ".join(MODES), "outcome": ", ".join(OUTCOMES)}


@cache
def _adapter(table: str) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[ROWS[table]])  # type: ignore[valid-type]


def check_rows(table: str, rows: list[list[Any]], now: datetime) -> list[RowProblem]:
    """Every bad value in ``rows`` of ``table`` (``reviews``, ``cards`` or ``exams``,
    columns in the export's order), in order; [] when all are good."""
    try:
        _adapter(table).validate_python(rows, context={"now_ms": to_ms(now)})
    except ValidationError as error:
        return [_problem(table, rows, found) for found in error.errors(include_url=False)]
    return []


def _problem(table: str, rows: list[list[Any]], error: Any) -> RowProblem:
    loc = error["loc"]
    index = loc[0] if loc and isinstance(loc[0], int) else 0
    fields = _fields(table)
    value = error.get("input")
    if len(loc) > 1:
        column = fields[loc[1]] if isinstance(loc[1], int) else str(loc[1])
    elif table == "exams" and error["type"] == "value_error":  # the row's own check
        column = "score"
        value = rows[index][fields.index(column)]
    else:
        column = "row"
    return RowProblem(table, index + 1, column, _shorten(value), ALLOWED.get(column, ""))


_FIELDS: Final = {
    "reviews": ReviewRow._fields,
    "cards": CardRow._fields,
    "exams": ExamRow._fields,
}


def _fields(table: str) -> tuple[str, ...]:
    return _FIELDS[table]


def _shorten(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate: shown as its escape
        shown = json.dumps(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def describe(problem: RowProblem, translate: Callable[[str], str]) -> str:
    """What ``allowed`` says, in the interface language."""
    return translate(problem.allowed).format(values=VALUES.get(problem.column, ""))


__all__ = ["RowProblem", "check_rows", "describe"]
