"""Deck text made safe to show: never markup, never a terminal escape.

A deck is written by a teacher, not by us: ``[bold]``, ``[@click=app.quit]``, an ESC
byte or a bell must appear as the characters they are. Every piece of deck text goes
through :func:`plain` (for Textual widgets) or :func:`cell` (for table cells) and
never through markup parsing.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.content import Content

from maliquiz.core.text.visible import visible

__all__ = ["cell", "line", "pad", "plain", "shorten", "visible"]


def plain(text: str, style: str = "") -> Content:
    """Deck text as Textual content, shown exactly as written."""
    return Content.styled(visible(text), style)


def line(text: str, style: str = "") -> Content:
    """Deck text on one line (newlines shown as spaces), for lists and headings."""
    return Content.styled(visible(text.replace("\n", " ")), style)


def cell(text: str, style: str = "") -> Text:
    """Deck text for a table cell (tables would read a plain string as markup)."""
    return Text(visible(text.replace("\n", " ")), style=style, no_wrap=True, overflow="ellipsis")


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` terminal cells with an ellipsis (a wide
    character, CJK or emoji, takes two cells)."""
    text = text.replace("\n", " ")
    return text if cell_len(text) <= width else set_cell_size(text, max(0, width - 1)) + "…"


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal cells."""
    return text + " " * max(0, width - cell_len(text))
