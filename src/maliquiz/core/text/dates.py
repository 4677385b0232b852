"""Dates at the precision they are written: a year, a month, or a day.

Deck keys are ISO (:func:`parse_iso`): ``2013``, ``2024-11``, ``2024-11-15``. A learner
writes dates as they come (:func:`parse_date`): ``novembre 2024``, ``nov. 2024``,
``15 novembre 2024``, ``1er août 2020``, ``aout 2020``, ``le 15/11/2024``, ``11/2024``,
``15-11-2024``, ``15.11.2024``, ``11.2024``, ``2024-11-15``, ``samedi 1er août 2020``,
``1 er août 2020``, and a day in words: ``le premier août 2020``, ``dix-sept février
2022``, ``trente et un décembre 2023`` (``premier`` for the first: ``un août`` and
``1ère`` are not days). Month names are read with or without accents, in full or
abbreviated. Only the parts written are kept: nothing is invented for a missing day or
month (a library that fills them from today's date would grade "2020" as a precise
day). Vague dates (``mi-2013``, ``vers 2013``, ``fin 2022``, ``début 2022``,
``2013-2014``, ``fin novembre 2024``) are not read: the learner is told the answer was
not read as a date rather than graded on a year they hedged. Two-digit years
(``15/11/24``) are refused too. :func:`grade_date` compares at the
precision of the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from maliquiz.core.text.normalize import normalize
from maliquiz.core.text.numbers import spelled_number

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Every spelling a learner may use, folded (no accents, lower case), to a month number.
_MONTH_WORDS: dict[str, int] = {}
for _n, (_fr, _en) in enumerate(zip(MONTHS_FR, MONTHS_EN, strict=True), start=1):
    for _word in (_fr, _en, _fr[:3], _en[:3], _fr[:4], _en[:4]):
        _MONTH_WORDS.setdefault(normalize(_word), _n)
_MONTH_WORDS.update({"fevr": 2, "sept": 9, "juil": 7, "janv": 1, "avr": 4})
_MONTH_WORDS.pop("jui", None)  # juin or juillet: ask for more letters

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# 15/11/2024, 15.11.2024, 15-11-2024 (one separator throughout), or 11/2024.
_SLASHED = re.compile(r"(?:(\d{1,2})([/.-]))?(\d{1,2})(?(2)\2|[/.-])(\d{4})")
_WORDY = re.compile(r"(?:(\d{1,2})(?:\s?er|e|st|nd|rd|th)?\s+)?([a-z]+)\.?\s+(\d{4})")
# A day in words before the month: "premier", "dix-sept", "trente et un".
_DAY_IN_WORDS = re.compile(r"([a-z]+(?:[ -][a-z]+){0,3})\s+([a-z]+)\.?\s+(\d{4})")
_MONTH_FIRST = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
# Words that may come before a date without changing it. Vague ones ("vers", "mi",
# "fin", "début") are deliberately absent: those dates are not read.
_WEEKDAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    "|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_FILLERS = re.compile(rf"^(?:le|en|au|a|on|in|du|depuis|{_WEEKDAYS}),?\s+")


class Precision(StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        """The finest part known."""
        if self.month is None:
            return Precision.YEAR
        return Precision.MONTH if self.day is None else Precision.DAY

    def iso(self) -> str:
        """``2024``, ``2024-11`` or ``2024-11-15``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _checked(year: int, month: int | None, day: int | None) -> PartialDate | None:
    try:
        # A missing part stands in as 1 for the check; a written 0 must still fail.
        date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


_ISO_KEY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_iso(text: str) -> PartialDate | None:
    """``2013``, ``2024-11`` or ``2024-11-15`` (two-digit month and day); None for
    anything else or a day that does not exist."""
    match = _ISO_KEY.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    return _checked(year, month, day)


def parse_date(text: str) -> PartialDate | None:
    """A learner's date, keeping only the parts written; None when it is not a date."""
    read = _read_date(text)
    return read[0] if read else None


def day_in_words(text: str) -> bool:
    """True when ``text`` is a date whose day is written in words (``le premier août
    2020``, ``dix-sept février 2022``): worth showing back as read."""
    read = _read_date(text)
    return read is not None and read[1]


