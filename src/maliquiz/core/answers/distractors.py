"""Options for asking a card as multiple choice, drawn from its deck.

A new text, number or date card is first asked as a choice among the key and a few
distractors; later it is asked as typed recall. The rules keep the choice a test of
memory rather than of guessing (see "Distractors for multiple choice" in the notes):

* names: the card's confusables first, then the answers of the deck's other text
  cards of the same kind, then those cards' confusables; never the key under another
  form (an accepted variant, a card that shares a variant with the key, or a spelling
  that typed recall would grade as the key), and never two forms of one name. Shown
  in random order. The kind ``other`` is not a class, so its cards get only
  confusables.
* numbers: a geometric ladder around the key, one ratio per question, with the key's
  rank drawn uniformly; every option keeps the key's roundness (see :func:`_grid`),
  is positive and lies outside the card's tolerance or range (it would be right too).
  Shown in increasing order.
* dates: at the key's precision, a ladder of neighbouring years, months of the same
  year or days of the same month (the options differ in the unit asked), with the
  key's rank uniform; never after today for an event that already happened. Shown in
  time order.

A card that cannot get at least three options (or ``n_options``, when fewer) is asked
typed instead: :func:`make_choices` returns None.
"""

from __future__ import annotations

import math
import random
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

from maliquiz.core.answers.textmatch import MatchKind, match_text
from maliquiz.core.deck.models import (
    CardBase,
    ChoiceCard,
    DateCard,
    Deck,
    EntityKind,
    NumberCard,
    TextCard,
)
from maliquiz.core.text.dates import PartialDate, Precision, format_date
from maliquiz.core.text.normalize import loose
from maliquiz.core.text.numbers import format_number, number_matches

T = TypeVar("T")

MIN_OPTIONS = 3
"""Fewest options worth asking: below this a choice is a coin toss."""

# The ratio between neighbouring number options. Wide enough that rounding to the
# key's roundness keeps them apart, narrow enough that every option stays plausible;
# drawn per question so the spacing says nothing about where the key is.
_RATIO_MIN = 1.25
_RATIO_MAX = 1.5
_MAX_RUNGS = 40

# Spacings, in days, between options for a date known to the day: a few days, or a
# week (events are often remembered by their weekday).
_DAY_SPACINGS = (2, 3, 7)


@dataclass(frozen=True)
class ChoiceQuestion:
    """The options to show, in display order, and the index of the right one.

    ``kind`` says what the options are: ``"name"``, ``"number"``, ``"date"`` or
    ``"choice"`` (a choice card's own options).
    """

    options: tuple[str, ...]
    correct: int
    kind: str

    def __post_init__(self) -> None:
        if not 0 <= self.correct < len(self.options):
            raise ValueError(f"correct index {self.correct} outside {len(self.options)} options")

    @property
    def answer(self) -> str:
        """The right option as displayed."""
        return self.options[self.correct]


def make_choices(
    card: CardBase,
    deck: Deck,
    rng: random.Random,
    n_options: int = 4,
    *,
    today: date | None = None,
) -> ChoiceQuestion | None:
    """Options for asking ``card`` as multiple choice, or None when it cannot fairly be.

    Text, number and date cards get ``n_options`` options when the deck allows it, at
    least three otherwise, or None (the session then asks the card typed). A choice
    card gets its own options, shuffled unless it says not to; None when it has several
    right options (one index cannot say so). Other card types have their own
    presentation: None. ``today`` (default: the system date) bounds the dates offered
    for past events; ``rng`` makes every draw reproducible.
    """
    if n_options < 2:
        raise ValueError("a choice needs at least two options")
    if isinstance(card, TextCard):
        return _names(card, deck, rng, n_options)
    if isinstance(card, NumberCard):
        return _numbers(card, rng, n_options)
    if isinstance(card, DateCard):
        return _dates(card.date, rng, n_options, today or date.today())
    if isinstance(card, ChoiceCard):
        return _own_options(card, rng)
    return None


def _sizes(n_options: int) -> range:
    """Option counts to try, the wanted one first, down to the floor."""
    return range(n_options, min(n_options, MIN_OPTIONS) - 1, -1)


# --- names -------------------------------------------------------------------------


def _forms(card: TextCard) -> set[str]:
    return {f for f in (loose(card.answer), *(loose(a) for a in card.accept)) if f}


