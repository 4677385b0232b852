"""The teacher's check against the sources: is each answer really in its paragraph?

``maliquiz check --sources DIR`` reads the articles named by each source's ``file`` in
DIR, splits them into paragraphs (the non-empty lines, counted from 1) and warns when a
number, a date or a name in a card's answer cannot be found in the paragraph(s) the card
cites. Forms are compared, not spellings:

* numbers in any written form: ``2 000``, ``2.000``, ``2000``, ``2,5 millions``, and in
  words (``quarante-six``, ``dix``, ``deux``);
* dates at the precision of the key: ``15 novembre 2024`` or ``2024-11-15`` for a day;
  a day written without its year (``le 29 juin``) takes the year of the source;
* names folded like answers are (case, accents, apostrophes, articles): the answer or
  one of its accepted variants must appear.

Text, number, date and cloze cards are checked; the others paraphrase their facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from maliquiz.core.dates import MONTHS_FR, PartialDate, parse_date, parse_iso
from maliquiz.core.deck import (
    CardBase,
    ClozeCard,
    DateCard,
    Deck,
    NumberCard,
    TextCard,
)
from maliquiz.core.loader import Finding, LoadResult
from maliquiz.core.normalize import loose, normalize
from maliquiz.core.numbers import format_number, parse_number
from maliquiz.i18n import _

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
    "mille": 1000,
}  # fmt: skip
_NUMERAL = re.compile(
    r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?(?:\s+(?:millions?|milliards?|mille))?"
    r"|\d+(?:,\d+)?(?:\s+(?:millions?|milliards?|mille))?"
)
_WORD = re.compile(r"[a-z]+")
_DAY_MONTH = re.compile(
    r"(\d{1,2})(?:er)?\s+(" + "|".join(normalize(m) for m in MONTHS_FR) + r")(?:\s+(\d{4}))?"
)
_MONTH_YEAR = re.compile(r"(" + "|".join(normalize(m) for m in MONTHS_FR) + r")\s+(\d{4})")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4}-\d{2}(?:-\d{2})?)(?!\d)")


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of an article, in order (paragraph n is item n - 1)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in ``text``, in figures or in French words."""
    folded = normalize(text)
    found: set[Decimal] = set()
    for match in _NUMERAL.finditer(folded):
        for form in {match.group(0), match.group(0).split(" m")[0]}:
            # Both "2,5 millions" and its "2,5": a cloze may blank the figure alone.
            parsed = parse_number(form)
            if parsed is not None:
                found.add(parsed.value)
    found.update(_word_numbers(folded))
    return found


def _word_numbers(folded: str) -> Iterable[Decimal]:
    """Numbers written in words: runs like ``quarante-six``, ``dix``, ``deux mille``."""
    words = _WORD.findall(folded.replace("-", " "))
    total, current, in_number = 0, 0, False
    for word in [*words, ""]:
        value = _UNITS.get(word)
        if value is None and word == "et" and in_number:
            continue
        if value is None:
            if in_number:
                yield Decimal(total + current)
            total, current, in_number = 0, 0, False
            continue
        in_number = True
        if value == 1000:
            total += max(current, 1) * 1000
            current = 0
        elif value == 100:
            current = max(current, 1) * 100
        else:
            current += value


def dates_in(text: str, year: int | None) -> set[PartialDate]:
    """Every date written in ``text`` at the precision written; a day and month without
    a year take ``year`` (the source's)."""
    folded = normalize(text)
    found: set[PartialDate] = set()
    for match in _ISO.finditer(folded):
        parsed = parse_iso(match.group(1))
        if parsed:
            found.add(parsed)
    for match in _DAY_MONTH.finditer(folded):
        day, month, written_year = match.groups()
        full = f"{day} {month} {written_year or year or ''}".strip()
        parsed = parse_date(full)
        if parsed:
            found.add(parsed)
    for match in _MONTH_YEAR.finditer(folded):
        parsed = parse_date(match.group(0))
        if parsed:
            found.add(parsed)
    for match in _YEAR.finditer(folded):
        found.add(PartialDate(int(match.group(1))))
    return found


