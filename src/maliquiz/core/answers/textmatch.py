"""Matching a typed name against a key, its variants and the names it must not be.

1. Exact: the typed text equals the answer or an accepted variant once folded
   (:func:`~maliquiz.core.text.normalize.normalize`), or once articles and punctuation are
   dropped too (:func:`~maliquiz.core.text.normalize.loose`: "Etats Unis" = "États-Unis").
2. A confusable written out ("MINUSCA" for MINUSMA) is wrong, never a typo.
3. Typo: an optimal string alignment distance (a swap of two letters counts one edit)
   within a budget set by the key's length: none up to 3 letters, 1 edit up to 9,
   2 from 10. Never for a key or an answer with digits (2020 is not 2021) or for an
   acronym (MINUSMA, ONU, CEDEAO: one letter makes another organisation).
4. A typo is refused when a confusable, or another name of the deck, is at least as
   close to what was typed as the key is: the learner may have meant that one.

Incomplete answers are not typos: "Goïta" for "Assimi Goïta" is accepted only when the
deck lists it as a variant. (Partial-ratio scores would accept it silently.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import OSA

from maliquiz.core.text.normalize import has_digit, is_acronym, loose, normalize


class MatchKind(StrEnum):
    """How a typed name matched."""

    EXACT = "exact"
    TYPO = "typo"
    WRONG = "wrong"


@dataclass(frozen=True)
class TextMatch:
    """The result of :func:`match_text`: how it matched, which accepted form, and the
    number of edits for a typo."""

    kind: MatchKind
    form: str | None = None
    distance: int = 0


def typo_budget(key: str) -> int:
    """Edits allowed for a key of this length (letters and digits, folded)."""
    size = len(loose(key).replace(" ", ""))
    if size <= 3:
        return 0
    return 1 if size <= 9 else 2


def match_text(
    typed: str,
    answer: str,
    accepted: Sequence[str] = (),
    confusables: Sequence[str] = (),
    others: Sequence[str] = (),
) -> TextMatch:
    """Decide whether ``typed`` names ``answer`` (see the module doc)."""
    folded, lenient = normalize(typed), loose(typed)
    if not folded:
        return TextMatch(MatchKind.WRONG)
    forms = [answer, *accepted]
    for form in forms:
        if normalize(form) == folded or (lenient and loose(form) == lenient):
            return TextMatch(MatchKind.EXACT, form)
    key_forms = {loose(form) for form in forms}
    for confusable in confusables:
        if normalize(confusable) == folded or loose(confusable) == lenient:
            return TextMatch(MatchKind.WRONG)
    if has_digit(folded):
        return TextMatch(MatchKind.WRONG)

    best: TextMatch | None = None
    for form in forms:
        if is_acronym(form) or has_digit(form):
            continue
        distance = OSA.distance(lenient, loose(form))
        if distance <= typo_budget(form) and (best is None or distance < best.distance):
            best = TextMatch(MatchKind.TYPO, form, distance)
    if best is None:
        return TextMatch(MatchKind.WRONG)
    for rival in (*confusables, *others):
        rival_form = loose(rival)
        if rival_form in key_forms:
            continue
        if OSA.distance(lenient, rival_form) <= best.distance:
            return TextMatch(MatchKind.WRONG)
    return best
