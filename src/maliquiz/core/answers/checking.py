"""Grading an answer to a card: the one place that decides right or wrong.

:func:`check_answer` takes a card and the learner's response and returns a
:class:`~maliquiz.core.answers.verdict.Verdict`. Responses by card type: text, number and
date → the typed ``str``; choice → a tuple of the chosen options; true/false → a
``bool``; order → the items as the learner ordered them; match → a dict from each
left-hand item to the right-hand item chosen; cloze → one ``str`` per gap.

Partial credit:

* order: the longest run of items in the right relative order (a longest increasing
  subsequence), over the number of items: one item misplaced in five still leaves 4/5
  in order, where counting items "in place" would give 0/5 for a shifted list;
* match: pairs right over pairs;
* cloze: gaps right over gaps (a typo counts as right; a numeric gap takes the number
  in any French form, a gap holding a month or a day takes the date in any form);
* choice with several right options: right ones chosen minus wrong ones chosen, over
  the right ones;
* date: the right year for a key given to the month or day is half right.

An order with at most one item in relative order, a match with no pair right, and a
choice or cloze with nothing right are wrong, not partial. The graders for each type
(:func:`check_choice`, :func:`check_truefalse`, :func:`check_order`,
:func:`check_match`, :func:`check_cloze`) take plain values, not cards, so the exam,
the exports and the tests can call them directly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from typing import Any

from maliquiz.core.answers.textmatch import MatchKind, looks_like_a_name, match_text
from maliquiz.core.answers.verdict import Outcome, PartKind, PartResult, Verdict, diff_parts
from maliquiz.core.deck.models import (
    CardBase,
    ChoiceCard,
    ClozeCard,
    DateCard,
    EntityKind,
    FlashCard,
    MatchCard,
    NumberCard,
    OrderCard,
    TextCard,
    TrueFalseCard,
)
from maliquiz.core.text.dates import (
    DateGrade,
    format_date,
    grade_date,
    parse_date,
)
from maliquiz.core.text.normalize import normalize
from maliquiz.core.text.numbers import format_number, number_matches, parse_number
from maliquiz.i18n import _


class ResponseTypeError(TypeError):
    """The response does not fit the card's type (a bug in the caller, not the learner)."""


def check_answer(card: CardBase, response: Any, *, others: Sequence[str] = ()) -> Verdict:
    """Grade ``response`` to ``card``; ``others`` are the deck's other names, which a
    typo must not be closer to than to the key."""
    if isinstance(card, TextCard):
        return check_text(card, _text(response), others)
    if isinstance(card, NumberCard):
        return check_number(card, _text(response))
    if isinstance(card, DateCard):
        return check_date(card, _text(response))
    if isinstance(card, ChoiceCard):
        return check_choice(_choices(response), card.answers)
    if isinstance(card, TrueFalseCard):
        return check_truefalse(card.answer, response)
    if isinstance(card, OrderCard):
        return check_order(card.items, _choices(response))
    if isinstance(card, MatchCard):
        return check_match([(p.left, p.right) for p in card.pairs], response)
    if isinstance(card, ClozeCard):
        return check_cloze(card.gaps, _choices(response), card.filled(), others)
    if isinstance(card, FlashCard):
        raise ResponseTypeError("a flashcard is rated by the learner, not checked")
    raise ResponseTypeError(f"no checker for {type(card).__name__}")


def check_choice_presentation(chosen: Sequence[str], correct: Sequence[str]) -> Verdict:
    """Grade a text, number or date card that was asked as multiple choice."""
    return check_choice(tuple(chosen), tuple(correct))


def _text(response: Any) -> str:
    if isinstance(response, str):
        return response
    if isinstance(response, tuple) and len(response) == 1 and isinstance(response[0], str):
        return response[0]
    raise ResponseTypeError(f"expected typed text, got {type(response).__name__}")


def _choices(response: Any) -> tuple[str, ...]:
    if isinstance(response, str):
        return (response,)
    if isinstance(response, list | tuple) and all(isinstance(r, str) for r in response):
        return tuple(response)
    raise ResponseTypeError(f"expected a sequence of texts, got {type(response).__name__}")


