"""French numbers: reading what a teacher or a learner writes, and showing values.

:func:`parse_number` reads the forms French writers use:

* groups of three digits separated by any space (``2 000``, with U+00A0 or U+202F) or
  by dots (``2.000``, ``2.000.000``): a dot followed by exactly three digits, repeated,
  is a thousands separator, as in French print; the first group never starts with 0
  (``0.500`` is a half);
* a decimal comma (``1,5``), or a dot not followed by exactly three digits (``1.5``);
* scale words: ``mille``, ``million(s)``, ``milliard(s)`` (``1,5 million``,
  ``3 millions``, ``2 mille``), alone for one (``mille``, ``un million``), with
  ``et demi`` (``2 millions et demi``; ``et demi`` after anything else is not read);
* short scales, right after a number written in digits only: ``k`` (thousand), ``M``
  (million, a capital: ``300 m`` may be metres) and ``Md``, ``Mds``, ``md``, ``mds``
  (billion, *milliard*): ``1,5 k``, ``2,5 M``, ``3 Md``;
* a qualifier first: ``plus de``, ``moins de``, ``près de``, ``environ``, ``au moins``,
  ``au plus``, ``quelque(s)``, ``autour de``, ``jusqu'à``, ``~``, ``≈``; it is kept, not
  graded (the key decides the tolerance);
* words after the number (a unit: ``15 000 casques bleus``) are ignored.

With ``words=True`` (a learner's answer) it also reads numbers in words, through
``text2num``: ``dix-sept mille cinq cent cinquante-sept``, ``quatre-vingts``,
``soixante et onze``, ``deux millions et demi``, ``plus de deux mille``, ``quinze mille
soldats``, and words after a scale written in digits (``2 millions cinq cent mille``).
Deck keys stay in digits (the default): ``deux mille`` is not a key. Digits are always
tried first and ``text2num`` is only loaded for text that starts with a letter.

It never guesses: text that does not start with a number (after a qualifier) is not a
number; ``2.000`` is always two thousand, never two; mixed or doubled marks
(``2.000.5``, ``1,5,3``, ``2 000.000``) and hedged ranges (``2 000 à 3 000``,
``2000-3000``, ``2 000 ou 3 000``, and in words ``deux ou trois mille``) are not
numbers, so a learner who wrote two values is not graded on the first one; neither are
round figures (``trois milliers``, ``une vingtaine``) or a lone ``millions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
# Short scales right after digits ("1,5 k", "2,5 M", "3 Md"), never glued to a word
# ("15 km", "300 MW"); "m" is a million only when typed as a capital "M".
_SHORT_SCALE = re.compile(r"\s?(k|mds?|m)(?![^\W\d_])")
_SHORT_SCALES = {"k": Decimal(1000), "m": Decimal(10) ** 6, "md": Decimal(10) ** 9}
_LETTER_AFTER_DIGIT = re.compile(r"\d\s*([^\W\d_])")
# Words of a number in words: one space or hyphen between them ("quatre-vingt-douze").
_NEXT_WORD = re.compile(r"(?:^|[ -])([a-z]+)\b")
_MAX_WORDS = 16
# The first word after a number, maybe after a range or hedge connector.
_WORD_AFTER = re.compile(r"\s*(?:[-/]\s*|(?:a|et|ou)\s+)?([a-z]+)\b")
# Round figures are no values: "trois milliers", "une vingtaine".
_ROUND = re.compile(
    r"\s*(?:dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine"
    r"|soixantaine|centaine|millier)s?\b"
)


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text, with the qualifier written before it, if any.

    ``qualifier`` is folded (``"pres de"``, ``"environ"``, ``"~"``; ``"quelques"`` is
    ``"quelque"``); ``text`` is the text as given. ``worded`` is True when words or
    letters made the value (``deux mille``, ``1,5 million``, ``2,5 M``): the value is
    then worth showing back as read. It does not take part in comparisons.
    """

    value: Decimal
    qualifier: str | None
    text: str
    worded: bool = field(default=False, compare=False)


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


def spelled_number(words: str) -> int | None:
    """The value of French number words (``quatre-vingt-douze``, ``soixante et onze``,
    ``deux mille``), accents optional, read by ``text2num``; None unless the words are
    exactly one number."""
    from text_to_num import text2num  # type: ignore[import-untyped]  # loaded when needed

    parts = ["zéro" if w == "zero" else w for w in re.split(r"[\s-]+", words.strip()) if w]
    try:
        return int(text2num(" ".join(parts), "fr"))
    except ValueError:
        return None


def _leading_words(folded: str) -> tuple[Decimal, str, str] | None:
    """The number in words at the start of ``folded`` (the longest run of words that is
    one number), the rest of the text and the number's last word."""
    words: list[tuple[str, int]] = []
    position = 0
    while len(words) < _MAX_WORDS and (match := _NEXT_WORD.match(folded, position)):
        words.append((match.group(1), match.end()))
        position = match.end()
    for count in range(len(words), 0, -1):
        value = spelled_number(" ".join(word for word, _end in words[:count]))
        if value is None:
            continue
        last, rest = words[count - 1][0], folded[words[count - 1][1] :]
        if count == 1 and last in {"millions", "milliards"}:
            return None  # how many millions?
        if count == 1 and last in {"un", "une"} and rest.strip():
            return None  # an article: "un peu plus", "une centaine"
        return Decimal(value), rest, last
    return None


def _short_scale(rest: str, text: str) -> tuple[Decimal, str] | None:
    """A short scale at the start of ``rest`` (``k``, ``M``, ``Md``) and the rest after
    it; ``text`` as typed tells a capital ``M`` (million) from ``m`` (metres)."""
    match = _SHORT_SCALE.match(rest)
    if match is None:
        return None
    short = match.group(1).rstrip("s")
    if short == "m":
        letter = _LETTER_AFTER_DIGIT.search(text)
        if letter is None or letter.group(1) != "M":
            return None
    return _SHORT_SCALES[short], rest[match.end() :]


def _another_number(rest: str, words: bool) -> bool:
    """True when ``rest`` starts with a second number ("12 34", "2 000 à 3 000", and
    when reading words, "deux ou trois mille"), or with what no value can be read from
    after a number ("trois milliers", "deux et demi")."""
    if rest.lstrip()[:1].isdigit() or _SECOND_NUMBER.match(rest):
        return True
    if not words:
        return False
    if _ROUND.match(rest) or _HALF.match(rest):
        return True
    word = _WORD_AFTER.match(rest)
    return word is not None and spelled_number(word.group(1)) is not None


def _read(folded: str, text: str, words: bool) -> tuple[Decimal, bool] | None:
    """The value at the start of ``folded`` and whether words or letters made it."""
    worded = False
    scale: Decimal | None = None  # the scale the number ends on, for "et demi"
    read = _digits(folded)
    if read is not None:
        value, rest = read
        if rest[:1] in {",", "."} and rest[1:2].isdigit():
            return None  # "1.5.3", "1,5,3": not one number
        if short := _short_scale(rest, text):
            value, rest, worded = value * short[0], short[1], True
        elif scale_word := _SCALE_WORD.match(rest):
            scale = _SCALES[scale_word.group(1)]
            value, rest, worded = value * scale, rest[scale_word.end() :], True
    elif (spelled := _leading_words(folded) if words else None) is not None:
        value, rest, last = spelled
        scale, worded = _SCALES.get(last), True
    else:
        bare = _BARE_SCALE.match(folded)
        if bare is None:
            return None
        scale = _SCALES[bare.group(1)]
        value, rest, worded = scale, folded[bare.end() :], True
    if scale is not None:
        if half := _HALF.match(rest):
            value += scale / 2
            rest = rest[half.end() :]
        elif words and read is not None and (lower := _leading_words(rest.lstrip())):
            # "2 millions cinq cent mille": words below the scale written in digits.
            if lower[0] >= scale:
                return None
            value, rest = value + lower[0], lower[1]
    if _another_number(rest, words):
        return None
    return value, worded


def parse_number(text: str, *, words: bool = False) -> ParsedNumber | None:
    """Read a French number (see the module doc); None when ``text`` is not one.

    ``words=True`` also reads numbers in words (learners' answers); deck keys, read with
    the default, must be written in digits."""
    qualifier, folded = _strip_qualifier(normalize(text))
    read = _read(folded, text, words)
    if read is None:
        return None
    value, worded = read
    # One spelling per value: 2000, not 2E+3 or 2000.0; 1.5, not 1.50.
    integral = value == value.to_integral_value()
    value = Decimal(int(value)) if integral else value.normalize()
    return ParsedNumber(value, qualifier, text, worded)


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
