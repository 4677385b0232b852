"""The teacher's check against the sources: does each card say only what its paragraphs say?

``maliquiz check --sources DIR`` reads the articles named by each source's ``file`` in
DIR, splits them into paragraphs (the non-empty lines, counted from 1) and warns, at the
string concerned, when a card states something that none of the paragraphs it cites
(every ``{ref, paragraph}`` of its ``source``, taken together) contains. Forms are
compared, not spellings:

* numbers in any written form: ``2 000``, ``2.000``, ``2000``, ``2,5 millions``, and in
  words (``quarante-six``, ``dix``, ``deux``);
* dates at the precision written: ``15 novembre 2024``, ``15/11/2024`` or ``2024-11-15``
  for a day; a day written without its year (``le 29 juin``) takes the year of the
  source, ``l'année dernière`` / ``l'an dernier`` is the year before it, and the cited
  article's own date always counts as found;
* names folded like answers are (case, accents, apostrophes, articles) and found as whole
  words (``Niger`` is not found in ``Nigeria``).

The answer is checked whole: a text card's answer must appear, or one of its accepted
variants together with every capitalised name of the answer (so a variant ``Diop`` does
not vouch for the answer ``Abdoulaye Traoré``); a number or a date card's key, every gap
of a cloze and the right option(s) of a choice (their figures and capitalised words).
Every other string is read for the numbers, dates and names it states
(:func:`~maliquiz.core.deck.mentions.mentions_in`): the prompt (a true/false statement
included), the explanation, a flashcard's back, accepted variants, a unit, the items of
an order and both sides of each pair of a match. The wrong options of a choice and a
text card's ``confusables`` are wrong on purpose and are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from maliquiz.core.deck import models
from maliquiz.core.deck.files import Finding
from maliquiz.core.deck.loader import LoadResult
from maliquiz.core.deck.mentions import (
    NUMERAL,
    Folded,
    Mention,
    country_found,
    date_found,
    dates_in,
    mentions_in,
    names_in,
    numbers_in,
    paragraphs,
    subject_names,
    used_as_names,
)
from maliquiz.core.deck.models import CardBase, Deck
from maliquiz.core.text.dates import PartialDate, parse_date
from maliquiz.core.text.normalize import is_acronym, normalize
from maliquiz.core.text.numbers import format_number, parse_number
from maliquiz.core.text.untrusted import UntrustedFileError, read_text
from maliquiz.i18n import _

__all__ = ["check_sources", "dates_in", "names_in", "numbers_in", "paragraphs"]

Loc = tuple[str | int, ...]


@dataclass
class Cited:
    """The text of every paragraph a card cites, with the dates of their articles."""

    parts: list[tuple[str, PartialDate | None]] = field(default_factory=list)
    subjects: set[str] = field(default_factory=set)
    """The folded names that the cited articles are about (see ``subject_names``)."""

    @cached_property
    def text(self) -> str:
        return "\n".join(text for text, _date in self.parts)

    @cached_property
    def numbers(self) -> set[Decimal]:
        return numbers_in(self.text)

    @cached_property
    def dates(self) -> set[PartialDate]:
        found: set[PartialDate] = set()
        for text, date in self.parts:
            found |= dates_in(text, date.year if date else None)
        return found

    @cached_property
    def own_dates(self) -> list[PartialDate]:
        """The cited articles' own dates: a card may always say when it was written."""
        return [date for _text, date in self.parts if date is not None]

    def has_date(self, key: PartialDate, *, own: bool = False) -> bool:
        if date_found(key, self.dates):
            return True
        return own and any(_within(key, date) for date in self.own_dates)

    def has_figure(self, value: Decimal, *, own: bool = False) -> bool:
        """A figure: in the text as a number, or, for a year, as a date."""
        if value in self.numbers:
            return True
        return (
            value == value.to_integral_value()
            and 1000 <= value <= 2999
            and self.has_date(PartialDate(int(value)), own=own)
        )

    @cached_property
    def folded(self) -> Folded:
        return Folded(self.text)

    def has_name(self, *forms: str) -> bool:
        return self.folded.has(forms)


def _within(key: PartialDate, date: PartialDate) -> bool:
    """``key`` names the same period as ``date``, at the precision both give."""
    return (
        key.year in (0, date.year)
        and (key.month is None or date.month in (None, key.month))
        and (key.day is None or date.day in (None, key.day))
    )


def _shown(value: Decimal) -> str:
    """A figure as a reader wrote it: a year stays ``2020``, not ``2 020``."""
    if value == value.to_integral_value() and 1000 <= value <= 2999:
        return str(int(value))
    return format_number(value)