def _date_found(key: PartialDate, found: set[PartialDate]) -> bool:
    return any(
        d.year == key.year
        and (key.month is None or d.month == key.month)
        and (key.day is None or d.day == key.day)
        for d in found
    )


def _name_found(forms: Iterable[str], text: str) -> bool:
    folded, lenient = normalize(text), loose(text)
    return any(
        normalize(form) in folded or (loose(form) and loose(form) in lenient) for form in forms
    )


@dataclass(frozen=True)
class _Problem:
    loc: tuple[str | int, ...]
    message: str


def _check_value(value: str, text: str, year: int | None) -> bool:
    """A cloze gap or a name: a number, a date, or words to find."""
    number = parse_number(value)
    if number is not None and re.fullmatch(r"[\d\s.,]+", value.strip()):
        return number.value in numbers_in(text)
    return _name_found([value], text)


def _card_problems(card: CardBase, index: int, text: str, year: int | None) -> list[_Problem]:
    where: tuple[str | int, ...] = ("cards", index, "answer")
    if isinstance(card, NumberCard):
        if card.value not in numbers_in(text):
            return [
                _Problem(
                    where,
                    _("the number {value} is not in the cited paragraph").format(
                        value=format_number(card.value)
                    ),
                )
            ]
    elif isinstance(card, DateCard):
        if not _date_found(card.date, dates_in(text, year)):
            return [
                _Problem(
                    where,
                    _("the date {date} is not in the cited paragraph").format(date=card.answer),
                )
            ]
    elif isinstance(card, TextCard):
        if not _name_found([card.answer, *card.accept], text):
            return [
                _Problem(
                    where, _("“{name}” is not in the cited paragraph").format(name=card.answer)
                )
            ]
    elif isinstance(card, ClozeCard):
        missing = [g[0] for g in card.gaps if not any(_check_value(v, text, year) for v in g)]
        if missing:
            return [
                _Problem(
                    ("cards", index, "prompt"),
                    _("the gap “{gap}” is not in the cited paragraph").format(gap=missing[0]),
                )
            ]
    return []


def check_sources(result: LoadResult, folder: Path) -> list[Finding]:
    """Warnings for the answers of ``result``'s deck not found in their sources."""
    deck: Deck | None = result.deck
    if deck is None:
        return []
    findings: list[Finding] = []
    articles: dict[str, list[str] | None] = {}
    for i, source in enumerate(deck.sources):
        if source.file is None:
            continue
        path = folder / source.file
        try:
            articles[source.id] = paragraphs(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            articles[source.id] = None
            findings.append(
                Finding(
                    result.path,
                    *result.position("sources", i, "file"),
                    "warning",
                    _("cannot read the source file {path}").format(path=path),
                )
            )
    for index, card in enumerate(deck.cards):
        if card.source is None or card.source.ref not in articles:
            continue
        article = articles[card.source.ref]
        if article is None:
            continue
        cited = card.source.paragraphs
        beyond = [n for n in cited if n > len(article)]
        if beyond:
            findings.append(
                Finding(
                    result.path,
                    *result.position("cards", index, "source", "paragraph"),
                    "warning",
                    _("paragraph {n} does not exist: the article has {count}").format(
                        n=beyond[0], count=len(article)
                    ),
                )
            )
            continue
        text = "\n".join(article[n - 1] for n in cited) if cited else "\n".join(article)
        source = deck.source(card.source.ref)
        year = source.partial_date.year if source and source.partial_date else None
        for problem in _card_problems(card, index, text, year):
            findings.append(
                Finding(
                    result.path,
                    *result.position(*problem.loc),
                    "warning",
                    problem.message,
                    _("check the answer or the paragraph cited"),
                )
            )
    return findings
