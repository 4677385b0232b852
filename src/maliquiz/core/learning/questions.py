"""How a card is asked and how a response to it is graded as asked.

:func:`present` turns a card into a :class:`Question` (its mode, shuffled options,
distractors for a name, number or date asked as a choice); :func:`grade` checks a
response against the question as it was shown. Both the study session and the exam
ask their cards through here.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from maliquiz.core.answers.checking import check_answer, check_choice_presentation
from maliquiz.core.answers.distractors import make_choices
from maliquiz.core.answers.verdict import Verdict
from maliquiz.core.deck import models
from maliquiz.core.deck.models import CardBase, Deck
from maliquiz.core.learning.queue import QueueKind, Selection, group_by_deck
from maliquiz.core.learning.records import CardRecord
from maliquiz.core.text.dates import format_date


class Mode(StrEnum):
    """How a card is presented and answered."""

    FLASHCARD = "flashcard"
    CHOICE = "choice"
    TYPED = "typed"
    TRUEFALSE = "truefalse"
    ORDER = "order"
    MATCH = "match"
    CLOZE = "cloze"


Response = str | bool | tuple[str, ...] | dict[str, str]
"""What a learner gives: typed text (text, number, date), chosen options (choice),
true/false, items in their order (order), left→right pairs (match), one text per gap
(cloze)."""


@dataclass(frozen=True)
class SourceInfo:
    """One source a card cites, with the paragraphs cited in it, ready to show."""

    title: str
    date: str | None
    paragraphs: tuple[int, ...]
    outlet: str | None = None
    url: str | None = None
    file: str | None = None


@dataclass(frozen=True)
class Question:
    """One card as it is being asked."""

    deck: Deck
    card: CardBase
    mode: Mode
    kind: QueueKind
    number: int
    """Position of this question in the session, from 1."""
    options: tuple[str, ...] = ()
    """CHOICE: the options in display order; ORDER: the items shuffled; MATCH: the
    right-hand side shuffled."""
    correct_options: tuple[str, ...] = ()
    """CHOICE: the right options (for a generated choice, the key's display form)."""

    @property
    def key(self) -> tuple[str, str]:
        """(deck id, card id)."""
        return self.deck.id, self.card.id

    @property
    def prompt(self) -> str:
        """The question's text; a cloze's gaps are blanked, numbered from 1."""
        if isinstance(self.card, models.ClozeCard):
            return self.card.masked("[{n}] ____")
        return self.card.prompt

    @property
    def multiple(self) -> bool:
        """True when more than one option is right."""
        return len(self.correct_options) > 1

    @property
    def lefts(self) -> tuple[str, ...]:
        """MATCH: the left-hand side, in the deck's order."""
        if isinstance(self.card, models.MatchCard):
            return tuple(p.left for p in self.card.pairs)
        return ()

    @property
    def gap_count(self) -> int:
        """CLOZE: how many gaps to fill."""
        return len(self.card.gaps) if isinstance(self.card, models.ClozeCard) else 0

    @property
    def unit(self) -> str | None:
        """NUMBER: the unit shown after the answer box."""
        return self.card.unit if isinstance(self.card, models.NumberCard) else None

    @property
    def back(self) -> str | None:
        """FLASHCARD: the back side."""
        return self.card.back if isinstance(self.card, models.FlashCard) else None

    @property
    def sources(self) -> tuple[SourceInfo, ...]:
        """Every source the card cites, resolved against its deck."""
        return sources_info(self.deck, self.card)


def sources_info(deck: Deck, card: CardBase) -> tuple[SourceInfo, ...]:
    """Each source the card cites (one ``{ref, paragraph}`` or a list of them), resolved
    against the deck's list of sources, with the paragraphs cited in it."""
    found = []
    for source, paragraphs in deck.citations(card):
        date = source.partial_date
        found.append(
            SourceInfo(
                title=source.title,
                date=format_date(date) if date else None,
                paragraphs=tuple(paragraphs),
                outlet=source.outlet,
                url=source.url,
                file=source.file,
            )
        )
    return tuple(found)


def card_matches_tags(deck: Deck, card: CardBase, tags: Iterable[str]) -> bool:
    """True when the card (or its deck) carries one of ``tags`` (or no tag is asked)."""
    wanted = {t.casefold() for t in tags}
    return not wanted or any(t.casefold() in wanted for t in deck.card_tags(card))


def select_cards(
    decks: Sequence[Deck], tags: Sequence[str], only: Iterable[tuple[str, str]] | None
) -> tuple[list[tuple[str, str]], Selection]:
    """The (deck id, card id) pairs of ``decks`` carrying one of ``tags`` (any card when
    none) and among ``only`` (when given), in deck order, and the same grouped by deck:
    a whole deck is its own index of cards (nothing to build for 10,000 cards)."""
    if not tags and only is None:
        pairs = [(deck.id, card_id) for deck in decks for card_id in deck.cards_by_id]
        return pairs, {deck.id: deck.cards_by_id for deck in decks}
    wanted = None if only is None else set(only)
    pairs = [
        (deck.id, card.id)
        for deck in decks
        for card in deck.cards
        if card_matches_tags(deck, card, tags) and (wanted is None or (deck.id, card.id) in wanted)
    ]
    return pairs, group_by_deck(pairs)


def asks_typed(
    record: CardRecord | None, now: datetime, typed_after: timedelta, *, recall_failed: bool
) -> bool:
    """Whether a text, number or date card is asked typed rather than as a choice.

    Typed when ``typed_after`` is zero; else as a choice until the learner has picked
    the right option once (recognition) or typed the answer right once (a card typed
    while ``typed_after`` was zero, or brought in from another machine), typed from then
    on, except that a typed answer that failed in this session sends it back to a choice
    for as long as the first of those is younger than ``typed_after``.
    """
    if typed_after <= timedelta(0):
        return True
    known = [at for at in (record.recognised, record.recalled) if at] if record else []
    if not known:
        return False
    return not recall_failed or now - min(known) >= typed_after


def present(
    deck: Deck,
    card: CardBase,
    kind: QueueKind,
    number: int,
    *,
    rng: random.Random,
    typed: bool,
    today: date | None = None,
) -> Question:
    """Decide how to ask ``card``: its own presentation, or for text, number and date
    cards, typed recall when ``typed`` is set and multiple choice otherwise."""
    if isinstance(card, models.FlashCard):
        return Question(deck, card, Mode.FLASHCARD, kind, number)
    if isinstance(card, models.ChoiceCard):
        options = list(card.options)
        if card.shuffle:
            rng.shuffle(options)
        return Question(deck, card, Mode.CHOICE, kind, number, tuple(options), tuple(card.answers))
    if isinstance(card, models.TrueFalseCard):
        return Question(deck, card, Mode.TRUEFALSE, kind, number)
    if isinstance(card, models.OrderCard):
        return Question(deck, card, Mode.ORDER, kind, number, _shuffled(card.items, rng))
    if isinstance(card, models.MatchCard):
        rights = _shuffled([p.right for p in card.pairs], rng)
        return Question(deck, card, Mode.MATCH, kind, number, rights)
    if isinstance(card, models.ClozeCard):
        return Question(deck, card, Mode.CLOZE, kind, number)
    if isinstance(card, models.TextCard | models.NumberCard | models.DateCard) and not typed:
        choice = make_choices(card, deck, rng, today=today)
        if choice is not None:
            right = choice.options[choice.correct]
            return Question(deck, card, Mode.CHOICE, kind, number, choice.options, (right,))
    return Question(deck, card, Mode.TYPED, kind, number)


def grade(question: Question, response: Response, *, others: Sequence[str] = ()) -> Verdict:
    """Check a response to a question as it was asked: a name, number or date asked as
    a choice is graded on the option chosen."""
    if question.mode == Mode.CHOICE and not isinstance(question.card, models.ChoiceCard):
        chosen = response if isinstance(response, tuple) else (str(response),)
        return check_choice_presentation(chosen, question.correct_options)
    return check_answer(question.card, response, others=others)


def _shuffled(items: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    """``items`` in a random order that differs from the given one when it can."""
    shuffled = list(items)
    for _ in range(10):
        rng.shuffle(shuffled)
        if shuffled != list(items):
            break
    return tuple(shuffled)


def deck_names(deck: Deck) -> tuple[str, ...]:
    """Every text answer of the deck: a typed name closer to another of these than to
    the key is not accepted as a typo of the key."""
    names: list[str] = []
    for card in deck.cards:
        if isinstance(card, models.TextCard):
            names.append(card.answer)
            names.extend(card.accept)
    return tuple(dict.fromkeys(names))


def empty_response(question: Question) -> Response:
    """The response of a learner who gave none (graded wrong)."""
    if question.mode in (Mode.TYPED,):
        return ""
    if question.mode == Mode.TRUEFALSE:
        return not bool(getattr(question.card, "answer", True))
    if question.mode == Mode.MATCH:
        return {}
    if question.mode == Mode.CLOZE:
        return tuple("" for _ in range(question.gap_count))
    if question.mode == Mode.ORDER:
        return question.options
    return ()


def response_text(response: Response | None) -> str | None:
    """The answer as one line of text for the review log."""
    if response is None:
        return None
    if isinstance(response, bool):
        return "true" if response else "false"
    if isinstance(response, str):
        return response
    if isinstance(response, dict):
        return " | ".join(f"{k} → {v}" for k, v in response.items())
    return " | ".join(response)
