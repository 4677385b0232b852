"""Reading GIFT into a deck dict: what the questions :mod:`.gift_parse` read mean as cards.

Moodle question types map back to card types (see :mod:`.gift_export`); the ``//
maliquiz:`` comment before a question, when there is one, restores what GIFT cannot say
(card type, the number as written, date key, kind of answer, source), so that a deck
exported and imported back has the same questions and answers. GIFT from other tools
gets the closest card, and a warning for what is left out.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from maliquiz.core.deck.models import SLUG_PATTERN
from maliquiz.core.interchange import CardWarning, DeckImport
from maliquiz.core.interchange.anki import plain_number
from maliquiz.core.interchange.gift_parse import ParsedAnswer, ParsedQuestion, parse_gift
from maliquiz.core.interchange.gift_syntax import ARROW, ARROW_WILDCARD, strip_accents
from maliquiz.core.text.dates import parse_date, parse_iso
from maliquiz.i18n import _

_SLUG = re.compile(SLUG_PATTERN)


def _slugify(text: str) -> str:
    folded = strip_accents(text).lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))[:60].strip("-")


def _fold_duplicates(answers: list[str]) -> list[str]:
    """Drop answers that only differ from an earlier one by accents (added on export,
    and maliquiz ignores accents anyway)."""
    out: list[str] = []
    seen: set[str] = set()
    for answer in answers:
        key = strip_accents(answer)
        if key not in seen:
            seen.add(key)
            out.append(answer)
    return out


def _explanation(parsed: ParsedQuestion, skip_first: bool) -> str | None:
    paragraphs = parsed.feedback[1:] if skip_first else list(parsed.feedback)
    if "source" in parsed.hint and paragraphs and paragraphs[-1].startswith("Source"):
        paragraphs = paragraphs[:-1]  # our own source line: the reference is in the hint
    return "\n\n".join(paragraphs) or None


def import_gift(text: str, deck_id: str, title: str | None = None) -> DeckImport:
    """Read GIFT ``text`` into a deck dict; :class:`InterchangeError` (line:col) for
    input that is not GIFT."""
    warnings: list[CardWarning] = []
    gift = parse_gift(text, warnings)
    deck_hint = gift.deck_hint
    deck_tags = [t for t in deck_hint.get("tags", []) if isinstance(t, str)]
    cards = _cards(gift.questions, deck_tags, warnings)
    deck: dict[str, Any] = {
        "id": deck_id,
        "title": title or deck_hint.get("title") or gift.category,
    }
    if not deck["title"]:
        deck["title"] = deck_id
    for key in ("language", "description", "authors", "tags", "sources"):
        if deck_hint.get(key):
            deck[key] = deck_hint[key]
    deck["cards"] = cards
    return DeckImport(deck, warnings)


def _card_id(parsed: ParsedQuestion, used: set[str], n: int) -> str:
    base = parsed.title or ""
    if not _SLUG.match(base):
        base = _slugify(base) or f"q{n}"
    card_id, k = base, 2
    while card_id in used:
        card_id, k = f"{base}-{k}", k + 1
    used.add(card_id)
    return card_id


def _cards(
    parsed: list[ParsedQuestion], deck_tags: list[str], warnings: list[CardWarning]
) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    used: set[str] = set()
    cloze_parts: dict[str, list[ParsedQuestion]] = {}
    for n, question in enumerate(parsed, start=1):
        owner = question.hint.get("card")
        if (
            question.hint.get("type") == "cloze"
            and isinstance(owner, str)
            and "gap" in question.hint
        ):
            if owner in cloze_parts:
                cloze_parts[owner].append(question)
                continue
            cloze_parts[owner] = [question]
            question.title = owner
        card_id = _card_id(question, used, n)
        card = _card(question, card_id, warnings)
        if card is None:
            continue
        tags = [t for t in question.tags if t not in deck_tags]
        if tags:
            card["tags"] = tags
        if isinstance(question.hint.get("group"), str):
            card["group"] = question.hint["group"]
        source = question.hint.get("source")
        if isinstance(source, dict) or (
            isinstance(source, list) and source and all(isinstance(s, dict) for s in source)
        ):
            card["source"] = source  # one citation, or the list a card citing several had
        cards.append(card)
    for owner, parts in cloze_parts.items():
        if len(parts) > 1:
            card = next(c for c in cards if c["id"] == owner)
            merged = _merge_cloze(parts)
            if merged is None:
                warnings.append(
                    CardWarning(
                        owner,
                        _("the parts of this cloze do not share one text: only the first gap kept"),
                    )
                )
            else:
                card["prompt"] = merged
    return cards


def _gap(answers: list[str]) -> str:
    return "{{" + "|".join(a.replace("|", "/") for a in answers) + "}}"


def _merge_cloze(parts: list[ParsedQuestion]) -> str | None:
    """One prompt from questions that each ask one gap of the same text."""
    filled = {p.before + _literal(p.answers[0].text) + p.after for p in parts if p.answers}
    if len(filled) != 1 or any(not p.answers for p in parts):
        return None
    text = filled.pop()
    spans = sorted(
        ((len(p.before), len(_literal(p.answers[0].text)), _right_answers(p)) for p in parts),
        reverse=True,
    )
    for start, length, answers in spans:
        text = text[:start] + _gap(answers) + text[start + length :]
    return text.strip()


def _literal(answer: str) -> str:
    """A short answer as typed: ``-*>`` is how ``->`` is written (see :mod:`.gift_syntax`),
    Moodle's escaped wildcard ``\\*`` a plain ``*``."""
    return answer.replace(ARROW_WILDCARD, ARROW).replace("\\*", "*")


