"""Today's new cards of a deck, found without reading every card the learner has seen.

A card is new while it has no row in ``card_states``. Finding the first new cards of a
deck in its order meant reading the id of every card of that deck with a row: over ten
decks of 10,000 cards all answered before, a third of the time of building the queue,
to find none. What that read found is kept, per learner and deck, in
``new_cards_kept``: a digest of the selected card ids in deck order, how many of them
were new, and the first of them.

An entry is right as long as no row of its deck was added or deleted, which triggers on
``card_states`` see to in the same transaction as the change, whatever makes it (a first
answer, a new card buried or suspended, forget, undo, import, sync): they delete the
deck's entry. An entry is written after the read transaction it was computed in, and
only if no other connection wrote to the file in between (SQLite's ``data_version``
tells), so a change made by another process meanwhile is never hidden. Writing never
waits for a lock and gives up on any failure (a read-only file, another writer busy):
it is a cache, the ids are read again next time.
"""

from __future__ import annotations

import sqlite3
from typing import Final, NamedTuple

SCHEMA: Final = """
CREATE TABLE new_cards_kept (
    user_id INTEGER NOT NULL,
    deck_id TEXT NOT NULL,
    selection BLOB NOT NULL,
    new_count INTEGER NOT NULL,
    first_new TEXT NOT NULL,
    PRIMARY KEY (user_id, deck_id)
) WITHOUT ROWID;
CREATE TRIGGER card_row_added AFTER INSERT ON card_states BEGIN
    DELETE FROM new_cards_kept WHERE user_id = NEW.user_id AND deck_id = NEW.deck_id;
END;
CREATE TRIGGER card_row_deleted AFTER DELETE ON card_states BEGIN
    DELETE FROM new_cards_kept WHERE user_id = OLD.user_id AND deck_id = OLD.deck_id;
END;
CREATE TRIGGER card_row_moved AFTER UPDATE OF user_id, deck_id, card_id ON card_states BEGIN
    DELETE FROM new_cards_kept WHERE user_id = OLD.user_id AND deck_id = OLD.deck_id;
    DELETE FROM new_cards_kept WHERE user_id = NEW.user_id AND deck_id = NEW.deck_id;
END;
"""
"""Schema version 8."""

KEPT: Final = 200
"""New card ids an entry keeps at least (a day's new cards of a deck are 20 by default)."""
KEPT_MOST: Final = 2_000
"""... and at most, however many a day allows: beyond, the ids are read every time."""


class Entry(NamedTuple):
    """One row of ``new_cards_kept``."""

    user_id: int
    deck_id: str
    selection: bytes
    new_count: int
    first_new: str


KEEP: Final = (
    "INSERT OR REPLACE INTO new_cards_kept (user_id, deck_id, selection, new_count, first_new) "
    "VALUES (?, ?, ?, ?, ?)"
)
"""Writes :class:`Entry` rows."""


def data_version(db: sqlite3.Connection) -> int:
    """A number that changes whenever another connection commits a change to the file."""
    (version,) = db.execute("PRAGMA data_version").fetchone()
    return int(version)
