"""Read a deck file into validated models, or into located findings.

The loader reads the YAML with :mod:`.yamltree`: every scalar stays the text the
teacher wrote (YAML 1.1 would read ``2.000`` as 2.0 and ``no`` as False), duplicate keys
and aliases are caught where they stand, and each value keeps the line and column it
came from, so every pydantic error can be reported as ``file:line:col``. Nothing but
:class:`DeckLoadError` (or a list of findings) ever leaves this module for bad input.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from maliquiz.core.deck.files import DECK_SUFFIXES as DECK_SUFFIXES
from maliquiz.core.deck.files import DeckLoadError as DeckLoadError
from maliquiz.core.deck.files import Finding as Finding
from maliquiz.core.deck.files import Severity as Severity
from maliquiz.core.deck.files import deck_files as deck_files
from maliquiz.core.deck.giveaways import deck_giveaways
from maliquiz.core.deck.models import (
    CARD_TYPES,
    CITATION_TAGS,
    CardBase,
    ChoiceCard,
    Deck,
    Pair,
    Source,
    SourceRef,
)
from maliquiz.core.deck.yamltree import Located, Pos, parse_mapping, walk
from maliquiz.i18n import N_, _

MAX_DECK_BYTES = 16 * 1024 * 1024


@dataclass
class LoadResult:
    """What loading one file gave: the deck when it has no error, and every finding."""

    path: str
    deck: Deck | None
    findings: list[Finding] = field(default_factory=list)
    _data: Any = field(default=None, repr=False, compare=False)
    _located: Any = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Finding]:
        """The findings that stop the deck from being used."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def data(self) -> Any:
        """The plain data the file's YAML gave (None when it did not read)."""
        return self._data

    def position(self, *loc: str | int) -> tuple[int, int]:
        """Line and column of the value at ``loc`` (keys and list indexes from the top,
        e.g. ``("cards", 3, "answer")``), or of the nearest enclosing value."""
        if not isinstance(self._located, Located):
            return 1, 1
        pos = walk(tuple(loc), self._data, self._located)[0]
        return pos.line, pos.col


# -- loading ------------------------------------------------------------------------


def read_deck_text(path: Path) -> str:
    """The file's text, or :class:`DeckLoadError` for a missing, huge or binary file."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckLoadError(
                [
                    Finding(
                        shown,
                        1,
                        1,
                        "error",
                        _("the file is {size} MiB; decks are limited to {cap} MiB").format(
                            size=round(size / 2**20, 1), cap=MAX_DECK_BYTES // 2**20
                        ),
                        _("split it into several decks"),
                    )
                ]
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DeckLoadError(
            [
                Finding(
                    shown,
                    0,
                    0,
                    "error",
                    _("cannot read the file: {reason}").format(reason=exc.strerror or exc),
                )
            ]
        ) from None
    if b"\x00" in data:
        raise DeckLoadError(
            [Finding(shown, 1, 1, "error", _("this is a binary file, not a YAML deck"))]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise DeckLoadError(
            [
                Finding(
                    shown,
                    line,
                    col,
                    "error",
                    _("the file is not valid UTF-8 (byte 0x{byte:02x})").format(
                        byte=data[exc.start]
                    ),
                    _("save it as UTF-8 in your editor"),
                )
            ]
        ) from None


def load_deck(path: Path | str) -> Deck:
    """Load and validate one deck file; raise :class:`DeckLoadError` on any error."""
    result = check_deck_file(Path(path), errors_only=True)
    if result.deck is None:
        raise DeckLoadError(result.errors)
    return result.deck


def check_deck_file(path: Path, *, errors_only: bool = False) -> LoadResult:
    """Load one deck file and collect every finding, errors and warnings alike (only
    the errors with ``errors_only``: see :func:`parse_deck`)."""
    try:
        text = read_deck_text(path)
    except DeckLoadError as exc:
        return LoadResult(str(path), None, exc.findings)
    return parse_deck(text, str(path), errors_only=errors_only)


def card_line(path: Path, card_id: str) -> int | None:
    """The line of the card ``card_id``'s ``id:`` in the deck file at ``path`` (where an
    editor opens on it), or None when the file does not read or holds no such card. The
    file is only read as YAML, not validated: a deck with errors has lines too."""
    try:
        text = read_deck_text(path)
    except DeckLoadError:
        return None
    parsed = parse_mapping(text, str(path), [], "")
    if parsed is None:
        return None
    data, located = parsed
    cards = data.get("cards")
    for i, card in enumerate(cards if isinstance(cards, list) else []):
        if isinstance(card, dict) and card.get("id") == card_id:
            pos, key_pos, _value = walk(("cards", i, "id"), data, located)
            return (key_pos or pos).line
    return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector while a deck is read. Reading makes hundreds of
    thousands of objects that all live on (the data, the places, the models), and the
    collector went over them again and again: half the time of loading a 10,000-card
    deck. They form no cycle, so they are handed to the oldest generation at once
    (``gc.freeze`` then ``gc.unfreeze``) rather than looked at once more as young
    objects when the collector starts again (another 60 ms): a full collection, when
    the program next makes one, looks at them with the rest."""
    if not gc.isenabled():  # paused by another thread's reading, or by the program
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def parse_deck(text: str, path: str = "<deck>", *, errors_only: bool = False) -> LoadResult:
    """Validate a deck given as text; ``path`` is only used in the findings.

    ``errors_only`` is for loading a deck to use it: the findings are then its errors
    only, and the warnings that compare every card with every other (answers given
    away, options never shuffled: a third of the time of loading a valid deck) are not
    looked for. ``maliquiz check`` looks for everything."""
    with collector_paused():
        return _parse_deck(text, path, errors_only)


