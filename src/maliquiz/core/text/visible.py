"""Text from outside (a deck, an import, a learner's answer) made safe to print.

A terminal obeys what it is sent: an ESC starts a sequence that clears the screen,
recolours it or opens a hyperlink (OSC 8), a BEL rings, a C1 control (U+009B) is an ESC
on some terminals, and bidi overrides reorder what follows. :func:`visible` turns every
such character into a visible sign, so deck text reads as the teacher wrote it and
does nothing else: C0 controls become their Unicode control pictures (ESC shows as
␛, BEL as ␇), other invisible characters ``<U+XXXX>``. What follows an ESC (``[2J``,
``]8;;https://...``) is then plain text.

The app (``ui/text.py``), the plain mode and every message of the command line use this
one function: ``cli.py`` wraps the command line's streams in :class:`VisibleStream`.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Final, TextIO

_PICTURES: Final = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_HIDDEN: Final = frozenset(("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))


def visible(text: str, *, keep_newlines: bool = True, tab: str = " ") -> str:
    """``text`` with every control or format character replaced by a visible sign.

    Newlines stay when ``keep_newlines`` (prompts may have several lines); a tab
    becomes ``tab``: a space by default, ``"\t"`` to keep it, ``"␉"`` to show it.
    """
    if text.isprintable():  # the usual case, checked in C
        return text
    out: list[str] = []
    for char in text:
        if char.isprintable() or (char == "\n" and keep_newlines):
            out.append(char)
        elif char == "\t":
            out.append(tab)
        elif ord(char) in _PICTURES:
            out.append(_PICTURES[ord(char)])
        elif unicodedata.category(char) in _HIDDEN:
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)  # a space of another width (U+00A0, U+202F...)
    return "".join(out)


class VisibleStream:
    """A text stream that writes everything through :func:`visible` (newlines and tabs
    kept): what the command line prints can never drive the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` with its control characters shown; returns its length."""
        self._stream.write(visible(text, tab="\t"))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        # flush, isatty, fileno, encoding...: the wrapped stream's own.
        return getattr(self._stream, name)
