"""What the class server does, on either database: classes, tokens, join and link
codes, answers in and out, published decks. The HTTP layer (:mod:`.app`) only checks
who calls and turns these results into responses.

Secrets (tokens, join and link codes) come from :mod:`secrets` and only their SHA-256
is stored: they are long random strings, so a plain hash is enough (no password to
stretch), and a copy of the database lets nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Sequence
from typing import Any, Final, NamedTuple

from maliquiz.core.progress.connection import EXAM_COLUMNS, REVIEW_COLUMNS
from maliquiz.server.db import Database, Transaction

TOKEN_PREFIX: Final = "mq_"
CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U
JOIN_CODE_LENGTH: Final = 12  # 30^12: about 2^59, against 10 guesses a minute
LINK_CODE_LENGTH: Final = 12
LINK_CODE_LIFETIME_MS: Final = 15 * 60_000
FAILURES_ALLOWED: Final = 10
FAILURE_WINDOW_MS: Final = 60_000
LEARNER_NAME_MAX: Final = 64

# The server keeps every column of an answer but undo's snapshot (``state_before``),
# which stays on the machine that answered.
STORED_REVIEW_COLUMNS: Final = tuple(c for c in REVIEW_COLUMNS if c != "state_before")
_STATE_BEFORE: Final = REVIEW_COLUMNS.index("state_before")

# Each stored column's SQL type (as in migrations/001_classes.sql), for inserting arrays.
_TYPES: Final = {
    "learner_id": "bigint", "seq": "bigint", "origin": "bigint", "uid": "text",
    "deck_id": "text", "card_id": "text", "reviewed_ms": "bigint", "mode": "text",
    "answer": "text", "outcome": "text", "rating": "integer", "duration_ms": "bigint",
    "scheduled": "integer", "taken_ms": "bigint", "decks": "text", "tags": "text",
    "score": "double precision", "max_score": "double precision", "results": "text",
}  # fmt: skip
_KEYS: Final = ("learner_id", "seq", "origin")
_REVIEW_NAMES: Final = ", ".join(STORED_REVIEW_COLUMNS)
_EXAM_NAMES: Final = ", ".join(EXAM_COLUMNS)


class Refused(Exception):
    """A join or link code that is wrong or spent."""


class RateLimited(Exception):
    """Too many wrong codes from this address lately; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many wrong codes: retry in {retry_after} s")
        self.retry_after = retry_after


class Conflict(Exception):
    """A name already taken."""


class Caller(NamedTuple):
    """Who a token belongs to."""

    token_id: int
    role: str
    class_id: int
    class_name: str
    learner_id: int | None
    learner_name: str | None