def names_a_person(card: TextCard) -> bool:
    """True when the card's answer is a person's name, whose parts may come in any
    order: a card of kind person, or of no kind with an answer written like a name."""
    if card.kind == EntityKind.PERSON:
        return True
    return card.kind == EntityKind.OTHER and looks_like_a_name(card.answer)


def check_text(card: TextCard, typed: str, others: Sequence[str] = ()) -> Verdict:
    """A typed name: exact, a typo of the key or a variant, or wrong; a person's name
    may be typed in another order ("Goïta Assimi"), and is then shown as read."""
    match = match_text(
        typed, card.answer, card.accept, card.confusables, others, any_order=names_a_person(card)
    )
    given = typed.strip()
    read_as = _("read as {answer}").format(answer=match.form) if match.order else None
    if match.kind == MatchKind.EXACT:
        return Verdict(Outcome.CORRECT, card.answer, given, 1.0, read_as=read_as)
    if match.kind == MatchKind.TYPO:
        form = match.form or card.answer
        return Verdict(
            Outcome.TYPO,
            card.answer,
            given,
            1.0,
            _("close to “{form}”").format(form=form) if form != card.answer else None,
            diff_parts(given, match.order or form),
            read_as,
        )
    return Verdict(
        Outcome.WRONG,
        card.answer,
        given,
        0.0,
        None,
        diff_parts(given, card.answer) if given else (),
    )


def _tolerance_text(card: NumberCard) -> str | None:
    tolerance = card.tolerance_value
    if tolerance is not None and tolerance[0]:
        value, percent = tolerance
        shown = f"{format_number(value)} %" if percent else format_number(value, card.unit)
        return _("± {tolerance}").format(tolerance=shown)
    if card.min_value is not None or card.max_value is not None:
        low = format_number(card.min_value) if card.min_value is not None else "…"
        high = format_number(card.max_value) if card.max_value is not None else "…"
        return _("accepted from {low} to {high}").format(low=low, high=high)
    return None


def check_number(card: NumberCard, typed: str) -> Verdict:
    """A number read the French way and compared within the card's tolerance or range."""
    expected = format_number(card.value, card.unit)
    accepted = _tolerance_text(card)
    if accepted:
        expected = f"{expected} ({accepted})"
    given = typed.strip()
    parsed = parse_number(given, words=True)
    if parsed is None:
        detail = _("not read as a number") if given else None
        return Verdict(Outcome.WRONG, expected, given, 0.0, detail)
    tolerance = card.tolerance_value
    right = number_matches(
        parsed.value,
        card.value,
        tolerance=tolerance[0] if tolerance and not tolerance[1] else None,
        tolerance_pct=tolerance[0] if tolerance and tolerance[1] else None,
        low=card.min_value,
        high=card.max_value,
    )
    shown = format_number(parsed.value)
    read_as = _("read as {number}").format(number=shown) if _reads_otherwise(given, shown) else None
    if right:
        # Words, short scales or dots ("mille quatre cents", "2,5 M", "17.557") are
        # shown as read.
        return Verdict(Outcome.CORRECT, expected, given, 1.0, read_as=read_as)
    return Verdict(Outcome.WRONG, expected, given, 0.0, read_as)


def _reads_otherwise(given: str, shown: str) -> bool:
    """Whether ``given`` is written otherwise than ``shown``, the form it was read as
    (spaces, case and accents aside): then the feedback says how it was read."""
    return normalize(given).replace(" ", "") != normalize(shown).replace(" ", "")


def check_date(card: DateCard, typed: str) -> Verdict:
    """A date graded at the precision of the key."""
    key = card.date
    expected = format_date(key)
    given = typed.strip()
    parsed = parse_date(given)
    if parsed is None:
        detail = _("not read as a date") if given else None
        return Verdict(Outcome.WRONG, expected, given, 0.0, detail)
    grade = grade_date(parsed, key)
    # Any other form than the display one ("dix-sept février 2022", "18.08.2020") is
    # shown as read, in the deck's form as the expected answer is.
    shown = format_date(parsed)
    read_as = _("read as {answer}").format(answer=shown) if _reads_otherwise(given, shown) else None
    if grade == DateGrade.RIGHT:
        return Verdict(Outcome.CORRECT, expected, given, 1.0, read_as=read_as)
    if grade == DateGrade.PARTIAL:
        return Verdict(
            Outcome.PARTIAL,
            expected,
            given,
            0.5,
            _("right, but less precise than asked"),
            read_as=read_as,
        )
    # Wrong: how it was read goes in the detail, as for a number.
    return Verdict(Outcome.WRONG, expected, given, 0.0, read_as)


