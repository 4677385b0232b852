"""Figures of a paragraph: numbers in figures (``2.000``, ``17 557``, ``2,5 millions``) or
in words (``quarante-six``, ``quinze mille``), with the qualifier written before them
(``plus de``, ``environ``) and the noun they count (``soldats et policiers``).

Years (``2013``), the days of dates and round figures (``des dizaines de milliers``)
are not figures: dates are found by :mod:`.dates`, round figures have no value to ask.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from maliquiz.core.text.normalize import normalize
from maliquiz.core.text.numbers import format_number, parse_number, spelled_number
from maliquiz.draft.facts import Fact

_SCALE = r"(?:\s+(?:millions?|milliards?|mille))?"
_DIGITS = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:[ .\u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
    + _SCALE
    + r"(?![\w]|[.,]\d)"
)
_NUMBER_WORDS = frozenset(
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "  # noqa: SIM905
    "vingt vingts trente quarante cinquante soixante cent cents mille et un une".split()
)
_QUALIFIERS = (
    "plus de", "moins de", "près de", "pres de", "environ", "au moins", "au plus",
    "quelque", "autour de", "jusqu'à", "jusqu'a", "quelques",
)  # fmt: skip
_QUALIFIER_BEFORE = re.compile(
    r"(?:^|\W)(" + "|".join(re.escape(q) for q in _QUALIFIERS) + r")\s*$", re.IGNORECASE
)
_MONTH_AFTER = re.compile(
    r"\s*(?:er\s+)?(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|"
    r"octobre|novembre|d[ée]cembre)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# Between two figures of one clause, the second counting what the first does.
_ELIDED = re.compile(r"^[^.;:!?]{0,40}\bet\s+\w+\s+(?:plus de|moins de|près de|environ)?\s*$")
# "pour un an": a duration of one (elsewhere "un" is an article, no figure).
_ONE = re.compile(
    r"(?<![\w])(?:pour|pendant|durant)\s+(une?)\s+(an|année|mois|semaine|jour)\b", re.IGNORECASE
)
MAGNITUDES = (
    "dizaines", "centaines", "milliers",
    "dizaines de milliers", "centaines de milliers", "millions",
)  # fmt: skip
"""Round figures, smallest first: a choice on ``quelques milliers`` offers its neighbours."""
_ROUND = re.compile(
    r"(?<![\w])(quelques|des|plusieurs)\s+("
    + "|".join(sorted(MAGNITUDES, key=len, reverse=True))
    + r")(?=\s+d(?:e\s|'))",
    re.IGNORECASE,
)


def _qualifier(text: str, start: int) -> tuple[str | None, int]:
    """The qualifier written just before ``start`` and where it starts."""
    match = _QUALIFIER_BEFORE.search(text[max(0, start - 20) : start])
    if not match:
        return None, start
    return match.group(1), start - (len(text[max(0, start - 20) : start]) - match.start(1))


def _word_runs(doc: Any) -> list[tuple[int, int, Decimal]]:
    """Numbers in words: runs of number words that are one number of at least 2."""
    runs: list[tuple[int, int, Decimal]] = []
    tokens = list(doc)
    i = 0
    while i < len(tokens):
        parts = re.split(r"-", normalize(tokens[i].text))
        if not parts or not all(p in _NUMBER_WORDS for p in parts if p) or parts[0] in {"et"}:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and all(
            p in _NUMBER_WORDS for p in re.split(r"-", normalize(tokens[j + 1].text)) if p
        ):
            j += 1
        while j > i and normalize(tokens[j].text) in {"et", "un", "une"}:
            j -= 1
        words = " ".join(t.text for t in tokens[i : j + 1])
        value = spelled_number(normalize(words)) if normalize(words) not in {"un", "une"} else None
        if value is not None and value >= 2:
            runs.append((tokens[i].idx, tokens[j].idx + len(tokens[j].text), Decimal(value)))
        i = j + 1
    return runs


def unit_after(doc: Any, end: int) -> str | None:
    """The noun a figure counts, with its adjectives and a coordinated noun: the tokens
    after ``end`` (a character offset) up to the first noun and the adjectives after it
    (``soldats et policiers supplémentaires``, ``casques bleus``, ``millions de
    personnes`` gives ``personnes``)."""
    tokens = [t for t in doc if t.idx >= end]
    if tokens and normalize(tokens[0].text) in {"de", "d'"}:
        tokens = tokens[1:]
    words: list[Any] = []
    for n, token in enumerate(tokens[:4]):
        counted = any(c.dep_ == "nummod" and c.idx < end for c in token.children)
        if (token.pos_ in {"NOUN", "PROPN"} or counted) and not token.text[0].isupper():
            words = tokens[: n + 1]
            break
        if token.pos_ not in {"ADJ"} or token.is_punct:
            return None
    if not words:
        return None
    rest = tokens[len(words) :]
    _modifiers(words, rest)
    # The whole list counted: "soldats, policiers, civils et volontaires" (a figure
    # asked as "combien de soldats" would be false).
    while len(rest) >= 2 and rest[0].text in {",", "et", "ou"} and _noun(rest[1]):
        listed = rest[1:]
        if rest[0].text == "," and not any(
            t.text in {"et", "ou"} for t in listed[:8]
        ):  # a comma that starts no list
            break
        words += rest[:2]
        rest = rest[2:]
        _modifiers(words, rest)
        if words[-1].text not in {",", "et", "ou"} and rest[:1] and rest[0].text in {"et", "ou"}:
            continue
    return str(doc.text)[words[0].idx : words[-1].idx + len(words[-1].text)]


def _noun(token: Any) -> bool:
    return token.pos_ in {"NOUN", "ADJ"} and token.text.islower()


def _modifiers(words: list[Any], rest: list[Any]) -> None:
    """Adjectives after a counted noun, and a bare complement: ``coups d'État``."""
    while rest:
        if rest[0].pos_ == "ADJ" and rest[0].text.islower():
            words.append(rest.pop(0))
        elif (
            len(rest) >= 2
            and rest[0].lower_ in {"d'", "de"}
            and rest[1].pos_ in {"NOUN", "PROPN"}
            and rest[1].text[0].isupper()
        ):
            words += [rest.pop(0), rest.pop(0)]
        else:
            break


