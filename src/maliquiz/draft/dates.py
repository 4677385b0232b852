"""Dates of a paragraph at the precision written: a day (``15 novembre 2024``, ``jeudi 17
février 2022``, ``le 29 juin`` in a dated article; in an undated one ``29 juin`` with no
year, asked as a day and month), a month (``août 2020``) or a year
(``en 2013``, ``depuis 2013``, ``fin 2021``), with the word that qualifies it
(``depuis``, ``fin``, ``début``); ``l'année dernière`` counts from the article's date."""

from __future__ import annotations

import re

from maliquiz.core.text.dates import MONTHS_FR, PartialDate, parse_date
from maliquiz.core.text.normalize import normalize
from maliquiz.draft.facts import Fact

_MONTH = "|".join(MONTHS_FR + tuple(normalize(m) for m in MONTHS_FR))
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+"
_DAY = re.compile(
    rf"(?<![\w])(?:{_WEEKDAY})?(\d{{1,2}}|1er|premier)\s+({_MONTH})\b(?:\s+(\d{{4}}))?",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"(?<![\w])({_MONTH})\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\w.,])(19\d\d|20\d\d)(?![\w]|[.,]\d)")
_RELATIVE = re.compile(r"\b(l'année dernière|l'an dernier|l'année passée)", re.IGNORECASE)
_PREFIX = re.compile(r"(?:^|\W)(depuis|fin|début|mi-|avant|après|jusqu'en|dès)\s*$", re.IGNORECASE)


def _prefix(text: str, start: int) -> str | None:
    match = _PREFIX.search(text[max(0, start - 15) : start])
    return match.group(1).lower() if match else None


def dates_in(
    text: str, paragraph: int, year: int | None, skip: int = 0, dated: bool = True
) -> list[Fact]:
    """Every date of ``text`` after character ``skip``; a day without its year takes
    ``year`` (the article's) in a ``dated`` article. A relative
    year (``l'année dernière``) is a date only when the article is ``dated`` by its
    first line: a year guessed from the years an article names may be wrong by one; so
    is a day without its year (``le 29 juin``), which then keeps no year (``date`` None)."""
    found: list[Fact] = []
    taken: list[range] = []

    def add(start: int, end: int, date: PartialDate | None) -> None:
        if date is None or any(start in t or t.start in range(start, end) for t in taken):
            return
        taken.append(range(start, end))
        found.append(
            Fact(
                "date", paragraph, start, end, date.iso(), date=date, qualifier=_prefix(text, start)
            )
        )

    for match in _DAY.finditer(text, skip):
        day, month, written_year = match.groups()
        day = "1" if day.lower() in {"1er", "premier"} else day
        if written_year or (year and dated):
            add(match.start(), match.end(), parse_date(f"{day} {month} {written_year or year}"))
        else:
            # An undated article: the day and month are asked, no year is guessed.
            taken.append(range(*match.span()))
            found.append(
                Fact(
                    "date",
                    paragraph,
                    match.start(1),
                    match.end(),
                    f"{int(day)} {month.lower()}",
                    qualifier=_prefix(text, match.start()),
                )
            )
    for match in _MONTH_YEAR.finditer(text, skip):
        add(match.start(), match.end(), parse_date(match.group(0)))
    for match in _YEAR.finditer(text, skip):
        add(match.start(), match.end(), PartialDate(int(match.group(1))))
    for match in _RELATIVE.finditer(text, skip):
        if year is None or not dated:
            taken.append(range(*match.span()))  # "l'année dernière" is no year to ask
            continue
        add(match.start(), match.end(), PartialDate(year - 1))
    return sorted(found, key=lambda f: f.start)