def _fully_right(answer: ParsedAnswer) -> bool:
    """``=answer`` with no weight or 100 %: what the card accepts."""
    return answer.marker == "=" and answer.weight in (None, Decimal(100))


def _right_answers(parsed: ParsedQuestion) -> list[str]:
    return _fold_duplicates([_literal(a.text) for a in parsed.answers if _fully_right(a)])


def _card(
    parsed: ParsedQuestion, card_id: str, warnings: list[CardWarning]
) -> dict[str, Any] | None:
    hint = parsed.hint
    kind = hint.get("type")
    missing_word = bool(parsed.after.strip())
    prompt = (parsed.before + ("____" if missing_word else "") + parsed.after).strip()
    card: dict[str, Any] = {"id": card_id, "type": "text", "prompt": prompt}

    def say(message: str) -> None:
        warnings.append(CardWarning(card_id, message))

    def say_left_out(partial: list[str]) -> None:
        # Cards have no partial credit: a numerical or short answer worth part of the
        # grade is dropped, never silently.
        if partial:
            answers = ", ".join(partial)
            say(_("partial-credit answers are left out: {answers}").format(answers=answers))

    if parsed.kind == "essay":
        if not parsed.feedback:
            say(_("an essay question without feedback has no answer to show: skipped"))
            return None
        card.update(type="flashcard", back=parsed.feedback[0])
        explanation = _explanation(parsed, skip_first=True)
    else:
        explanation = _explanation(parsed, skip_first=False)
        if parsed.kind == "numerical":
            value, tol_or_low, high = parsed.numbers[0]
            if len(parsed.numbers) > 1:
                say(_("only the first right numerical answer is kept"))
            say_left_out(parsed.skipped)
            if kind == "date" and isinstance(hint.get("answer"), str):
                key = parse_iso(hint["answer"])
                if key is not None and key.month is None and Decimal(key.year) == value:
                    card.update(type="date", answer=hint["answer"])
            if card["type"] != "date":
                card.update(type="number", answer=plain_number(value))
                if high is not None and tol_or_low is not None:
                    card.update(min=plain_number(tol_or_low), max=plain_number(high))
                elif tol_or_low:
                    card["tolerance"] = plain_number(tol_or_low)
                _number_hint(card, hint, value, tol_or_low, high)
        elif parsed.kind == "truefalse":
            card.update(type="truefalse", answer="true" if parsed.truth else "false")
        elif parsed.kind == "matching":
            pairs = [a.text.split("->", 1) for a in parsed.answers]
            lefts = [p[0].strip() for p in pairs]
            rights = [p[1].strip() for p in pairs]
            in_sequence = lefts == [str(i) for i in range(1, len(lefts) + 1)]
            if kind == "order" or (kind is None and in_sequence):
                order = sorted(zip(lefts, rights, strict=True), key=lambda lr: _position(lr[0]))
                card.update(type="order", items=[r for _l, r in order])
            else:
                card["type"] = "match"
                card["pairs"] = [
                    {"left": l_, "right": r} for l_, r in zip(lefts, rights, strict=True)
                ]
        elif parsed.kind == "choice":
            options = [a.text for a in parsed.answers]
            right = [
                a.text
                for a in parsed.answers
                if _fully_right(a) or (a.weight is not None and a.weight > 0)
            ]
            if any(a.marker == "=" and not _fully_right(a) for a in parsed.answers):
                say(_("partial-credit answers of a single-answer choice are counted as wrong"))
            card.update(
                type="choice", options=options, answer=right[0] if len(right) == 1 else right
            )
            if hint.get("shuffle") is False:
                card["shuffle"] = False
        else:  # short answer, or missing word
            right = _right_answers(parsed)
            zero = [_literal(a.text) for a in parsed.answers if a.weight == 0]
            partial = [
                a.text
                for a in parsed.answers
                if a.weight is not None and a.weight not in (Decimal(0), Decimal(100))
            ]
            say_left_out(partial)
            if not right:
                say(_("no fully right answer: skipped"))
                return None
            if missing_word or kind == "cloze":
                gap_prompt = parsed.before + _gap(right) + parsed.after
                card.update(type="cloze", prompt=gap_prompt.strip())
            elif kind == "date" and _date_key(hint, right):
                card.update(type="date", answer=hint["answer"])
            else:
                card.update(answer=right[0])
                if right[1:]:
                    card["accept"] = _accepted(hint, parsed, right)
                if zero:
                    card["confusables"] = zero
                if isinstance(hint.get("kind"), str):
                    card["kind"] = hint["kind"]
    if explanation:
        card["explanation"] = explanation
    return card