class Joined(NamedTuple):
    token: str
    learner_id: int
    learner: str
    class_id: int
    class_name: str


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_code(length: int) -> str:
    """A code to read out or copy: groups of four letters and digits, ``ABCD-EFGH-JKMN``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + 4] for i in range(0, length, 4))


def normalize_code(code: str) -> str:
    """A code as typed (any case, with or without dashes and spaces) in its stored form."""
    return "".join(c for c in code.upper() if c.isalnum())


# --- classes and tokens --------------------------------------------------------------


def add_class(db: Database, name: str) -> tuple[int, str, str]:
    """Create the class ``name``; returns its id, join code and teacher token."""
    code = new_code(JOIN_CODE_LENGTH)
    token = new_token()
    at = now_ms()
    with db.transaction() as tx:
        if tx.one("SELECT id FROM classes WHERE name = ?", (name,)) is not None:
            raise Conflict(name)
        class_id = int(
            tx.one(
                "INSERT INTO classes (name, join_hash, created_ms) VALUES (?, ?, ?) RETURNING id",
                (name, digest(normalize_code(code)), at),
            )[0]
        )
        tx.execute(
            "INSERT INTO tokens (hash, role, class_id, created_ms) VALUES (?, 'teacher', ?, ?)",
            (digest(token), class_id, at),
        )
    return class_id, code, token


CALLER_CACHE_SECONDS: Final = 60.0
_CALLER_CACHE_SIZE: Final = 10_000
_callers: dict[tuple[str, str], tuple[float, Caller]] = {}


def caller(db: Database, token: str) -> Caller | None:
    """Whose token this is, or None for a token the server never gave. A token found
    is remembered for :data:`CALLER_CACHE_SECONDS` in this process (a token is never
    taken back nor changes owner; a sync may take several requests): an unknown token
    is looked up every time, so a new one works at once."""
    found = remembered(db, token)
    if found is not None:
        return found
    key = (db.url, digest(token))
    found = _caller(db, key[1])
    if found is not None:
        if len(_callers) >= _CALLER_CACHE_SIZE:
            _callers.clear()
        _callers[key] = (time.monotonic() + CALLER_CACHE_SECONDS, found)
    return found


def remembered(db: Database, token: str) -> Caller | None:
    """The owner of ``token`` if this process found it lately (see :func:`caller`),
    without asking the database."""
    cached = _callers.get((db.url, digest(token)))
    return cached[1] if cached is not None and cached[0] > time.monotonic() else None


def _caller(db: Database, hashed: str) -> Caller | None:
    rows = db.read(
        "SELECT t.id, t.role, t.class_id, c.name, t.learner_id, l.name FROM tokens t "
        "JOIN classes c ON c.id = t.class_id LEFT JOIN learners l ON l.id = t.learner_id "
        "WHERE t.hash = ?",
        (hashed,),
    )
    return Caller(*rows[0]) if rows else None


def _check_rate(tx: Transaction, address: str, at: int) -> None:
    since = at - FAILURE_WINDOW_MS
    rows = tx.all(
        "SELECT at_ms FROM failed_attempts WHERE address = ? AND at_ms > ? ORDER BY at_ms",
        (address, since),
    )
    if len(rows) >= FAILURES_ALLOWED:
        oldest = int(rows[-FAILURES_ALLOWED][0])
        raise RateLimited(max(1, (oldest + FAILURE_WINDOW_MS - at + 999) // 1000))


def _failed(db: Database, address: str, at: int) -> None:
    with db.transaction() as tx:
        tx.execute("DELETE FROM failed_attempts WHERE at_ms < ?", (at - FAILURE_WINDOW_MS,))
        tx.execute("INSERT INTO failed_attempts (address, at_ms) VALUES (?, ?)", (address, at))


def join(db: Database, code: str, name: str, address: str) -> Joined:
    """A new learner ``name`` in the class of join code ``code`` (a name already there
    gets " (2)", " (3)"...), with their first token."""
    at = now_ms()
    with db.transaction() as tx:
        _check_rate(tx, address, at)
        row = tx.one(
            "SELECT id, name FROM classes WHERE join_hash = ?", (digest(normalize_code(code)),)
        )
        if row is not None:
            class_id, class_name = int(row[0]), str(row[1])
            taken = {
                str(r[0]).casefold()
                for r in tx.all("SELECT name FROM learners WHERE class_id = ?", (class_id,))
            }
            unique, n = name, 1
            while unique.casefold() in taken:
                n += 1
                unique = f"{name} ({n})"
            learner_id = int(
                tx.one(
                    "INSERT INTO learners (class_id, name, created_ms) VALUES (?, ?, ?) "
                    "RETURNING id",
                    (class_id, unique, at),
                )[0]
            )
            token = new_token()
            tx.execute(
                "INSERT INTO tokens (hash, role, class_id, learner_id, created_ms) "
                "VALUES (?, 'learner', ?, ?, ?)",
                (digest(token), class_id, learner_id, at),
            )
            return Joined(token, learner_id, unique, class_id, class_name)
    _failed(db, address, at)
    raise Refused(code)


def new_link_code(db: Database, learner_id: int) -> tuple[str, int]:
    """A one-time code attaching another machine to the learner; and when it expires."""
    code = new_code(LINK_CODE_LENGTH)
    at = now_ms()
    with db.transaction() as tx:
        tx.execute("DELETE FROM link_codes WHERE expires_ms < ?", (at,))
        tx.execute(
            "INSERT INTO link_codes (hash, learner_id, expires_ms) VALUES (?, ?, ?)",
            (digest(normalize_code(code)), learner_id, at + LINK_CODE_LIFETIME_MS),
        )
    return code, at + LINK_CODE_LIFETIME_MS


def link(db: Database, code: str, address: str) -> Joined:
    """Spend a link code: a new token for the same learner."""
    at = now_ms()
    with db.transaction() as tx:
        _check_rate(tx, address, at)
        row = tx.one(
            "DELETE FROM link_codes WHERE hash = ? AND expires_ms >= ? RETURNING learner_id",
            (digest(normalize_code(code)), at),
        )
        if row is not None:
            learner_id = int(row[0])
            learner, class_id, class_name = tx.one(
                "SELECT l.name, c.id, c.name FROM learners l JOIN classes c ON c.id = l.class_id "
                "WHERE l.id = ?",
                (learner_id,),
            )
            token = new_token()
            tx.execute(
                "INSERT INTO tokens (hash, role, class_id, learner_id, created_ms) "
                "VALUES (?, 'learner', ?, ?, ?)",
                (digest(token), class_id, learner_id, at),
            )
            return Joined(token, learner_id, str(learner), int(class_id), str(class_name))
    _failed(db, address, at)
    raise Refused(code)


class LinkOwner(NamedTuple):
    learner_id: int
    learner: str
    class_id: int
    class_name: str


def link_owner(db: Database, code: str, address: str) -> LinkOwner:
    """Whose machine a link code would attach, without spending it: a client checks
    that before it links (a code spent on a refused link would be lost). A wrong code
    counts against the address as in :func:`link`."""
    at = now_ms()
    with db.transaction() as tx:
        _check_rate(tx, address, at)
        row = tx.one(
            "SELECT l.id, l.name, c.id, c.name FROM link_codes k "
            "JOIN learners l ON l.id = k.learner_id JOIN classes c ON c.id = l.class_id "
            "WHERE k.hash = ? AND k.expires_ms >= ?",
            (digest(normalize_code(code)), at),
        )
        if row is not None:
            return LinkOwner(int(row[0]), str(row[1]), int(row[2]), str(row[3]))
    _failed(db, address, at)
    raise Refused(code)


def learner_class(db: Database, learner_id: int) -> int | None:
    """The class of a learner, or None when there is no such learner."""
    rows = db.read("SELECT class_id FROM learners WHERE id = ?", (learner_id,))
    return int(rows[0][0]) if rows else None


# --- answers --------------------------------------------------------------------------

Rows = Sequence[Sequence[Any]]
"""Checked rows of a table, in the export's column order."""