def figures_in(doc: Any, paragraph: int, skip: int = 0) -> list[Fact]:
    """Every figure of a parsed paragraph (``doc``) after character ``skip``."""
    text = doc.text
    found: list[Fact] = []
    spans: list[tuple[int, int, Decimal, str]] = []
    for match in _DIGITS.finditer(text, skip):
        written = match.group(0)
        if _YEAR.fullmatch(written) or _MONTH_AFTER.match(text, match.end()):
            continue  # a year or the day of a date
        parsed = parse_number(written)
        if parsed is not None:
            spans.append((match.start(), match.end(), parsed.value, written))
    for start, end, value in _word_runs(doc):
        if start >= skip and not _MONTH_AFTER.match(text, end):
            spans.append((start, end, value, text[start:end]))
    for match in _ONE.finditer(text, skip):
        found.append(
            Fact(
                "number", paragraph, match.start(1), match.end(2), "1",
                number=Decimal(1), unit=match.group(2).lower(),
            )
        )  # fmt: skip
    for match in _ROUND.finditer(text, skip):
        unit = unit_after(doc, match.end())
        if unit is not None:
            answer = f"{match.group(1).lower()} {match.group(2).lower()}"
            found.append(Fact("number", paragraph, match.start(), match.end(), answer, unit=unit))
    last: tuple[int, str] | None = None
    for start, end, value, written in sorted(spans):
        qualifier, _where = _qualifier(text, start)
        unit = unit_after(doc, end)
        if unit is None and last is not None and _ELIDED.search(text[last[0] : start]):
            unit = last[1]  # "plus de 2,5 millions de personnes et tué plus de 8 000"
        last = (end, unit) if unit else None
        if unit is None and value < 100:
            continue  # "deux" or "3" with nothing counted: no question to ask
        answer = written if written[0].isdigit() else format_number(value).replace("\u202f", " ")
        found.append(
            Fact(
                "number",
                paragraph,
                start,
                end,
                f"{qualifier} {answer}" if qualifier else answer,
                number=value,
                unit=unit,
                qualifier=qualifier,
            )
        )
    return found
