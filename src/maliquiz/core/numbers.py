"""French numbers: reading what a teacher or a learner writes, and showing values.

Interim version written by the lead so that deck keys can be read; the full parser
(qualifiers, "mille", "million") replaces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text, with the qualifier written before it, if any."""

    value: Decimal
    qualifier: str | None
    text: str


def parse_number(text: str) -> ParsedNumber | None:
    """Read ``2000``, ``2 000``, ``2.000`` (thousands), ``1,5`` (decimal comma)."""
    compact = _SPACES.sub("", text.strip())
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", compact):
        compact = compact.replace(".", "")
    compact = compact.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", compact):
        return None
    try:
        return ParsedNumber(Decimal(compact), None, text)
    except InvalidOperation:
        return None
