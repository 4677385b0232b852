"""French numbers: reading what a teacher or a learner writes, and showing values.

:func:`parse_number` reads the forms French writers use:

* groups of three digits separated by any space (``2 000``, with U+00A0 or U+202F) or
  by dots (``2.000``, ``2.000.000``): a dot followed by exactly three digits, repeated,
  is a thousands separator, as in French print; the first group never starts with 0
  (``0.500`` is a half);
* a decimal comma (``1,5``), or a dot not followed by exactly three digits (``1.5``);
* scale words: ``mille``, ``million(s)``, ``milliard(s)`` (``1,5 million``,
  ``3 millions``, ``2 mille``), alone for one (``mille``, ``un million``), with
  ``et demi`` (``2 millions et demi``); no short forms (``300 m`` may be metres) and no
  numbers in words (``deux mille`` is not read);
* a qualifier first: ``plus de``, ``moins de``, ``près de``, ``environ``, ``au moins``,
  ``au plus``, ``quelque(s)``, ``autour de``, ``jusqu'à``, ``~``, ``≈``; it is kept, not
  graded (the key decides the tolerance);
* words after the number (a unit: ``15 000 casques bleus``) are ignored.

It never guesses: text that does not start with a number (after a qualifier) is not a
number; ``2.000`` is always two thousand, never two; mixed or doubled marks
(``2.000.5``, ``1,5,3``, ``2 000.000``) and hedged ranges (``2 000 à 3 000``,
``2000-3000``, ``2 000 ou 3 000``) are not numbers, so a learner who wrote two values is
not graded on the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from maliquiz.core.text.normalize import normalize

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
    "≈",
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
        (?P<grouped>[1-9]\d{0,2}(?:(?P<sep>[ .])\d{3})(?:(?P=sep)\d{3})*)   # 2 000 / 2.000.000
      | (?P<plain>\d+)
    )
    (?:(?P<mark>[,.])(?P<fraction>\d+))?
    """,
    re.VERBOSE,
)
_SCALE_WORD = re.compile(r"\s*(mille|milliards?|millions?)\b")
# "mille" and "un million" / "un milliard" name one of the scale without a digit.
_BARE_SCALE = re.compile(r"(?:un\s+)?(mille|million|milliard)\b")
_HALF = re.compile(r"\s+et\s+demie?\b")
# A second number after a dash, "à", "et", "ou" or a slash: a range or a hedge.
_SECOND_NUMBER = re.compile(r"\s*(?:-|/|a\b|et\b|ou\b)\s*[-+]?\d")


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text, with the qualifier written before it, if any.

    ``qualifier`` is folded (``"pres de"``, ``"environ"``, ``"~"``; ``"quelques"`` is
    ``"quelque"``); ``text`` is the text as given.
    """

    value: Decimal
    qualifier: str | None
    text: str


def _strip_qualifier(folded: str) -> tuple[str | None, str]:
    for word in sorted(QUALIFIERS, key=len, reverse=True):
        if folded.startswith(word) and (
            not word[-1].isalpha() or len(folded) == len(word) or not folded[len(word)].isalpha()
        ):
            qualifier = word.rstrip("s") if word == "quelques" else word
            return qualifier, folded[len(word) :].lstrip()
    return None, folded


def _digits(folded: str) -> tuple[Decimal, str] | None:
    """The number written with digits at the start of ``folded``, and the rest."""
    match = _NUMBER.match(folded)
    if match is None:
        return None
    grouped, fraction = match.group("grouped"), match.group("fraction")
    # After dot groups a dot cannot also be the decimal mark ("2.000.5"); after space
    # groups, ".000" could be one more group ("2 000.000"): both are ambiguous.
    dotted_fraction = bool(grouped and fraction and match.group("mark") == ".")
    if dotted_fraction and (match.group("sep") == "." or len(fraction) == 3):
        return None
    digits = (grouped or match.group("plain")).replace(" ", "").replace(".", "")
    # A dot followed by exactly three digits was read as thousands above; any other
    # dot or comma is a decimal mark.
    try:
        value = Decimal(digits + (f".{fraction}" if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    if match.group("sign") == "-":
        value = -value
    return value, folded[match.end() :]


def parse_number(text: str) -> ParsedNumber | None:
    """Read a French number (see the module doc); None when ``text`` is not one."""
    qualifier, folded = _strip_qualifier(normalize(text))
    read = _digits(folded)
    if read is not None:
        value, rest = read
        if rest[:1] in {",", "."} and rest[1:2].isdigit():
            return None  # "1.5.3", "1,5,3": not one number
    else:
        bare = _BARE_SCALE.match(folded)
        if bare is None:
            return None
        value, rest = Decimal(1), folded[bare.start(1) :]
    scale = _SCALE_WORD.match(rest)
    if scale:
        unit = _SCALES[scale.group(1)]
        value *= unit
        rest = rest[scale.end() :]
        if half := _HALF.match(rest):
            value += unit / 2
            rest = rest[half.end() :]
    if rest.lstrip()[:1].isdigit() or _SECOND_NUMBER.match(rest):
        return None  # "12 34" is not one number, "2 000 à 3 000" is two
    # One spelling per value: 2000, not 2E+3 or 2000.0; 1.5, not 1.50.
    integral = value == value.to_integral_value()
    value = Decimal(int(value)) if integral else value.normalize()
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