def _parse_deck(text: str, path: str, errors_only: bool) -> LoadResult:
    findings: list[Finding] = []
    parsed = parse_mapping(
        text,
        path,
        findings,
        _("a deck is a mapping with `id`, `title` and `cards`"),
        _("run `maliquiz new DECK_ID` for a starter deck"),
    )
    if parsed is None:
        return LoadResult(path, None, findings)
    data, located = parsed

    deck: Deck | None = None
    try:
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        seen: set[tuple[int, int]] = set()
        for error in exc.errors(include_url=False):
            finding = _finding_for(error, data, located, path)
            if (finding.line, finding.col) not in seen:
                seen.add((finding.line, finding.col))
                findings.append(finding)
    findings.extend(_deck_level_checks(data, located, path))
    if errors_only:
        findings = [f for f in findings if f.severity == "error"]
    elif deck is not None:
        findings.extend(_sibling_checks(deck, data, located, path))
    findings.sort(key=lambda f: (f.line, f.col))
    if any(f.severity == "error" for f in findings):
        deck = None
    return LoadResult(path, deck, findings, data, located)


# -- from pydantic errors to findings -----------------------------------------------


def _close_matches(word: str, possibilities: list[str], cutoff: float) -> list[str]:
    """The one possibility closest to ``word``, if any is close enough (difflib is
    imported on the first mistake: a deck without one never needs it)."""
    import difflib

    return difflib.get_close_matches(word, possibilities, n=1, cutoff=cutoff)


def _fields_at(loc: tuple[Any, ...], data: Any) -> list[str]:
    """The keys allowed where an unknown key stands, for "did you mean"."""
    parts = [p for p in loc[:-1] if isinstance(p, str)]
    model: type[Any] = Deck
    if parts[:1] == ["sources"]:
        model = Source
    elif parts[:1] == ["cards"]:
        index = next((p for p in loc[1:] if isinstance(p, int)), None)
        card = data["cards"][index] if index is not None else None
        model = (
            CARD_TYPES.get(str(card.get("type")), CARD_TYPES["text"])
            if isinstance(card, dict)
            else CARD_TYPES["text"]
        )
        if "source" in parts[1:]:
            model = SourceRef
        elif "pairs" in parts[1:]:
            model = Pair
    return list(model.model_fields)


_TYPE_WORDS = {
    "string": N_("a text"),
    "int": N_("a whole number"),
    "bool": N_("`true` or `false`"),
    "list": N_("a list"),
    "dict": N_("a mapping"),
    "model": N_("a mapping"),
}