def check_choice(chosen: Sequence[str], answers: Sequence[str]) -> Verdict:
    """Options chosen against the right ones."""
    right, chosen_set = set(answers), set(chosen)
    expected = ", ".join(answers)
    given = ", ".join(chosen)
    if chosen_set == right:
        return Verdict(Outcome.CORRECT, expected, given, 1.0)
    hits = len(chosen_set & right)
    misses = len(chosen_set - right)
    score = max(0, hits - misses) / len(right)
    if len(right) > 1 and 0 < score < 1:
        detail = _("{hits} of {total} right options").format(hits=hits, total=len(right))
        return Verdict(Outcome.PARTIAL, expected, given, score, detail)
    return Verdict(Outcome.WRONG, expected, given, 0.0)


def check_truefalse(answer: bool, response: Any) -> Verdict:
    """True or false: ``response`` against the key ``answer``."""
    if not isinstance(response, bool):
        raise ResponseTypeError("a true/false answer is a bool")
    words = {True: _("True"), False: _("False")}
    right = response == answer
    return Verdict(
        Outcome.CORRECT if right else Outcome.WRONG,
        words[answer],
        words[response],
        1.0 if right else 0.0,
    )


def longest_in_order(positions: Sequence[int]) -> int:
    """Length of the longest increasing subsequence of ``positions``."""
    return len(in_order_indexes(positions))


def in_order_indexes(positions: Sequence[int]) -> set[int]:
    """The indexes of one longest increasing subsequence of ``positions``: the items
    that stand in the right order relative to each other (patience sorting, keeping
    each pile top's predecessor to walk the run back)."""
    tails: list[int] = []  # the index ending the best run of each length
    ends: list[int] = []  # the position at each of those indexes
    before: list[int | None] = [None] * len(positions)
    for index, position in enumerate(positions):
        length = bisect_left(ends, position)
        before[index] = tails[length - 1] if length else None
        if length == len(tails):
            tails.append(index)
            ends.append(position)
        else:
            tails[length] = index
            ends[length] = position
    run: set[int] = set()
    at = tails[-1] if tails else None
    while at is not None:
        run.add(at)
        at = before[at]
    return run


def check_order(items: Sequence[str], given: Sequence[str]) -> Verdict:
    """Items in the learner's order against the right order."""
    expected = " → ".join(items)
    shown = " → ".join(given)
    if sorted(given) != sorted(items):
        raise ResponseTypeError("an order answer must hold each item once")
    rank = {item: n for n, item in enumerate(items)}
    placed = {item: n for n, item in enumerate(given)}
    # An item counts as right when it is in the right order relative to the others that
    # do (the score's longest run), so the marks add up to the score; the others are
    # told where they belong.
    run = in_order_indexes([rank[item] for item in given])
    in_order = len(run)
    if in_order <= 1 < len(items):  # one item alone is in no order: none right, none scored
        run = set()
    parts = tuple(
        PartResult(PartKind.ITEM, item, str(placed[item] + 1), str(n + 1), placed[item] in run)
        for n, item in enumerate(items)
    )
    if list(given) == list(items):
        return Verdict(Outcome.CORRECT, expected, shown, 1.0, parts=parts)
    total = len(items)
    detail = _("{k} of {n} in the right order").format(k=in_order, n=total)
    if in_order <= 1:
        return Verdict(Outcome.WRONG, expected, shown, 0.0, detail, parts=parts)
    return Verdict(Outcome.PARTIAL, expected, shown, in_order / total, detail, parts=parts)


