"""Anki: an ``.apkg`` package (genanki) and Anki's text import (TSV with header lines).

One Anki note per card, in an Anki deck named after ours, with the card's tags and the
deck's. Three note types, the same for every maliquiz deck (their ids are fixed
constants below, so importing two decks does not create two copies of them), each with
three fields:

* ``maliquiz basic`` (Front, Back, Extra): flashcard, choice (the options listed on the
  front), true/false, order, match;
* ``maliquiz typed`` (Front, Answer, Extra): text, number, date, with Anki's
  type-in-the-answer box ``{{type:nc:Answer}}`` (``nc`` ignores accents);
* ``maliquiz cloze`` (Text, Answers, Extra): Anki's cloze type; every gap of a card is
  ``c1`` so that, as in maliquiz, one card asks all its gaps at once.

Extra holds the accepted variants, the explanation and the source (title, date,
paragraph). Every piece of deck text is HTML-escaped; newlines become ``<br>`` and tabs
``&#9;``, so a field never holds a raw tab or newline.

Ids, so that a re-import updates notes instead of duplicating them:

* note GUID: ``genanki.guid_for(deck.id, card.id)``, the same in the apkg and the TSV;
* Anki deck id: :func:`anki_deck_id`, the first four bytes of SHA-256 of
  ``"maliquiz-deck:" + deck.id`` folded into genanki's recommended range
  [2**30, 2**31);
* note type ids: the constants ``BASIC_MODEL_ID``, ``TYPED_MODEL_ID``,
  ``CLOZE_MODEL_ID``, never to change.

The package is reproducible: the same deck and ``timestamp`` give the same bytes (the
zip entries carry a fixed date too). Anki's "update if newer" compares the notes'
modification times, so callers pass a time that grows when the deck changes (the CLI
uses the deck file's modification time, or ``SOURCE_DATE_EPOCH``).

The TSV names the same note types: import the ``.apkg`` once (or create those note types)
before importing a TSV into Anki.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from maliquiz.core.deck import models
from maliquiz.core.deck.models import GAP_RE, CardBase, Deck
from maliquiz.core.interchange.labels import label, source_line
from maliquiz.core.text.dates import format_date, written_forms
from maliquiz.core.text.numbers import format_number

NoteKind = Literal["basic", "typed", "cloze"]

BASIC_MODEL_ID = 1_641_072_001
TYPED_MODEL_ID = 1_641_072_002
CLOZE_MODEL_ID = 1_641_072_003
MODEL_NAMES: dict[NoteKind, str] = {
    "basic": "maliquiz basic",
    "typed": "maliquiz typed",
    "cloze": "maliquiz cloze",
}
FIELD_NAMES: dict[NoteKind, tuple[str, str, str]] = {
    "basic": ("Front", "Back", "Extra"),
    "typed": ("Front", "Answer", "Extra"),
    "cloze": ("Text", "Answers", "Extra"),
}
# 2023-11-14 22:13:20 UTC: any fixed instant will do when the caller gives none.
DEFAULT_TIMESTAMP = 1_700_000_000.0
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.extra { margin-top: 1em; font-size: 16px; }
.source { color: #666; font-size: 14px; }
"""


@dataclass(frozen=True)
class AnkiNote:
    """One card as an Anki note: its note type, three fields (HTML) and tags."""

    card_id: str
    kind: NoteKind
    fields: tuple[str, str, str]
    tags: tuple[str, ...]


def anki_deck_id(deck_id: str) -> int:
    """The Anki deck id for our deck ``deck_id`` (see the module doc)."""
    digest = hashlib.sha256(f"maliquiz-deck:{deck_id}".encode()).digest()
    return (1 << 30) | (int.from_bytes(digest[:4], "big") & ((1 << 30) - 1))


def anki_deck_name(deck: Deck) -> str:
    """The deck's title; ``::`` would make Anki nest decks, so it is not kept."""
    return deck.title.replace("::", ":")


def h(text: str) -> str:
    """Deck text as HTML: ``& < >`` escaped, newlines as ``<br>``, tabs as ``&#9;``."""
    escaped = html.escape(text, quote=False)
    return escaped.replace("\r\n", "\n").replace("\n", "<br>").replace("\t", "&#9;")


