"""The numbers, dates and names that a text mentions, for the check against the sources.

An article is read for every form a fact may take (:func:`numbers_in` also reads numbers
in words, :func:`dates_in` a day without its year); a card's string is read for what a
reader would take as a claim (:func:`mentions_in`): numbers written in figures, dates,
and names, which are capitalised words that are not the first word of a sentence (unless
the articles use that word as a name), not capitalised common words, and not a bare
article. Forms are compared folded, as answers are (case, accents, apostrophes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Literal, NamedTuple

from maliquiz.core.text.dates import MONTHS_FR, PartialDate, format_date, parse_date, parse_iso
from maliquiz.core.text.normalize import is_acronym, loose, normalize
from maliquiz.core.text.numbers import parse_number

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
    "mille": 1000,
}  # fmt: skip
_SCALE = r"(?:\s+(?:millions?|milliards?|mille))?"
NUMERAL = re.compile(rf"\d{{1,3}}(?:[ .]\d{{3}})+(?:,\d+)?{_SCALE}|\d+(?:,\d+)?{_SCALE}")
# A figure standing alone: not inside a word (`G5`, `1er`, `2e`) nor another number.
_FIGURE = re.compile(rf"(?<![\w.,])(?:{NUMERAL.pattern})(?!\w|[.,]\d)")
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
LEADING_WORDS = frozenset(
    "la le les l un une des du de d au aux a en sur apres avant pour par selon".split()  # noqa: SIM905
)
# Common words that French writes with a capital inside a sentence: no name of their own.
# An NGO, the Casques bleus and the ministries (Défense, Affaires étrangères) are common
# nouns too.
_COMMON_CAPITALISED = frozenset(
    "etat etats m mme mm mr dr st ste vrai faux nord sud est ouest centre ong defense casques "  # noqa: SIM905
    "affaires".split()
)
_WORDS = re.compile(r"[^\W\d_][\w-]*")
# Where a sentence starts again: its first word is capitalised whatever it is. The dot
# of an initial (`M. Diop`, `J. Heappey`) ends no sentence.
_SENTENCE_START = re.compile(r"(?:^|(?<!\b\w)[.!?…]|[:«»\"“”(\[—–]|\s-|^\s*date \S+)\s*$")
# A paragraph number, not a fact: "paragraphe 3", "§ 3 et 4".
_PARAGRAPH_NUMBER = re.compile(r"(?:paragraphes?|§|para\.)\s*(?:\d+\s*(?:,|et)\s*)*$")

Kind = Literal["number", "date", "name"]


class Mention(NamedTuple):
    """A number, date or name that a string of a card states."""

    kind: Kind
    shown: str
    """As written in the string."""
    number: Decimal | None = None
    date: PartialDate | None = None
    """A day written without its year has year 0."""
    start: int = 0
    """Where a name starts in the string."""

    @property
    def words(self) -> list[str]:
        """A name's words, each of which must be found."""
        return self.shown.split()


def _date_shown(date: PartialDate) -> str:
    if date.year:
        return format_date(date)
    return format_date(PartialDate(2000, date.month, date.day)).removesuffix(" 2000")


