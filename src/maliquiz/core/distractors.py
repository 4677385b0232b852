"""Options for asking a text, number or date card as multiple choice.

A new card is first asked as a choice among the key and three distractors drawn from
its deck; the rules keep the choice a test of memory rather than of guessing:

* names: other answers of the deck of the same kind (people with people, countries
  with countries), the card's confusables first; never an accepted variant of the key;
* numbers: a ladder of ratios around the key with the key's rank drawn uniformly, so
  the middle option is not always right; distractors keep the key's roundness
  (17 557 → 14 557, 21 557; 2 000 → 1 500, 3 000) and are never inside the card's
  tolerance (they would be right too); shown in increasing order;
* years, months, days: small offsets at the key's precision, the key's rank uniform,
  never after today's year (the decks are about past events); shown in time order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from maliquiz.core.dates import PartialDate, format_date
from maliquiz.core.deck import (
    CardBase,
    DateCard,
    Deck,
    NumberCard,
    TextCard,
)
from maliquiz.core.normalize import loose
from maliquiz.core.numbers import format_number, number_matches

# Ratios for the options below and above the key; the key's rank picks how many of
# each are used.
_LADDER_DOWN = (Decimal("0.75"), Decimal("0.5"), Decimal("0.3"), Decimal("0.2"))
_LADDER_UP = (Decimal("1.3"), Decimal("1.6"), Decimal("2"), Decimal("3"))


@dataclass(frozen=True)
class ChoiceQuestion:
    """The options to show and which one is right."""

    options: tuple[str, ...]
    correct: int
    kind: str


def make_choices(
    card: CardBase,
    deck: Deck,
    rng: random.Random,
    n_options: int = 4,
    *,
    today: date | None = None,
) -> ChoiceQuestion | None:
    """Options for ``card``, or None when it cannot fairly be asked as a choice."""
    if isinstance(card, TextCard):
        return _names(card, deck, rng, n_options)
    if isinstance(card, NumberCard):
        return _numbers(card, rng, n_options)
    if isinstance(card, DateCard):
        return _dates(card.date, rng, n_options, today or date.today())
    return None


def _names(card: TextCard, deck: Deck, rng: random.Random, n: int) -> ChoiceQuestion | None:
    excluded = {loose(v) for v in (card.answer, *card.accept)}
    pool: list[str] = []
    seen = set(excluded)

    def add(name: str) -> None:
        folded = loose(name)
        if folded and folded not in seen:
            seen.add(folded)
            pool.append(name)

    confusables = list(card.confusables)
    rng.shuffle(confusables)
    for name in confusables:
        add(name)
    same_kind = [
        other.answer
        for other in deck.cards
        if isinstance(other, TextCard) and other.kind == card.kind and other.id != card.id
    ]
    rng.shuffle(same_kind)
    for name in same_kind:
        add(name)
    if len(pool) < n - 1:
        return None
    options = [card.answer, *pool[: n - 1]]
    rng.shuffle(options)
    return ChoiceQuestion(tuple(options), options.index(card.answer), "name")


def _step(value: Decimal) -> Decimal:
    """The roundness of ``value``: the largest power of ten dividing it (at least 1)."""
    if value != value.to_integral_value() or value == 0:
        return Decimal(1)
    step = Decimal(1)
    while value % (step * 10) == 0:
        step *= 10
    return step


def _numbers(card: NumberCard, rng: random.Random, n: int) -> ChoiceQuestion | None:
    key = card.value
    if key <= 0:
        return None
    step = _step(key)
    below = rng.randrange(n)  # how many options fall below the key: a uniform rank
    tolerance = card.tolerance_value

    def acceptable(value: Decimal) -> bool:
        return value > 0 and not number_matches(
            value,
            key,
            tolerance=tolerance[0] if tolerance and not tolerance[1] else None,
            tolerance_pct=tolerance[0] if tolerance and tolerance[1] else None,
            low=card.min_value,
            high=card.max_value,
        )

    def shaped(value: Decimal) -> Decimal:
        # Keep the key's ending: 17 557 → 14 557 rather than 13 167.
        if step >= 10 or key < 100:
            rounded = (value / step).to_integral_value() * step
        else:
            tail = key % 1000 if key >= 1000 else key % 100
            base = Decimal(1000) if key >= 1000 else Decimal(100)
            rounded = (value / base).to_integral_value() * base + tail
        return rounded

    lows = [shaped(key * r) for r in _LADDER_DOWN]
    highs = [shaped(key * r) for r in _LADDER_UP]
    chosen: list[Decimal] = []
    for value in lows[:below]:
        if acceptable(value) and value not in chosen and value != key:
            chosen.append(value)
    for value in highs:
        if len(chosen) >= n - 1:
            break
        if acceptable(value) and value not in chosen and value != key:
            chosen.append(value)
    for value in lows[below:]:
        if len(chosen) >= n - 1:
            break
        if acceptable(value) and value not in chosen and value != key:
            chosen.append(value)
    # Small keys (1, 2, 3...) round their ratios back onto the key: fill with the
    # nearest steps, alternating above and below.
    for offset in range(1, 4 * n):
        if len(chosen) >= n - 1:
            break
        for value in (key + offset * step, key - offset * step):
            if len(chosen) < n - 1 and acceptable(value) and value not in chosen:
                chosen.append(value)
    if len(chosen) < n - 1:
        return None
    values = sorted([key, *chosen[: n - 1]])
    options = tuple(format_number(v, card.unit) for v in values)
    return ChoiceQuestion(options, values.index(key), "number")


def _dates(key: PartialDate, rng: random.Random, n: int, today: date) -> ChoiceQuestion | None:
    now = (today.year, today.month, today.day)

    def allowed(value: PartialDate) -> bool:
        start = (value.year, value.month or 1, value.day or 1)
        return value == key or start <= now

    # The key's rank among the options is uniform over the ranks that keep every
    # option in the past.
    feasible = [
        rank
        for rank in range(n)
        if all(allowed(_shift(key, offset)) for offset in range(-rank, n - rank))
    ]
    if not feasible:
        return None
    rank = rng.choice(feasible)
    values = [_shift(key, offset) for offset in range(-rank, n - rank)]
    options = tuple(format_date(v) for v in values)
    return ChoiceQuestion(options, rank, "date")


def _order(value: PartialDate) -> tuple[int, int, int]:
    return value.year, value.month or 0, value.day or 0


def _shift(key: PartialDate, offset: int) -> PartialDate:
    """The date ``offset`` steps from ``key`` at its precision: years for a year,
    months for a month, and for a day, days 3 apart (close days are too easy to
    confuse with the right one by a slip)."""
    if key.month is None:
        return PartialDate(key.year + offset)
    if key.day is None:
        months = key.year * 12 + key.month - 1 + offset
        return PartialDate(months // 12, months % 12 + 1)
    ordinal = date(key.year, key.month, key.day).toordinal() + offset * 3
    shifted = date.fromordinal(ordinal)
    return PartialDate(shifted.year, shifted.month, shifted.day)
