"""French numbers: reading what a teacher or a learner writes, and showing values.

:func:`parse_number` reads the forms French writers use:

* groups of three digits separated by any space (``2 000``, with U+00A0 or U+202F) or
  by dots (``2.000``, ``2.000.000``): a dot followed by exactly three digits, repeated,
  is a thousands separator, as in French print;
* a decimal comma (``1,5``), or a dot not followed by exactly three digits (``1.5``);
* scale words: ``mille``, ``million(s)``, ``milliard(s)`` (``1,5 million``,
  ``3 millions``, ``2 mille``); no short forms (``300 m`` may be metres);
* a qualifier first: ``plus de``, ``moins de``, ``près de``, ``environ``, ``au moins``,
  ``au plus``, ``quelque``, ``~``; it is kept, not graded (the key decides the
  tolerance);
* words after the number (a unit: ``15 000 casques bleus``) are ignored.

It never guesses: text that does not start with a number (after a qualifier) is not a
number, and ``2.000`` is always two thousand, never two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from maliquiz.core.normalize import normalize

QUALIFIERS = (
    "plus de",
    "moins de",
    "pres de",
    "environ",
    "au moins",
    "au plus",
    "quelque",
    "quelques",
    "autour de",
    "jusqu'a",
    "~",
)
_SCALES = {
    "mille": Decimal(1000),
    "million": Decimal(10) ** 6,
    "millions": Decimal(10) ** 6,
    "milliard": Decimal(10) ** 9,
    "milliards": Decimal(10) ** 9,
}
_NUMBER = re.compile(
    r"""
    (?P<sign>[-+])?
    (?:
        (?P<grouped>\d{1,3}(?:(?P<sep>[ .])\d{3})(?:(?P=sep)\d{3})*)   # 2 000 / 2.000.000
      | (?P<plain>\d+)
    )
    (?:[,.](?P<fraction>\d+))?
    """,
    re.VERBOSE,
)
_SCALE_WORD = re.compile(r"\s*(?:de\s+)?(mille|milliards?|millions?)\b")


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text, with the qualifier written before it, if any."""

    value: Decimal
    qualifier: str | None
    text: str


def parse_number(text: str) -> ParsedNumber | None:
    """Read a French number (see the module doc); None when ``text`` is not one."""
    folded = normalize(text)
    qualifier = None
    for word in sorted(QUALIFIERS, key=len, reverse=True):
        if folded.startswith(word) and (
            word == "~" or len(folded) == len(word) or not folded[len(word)].isalpha()
        ):
            qualifier = word.rstrip("s") if word == "quelques" else word
            folded = folded[len(word) :].lstrip()
            break
    match = _NUMBER.match(folded)
    if match is None:
        return None
    grouped_by_dots = match.group("grouped") and match.group("sep") == "."
    if grouped_by_dots and match.group("fraction") and folded[match.end("grouped")] == ".":
        return None  # "2.000,5" is fine, but "2.000.5" mixes separators: not a number
    digits = (match.group("grouped") or match.group("plain")).replace(" ", "").replace(".", "")
    fraction = match.group("fraction")
    # A dot followed by exactly three digits was read as thousands above; any other
    # dot or comma is a decimal mark.
    literal = digits + (f".{fraction}" if fraction else "")
    try:
        value = Decimal(literal)
    except InvalidOperation:
        return None
    rest = folded[match.end() :]
    scale = _SCALE_WORD.match(rest)
    if scale:
        value *= _SCALES[scale.group(1)]
        rest = rest[scale.end() :]
    if rest.lstrip()[:1].isdigit():
        return None  # "12 34" is not one number
    if match.group("sign") == "-":
        value = -value
    if value == value.to_integral_value():
        value = Decimal(int(value))  # 2000, not 2E+3 or 2000.0
    return ParsedNumber(value, qualifier, text)


def format_number(value: Decimal | int | float, unit: str | None = None) -> str:
    """French display: ``2 000``, ``17 557``, ``1,5``, with a narrow no-break space
    between groups (so a number never wraps) and the unit after a plain space."""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    sign = "-" if number < 0 else ""
    number = abs(number)
    integral = int(number)
    fraction = number - integral
    groups = f"{integral:,}".replace(",", "\u202f")
    text = sign + groups
    if fraction:
        decimals = format(fraction.normalize(), "f").split(".")[1]
        text += "," + decimals
    return f"{text} {unit}" if unit else text


def number_matches(
    answer: Decimal,
    key: Decimal,
    *,
    tolerance: Decimal | None = None,
    tolerance_pct: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> bool:
    """True when ``answer`` is the key: inside ``low``..``high`` when a range is given,
    else within the absolute or relative tolerance, else exactly."""
    if low is not None or high is not None:
        return (low is None or answer >= low) and (high is None or answer <= high)
    if tolerance is not None:
        return abs(answer - key) <= tolerance
    if tolerance_pct is not None:
        return abs(answer - key) <= abs(key) * tolerance_pct / 100
    return answer == key
