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

With ``any_order=True`` (for people's names) the parts of the answer and of each
variant may also come in another order: "Goïta Assimi" for "Assimi Goïta", "Le Drian
Jean-Yves" for "Jean-Yves Le Drian" (a particle such as *le*, *de*, *ould*, *ag* stays
with the word after it, :func:`name_orders`). Steps 1 to 4 apply to those orders alike,
with the same typo budget; only the answer's own parts count (a surname alone is still
incomplete), and another name of the deck, in any order, that is as close wins.
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
    """The result of :func:`match_text`: how it matched, which accepted form, the
    number of edits for a typo, and ``order``, the form's parts in the order they were
    typed when that is not the form's own (``Goïta Assimi`` for ``Assimi Goïta``)."""

    kind: MatchKind
    form: str | None = None
    distance: int = 0
    order: str | None = None  # ``form`` in the order typed, when another than its own


# Particles of names: they belong to the word after them ("Le Drian", "Ould Abdel").
_PARTICLES = frozenset(
    ("le", "la", "les", "l", "de", "du", "des", "d", "van", "von", "der", "den", "ter",
     "al", "el", "ben", "bin", "ibn", "abu", "ould", "ag", "da", "di", "dos", "das",
     "del", "della")
)  # fmt: skip


def _name_parts(name: str) -> list[str]:
    """The parts of a name, each particle joined to the word after it."""
    parts: list[str] = []
    pending: list[str] = []
    for word in name.split():
        pending.append(word)
        if normalize(word).rstrip("'") not in _PARTICLES:
            parts.append(" ".join(pending))
            pending = []
    if pending:  # a particle last: keep it with the part before
        parts.append(" ".join([parts.pop(), *pending]) if parts else " ".join(pending))
    return parts


def name_orders(name: str) -> list[str]:
    """The other orders of a person's name, its parts kept whole: every rotation, so the
    surname, simple or compound, can come first ("Goïta Assimi", "Le Drian Jean-Yves",
    "Sidibe Gascon Binta"). Empty for a one-part name, an acronym or a name with digits."""
    if is_acronym(name) or has_digit(name):
        return []
    parts = _name_parts(name)
    return [" ".join(parts[k:] + parts[:k]) for k in range(1, len(parts))]


def looks_like_a_name(text: str) -> bool:
    """True for text written like a person's name: two to four parts, every word but
    the particles starting with a capital ("Assimi Goïta", "Jean-Yves Le Drian"), no
    digits, no acronym, no elided word ("Côte d'Ivoire" is not a person)."""
    if is_acronym(text) or has_digit(text) or not 2 <= len(_name_parts(text)) <= 4:
        return False
    words = [w for w in text.split() if normalize(w).rstrip("'") not in _PARTICLES]
    return all(w[:1].isupper() and "'" not in normalize(w) for w in words)


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
    *,
    any_order: bool = False,
) -> TextMatch:
    """Decide whether ``typed`` names ``answer`` (see the module doc); ``any_order``
    also takes the parts of a person's name in another order."""
    folded, lenient = normalize(typed), loose(typed)
    if not folded:
        return TextMatch(MatchKind.WRONG)
    forms = [answer, *accepted]
    for form in forms:
        if normalize(form) == folded or (lenient and loose(form) == lenient):
            return TextMatch(MatchKind.EXACT, form)
    key_forms = {loose(form) for form in forms}
    rivals = [
        (rival, _orders(rival, any_order))
        for rival in (*confusables, *others)
        if loose(rival) not in key_forms
    ]
    for confusable in confusables:
        for written in (confusable, *_orders(confusable, any_order)):
            if normalize(written) == folded or loose(written) == lenient:
                return TextMatch(MatchKind.WRONG)
    if has_digit(folded):
        return TextMatch(MatchKind.WRONG)

    # A name turned round is compared with its particles ("Le Drian Jean-Yves"): loose
    # would drop a leading "le" and accept "Drian Jean-Yves".
    spelled = loose(typed, keep_articles=True)
    orders = [(form, order) for form in forms for order in _orders(form, any_order)]
    best: TextMatch | None = None
    for form, order in orders:
        if normalize(order) == folded or loose(order, keep_articles=True) == spelled:
            best = TextMatch(MatchKind.EXACT, form, 0, order)
            break
    if best is None:
        candidates: list[tuple[str, str | None]] = [(form, None) for form in forms]
        for form, turned in candidates + list(orders):
            if is_acronym(form) or has_digit(form):
                continue
            if turned is None:
                distance = OSA.distance(lenient, loose(form))
            else:
                distance = OSA.distance(spelled, loose(turned, keep_articles=True))
            if distance <= typo_budget(form) and (best is None or distance < best.distance):
                best = TextMatch(MatchKind.TYPO, form, distance, turned)
    if best is None:
        return TextMatch(MatchKind.WRONG)
    # A name read turned round must not be as close to another name, in any order; a
    # name typed in its own order is compared with the others as written, as ever.
    for rival, rival_orders in rivals:
        distances = [OSA.distance(lenient, loose(rival))]
        if best.order is not None:
            distances += [OSA.distance(spelled, loose(r, keep_articles=True)) for r in rival_orders]
        if min(distances) <= best.distance:
            return TextMatch(MatchKind.WRONG)
    return best


def _orders(name: str, any_order: bool) -> list[str]:
    return name_orders(name) if any_order else []
