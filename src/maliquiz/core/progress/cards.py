"""Each learner's cards: their scheduling state, burying and suspending, and the
reads today's queue is built from."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime
from itertools import filterfalse, islice, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from fsrs import Card

from maliquiz.core.deck.cardindex import CardIndex, ids_digest
from maliquiz.core.learning.clock import from_ms, to_ms
from maliquiz.core.learning.records import (
    CardRecord,
    ScheduledCard,
)
from maliquiz.core.learning.scheduling import CardState
from maliquiz.core.progress import newcards
from maliquiz.core.progress.connection import CARD_COLUMNS, STATE_COLUMNS
from maliquiz.core.progress.failures import StoreError
from maliquiz.core.progress.users import UserQueries


class CardFigures(NamedTuple):
    """A card row's columns as stored, instants in epoch milliseconds: what the stats
    and the home screen count over every card of a learner, without rebuilding each
    card's scheduling state (a named tuple from the row is ~5x faster than a
    :class:`CardRecord`). :meth:`CardQueries.card_figures` keys them by card."""

    state: int
    due_ms: int
    stability: float | None
    last_review_ms: int | None
    buried_until_ms: int | None
    suspended: int
    leech: int
    recognised_ms: int | None
    recalled_ms: int | None


class CardQueries(UserQueries):
    """Card rows: read, write, bury, suspend, and what the queue ranks."""

    _new_cards_found: tuple[newcards.Entry, ...] = ()
    _version_seen: int | None = None

    # --- cards ----------------------------------------------------------------------

    def card(self, user: str, deck_id: str, card_id: str) -> CardRecord | None:
        """The learner's progress on a card, or None if it never had any."""
        uid = self._user(self._db, user).id
        row = self._card_row(self._db, uid, deck_id, card_id)
        return None if row is None else card_record(deck_id, card_id, row)

    def card_state(self, user: str, deck_id: str, card_id: str) -> CardState:
        """The card's scheduling state, a new one if it was never answered (what
        :meth:`Scheduler.preview` takes)."""
        record = self.card(user, deck_id, card_id)
        if record is None:
            return CardState.new(deck_id, card_id, self.clock.now())
        return record.state

    def cards(self, user: str, deck_id: str | None = None) -> list[CardRecord]:
        """All of a learner's card rows, or those of one deck."""
        uid = self._user(self._db, user).id
        columns = ", ".join(CARD_COLUMNS)
        if deck_id is None:
            rows = self._db.execute(
                f"SELECT {columns} FROM card_states {self._whole_table()} WHERE user_id = ? "
                "ORDER BY id",
                (uid,),
            )
        else:
            rows = self._db.execute(
                f"SELECT {columns} FROM card_states WHERE user_id = ? AND deck_id = ? ORDER BY id",
                (uid, deck_id),
            )
        return [
            card_record(row[0], row[1], dict(zip(STATE_COLUMNS, row[2:], strict=True)))
            for row in rows
        ]

    def card_figures(self, user: str) -> dict[tuple[str, str], CardFigures]:
        """Every card row of the learner as :class:`CardFigures`, by (deck id, card id)."""
        uid = self._user(self._db, user).id
        rows = self._db.execute(
            f"SELECT deck_id, card_id, {', '.join(CardFigures._fields)} FROM card_states "
            f"{self._whole_table()} WHERE user_id = ?",
            (uid,),
        ).fetchall()
        # Keys and named tuples made in C (a Python call per row was most of the time).
        figures = map(tuple.__new__, repeat(CardFigures), map(itemgetter(slice(2, None)), rows))
        return dict(zip(map(itemgetter(0, 1), rows), figures, strict=True))

    def _whole_table(self) -> str:
        """How to read every card row of a learner: ``NOT INDEXED`` when the file holds
        one learner, whose rows are then read in table order (10,000 cards: 24 -> 13 ms,
        in row order 66 -> 35 ms) rather than each found through an index; with several
        learners the index reads only that learner's rows."""
        (several,) = self._db.execute("SELECT count(*) > 1 FROM users").fetchone()
        return "" if several else "NOT INDEXED"

    @staticmethod
    def _card_row(
        db: sqlite3.Connection, user_id: int, deck_id: str, card_id: str
    ) -> dict[str, Any] | None:
        row = db.execute(
            f"SELECT {', '.join(STATE_COLUMNS)} FROM card_states "
            "WHERE user_id = ? AND deck_id = ? AND card_id = ?",
            (user_id, deck_id, card_id),
        ).fetchone()
        return None if row is None else dict(zip(STATE_COLUMNS, row, strict=True))

    def _put_card(
        self,
        db: sqlite3.Connection,
        user_id: int,
        deck_id: str,
        card_id: str,
        values: dict[str, Any],
    ) -> None:
        """Insert or replace the state columns of one card row (keeping its row id)."""
        names = ", ".join(STATE_COLUMNS)
        marks = ", ".join("?" for _ in STATE_COLUMNS)
        updates = ", ".join(f"{name} = excluded.{name}" for name in STATE_COLUMNS)
        db.execute(
            f"INSERT INTO card_states (user_id, deck_id, card_id, {names}) "
            f"VALUES (?, ?, ?, {marks}) "
            f"ON CONFLICT (user_id, deck_id, card_id) DO UPDATE SET {updates}",
            (user_id, deck_id, card_id, *(values[name] for name in STATE_COLUMNS)),
        )

    # --- bury and suspend -----------------------------------------------------------

    def bury(self, user: str, deck_id: str, card_id: str) -> datetime:
        """Hide a card until the next study day begins; returns that instant."""
        until = self.calendar.start_of_tomorrow(self.clock.now())
        self._set_flags(user, deck_id, card_id, buried_until_ms=to_ms(until))
        return until

    def unbury(self, user: str, deck_id: str, card_id: str) -> None:
        """Show a buried card again today."""
        self._set_flags(user, deck_id, card_id, buried_until_ms=None)

    def suspend(self, user: str, deck_id: str, card_id: str) -> None:
        """Keep a card out of every queue until it is unsuspended."""
        self._set_flags(user, deck_id, card_id, suspended=1)

    def unsuspend(self, user: str, deck_id: str, card_id: str) -> None:
        """Let a suspended card come back, on its old schedule."""
        self._set_flags(user, deck_id, card_id, suspended=0)

    def _set_flags(self, user: str, deck_id: str, card_id: str, **flags: Any) -> None:
        check_ids(deck_id, card_id)
        with self._write() as db:
            user_id = self._user(db, user).id
            values = self._card_row(db, user_id, deck_id, card_id)
            if values is None:
                new = CardState.new(deck_id, card_id, self.clock.now())
                values = state_values(new, introduced_ms=None)
            values.update(flags)
            self._put_card(db, user_id, deck_id, card_id, values)

    # --- what the queue reads -------------------------------------------------------

    def scheduled_cards(
        self, user_id: int, deck_ids: Sequence[str], *, due_before: datetime, now: datetime
    ) -> list[ScheduledCard]:
        """Introduced, unsuspended cards of these decks due before ``due_before`` and not
        buried at ``now``. Served by the ``card_states_due`` index, so the cost follows
        the number of due cards, not the size of the collection."""
        # Named: without statistics, SQLite's planner took the ``introduced_ms`` index
        # (its IS NOT NULL reads as a range) and walked every card of the learner, 24x
        # slower on 10,000 cards with 400 due.
        cursor = self._db.execute(
            "SELECT deck_id, card_id, state, due_ms, stability, last_review_ms "
            "FROM card_states INDEXED BY card_states_due WHERE user_id = ? "
            "AND deck_id IN (SELECT value FROM json_each(?)) AND due_ms < ? "
            "AND introduced_ms IS NOT NULL AND suspended = 0 "
            "AND (buried_until_ms IS NULL OR buried_until_ms <= ?)",
            (user_id, json.dumps(list(deck_ids)), to_ms(due_before), to_ms(now)),
        )
        # Rows become named tuples in C (``_make`` is a Python call per row).
        return list(map(tuple.__new__, repeat(ScheduledCard), cursor))

    def first_due_at_or_after(
        self,
        user_id: int,
        deck_id: str,
        wanted: Callable[[str], bool],
        *,
        after: datetime,
        now: datetime,
    ) -> tuple[int, int] | None:
        """The soonest due time (ms) at or after ``after`` among the introduced,
        unsuspended cards of a deck not buried at ``now`` whose id ``wanted`` accepts.
        Read in due order from the ``card_states_due`` index, so it stops at the first
        wanted card (nearly always the first read) instead of reading every row."""
        cursor = self._db.execute(
            "SELECT card_id, due_ms, state FROM card_states INDEXED BY card_states_due "
            "WHERE user_id = ? AND deck_id = ? AND due_ms >= ? "
            "AND introduced_ms IS NOT NULL AND suspended = 0 "
            "AND (buried_until_ms IS NULL OR buried_until_ms <= ?) ORDER BY due_ms",
            (user_id, deck_id, to_ms(after), to_ms(now)),
        )
        try:
            while rows := cursor.fetchmany(64):
                for card_id, due_ms, state in rows:
                    if wanted(card_id):
                        return int(due_ms), int(state)
            return None
        finally:
            cursor.close()  # ends the read at once, wherever it stopped

    def snapshot(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction, so that the queue's queries see one consistent state;
        the new cards searched in it are kept once it ends (:mod:`.newcards`)."""
        return self._snapshot()

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._read() as db:
                yield db
        finally:
            entries, version = self._new_cards_found, self._version_seen
            self._new_cards_found, self._version_seen = (), None
        if entries and version is not None:
            self._keep_new_cards(entries, version)

    def _keep_new_cards(self, entries: Sequence[newcards.Entry], version: int) -> None:
        """Write ``entries``, found in a read transaction that saw the file's
        ``data_version`` at ``version``, if no other connection wrote since. Never waits
        for a lock, never fails: what is not kept is searched again next time."""
        (patience,) = self._db.execute("PRAGMA busy_timeout").fetchone()
        self._db.execute("PRAGMA busy_timeout = 0")
        try:
            with suppress(StoreError, sqlite3.Error), self._write() as db:
                if newcards.data_version(db) == version:
                    db.executemany(newcards.KEEP, entries)
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {int(patience)}")

    def new_cards(
        self, user_id: int, deck_id: str, selected: Mapping[str, object], room: int, now: datetime
    ) -> list[str]:
        """The first ``room`` new cards among ``selected`` (card ids in deck order, the
        keys of a mapping): cards with a row never answered and free at ``now`` first (a
        new card held back on an earlier day), then cards without a row. Inside
        :meth:`snapshot`, what the search found is kept for the next one."""
        released = self.unanswered_available(user_id, deck_id, now)
        # Filtered in C (a Python test per card was a fifth of the queue over 100,000
        # cards all answered before).
        order = list(filter(released.__contains__, selected)) if released else []
        room -= len(order)
        if room <= 0:
            return order[: len(order) + room]
        digest = selected.digest if isinstance(selected, CardIndex) else ids_digest(selected)
        row = self._db.execute(
            "SELECT new_count, first_new FROM new_cards_kept "
            "WHERE user_id = ? AND deck_id = ? AND selection = ?",
            (user_id, deck_id, digest),
        ).fetchone()
        if row is not None:
            new_count, first_new = row[0], list[str](json.loads(row[1]))
            if room <= len(first_new) or new_count == len(first_new):
                return order + first_new[:room]
        seen = self.card_ids_with_rows(user_id, deck_id)
        unseen = filterfalse(seen.__contains__, selected) if seen else iter(selected)
        kept = max(newcards.KEPT, min(room, newcards.KEPT_MOST))
        first = list(islice(unseen, max(kept, room)))
        if self._db.in_transaction:  # kept when the snapshot ends
            if self._version_seen is None:
                self._version_seen = newcards.data_version(self._db)
            new_count = len(selected) - len(seen & selected.keys())
            entry = (user_id, deck_id, digest, new_count, json.dumps(first[:kept]))
            self._new_cards_found += (newcards.Entry(*entry),)
        return order + first[:room]

    def card_ids_with_rows(self, user_id: int, deck_id: str) -> set[str]:
        """Card ids of a deck that have a row (read from the key index alone)."""
        # SQLite joins the ids into one string and Python splits it: for a deck of
        # 100,000 cards that is several times faster than a Python object per row.
        count, joined = self._db.execute(
            "SELECT count(*), group_concat(card_id, char(31)) FROM card_states "
            "WHERE user_id = ? AND deck_id = ?",
            (user_id, deck_id),
        ).fetchone()
        if not count:
            return set()
        ids = joined.split("\x1f")
        if len(ids) == count:
            return set(ids)
        # An id holding the separator itself (deck ids are slugs, so never in practice).
        rows = self._db.execute(
            "SELECT card_id FROM card_states WHERE user_id = ? AND deck_id = ?",
            (user_id, deck_id),
        )
        return {row[0] for row in rows}

    def unanswered_available(self, user_id: int, deck_id: str, now: datetime) -> set[str]:
        """Cards of a deck with a row but never answered that are neither suspended nor
        buried at ``now`` (read through the small partial index of unanswered rows)."""
        rows = self._db.execute(
            "SELECT card_id FROM card_states WHERE user_id = ? AND deck_id = ? "
            "AND introduced_ms IS NULL AND suspended = 0 "
            "AND (buried_until_ms IS NULL OR buried_until_ms <= ?)",
            (user_id, deck_id, to_ms(now)),
        )
        return {row[0] for row in rows}

    def introduced_since(self, user_id: int, since: datetime) -> dict[str, int]:
        """Per deck, how many cards had their first answer at or after ``since``."""
        # Left to itself the planner prefers the key index for the GROUP BY and walks
        # every row of the user; today's first answers are few, so read them by time.
        rows = self._db.execute(
            "SELECT deck_id FROM card_states INDEXED BY card_states_introduced "
            "WHERE user_id = ? AND introduced_ms >= ?",
            (user_id, to_ms(since)),
        )
        return dict(Counter(map(itemgetter(0), rows)))  # counted in C


def check_ids(deck_id: str, card_id: str) -> None:
    if not deck_id or not card_id:
        raise ValueError("deck id and card id must not be empty")


def state_values(state: CardState, *, introduced_ms: int | None) -> dict[str, Any]:
    """The row columns that mirror a scheduling state (flags left to the caller)."""
    memory = state.memory
    return {
        "memory": state.to_json(),
        "state": int(memory.state),
        "due_ms": to_ms(memory.due),
        "stability": memory.stability,
        "difficulty": memory.difficulty,
        "last_review_ms": None if memory.last_review is None else to_ms(memory.last_review),
        "reps": state.reps,
        "lapses": state.lapses,
        "introduced_ms": introduced_ms,
        "buried_until_ms": None,
        "suspended": 0,
        "leech": 0,
        "recognised_ms": None,
        "recalled_ms": None,
    }


def card_record(
    deck_id: str, card_id: str, values: dict[str, Any], *, state: CardState | None = None
) -> CardRecord:
    """The record of a card row's ``values``; ``state``, when the caller has the
    scheduling state the row was made from, spares reading it back from its JSON."""
    if state is None:
        state = CardState(
            memory=Card.from_json(values["memory"]),
            reps=int(values["reps"]),
            lapses=int(values["lapses"]),
        )
    introduced = values["introduced_ms"]
    buried = values["buried_until_ms"]
    return CardRecord(
        deck_id=deck_id,
        card_id=card_id,
        state=state,
        introduced=None if introduced is None else from_ms(introduced),
        buried_until=None if buried is None else from_ms(buried),
        suspended=bool(values["suspended"]),
        leech=bool(values["leech"]),
        recognised=_instant(values.get("recognised_ms")),
        recalled=_instant(values.get("recalled_ms")),
    )


def _instant(ms: int | None) -> datetime | None:
    return None if ms is None else from_ms(ms)