def _finding_for(error: ErrorDetails, data: Any, located: Located, path: str) -> Finding:
    # The forms of a card's `source` (one mapping or a list) are no keys of the file.
    loc = tuple(p for p in error["loc"] if p not in CITATION_TAGS)
    kind = error["type"]
    pos, key_pos, value = walk(loc, data, located)
    field_name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    hint: str | None = None

    if kind == "missing":
        message = _("missing key `{key}`").format(key=field_name)
        if field_name == "cards":
            hint = _("a deck needs a `cards` list")
    elif kind == "extra_forbidden":
        message = _("unknown key `{key}`").format(key=field_name)
        close = _close_matches(field_name, _fields_at(loc, data), cutoff=0.6)
        hint = (
            _("did you mean `{key}`?").format(key=close[0])
            if close
            else _("allowed here: {keys}").format(keys=", ".join(_fields_at(loc, data)))
        )
        pos = key_pos or pos
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        types = ", ".join(CARD_TYPES)
        if kind == "union_tag_not_found":
            message = _("the card has no `type`")
        else:
            given = error.get("ctx", {}).get("tag", value)
            message = _("unknown card type `{type}`").format(type=given)
            close = _close_matches(str(given), list(CARD_TYPES), cutoff=0.5)
            if close:
                hint = _("did you mean `{type}`?").format(type=close[0])
        if hint is None:
            hint = _("the types are: {types}").format(types=types)
        if isinstance(value, dict) and isinstance(located, Located):
            pos = walk((*loc, "type"), data, located)[0]
    elif kind == "too_short" or kind == "too_long":
        ctx = error.get("ctx", {})
        message = _("`{key}` has {actual} items; it needs {low} to {high}").format(
            key=field_name,
            actual=ctx.get("actual_length", "?"),
            low=_LIMITS.get(field_name, ("?", "?"))[0],
            high=_LIMITS.get(field_name, ("?", "?"))[1],
        )
    elif kind in ("string_too_short",):
        message = _("`{key}` is empty").format(key=field_name)
    elif kind == "string_pattern_mismatch":
        if field_name == "tags":
            message = _("the tag {value!r} contains a space or a comma").format(value=value)
            hint = _("join words with `-`, like `retrait-francais`")
        else:
            message = _("`{key}` must be a short identifier, not {value!r}").format(
                key=field_name, value=value
            )
            hint = _("use lowercase letters, digits and hyphens, like `minusma-depart`")
    elif kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        wanted = next((w for k, w in _TYPE_WORDS.items() if kind.startswith(k)), "")
        shown = (
            "null" if value is None else value if isinstance(value, str) else type(value).__name__
        )
        message = _("`{key}` should be {wanted}, not {value}").format(
            key=field_name, wanted=_(wanted) if wanted else kind, value=shown
        )
        if value is None:
            hint = _("the value is empty; if you meant the word `null`, put it in quotes")
    elif kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        message = _("`{key}` cannot be {value!r}").format(key=field_name, value=value)
        hint = _("choose one of {choices}").format(choices=expected)
    else:
        message = f"`{field_name}`: {error['msg']}"
    return Finding(path, pos.line, pos.col, "error", message, hint)


_LIMITS = {
    "options": (2, 9),
    "items": (3, 7),
    "pairs": (3, 8),
    "cards": (1, "∞"),
    "source": (1, "∞"),
}


# -- checks across cards ------------------------------------------------------------