def check_match(pairs: Sequence[tuple[str, str]], response: Any) -> Verdict:
    """Pairs made (a mapping from each left item to the right item chosen) against the
    right ``(left, right)`` pairs; missing pairs count as wrong."""
    if not isinstance(response, Mapping):
        raise ResponseTypeError("a match answer maps each left item to a right item")
    between = _("; ")  # " ; " in French
    expected = between.join(f"{left} → {right}" for left, right in pairs)
    given = between.join(f"{left} → {right}" for left, right in response.items())
    parts = tuple(
        PartResult(
            PartKind.PAIR, left, str(response.get(left) or ""), key, response.get(left) == key
        )
        for left, key in pairs
    )
    right = sum(1 for part in parts if part.right)
    total = len(pairs)
    if right == total:
        return Verdict(Outcome.CORRECT, expected, given, 1.0, parts=parts)
    detail = _("{k} of {n} pairs right").format(k=right, n=total)
    if right == 0:
        return Verdict(Outcome.WRONG, expected, given, 0.0, detail, parts=parts)
    return Verdict(Outcome.PARTIAL, expected, given, right / total, detail, parts=parts)


_NUMERIC_GAP = frozenset("0123456789 .,\u00a0\u202f")


def _gap_right(typed: str, gap: Sequence[str], others: Sequence[str]) -> MatchKind:
    """One gap: a number in any French form for a numeric gap, a date in any form for a
    gap holding a month or a day, otherwise a typed name."""
    key = gap[0].strip()
    if set(key) <= _NUMERIC_GAP and parse_number(key) is not None:
        number = parse_number(typed, words=True)
        keys = {p.value for p in (parse_number(g) for g in gap) if p}
        if number is not None and number.value in keys:
            return MatchKind.EXACT
    key_date = parse_date(key)
    if key_date is not None and key_date.month is not None:
        typed_date = parse_date(typed)
        # A gap is all or nothing: "août 2020" for "1er août 2020" leaves it empty.
        if typed_date is not None and grade_date(typed_date, key_date) == DateGrade.RIGHT:
            return MatchKind.EXACT
    return match_text(typed, gap[0], gap[1:], (), others).kind


def check_cloze(
    gaps: Sequence[Sequence[str]],
    given: Sequence[str],
    expected: str,
    others: Sequence[str] = (),
) -> Verdict:
    """Each gap checked as a typed name (or a number or a date, for such a gap).

    ``gaps`` holds each gap's accepted answers, the display form first; ``expected`` is
    the sentence with its gaps filled, shown to the learner."""
    if len(given) != len(gaps):
        raise ResponseTypeError(f"this cloze has {len(gaps)} gaps, got {len(given)} answers")
    kinds = [_gap_right(typed, gap, others) for typed, gap in zip(given, gaps, strict=True)]
    shown = " | ".join(g.strip() for g in given)
    parts = tuple(
        PartResult(PartKind.GAP, str(n), typed.strip(), gap[0].strip(), kind != MatchKind.WRONG)
        for n, (typed, gap, kind) in enumerate(zip(given, gaps, kinds, strict=True), start=1)
    )
    right = sum(1 for part in parts if part.right)
    total = len(gaps)
    if right == total:
        typo = any(k == MatchKind.TYPO for k in kinds)
        return Verdict(Outcome.TYPO if typo else Outcome.CORRECT, expected, shown, 1.0, parts=parts)
    detail = _("{k} of {n} gaps right").format(k=right, n=total) if total > 1 else None
    if right == 0:
        return Verdict(Outcome.WRONG, expected, shown, 0.0, detail, parts=parts)
    return Verdict(Outcome.PARTIAL, expected, shown, right / total, detail, parts=parts)


def expected_text(card: CardBase) -> str:
    """The right answer of any card, in display form (for lists and exports)."""
    if isinstance(card, TextCard):
        return card.answer
    if isinstance(card, NumberCard):
        return format_number(card.value, card.unit)
    if isinstance(card, DateCard):
        return format_date(card.date)
    if isinstance(card, ChoiceCard):
        return ", ".join(card.answers)
    if isinstance(card, TrueFalseCard):
        return _("True") if card.answer else _("False")
    if isinstance(card, OrderCard):
        return " → ".join(card.items)
    if isinstance(card, MatchCard):
        return _("; ").join(f"{p.left} → {p.right}" for p in card.pairs)
    if isinstance(card, ClozeCard):
        return card.filled()
    if isinstance(card, FlashCard):
        return card.back
    return ""
