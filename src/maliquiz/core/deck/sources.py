"""The teacher's check against the sources: is each answer really in its paragraph?

``maliquiz check --sources DIR`` reads the articles named by each source's ``file`` in
DIR, splits them into paragraphs (the non-empty lines, counted from 1) and warns when a
number, a date or a name in a card's answer cannot be found in the paragraph(s) the card
cites. Forms are compared, not spellings:

* numbers in any written form: ``2 000``, ``2.000``, ``2000``, ``2,5 millions``, and in
  words (``quarante-six``, ``dix``, ``deux``);
* dates at the precision of the key: ``15 novembre 2024``, ``15/11/2024`` or
  ``2024-11-15`` for a day; a day written without its year (``le 29 juin``) takes the
  year of the source, and ``l'année dernière`` / ``l'an dernier`` is the year before it;
* names folded like answers are (case, accents, apostrophes, articles) and found as whole
  words (``Niger`` is not found in ``Nigeria``): the answer must appear, or one of its
  accepted variants together with every capitalised name of the answer (so a variant
  ``Diop`` does not vouch for the answer ``Abdoulaye Traoré``).

What is checked: the answer of text, number and date cards; every gap of a cloze; the
right option(s) of a choice (its figures, and its capitalised words as names).
True/false statements, orders, matches and flashcard backs combine facts from several
places in their own words and are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from maliquiz.core.deck.files import Finding
from maliquiz.core.deck.loader import LoadResult
from maliquiz.core.deck.models import (
    CardBase,
    ChoiceCard,
    ClozeCard,
    DateCard,
    Deck,
    NumberCard,
    TextCard,
)
from maliquiz.core.text.dates import MONTHS_FR, PartialDate, parse_date, parse_iso
from maliquiz.core.text.normalize import loose, normalize
from maliquiz.core.text.numbers import format_number, parse_number
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
_MONTHS = "|".join(normalize(m) for m in MONTHS_FR)
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})(?:er)?\s+({_MONTHS})\b(?:\s+(\d{{4}}))?")
_MONTH_YEAR = re.compile(rf"\b({_MONTHS})\s+(\d{{4}})(?!\d)")
_SLASHED = re.compile(r"(?<![\d/])(?:\d{1,2}/)?\d{1,2}/\d{4}(?!\d)")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4}-\d{2}(?:-\d{2})?)(?!\d)")
# Years written relative to the article's own date.
_RELATIVE_YEAR = re.compile(
    r"\b(?:(?P<last>l'annee derniere|l'an dernier|l'annee passee|l'an passe)"
    r"|(?P<this>cette annee))\b"
)
# Capitalised words that only start a phrase: not names.
_LEADING_WORDS = frozenset(
    "la le les l un une des du de d au aux a en sur apres avant pour par selon".split()  # noqa: SIM905
)
_WORDS = re.compile(r"[^\W\d_][\w-]*")


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
    for match in _SLASHED.finditer(folded):
        parsed = parse_date(match.group(0))
        if parsed:
            found.add(parsed)
    for match in _YEAR.finditer(folded):
        found.add(PartialDate(int(match.group(1))))
    if year is not None:
        for match in _RELATIVE_YEAR.finditer(folded):
            found.add(PartialDate(year - 1 if match.group("last") else year))
    return found


def _date_found(key: PartialDate, found: set[PartialDate]) -> bool:
    return any(
        d.year == key.year
        and (key.month is None or d.month == key.month)
        and (key.day is None or d.day == key.day)
        for d in found
    )


def _contains(needle: str, haystack: str) -> bool:
    """``needle`` stands in ``haystack`` as whole words."""
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def _name_found(forms: Iterable[str], text: str) -> bool:
    folded, lenient = normalize(text), loose(text)
    return any(
        _contains(normalize(form), folded) or _contains(loose(form), lenient) for form in forms
    )


def _text_answer_found(card: TextCard, text: str) -> bool:
    """The answer as written, or (other word order, other spelling) an accepted form,
    provided every capitalised name of the answer itself stands in the text: a variant
    must not vouch for an answer that says something else (answer "Abdoulaye Traoré"
    with the variant "Diop")."""
    if _name_found([card.answer], text):
        return True
    return _name_found(card.accept, text) and all(
        _name_found([name], text) for name in names_in(card.answer)
    )


def _year_or_number_found(value: Decimal, text: str, year: int | None) -> bool:
    """A figure of an answer: in the text as a number, or, for a year, as a date."""
    if value in numbers_in(text):
        return True
    return (
        value == value.to_integral_value()
        and 1000 <= value <= 2999
        and _date_found(PartialDate(int(value)), dates_in(text, year))
    )


def names_in(option: str) -> list[str]:
    """The capitalised words of a phrase (``Burkina``, ``Faso``, ``ONU`` in
    ``Burkina Faso et l'ONU``), without a capitalised word that only opens it (``La``)."""
    words = _WORDS.findall(option.replace("’", "'"))
    return [
        word
        for i, word in enumerate(words)
        if word[0].isupper() and not (i == 0 and normalize(word) in _LEADING_WORDS)
    ]


def _shown(value: Decimal) -> str:
    """A figure as a reader wrote it: a year stays ``2020``, not ``2 020``."""
    if value == value.to_integral_value() and 1000 <= value <= 2999:
        return str(int(value))
    return format_number(value)


def _figures_in(option: str) -> list[Decimal]:
    found = []
    for match in _NUMERAL.finditer(normalize(option)):
        parsed = parse_number(match.group(0))
        if parsed is not None:
            found.append(parsed.value)
    return found


@dataclass(frozen=True)
class _Problem:
    loc: tuple[str | int, ...]
    message: str


def _check_value(value: str, text: str, year: int | None) -> bool:
    """A cloze gap: a number, a date, or words to find."""
    number = parse_number(value)
    if number is not None and re.fullmatch(r"[\d\s.,]+", value.strip()):
        return _year_or_number_found(number.value, text, year)
    date = parse_date(value)
    if date is not None:
        return _date_found(date, dates_in(text, year))
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
        if not _text_answer_found(card, text):
            return [
                _Problem(
                    where, _("“{name}” is not in the cited paragraph").format(name=card.answer)
                )
            ]
    elif isinstance(card, ChoiceCard):
        for option in card.answers:
            for figure in _figures_in(option):
                if not _year_or_number_found(figure, text, year):
                    return [
                        _Problem(
                            where,
                            _("the number {value} is not in the cited paragraph").format(
                                value=_shown(figure)
                            ),
                        )
                    ]
            for name in names_in(option):
                if not _name_found([name], text):
                    return [
                        _Problem(
                            where, _("“{name}” is not in the cited paragraph").format(name=name)
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
            articles[source.id] = paragraphs(path.read_text(encoding="utf-8-sig"))
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
        cited_source = deck.source(card.source.ref)
        year = (
            cited_source.partial_date.year if cited_source and cited_source.partial_date else None
        )
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
