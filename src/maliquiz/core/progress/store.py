"""Progress: every learner's card states, answers and exams, in one SQLite file.

The file is ``<data_dir>/progress.sqlite3`` (:func:`progress_path`) and holds several
user profiles. Progress is keyed on the deck's ``id`` and the card's ``id`` strings, as
written in the deck, so a card removed from a deck keeps its rows and finds them again
if it comes back.

Schema (version 2; ``PRAGMA user_version`` holds the version, ``application_id`` marks
the file as ours):

``users``
    ``id``, ``name`` (unique, ASCII letters compared without case, SQLite's NOCASE:
    "Awa" and "awa" are one learner; names are stored in NFC),
    ``created_ms``.
``card_states`` — one row per (user, deck, card) that was ever answered, buried or
suspended; a card with no row is new.
    ``memory`` is py-fsrs's card as JSON (the exact state). Copies of the fields the
    queue filters and sorts on sit in columns: ``state`` (1 learning, 2 review,
    3 relearning), ``due_ms``, ``stability``, ``difficulty``, ``last_review_ms``; plus
    ``reps``, ``lapses``, ``introduced_ms`` (first answer; NULL while new, and what the
    daily new-card limit counts), ``buried_until_ms``, ``suspended``, ``leech`` (set
    once ``lapses`` reaches the scheduler's ``leech_lapses``, 8 by default).
``reviews`` — every answer.
    ``uid`` (stable, unique for its user: import deduplicates on it), ``user_id``, ``deck_id``,
    ``card_id``, ``reviewed_ms``, ``mode`` (choice, typed, flashcard, order, ...),
    ``answer`` (what the learner typed or chose), ``outcome``, ``rating`` (1–4),
    ``duration_ms``, ``scheduled`` (0 for practice-ahead answers that left the
    schedule alone), ``state_before`` (the card's whole row as JSON before the answer,
    NULL if it had none: undo restores it exactly), ``imported`` (1 for rows that came
    from another file: never undone from here).
``exams`` — one row per exam sat.
    ``uid``, ``user_id``, ``taken_ms``, ``decks`` and ``tags`` (JSON lists), ``score``,
    ``max_score``, ``duration_ms``, ``results`` (JSON: one object per question).

Instants are integer milliseconds since the Unix epoch, UTC.

Durability: WAL journal with ``synchronous=FULL``. Every answer is its own
transaction, committed before :meth:`Store.record_answer` returns. WAL with NORMAL
already survives a killed process; FULL also fsyncs the WAL on each commit, so an
answer reported as recorded survives a power cut too. That costs one fsync per answer
(a millisecond or so), against a learner answering every few seconds.

Concurrency: two processes may answer for the same user at once. Writes take the write
lock up front (``BEGIN IMMEDIATE``) and read the card's state inside that transaction,
so neither overwrites the other's answer; ``busy_timeout`` makes a waiting writer wait
instead of failing with "database is locked".

Damage: a file that is not SQLite, is truncated, is corrupt, or is someone else's
database is moved aside to ``progress.sqlite3.broken-<UTC timestamp>`` (with its
``-wal``/``-shm``), then :class:`BrokenStoreError` says so; nothing is overwritten. A
file from a newer maliquiz (a higher schema version) is left where it is, untouched,
and :class:`NewerSchemaError` asks for the newer version: moving it aside would make
this older version start an empty store, and the learner's progress would look lost
as soon as they upgrade again.

One :class:`Store` is one connection: use it from one thread.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, NamedTuple

from fsrs import Card, Rating

from maliquiz.core.learning.clock import Clock, StudyCalendar, SystemClock, from_ms, to_ms
from maliquiz.core.learning.scheduling import CardState, Outcome, Scheduler

FILE_NAME: Final = "progress.sqlite3"
APPLICATION_ID: Final = 0x4D514B31  # "MQK1": tells our files from other SQLite files
USER_NAME_MAX: Final = 64
EXPORT_FORMAT: Final = "maliquiz-progress"
EXPORT_VERSION: Final = 1


# --- errors -------------------------------------------------------------------------


class StoreError(Exception):
    """Anything that keeps the progress store from doing what was asked."""


class BrokenStoreError(StoreError):
    """The progress file was unreadable and has been moved aside."""

    def __init__(self, path: Path, moved_to: Path, reason: str) -> None:
        self.path = path
        self.moved_to = moved_to
        self.reason = reason
        super().__init__(
            f"the progress file {path} is damaged ({reason}); it was moved to {moved_to} "
            "and a new, empty one will be used from now on"
        )


class NewerSchemaError(StoreError):
    """The progress file was written by a newer maliquiz; it is left untouched."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"the progress file {path} was written by a newer maliquiz (schema version "
            f"{found}, this version reads up to {supported}); upgrade maliquiz to open it. "
            "The file was not changed."
        )


class SettingsError(StoreError, ValueError):
    """A learner setting out of its range."""


class UserNameError(StoreError, ValueError):
    """A user name that cannot be used."""


class UnknownUserError(StoreError, LookupError):
    """No user of that name in this store."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no user named {name!r}")


class UserExistsError(StoreError):
    """Another user already has that name."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"a user named {name!r} already exists")


