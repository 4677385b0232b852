"""Answers given away: the text shown for one card naming the answer of another.

A learner who reads "Selon l'article de juin 2023, ..." and is then asked "en quelle
année ... ?" has been handed the answer. This module finds such pairs: what each card
shows when it is asked (its prompt, its options, items or pairs) against the forms of
every other card's answer (a name and its accepted variants, a number, a date in the
ways it is commonly written, the gaps of a cloze).

The study session uses it to ask a card before the cards that would reveal it, and to
hold a card back to another day once its answer has been on screen; ``maliquiz check``
uses it to warn about such pairs in a deck that are not in one ``group``.

Matching is by whole words on folded text (no accents, lower case, digit groups
joined: ``2 000`` and ``2.000`` are ``2000``), so "Wane" is not found inside
"Swanee". Answers that would match by accident are left out: true/false, order and
match cards (their answer is an arrangement), numbers of one digit, names shorter than
three letters.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from itertools import chain
from typing import Any, Generic, NamedTuple, TypeVar

from maliquiz.core.deck.models import (
    CardBase,
    ChoiceCard,
    ClozeCard,
    DateCard,
    Deck,
    MatchCard,
    NumberCard,
    OrderCard,
    TextCard,
)
from maliquiz.core.text.dates import MONTHS_FR, PartialDate
from maliquiz.core.text.normalize import normalize

K = TypeVar("K", bound=Hashable)

_DIGIT_GROUP = re.compile(r"(?<=\d)[ .](?=\d{3}(?!\d))")
_WORD = re.compile(r"\w+")
_NOTHING: frozenset[Any] = frozenset()


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` (digit groups joined into one number)."""
    return tuple(_WORD.findall(_DIGIT_GROUP.sub("", normalize(text))))


def _date_forms(value: PartialDate) -> list[str]:
    if value.month is None:
        return [str(value.year)]
    month = MONTHS_FR[value.month - 1]
    if value.day is None:
        return [
            f"{month} {value.year}",
            f"{value.month}/{value.year}",
            f"{value.month:02d}/{value.year}",
        ]
    day = "1er" if value.day == 1 else str(value.day)
    return [
        f"{day} {month}",
        f"{value.day} {month}",
        f"{value.day}/{value.month}/{value.year}",
        f"{value.day:02d}/{value.month:02d}/{value.year}",
        value.iso(),
    ]


def answer_forms(card: CardBase) -> list[tuple[str, ...]]:
    """The word sequences whose presence in a text gives away ``card``'s answer."""
    texts: list[str] = []
    if isinstance(card, TextCard):
        texts = [card.answer, *card.accept]
    elif isinstance(card, NumberCard):
        value = card.value
        if value == value.to_integral_value():
            texts = [str(int(value))] if abs(value) >= 10 else []
        else:
            texts = [format(value.normalize(), "f").replace(".", ",")]
    elif isinstance(card, DateCard):
        texts = _date_forms(card.date)
    elif isinstance(card, ChoiceCard):
        texts = list(card.answers)
    elif isinstance(card, ClozeCard):
        texts = [variant for gap in card.gaps for variant in gap]
    forms = [words(text) for text in texts]
    return list(dict.fromkeys(f for f in forms if f and sum(map(len, f)) >= 3))


class Shown(NamedTuple):
    """What the learner reads when a card is asked, before answering: statements (the
    prompt, a cloze with its gaps blanked, the items to order, the pairs to match) and
    options to choose among."""

    statements: tuple[str, ...]
    options: tuple[str, ...] = ()


def shown_texts(card: CardBase) -> Shown:
    """What asking ``card`` shows (options drawn at presentation time come on top)."""
    if isinstance(card, ClozeCard):
        return Shown((card.masked(),))
    if isinstance(card, ChoiceCard):
        return Shown((card.prompt,), tuple(card.options))
    if isinstance(card, OrderCard):
        return Shown((card.prompt, *card.items))
    if isinstance(card, MatchCard):
        sides = (side for pair in card.pairs for side in (pair.left, pair.right))
        return Shown((card.prompt, *sides))
    return Shown((card.prompt,))


class GiveawayIndex(Generic[K]):
    """The answer forms of some cards, so that finding which of thousands of answers a
    text names costs, at each word of the text, a look-up per length of the forms that
    start with that word, whatever the number of cards.

    The right option of a choice card is given away by a statement naming it, not by the
    same words among the options of another question: a question that offers "jeudi"
    among four days does not tell which day another question's answer is."""

    def __init__(self, cards: Iterable[tuple[K, CardBase]] = ()) -> None:
        # Each form kept whole, and under its first word the lengths of the forms that
        # start with it: at each word of a text, one look-up per such length, however
        # many answers share that first word (100,000 answers "Personne ..." made every
        # text with "personne" in it compare with all of them).
        self._forms: dict[tuple[str, ...], list[tuple[K, bool]]] = {}
        self._lengths: dict[str, list[int]] = {}
        # What each text already read names: the options, items and pairs of a deck's
        # cards repeat (the same four names offered again and again).
        self._named: dict[str, tuple[AbstractSet[K], AbstractSet[K]]] = {}
        self.add(cards)

    def add(self, cards: Iterable[tuple[K, CardBase]]) -> None:
        """Index more cards."""
        forms = self._forms
        for key, card in cards:
            by_statement_only = isinstance(card, ChoiceCard)
            for form in answer_forms(card):
                keys = forms.get(form)
                if keys is None:
                    keys = forms[form] = []
                    lengths = self._lengths.setdefault(form[0], [])
                    if len(form) not in lengths:
                        lengths.append(len(form))
                keys.append((key, by_statement_only))
        self._named.clear()

    def revealed_by(self, statements: Sequence[str], options: Sequence[str] = ()) -> set[K]:
        """The keys of the cards whose answer the statements or options name."""
        found: set[K] = set()
        for text, is_option in chain(
            ((t, False) for t in statements), ((t, True) for t in options)
        ):
            named = self._named.get(text)
            if named is None:
                named = self._named[text] = self._naming(text)
            found |= named[1] if is_option else named[0]
        return found

    def _naming(self, text: str) -> tuple[AbstractSet[K], AbstractSet[K]]:
        """The cards whose answer ``text`` names as a statement, and as an option."""
        seq = words(text)
        as_statement: set[K] = set()
        as_option: set[K] = set()
        for start, word in enumerate(seq):
            for length in self._lengths.get(word, ()):
                keys = self._forms.get(seq[start : start + length])
                if keys is None:
                    continue
                for key, by_statement_only in keys:
                    as_statement.add(key)
                    if not by_statement_only:
                        as_option.add(key)
        if not as_statement:  # most texts: one shared empty answer
            return _NOTHING, _NOTHING
        return as_statement, as_option


def deck_giveaways(deck: Deck) -> list[tuple[CardBase, CardBase]]:
    """Pairs ``(shown, revealed)`` of one deck where asking ``shown`` puts the answer of
    ``revealed`` on screen, leaving out cards of one group (never asked the same day)."""
    index = GiveawayIndex((card.id, card) for card in deck.cards)
    pairs: list[tuple[CardBase, CardBase]] = []
    for shown in deck.cards:
        for revealed_id in sorted(index.revealed_by(*shown_texts(shown))):
            revealed = deck.card(revealed_id)
            if revealed is None or revealed is shown:
                continue
            if shown.group is not None and shown.group == revealed.group:
                continue
            pairs.append((shown, revealed))
    return pairs
