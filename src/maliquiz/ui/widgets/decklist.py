"""The home screen's list of decks: one line a deck, in columns under a heading line.

A Textual ``DataTable`` did this first; drawing its cells went through Rich for each
one and was the largest part of the app's start-up after its imports. An option list of
lines made of one piece of content each draws in a fraction of that time, and keeps
what a learner expects of a list: arrows, Home/End, Page keys, the mouse, Enter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from maliquiz.i18n import _
from maliquiz.ui.text import line


class DeckRow(NamedTuple):
    """What the list shows of one deck (the last study day already formatted)."""

    deck_id: str
    title: str
    cards: int
    new: int
    learning: int
    due: int
    last_studied: str


TITLE_LEAST = 12
TITLE_GAP = 2
"""Cells between the title and the counts."""
GAP = 1
"""Cells between two count columns (their headings are as wide as they are; a wider gap
left French titles, whose headings are long, under fifteen cells at 80 columns)."""


def _columns() -> list[tuple[str, int, str]]:
    """The count columns: heading, least width, colour when the count is not zero."""
    return [
        (_("Cards"), 5, ""),
        (_("New"), 4, "cyan"),
        (_("Learning"), 4, "yellow"),
        (_("Due"), 4, "bold green"),
        (_("Last studied"), 10, ""),
    ]


def column_widths(width: int) -> list[int]:
    """The title's width (what the count columns leave of ``width``), then theirs."""
    counts = [max(cell_len(label), least) for label, least, _style in _columns()]
    title = max(TITLE_LEAST, width - TITLE_GAP - sum(counts) - GAP * (len(counts) - 1))
    return [title, *counts]


def _join(cells: list[Content]) -> Content:
    """The title cell, then the count cells, with their gaps."""
    return Content(" " * TITLE_GAP).join([cells[0], Content(" " * GAP).join(cells[1:])])


def _cell(content: Content, width: int, *, right: bool) -> Content:
    if content.cell_length > width:
        content = content.truncate(width, ellipsis=True)
    pad = width - content.cell_length
    return content.pad_left(pad) if right else content.pad_right(pad)


def heading(width: int) -> Content:
    """The heading line: the columns' names, aligned with the rows."""
    widths = column_widths(width)
    labels = [_("Deck"), *(label for label, _least, _style in _columns())]
    cells = [
        _cell(Content(label), w, right=i > 0)
        for i, (label, w) in enumerate(zip(labels, widths, strict=True))
    ]
    return _join(cells).stylize("bold")


def row_line(row: DeckRow, width: int) -> Content:
    """One deck's line: its title (as written, never markup), its counts coloured when
    there is something to do, and the day it was last studied."""
    widths = column_widths(width)
    counts = (row.cards, row.new, row.learning, row.due)
    cells = [_cell(line(row.title, "bold"), widths[0], right=False)]
    count_columns = _columns()[: len(counts)]
    for n, (_label, _least, style), w in zip(counts, count_columns, widths[1:-1], strict=True):
        cells.append(_cell(Content.styled(str(n), (style if n else "dim") or ""), w, right=True))
    cells.append(_cell(Content(row.last_studied), widths[-1], right=True))
    return _join(cells)


def deck_options(rows: Sequence[DeckRow], width: int) -> list[Option]:
    """One option a deck, its id the deck's, laid out for ``width`` cells."""
    return [Option(row_line(row, width), id=row.deck_id) for row in rows]


class DeckList(OptionList):
    """The decks; Enter (or a click) selects the highlighted one."""

    DEFAULT_CSS = """
    DeckList {
        border: none;
        padding: 0;
        background: transparent;
        &:focus {
            border: none;
            background-tint: transparent;
        }
        & > .option-list--option {
            padding: 0 1;
        }
    }
    """

    def show(self, options: Sequence[Option]) -> None:
        """List ``options`` (from :func:`deck_options`), keeping the highlighted deck."""
        kept = self.highlighted_deck
        self.clear_options()
        self.add_options(options)
        ids = [option.id for option in options]
        if ids:
            self.highlighted = ids.index(kept) if kept in ids else 0

    @property
    def highlighted_deck(self) -> str | None:
        """The id of the highlighted deck, if any."""
        option = self.highlighted_option
        return option.id if option is not None else None