def push(db: Database, learner_id: int, origin: int, reviews: Rows, exams: Rows) -> tuple[int, int]:
    """Store the answers and exams (checked rows, export column order) whose uid the
    learner does not have yet; how many of each were new (see :func:`_push`)."""
    if not reviews and not exams:
        return 0, 0
    with db.transaction() as tx:
        stored, exams_stored, _top = _push(tx, learner_id, origin, reviews, exams)
    return stored, exams_stored


def _push(
    tx: Transaction, learner_id: int, origin: int, reviews: Rows, exams: Rows
) -> tuple[int, int, int | None]:
    """Store the new rows in ``tx``: how many answers and exams were new, and the
    learner's last number after them (None when nothing was sent). Numbers them after
    the learner's last (the learner's row is locked until commit, so numbers are
    committed in order and a reader's cursor never skips one)."""
    review_rows = [[*r[:_STATE_BEFORE], *r[_STATE_BEFORE + 1 :]] for r in reviews]
    total = len(review_rows) + len(exams)
    if not total:
        return 0, 0, None
    # Numbers for every row sent taken at once; the learner's row stays locked
    # until commit. A row already stored leaves its number unused (a gap).
    raised = "UPDATE learners SET seq = seq + ? WHERE id = ? RETURNING seq"
    top = int(tx.one(raised, (total, learner_id))[0])
    seq = top - total
    stored = []
    for table, columns, rows in (
        ("answers", STORED_REVIEW_COLUMNS, review_rows),
        ("exams", EXAM_COLUMNS, exams),
    ):
        if rows:
            stored.append(
                tx.insert_new(
                    table,
                    [(name, _TYPES[name]) for name in (*_KEYS, *columns)],
                    "learner_id, uid",
                    [(learner_id, seq + 1 + i, origin, *row) for i, row in enumerate(rows)],
                )
            )
        else:
            stored.append(0)
        seq += len(rows)
    return stored[0], stored[1], top


class Pulled(NamedTuple):
    reviews: list[list[Any]]
    exams: list[list[Any]]
    cursor: int
    more: bool


def pull(db: Database, learner_id: int, since: int, *, origin: int | None, limit: int) -> Pulled:
    """The learner's answers and exams numbered after ``since`` (those sent with the
    token ``origin`` left out: that machine has them), at most ``limit`` of each, in
    export column order; ``cursor`` is where to go on from."""
    with db.transaction() as tx:
        return _pull(tx, learner_id, since, origin=origin, limit=limit)


def _pull(
    tx: Transaction,
    learner_id: int,
    since: int,
    *,
    origin: int | None,
    limit: int,
    top: int | None = None,
) -> Pulled:
    """:func:`pull` in ``tx``; ``top``, the learner's last number when ``tx`` knows it
    already (it pushed, and holds the learner's row)."""
    if top is None:
        top = int(tx.one("SELECT seq FROM learners WHERE id = ?", (learner_id,))[0])
    # The rows of ``origin`` left out by the database: neither sent over nor counted
    # in a page (a machine that sent many answers is not paged through its own).
    others = "" if origin is None else " AND (origin IS NULL OR origin <> ?)"
    found: dict[str, list[Any]] = {}
    for table, names in (("answers", _REVIEW_NAMES), ("exams", _EXAM_NAMES)):
        found[table] = tx.all(
            f"SELECT seq, {names} FROM {table} WHERE learner_id = ? AND seq > ? "
            f"AND seq <= ?{others} ORDER BY seq LIMIT ?",
            (learner_id, since, top, *(() if origin is None else (origin,)), limit + 1),
        )
    cursor, more = top, False
    for rows in found.values():
        if len(rows) > limit:
            cursor, more = min(cursor, int(rows[limit - 1][0])), True
    reviews = [
        [*r[1 : 1 + _STATE_BEFORE], None, *r[1 + _STATE_BEFORE :]]
        for r in found["answers"]
        if r[0] <= cursor
    ]
    exams = [list(r[1:]) for r in found["exams"] if r[0] <= cursor]
    return Pulled(reviews, exams, cursor, more)