class ImportFileError(StoreError):
    """A progress file to import is not one maliquiz wrote, or is damaged."""


# --- records ------------------------------------------------------------------------


class User(NamedTuple):
    """A learner's profile."""

    id: int
    name: str
    created: datetime


@dataclass(frozen=True)
class LearnerSettings:
    """What each learner may tune about their own schedule."""

    desired_retention: float = 0.90
    """Probability of still knowing a card when it comes due (0.70 to 0.97): higher
    means more reviews."""
    new_per_deck: int = 20
    """New cards a deck introduces a day."""
    typed_recall_days: float = 7.0
    """Stability (in days) from which a card is typed instead of chosen."""

    def __post_init__(self) -> None:
        if not 0.70 <= self.desired_retention <= 0.97:
            raise SettingsError(
                f"desired retention must be between 0.70 and 0.97, not {self.desired_retention}"
            )
        if not 0 <= self.new_per_deck <= 9999:
            raise SettingsError(f"new cards a day must be 0 to 9999, not {self.new_per_deck}")
        if not 0 <= self.typed_recall_days <= 3650:
            raise SettingsError(
                f"typed recall must start between 0 and 3650 days, not {self.typed_recall_days}"
            )

    def apply(self, scheduler: Scheduler) -> Scheduler:
        """A scheduler like ``scheduler`` with this learner's retention and threshold."""
        return Scheduler(
            replace(
                scheduler.settings,
                desired_retention=self.desired_retention,
                typed_recall_stability=timedelta(days=self.typed_recall_days),
            )
        )


class CardRecord(NamedTuple):
    """One learner's progress on one card."""

    deck_id: str
    card_id: str
    state: CardState
    introduced: datetime | None
    buried_until: datetime | None
    suspended: bool
    leech: bool

    def is_buried(self, now: datetime) -> bool:
        """True while a bury is in force at ``now``."""
        return self.buried_until is not None and self.buried_until > now


class RecordedAnswer(NamedTuple):
    """An answer as committed: its uid, and the card before and after it."""

    uid: str
    deck_id: str
    card_id: str
    reviewed_at: datetime
    rating: Rating
    before: CardRecord | None
    after: CardRecord
    became_leech: bool


class ReviewRecord(NamedTuple):
    """One row of the review log."""

    uid: str
    deck_id: str
    card_id: str
    reviewed_at: datetime
    mode: str
    answer: str | None
    outcome: str
    rating: Rating
    duration: timedelta | None
    scheduled: bool
    imported: bool


class UndoneAnswer(NamedTuple):
    """The answer :meth:`Store.undo_last` took back and the card as it now is again."""

    uid: str
    deck_id: str
    card_id: str
    restored: CardRecord | None


class ExamRecord(NamedTuple):
    """One exam a learner sat."""

    uid: str
    taken_at: datetime
    decks: list[str]
    tags: list[str]
    score: float
    max_score: float
    duration: timedelta | None
    results: list[dict[str, Any]]


class ImportReport(NamedTuple):
    """What :meth:`Store.import_user` added."""

    user: str
    reviews_added: int
    exams_added: int
    cards_updated: int


class ScheduledCard(NamedTuple):
    """The columns the queue ranks a card on, without rebuilding its state (a named
    tuple: the queue makes thousands of them and a tuple is built fastest)."""

    deck_id: str
    card_id: str
    state: int
    due_ms: int
    stability: float | None
    last_review_ms: int | None


_RATINGS: Final = {int(rating): rating for rating in Rating}
"""Ratings by their number (an enum call per row was the slowest part of reading the log)."""


# --- schema -------------------------------------------------------------------------

