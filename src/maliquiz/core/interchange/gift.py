"""Moodle's GIFT format: export every card type, and read GIFT back into a deck.

Mapping (each card becomes the closest Moodle question type):

============  ==========================================================================
maliquiz      GIFT / Moodle
============  ==========================================================================
text          short answer ``{=answer =variant ...}``, accent-free variants added (Moodle
              compares accents), confusables as 0 % answers (never accepted)
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
``// maliquiz: {json}`` before each question, which Moodle skips and :func:`import_gift`
reads, so that a deck exported and imported back has the same questions and answers.

Escapes: ``~ = # { } :`` and ``\\`` are escaped with a backslash in every text. Question
text and feedback are ``[html]`` with ``& < >`` escaped; answers are plain text (a ``*``,
Moodle's wildcard in short answers, is escaped).

:func:`import_gift` is our own reader, written from the format's rules: it accepts GIFT
from other tools too (comments, categories, question names, formats, feedback, weights)
and reports what it cannot read at its line and column.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from maliquiz.core.deck.models import (
    GAP_RE,
    SLUG_PATTERN,
    CardBase,
    ChoiceCard,
    ClozeCard,
    DateCard,
    Deck,
    FlashCard,
    MatchCard,
    NumberCard,
    OrderCard,
    TextCard,
    TrueFalseCard,
)
from maliquiz.core.interchange import CardWarning, InterchangeError, line_col
from maliquiz.core.interchange.anki import plain_number
from maliquiz.core.interchange.labels import source_line
from maliquiz.core.text.dates import parse_date, parse_iso, written_forms
from maliquiz.i18n import _

# Moodle's list of grade percentages (positive; their negatives are allowed too).
MOODLE_WEIGHTS = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
    "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5",
)  # fmt: skip
_SPECIAL = "\\~=#{}:"
_HINT = "maliquiz:"
_DECK_HINT = "maliquiz deck:"


# -- writing ------------------------------------------------------------------------


def escape(text: str) -> str:
    """GIFT text: ``~ = # { } :`` and ``\\`` escaped, newlines as ``\\n``."""
    out = "".join("\\" + c if c in _SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def _html(text: str) -> str:
    """Question text or feedback: HTML-escaped, then GIFT-escaped."""
    return escape(html.escape(text, quote=False).replace("\n", "<br>"))


def _answer(text: str) -> str:
    """A short answer: Moodle's ``*`` wildcard made literal, then GIFT-escaped."""
    return escape(text.replace("*", "\\*"))


def strip_accents(text: str) -> str:
    """``Goïta`` → ``Goita``, ``œuvre`` → ``oeuvre``; case kept."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


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
    if card.source is not None:
        hint["source"] = card.source.model_dump(mode="json", exclude_none=True)
    prompt = _html(card.prompt)
    feedback = _feedback(deck, card)
    question = _Question(card.id, card.id, prompt, "", hint=hint)

    if isinstance(card, FlashCard):
        question.block = _feedback(deck, card, card.back)
        say(
            _(
                "a flashcard becomes an essay question: Moodle shows the back as feedback "
                "and leaves the grading to the teacher"
            )
        )
        return [question]
    if isinstance(card, TextCard):
        items = [f"={_answer(a)}" for a in with_accent_free([card.answer, *card.accept])]
        items += [f"=%0%{_answer(c)}" for c in card.confusables]
        hint["kind"] = str(card.kind)
        question.block = " ".join(items) + feedback
        return [question]
    if isinstance(card, NumberCard):
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
    if isinstance(card, DateCard):
        hint["answer"] = card.answer
        if card.date.month is None:
            question.block = f"#{card.date.year}" + feedback
        else:
            forms = with_accent_free(written_forms(card.date))
            question.block = " ".join(f"={_answer(f)}" for f in forms) + feedback
        return [question]
    if isinstance(card, ChoiceCard):
        if not card.shuffle:
            hint["shuffle"] = False
        right = card.answers
        if len(right) == 1:
            items = [("=" if o in right else "~") + escape(o) for o in card.options]
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
    if isinstance(card, TrueFalseCard):
        question.block = ("T" if card.answer else "F") + feedback
        return [question]
    if isinstance(card, OrderCard):
        items = [f"={n} -> {escape(item)}" for n, item in enumerate(card.items, start=1)]
        question.block = " ".join(items) + feedback
        return [question]
    if isinstance(card, MatchCard):
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
    if isinstance(card, ClozeCard):
        return _cloze_questions(deck, card, question, feedback, say)
    raise AssertionError(f"unknown card type {type(card).__name__}")  # pragma: no cover


def _numerical(card: NumberCard, say: Any) -> str:
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
    deck: Deck, card: ClozeCard, question: _Question, feedback: str, say: Any
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
        answers = " ".join(f"={_answer(a)}" for a in with_accent_free(gaps[k]))
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
        f"// {_DECK_HINT} {json.dumps(header, ensure_ascii=False)}",
        "",
        f"$CATEGORY: $course$/{category}",
        "",
    ]
    for card in deck.cards:
        for question in _gift_questions(deck, card, warnings):
            lines.append(f"// {_HINT} {json.dumps(question.hint, ensure_ascii=False)}")
            tags = deck.card_tags(card)
            if tags:
                lines.append("// " + " ".join(f"[tag:{t}]" for t in tags))
            lines.append(
                f"::{escape(question.title)}::[html]{question.text}{{{question.block}}}"
                f"{question.after}"
            )
            lines.append("")
    return "\n".join(lines), warnings


# -- reading ------------------------------------------------------------------------


@dataclass
class _Text:
    """A stretch of a GIFT file: characters with their escaped flag and offset."""

    chars: list[tuple[str, bool, int]]

    def find(self, token: str, start: int = 0) -> int:
        """Index of the first unescaped ``token`` at or after ``start``, or -1."""
        n = len(token)
        for i in range(start, len(self.chars) - n + 1):
            if all(not self.chars[i + j][1] and self.chars[i + j][0] == token[j] for j in range(n)):
                return i
        return -1

    def cut(self, start: int, end: int | None = None) -> _Text:
        return _Text(self.chars[start:end])

    def plain(self) -> str:
        return "".join(c for c, _e, _o in self.chars)

    def offset(self, index: int) -> int:
        if not self.chars:
            return 0
        return self.chars[min(index, len(self.chars) - 1)][2]

    def split(self, token: str) -> list[_Text]:
        parts, start = [], 0
        while (i := self.find(token, start)) >= 0:
            parts.append(self.cut(start, i))
            start = i + len(token)
        parts.append(self.cut(start))
        return parts

    def strip(self) -> _Text:
        chars = self.chars
        lo, hi = 0, len(chars)
        while lo < hi and chars[lo][0].isspace() and not chars[lo][1]:
            lo += 1
        while hi > lo and chars[hi - 1][0].isspace() and not chars[hi - 1][1]:
            hi -= 1
        return _Text(chars[lo:hi])


def _scan(text: str, start: int, end: int) -> _Text:
    chars: list[tuple[str, bool, int]] = []
    i = start
    while i < end:
        c = text[i]
        if c == "\\" and i + 1 < end:
            nxt = text[i + 1]
            chars.append(("\n" if nxt == "n" else nxt, True, i))
            i += 2
            continue
        chars.append((c, False, i))
        i += 1
    return _Text(chars)


_TAG_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.IGNORECASE | re.DOTALL)
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUEFALSE = re.compile(r"^(T|TRUE|F|FALSE)$", re.IGNORECASE)
_SLUG = re.compile(SLUG_PATTERN)


def _inline(text: str, is_html: bool) -> str:
    """Text around an answer block, spaces kept (they separate it from the gap)."""
    if not is_html:
        return text
    return html.unescape(_ANY_TAG.sub("", _TAG_RE.sub("\n", text)))


def _from_html(text: str, is_html: bool) -> str:
    if not is_html:
        return text.strip()
    text = _TAG_RE.sub("\n", text)
    return html.unescape(_ANY_TAG.sub("", text)).strip()


@dataclass
class _Answer:
    marker: str  # "=" or "~"
    weight: Decimal | None
    text: str
    at: int  # offset in the file


@dataclass
class _Parsed:
    """One question as read, before it becomes a card."""

    title: str | None
    before: str
    after: str
    kind: str  # essay, numerical, truefalse, matching, choice, short
    answers: list[_Answer]
    numbers: list[tuple[Decimal, Decimal | None, Decimal | None]]  # value, tol / lo, hi
    truth: bool | None
    feedback: list[str]
    hint: dict[str, Any]
    tags: list[str]
    line: int
    skipped: list[str] = field(default_factory=list)


def _feedback_paragraphs(text: str, is_html: bool) -> list[str]:
    found = _PARAGRAPH.findall(text) if is_html else []
    if not found:
        plain = _from_html(text, is_html)
        return [plain] if plain else []
    return [p for p in (_from_html(f, True) for f in found) if p]


def _number(text: str, source: str, at: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        line, col = line_col(source, at)
        raise InterchangeError(
            line,
            col,
            _("`{text}` is not a number; GIFT numbers are plain, like 12000 or 1.5").format(
                text=text.strip()
            ),
        ) from None
    if not value.is_finite():
        line, col = line_col(source, at)
        raise InterchangeError(line, col, _("`{text}` is not a number").format(text=text))
    return value


def _parse_numerical(
    body: _Text, source: str, skipped: list[str]
) -> list[tuple[Decimal, Decimal | None, Decimal | None]]:
    """``12000``, ``12000:500``, ``11500..12500`` or ``=a:t =%50%b:t ...``; answers
    with partial credit go to ``skipped``."""
    items = [body]
    if body.find("=") >= 0:
        items = [p for p in body.split("=") if p.strip().chars]
    out: list[tuple[Decimal, Decimal | None, Decimal | None]] = []
    for item in items:
        item = item.strip()
        fb = item.find("#")
        if fb >= 0:
            item = item.cut(0, fb).strip()
        raw = item.plain()
        at = item.offset(0)
        weight = _WEIGHT.match(raw)
        if weight:
            if Decimal(weight.group(1)) != 100:
                skipped.append(raw)
                continue
            raw = raw[weight.end() :]
        if ".." in raw:
            low_s, high_s = raw.split("..", 1)
            low, high = _number(low_s, source, at), _number(high_s, source, at)
            out.append(((low + high) / 2, low, high))
        elif ":" in raw:
            value_s, tol_s = raw.split(":", 1)
            out.append((_number(value_s, source, at), _number(tol_s, source, at), None))
        else:
            out.append((_number(raw, source, at), None, None))
    return out


def _parse_answers(body: _Text, source: str) -> list[_Answer]:
    answers: list[_Answer] = []
    starts = [i for i, (c, escaped, _o) in enumerate(body.chars) if c in "=~" and not escaped]
    if not starts or body.cut(0, starts[0]).strip().chars:
        at = body.strip().offset(0)
        line, col = line_col(source, at)
        raise InterchangeError(
            line,
            col,
            _("an answer must start with `=` (right) or `~` (wrong)"),
        )
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else None
        part = body.cut(start + 1, end)
        fb = part.find("#")
        if fb >= 0:
            part = part.cut(0, fb)
        raw = part.plain()
        weight = _WEIGHT.match(raw.lstrip())
        text = raw.lstrip()[weight.end() :] if weight else raw
        answers.append(
            _Answer(
                body.chars[start][0],
                Decimal(weight.group(1)) if weight else None,
                text.strip(),
                body.chars[start][2],
            )
        )
    return answers


def _parse_question(
    source: str, start: int, end: int, hint: dict[str, Any], tags: list[str]
) -> _Parsed | None:
    text = _scan(source, start, end).strip()
    line = line_col(source, text.offset(0))[0]
    title: str | None = None
    if text.find("::") == 0:
        close = text.find("::", 2)
        if close < 0:
            ln, col = line_col(source, text.offset(0))
            raise InterchangeError(ln, col, _("the question name opened with `::` is not closed"))
        title = text.cut(2, close).plain().strip()
        text = text.cut(close + 2).strip()
    is_html = False
    fmt = _FORMAT.match(text.plain())
    if fmt:
        is_html = fmt.group(1).lower() == "html"
        text = text.cut(fmt.end())
    open_at = text.find("{")
    if open_at < 0:
        return None  # a description: no answer to ask
    close_at = text.find("}", open_at)
    if close_at < 0:
        ln, col = line_col(source, text.offset(open_at))
        raise InterchangeError(ln, col, _("the answer block opened here is never closed"))
    before = _inline(text.cut(0, open_at).plain(), is_html)
    after = _inline(text.cut(close_at + 1).plain(), is_html)
    body = text.cut(open_at + 1, close_at)
    feedback: list[str] = []
    general = body.find("####")
    if general >= 0:
        feedback = _feedback_paragraphs(body.cut(general + 4).plain(), is_html)
        body = body.cut(0, general)
    body = body.strip()
    raw = body.plain()
    parsed = _Parsed(title, before, after, "short", [], [], None, feedback, hint, tags, line)
    if not raw:
        parsed.kind = "essay"
    elif raw.startswith("#") and not body.chars[0][1]:
        parsed.kind = "numerical"
        parsed.numbers = _parse_numerical(body.cut(1), source, parsed.skipped)
        if not parsed.numbers:
            ln, col = line_col(source, body.offset(0))
            raise InterchangeError(ln, col, _("a numerical answer needs a right value"))
    elif _TRUEFALSE.match(raw.split("#")[0].strip()) and body.find("=") < 0:
        parsed.kind = "truefalse"
        parsed.truth = raw.split("#")[0].strip().upper().startswith("T")
    else:
        parsed.answers = _parse_answers(body, source)
        if any("->" in a.text for a in parsed.answers) and all(
            a.marker == "=" for a in parsed.answers
        ):
            parsed.kind = "matching"
        elif any(a.marker == "~" for a in parsed.answers):
            parsed.kind = "choice"
    return parsed


def _comments(lines: list[str]) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    hint: dict[str, Any] = {}
    deck_hint: dict[str, Any] = {}
    tags: list[str] = []
    for line in lines:
        comment = line.strip()[2:].strip()
        for key, target in ((_DECK_HINT, deck_hint), (_HINT, hint)):
            if comment.startswith(key):
                try:
                    value = json.loads(comment[len(key) :])
                except json.JSONDecodeError:
                    value = None
                if isinstance(value, dict):
                    target.update(value)
                break
        tags += re.findall(r"\[tag:([^\]\s]+)\]", comment)
    return hint, tags, deck_hint


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


def _explanation(parsed: _Parsed, skip_first: bool) -> str | None:
    paragraphs = parsed.feedback[1:] if skip_first else list(parsed.feedback)
    if "source" in parsed.hint and paragraphs and paragraphs[-1].startswith("Source"):
        paragraphs = paragraphs[:-1]  # our own source line: the reference is in the hint
    return "\n\n".join(paragraphs) or None


@dataclass
class GiftImport:
    """What :func:`import_gift` read: the deck dict and what could not be carried."""

    deck: dict[str, Any]
    warnings: list[CardWarning]


def import_gift(text: str, deck_id: str, title: str | None = None) -> GiftImport:
    """Read GIFT ``text`` into a deck dict; :class:`InterchangeError` (line:col) for
    input that is not GIFT."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    warnings: list[CardWarning] = []
    blocks: list[tuple[int, int, list[str]]] = []  # start, end offsets; comments before
    deck_hint: dict[str, Any] = {}
    category: str | None = None
    offset = 0
    current: list[int] = []  # start, end of the question being gathered
    comments: list[str] = []
    pending: list[str] = []
    for raw_line in text.split("\n"):
        start, end = offset, offset + len(raw_line)
        offset = end + 1
        stripped = raw_line.strip()
        if not stripped:
            if current:
                blocks.append((current[0], current[1], comments))
                current, comments = [], []
            continue
        if stripped.startswith("//"):
            (comments if not current else pending).append(stripped)
            continue
        if stripped.startswith("$CATEGORY:") and not current:
            category = stripped[len("$CATEGORY:") :].strip().rstrip("/").split("/")[-1]
            continue
        if current:
            current[1] = end
        else:
            current = [start, end]
    if current:
        blocks.append((current[0], current[1], comments))

    parsed: list[_Parsed] = []
    for start, end, block_comments in blocks:
        hint, tags, found_deck = _comments(block_comments)
        deck_hint.update(found_deck)
        # Comment lines inside a question are skipped, as Moodle does.
        body = "\n".join(
            " " * len(line) if line.strip().startswith("//") else line
            for line in text[start:end].split("\n")
        )
        question = _parse_question(text[:start] + body, start, start + len(body), hint, tags)
        if question is None:
            warnings.append(
                CardWarning(
                    f"line {line_col(text, start)[0]}",
                    _("a description without an answer block is not a card: skipped"),
                )
            )
            continue
        parsed.append(question)

    deck_tags = [t for t in deck_hint.get("tags", []) if isinstance(t, str)]
    cards = _cards(parsed, deck_tags, warnings)
    deck: dict[str, Any] = {"id": deck_id, "title": title or deck_hint.get("title") or category}
    if not deck["title"]:
        deck["title"] = deck_id
    for key in ("language", "description", "authors", "tags", "sources"):
        if deck_hint.get(key):
            deck[key] = deck_hint[key]
    deck["cards"] = cards
    return GiftImport(deck, warnings)


def _card_id(parsed: _Parsed, used: set[str], n: int) -> str:
    base = parsed.title or ""
    if not _SLUG.match(base):
        base = _slugify(base) or f"q{n}"
    card_id, k = base, 2
    while card_id in used:
        card_id, k = f"{base}-{k}", k + 1
    used.add(card_id)
    return card_id


def _cards(
    parsed: list[_Parsed], deck_tags: list[str], warnings: list[CardWarning]
) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    used: set[str] = set()
    cloze_parts: dict[str, list[_Parsed]] = {}
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
        source = question.hint.get("source")
        if isinstance(source, dict):
            card["source"] = source
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


def _merge_cloze(parts: list[_Parsed]) -> str | None:
    """One prompt from questions that each ask one gap of the same text."""
    filled = {p.before + p.answers[0].text + p.after for p in parts if p.answers}
    if len(filled) != 1 or any(not p.answers for p in parts):
        return None
    text = filled.pop()
    spans = sorted(
        ((len(p.before), len(p.answers[0].text), _right_answers(p)) for p in parts),
        reverse=True,
    )
    for start, length, answers in spans:
        text = text[:start] + _gap(answers) + text[start + length :]
    return text.strip()


def _literal(answer: str) -> str:
    """A short answer as typed: Moodle's escaped wildcard ``\\*`` is a plain ``*``."""
    return answer.replace("\\*", "*")


def _right_answers(parsed: _Parsed) -> list[str]:
    return _fold_duplicates(
        [
            _literal(a.text)
            for a in parsed.answers
            if a.marker == "=" and a.weight in (None, Decimal(100))
        ]
    )


def _card(parsed: _Parsed, card_id: str, warnings: list[CardWarning]) -> dict[str, Any] | None:
    hint = parsed.hint
    kind = hint.get("type")
    missing_word = bool(parsed.after.strip())
    prompt = (parsed.before + ("____" if missing_word else "") + parsed.after).strip()
    card: dict[str, Any] = {"id": card_id, "type": "text", "prompt": prompt}

    def say(message: str) -> None:
        warnings.append(CardWarning(card_id, message))

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
            if parsed.skipped:
                say(
                    _("partial-credit answers are left out: {answers}").format(
                        answers=", ".join(parsed.skipped)
                    )
                )
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
                if (a.marker == "=" and a.weight in (None, Decimal(100)))
                or (a.weight is not None and a.weight > 0)
            ]
            partial_right = [
                a
                for a in parsed.answers
                if a.marker == "=" and a.weight not in (None, Decimal(100))
            ]
            if partial_right:
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
            if partial:
                say(
                    _("partial-credit answers are left out: {answers}").format(
                        answers=", ".join(partial)
                    )
                )
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
                    card["accept"] = right[1:]
                if zero:
                    card["confusables"] = zero
                if isinstance(hint.get("kind"), str):
                    card["kind"] = hint["kind"]
    if explanation:
        card["explanation"] = explanation
    return card


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
