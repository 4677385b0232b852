"""Today's study queue: which cards a learner sees, in which order.

:func:`build_queue` follows Anki's order:

1. learning and relearning cards whose step is due (earliest first): a step missed by
   a few minutes is forgotten fastest;
2. review cards due today (before the next study day begins), the ones with the lowest
   retrievability first, so that if the learner stops early the cards closest to being
   forgotten were seen;
3. new cards, in deck order (those held back from an earlier day first), up to
   ``new_per_deck`` a day for each deck, counting the cards of that deck already
   introduced since the study day began.

Learning steps due later today are returned apart (``upcoming``): a session asks them
when they come due, and they count in today's "learn" figure (:func:`day_counts`).

Buried and suspended cards are left out. Reviews are due by study day, not by the
minute: a card due at 21:00 tomorrow is shown tomorrow morning, as Anki does.

:func:`cram_queue` is practice ahead: every card of the selection but the suspended
ones, least well known first. The session records such answers with
``schedule=False`` so that the schedule does not move.

Speed: the queue reads only index ranges (the due cards, the ids of cards with a row,
today's count of new cards) and never the review log, so it stays fast with a large
collection; ``bench/bench_store.py`` measures it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from itertools import chain, groupby, repeat
from operator import itemgetter
from typing import NamedTuple

from maliquiz.core.learning.clock import as_utc, from_ms, to_ms
from maliquiz.core.learning.records import ProgressStore
from maliquiz.core.learning.scheduling import State

NEW_PER_DECK = 20
"""Default number of new cards a deck introduces a day."""


class QueueKind(StrEnum):
    """Why a card is in the queue."""

    LEARNING = "learning"  # learning or relearning step due
    REVIEW = "review"
    NEW = "new"
    CRAM = "cram"  # practice ahead of schedule


class QueueItem(NamedTuple):
    """One card to ask (a named tuple: a queue can hold thousands)."""

    deck_id: str
    card_id: str
    kind: QueueKind
    due_ms: int | None = None
    """When the card is due, in epoch milliseconds as stored (:attr:`due` as an instant:
    made when read, a queue may hold tens of thousands of items)."""
    retrievability: float | None = None

    @property
    def due(self) -> datetime | None:
        """When the card is due (UTC), None for a new card."""
        return None if self.due_ms is None else from_ms(self.due_ms)

    @property
    def key(self) -> tuple[str, str]:
        """The card as (deck id, card id)."""
        return (self.deck_id, self.card_id)


ITEM_KEY = itemgetter(0, 1)
"""An item's :attr:`QueueItem.key`, made in C: a backlog's queue holds tens of thousands
of items, and a Python property call per item was most of a question's time there."""


@dataclass(frozen=True)
class StudyQueue:
    """The cards to ask now, in order, and when to look again."""

    items: list[QueueItem] = field(default_factory=list)
    upcoming: list[QueueItem] = field(default_factory=list)
    """Learning steps due later today, soonest first: a session asks them when due."""

    @property
    def next_learning_due(self) -> datetime | None:
        """The next learning step due later today: rebuild the queue then, even if empty."""
        return self.upcoming[0].due if self.upcoming else None

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[QueueItem]:
        return iter(self.items)

    def count(self, kind: QueueKind) -> int:
        """How many items are of ``kind`` (the counts a study screen shows)."""
        return sum(1 for item in self.items if item.kind == kind)


Selection = Mapping[str, Mapping[str, object]]
"""Selected cards grouped by deck: per deck id, the card ids in deck order, as the keys
of a mapping (which answers "is this card selected?"): a deck's own
:attr:`~maliquiz.core.deck.models.Deck.cards_by_id` when the whole deck is studied."""


def group_by_deck(cards: Iterable[tuple[str, str]]) -> dict[str, dict[str, None]]:
    """(deck id, card id) pairs grouped by deck, decks and cards in their given order,
    without duplicates: a :data:`Selection`."""
    decks: dict[str, dict[str, None]] = {}
    # Selections come deck by deck, so grouping runs of one deck lets the per-card
    # work happen in C (dict.update over a map) rather than in a Python loop.
    for deck_id, run in groupby(cards, key=itemgetter(0)):
        decks.setdefault(deck_id, {}).update(dict.fromkeys(map(itemgetter(1), run)))
    return decks


