"""Writing a deck in Moodle's GIFT format: every card type, with a warning for what is lost.

Mapping (each card becomes the closest Moodle question type):

============  ==========================================================================
maliquiz      GIFT / Moodle
============  ==========================================================================
text          short answer ``{=answer =variant ...}``, accent-free variants added (Moodle
              compares accents), confusables as 0 % answers (never accepted); ``->``
              written ``-*>`` (see :mod:`.gift_syntax`)
number        numerical ``{#12000}``, ``{#12000:500}`` (a % tolerance becomes absolute),
              range ``{#11500..12500}``; plain digits; a unit is not shown (warning)
date          day or month: short answer with its written forms (``15 novembre 2024``,
              ``15/11/2024``, ``2024-11-15``...); year: numerical ``{#2013}``
choice        multiple choice ``{=right ~wrong}``; several right: ``~%50%`` each and
              ``~%-50%`` for wrong ones (weights from Moodle's list, as maliquiz grades)
truefalse     ``{T}`` / ``{F}``
order         matching: position → item (``=1 -> first``)
match         matching ``{=left -> right}``
cloze         missing word, one gap; several gaps: one question per gap, the other gaps
              filled in (warning)
flashcard     essay ``{####back}``: Moodle shows the back as feedback, ungraded (warning)
============  ==========================================================================

The explanation and the source go in the general feedback (``####``); tags in Moodle's
``// [tag:x]`` comments. What Moodle has no field for (card type when ambiguous, number
text and unit, date key, kind of answer, source reference) is kept in a comment line
``// maliquiz: {json}`` before each question (see :mod:`.gift_syntax`), which Moodle skips
and :func:`.gift_import.import_gift` reads, so that a deck exported and imported back has
the same questions and answers.

Question text and feedback are ``[html]`` with ``& < >`` escaped; answers are plain text
(a ``*``, Moodle's wildcard in short answers, is escaped; an answer starting with ``%``
gets its weight written first). Every text is then GIFT-escaped.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from maliquiz.core.deck import models
from maliquiz.core.deck.models import GAP_RE, CardBase, Deck
from maliquiz.core.interchange import CardWarning
from maliquiz.core.interchange.anki import plain_number
from maliquiz.core.interchange.gift_syntax import (
    ARROW,
    ARROW_WILDCARD,
    DECK_HINT,
    HINT,
    escape,
    strip_accents,
)
from maliquiz.core.interchange.labels import source_line
from maliquiz.core.text.dates import written_forms
from maliquiz.i18n import _

# Moodle's list of grade percentages (positive; their negatives are allowed too).
MOODLE_WEIGHTS = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
    "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5",
)  # fmt: skip


def _html(text: str) -> str:
    """Question text or feedback: HTML-escaped, then GIFT-escaped."""
    return escape(html.escape(text, quote=False).replace("\n", "<br>"))


def _answer(text: str) -> str:
    """A short answer: Moodle's ``*`` wildcard made literal, ``->`` (which would make
    the block a matching question) written ``-*>``, then GIFT-escaped."""
    return escape(text.replace("*", "\\*").replace(ARROW, ARROW_WILDCARD))


def _item(marker: str, text: str, weight: str) -> str:
    """One answer, ``marker`` then the escaped ``text``; a text starting with ``%`` would
    be read as a weight, so its own ``weight`` is then written first."""
    return f"{marker}%{weight}%{text}" if text.startswith("%") else marker + text


def with_accent_free(answers: list[str]) -> list[str]:
    """``answers`` followed by the accent-free forms not already in the list."""
    out = list(dict.fromkeys(answers))
    for answer in list(out):
        plain = strip_accents(answer).strip()
        if plain and plain not in out:
            out.append(plain)
    return out


def moodle_weight(percent: Decimal) -> tuple[str, bool]:
    """The closest weight of Moodle's list to ``percent`` (sign kept), and whether it
    is that weight exactly (to the list's five decimals)."""
    sign = "-" if percent < 0 else ""
    magnitude = abs(percent)
    best = min(MOODLE_WEIGHTS, key=lambda w: abs(Decimal(w) - magnitude))
    return sign + best, abs(Decimal(best) - magnitude) < Decimal("0.00001")


@dataclass
class _Question:
    """One GIFT question being written."""

    card_id: str
    title: str
    text: str  # already escaped; may hold the answer block in the middle
    block: str  # the answer block content, escaped
    after: str = ""  # escaped text after the block (missing-word form)
    hint: dict[str, Any] = field(default_factory=dict)


def _feedback(deck: Deck, card: CardBase, first: str | None = None) -> str:
    paragraphs = [p for p in (first, card.explanation, source_line(deck, card)) if p]
    if not paragraphs:
        return ""
    return "####" + "".join(f"<p>{_html(p)}</p>" for p in paragraphs)


def _gift_questions(deck: Deck, card: CardBase, warn: list[CardWarning]) -> list[_Question]:
    def say(message: str) -> None:
        warn.append(CardWarning(card.id, message))

    hint: dict[str, Any] = {"type": getattr(card, "type", "text")}
    if card.group is not None:
        hint["group"] = card.group  # GIFT has no way to say two questions are one fact
    if isinstance(card.source, list):
        hint["source"] = [s.model_dump(mode="json", exclude_none=True) for s in card.source]
    elif card.source is not None:
        hint["source"] = card.source.model_dump(mode="json", exclude_none=True)
    prompt = _html(card.prompt)
    feedback = _feedback(deck, card)
    question = _Question(card.id, card.id, prompt, "", hint=hint)

    if isinstance(card, models.FlashCard):
        question.block = _feedback(deck, card, card.back)
        say(
            _(
                "a flashcard becomes an essay question: Moodle shows the back as feedback "
                "and leaves the grading to the teacher"
            )
        )
        return [question]
    if isinstance(card, models.TextCard):
        items = [
            _item("=", _answer(a), "100") for a in with_accent_free([card.answer, *card.accept])
        ]
        items += [f"=%0%{_answer(c)}" for c in card.confusables]
        hint["kind"] = str(card.kind)
        written = [card.answer, *card.accept]
        if len({strip_accents(form) for form in written}) < len(written):
            # A variant written without accents on purpose looks like one of the
            # accent-free forms added above: the list as written travels in the comment.
            hint["accept"] = list(card.accept)
        question.block = " ".join(items) + feedback
        return [question]
    if isinstance(card, models.NumberCard):
        hint["answer"] = card.answer
        for key in ("unit", "tolerance", "min", "max"):
            if getattr(card, key) is not None:
                hint[key] = getattr(card, key)
        question.block = "#" + _numerical(card, say) + feedback
        if card.unit:
            say(
                _("the unit `{unit}` is not shown: GIFT numerical questions have no unit").format(
                    unit=card.unit
                )
            )
        return [question]
    if isinstance(card, models.DateCard):
        hint["answer"] = card.answer
        if card.date.month is None:
            question.block = f"#{card.date.year}" + feedback
        else:
            forms = with_accent_free(written_forms(card.date))
            question.block = " ".join(_item("=", _answer(f), "100") for f in forms) + feedback
        return [question]
    if isinstance(card, models.ChoiceCard):
        if not card.shuffle:
            hint["shuffle"] = False
        right = card.answers
        if len(right) == 1:
            items = [
                _item("=", escape(o), "100") if o in right else _item("~", escape(o), "0")
                for o in card.options
            ]
        else:
            # maliquiz scores (right ticked - wrong ticked) / right, floored at 0: the same
            # as Moodle's sum of weights with +100/k and -100/k.
            share = Decimal(100) / len(right)
            up, exact_up = moodle_weight(share)
            down, exact_down = moodle_weight(-share)
            if not (exact_up and exact_down):
                say(
                    _(
                        "{n} right options need a weight of {weight} %, not in Moodle's "
                        "list; {used} % is used"
                    ).format(n=len(right), weight=round(share, 5), used=up)
                )
            items = [f"~%{up if o in right else down}%{escape(o)}" for o in card.options]
        question.block = " ".join(items) + feedback
        return [question]
    if isinstance(card, models.TrueFalseCard):
        question.block = ("T" if card.answer else "F") + feedback
        return [question]
    if isinstance(card, models.OrderCard):
        items = [f"={n} -> {escape(item)}" for n, item in enumerate(card.items, start=1)]
        question.block = " ".join(items) + feedback
        return [question]
    if isinstance(card, models.MatchCard):
        items = []
        for pair in card.pairs:
            left = pair.left
            if "->" in left:
                say(
                    _("`->` in `{left}` would end the left side in GIFT; written `→`").format(
                        left=left
                    )
                )
                left = left.replace("->", "→")
            items.append(f"={_html(left)} -> {escape(pair.right)}")
        question.block = " ".join(items) + feedback
        return [question]
    if isinstance(card, models.ClozeCard):
        return _cloze_questions(deck, card, question, feedback, say)
    raise AssertionError(f"unknown card type {type(card).__name__}")  # pragma: no cover


def _numerical(card: models.NumberCard, say: Any) -> str:
    value = card.value
    low, high = card.min_value, card.max_value
    if low is not None or high is not None:
        if low is None or high is None:
            # GIFT ranges are closed: mirror the side given around the key.
            assert low is not None or high is not None
            if low is None:
                assert high is not None
                low = 2 * value - high
            else:
                high = 2 * value - low
            say(
                _(
                    "GIFT has no open range: exported as {low}..{high}, symmetric around the answer"
                ).format(low=plain_number(low), high=plain_number(high))
            )
        return f"{plain_number(low)}..{plain_number(high)}"
    tolerance = card.tolerance_value
    if tolerance is None or tolerance[0] == 0:
        return plain_number(value)
    amount, pct = tolerance
    if pct:
        amount = abs(value) * amount / 100
    return f"{plain_number(value)}:{plain_number(amount)}"


def _cloze_questions(
    deck: Deck, card: models.ClozeCard, question: _Question, feedback: str, say: Any
) -> list[_Question]:
    matches = list(GAP_RE.finditer(card.prompt))
    gaps = card.gaps
    if len(matches) > 1:
        say(
            _(
                "GIFT holds one gap per question: the {n} gaps become {n} questions, each "
                "with the other gaps filled in"
            ).format(n=len(matches))
        )
    questions = []
    for k, match in enumerate(matches):
        # The text around gap k, the other gaps filled with their display answer.
        before = GAP_RE.sub(
            lambda m: m.group(1).split("|")[0].strip(), card.prompt[: match.start()]
        )
        after = GAP_RE.sub(lambda m: m.group(1).split("|")[0].strip(), card.prompt[match.end() :])
        hint = dict(question.hint)
        title = card.id
        if len(matches) > 1:
            hint.update(card=card.id, gap=k + 1, gaps=len(matches))
            title = f"{card.id} ({k + 1}/{len(matches)})"
        answers = " ".join(_item("=", _answer(a), "100") for a in with_accent_free(gaps[k]))
        questions.append(
            _Question(card.id, title, _html(before), answers + feedback, _html(after), hint)
        )
    return questions


def export_gift(deck: Deck) -> tuple[str, list[CardWarning]]:
    """``deck`` as GIFT text, and a warning for everything Moodle cannot hold as is."""
    warnings: list[CardWarning] = []
    header = deck.model_dump(mode="json", exclude={"cards"}, exclude_none=True)
    category = deck.title.replace("/", "-").replace("\n", " ")
    lines = [
        f"// {deck.title} ({deck.id}): exported by maliquiz",
        f"// {DECK_HINT} {json.dumps(header, ensure_ascii=False)}",
        "",
        f"$CATEGORY: $course$/{category}",
        "",
    ]
    for card in deck.cards:
        for question in _gift_questions(deck, card, warnings):
            lines.append(f"// {HINT} {json.dumps(question.hint, ensure_ascii=False)}")
            tags = deck.card_tags(card)
            if tags:
                lines.append("// " + " ".join(f"[tag:{t}]" for t in tags))
            lines.append(
                f"::{escape(question.title)}::[html]{question.text}{{{question.block}}}"
                f"{question.after}"
            )
            lines.append("")
    return "\n".join(lines), warnings