@dataclass
class _NameIndex:
    """A deck's text cards with their folded forms, computed once per deck: folding
    every name of a 10,000-card deck for each question would cost a third of a second."""

    forms: dict[str, set[str]]
    """Card id → the folded forms of its answer and variants."""
    owners: dict[str, list[TextCard]]
    """Folded form → the cards that name it."""
    by_kind: dict[EntityKind, list[TextCard]]


_INDEXES: dict[int, tuple[weakref.ref[Deck], _NameIndex]] = {}
"""Each deck's name index, kept as long as the deck lives (a session over ten decks
of 10,000 cards asks them in turn: a cache of the last few rebuilt an index at nearly
every question)."""


def _index(deck: Deck) -> _NameIndex:
    """The deck's name index, built at its first question."""
    cached = _INDEXES.get(id(deck))
    if cached is not None and cached[0]() is deck:
        return cached[1]
    forms: dict[str, set[str]] = {}
    owners: dict[str, list[TextCard]] = {}
    by_kind: dict[EntityKind, list[TextCard]] = {}
    for card in deck.cards:
        if isinstance(card, TextCard):
            forms[card.id] = _forms(card)
            for form in forms[card.id]:
                owners.setdefault(form, []).append(card)
            by_kind.setdefault(card.kind, []).append(card)
    index = _NameIndex(forms, owners, by_kind)
    # Dropped when the deck goes (the id of a dead deck may be given to a new one).
    key = id(deck)
    _INDEXES[key] = (weakref.ref(deck, lambda _gone: _INDEXES.pop(key, None)), index)
    return index


def _random_order(items: Sequence[T], rng: random.Random) -> Iterator[T]:
    """``items`` in a random order drawn one at a time, as a shuffle would give them
    (a shuffle stopped early): an option needs a few names of a kind, and shuffling all
    10,000 of a deck's names cost most of a question's time."""
    pool = list(items)
    for i in range(len(pool)):
        j = rng.randrange(i, len(pool))
        pool[i], pool[j] = pool[j], pool[i]
        yield pool[i]


class _Replayed(Generic[T]):
    """An iterator read again from its start by each loop over it, advancing it only
    past what was already read (two tiers walk the same random order)."""

    def __init__(self, source: Iterator[T]) -> None:
        self._source, self._read = source, list[T]()

    def __iter__(self) -> Iterator[T]:
        yield from self._read  # a loop stops reading as soon as it has enough
        for item in self._source:
            self._read.append(item)
            yield item


def _key_forms(card: TextCard, index: _NameIndex) -> set[str]:
    """Every folded form that names the key: its own, and those of any card that shares
    one of them (two cards about one person name her the same way somewhere)."""
    forms = set(index.forms.get(card.id) or _forms(card))
    todo = list(forms)
    while todo:
        for other in index.owners.get(todo.pop(), ()):
            for form in index.forms[other.id] - forms:
                forms.add(form)
                todo.append(form)
    return forms


def _names(card: TextCard, deck: Deck, rng: random.Random, n: int) -> ChoiceQuestion | None:
    index = _index(deck)
    # "other" gathers whatever fits no kind: its answers are not of one class.
    same_kind = _Replayed(
        c
        for c in _random_order(
            index.by_kind.get(card.kind, ()) if card.kind != EntityKind.OTHER else (), rng
        )
        if c.id != card.id
    )
    confusables = list(card.confusables)
    rng.shuffle(confusables)
    # Tiers in order of trust: the teacher's own confusables, names the deck asks for
    # under this kind, then what those cards say is confusable with them. Each tier is
    # read lazily, in a random order, until enough options are found.
    tiers: list[Iterable[tuple[str, set[str]]]] = [
        ((name, {loose(name)}) for name in confusables),
        ((other.answer, index.forms[other.id]) for other in same_kind),
        ((name, {loose(name)}) for other in same_kind for name in other.confusables),
    ]
    seen = _key_forms(card, index)
    pool: list[str] = []
    for tier in tiers:
        if len(pool) >= n - 1:
            break  # before reading the tier: a tier read lazily walks the deck's names
        for display, forms in tier:
            if not forms or not all(forms) or forms & seen or _passes_as_key(display, card):
                continue
            seen |= forms  # one form per name: "Goïta" and "Assimi Goïta" are one option
            pool.append(display)
            if len(pool) >= n - 1:
                break
    for size in _sizes(n):
        if len(pool) >= size - 1:
            options = [card.answer, *pool[: size - 1]]
            rng.shuffle(options)
            return ChoiceQuestion(tuple(options), options.index(card.answer), "name")
    return None


