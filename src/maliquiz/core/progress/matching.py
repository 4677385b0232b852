"""What a card search looks at, and the terms of a query matched against it.

:mod:`.search` reads a query into a tree of these terms; each term tells whether one
:class:`CardEntry` (a deck's card with the learner's record of it) is one it asks for,
at the moment and with the answers a :class:`SearchContext` gives.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final, NamedTuple

from maliquiz.core.learning.clock import StudyCalendar, start_of_study_day
from maliquiz.core.learning.scheduling import State
from maliquiz.core.text.normalize import normalize
from maliquiz.i18n import N_, _

if TYPE_CHECKING:
    from maliquiz.core.deck.models import CardBase
    from maliquiz.core.learning.records import CardRecord

_COMPARE: Final[dict[str, Callable[[float, float], bool]]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "=": operator.eq,
}


STATE_LABELS: Final = {
    "new": N_("new"),
    "learning": N_("learning"),
    "relearning": N_("relearning"),
    "review": N_("review"),
    "suspended": N_("suspended"),
    "buried": N_("buried"),
}
"""The words of :meth:`CardEntry.state`, marked for translation."""


class SearchError(ValueError):
    """A query that cannot be read; the message says which term and what is valid."""

    def __init__(self, message: str, term: str = "") -> None:
        super().__init__(message)
        self.term = term


# --- what a search looks at ----------------------------------------------------------


class CardEntry:
    """One card of a deck, its tags and the learner's record of it (None: never seen)."""

    __slots__ = ("_text", "card", "deck_id", "record", "tags")

    def __init__(
        self, deck_id: str, card: CardBase, tags: Sequence[str], record: CardRecord | None
    ) -> None:
        self.deck_id = deck_id
        self.card = card
        self.tags = tuple(tags)
        self.record = record
        self._text: str | None = None

    @property
    def card_id(self) -> str:
        return self.card.id

    @property
    def card_type(self) -> str:
        return str(getattr(self.card, "type", ""))

    @property
    def text(self) -> str:
        """The prompt, answers and options, folded (made once, on first search)."""
        if self._text is None:
            self._text = searchable_text(self.card)
        return self._text

    @property
    def is_new(self) -> bool:
        return self.record is None or self.record.state.is_new

    def state(self, now: datetime) -> str:
        """The one word a list shows: suspended, buried, new, learning, relearning or
        review (a suspended or buried card says so before what it is)."""
        record = self.record
        if record is not None and record.suspended:
            return "suspended"
        if record is not None and record.is_buried(now):
            return "buried"
        if record is None or record.state.is_new:
            return "new"
        return {State.Learning: "learning", State.Relearning: "relearning"}.get(
            record.state.state, "review"
        )

    def interval(self) -> int | None:
        """Days from the last answer to the due date (0 while learning); None if new."""
        if self.record is None or self.is_new:
            return None
        state = self.record.state
        last = state.last_review
        if last is None:
            return None
        return max(0, round((state.due - last) / timedelta(days=1)))

    def due_in_days(self, calendar: StudyCalendar, today: date) -> int | None:
        """Study days from ``today`` to the due date (negative: overdue); None if new."""
        if self.record is None or self.is_new:
            return None
        return (calendar.day(self.record.state.due) - today).days


def searchable_text(card: CardBase) -> str:
    """What words are looked for in: the prompt, the answers and the options, folded."""
    parts: list[str] = [card.prompt]
    for name in ("answer", "back", "accept", "options", "items"):
        value = getattr(card, name, None)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(v for v in value if isinstance(v, str))
    for pair in getattr(card, "pairs", None) or []:
        parts.extend((pair.left, pair.right))
    return fold("\n".join(parts))


def fold(text: str) -> str:
    """``text`` as searches compare it: :func:`normalize`'d, a hyphen read as a space
    ("Etats Unis" finds "États-Unis", as a typed answer would)."""
    return normalize(text).replace("-", " ")


class SearchContext(NamedTuple):
    """The moment a search is made, and the answered cards its ``rated:`` terms need."""

    now: datetime
    calendar: StudyCalendar
    rated: Mapping[tuple[int, int | None], Collection[tuple[str, str]]] = {}

    @property
    def today(self) -> date:
        return self.calendar.day(self.now)

    def since(self, days: int) -> datetime:
        """When the study day ``days - 1`` days before today began."""
        day = self.today - timedelta(days=days - 1)
        return start_of_study_day(day, self.calendar.tz, self.calendar.rollover_hour)


# --- the terms ------------------------------------------------------------------------


class Node:
    """A term of a query, or a combination of terms."""

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        raise NotImplementedError

    def walk(self) -> Iterable[Node]:
        yield self


class AllOf(Node):
    def __init__(self, nodes: Sequence[Node]) -> None:
        self.nodes = tuple(nodes)

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        return all(node.matches(entry, ctx) for node in self.nodes)

    def walk(self) -> Iterable[Node]:
        yield self
        for node in self.nodes:
            yield from node.walk()


class AnyOf(AllOf):
    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        return any(node.matches(entry, ctx) for node in self.nodes)


class Not(Node):
    def __init__(self, node: Node) -> None:
        self.node = node

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        return not self.node.matches(entry, ctx)

    def walk(self) -> Iterable[Node]:
        yield self
        yield from self.node.walk()