def build_queue(
    store: ProgressStore,
    user: str,
    cards: Iterable[tuple[str, str]] | Selection,
    *,
    now: datetime | None = None,
    new_per_deck: int = NEW_PER_DECK,
) -> StudyQueue:
    """Today's queue for ``user`` over ``cards``: the (deck id, card id) pairs of the
    selected decks in deck order, or the same grouped by deck (a :data:`Selection`,
    which spares grouping 100,000 cards again at each build). Cards with progress but
    no longer in a deck are not asked (their rows stay)."""
    if new_per_deck < 0:
        raise ValueError(f"new cards per deck cannot be negative: {new_per_deck}")
    now = as_utc(now or store.clock.now())
    selection = cards if isinstance(cards, Mapping) else group_by_deck(cards)
    tomorrow = store.calendar.start_of_tomorrow(now)
    scheduler = store.scheduler

    # Ranked as plain tuples and turned into items at the end: sorting thousands of
    # due reviews is the queue's largest cost.
    learning: list[tuple[int, str, str]] = []
    reviews: list[tuple[float, int, str, str]] = []
    new: list[QueueItem] = []
    later: list[tuple[int, str, str]] = []
    now_ms = to_ms(now)
    # One read transaction: an answer committed by another process between two of
    # these queries would otherwise show a card both as new and as learning.
    with store.snapshot():
        user_id = store.user(user).id
        forgetting = scheduler.retrievability_from_ms
        rows = store.scheduled_cards(user_id, list(selection), due_before=tomorrow, now=now)
        for deck_id, card_id, state, due_ms, stability, last_review_ms in rows:
            if card_id not in selection[deck_id]:
                continue  # progress of a card no longer in its deck
            if state == State.Review:
                r = (
                    0.0
                    if stability is None or last_review_ms is None
                    else forgetting(stability, last_review_ms, now_ms)
                )
                reviews.append((r, due_ms, deck_id, card_id))
            elif due_ms <= now_ms:
                learning.append((due_ms, deck_id, card_id))
            else:
                later.append((due_ms, deck_id, card_id))

        for deck_id, chosen in _new_by_deck(store, user_id, selection, now, new_per_deck):
            # Whole runs of new cards, each item built in C from its fields (a Python
            # call per item was a third of the queue on a deck of 2,000 new cards).
            fields = zip(repeat(deck_id), chosen, repeat(QueueKind.NEW), repeat(None), repeat(None))
            new += map(tuple.__new__, repeat(QueueItem), fields)

    learning.sort()
    reviews.sort()
    later.sort()
    # Items made by tuple.__new__ (a NamedTuple's own constructor is a Python call):
    # a backlog can hold 40,000 due reviews.
    make, learn, review = tuple.__new__, QueueKind.LEARNING, QueueKind.REVIEW
    items = [
        make(QueueItem, (deck_id, card_id, learn, due_ms, None))
        for due_ms, deck_id, card_id in learning
    ]
    items += [
        make(QueueItem, (deck_id, card_id, review, due_ms, r))
        for r, due_ms, deck_id, card_id in reviews
    ]
    items += new
    upcoming = [
        make(QueueItem, (deck_id, card_id, learn, due_ms, None))
        for due_ms, deck_id, card_id in later
    ]
    return StudyQueue(items, upcoming)


def _new_by_deck(
    store: ProgressStore, user_id: int, selection: Selection, now: datetime, new_per_deck: int
) -> Iterator[tuple[str, list[str]]]:
    """Per deck of ``selection``, today's new cards: the daily limit less the cards
    introduced since the study day began. Call inside :meth:`snapshot`."""
    introduced = store.introduced_since(user_id, store.calendar.start_of_today(now))
    for deck_id, card_ids in selection.items():
        room = new_per_deck - introduced.get(deck_id, 0)
        if room > 0:
            yield deck_id, store.new_cards(user_id, deck_id, card_ids, room, now)


def new_cards_today(
    store: ProgressStore, user: str, selection: Selection, *, new_per_deck: int
) -> list[tuple[str, str]]:
    """The new cards today's queue would give over ``selection``, without the rest of
    the queue (a backlog's 100,000 due cards are not read)."""
    now = as_utc(store.clock.now())
    with store.snapshot():
        user_id = store.user(user).id
        found = _new_by_deck(store, user_id, selection, now, new_per_deck)
        return [(deck_id, card_id) for deck_id, chosen in found for card_id in chosen]