def _figures_in(option: str) -> list[Decimal]:
    found = []
    for match in NUMERAL.finditer(normalize(option)):
        parsed = parse_number(match.group(0))
        if parsed is not None:
            found.append(parsed.value)
    return found


@dataclass(frozen=True)
class _Problem:
    loc: Loc
    message: str
    hint: str | None = None


def _gap_found(value: str, cited: Cited) -> bool:
    """A cloze gap: a number, a date, or words to find."""
    number = parse_number(value)
    if number is not None and re.fullmatch(r"[\d\s.,]+", value.strip()):
        return cited.has_figure(number.value)
    date = parse_date(value)
    if date is not None:
        return cited.has_date(date)
    return cited.has_name(value)


def _text_answer_found(card: models.TextCard, cited: Cited) -> bool:
    """The answer as written, or (other word order, other spelling) an accepted form,
    provided every capitalised name of the answer itself stands in the text: a variant
    must not vouch for an answer that says something else (answer "Abdoulaye Traoré"
    with the variant "Diop")."""
    if cited.has_name(card.answer):
        return True
    return cited.has_name(*card.accept) and all(
        cited.has_name(name) for name in names_in(card.answer)
    )


def _answer_problems(card: CardBase, index: int, cited: Cited) -> Iterator[_Problem]:
    """The key of the card, checked whole."""
    where: Loc = ("cards", index, "answer")
    if isinstance(card, models.NumberCard):
        if card.value not in cited.numbers:
            yield _Problem(
                where,
                _("the number {value} is not in the cited paragraph").format(
                    value=format_number(card.value)
                ),
            )
    elif isinstance(card, models.DateCard):
        if not cited.has_date(card.date):
            yield _Problem(
                where, _("the date {date} is not in the cited paragraph").format(date=card.answer)
            )
    elif isinstance(card, models.TextCard):
        if not _text_answer_found(card, cited):
            yield _Problem(
                where, _("“{name}” is not in the cited paragraph").format(name=card.answer)
            )
    elif isinstance(card, models.ChoiceCard):
        yield from _choice_problems(card, where, cited)
    elif isinstance(card, models.ClozeCard):
        missing = [g[0] for g in card.gaps if not any(_gap_found(v, cited) for v in g)]
        if missing:
            yield _Problem(
                ("cards", index, "prompt"),
                _("the gap “{gap}” is not in the cited paragraph").format(gap=missing[0]),
            )


def _choice_problems(card: models.ChoiceCard, where: Loc, cited: Cited) -> Iterator[_Problem]:
    for option in card.answers:
        for figure in _figures_in(option):
            if not cited.has_figure(figure):
                yield _Problem(
                    where,
                    _("the number {value} is not in the cited paragraph").format(
                        value=_shown(figure)
                    ),
                )
                return
        for name in names_in(option):
            if not cited.has_name(name):
                yield _Problem(where, _("“{name}” is not in the cited paragraph").format(name=name))
                return


def card_strings(card: CardBase, index: int) -> Iterator[tuple[Loc, str]]:
    """Every string of ``card`` that states something, with its place in the deck file,
    except the key that :func:`_answer_problems` checks whole and the options and
    confusables that are wrong on purpose."""
    at: Loc = ("cards", index)
    if isinstance(card, models.ClozeCard):
        yield (*at, "prompt"), card.masked(" ")  # the gaps are checked as answers
    else:
        yield (*at, "prompt"), card.prompt
    if card.explanation:
        yield (*at, "explanation"), card.explanation
    if isinstance(card, models.FlashCard):
        yield (*at, "back"), card.back
    elif isinstance(card, models.TextCard):
        for i, variant in enumerate(card.accept):
            yield (*at, "accept", i), variant
    elif isinstance(card, models.NumberCard) and card.unit:
        yield (*at, "unit"), card.unit
    elif isinstance(card, models.OrderCard):
        for i, item in enumerate(card.items):
            yield (*at, "items", i), item
    elif isinstance(card, models.MatchCard):
        for i, pair in enumerate(card.pairs):
            yield (*at, "pairs", i, "left"), pair.left
            yield (*at, "pairs", i, "right"), pair.right


def _mention_missing(mention: Mention, cited: Cited) -> bool:
    if mention.kind == "date":
        assert mention.date is not None
        return not cited.has_date(mention.date, own=True)
    if mention.kind == "number":
        assert mention.number is not None
        return not cited.has_figure(mention.number, own=True)
    return not cited.has_name(mention.shown) and not all(
        normalize(word) in cited.subjects
        or cited.has_name(word)
        or country_found(word, cited.folded.folded)
        for word in mention.words
    )


