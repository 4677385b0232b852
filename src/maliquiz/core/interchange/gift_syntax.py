"""What writing and reading Moodle's GIFT format must agree on.

Escapes: ``~ = # { } :`` and ``\\`` are escaped with a backslash in every text (Moodle
reads its answer block from the first unescaped ``{`` to the first ``}``, and French
puts a space before colons); a newline is written ``\\n``.

What Moodle has no field for travels in comment lines, which Moodle skips: ``// maliquiz:
{json}`` before each question and ``// maliquiz deck: {json}`` once at the top. Both the
writer and the reader need the markers, and the accent folding that the writer uses for
Moodle's accent-sensitive short answers and the reader to undo them.

Two traps of short answers have no escape (Moodle knows ``\\`` before ``~ = # { } :``,
``\\`` and ``n`` only):

- Moodle reads a block holding both ``=`` and ``->`` (and no ``~``) as a matching question:
  ``{=->}`` would be one pair with empty sides, which Moodle refuses, and ``{=a->b
  =c->d}`` a wrong matching. ``->`` in a short answer is written :data:`ARROW_WILDCARD`
  ``-*>``: ``*`` is Moodle's short-answer wildcard (a literal ``*`` is always written
  ``\\*`` before GIFT escaping), so Moodle accepts the ``->`` typed (and whatever is
  typed between ``-`` and ``>``), and the reader turns every ``-*>`` of a short answer
  back into ``->``.
- An answer starting with ``%`` would be read as its weight (``=%5%``): its weight is then
  written first (``=%100%%5%``, ``~%0%%5%``).
"""

from __future__ import annotations

import unicodedata

HINT = "maliquiz:"
DECK_HINT = "maliquiz deck:"
_SPECIAL = "\\~=#{}:"
ARROW = "->"  # between the sides of a matching pair
ARROW_WILDCARD = "-*>"  # ``->`` in a short answer


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
