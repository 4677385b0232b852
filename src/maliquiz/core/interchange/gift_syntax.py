"""What writing and reading Moodle's GIFT format must agree on.

Escapes: ``~ = # { } :`` and ``\\`` are escaped with a backslash in every text (Moodle
reads its answer block from the first unescaped ``{`` to the first ``}``, and French
puts a space before colons); a newline is written ``\\n``.

What Moodle has no field for travels in comment lines, which Moodle skips: ``// maliquiz:
{json}`` before each question and ``// maliquiz deck: {json}`` once at the top. Both the
writer and the reader need the markers, and the accent folding that the writer uses for
Moodle's accent-sensitive short answers and the reader to undo them.
"""

from __future__ import annotations

import unicodedata

HINT = "maliquiz:"
DECK_HINT = "maliquiz deck:"
_SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    """GIFT text: ``~ = # { } :`` and ``\\`` escaped, newlines as ``\\n``."""
    out = "".join("\\" + c if c in _SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def strip_accents(text: str) -> str:
    """``Goïta`` → ``Goita``, ``œuvre`` → ``oeuvre``; case kept."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )
