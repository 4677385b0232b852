"""Folding text for comparison, so that what differs only in form compares equal.

Two levels:

* :func:`normalize` folds case, accents, ligatures (œ, æ), every apostrophe, dash and
  space kind, and repeated spaces. "Côte d’Ivoire" and "cote d'ivoire" are equal.
  Used everywhere an answer is compared with a key.
* :func:`loose` also drops punctuation and hyphens and a leading French article or
  preposition ("l'ONU", "la France", "au Mali", "le groupe Wagner" lose "l'", "la",
  "au", "le"). Used for names only, after an exact :func:`normalize` comparison failed:
  "Etats Unis" matches "États-Unis", "l'ONU" matches "ONU", "O.N.U." matches "ONU".

Numbers and dates never go through :func:`loose`: their own parsers read
:func:`normalize`'d text, where a dot or a comma still means something ("2.000", "1,5").
"""

from __future__ import annotations

import re
import unicodedata

_TABLE = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        # Letters with a stroke have no decomposition, so NFKD keeps them whole.
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "′": "'",
        "–": "-",
        "—": "-",
        "‑": "-",
        "‒": "-",
        "−": "-",
        "‐": "-",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
    }
)
# The characters the table changes: most texts hold none, and `str.translate` looks up
# each character of the text in the table (half the time of folding a deck's text).
_TABLE_CHARS = re.compile("[" + "".join(re.escape(chr(code)) for code in _TABLE) + "]")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]|_")
# Dots join the letters of an abbreviation ("O.N.U."), they do not separate words.
_DOTS = re.compile(r"\.")
_ARTICLES = re.compile(r"^(?:(?:l|d|du|de|des|la|le|les|au|aux|en|un|une|the)\s+)+")


class _CombiningMarks(dict[int, int | None]):
    """A ``str.translate`` table that deletes combining marks: each character is looked
    up once with :func:`unicodedata.combining`, then answered from the dict (a loop over
    the characters in Python was most of the cost of folding a deck's text)."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_MARKS = _CombiningMarks()


def normalize(text: str) -> str:
    """Case, accents, ligatures, apostrophes, dashes and spaces folded; trimmed."""
    if text.isascii():
        # Nothing to decompose: the table (a backquote is an apostrophe) and lower case.
        return _SPACE.sub(" ", _tabled(text).casefold()).strip()
    # Decomposing can reveal capitals or ligatures (the modifier letter ᴭ becomes Æ)
    # and case folding can reveal accents: fold until nothing changes (twice at most
    # for any real text).
    for _ in range(4):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
        if text.isascii():  # folded ASCII folds to itself: no need to fold it again
            break
    # NFKD turns U+00A0, U+202F and U+2009 into plain spaces; \s covers the rest.
    return _SPACE.sub(" ", text).strip()


def _fold_once(text: str) -> str:
    # The table runs before NFKD too: NFKD turns the acute accent ´ used as an
    # apostrophe ("l´ONU") into a space and a combining mark, which would be lost.
    decomposed = _tabled(unicodedata.normalize("NFKD", _tabled(text)))
    return decomposed.translate(_MARKS).casefold()


def _tabled(text: str) -> str:
    """``text`` through the table, when it holds a character the table changes."""
    return text.translate(_TABLE) if _TABLE_CHARS.search(text) else text


def loose(text: str, *, keep_articles: bool = False) -> str:
    """:func:`normalize`, then punctuation and hyphens dropped and a leading article
    or preposition removed, for lenient comparison of names. ``keep_articles`` keeps
    that first word: a person's name turned round starts with its particle ("Le Drian
    Jean-Yves"), which is part of the name."""
    text = _PUNCT.sub(" ", _DOTS.sub("", normalize(text)))
    text = _SPACE.sub(" ", text).strip()
    if keep_articles:
        return text
    shorter = _ARTICLES.sub("", text)
    return shorter or text


def is_acronym(text: str) -> bool:
    """True for keys like MINUSMA, ONU, CEDEAO, ACLED, HRW (two or more capitals and no
    lowercase letter) or a single word mostly in capitals like FAMa: a one-letter change
    makes another organisation, so they are never matched fuzzily."""
    letters = [c for c in text if c.isalpha()]
    capitals = sum(1 for c in letters if c.isupper())
    if capitals < 2:
        return False
    if capitals == len(letters):
        return True
    # "FAMa" (Forces armées maliennes): one word, capitals the majority.
    return " " not in text.strip() and capitals * 2 > len(letters)


def has_digit(text: str) -> bool:
    """True when ``text`` contains a digit (numbers and years are never fuzzy)."""
    return any(c.isdigit() for c in text)