def _variant_missing(mention: Mention, cited: Cited, articles: Folded) -> bool:
    """An accepted variant is another way to write the answer, not a claim of its own:
    its names may be short forms (acronyms) or stand anywhere in the deck's articles."""
    if mention.kind != "name":
        return _mention_missing(mention, cited)
    return not is_acronym(mention.shown) and not articles.has([mention.shown])


@dataclass
class _Articles:
    """The deck's articles as read from the folder, and what is known of them."""

    by_ref: dict[str, list[str] | None]

    @cached_property
    def names(self) -> frozenset[str]:
        return used_as_names(p for article in self.by_ref.values() for p in article or ())

    @cached_property
    def subjects(self) -> dict[str, frozenset[str]]:
        return {ref: subject_names(tuple(a), self.names) for ref, a in self.by_ref.items() if a}

    @cached_property
    def text(self) -> Folded:
        return Folded("\n".join(p for article in self.by_ref.values() for p in article or ()))


def _string_problems(
    card: CardBase, index: int, cited: Cited, articles: _Articles
) -> Iterator[_Problem]:
    """The numbers, dates and names of every string of the card that no cited paragraph
    holds; each is reported once per string."""
    hint = _("cite every paragraph the card draws on, or correct the string")
    for loc, text in card_strings(card, index):
        seen: set[str] = set()
        variant = "accept" in loc
        for mention in mentions_in(text, articles.names):
            key = normalize(mention.shown)
            if key in seen:
                continue
            if variant and not _variant_missing(mention, cited, articles.text):
                continue
            if not variant and not _mention_missing(mention, cited):
                continue
            seen.add(key)
            if mention.kind == "number":
                message = _("the number {value} is in none of the cited paragraphs")
            elif mention.kind == "date":
                message = _("the date “{value}” is in none of the cited paragraphs")
            else:
                message = _("the name “{value}” is in none of the cited paragraphs")
            yield _Problem(loc, message.format(value=mention.shown), hint)


def _read_articles(
    deck: Deck, result: LoadResult, folder: Path, findings: list[Finding]
) -> dict[str, list[str] | None]:
    articles: dict[str, list[str] | None] = {}
    for i, source in enumerate(deck.sources):
        if source.file is None:
            continue
        path = folder / source.file
        try:
            articles[source.id] = paragraphs(read_text(path))
        except (OSError, UntrustedFileError):  # missing, too large, binary, not UTF-8
            articles[source.id] = None
            findings.append(
                Finding(
                    result.path,
                    *result.position("sources", i, "file"),
                    "warning",
                    _("cannot read the source file {path}").format(path=path),
                )
            )
    return articles


def _cited(
    deck: Deck,
    card: CardBase,
    index: int,
    articles: _Articles,
) -> tuple[Cited | None, list[_Problem]]:
    """The paragraphs ``card`` cites, or None when one of its articles cannot be read
    (nothing can be said then); and the citations of paragraphs that do not exist."""
    cited = Cited()
    problems: list[_Problem] = []
    listed = isinstance(card.source, list)
    for j, ref in enumerate(card.sources):
        article = articles.by_ref.get(ref.ref)
        source = deck.source(ref.ref)
        if article is None or source is None:
            return None, problems
        beyond = [n for n in ref.paragraphs if n > len(article)]
        if beyond:
            loc: Loc = ("cards", index, "source", *((j,) if listed else ()), "paragraph")
            problems.append(
                _Problem(
                    loc,
                    _("paragraph {n} does not exist: the article has {count}").format(
                        n=beyond[0], count=len(article)
                    ),
                )
            )
            continue
        cited.subjects |= articles.subjects.get(ref.ref, frozenset())
        numbers = ref.paragraphs or range(1, len(article) + 1)
        for n in numbers:
            cited.parts.append((article[n - 1], source.partial_date))
    return (None if problems else cited), problems


def check_sources(result: LoadResult, folder: Path) -> list[Finding]:
    """Warnings for what ``result``'s deck states and its sources do not."""
    deck: Deck | None = result.deck
    if deck is None:
        return []
    findings: list[Finding] = []
    articles = _Articles(_read_articles(deck, result, folder, findings))
    for index, card in enumerate(deck.cards):
        if not card.sources:
            continue
        cited, problems = _cited(deck, card, index, articles)
        if cited is not None:
            problems += [
                *_answer_problems(card, index, cited),
                *_string_problems(card, index, cited, articles),
            ]
        for problem in problems:
            findings.append(
                Finding(
                    result.path,
                    *result.position(*problem.loc),
                    "warning",
                    problem.message,
                    problem.hint or _("check the answer or the paragraph cited"),
                )
            )
    findings.sort(key=lambda f: (f.line, f.col))
    return findings
