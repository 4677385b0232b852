"""Deck text made safe to show: never markup, never a terminal escape.

A deck is written by a teacher, not by us: ``[bold]``, ``[@click=app.quit]``, an ESC
byte or a bell must appear as the characters they are. Every piece of deck text goes
through :func:`plain` (for Textual widgets) or :func:`cell` (for table cells) and
never through markup parsing.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.content import Content

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"  # ␡


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control or format character replaced by a visible sign.

    C0 controls become their Unicode control pictures (ESC shows as ␛), other
    invisible characters (C1 controls, bidi overrides) as ``<U+XXXX>``. Newlines stay
    when ``keep_newlines`` (prompts may have several lines), tabs become a space.
    """
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char == "\t":
            out.append(" ")
        elif code in _C0_PICTURES:
            out.append(_C0_PICTURES[code])
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            out.append(f"<U+{code:04X}>")
        else:
            out.append(char)
    return "".join(out)


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