@lru_cache(maxsize=64)
def subject_names(article: tuple[str, ...], names: frozenset[str] = frozenset()) -> frozenset[str]:
    """What ``article`` (its paragraphs) is about: the folded names of its first paragraph
    that come back in at least a third of its paragraphs (``mali`` in every article on
    Mali). Any card citing the article may name them."""
    if not article:
        return frozenset()
    counts: dict[str, int] = {}
    for paragraph in article:
        for key in {normalize(m.shown) for m in mentions_in(paragraph, names) if m.kind == "name"}:
            counts[key] = counts.get(key, 0) + 1
    lede = {normalize(m.shown) for m in mentions_in(article[0], names) if m.kind == "name"}
    return frozenset(k for k in lede if counts.get(k, 0) * 3 >= len(article))


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of an article, in order (paragraph n is item n - 1)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in ``text``, in figures or in French words."""
    folded = normalize(text)
    found: set[Decimal] = set()
    for match in NUMERAL.finditer(folded):
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


def _dates_with_spans(folded: str, year: int | None) -> list[tuple[PartialDate, range]]:
    """Each date of a folded text with the characters it spans; a day and month without
    a year take ``year`` (0 when it is unknown)."""
    found: list[tuple[PartialDate, range]] = []
    for match in _ISO.finditer(folded):
        parsed = parse_iso(match.group(1))
        if parsed:
            found.append((parsed, range(*match.span())))
    for match in _DAY_MONTH.finditer(folded):
        day, month, written_year = match.groups()
        parsed = parse_date(f"{day} {month} {written_year or year or 2000}")
        if parsed:
            if not written_year and not year:
                parsed = PartialDate(0, parsed.month, parsed.day)
            found.append((parsed, range(*match.span())))
    for regex in (_MONTH_YEAR, _SLASHED):
        for match in regex.finditer(folded):
            parsed = parse_date(match.group(0))
            if parsed:
                found.append((parsed, range(*match.span())))
    for match in _YEAR.finditer(folded):
        found.append((PartialDate(int(match.group(1))), range(*match.span())))
    return found


def dates_in(text: str, year: int | None) -> set[PartialDate]:
    """Every date written in ``text`` at the precision written; a day and month without
    a year take ``year`` (the source's)."""
    folded = normalize(text)
    found = {date for date, _span in _dates_with_spans(folded, year) if date.year}
    if year is not None:
        for match in _RELATIVE_YEAR.finditer(folded):
            found.add(PartialDate(year - 1 if match.group("last") else year))
    return found


def date_found(key: PartialDate, found: Iterable[PartialDate]) -> bool:
    """``key`` stands among ``found`` at its own precision (year 0: any year)."""
    return any(
        (key.year == 0 or d.year == key.year)
        and (key.month is None or d.month == key.month)
        and (key.day is None or d.day == key.day)
        for d in found
    )


def contains(needle: str, haystack: str) -> bool:
    """``needle`` stands in ``haystack`` as whole words."""
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


class Folded:
    """A text folded once for the many names looked up in it."""

    def __init__(self, text: str) -> None:
        self.text, self.folded, self.lenient = text, normalize(text), loose(text)

    def has(self, forms: Iterable[str]) -> bool:
        """One of ``forms`` stands in the text as whole words, folded as answers are."""
        return any(
            contains(normalize(form), self.folded) or contains(loose(form), self.lenient)
            for form in forms
        )


def name_found(forms: Iterable[str], text: str) -> bool:
    """One of ``forms`` stands in ``text`` as whole words, folded as answers are."""
    return Folded(text).has(forms)


# Countries the articles often name by their adjective: "le déploiement français".
_ADJECTIVES = {
    "france": "francais", "mali": "malien", "russie": "russe", "royaume-uni": "britannique",
    "etats-unis": "americain", "allemagne": "allemand", "cote d'ivoire": "ivoirien",
    "canada": "canadien", "europe": "europeen", "afrique": "africain",
}  # fmt: skip


def country_found(name: str, folded: str) -> bool:
    r"""A country of :data:`_ADJECTIVES` stands in ``folded`` (a :func:`normalize`\ d
    text) by its adjective, in any gender and number (``français``, ``maliennes``)."""
    stem = _ADJECTIVES.get(normalize(name))
    if stem is None:
        return False
    stem = stem.removesuffix("e")
    return re.search(rf"(?<!\w){stem}(?:e|ne)?(?:e?s)?(?!\w)", folded) is not None


def names_in(option: str) -> list[str]:
    """The capitalised words of a phrase (``Burkina``, ``Faso``, ``ONU`` in
    ``Burkina Faso et l'ONU``), without a capitalised word that only opens it (``La``)."""
    words = _WORDS.findall(option.replace("’", "'"))
    return [
        word
        for i, word in enumerate(words)
        if word[0].isupper() and not (i == 0 and normalize(word) in LEADING_WORDS)
    ]


def _starts_sentence(before: str) -> bool:
    return _SENTENCE_START.search(before) is not None


def used_as_names(texts: Iterable[str]) -> frozenset[str]:
    """The folded words that ``texts`` write capitalised inside a sentence and never in
    lower case: names even where they open a sentence (``Wagner a...``)."""
    inside: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        text = text.replace("’", "'")
        for match in _WORDS.finditer(text):
            word = match.group(0)
            if word[0].isupper():
                if not _starts_sentence(text[: match.start()]):
                    inside.add(normalize(word))
            else:
                lower.add(normalize(word))
    return frozenset(inside - lower - LEADING_WORDS - _COMMON_CAPITALISED)


def mentions_in(text: str, names: frozenset[str] = frozenset()) -> list[Mention]:
    """The dates, numbers in figures and names that ``text`` states, in that order.

    A capitalised word that opens a sentence is a name only when it is in ``names``
    (see :func:`used_as_names`) or an acronym; numbers that belong to a date, to a word
    (``G5``, ``1er``) or that number a paragraph are left out."""
    text = text.replace("’", "'")
    folded = normalize(text)
    found: list[Mention] = []
    taken: list[range] = []
    for date, span in _dates_with_spans(folded, None):
        if not any(span.start in t or t.start in span for t in taken):
            taken.append(span)
            found.append(Mention("date", folded[span.start : span.stop], date=date))
    for match in _FIGURE.finditer(folded):
        if any(match.start() in t or t.start in range(*match.span()) for t in taken):
            continue
        if _PARAGRAPH_NUMBER.search(folded[: match.start()]):
            continue
        parsed = parse_number(match.group(0))
        if parsed is not None:
            found.append(Mention("number", match.group(0), number=parsed.value))
    found = [m._replace(shown=_date_shown(m.date)) if m.date else m for m in found]
    last_end = -1
    for match in _WORDS.finditer(text):
        word = match.group(0)
        key = normalize(word)
        if not word[0].isupper() or len(word) < 2:
            continue
        if key in LEADING_WORDS or key in _COMMON_CAPITALISED:
            continue
        if _starts_sentence(text[: match.start()]) and key not in names and not is_acronym(word):
            continue
        if found and found[-1].kind == "name" and text[last_end : match.start()] == " ":
            # One name in several words: "Ibrahim Boubacar Keïta".
            found[-1] = found[-1]._replace(shown=text[found[-1].start : match.end()])
        else:
            found.append(Mention("name", word, start=match.start()))
        last_end = match.end()
    return found