def coming_back(
    store: ProgressStore, user: str, cards: Sequence[tuple[str, str]], now: datetime
) -> tuple[int, datetime | None]:
    """How many of ``cards`` are due by the end of tomorrow, and the soonest due after
    ``now``: answered cards only, suspended ones left out, buried ones counted (a bury
    ends when the next study day begins)."""
    tomorrow_end = store.calendar.start_of_tomorrow(now) + timedelta(days=1)
    now_ms = to_ms(now)
    selected = set(cards)
    user_id = store.user(user).id
    deck_ids = list(dict.fromkeys(deck_id for deck_id, _card_id in cards))
    due_tomorrow = 0
    next_due_ms: int | None = None
    # The queue's own light read of the cards due by the end of tomorrow (when every
    # bury made today has ended), not of every card: 100,000 cards took 0.2-0.5 s.
    rows = store.scheduled_cards(user_id, deck_ids, due_before=tomorrow_end, now=tomorrow_end)
    for row in rows:
        if (row.deck_id, row.card_id) not in selected:
            continue
        due_tomorrow += 1
        if row.due_ms > now_ms and (next_due_ms is None or row.due_ms - _DAY_MS < next_due_ms):
            comes = _comes_back_ms(store, row.due_ms, row.state)
            if next_due_ms is None or comes < next_due_ms:
                next_due_ms = comes
    if next_due_ms is None:  # nothing before the day after tomorrow: the first after it
        for deck_id in deck_ids:
            found = store.first_due_at_or_after(
                user_id,
                deck_id,
                partial(_is_selected, selected, deck_id),
                after=tomorrow_end,
                now=tomorrow_end,
            )
            if found is not None:
                comes = _comes_back_ms(store, *found)
                if next_due_ms is None or comes < next_due_ms:
                    next_due_ms = comes
    return due_tomorrow, None if next_due_ms is None else from_ms(max(next_due_ms, now_ms))


_DAY_MS = 86_400_000


def _comes_back_ms(store: ProgressStore, due_ms: int, state: int) -> int:
    """When a card due at ``due_ms`` is asked: a review from the start of its study day
    (as today's queue takes every review due before tomorrow), a learning step at its
    time."""
    if state != State.Review:
        return due_ms
    return to_ms(store.calendar.start_of_today(from_ms(due_ms)))


def _is_selected(selected: AbstractSet[tuple[str, str]], deck_id: str, card_id: str) -> bool:
    return (deck_id, card_id) in selected


class DayCounts(NamedTuple):
    """Today's cards of a deck as Anki counts them."""

    new: int
    """New cards still allowed today (the daily limit less those already introduced)."""
    learn: int
    """Learning and relearning cards due now or later today."""
    due: int
    """Review cards due today."""


def count_kinds(items: Iterable[QueueItem]) -> Counter[QueueKind]:
    """How many of ``items`` are of each kind, counted in C (a backlog is long, and a
    session's counter is shown at every question)."""
    return Counter(map(itemgetter(2), items))


def day_counts(queue: StudyQueue) -> dict[str, DayCounts]:
    """Per deck, what ``queue`` (today's, from :func:`build_queue`) asks: the figures the
    home screen, ``maliquiz decks``, the stats and a session's counter all show, so that
    they agree."""
    counts: dict[str, list[int]] = {}
    kinds = {QueueKind.NEW: 0, QueueKind.LEARNING: 1, QueueKind.REVIEW: 2}
    for item in chain(queue.items, queue.upcoming):
        counts.setdefault(item.deck_id, [0, 0, 0])[kinds[item.kind]] += 1
    return {deck_id: DayCounts(*figures) for deck_id, figures in counts.items()}


def cram_queue(
    store: ProgressStore,
    user: str,
    cards: Iterable[tuple[str, str]],
    *,
    now: datetime | None = None,
    limit: int | None = None,
) -> StudyQueue:
    """Practice ahead over ``cards``: every card but the suspended ones, those with the
    lowest retrievability first, then never-seen cards in deck order. Buried cards are
    included: cramming is asked for, not scheduled."""
    now = as_utc(now or store.clock.now())
    selection = group_by_deck(cards)
    seen_items: list[QueueItem] = []
    unseen: list[QueueItem] = []
    with store.snapshot():
        for deck_id, card_ids in selection.items():
            records = {record.card_id: record for record in store.cards(user, deck_id)}
            for card_id in card_ids:
                record = records.get(card_id)
                if record is not None and record.suspended:
                    continue
                if record is None or record.state.is_new:
                    unseen.append(QueueItem(deck_id, card_id, QueueKind.CRAM))
                    continue
                r = store.scheduler.retrievability(record.state, now)
                due_ms = to_ms(record.state.due)
                seen_items.append(QueueItem(deck_id, card_id, QueueKind.CRAM, due_ms, r))
    seen_items.sort(key=lambda item: (item.retrievability or 0.0, item.due_ms or 0))
    items = seen_items + unseen
    return StudyQueue(items if limit is None else items[:limit])