class Synced(NamedTuple):
    """What :func:`sync` did and found."""

    stored: int
    exams_stored: int
    pulled: Pulled
    decks: list[tuple[str, str, int]]


def sync(
    db: Database,
    caller: Caller,
    reviews: Sequence[Sequence[Any]],
    exams: Sequence[Sequence[Any]],
    *,
    since: int,
    limit: int,
) -> Synced:
    """A learner's whole sync in one transaction: store what ``caller`` (a learner's
    token) sends (:func:`push`), then read what is new for that machine since its
    cursor (:func:`pull`, the rows just sent left out) and the class's latest deck
    versions (:func:`latest_decks`)."""
    assert caller.learner_id is not None
    with db.transaction() as tx:
        stored, exams_stored, top = _push(tx, caller.learner_id, caller.token_id, reviews, exams)
        pulled = _pull(tx, caller.learner_id, since, origin=caller.token_id, limit=limit, top=top)
        decks = _latest_decks(tx, caller.class_id)
    return Synced(stored, exams_stored, pulled, decks)


def class_progress(db: Database, class_id: int) -> list[dict[str, Any]]:
    """Every learner of the class with all their answers and exams (export columns)."""
    with db.transaction() as tx:
        learners = tx.all(
            "SELECT id, name FROM learners WHERE class_id = ? ORDER BY id", (class_id,)
        )
        result = []
        for learner_id, name in learners:
            reviews = tx.all(
                f"SELECT {_REVIEW_NAMES} FROM answers WHERE learner_id = ? ORDER BY seq",
                (learner_id,),
            )
            exams = tx.all(
                f"SELECT {_EXAM_NAMES} FROM exams WHERE learner_id = ? ORDER BY seq",
                (learner_id,),
            )
            result.append(
                {
                    "name": name,
                    "reviews": {
                        "columns": list(REVIEW_COLUMNS),
                        "rows": [[*r[:_STATE_BEFORE], None, *r[_STATE_BEFORE:]] for r in reviews],
                    },
                    "exams": {"columns": list(EXAM_COLUMNS), "rows": [list(r) for r in exams]},
                }
            )
    return result


# --- decks ----------------------------------------------------------------------------


def publish(db: Database, class_id: int, deck_id: str, content: str) -> tuple[str, bool, bool]:
    """Keep this version of the deck for the class; its SHA-256, whether it is new,
    and whether it changes what learners receive (it was not the latest already)."""
    sha = hashlib.sha256(content.encode()).hexdigest()
    with db.transaction() as tx:
        known = tx.one(
            "SELECT 1 FROM decks WHERE class_id = ? AND deck_id = ? AND sha256 = ?",
            (class_id, deck_id, sha),
        )
        latest = tx.one(
            "SELECT sha256 FROM decks WHERE class_id = ? AND deck_id = ? "
            "ORDER BY published_ms DESC LIMIT 1",
            (class_id, deck_id),
        )
        if latest is not None and latest[0] == sha:
            return sha, False, False  # the same version again: nothing to send
        tx.execute(
            "INSERT INTO decks (class_id, deck_id, sha256, content, published_ms) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (class_id, deck_id, sha256) "
            "DO UPDATE SET published_ms = excluded.published_ms",
            (class_id, deck_id, sha, content, now_ms()),
        )
    return sha, known is None, True


def latest_decks(db: Database, class_id: int) -> list[tuple[str, str, int]]:
    """Each deck of the class in its latest version: (deck id, SHA-256, published ms)."""
    with db.transaction() as tx:
        return _latest_decks(tx, class_id)


def _latest_decks(tx: Transaction, class_id: int) -> list[tuple[str, str, int]]:
    rows = tx.all(
        "SELECT deck_id, sha256, published_ms FROM decks d WHERE class_id = ? AND "
        "published_ms = (SELECT max(published_ms) FROM decks e "
        "WHERE e.class_id = d.class_id AND e.deck_id = d.deck_id) ORDER BY deck_id",
        (class_id,),
    )
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def deck_content(db: Database, class_id: int, deck_id: str, sha: str) -> str | None:
    rows = db.read(
        "SELECT content FROM decks WHERE class_id = ? AND deck_id = ? AND sha256 = ?",
        (class_id, deck_id, sha),
    )
    return str(rows[0][0]) if rows else None
