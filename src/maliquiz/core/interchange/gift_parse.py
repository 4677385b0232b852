"""Reading GIFT text into questions: the syntax half of :func:`.gift_import.import_gift`.

Our own reader, written from the format's rules (Moodle's parser is GPL): it accepts
GIFT from other tools too (comments, categories, question names, formats, feedback,
weights) and raises :class:`~maliquiz.core.interchange.InterchangeError` at the line and
column of what it cannot read. What the questions mean as cards is left to
:mod:`.gift_import`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from maliquiz.core.interchange import CardWarning, InterchangeError, line_col
from maliquiz.core.interchange.gift_syntax import ARROW, DECK_HINT, HINT
from maliquiz.i18n import _


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
class ParsedAnswer:
    """One ``=`` or ``~`` answer of a block, its weight if it has one."""

    marker: str  # "=" or "~"
    weight: Decimal | None
    text: str
    at: int  # offset in the file


@dataclass
class ParsedQuestion:
    """One question as read, before it becomes a card."""

    title: str | None
    before: str
    after: str
    kind: str  # essay, numerical, truefalse, matching, choice, short
    answers: list[ParsedAnswer]
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
        raise InterchangeError.at(
            source,
            at,
            _("`{text}` is not a number; GIFT numbers are plain, like 12000 or 1.5").format(
                text=text.strip()
            ),
        ) from None
    if not value.is_finite():
        raise InterchangeError.at(source, at, _("`{text}` is not a number").format(text=text))
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


def _parse_answers(body: _Text, source: str) -> list[ParsedAnswer]:
    answers: list[ParsedAnswer] = []
    starts = [i for i, (c, escaped, _o) in enumerate(body.chars) if c in "=~" and not escaped]
    if not starts or body.cut(0, starts[0]).strip().chars:
        raise InterchangeError.at(
            source,
            body.strip().offset(0),
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
            ParsedAnswer(
                body.chars[start][0],
                Decimal(weight.group(1)) if weight else None,
                text.strip(),
                body.chars[start][2],
            )
        )
    return answers


def _is_matching(answers: list[ParsedAnswer], hint: dict[str, Any]) -> bool:
    """Whether ``=`` answers are matching pairs. Moodle takes any block with ``=`` and
    ``->`` (and no ``~``) for one; here every answer must be a pair with both sides
    written, and our own hint, when it names a card type, must name a matching one: a
    short answer holding ``->`` (``{=->}``, as maliquiz wrote it before ``-*>``) stays
    a short answer."""
    kind = hint.get("type")
    if kind is not None and kind not in ("match", "order"):
        return False
    return all(a.marker == "=" and _is_pair(a.text) for a in answers)


def _is_pair(text: str) -> bool:
    left, arrow, right = text.partition(ARROW)
    return bool(arrow and left.strip() and right.strip())


def _parse_question(
    source: str, start: int, end: int, hint: dict[str, Any], tags: list[str]
) -> ParsedQuestion | None:
    text = _scan(source, start, end).strip()
    line = line_col(source, text.offset(0))[0]
    title: str | None = None
    if text.find("::") == 0:
        close = text.find("::", 2)
        if close < 0:
            raise InterchangeError.at(
                source, text.offset(0), _("the question name opened with `::` is not closed")
            )
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
        raise InterchangeError.at(
            source, text.offset(open_at), _("the answer block opened here is never closed")
        )
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
    parsed = ParsedQuestion(title, before, after, "short", [], [], None, feedback, hint, tags, line)
    if not raw:
        parsed.kind = "essay"
    elif raw.startswith("#") and not body.chars[0][1]:
        parsed.kind = "numerical"
        parsed.numbers = _parse_numerical(body.cut(1), source, parsed.skipped)
        if not parsed.numbers:
            raise InterchangeError.at(
                source, body.offset(0), _("a numerical answer needs a right value")
            )
    elif _TRUEFALSE.match(raw.split("#")[0].strip()) and body.find("=") < 0:
        parsed.kind = "truefalse"
        parsed.truth = raw.split("#")[0].strip().upper().startswith("T")
    else:
        parsed.answers = _parse_answers(body, source)
        if _is_matching(parsed.answers, hint):
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
        for key, target in ((DECK_HINT, deck_hint), (HINT, hint)):
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


@dataclass
class GiftFile:
    """A GIFT file as read: its questions, and what its comments and category said."""

    questions: list[ParsedQuestion]
    category: str | None
    deck_hint: dict[str, Any]


def parse_gift(text: str, warnings: list[CardWarning]) -> GiftFile:
    """Read GIFT ``text`` question by question; a description (no answer block) is only
    noted in ``warnings``. :class:`InterchangeError` (line:col) for what is not GIFT."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
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

    questions: list[ParsedQuestion] = []
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
        questions.append(question)
    return GiftFile(questions, category, deck_hint)