def _passes_as_key(name: str, card: TextCard) -> bool:
    """Whether typed recall would accept ``name`` for the key (as the key or a typo of
    it): offered as an option, it would be a second right answer."""
    return match_text(name, card.answer, card.accept, card.confusables).kind != MatchKind.WRONG


# --- numbers -----------------------------------------------------------------------


def _grid(key: Decimal, n: int) -> tuple[Decimal, Decimal]:
    """The key's roundness as ``(grid, tail)``: options are ``tail`` plus a multiple of
    ``grid``.

    With two or more significant digits the options keep everything below the two
    leading digits (17 557 → 14 557, 23 557; 15 000 → 11 000, 20 000; 2,5 → 1,9).
    A key with one significant digit keeps its power of ten when there is room for the
    other options below it (5 000 → 3 000, 4 000); otherwise the grid is halved, then
    divided by five (2 000 → 1 500, 2 500; 10 → 6, 8, 12), because otherwise 1 000 or 10
    would always be the smallest option. An integer key never gets decimal options.
    """
    normal = key.normalize()
    last = int(normal.as_tuple().exponent)
    lead = normal.adjusted()
    if lead > last:
        grid = Decimal(10) ** max(last, lead - 1)
        return grid, key % grid
    step = Decimal(10) ** last
    mantissa = int(key / step)
    grid = step / 10
    for divisor in (1, 2, 5):
        if mantissa * divisor >= n:
            grid = step / divisor
            break
    if key == key.to_integral_value():
        grid = max(grid, Decimal(1))
    return grid, Decimal(0)


def _finer(step: Decimal) -> Decimal:
    """The next round step below ``step`` in the 1, 2, 5 series (1 000 → 500 → 200)."""
    leading = step.scaleb(-step.adjusted())
    return step * Decimal("0.4") if leading == 5 else step / 2


def _ratio_clear_of_tolerance(card: NumberCard, key: Decimal) -> float:
    """The smallest ratio whose first options above and below the key are outside the
    card's tolerance or range; a side with no room (a 100 % tolerance) is ignored, the
    options then all fall on the other side."""
    up = down = 1.0
    k = float(key)
    low, high, tolerance = card.min_value, card.max_value, card.tolerance_value
    if low is not None or high is not None:
        up = float(high) / k if high is not None else 1.0
        down = k / float(low) if low is not None and low > 0 else math.inf
    elif tolerance is not None:
        amount, percent = tolerance
        margin = float(amount) / 100 if percent else float(amount) / k
        up = 1 + margin
        down = 1 / (1 - margin) if margin < 1 else math.inf
    return max(r for r in (up, down, 1.0) if math.isfinite(r))


def _numbers(card: NumberCard, rng: random.Random, n: int) -> ChoiceQuestion | None:
    key = card.value
    if key <= 0:
        return None  # no negatives among options, and no ladder of ratios around 0
    grid, tail = _grid(key, n)
    integral = key == key.to_integral_value()
    clear = _ratio_clear_of_tolerance(card, key)
    # One ratio per question: the same spacing on both sides of the key, so neither the
    # gaps nor the key's place among the options gives it away. The 10 % margin keeps
    # rounding from pulling the first rung back inside the tolerance.
    low = max(_RATIO_MIN, clear * 1.1)
    ratio = Decimal(str(round(rng.uniform(low, max(_RATIO_MAX, low * 1.2)), 3)))
    tolerance = card.tolerance_value

    def right_too(value: Decimal) -> bool:
        return number_matches(
            value,
            key,
            tolerance=tolerance[0] if tolerance and not tolerance[1] else None,
            tolerance_pct=tolerance[0] if tolerance and tolerance[1] else None,
            low=card.min_value,
            high=card.max_value,
        )

    def shaped(value: Decimal, rounding: str) -> Decimal:
        # Far below the key its grid is too coarse (1 000 → 200 → 0): use the next
        # round step there, keeping as much of the tail as fits (17 557 → 1 457).
        step, rest = grid, tail
        while value < 2 * step:
            finer = _finer(step)
            if integral and finer < 1:
                break
            step, rest = finer, tail % finer
        units = ((value - rest) / step).to_integral_value(rounding=rounding)
        return units * step + rest

    def rungs(up: bool) -> list[Decimal]:
        found: list[Decimal] = []
        for i in range(1, _MAX_RUNGS):
            raw = key * ratio**i if up else key / ratio**i
            value = shaped(raw, ROUND_HALF_UP)
            if right_too(value):
                # Rounding pulled it back inside the tolerance: round away from the key.
                value = shaped(raw, ROUND_CEILING if up else ROUND_FLOOR)
            if value <= 0 or value == key or value in found or right_too(value):
                continue  # small keys round several rungs onto one value: go further
            found.append(value)
            if len(found) == n - 1:
                break
        return found

    below, above = rungs(up=False), rungs(up=True)
    for size in _sizes(n):
        # Ranks for which there are enough options on each side; the key's rank is
        # drawn uniformly among them (all of them, unless the key is near 0).
        ranks = [r for r in range(size) if r <= len(below) and size - 1 - r <= len(above)]
        if ranks:
            rank = rng.choice(ranks)
            values = [*reversed(below[:rank]), key, *above[: size - 1 - rank]]
            options = tuple(format_number(v, card.unit) for v in values)
            return ChoiceQuestion(options, rank, "number")
    return None


