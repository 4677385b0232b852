"""Dates at the precision they are written: a year, a month, or a day.

Interim version written by the lead so that deck keys can be read; the full learner
input parser replaces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None


def parse_iso(text: str) -> PartialDate | None:
    """``2013``, ``2024-11`` or ``2024-11-15``; None for anything else or a false date."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def format_date(value: PartialDate, lang: str = "fr") -> str:
    """``15 novembre 2024``, ``novembre 2024`` or ``2013``."""
    if value.month is None:
        return str(value.year)
    month = MONTHS_FR[value.month - 1]
    if value.day is None:
        return f"{month} {value.year}"
    return f"{'1er' if value.day == 1 else value.day} {month} {value.year}"
