"""The answer log, compact (schema 6): how each answer is stored, written and read back.

A long history is mostly this log, so each answer is kept small (about 100 bytes with
its indexes, as Anki's revlog):

``review_log``
    one row per answer: ``id`` (the order answers were written in), ``user_id``,
    ``card`` (a :data:`card_keys` number instead of the deck and card id texts),
    ``reviewed_ms``, ``uid`` (the 16 bytes of a uid written as 32 lowercase hex digits,
    as maliquiz writes them; any other uid as its text), ``mode`` and ``outcome`` (small
    codes of ``review_modes`` and ``review_outcomes``), ``answer`` (a number of
    ``review_answers``: the same typed or chosen answer recurs many times), ``rating``,
    ``duration_ms``, ``scheduled``, ``imported``.
``review_undo``
    the card's row before an answer (what undo restores), for the answers that had
    one: the JSON text as before, deflated with a preset dictionary (about 100 bytes
    instead of 520), restored byte for byte when read.
``card_keys``, ``review_answers``, ``review_modes``, ``review_outcomes``
    the texts the log refers to by number.

Indexes: ``reviews_user_time`` (a learner's answers by time), ``reviews_card`` (a
card's answers by time) and ``reviews_uid`` (a learner's answers by the last 4 bytes of
their uid: the look-up that keeps uids unique, done by :func:`insert_rows` and
:func:`insert_answer` under the write lock, in a quarter of the room of a unique index
of whole uids).

The view ``reviews`` shows the log with its texts, in the columns of schema 5 (the
undo snapshot aside), for reading: by the export, by tests, by anyone opening the file
with ``sqlite3``.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final, NamedTuple

MODES: Final = ("choice", "typed", "flashcard", "truefalse", "order", "match", "cloze", "exam")
"""Mode codes: a mode's code is its place here, the commonest first (0 and 1 take no
room in an SQLite row); a mode never seen before gets the next free code. Stored in
files: append only."""
OUTCOMES: Final = ("correct", "wrong", "typo", "partial", "skipped")
"""Outcome codes, as :data:`MODES`."""

SCHEMA: Final = (
    """CREATE TABLE card_keys (
    id INTEGER PRIMARY KEY,
    deck_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    UNIQUE (deck_id, card_id)
)""",
    """CREATE TABLE review_answers (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
)""",
    """CREATE TABLE review_modes (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
)""",
    """CREATE TABLE review_outcomes (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
)""",
    """CREATE TABLE review_log (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    card INTEGER NOT NULL REFERENCES card_keys(id),
    reviewed_ms INTEGER NOT NULL,
    uid NOT NULL,
    mode INTEGER NOT NULL,
    answer INTEGER,
    outcome INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    duration_ms INTEGER,
    scheduled INTEGER NOT NULL DEFAULT 1,
    imported INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE review_undo (
    review INTEGER PRIMARY KEY REFERENCES review_log(id) ON DELETE CASCADE,
    state_before BLOB NOT NULL
)""",
)

INDEXES: Final = (
    "CREATE INDEX reviews_user_time ON review_log (user_id, reviewed_ms)",
    "CREATE INDEX reviews_card ON review_log (user_id, card, reviewed_ms)",
    "CREATE INDEX reviews_uid ON review_log (user_id, substr(uid, -4))",
    """CREATE VIEW reviews AS SELECT
    l.id AS id,
    CASE WHEN typeof(l.uid) = 'blob' THEN lower(hex(l.uid)) ELSE l.uid END AS uid,
    l.user_id AS user_id,
    k.deck_id AS deck_id,
    k.card_id AS card_id,
    l.reviewed_ms AS reviewed_ms,
    m.name AS mode,
    a.text AS answer,
    o.name AS outcome,
    l.rating AS rating,
    l.duration_ms AS duration_ms,
    l.scheduled AS scheduled,
    l.imported AS imported
FROM review_log AS l
JOIN card_keys AS k ON k.id = l.card
LEFT JOIN review_modes AS m ON m.code = l.mode
LEFT JOIN review_answers AS a ON a.id = l.answer
LEFT JOIN review_outcomes AS o ON o.code = l.outcome""",
)
"""Made after the rows are in (an index built at once is packed tight)."""

_HEX_UID: Final = re.compile(r"[0-9a-f]{32}")

# Deflate's preset dictionary for undo snapshots: the text of a typical one, so that
# only the numbers that differ take room. Never change it: stored snapshots need it.
# A snapshot starts with a byte naming how it is packed: 1, deflated with this.
_ZDICT: Final = (
    b'{"memory": "{\\"card_id\\": , \\"state\\": 1, \\"step\\": 0, \\"stability\\": '
    b', \\"difficulty\\": , \\"due\\": \\"2026-01-01T00:00:00.000000+00:00\\", '
    b'\\"last_review\\": \\"2026-01-01T00:00:00.000000+00:00\\"}", "state": 3, '
    b'"due_ms": , "stability": , "difficulty": , "last_review_ms": , "reps": , '
    b'"lapses": 0, "introduced_ms": , "buried_until_ms": null, "suspended": 0, '
    b'"leech": 0, "recognised_ms": null, "recalled_ms": null}'
    b'{"memory": "{\\"card_id\\": , \\"state\\": 2, \\"step\\": null, \\"stability\\": '
    b', \\"difficulty\\": , \\"due\\": \\"2026-01-01T00:00:00.000000+00:00\\", '
    b'\\"last_review\\": \\"2026-01-01T00:00:00.000000+00:00\\"}", "state": 2, '
    b'"due_ms": , "stability": , "difficulty": , "last_review_ms": , "reps": , '
    b'"lapses": 0, "introduced_ms": , "buried_until_ms": null, "suspended": 0, '
    b'"leech": 0, "recognised_ms": , "recalled_ms": '
)
_DEFLATED: Final = 1


# --- values -------------------------------------------------------------------------


def encode_uid(uid: str) -> str | bytes:
    """How ``uid`` is stored: 16 bytes for 32 lowercase hex digits, else its text."""
    return bytes.fromhex(uid) if _HEX_UID.fullmatch(uid) else uid


def decode_uid(stored: str | bytes) -> str:
    return stored.hex() if isinstance(stored, bytes) else stored


def pack_state(text: str) -> bytes:
    """An undo snapshot's text, deflated (see :func:`unpack_state`)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, _ZDICT)
    return bytes([_DEFLATED]) + packer.compress(text.encode()) + packer.flush()


def unpack_state(stored: bytes) -> str:
    """The text :func:`pack_state` was given, exactly."""
    if stored[0] != _DEFLATED:
        raise ValueError(f"an undo snapshot packed in an unknown way ({stored[0]})")
    unpacker = zlib.decompressobj(-15, _ZDICT)
    return (unpacker.decompress(stored[1:]) + unpacker.flush()).decode()


# --- texts by number ----------------------------------------------------------------


OWN: Final = 0
"""``imported`` of an answer given on this machine."""
FROM_FILE: Final = 1
"""``imported`` of an answer brought in from a file (``progress import``, ``recover``):
never undone here, but sent to the class server as the learner's own."""
FROM_SERVER: Final = 2
"""``imported`` of an answer received from the class server: never undone, never sent
back."""


class Codes:
    """The numbers of card keys, modes, outcomes and answer texts, looked up (or
    added) once each. Good for one transaction: numbers are only ever added, but a
    rolled back transaction takes its new ones away."""

    def __init__(self, db: sqlite3.Connection, known: KnownCodes | None = None) -> None:
        """``known``: the mode and outcome codes read by an earlier transaction (they are
        only ever added, never changed), to spare reading them for every answer."""
        self.db = db
        self.cards: dict[tuple[str, str], int] = {}
        self.answers: dict[str, int] = {}
        if known is None:
            known = read_known_codes(db)
        self.modes, self.outcomes = dict(known.modes), dict(known.outcomes)

    def card(self, deck_id: str, card_id: str) -> int:
        key = (deck_id, card_id)
        found = self.cards.get(key)
        if found is None:
            found = card_key(self.db, deck_id, card_id, add=True)
            assert found is not None
            self.cards[key] = found
        return found

    def answer(self, text: str | None) -> int | None:
        if text is None:
            return None
        found = self.answers.get(text)
        if found is None:
            row = self.db.execute("SELECT id FROM review_answers WHERE text = ?", (text,))
            got = row.fetchone()
            found = (
                got[0]
                if got is not None
                else self.db.execute(
                    "INSERT INTO review_answers (text) VALUES (?)", (text,)
                ).lastrowid
            )
            assert found is not None
            self.answers[text] = found
        return found

    def mode(self, name: str) -> int:
        return self._code(self.modes, "review_modes", name)

    def outcome(self, name: str) -> int:
        return self._code(self.outcomes, "review_outcomes", name)

    def _code(self, known: dict[str, int], table: str, name: str) -> int:
        found = known.get(name)
        if found is None:  # maybe added by another process since: read the table again
            known.update(self.db.execute(f"SELECT name, code FROM {table}"))
            found = known.get(name)
        if found is None:
            found = len(known)
            while found in known.values():
                found += 1
            self.db.execute(f"INSERT INTO {table} (code, name) VALUES (?, ?)", (found, name))
            known[name] = found
        return found


class KnownCodes(NamedTuple):
    """The mode and outcome codes of a file, as read once."""

    modes: dict[str, int]
    outcomes: dict[str, int]


def read_known_codes(db: sqlite3.Connection) -> KnownCodes:
    """The file's mode and outcome codes."""
    return KnownCodes(
        dict(db.execute("SELECT name, code FROM review_modes")),
        dict(db.execute("SELECT name, code FROM review_outcomes")),
    )


def card_key(
    db: sqlite3.Connection, deck_id: str, card_id: str, *, add: bool = False
) -> int | None:
    """The number of the card ``(deck_id, card_id)``; None when it has none (and
    ``add`` is false)."""
    row = db.execute(
        "SELECT id FROM card_keys WHERE deck_id = ? AND card_id = ?", (deck_id, card_id)
    ).fetchone()
    if row is not None:
        return int(row[0])
    if not add:
        return None
    cursor = db.execute(
        "INSERT INTO card_keys (deck_id, card_id) VALUES (?, ?)", (deck_id, card_id)
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def seed(db: sqlite3.Connection) -> None:
    """The codes every file starts with."""
    db.executemany("INSERT INTO review_modes (code, name) VALUES (?, ?)", list(enumerate(MODES)))
    db.executemany(
        "INSERT INTO review_outcomes (code, name) VALUES (?, ?)", list(enumerate(OUTCOMES))
    )


# --- writing ------------------------------------------------------------------------


def has_uid(db: sqlite3.Connection, user_id: int, stored_uid: str | bytes) -> bool:
    """Whether the learner has an answer of this (stored) uid."""
    return (
        db.execute(
            "SELECT 1 FROM review_log WHERE user_id = ? AND substr(uid, -4) = substr(?, -4) "
            "AND uid = ?",
            (user_id, stored_uid, stored_uid),
        ).fetchone()
        is not None
    )


_INSERT: Final = (
    "INSERT INTO review_log (user_id, card, reviewed_ms, uid, mode, answer, outcome, rating, "
    "duration_ms, scheduled, imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def insert_answer(
    db: sqlite3.Connection,
    codes: Codes,
    user_id: int,
    row: Sequence[Any],
    *,
    imported: int,
    fresh: bool = False,
) -> int | None:
    """Add one answer, ``row`` in the export's columns (uid, deck_id, card_id,
    reviewed_ms, mode, answer, outcome, rating, duration_ms, scheduled, state_before);
    its row id, or None when the learner has an answer of that uid already. ``fresh``:
    the uid was just drawn at random (128 bits), so it is not looked for."""
    uid, deck_id, card_id, at_ms, mode, answer, outcome, rating, duration, scheduled, before = row
    stored_uid = encode_uid(uid)
    if not fresh and has_uid(db, user_id, stored_uid):
        return None
    cursor = db.execute(
        _INSERT,
        (
            user_id,
            codes.card(deck_id, card_id),
            at_ms,
            stored_uid,
            codes.mode(mode),
            codes.answer(answer),
            codes.outcome(outcome),
            rating,
            duration,
            scheduled,
            imported,
        ),
    )
    review_id = cursor.lastrowid
    assert review_id is not None
    if before is not None:
        db.execute(
            "INSERT INTO review_undo (review, state_before) VALUES (?, ?)",
            (review_id, pack_state(before)),
        )
    return review_id


def insert_rows(
    db: sqlite3.Connection,
    user_id: int,
    rows: Iterable[Sequence[Any]],
    *,
    imported: int,
    codes: Codes | None = None,
) -> int:
    """Add the answers (export's columns) whose uid the learner does not have yet;
    how many were new. ``codes``: those of the transaction, when it adds answers a
    batch at a time."""
    if codes is None:
        codes = Codes(db)
    return sum(
        insert_answer(db, codes, user_id, row, imported=imported) is not None for row in rows
    )


# --- reading ------------------------------------------------------------------------


def export_rows(db: sqlite3.Connection, user_id: int, *, lenient: bool = False) -> list[list[Any]]:
    """The learner's answers in the export's columns, oldest first (ties in the order
    they were written). ``lenient`` (for a damaged file): an undo snapshot that cannot
    be unpacked is read as none."""
    return list(iter_export_rows(db, user_id, unreadable=[] if lenient else None))


def iter_export_rows(
    db: sqlite3.Connection,
    user_id: int,
    *,
    unreadable: list[str] | None = None,
) -> Iterator[list[Any]]:
    """:func:`export_rows` one row at a time, as the log is read. With ``unreadable``
    (a list), a snapshot that cannot be unpacked is read as none and the answer's uid
    added to the list."""
    rows = db.execute(
        "SELECT r.uid, r.deck_id, r.card_id, r.reviewed_ms, r.mode, r.answer, r.outcome, "
        "r.rating, r.duration_ms, r.scheduled, u.state_before FROM reviews AS r "
        "LEFT JOIN review_undo AS u ON u.review = r.id WHERE r.user_id = ? "
        "ORDER BY r.reviewed_ms, r.id",
        (user_id,),
    )
    for row in rows:
        try:
            before = None if row[10] is None else unpack_state(row[10])
        except (ValueError, TypeError, IndexError, zlib.error):
            if unreadable is None:
                raise
            unreadable.append(row[0])
            before = None
        yield [*row[:10], before]


# --- schema 6 -----------------------------------------------------------------------


def migrate(db: sqlite3.Connection) -> None:
    """Schema 5 to 6: the log of schema 5 (``reviews``, one row of texts per answer)
    moved into the compact tables, row for row (row ids kept, so ties keep their
    order), then the old table dropped. Runs inside the step's transaction."""
    for statement in SCHEMA:
        db.execute(statement)
    seed(db)
    failures: list[Exception] = []

    def noting(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """``convert``, its failure kept: SQLite only says a function failed."""

        def call(value: Any) -> Any:
            try:
                return convert(value)
            except Exception as error:
                failures.append(error)
                raise

        return call

    db.create_function("maliquiz_uid", 1, noting(encode_uid), deterministic=True)
    db.create_function("maliquiz_pack", 1, noting(pack_state), deterministic=True)
    try:
        db.execute(
            "INSERT INTO card_keys (deck_id, card_id) SELECT deck_id, card_id FROM reviews "
            "GROUP BY deck_id, card_id ORDER BY min(id)"
        )
        db.execute(
            "INSERT INTO review_answers (text) SELECT answer FROM reviews "
            "WHERE answer IS NOT NULL GROUP BY answer ORDER BY min(id)"
        )
        for table, column in (("review_modes", "mode"), ("review_outcomes", "outcome")):
            db.execute(
                f"INSERT INTO {table} (code, name) SELECT "
                f"(SELECT max(code) FROM {table}) + row_number() OVER (ORDER BY min(id)), "
                f"{column} FROM reviews WHERE {column} NOT IN (SELECT name FROM {table}) "
                f"GROUP BY {column}"
            )
        db.execute(
            "INSERT INTO review_log (id, user_id, card, reviewed_ms, uid, mode, answer, outcome, "
            "rating, duration_ms, scheduled, imported) SELECT r.id, r.user_id, k.id, "
            "r.reviewed_ms, maliquiz_uid(r.uid), m.code, a.id, o.code, r.rating, "
            "r.duration_ms, r.scheduled, r.imported FROM reviews AS r "
            "JOIN card_keys AS k ON k.deck_id = r.deck_id AND k.card_id = r.card_id "
            "JOIN review_modes AS m ON m.name = r.mode "
            "JOIN review_outcomes AS o ON o.name = r.outcome "
            "LEFT JOIN review_answers AS a ON a.text = r.answer ORDER BY r.id"
        )
        db.execute(
            "INSERT INTO review_undo (review, state_before) SELECT id, "
            "maliquiz_pack(state_before) FROM reviews WHERE state_before IS NOT NULL ORDER BY id"
        )
        moved, kept = db.execute(
            "SELECT (SELECT count(*) FROM review_log), (SELECT count(*) FROM reviews)"
        ).fetchone()
        if moved != kept:
            raise sqlite3.IntegrityError(f"{kept - moved} answers could not be moved")
    except sqlite3.OperationalError as error:
        if not failures:
            raise
        first = failures[0]
        raise ValueError(
            f"an answer's uid or undo snapshot could not be converted "
            f"({type(first).__name__}: {first})"
        ) from error
    finally:
        db.create_function("maliquiz_uid", 1, None)
        db.create_function("maliquiz_pack", 1, None)
    db.execute("DROP TABLE reviews")
    for statement in INDEXES:
        db.execute(statement)