# --- dates -------------------------------------------------------------------------

Ladder = Callable[[int], PartialDate | None]
"""The option ``i`` steps from the key (negative: earlier), or None if it does not
exist (30 February)."""


def _partial(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    if not 1 <= year <= 9999:
        return None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def _ladders(key: PartialDate) -> list[Ladder]:
    """The ways to space options at the key's precision, each monotone in time. The
    options differ only in the unit the question asks: other years for a year, other
    months of the same year for a month, other days of the same month for a day (a
    learner who knows the month must still know the day)."""
    if key.precision is Precision.YEAR:
        return [lambda i: _partial(key.year + i)]
    assert key.month is not None
    month = key.month
    if key.precision is Precision.MONTH:
        return [lambda i: _partial(key.year, month + i) if 1 <= month + i <= 12 else None]
    assert key.day is not None
    start = date(key.year, month, key.day)

    def days_apart(spacing: int) -> Ladder:
        def ladder(i: int) -> PartialDate | None:
            shifted = start + timedelta(days=i * spacing)
            if (shifted.year, shifted.month) != (key.year, month):
                return None
            return PartialDate(shifted.year, shifted.month, shifted.day)

        return ladder

    return [days_apart(spacing) for spacing in _DAY_SPACINGS]


def _dates(key: PartialDate, rng: random.Random, n: int, today: date) -> ChoiceQuestion | None:
    def when(value: PartialDate) -> tuple[int, int, int]:
        return value.year, value.month or 0, value.day or 0

    # Compare at the key's precision: this year, this month are not in the future.
    now = when(
        PartialDate(
            today.year,
            today.month if key.month is not None else None,
            today.day if key.day is not None else None,
        )
    )
    # A key after today is a planned event: its options need no bound.
    bounded = when(key) <= now
    ladders = _ladders(key)
    for size in _sizes(n):
        feasible: list[tuple[Ladder, list[int]]] = []
        for ladder in ladders:
            ranks = [
                rank
                for rank in range(size)
                if _fits(ladder, range(-rank, size - rank), bounded, now, when)
            ]
            if ranks:
                feasible.append((ladder, ranks))
        if feasible:
            ladder, ranks = rng.choice(feasible)
            rank = rng.choice(ranks)
            values = [ladder(i) for i in range(-rank, size - rank)]
            options = tuple(format_date(v) for v in values if v is not None)
            return ChoiceQuestion(options, rank, "date")
    return None


def _fits(
    ladder: Ladder,
    offsets: Iterable[int],
    bounded: bool,
    now: tuple[int, int, int],
    when: Callable[[PartialDate], tuple[int, int, int]],
) -> bool:
    for offset in offsets:
        value = ladder(offset)
        if value is None or (bounded and when(value) > now):
            return False
    return True


# --- choice cards ------------------------------------------------------------------


def _own_options(card: ChoiceCard, rng: random.Random) -> ChoiceQuestion | None:
    if len(card.answers) != 1:
        return None
    options = list(card.options)
    if card.shuffle:
        rng.shuffle(options)
    return ChoiceQuestion(tuple(options), options.index(card.answers[0]), "choice")
