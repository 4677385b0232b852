"""YAML read into plain data plus the place of every value, for located findings.

The data is built from libyaml's event stream rather than from ``yaml.load``: every
scalar stays the text the teacher wrote (YAML 1.1 would read ``2.000`` as 2.0 and ``no``
as False), duplicate keys and aliases are caught where they stand, and each value keeps
the line and column it came from. Decks and the claims inventory are read this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from maliquiz.core.deck.files import Finding
from maliquiz.i18n import _

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


@dataclass
class Pos:
    """Where a value (and, for mapping entries, its key) starts, 1-based."""

    line: int
    col: int


def pos_of(mark: Any) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


class Located:
    """Places of a container's children, parallel to the plain data built.

    Reading keeps libyaml's own start marks and turns one into a :class:`Pos` only
    when a place is asked for (a finding): making a position object for each of the
    250,000 values of a 10,000-card deck was a third of reading it. ``children`` maps a
    sequence's indexes, or a mapping's keys, to the child's place: its start mark, or
    its own :class:`Located` for a container; ``key_marks`` holds a mapping's keys'."""

    __slots__ = ("children", "key_marks", "mark")

    def __init__(self, mark: Any, children: Any, key_marks: dict[Any, Any] | None = None) -> None:
        self.mark = mark
        self.children = children
        self.key_marks = key_marks

    @property
    def pos(self) -> Pos:
        return pos_of(self.mark)

    def child(self, part: Any) -> Located | Pos:
        """The place of the child at ``part`` (a key, or an index of a sequence)."""
        child = self.children[part]
        return child if isinstance(child, Located) else pos_of(child)

    def key_pos(self, key: Any) -> Pos:
        """The place of the key ``key`` of a mapping."""
        assert self.key_marks is not None
        return pos_of(self.key_marks[key])


class BadYaml(Exception):
    def __init__(self, pos: Pos, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.pos, self.message, self.hint = pos, message, hint


class Builder:
    """Turns libyaml events into plain data plus a parallel tree of places."""

    def __init__(self, events: Iterator[Any], findings: list[Finding], path: str) -> None:
        self.events = events
        self.findings = findings
        self.path = path

    def error(self, pos: Pos, message: str, hint: str | None = None) -> None:
        self.findings.append(Finding(self.path, pos.line, pos.col, "error", message, hint))

    def document(self) -> tuple[Any, Located | Pos | None]:
        root: tuple[Any, Located | Pos | None] = (None, None)
        documents = 0
        for event in self.events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    self.error(
                        pos_of(event.start_mark),
                        _("a deck file holds one document; this is a second one"),
                        _("remove the `---` line or split the file"),
                    )
            elif isinstance(event, yaml.NodeEvent) and documents == 1:
                value, place = self.node(event)
                root = value, place if isinstance(place, Located) else pos_of(place)
            elif isinstance(event, yaml.NodeEvent):
                self.node(event)  # read and drop what follows a second `---`
        return root

    def node(self, event: Any) -> tuple[Any, Any]:
        """The value of the node that ``event`` starts and its place (a start mark for
        a scalar, a :class:`Located` for a container)."""
        # The hot loop of reading a deck (a 10,000-card deck is 250,000 events): the
        # event's class is compared once, and the scalars inside a container (most
        # events) are read in its loop without a call of their own.
        cls = type(event)
        if event.anchor is not None or cls is _ALIAS:
            self.refuse(event)
        if cls is _SCALAR:
            value = event.value
            if not event.style and value in _NULLS:
                return None, event.start_mark
            return value, event.start_mark
        events = self.events
        if cls is _SEQUENCE:
            items: list[Any] = []
            places: list[Any] = []
            for child in events:
                kind = type(child)
                if kind is _SCALAR and child.anchor is None:
                    value = child.value
                    items.append(None if not child.style and value in _NULLS else value)
                    places.append(child.start_mark)
                elif kind is _SEQUENCE_END:
                    return items, Located(event.start_mark, places)
                else:
                    value, place = self.node(child)
                    items.append(value)
                    places.append(place)
        if cls is _MAPPING:
            mapping: dict[Any, Any] = {}
            children: dict[Any, Any] = {}
            key_marks: dict[Any, Any] = {}
            for key_event in events:
                kind = type(key_event)
                if kind is _MAPPING_END:
                    return mapping, Located(event.start_mark, children, key_marks)
                if kind is _SCALAR and key_event.anchor is None:
                    key = key_event.value
                    if not key_event.style and key in _NULLS:
                        key = None
                else:
                    key = self.node(key_event)[0]
                value_event = next(events)
                if type(value_event) is _SCALAR and value_event.anchor is None:
                    value = value_event.value
                    if not value_event.style and value in _NULLS:
                        value = None
                    place = value_event.start_mark
                else:
                    value, place = self.node(value_event)
                if type(key) is not str:
                    self.error(pos_of(key_event.start_mark), _("a key must be a plain word"))
                    continue
                if key in mapping:
                    self.error(
                        pos_of(key_event.start_mark),
                        _("duplicate key `{key}` (first given at line {line})").format(
                            key=key, line=key_marks[key].line + 1
                        ),
                        _("YAML would silently keep only the last one; remove one of them"),
                    )
                    continue
                mapping[key] = value
                children[key] = place
                key_marks[key] = key_event.start_mark
        raise BadYaml(pos_of(event.start_mark), _("unexpected YAML structure"))

    def refuse(self, event: Any) -> None:
        """Raise :class:`BadYaml` for an alias or an anchor (decks never need them, and
        walking the data would expand a "billion laughs")."""
        pos = pos_of(event.start_mark)
        if type(event) is _ALIAS:
            raise BadYaml(
                pos,
                _("aliases (`*{name}`) are not allowed in decks").format(name=event.anchor),
                _("write the value out in full"),
            )
        raise BadYaml(
            pos,
            _("anchors (`&{name}`) are not allowed in decks").format(name=event.anchor),
            _("write the value out in full"),
        )


_ALIAS = yaml.AliasEvent
_SCALAR = yaml.ScalarEvent
_SEQUENCE = yaml.SequenceStartEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_MAPPING = yaml.MappingStartEvent
_MAPPING_END = yaml.MappingEndEvent


def _events(text: str) -> Iterator[Any]:
    """libyaml's events, pulled straight from the C parser (``yaml.parse`` wraps it in
    a Python generator that cost a fifth of reading a deck)."""
    parser = yaml.CSafeLoader(text)
    try:
        yield from iter(parser.get_event, None)
    finally:
        parser.dispose()


def walk(loc: tuple[Any, ...], data: Any, located: Located) -> tuple[Pos, Pos | None, Any]:
    """Follow a pydantic location through the data; return value pos, key pos, value."""
    node: Located | Pos = located
    key_pos: Pos | None = None
    value = data
    for part in loc:
        if not isinstance(node, Located):
            break
        if isinstance(value, dict) and part in value:
            key_pos = node.key_pos(part)
            node, value = node.child(part), value[part]
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            key_pos = None
            node, value = node.child(part), value[part]
        # Other parts are union members or card-type tags that pydantic inserts.
    pos = node if isinstance(node, Pos) else node.pos
    return pos, key_pos, value


def parse_located(
    text: str, path: str, findings: list[Finding]
) -> tuple[Any, Located | Pos | None] | None:
    """The data of a one-document YAML ``text`` and the places of its values, or None
    when it cannot be read (the reason is added to ``findings``, located)."""
    builder = Builder(_events(text), findings, path)
    try:
        return builder.document()
    except BadYaml as exc:
        findings.append(Finding(path, exc.pos.line, exc.pos.col, "error", exc.message, exc.hint))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or str(exc)
        lines = text.splitlines()
        at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
        findings.append(
            Finding(
                path,
                line,
                col,
                "error",
                _("invalid YAML: {problem}").format(problem=problem),
                _yaml_hint("tab" if at == "\t" else problem),
            )
        )
        return None
    except yaml.YAMLError as exc:
        findings.append(
            Finding(path, 1, 1, "error", _("invalid YAML: {problem}").format(problem=exc))
        )
        return None


def parse_mapping(
    text: str, path: str, findings: list[Finding], what: str, hint: str | None = None
) -> tuple[dict[str, Any], Located] | None:
    """:func:`parse_located` for a file whose top level must be a mapping: None when
    the text cannot be read or is not a mapping (then ``what``, the mapping the file
    should be, and ``hint`` are added to ``findings`` at 1:1)."""
    parsed = parse_located(text, path, findings)
    if parsed is None:
        return None
    data, located = parsed
    if not isinstance(data, dict) or not isinstance(located, Located):
        findings.append(Finding(path, 1, 1, "error", what, hint))
        return None
    return data, located


def _yaml_hint(problem: str) -> str | None:
    if "tab" in problem:
        return _("indent with spaces, not tabs")
    if "mapping values are not allowed" in problem:
        return _("put text that contains `: ` in quotes")
    if "found character" in problem or "found undefined" in problem:
        return _("put the value in quotes")
    return None