def plain_number(value: Decimal) -> str:
    """``12000``, ``1.5``, ``-3``: digits only, a dot for decimals, no exponent."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _list(items: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{h(i)}</li>" for i in items) + f"</{tag}>"


def _extra(deck: Deck, card: CardBase, accepted: list[str]) -> str:
    parts: list[str] = []
    if accepted:
        parts.append(f"<div>{h(label(deck, 'accepted').format(items=', '.join(accepted)))}</div>")
    if card.explanation:
        parts.append(f'<div class="extra">{h(card.explanation)}</div>')
    source = source_line(deck, card)
    if source:
        parts.append(f'<div class="source">{h(source)}</div>')
    return "".join(parts)


def _number_detail(deck: Deck, card: models.NumberCard) -> str:
    shown = format_number(card.value, card.unit)
    tolerance = card.tolerance_value
    if tolerance is not None:
        amount, pct = tolerance
        if amount:
            text = f"{format_number(amount)} %" if pct else format_number(amount)
            shown += " (" + label(deck, "tolerance").format(tolerance=text) + ")"
    low, high = card.min_value, card.max_value
    if low is not None or high is not None:
        bounds = label(deck, "range").format(
            low=format_number(low) if low is not None else "…",
            high=format_number(high) if high is not None else "…",
        )
        shown += f" ({bounds})"
    return shown


def _cloze_text(card: models.ClozeCard) -> str:
    """The prompt with every gap as ``{{c1::answer}}``; text and answers escaped, and
    ``:`` and ``}`` inside answers written as entities so they cannot end the gap."""
    out: list[str] = []
    last = 0
    for match in GAP_RE.finditer(card.prompt):
        out.append(h(card.prompt[last : match.start()]))
        answer = h(match.group(1).split("|")[0].strip())
        answer = answer.replace(":", "&#58;").replace("}", "&#125;")
        out.append("{{c1::" + answer + "}}")
        last = match.end()
    out.append(h(card.prompt[last:]))
    return "".join(out)


def anki_note(deck: Deck, card: CardBase) -> AnkiNote:
    """How ``card`` becomes an Anki note (the same for the apkg and the TSV)."""
    kind: NoteKind = "basic"
    accepted: list[str] = []
    prompt = h(card.prompt)
    front, back = prompt, ""
    if isinstance(card, models.FlashCard):
        back = h(card.back)
    elif isinstance(card, models.TextCard):
        kind, back, accepted = "typed", h(card.answer), list(card.accept)
    elif isinstance(card, models.NumberCard):
        kind, back = "typed", h(plain_number(card.value))
        accepted = [_number_detail(deck, card)]
    elif isinstance(card, models.DateCard):
        lang = "fr" if deck.language == "fr" else "en"
        shown = format_date(card.date, lang)
        kind, back = "typed", h(shown)
        accepted = [f for f in written_forms(card.date) if f != shown]
    elif isinstance(card, models.ChoiceCard):
        front = prompt + _list(list(card.options))
        back = "<br>".join(h(a) for a in card.answers)
    elif isinstance(card, models.TrueFalseCard):
        front = f"{prompt}<br><i>{h(label(deck, 'truefalse'))}</i>"
        back = h(label(deck, "true" if card.answer else "false"))
    elif isinstance(card, models.OrderCard):
        # A fixed order that is not the answer: alphabetical.
        front = prompt + _list(sorted(card.items))
        back = _list(list(card.items), ordered=True)
    elif isinstance(card, models.MatchCard):
        lefts = [p.left for p in card.pairs]
        rights = sorted(p.right for p in card.pairs)
        front = prompt + _list(lefts) + _list(rights)
        back = "<ul>" + "".join(f"<li>{h(p.left)} → {h(p.right)}</li>" for p in card.pairs)
        back += "</ul>"
    elif isinstance(card, models.ClozeCard):
        kind, front = "cloze", _cloze_text(card)
        back = "<br>".join(
            h(gap[0]) + (f" ({h(', '.join(gap[1:]))})" if len(gap) > 1 else "") for gap in card.gaps
        )
    return AnkiNote(
        card.id, kind, (front, back, _extra(deck, card, accepted)), tuple(deck.card_tags(card))
    )


# -- apkg ---------------------------------------------------------------------------


# Each note type's one template: its name, question side and answer side (the answer
# side then shows Extra when there is one).
_TEMPLATES: dict[NoteKind, tuple[int, str, str, str]] = {
    "basic": (BASIC_MODEL_ID, "Card", "{{Front}}", '{{FrontSide}}<hr id="answer">{{Back}}'),
    "typed": (
        TYPED_MODEL_ID,
        "Card",
        "{{Front}}<br><br>{{type:nc:Answer}}",
        '{{Front}}<hr id="answer">{{type:nc:Answer}}',
    ),
    "cloze": (CLOZE_MODEL_ID, "Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br><br>{{Answers}}"),
}


def _models() -> dict[NoteKind, Any]:
    import genanki  # ~90 ms: only when a package is written

    back_extra = '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
    return {
        kind: genanki.Model(
            model_id,
            MODEL_NAMES[kind],
            fields=[{"name": n} for n in FIELD_NAMES[kind]],
            templates=[{"name": name, "qfmt": qfmt, "afmt": afmt + back_extra}],
            css=_CSS,
            model_type=genanki.Model.CLOZE if kind == "cloze" else genanki.Model.FRONT_BACK,
        )
        for kind, (model_id, name, qfmt, afmt) in _TEMPLATES.items()
    }


def export_apkg(deck: Deck, path: Path | str, *, timestamp: float = DEFAULT_TIMESTAMP) -> None:
    """Write ``deck`` as an Anki package at ``path`` (see the module doc).

    ``timestamp`` (seconds since the epoch) becomes the notes' modification time.
    """
    import genanki

    models = _models()
    anki_deck = genanki.Deck(anki_deck_id(deck.id), anki_deck_name(deck), deck.description or "")
    for card in deck.cards:
        note = anki_note(deck, card)
        anki_deck.add_note(
            genanki.Note(
                model=models[note.kind],
                fields=list(note.fields),
                tags=list(note.tags),
                guid=genanki.guid_for(deck.id, card.id),
            )
        )
    package = genanki.Package(anki_deck)
    # Note and card ids: a range of their own per deck, the same at every export.
    ids = itertools.count(1_500_000_000_000 + (anki_deck_id(deck.id) % 100_000) * 10_000)
    handle, db_name = tempfile.mkstemp(suffix=".anki2")
    os.close(handle)
    try:
        connection = sqlite3.connect(db_name)
        try:
            package.write_to_db(connection.cursor(), timestamp, ids)
            connection.commit()
        finally:
            connection.close()
        data = Path(db_name).read_bytes()
    finally:
        os.unlink(db_name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (("collection.anki2", data), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)


# -- TSV ----------------------------------------------------------------------------

# The GUID comes last: genanki's GUIDs may start with `#`, which opens a comment line.
TSV_COLUMNS = ("Notetype", "Deck", "Field 1", "Field 2", "Field 3", "Tags", "GUID")


def export_tsv(deck: Deck) -> str:
    """``deck`` as Anki's text import: header lines, then one tab-separated row per
    card: note type, deck, the three fields (HTML), tags (space-separated), GUID."""
    from genanki import guid_for

    lines = [
        "#separator:tab",
        "#html:true",
        "#notetype column:1",
        "#deck column:2",
        "#tags column:6",
        "#guid column:7",
        "#columns:" + "\t".join(TSV_COLUMNS),
    ]
    name = anki_deck_name(deck).replace("\t", " ")
    for card in deck.cards:
        note = anki_note(deck, card)
        row = [
            MODEL_NAMES[note.kind],
            name,
            *note.fields,
            " ".join(note.tags),
            str(guid_for(deck.id, card.id)),
        ]
        lines.append("\t".join(_tsv_field(f) for f in row))
    return "\n".join(lines) + "\n"


def _tsv_field(value: str) -> str:
    # Fields are HTML with no tab or newline (see h()); a field that starts with a
    # quote would be read as a quoted field: quote it the CSV way.
    if value.startswith('"'):
        return '"' + value.replace('"', '""') + '"'
    return value