def _accepted(hint: dict[str, Any], parsed: ParsedQuestion, right: list[str]) -> list[str]:
    """The accepted variants: as our comment wrote them when the question still offers
    each of them (a variant written without accents on purpose is kept), otherwise the
    right answers after the first, accent-only copies dropped."""
    written = hint.get("accept")
    offered = {_literal(a.text) for a in parsed.answers if _fully_right(a)}
    if (
        isinstance(written, list)
        and written
        and all(isinstance(w, str) and w in offered for w in written)
        and {strip_accents(w) for w in [right[0], *written]} == {strip_accents(r) for r in right}
    ):
        return written
    return right[1:]


def _position(text: str) -> int:
    return int(text) if text.isdigit() else 10**6


def _date_key(hint: dict[str, Any], answers: list[str]) -> bool:
    key = parse_iso(str(hint.get("answer", "")))
    return key is not None and parse_date(answers[0]) == key


def _number_hint(
    card: dict[str, Any],
    hint: dict[str, Any],
    value: Decimal,
    tol_or_low: Decimal | None,
    high: Decimal | None,
) -> None:
    """Restore the number as the teacher wrote it, when the GIFT still says the same."""
    if hint.get("type") != "number" or not isinstance(hint.get("answer"), str):
        return
    from maliquiz.core.text.numbers import parse_number

    written = parse_number(hint["answer"])
    if written is None:
        return
    ranged = high is not None
    if not ranged and written.value != value:
        return
    if high is not None and not (tol_or_low is not None and tol_or_low <= written.value <= high):
        return
    card["answer"] = hint["answer"]
    for key in ("unit", "tolerance", "min", "max"):
        card.pop(key, None)
        if isinstance(hint.get(key), str):
            card[key] = hint[key]