def _deck_level_checks(data: dict[str, Any], located: Located, path: str) -> list[Finding]:
    """Duplicate ids and dangling source references: things no single card can see."""
    findings: list[Finding] = []

    def at(loc: tuple[Any, ...]) -> Pos:
        return walk(loc, data, located)[0]

    source_ids: dict[str, int] = {}
    sources = data.get("sources")
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        sid = source.get("id") if isinstance(source, dict) else None
        if isinstance(sid, str):
            if sid in source_ids:
                findings.append(
                    Finding(
                        path,
                        *_lc(at(("sources", i, "id"))),
                        "error",
                        _("duplicate source id `{id}` (first at line {line})").format(
                            id=sid, line=at(("sources", source_ids[sid], "id")).line
                        ),
                    )
                )
            else:
                source_ids[sid] = i

    card_ids: dict[str, int] = {}
    cards = data.get("cards")
    for i, card in enumerate(cards if isinstance(cards, list) else []):
        if not isinstance(card, dict):
            continue
        cid = card.get("id")
        if isinstance(cid, str):
            if cid in card_ids:
                findings.append(
                    Finding(
                        path,
                        *_lc(at(("cards", i, "id"))),
                        "error",
                        _("duplicate card id `{id}` (first at line {line})").format(
                            id=cid, line=at(("cards", card_ids[cid], "id")).line
                        ),
                        _("progress is saved under the id: give each card its own"),
                    )
                )
            else:
                card_ids[cid] = i
        source = card.get("source")
        if source is None:
            findings.append(
                Finding(
                    path,
                    *_lc(at(("cards", i))),
                    "warning",
                    _("card `{id}` cites no source").format(id=cid),
                    _("add `source: {ref: ..., paragraph: ...}` so learners can check the fact"),
                )
            )
        else:
            findings.extend(_dangling_refs(source, ("cards", i, "source"), source_ids, at, path))
    return findings


def _dangling_refs(
    source: Any,
    loc: tuple[Any, ...],
    source_ids: dict[str, int],
    at: Callable[[tuple[Any, ...]], Pos],
    path: str,
) -> Iterator[Finding]:
    """An error at each `ref` of a card's `source` (one mapping or a list of them) that
    names no source of the deck."""
    cited = list(enumerate(source)) if isinstance(source, list) else [(None, source)]
    for j, citation in cited:
        ref = citation.get("ref") if isinstance(citation, dict) else None
        if not isinstance(ref, str) or ref in source_ids:
            continue
        close = _close_matches(ref, list(source_ids), cutoff=0.6)
        yield Finding(
            path,
            *_lc(at((*loc, "ref") if j is None else (*loc, j, "ref"))),
            "error",
            _("the source `{ref}` is not in the deck's `sources`").format(ref=ref),
            _("did you mean `{id}`?").format(id=close[0])
            if close
            else (
                _("declared sources: {ids}").format(ids=", ".join(source_ids))
                if source_ids
                else _("add it under `sources:`")
            ),
        )


def _sibling_checks(deck: Deck, data: Any, located: Located, path: str) -> list[Finding]:
    """Cards that give each other's answer away and are not grouped, and options that
    are never shuffled: both let a learner answer from what is on screen."""
    findings: list[Finding] = []
    position = {card.id: i for i, card in enumerate(deck.cards)}

    def at(card: CardBase, *field: str) -> tuple[int, int]:
        return _lc(walk(("cards", position[card.id], *field), data, located)[0])

    pairs = {(shown.id, revealed.id): shown for shown, revealed in deck_giveaways(deck)}
    for (shown_id, revealed_id), shown in pairs.items():
        # One way round, the session asks the revealed card first; both ways round it
        # cannot, and asks only one of them a day once they share a group.
        if shown_id < revealed_id and (revealed_id, shown_id) in pairs:
            findings.append(
                Finding(
                    path,
                    *at(shown),
                    "warning",
                    _("cards `{a}` and `{b}` show each other's answer").format(
                        a=shown_id, b=revealed_id
                    ),
                    _("give both the same `group:` (only one is asked a day) or reword one"),
                )
            )
    for card in deck.cards:
        if isinstance(card, ChoiceCard) and not card.shuffle:
            findings.append(
                Finding(
                    path,
                    *at(card, "shuffle"),
                    "warning",
                    _(
                        "the options of `{id}` are never shuffled: the answer is always option {n}"
                    ).format(id=card.id, n=card.options.index(card.answers[0]) + 1),
                    _("remove `shuffle: false` unless the order of the options means something"),
                )
            )
    return findings


def _lc(pos: Pos) -> tuple[int, int]:
    return pos.line, pos.col