class _Pattern:
    """A value with ``*`` wildcards, compared whole and without case (ids, tags)."""

    def __init__(self, raw: str) -> None:
        pieces = _split_stars(raw)
        self.wild = len(pieces) > 1
        self.text = unescape(raw).casefold()
        self.regex = re.compile(
            ".*".join(re.escape(unescape(p)) for p in pieces), re.IGNORECASE | re.DOTALL
        )

    def matches(self, value: str) -> bool:
        if self.wild:
            return self.regex.fullmatch(value) is not None
        return value.casefold() == self.text


class TextTerm(Node):
    """Words looked for anywhere in the card's folded text."""

    def __init__(self, raw: str) -> None:
        pieces = [fold(unescape(p)) for p in _split_stars(raw)]
        self.plain = pieces[0] if len(pieces) == 1 else None
        self.regex = re.compile(".*".join(re.escape(p) for p in pieces), re.DOTALL)

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        if self.plain is not None:
            return self.plain in entry.text
        return self.regex.search(entry.text) is not None


class DeckTerm(Node):
    def __init__(self, raw: str) -> None:
        self.raw = unescape(raw)
        self.pattern = _Pattern(raw)

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        return self.pattern.matches(entry.deck_id)


class CardTerm(Node):
    def __init__(self, raw: str) -> None:
        self.pattern = _Pattern(raw)

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        return self.pattern.matches(entry.card_id)


class TagTerm(Node):
    def __init__(self, raw: str) -> None:
        self.none = unescape(raw).casefold() == "none"
        self.pattern = _Pattern(raw)

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        if self.none:
            return not entry.tags
        return any(self.pattern.matches(tag) for tag in entry.tags)


class TypeTerm(Node):
    def __init__(self, card_type: str) -> None:
        self.card_type = card_type

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        return entry.card_type == self.card_type


class StateTerm(Node):
    def __init__(self, state: str) -> None:
        self.state = state

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        record = entry.record
        state = self.state
        if state == "new":
            return entry.is_new
        if record is None:
            return False
        if state == "suspended":
            return record.suspended
        if state == "buried":
            return record.is_buried(ctx.now)
        if state == "leech":
            return record.leech
        if entry.is_new:
            return False
        kind = record.state.state
        if state == "learn":
            return kind in (State.Learning, State.Relearning)
        if state == "review":
            return kind in (State.Review, State.Relearning)
        # due: what today's counts take, learning and review alike
        tomorrow = ctx.calendar.start_of_tomorrow(ctx.now)
        return (
            record.state.due < tomorrow and not record.suspended and not record.is_buried(ctx.now)
        )


class PropTerm(Node):
    def __init__(self, name: str, operator: str, value: float) -> None:
        self.name = name
        self.compare = _COMPARE[operator]
        self.value = value

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        found = self.measure(entry, ctx)
        return found is not None and self.compare(found, self.value)

    def measure(self, entry: CardEntry, ctx: SearchContext) -> float | None:
        record = entry.record
        if self.name == "due":
            return entry.due_in_days(ctx.calendar, ctx.today)
        if self.name == "ivl":
            return entry.interval()
        if self.name in ("lapses", "reps"):
            return 0 if record is None else getattr(record.state, self.name)
        if record is None or entry.is_new:
            return None
        value: float | None = getattr(record.state, self.name)
        return value


class RatedTerm(Node):
    def __init__(self, days: int, rating: int | None) -> None:
        self.days = days
        self.rating = rating

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.days, self.rating)

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        return (entry.deck_id, entry.card_id) in ctx.rated.get(self.key, ())


# --- reading a query ------------------------------------------------------------------


class Query:
    """A query read: :meth:`matches` tells whether a card is one it asks for."""

    def __init__(self, text: str, root: Node | None) -> None:
        self.text = text
        self.root = root

    def matches(self, entry: CardEntry, ctx: SearchContext) -> bool:
        """True when ``entry`` matches (an empty query takes every card)."""
        return self.root is None or self.root.matches(entry, ctx)

    def _nodes(self) -> Iterable[Node]:
        return () if self.root is None else self.root.walk()

    @property
    def rated_terms(self) -> set[tuple[int, int | None]]:
        """The (days, rating) of every ``rated:`` term, for :func:`search_context`."""
        return {node.key for node in self._nodes() if isinstance(node, RatedTerm)}

    def check_decks(self, deck_ids: Collection[str]) -> None:
        """:class:`SearchError` for a ``deck:`` term without ``*`` that names no deck."""
        known = {d.casefold() for d in deck_ids}
        for node in self._nodes():
            if not isinstance(node, DeckTerm) or node.pattern.wild:
                continue
            if node.pattern.text not in known:
                raise SearchError(
                    _("no deck `{deck}` in `deck:{deck}`; decks: {decks}").format(
                        deck=node.raw, decks=", ".join(sorted(deck_ids)) or "–"
                    ),
                    f"deck:{node.raw}",
                )


def _split_stars(raw: str) -> list[str]:
    """``raw`` cut at each ``*`` that is not escaped (escapes kept in the pieces)."""
    pieces: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            current.append(raw[i : i + 2])
            i += 2
            continue
        if raw[i] == "*":
            pieces.append("".join(current))
            current = []
        else:
            current.append(raw[i])
        i += 1
    pieces.append("".join(current))
    return pieces


def unescape(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw, flags=re.DOTALL)