_V1 = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_ms INTEGER NOT NULL
);
CREATE TABLE card_states (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    deck_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    memory TEXT NOT NULL,
    state INTEGER NOT NULL,
    due_ms INTEGER NOT NULL,
    stability REAL,
    difficulty REAL,
    last_review_ms INTEGER,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    introduced_ms INTEGER,
    buried_until_ms INTEGER,
    suspended INTEGER NOT NULL DEFAULT 0,
    leech INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, deck_id, card_id)
);
-- The queue's scan: cards already introduced and not suspended, by due time. It holds
-- every column the queue reads, so due cards are ranked without touching the table
-- (twice as fast with thousands due).
CREATE INDEX card_states_due ON card_states (
    user_id, deck_id, due_ms, state, stability, last_review_ms, buried_until_ms, card_id
) WHERE introduced_ms IS NOT NULL AND suspended = 0;
-- The daily new-card limit counts cards introduced since the start of the study day.
CREATE INDEX card_states_introduced ON card_states (user_id, introduced_ms);
-- The few cards that have a row but were never answered (buried or suspended new).
CREATE INDEX card_states_unintroduced ON card_states (user_id, deck_id)
    WHERE introduced_ms IS NULL;
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    deck_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    reviewed_ms INTEGER NOT NULL,
    mode TEXT NOT NULL,
    answer TEXT,
    outcome TEXT NOT NULL,
    rating INTEGER NOT NULL,
    duration_ms INTEGER,
    scheduled INTEGER NOT NULL DEFAULT 1,
    state_before TEXT,
    imported INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, uid)
);
CREATE INDEX reviews_user_time ON reviews (user_id, reviewed_ms);
CREATE INDEX reviews_card ON reviews (user_id, deck_id, card_id, reviewed_ms);
CREATE TABLE exams (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    taken_ms INTEGER NOT NULL,
    decks TEXT NOT NULL,
    tags TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    duration_ms INTEGER,
    results TEXT NOT NULL,
    UNIQUE (user_id, uid)
);
CREATE INDEX exams_user_time ON exams (user_id, taken_ms);
"""


def _run_script(script: str) -> Callable[[sqlite3.Connection], None]:
    def migrate(db: sqlite3.Connection) -> None:
        # executescript would commit the open transaction; run statement by statement.
        for statement in script.split(";"):
            if statement.strip():
                db.execute(statement)

    return migrate


# Version 2: each learner's own scheduling settings (desired retention, new cards a day,
# when to switch to typed recall), as a JSON object; {} means the defaults.
_V2 = """
ALTER TABLE users ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
"""

MIGRATIONS: Final[list[Callable[[sqlite3.Connection], None]]] = [
    _run_script(_V1),
    _run_script(_V2),
]
"""Migration ``i`` takes a file from version ``i`` to ``i + 1``. Append only."""

SCHEMA_VERSION: Final = len(MIGRATIONS)

# The columns of a card row that an answer may change: what undo snapshots and restores.
_STATE_COLUMNS: Final = (
    "memory",
    "state",
    "due_ms",
    "stability",
    "difficulty",
    "last_review_ms",
    "reps",
    "lapses",
    "introduced_ms",
    "buried_until_ms",
    "suspended",
    "leech",
)
_CARD_COLUMNS: Final = ("deck_id", "card_id", *_STATE_COLUMNS)
_REVIEW_COLUMNS: Final = (
    "uid",
    "deck_id",
    "card_id",
    "reviewed_ms",
    "mode",
    "answer",
    "outcome",
    "rating",
    "duration_ms",
    "scheduled",
    "state_before",
)
_EXAM_COLUMNS: Final = (
    "uid",
    "taken_ms",
    "decks",
    "tags",
    "score",
    "max_score",
    "duration_ms",
    "results",
)


def progress_path(data_dir: Path) -> Path:
    """Where the progress file of ``data_dir`` lives."""
    return data_dir / FILE_NAME


def validate_user_name(name: str) -> str:
    """``name`` in NFC without surrounding spaces, or :class:`UserNameError` saying why
    it cannot name a profile (names may one day name files, so no path tricks)."""
    if not isinstance(name, str):
        raise UserNameError(f"a user name is text, not {type(name).__name__}")
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise UserNameError("a user name cannot be empty")
    if len(cleaned) > USER_NAME_MAX:
        raise UserNameError(
            f"a user name has at most {USER_NAME_MAX} characters ({len(cleaned)} given)"
        )
    if "/" in cleaned or "\\" in cleaned:
        raise UserNameError(f"a user name cannot contain / or \\: {cleaned!r}")
    if ".." in cleaned or cleaned == ".":
        raise UserNameError(f"a user name cannot contain '..' or be '.': {cleaned!r}")
    for char in cleaned:
        # C*: control, format (bidi overrides), surrogates, private, unassigned;
        # Zl/Zp: line and paragraph separators. None of them displays as itself.
        if unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp"):
            raise UserNameError(
                f"a user name cannot contain control characters (U+{ord(char):04X})"
            )
    return cleaned


# --- opening ------------------------------------------------------------------------


class _Damaged(Exception):
    """Internal: the file must be moved aside for this reason."""


_SQLITE_MAGIC: Final = b"SQLite format 3\x00"


def _check_header(path: Path) -> None:
    """Raise :class:`_Damaged` for a file SQLite would misread: not SQLite at all, or
    shorter than its header says (cut off by a failed copy or a full disk). SQLite
    itself notices the latter only when it reads a missing page, perhaps weeks later."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return  # an empty file is an empty database: SQLite starts one there
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(_SQLITE_MAGIC[: len(header)]) or len(header) < 16:
        raise _Damaged("not an SQLite file")
    if header[:16] != _SQLITE_MAGIC:
        raise _Damaged("not an SQLite file")
    if len(header) < 100:
        raise _Damaged("truncated: shorter than an SQLite header")
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # Pages may legitimately live in the WAL until the next checkpoint.
        return
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    # The page count in the header is trusted only when written by the same change as
    # the rest of the header (offsets 24 and 92 agree), as SQLite does.
    if header[24:28] == header[92:96] and page_count * page_size > size:
        raise _Damaged(f"truncated: {size} bytes of {page_count * page_size}")


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """True for the errors that mean the file is broken, not busy or read-only."""
    name = getattr(error, "sqlite_errorname", "")
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or name.startswith("SQLITE_CORRUPT_"):
        return True
    text = str(error)
    return "malformed" in text or "not a database" in text


