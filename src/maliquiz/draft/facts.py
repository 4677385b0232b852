"""What a draft card asks: a fact of the article and where it stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from maliquiz.core.text.dates import PartialDate

FactKind = Literal["number", "date", "actor"]


@dataclass
class Fact:
    """A figure, a date or an actor, at one place of one paragraph.

    ``start``/``end`` are character offsets of the fact in its paragraph's text (the
    span a question blanks out); ``answer`` is the card's key as written in a deck."""

    kind: FactKind
    paragraph: int
    start: int
    end: int
    answer: str
    number: Decimal | None = None
    date: PartialDate | None = None
    unit: str | None = None
    qualifier: str | None = None
    """``plus de``, ``environ``... for a figure; ``depuis``, ``fin``... for a date."""
    entity: str | None = None
    """For an actor: person, organisation, country, place, operation or group."""
    accept: list[str] = field(default_factory=list)
    cite: list[int] = field(default_factory=list)
    """Every paragraph the card cites (the fact's own first)."""
    role: str | None = None
    """For a person: the role the article gives them (``le porte-parole du ...``)."""
    long_form: str | None = None
    """For an acronym: the name it stands for, as the article spells it out."""
    members: list[str] = field(default_factory=list)
    """For a list of names asked together (``en Irak et en Afghanistan``): each name."""
    elsewhere: list[tuple[int, int, int]] = field(default_factory=list)
    """For an actor: its other mentions (paragraph, start, end) a card may ask instead."""

    @property
    def paragraphs(self) -> list[int]:
        return list(dict.fromkeys([self.paragraph, *self.cite]))
