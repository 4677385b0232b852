"""An article as the sources folder holds it: paragraphs are the non-empty lines, and a
first line that starts with ``date YYYY[-MM[-DD]]`` gives the article's date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from maliquiz.core.deck.mentions import paragraphs
from maliquiz.core.text.dates import PartialDate, parse_iso

_YEAR = re.compile(r"(?<![\w.,])((?:19|20)\d\d)(?![\w]|[.,]\d)")
_DATELINE = re.compile(r"^\s*date\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b\s*")


@dataclass
class Article:
    """One article: its file name, its paragraphs (curly apostrophes made straight, which
    the small French model reads far better) and its date when the first line gives it."""

    name: str
    paragraphs: list[str]
    date: PartialDate | None
    body_start: int
    """Where the text of paragraph 1 starts, after the dateline."""

    @property
    def year(self) -> int | None:
        """The article's year: from its date, else the latest year it names (an undated
        article is written after the events it reports; the draft says it guessed)."""
        if self.date is not None:
            return self.date.year
        years = [int(y) for p in self.paragraphs for y in _YEAR.findall(p)]
        return max(years) if years else None

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def read_article(name: str, text: str) -> Article:
    """``text`` (the file's content) split into paragraphs; the date read from the
    dateline, which is not itself a fact of the article."""
    found = paragraphs(text.replace("’", "'"))
    date: PartialDate | None = None
    start = 0
    if found and (match := _DATELINE.match(found[0])):
        date = parse_iso(match.group(1))
        start = match.end() if date else 0
    return Article(Path(name).name, found, date, start)