def _move_aside(path: Path, now: datetime) -> Path:
    """Rename the damaged file (and its WAL companions) out of the way; never over an
    earlier broken copy."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
        counter += 1
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target


class Store:
    """The progress file of one data directory, open.

    Build it with :meth:`open`; close it (or use it as a context manager) when done.
    ``clock`` tells the time of every answer, ``calendar`` where the study day
    ends (for burying), ``scheduler`` how answers move cards.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        path: Path,
        *,
        clock: Clock,
        calendar: StudyCalendar,
        scheduler: Scheduler,
    ) -> None:
        self._db = db
        self.path = path
        self.clock = clock
        self.calendar = calendar
        self.scheduler = scheduler

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        clock: Clock | None = None,
        calendar: StudyCalendar | None = None,
        scheduler: Scheduler | None = None,
        busy_timeout: timedelta = timedelta(seconds=30),
    ) -> Store:
        """Open (creating or upgrading) the progress file at ``path``.

        Raises :class:`BrokenStoreError` after moving a damaged file aside,
        :class:`NewerSchemaError` for a file from a newer maliquiz, :class:`StoreError`
        when the file cannot be opened at all (permissions, a full disk).
        """
        clock = clock or SystemClock()
        db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _check_header(path)
            db = sqlite3.connect(path, timeout=busy_timeout.total_seconds(), isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout.total_seconds() * 1000)}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise NewerSchemaError(path, version, SCHEMA_VERSION)
            _enable_wal(db, busy_timeout)
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            _migrate(db)
        except OSError as error:
            raise StoreError(f"cannot open the progress file {path}: {error}") from error
        except _Damaged as damage:
            raise cls._moved(db, path, clock, str(damage)) from None
        except sqlite3.DatabaseError as error:
            if not _is_damage(error):
                if db is not None:
                    db.close()
                raise StoreError(f"cannot open the progress file {path}: {error}") from error
            raise cls._moved(db, path, clock, str(error)) from error
        except BaseException:
            if db is not None:
                db.close()
            raise
        return cls(
            db,
            path,
            clock=clock,
            calendar=calendar or StudyCalendar(),
            scheduler=scheduler or Scheduler(),
        )

    @staticmethod
    def _moved(
        db: sqlite3.Connection | None, path: Path, clock: Clock, reason: str
    ) -> BrokenStoreError:
        if db is not None:
            db.close()
        return BrokenStoreError(path, _move_aside(path, clock.now()), reason)

    def close(self) -> None:
        """Close the file (committed answers are already safe)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the write lock from its first statement so
        that what it reads is still true when it writes."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: several queries that see the same snapshot."""
        self._db.execute("BEGIN")
        try:
            yield self._db
        finally:
            self._db.execute("COMMIT")

    def integrity_check(self) -> list[str]:
        """SQLite's full check of the file: ``["ok"]`` when sound."""
        return [row[0] for row in self._db.execute("PRAGMA integrity_check")]

    # --- users ----------------------------------------------------------------------

    def ensure_user(self, name: str) -> User:
        """The user called ``name``, created now if there is none."""
        name = validate_user_name(name)
        with self._write() as db:
            db.execute(
                "INSERT INTO users (name, created_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, to_ms(self.clock.now())),
            )
            return self._user(db, name)

    def add_user(self, name: str) -> User:
        """Create a user; :class:`UserExistsError` if the name is taken."""
        name = validate_user_name(name)
        with self._write() as db:
            try:
                db.execute(
                    "INSERT INTO users (name, created_ms) VALUES (?, ?)",
                    (name, to_ms(self.clock.now())),
                )
            except sqlite3.IntegrityError:
                raise UserExistsError(name) from None
            return self._user(db, name)

    def users(self) -> list[User]:
        """Every user, by name."""
        rows = self._db.execute(
            "SELECT id, name, created_ms FROM users ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [User(row[0], row[1], from_ms(row[2])) for row in rows]

    def user(self, name: str) -> User:
        """The user called ``name``; :class:`UnknownUserError` if none."""
        return self._user(self._db, name)

    def rename_user(self, old: str, new: str) -> User:
        """Give a user a new name; their progress follows."""
        new = validate_user_name(new)
        with self._write() as db:
            user = self._user(db, old)
            try:
                db.execute("UPDATE users SET name = ? WHERE id = ?", (new, user.id))
            except sqlite3.IntegrityError:
                raise UserExistsError(new) from None
            return User(user.id, new, user.created)

    def remove_user(self, name: str) -> None:
        """Delete a user with all their progress, answers and exams."""
        with self._write() as db:
            user = self._user(db, name)
            db.execute("DELETE FROM users WHERE id = ?", (user.id,))

    @staticmethod
    def _user(db: sqlite3.Connection, name: str) -> User:
        cleaned = unicodedata.normalize("NFC", name).strip() if isinstance(name, str) else name
        row = db.execute(
            "SELECT id, name, created_ms FROM users WHERE name = ?", (cleaned,)
        ).fetchone()
        if row is None:
            raise UnknownUserError(name)
        return User(row[0], row[1], from_ms(row[2]))

    # --- learner settings -----------------------------------------------------------

    def settings(self, user: str) -> LearnerSettings:
        """The learner's settings (the defaults for those never changed)."""
        uid = self._user(self._db, user).id
        raw = self._db.execute("SELECT settings FROM users WHERE id = ?", (uid,)).fetchone()[0]
        known = {f.name for f in fields(LearnerSettings)}
        try:
            stored = {k: v for k, v in json.loads(raw).items() if k in known}
            return LearnerSettings(**stored)
        except (ValueError, TypeError, AttributeError):
            return LearnerSettings()  # a damaged value falls back to the defaults

    def update_settings(self, user: str, **changes: Any) -> LearnerSettings:
        """Change some of the learner's settings; raises :class:`SettingsError` for a value
        out of range (nothing is written then)."""
        updated = replace(self.settings(user), **changes)
        with self._write() as db:
            uid = self._user(db, user).id
            db.execute(
                "UPDATE users SET settings = ? WHERE id = ?", (json.dumps(asdict(updated)), uid)
            )
        return updated

    def use_settings_of(self, user: str) -> LearnerSettings:
        """Schedule with ``user``'s settings from now on (a store serves one learner at a
        time in a session)."""
        settings = self.settings(user)
        self.scheduler = settings.apply(self.scheduler)
        return settings

    # --- cards ----------------------------------------------------------------------

    def card(self, user: str, deck_id: str, card_id: str) -> CardRecord | None:
        """The learner's progress on a card, or None if it never had any."""
        uid = self._user(self._db, user).id
        row = self._card_row(self._db, uid, deck_id, card_id)
        return None if row is None else _record(deck_id, card_id, row)

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
        columns = ", ".join(_CARD_COLUMNS)
        if deck_id is None:
            rows = self._db.execute(
                f"SELECT {columns} FROM card_states WHERE user_id = ? ORDER BY id", (uid,)
            )
        else:
            rows = self._db.execute(
                f"SELECT {columns} FROM card_states WHERE user_id = ? AND deck_id = ? ORDER BY id",
                (uid, deck_id),
            )
        return [
            _record(row[0], row[1], dict(zip(_STATE_COLUMNS, row[2:], strict=True))) for row in rows
        ]

    @staticmethod
    def _card_row(
        db: sqlite3.Connection, user_id: int, deck_id: str, card_id: str
    ) -> dict[str, Any] | None:
        row = db.execute(
            f"SELECT {', '.join(_STATE_COLUMNS)} FROM card_states "
            "WHERE user_id = ? AND deck_id = ? AND card_id = ?",
            (user_id, deck_id, card_id),
        ).fetchone()
        return None if row is None else dict(zip(_STATE_COLUMNS, row, strict=True))

    def _put_card(
        self,
        db: sqlite3.Connection,
        user_id: int,
        deck_id: str,
        card_id: str,
        values: dict[str, Any],
    ) -> None:
        """Insert or replace the state columns of one card row (keeping its row id)."""
        names = ", ".join(_STATE_COLUMNS)
        marks = ", ".join("?" for _ in _STATE_COLUMNS)
        updates = ", ".join(f"{name} = excluded.{name}" for name in _STATE_COLUMNS)
        db.execute(
            f"INSERT INTO card_states (user_id, deck_id, card_id, {names}) "
            f"VALUES (?, ?, ?, {marks}) "
            f"ON CONFLICT (user_id, deck_id, card_id) DO UPDATE SET {updates}",
            (user_id, deck_id, card_id, *(values[name] for name in _STATE_COLUMNS)),
        )

    # --- answers --------------------------------------------------------------------

    def record_answer(
        self,
        user: str,
        deck_id: str,
        card_id: str,
        *,
        rating: Rating,
        outcome: Outcome | str,
        mode: str,
        answer: str | None = None,
        duration: timedelta | None = None,
        schedule: bool = True,
    ) -> RecordedAnswer:
        """Schedule the card after an answer and log the answer, in one transaction
        committed before this returns.

        The card's state is read inside the transaction, so two processes answering
        for the same learner never lose each other's answers. With ``schedule=False``
        (practice ahead) the answer is logged and the card left as it was.
        """
        _check_ids(deck_id, card_id)
        if not mode:
            raise ValueError("mode must name how the card was asked (choice, typed, ...)")
        rating = Rating(rating)
        now = self.clock.now()
        now_ms = to_ms(now)
        review_uid = uuid.uuid4().hex
        duration_ms = None if duration is None else max(0, duration // timedelta(milliseconds=1))
        with self._write() as db:
            user_id = self._user(db, user).id
            before = self._card_row(db, user_id, deck_id, card_id)
            if before is None:
                state = CardState.new(deck_id, card_id, now)
                values = _state_values(state, introduced_ms=None)
            else:
                state = _record(deck_id, card_id, before).state
                values = dict(before)
            became_leech = False
            if schedule:
                state, _ = self.scheduler.review(state, rating, now, duration)
                leech = bool(values["leech"]) or self.scheduler.is_leech(state)
                became_leech = leech and not values["leech"]
                values.update(
                    _state_values(state, introduced_ms=values["introduced_ms"] or now_ms),
                    buried_until_ms=values["buried_until_ms"],
                    suspended=values["suspended"],
                    leech=int(leech),
                )
                self._put_card(db, user_id, deck_id, card_id, values)
            db.execute(
                "INSERT INTO reviews (uid, user_id, deck_id, card_id, reviewed_ms, mode, "
                "answer, outcome, rating, duration_ms, scheduled, state_before) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    review_uid,
                    user_id,
                    deck_id,
                    card_id,
                    now_ms,
                    mode,
                    answer,
                    str(outcome),
                    int(rating),
                    duration_ms,
                    int(schedule),
                    None if before is None else json.dumps(before),
                ),
            )
        return RecordedAnswer(
            uid=review_uid,
            deck_id=deck_id,
            card_id=card_id,
            reviewed_at=now,
            rating=rating,
            before=None if before is None else _record(deck_id, card_id, before),
            after=_record(deck_id, card_id, values),
            became_leech=became_leech,
        )

    def undo_last(self, user: str) -> UndoneAnswer | None:
        """Take back the learner's last answer recorded here: the card gets back exactly
        the row it had before (or none, if it had none) and the log row is deleted.
        Returns None when there is nothing to undo. Call again to undo further back."""
        with self._write() as db:
            user_id = self._user(db, user).id
            row = db.execute(
                "SELECT id, uid, deck_id, card_id, scheduled, state_before FROM reviews "
                "WHERE user_id = ? AND imported = 0 ORDER BY reviewed_ms DESC, id DESC LIMIT 1",
                (user_id,),
            ).fetchone()
            if row is None:
                return None
            review_id, review_uid, deck_id, card_id, scheduled, snapshot = row
            restored: CardRecord | None = None
            if scheduled:
                if snapshot is None:
                    db.execute(
                        "DELETE FROM card_states WHERE user_id = ? AND deck_id = ? AND card_id = ?",
                        (user_id, deck_id, card_id),
                    )
                else:
                    values = json.loads(snapshot)
                    self._put_card(db, user_id, deck_id, card_id, values)
                    restored = _record(deck_id, card_id, values)
            else:
                current = self._card_row(db, user_id, deck_id, card_id)
                restored = None if current is None else _record(deck_id, card_id, current)
            db.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        return UndoneAnswer(review_uid, deck_id, card_id, restored)

    def reviews(
        self,
        user: str,
        *,
        deck_id: str | None = None,
        card_id: str | None = None,
        since: datetime | None = None,
    ) -> list[ReviewRecord]:
        """The learner's answers, oldest first, optionally of one deck or card or since
        an instant."""
        uid = self._user(self._db, user).id
        where = ["user_id = ?"]
        params: list[Any] = [uid]
        if deck_id is not None:
            where.append("deck_id = ?")
            params.append(deck_id)
        if card_id is not None:
            where.append("card_id = ?")
            params.append(card_id)
        if since is not None:
            where.append("reviewed_ms >= ?")
            params.append(to_ms(since))
        rows = self._db.execute(
            "SELECT uid, deck_id, card_id, reviewed_ms, mode, answer, outcome, rating, "
            "duration_ms, scheduled, imported FROM reviews WHERE "
            + " AND ".join(where)
            + " ORDER BY reviewed_ms, id",
            params,
        )
        # Built by position from unpacked rows: the stats screen reads hundreds of
        # thousands of them on a long history.
        return [
            ReviewRecord(
                uid,
                deck_id,
                card_id,
                from_ms(at_ms),
                mode,
                answer,
                outcome,
                _RATINGS[rating],
                None if duration_ms is None else timedelta(milliseconds=duration_ms),
                bool(scheduled),
                bool(imported),
            )
            for (
                uid,
                deck_id,
                card_id,
                at_ms,
                mode,
                answer,
                outcome,
                rating,
                duration_ms,
                scheduled,
                imported,
            ) in rows
        ]

    def last_answers_before(
        self, user: str, before: Mapping[tuple[str, str], datetime]
    ) -> dict[tuple[str, str], datetime]:
        """For each ``(deck_id, card_id)``, the instant of the card's last answer before
        the instant given for it, if it has one (one index look-up a card)."""
        uid = self._user(self._db, user).id
        found: dict[tuple[str, str], datetime] = {}
        with self.snapshot() as db:
            for (deck_id, card_id), instant in before.items():
                (last,) = db.execute(
                    "SELECT MAX(reviewed_ms) FROM reviews WHERE user_id = ? AND deck_id = ? "
                    "AND card_id = ? AND reviewed_ms < ?",
                    (uid, deck_id, card_id, to_ms(instant)),
                ).fetchone()
                if last is not None:
                    found[(deck_id, card_id)] = from_ms(last)
        return found

    def answered_between(self, user: str, start: datetime, end: datetime) -> bool:
        """Whether the learner answered anything from ``start`` up to (not at) ``end``."""
        uid = self._user(self._db, user).id
        row = self._db.execute(
            "SELECT 1 FROM reviews WHERE user_id = ? AND reviewed_ms >= ? AND reviewed_ms < ? "
            "LIMIT 1",
            (uid, to_ms(start), to_ms(end)),
        ).fetchone()
        return row is not None

    def review_count(self, user: str) -> int:
        """How many answers the learner has given."""
        uid = self._user(self._db, user).id
        return int(
            self._db.execute("SELECT COUNT(*) FROM reviews WHERE user_id = ?", (uid,)).fetchone()[0]
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
        _check_ids(deck_id, card_id)
        with self._write() as db:
            user_id = self._user(db, user).id
            values = self._card_row(db, user_id, deck_id, card_id)
            if values is None:
                new = CardState.new(deck_id, card_id, self.clock.now())
                values = _state_values(new, introduced_ms=None)
            values.update(flags)
            self._put_card(db, user_id, deck_id, card_id, values)

    # --- what the queue reads -------------------------------------------------------

    def scheduled_cards(
        self, user_id: int, deck_ids: Sequence[str], *, due_before: datetime, now: datetime
    ) -> list[ScheduledCard]:
        """Introduced, unsuspended cards of these decks due before ``due_before`` and not
        buried at ``now``. Served by the ``card_states_due`` index, so the cost follows
        the number of due cards, not the size of the collection."""
        cursor = self._db.execute(
            "SELECT deck_id, card_id, state, due_ms, stability, last_review_ms "
            "FROM card_states WHERE user_id = ? "
            "AND deck_id IN (SELECT value FROM json_each(?)) AND due_ms < ? "
            "AND introduced_ms IS NOT NULL AND suspended = 0 "
            "AND (buried_until_ms IS NULL OR buried_until_ms <= ?)",
            (user_id, json.dumps(list(deck_ids)), to_ms(due_before), to_ms(now)),
        )
        return list(map(ScheduledCard._make, cursor))

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
        return dict(Counter(row[0] for row in rows))

    def snapshot(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction, so that the queue's queries see one consistent state."""
        return self._read()

    # --- exams ----------------------------------------------------------------------

    def record_exam(
        self,
        user: str,
        *,
        decks: Sequence[str],
        tags: Sequence[str] = (),
        score: float,
        max_score: float,
        results: Sequence[dict[str, Any]],
        duration: timedelta | None = None,
        exam_uid: str | None = None,
    ) -> ExamRecord:
        """Keep the result of an exam; ``results`` holds one JSON-able object per
        question (the session decides its fields)."""
        if not 0 <= score <= max_score:
            raise ValueError(f"score {score} is not between 0 and {max_score}")
        record = ExamRecord(
            uid=exam_uid or uuid.uuid4().hex,
            taken_at=self.clock.now(),
            decks=list(decks),
            tags=list(tags),
            score=float(score),
            max_score=float(max_score),
            duration=duration,
            results=[dict(result) for result in results],
        )
        with self._write() as db:
            user_id = self._user(db, user).id
            db.execute(
                "INSERT INTO exams (uid, user_id, taken_ms, decks, tags, score, max_score, "
                "duration_ms, results) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.uid,
                    user_id,
                    to_ms(record.taken_at),
                    json.dumps(record.decks),
                    json.dumps(record.tags),
                    record.score,
                    record.max_score,
                    None if duration is None else duration // timedelta(milliseconds=1),
                    json.dumps(record.results, ensure_ascii=False),
                ),
            )
        return record

    def exams(self, user: str) -> list[ExamRecord]:
        """The learner's exams, oldest first."""
        uid = self._user(self._db, user).id
        rows = self._db.execute(
            f"SELECT {', '.join(_EXAM_COLUMNS)} FROM exams WHERE user_id = ? ORDER BY taken_ms, id",
            (uid,),
        )
        return [
            ExamRecord(
                uid=r[0],
                taken_at=from_ms(r[1]),
                decks=json.loads(r[2]),
                tags=json.loads(r[3]),
                score=r[4],
                max_score=r[5],
                duration=None if r[6] is None else timedelta(milliseconds=r[6]),
                results=json.loads(r[7]),
            )
            for r in rows
        ]

    # --- export and import ----------------------------------------------------------

    def export_user(self, user: str, path: Path) -> None:
        """Write one learner's progress (cards, answers, exams) to a JSON file.

        JSON because a learner can read it, a teacher can diff it, and importing it runs
        no SQL from a file of unknown origin. Tables are written as column lists and
        rows, which keeps a large history about half the size of one object per row.
        """
        with self._read() as db:
            owner = self._user(db, user)
            tables = {
                "cards": (_CARD_COLUMNS, "card_states", "id"),
                "reviews": (_REVIEW_COLUMNS, "reviews", "reviewed_ms, id"),
                "exams": (_EXAM_COLUMNS, "exams", "taken_ms, id"),
            }
            document: dict[str, Any] = {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "user": owner.name,
                "exported_at": self.clock.now().isoformat(),
            }
            for key, (columns, table, order) in tables.items():
                rows = db.execute(
                    f"SELECT {', '.join(columns)} FROM {table} WHERE user_id = ? ORDER BY {order}",
                    (owner.id,),
                ).fetchall()
                document[key] = {"columns": list(columns), "rows": [list(row) for row in rows]}
        partial = path.with_name(path.name + ".partial")
        with partial.open("w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)  # readers never see half a file

    def import_user(self, path: Path, *, as_user: str | None = None) -> ImportReport:
        """Merge a file written by :meth:`export_user` into this store, under the name
        it was exported with or ``as_user``.

        Answers and exams already present (same uid) are skipped, so importing a file
        twice adds nothing the second time. A card's state is taken from the file only
        when the file's last review of it is later than the one here.
        """
        document = _read_export(path)
        name = validate_user_name(as_user if as_user is not None else str(document["user"]))
        reviews_added = exams_added = cards_updated = 0
        try:
            with self._write() as db:
                db.execute(
                    "INSERT INTO users (name, created_ms) VALUES (?, ?) "
                    "ON CONFLICT (name) DO NOTHING",
                    (name, to_ms(self.clock.now())),
                )
                user_id = self._user(db, name).id
                for row in _rows(document, "reviews", _REVIEW_COLUMNS):
                    cursor = db.execute(
                        f"INSERT INTO reviews (user_id, imported, {', '.join(_REVIEW_COLUMNS)}) "
                        f"VALUES (?, 1, {', '.join('?' for _ in _REVIEW_COLUMNS)}) "
                        "ON CONFLICT (user_id, uid) DO NOTHING",
                        (user_id, *row),
                    )
                    reviews_added += cursor.rowcount
                for row in _rows(document, "exams", _EXAM_COLUMNS):
                    cursor = db.execute(
                        f"INSERT INTO exams (user_id, {', '.join(_EXAM_COLUMNS)}) "
                        f"VALUES (?, {', '.join('?' for _ in _EXAM_COLUMNS)}) "
                        "ON CONFLICT (user_id, uid) DO NOTHING",
                        (user_id, *row),
                    )
                    exams_added += cursor.rowcount
                for row in _rows(document, "cards", _CARD_COLUMNS):
                    deck_id, card_id = row[0], row[1]
                    incoming = dict(zip(_STATE_COLUMNS, row[2:], strict=True))
                    _record(deck_id, card_id, incoming)  # refuse a state that does not parse
                    current = self._card_row(db, user_id, deck_id, card_id)
                    if current is None or (incoming["last_review_ms"] or 0) > (
                        current["last_review_ms"] or 0
                    ):
                        self._put_card(db, user_id, deck_id, card_id, incoming)
                        cards_updated += 1
        except (sqlite3.IntegrityError, ValueError, TypeError, KeyError) as error:
            if isinstance(error, StoreError):
                raise
            raise ImportFileError(
                f"{path} holds progress that cannot be imported: {error}"
            ) from error
        return ImportReport(name, reviews_added, exams_added, cards_updated)


def _enable_wal(db: sqlite3.Connection, patience: timedelta) -> None:
    """Switch the file to WAL (a lasting property of the file, so usually already done).

    Changing the journal mode needs a lock that SQLite does not wait for through the
    busy handler: when two processes open a new file at the same moment, one of them
    gets "database is locked" at once. Retry for as long as we would wait for a lock.
    """
    deadline = time.monotonic() + patience.total_seconds()
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _migrate(db: sqlite3.Connection) -> None:
    """Bring the file up to :data:`SCHEMA_VERSION`, each step in its own transaction.

    The version is read again under the write lock: two processes opening a new file
    at once must not both create the tables.
    """
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                db.execute("COMMIT")
                break
            if version == 0:
                tables = db.execute(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                ).fetchone()[0]
                app = db.execute("PRAGMA application_id").fetchone()[0]
                if tables or app not in (0, APPLICATION_ID):
                    raise _Damaged("an SQLite file that is not a maliquiz progress file")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _check_ids(deck_id: str, card_id: str) -> None:
    if not deck_id or not card_id:
        raise ValueError("deck id and card id must not be empty")


def _state_values(state: CardState, *, introduced_ms: int | None) -> dict[str, Any]:
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
    }


def _record(deck_id: str, card_id: str, values: dict[str, Any]) -> CardRecord:
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
    )


def _read_export(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(f"cannot read {path}: {error}") from error
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportFileError(f"{path} is not a maliquiz progress export")
    if document.get("version") != EXPORT_VERSION:
        raise ImportFileError(
            f"{path} is a progress export of version {document.get('version')!r}; "
            f"this maliquiz reads version {EXPORT_VERSION}"
        )
    if not isinstance(document.get("user"), str):
        raise ImportFileError(f"{path} does not say whose progress it holds")
    return document


def _rows(document: dict[str, Any], key: str, columns: Sequence[str]) -> Iterable[list[Any]]:
    table = document.get(key)
    if not isinstance(table, dict) or table.get("columns") != list(columns):
        raise ImportFileError(f"the {key!r} table of the file is not in the expected form")
    rows = table.get("rows")
    if not isinstance(rows, list) or not all(
        isinstance(row, list) and len(row) == len(columns) for row in rows
    ):
        raise ImportFileError(f"the {key!r} table of the file has malformed rows")
    return rows