def _day_from_words(words: str) -> int | None:
    if words == "premier":
        return 1
    value = spelled_number(words)
    # "un août" is not French for the first (that is "premier"); 0 is no day.
    return value if value is not None and 2 <= value <= 31 else None


def _read_date(text: str) -> tuple[PartialDate, bool] | None:
    """The date written in ``text`` and whether its day is in words."""
    folded = normalize(text).rstrip(".").strip()
    while True:
        shorter = _FILLERS.sub("", folded)
        if shorter == folded:
            break
        folded = shorter
    found: PartialDate | None = None
    if match := _ISO.fullmatch(folded):
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        found = _checked(year, month, day)
    elif match := _SLASHED.fullmatch(folded):
        day_s, _separator, month_s, year_s = match.groups()
        found = _checked(int(year_s), int(month_s), int(day_s) if day_s else None)
    elif match := _WORDY.fullmatch(folded):
        day_s, word, year_s = match.groups()
        month = _MONTH_WORDS.get(word)
        if month is not None:
            found = _checked(int(year_s), month, int(day_s) if day_s else None)
    elif match := _MONTH_FIRST.fullmatch(folded):  # English order: February 17, 2022
        word, day_s, year_s = match.groups()
        month = _MONTH_WORDS.get(word)
        found = None if month is None else _checked(int(year_s), month, int(day_s))
    elif match := _DAY_IN_WORDS.fullmatch(folded):
        words, word, year_s = match.groups()
        month, day = _MONTH_WORDS.get(word), _day_from_words(words)
        if month is not None and day is not None:
            found = _checked(int(year_s), month, day)
            return (found, True) if found else None
    return (found, False) if found else None


def format_date(value: PartialDate, lang: str = "fr") -> str:
    """``15 novembre 2024`` / ``1er août 2020`` / ``novembre 2024`` / ``2013``
    (English: ``15 November 2024``)."""
    if value.month is None:
        return str(value.year)
    month = (MONTHS_FR if lang == "fr" else MONTHS_EN)[value.month - 1]
    if value.day is None:
        return f"{month} {value.year}"
    day = "1er" if value.day == 1 and lang == "fr" else str(value.day)
    return f"{day} {month} {value.year}"


def written_forms(value: PartialDate) -> list[str]:
    """Common ways to write ``value`` (for exports to tools that compare text)."""
    forms = [format_date(value), value.iso()]
    if value.month is not None:
        month_plain = normalize(MONTHS_FR[value.month - 1])
        if value.day is None:
            forms += [f"{month_plain} {value.year}", f"{value.month:02d}/{value.year}"]
        else:
            forms += [
                f"{value.day} {MONTHS_FR[value.month - 1]} {value.year}",
                f"{value.day} {month_plain} {value.year}",
                f"{value.day:02d}/{value.month:02d}/{value.year}",
                f"{value.day}/{value.month}/{value.year}",
            ]
    return list(dict.fromkeys(forms))


class DateGrade(StrEnum):
    """How a date answer compares with the key."""

    RIGHT = "right"
    PARTIAL = "partial"  # right as far as it goes, but less precise than the key
    WRONG = "wrong"


def grade_date(answer: PartialDate, key: PartialDate) -> DateGrade:
    """Compare at the key's precision.

    Every part the key has must be given and right; a part the key does not have is
    ignored (for a key of November 2024, "15 novembre 2024" is right: the learner knew
    more than was asked, and a day the deck does not give cannot be checked). Extra
    precision is wrong only through the parts the key has ("15 octobre 2024" for
    November 2024). An answer right as far as it goes but missing a part of the key
    ("2024" for November 2024) is partly right.
    """
    if answer.year != key.year:
        return DateGrade.WRONG
    # Month, then day: the first part the key lacks ends the comparison.
    for key_part, answer_part in ((key.month, answer.month), (key.day, answer.day)):
        if key_part is None:
            return DateGrade.RIGHT
        if answer_part is None:
            return DateGrade.PARTIAL
        if answer_part != key_part:
            return DateGrade.WRONG
    return DateGrade.RIGHT
