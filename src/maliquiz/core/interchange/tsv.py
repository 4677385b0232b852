"""Reading Anki-style text files (TSV or CSV) into a deck dict.

Accepted: Anki's own header lines (``#separator:``, ``#html:``, ``#notetype:``,
``#notetype column:``, ``#deck:``, ``#deck column:``, ``#tags:``, ``#tags column:``,
``#guid column:``, ``#columns:``) or none at all, in which case the separator is the
first of tab, semicolon and comma found on the first row. Fields may be quoted the CSV
way. Of the remaining columns, the first is the front, the second the back and a third,
if any, the explanation.

Each row becomes a card: a typed-answer note type (its name holds "type") gives a text
card, a cloze note type or ``{{c1::...}}`` in the front a cloze card, anything else a
flashcard. With a GUID column the card id is derived from the GUID, so importing a
newer export of the same notes keeps the ids (and the learners' progress); without one
the ids are ``card-001``, ``card-002``... in row order.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from typing import Any

from maliquiz.core.deck.models import TAG_PATTERN
from maliquiz.core.interchange import CardWarning, DeckImport, InterchangeError
from maliquiz.i18n import _

_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_HEADER = re.compile(r"^#([a-z ]+):(.*)$", re.IGNORECASE)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)
_TAG = re.compile(TAG_PATTERN)


def _text(value: str, is_html: bool) -> str:
    if not is_html:
        return value.strip()
    value = re.sub(r"<br\s*/?>|</(?:div|p|li)>", "\n", value, flags=re.IGNORECASE)
    value = re.sub(r"<li[^>]*>", "- ", value, flags=re.IGNORECASE)
    value = re.sub(r"<[^>]+>", "", value)
    lines = [line.strip() for line in html.unescape(value).split("\n")]
    return "\n".join(line for line in lines if line).strip()


def _column(value: str, line: int, width: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise InterchangeError(
            line, width, _("`{value}` is not a column number").format(value=value.strip())
        ) from None
    if number < 1:
        raise InterchangeError(line, width, _("columns are counted from 1"))
    return number - 1


def import_tsv(text: str, deck_id: str, title: str | None = None) -> DeckImport:
    """Read Anki-style TSV/CSV ``text`` into a deck dict; :class:`InterchangeError`
    (line:col) for input that cannot be read."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    options: dict[str, str] = {}
    columns: dict[str, int] = {}
    first = 0
    for first, line in enumerate(lines):
        match = _HEADER.match(line)
        if not match:
            break
        key, value = match.group(1).strip().lower(), match.group(2).strip()
        if key.endswith(" column"):
            columns[key.removesuffix(" column")] = _column(value, first + 1, len(line))
        else:
            options[key] = value
    else:
        first = len(lines)
    body_lines = lines[first:]
    sample = next((line for line in body_lines if line.strip()), "")
    sep_option = options.get("separator")
    if sep_option:
        separator = _SEPARATORS.get(sep_option.lower(), sep_option)
        if len(separator) != 1:
            line_no = next(i for i, line in enumerate(lines) if line.startswith("#separator"))
            raise InterchangeError(
                line_no + 1, 12, _("unknown separator `{sep}`").format(sep=sep_option)
            )
    else:
        separator = next((s for s in ("\t", ";", ",") if s in sample), "\t")
    is_html = options.get("html", "false").lower() == "true"
    notetype = options.get("notetype", "")
    deck_name = options.get("deck")
    all_tags = options.get("tags", "").split()

    reader = csv.reader(io.StringIO("\n".join(body_lines)), delimiter=separator, strict=True)
    cards: list[dict[str, Any]] = []
    warnings: list[CardWarning] = []
    used: set[str] = set()
    special = set(columns.values())
    try:
        for row in reader:
            row_line = first + reader.line_num
            if not any(f.strip() for f in row):
                continue
            content = [f for i, f in enumerate(row) if i not in special]

            def cell(name: str, row: list[str] = row) -> str:
                index = columns.get(name)
                return row[index].strip() if index is not None and index < len(row) else ""

            kind = (cell("notetype") or notetype).lower()
            is_cloze = "cloze" in kind or bool(content and _CLOZE.search(content[0]))
            content += [""] * (2 - len(content))
            if not content[0].strip() or not (content[1].strip() or is_cloze):
                raise InterchangeError(
                    row_line,
                    len(separator.join(row)) + 1,
                    _("a row needs a front and a back, separated by `{sep}`").format(
                        sep="\\t" if separator == "\t" else separator
                    ),
                )

            if deck_name is None and cell("deck"):
                deck_name = cell("deck")
            guid = cell("guid")
            if guid:
                card_id = "g-" + hashlib.sha1(guid.encode()).hexdigest()[:10]
            else:
                card_id = f"card-{len(cards) + 1:03d}"
            if card_id in used:
                raise InterchangeError(row_line, 1, _("this GUID is given twice"))
            used.add(card_id)
            front = _text(content[0], is_html)
            back = _text(content[1], is_html)
            card: dict[str, Any] = {"id": card_id}
            if is_cloze:
                prompt = _CLOZE.sub(lambda m: "{{" + _text(m.group(1), is_html) + "}}", content[0])
                card.update(type="cloze", prompt=_text(prompt, is_html))
                extra = [back] + [_text(c, is_html) for c in content[2:]]
            elif "type" in kind:
                card.update(type="text", prompt=front, answer=back.split("\n")[0])
                extra = [_text(c, is_html) for c in content[2:]]
            else:
                card.update(type="flashcard", prompt=front, back=back)
                extra = [_text(c, is_html) for c in content[2:]]
            explanation = "\n\n".join(e for e in extra if e)
            if explanation:
                card["explanation"] = explanation
            tags = cell("tags").split() + all_tags
            bad = [t for t in tags if not _TAG.match(t)]
            if bad:
                warnings.append(
                    CardWarning(
                        card_id,
                        _("tags left out: {tags}").format(tags=", ".join(bad)),
                    )
                )
            tags = list(dict.fromkeys(t for t in tags if _TAG.match(t)))
            if tags:
                card["tags"] = tags
            cards.append(card)
    except csv.Error as error:
        raise InterchangeError(
            first + reader.line_num, 1, _("cannot read this row: {reason}").format(reason=error)
        ) from None
    if not cards:
        raise InterchangeError(first + 1, 1, _("no rows to import"))
    deck = {"id": deck_id, "title": title or deck_name or deck_id, "cards": cards}
    return DeckImport(deck, warnings)
