"""The progress file opened: its schema and migrations, damage detection, the
connection and its transactions. The query mixins of :mod:`.store` build on
:class:`StoreConnection`.

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
``-wal``/``-shm``) and the latest daily backup put in its place, then
:class:`BrokenStoreError` says so; nothing is overwritten. The first opening of a day
makes that backup, and checks it (:mod:`.backup`); damage met later, by any query, is
handled by :mod:`.failures`, as are read-only files and writes that fail. A
file from a newer maliquiz (a higher schema version) is left where it is, untouched,
and :class:`NewerSchemaError` asks for the newer version: moving it aside would make
this older version start an empty store, and the learner's progress would look lost
as soon as they upgrade again.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager, suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Final, Self

from maliquiz.core.learning.clock import Clock, StudyCalendar, SystemClock
from maliquiz.core.learning.scheduling import Scheduler
from maliquiz.core.progress import answer_log, backup, daily, newcards
from maliquiz.core.progress.failures import (
    BrokenStoreError,
    NewerSchemaError,
    StoreError,
    check_writable,
    classify,
    is_damage,
    set_aside,
)

FILE_NAME: Final = "progress.sqlite3"
APPLICATION_ID: Final = 0x4D514B31  # "MQK1": tells our files from other SQLite files

__all__ = ["BrokenStoreError", "NewerSchemaError", "StoreConnection", "StoreError"]


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
    """A migration step that runs ``script`` inside the step's open transaction.

    Not ``executescript``: it COMMITs any open transaction before running the script,
    and runs the script outside one, so a step failing half-way would leave half its
    tables behind, and the step's ``user_version`` bump would no longer be part of the
    same transaction as its changes. Instead each statement goes through ``execute``,
    the script cut where SQLite itself says a statement ends
    (:func:`sqlite3.complete_statement`): never at a ``;`` inside a string, a quoted
    name, a comment or a trigger's body.
    """
    statements = list(_statements(script))

    def migrate(db: sqlite3.Connection) -> None:
        for statement in statements:
            db.execute(statement)

    return migrate


def _statements(script: str) -> Iterator[str]:
    """The statements of ``script``, in order; a last one may omit its ``;``."""
    start = 0
    for end, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start : end + 1]):
            yield script[start : end + 1]
            start = end + 1
    rest = script[start:]
    if rest.strip():  # a last statement without its ";", or comments (a no-op to run)
        yield rest


# Version 2: each learner's own scheduling settings (desired retention, new cards a day,
# when to switch to typed recall), as a JSON object; {} means the defaults.
_V2 = """
ALTER TABLE users ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
"""

# Version 3: when each card was first answered right as a choice (recognised) and
# first answered right typed (recalled): a card moves from choices to typing once
# recognised, and stats tell recognition from recall.
_V3 = """
ALTER TABLE card_states ADD COLUMN recognised_ms INTEGER;
ALTER TABLE card_states ADD COLUMN recalled_ms INTEGER;
"""

# Version 5: the card browser's undo journal. Each action on cards (suspend, bury,
# forget, set the due date...) keeps, as JSON, every card's row before and after it,
# so that the last action can be taken back, even after a restart.
_V5 = """
CREATE TABLE card_actions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    done_ms INTEGER NOT NULL,
    action TEXT NOT NULL,
    cards TEXT NOT NULL
);
CREATE INDEX card_actions_user ON card_actions (user_id, id);
"""

# Version 4: answers summed per learner and study day (see :mod:`.daily`), filled from
# the log the first time the file is opened with a calendar.
MIGRATIONS: Final[list[Callable[[sqlite3.Connection], None]]] = [
    _run_script(_V1),
    _run_script(_V2),
    _run_script(_V3),
    _run_script(daily.SCHEMA),
    _run_script(_V5),
    # Version 6: the answer log made compact (:mod:`.answer_log`): a long history takes
    # about half the room; the file is copied aside first (:func:`_keep_copy`).
    answer_log.migrate,
    # Version 7: the calendar the daily sums were made with (a move re-sums them).
    _run_script(daily.CALENDAR_SCHEMA),
    # Version 8: the queue's search for new cards kept between builds (:mod:`.newcards`).
    _run_script(newcards.SCHEMA),
]
"""Migration ``i`` takes a file from version ``i`` to ``i + 1``. Append only."""

SCHEMA_VERSION: Final = len(MIGRATIONS)
COMPACT_LOG: Final = 6
"""The version whose migration rewrites the whole log: the file is copied next to
itself first (``progress.sqlite3.before-v6``), and made smaller after."""

# The columns of a card row that an answer may change: what undo snapshots and restores.
STATE_COLUMNS: Final = (
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
    "recognised_ms",
    "recalled_ms",
)
LATER_STATE_COLUMNS: Final = ("recognised_ms", "recalled_ms")
"""State columns added after the first export format: files written before them lack
them, and importing such a file leaves them empty."""
CARD_COLUMNS: Final = ("deck_id", "card_id", *STATE_COLUMNS)
REVIEW_COLUMNS: Final = (
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
EXAM_COLUMNS: Final = (
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


def _back_up(db: sqlite3.Connection, path: Path, day: date) -> None:
    """Make today's backup; raise :class:`_Damaged` only when the file itself fails
    SQLite's check too, so that nothing but real damage ever moves a file aside."""
    try:
        backup.make_daily(db, path, day)
    except backup.DamageFound as found:
        problems = [row[0] for row in db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _Damaged(str(found)) from None


class StoreConnection:
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
    ) -> Self:
        """Open (creating or upgrading) the progress file at ``path``.

        Raises :class:`BrokenStoreError` after moving a damaged file aside,
        :class:`NewerSchemaError` for a file from a newer maliquiz, :class:`StoreError`
        when the file cannot be opened at all (permissions, a full disk).
        """
        clock = clock or SystemClock()
        db: sqlite3.Connection | None = None
        try:
            check_writable(path)  # before SQLite creates a -wal or -shm it cannot remove
            _check_header(path)
            db = sqlite3.connect(path, timeout=busy_timeout.total_seconds(), isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout.total_seconds() * 1000)}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise NewerSchemaError(path, version, SCHEMA_VERSION)
            _enable_wal(db, busy_timeout)
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            _migrate(db, path)
            calendar = calendar or StudyCalendar()
            _sum_older_log(db, calendar)
            if db.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]:
                _back_up(db, path, calendar.day(clock.now()))
        except OSError as error:
            if db is not None:
                db.close()
            raise StoreError(f"cannot open the progress file {path}: {error}") from error
        except _Damaged as damage:
            raise cls._moved(db, path, clock, str(damage)) from None
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                if db is not None:
                    db.close()
                failure = classify(error, path)
                if failure is not None:
                    raise failure from error
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
        return set_aside(path, clock.now(), reason)

    def close(self) -> None:
        """Close the file (committed answers are already safe)."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the write lock from its first statement so
        that what it reads is still true when it writes.

        A failure of the file (full disk, I/O error, damage) rolls the whole
        transaction back and is raised as the :class:`StoreError` it stands for.
        """
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    with suppress(sqlite3.Error):  # the first error is the one to tell
                        self._db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as error:
            failure = classify(error, self.path)
            if failure is None:
                raise
            raise failure from error

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

    def snapshot(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction, so that the queue's queries see one consistent state."""
        return self._read()


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


def _sum_older_log(db: sqlite3.Connection, calendar: StudyCalendar) -> None:
    """Build the daily sums of a file whose log predates them, or sum them again when the
    learner's time zone or rollover hour changed since (each answer then falls on the
    study day of where the learner is now: no day counts an answer twice), once, under
    the write lock (another process may be doing the same). A file whose sums say
    nothing of their calendar (made before version 7) is taken to be summed with this
    one."""
    if not daily.needs_rebuild(db, calendar) and _calendar_noted(db):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if daily.needs_rebuild(db, calendar):
            users = [row[0] for row in db.execute("SELECT id FROM users")]
            daily.rebuild(db, calendar, users)
        daily.note_calendar(db, calendar)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _calendar_noted(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM daily_calendar").fetchone() is not None


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the file up to :data:`SCHEMA_VERSION`, each step in its own transaction.

    The version is read again under the write lock: two processes opening a new file
    at once must not both create the tables. A step that fails is rolled back whole:
    the file stays as it was, and the error says so (damage aside, which the caller
    moves out of the way).
    """
    found = db.execute("PRAGMA user_version").fetchone()[0]
    copy = None
    if 0 < found < COMPACT_LOG:
        copy = _keep_copy(db, path, COMPACT_LOG)
    rewritten = False
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
        except BaseException as error:
            db.execute("ROLLBACK")
            failure = _upgrade_failure(error, path, version, copy)
            if failure is None:
                raise
            raise failure from error
        db.execute("COMMIT")
        rewritten = rewritten or (version + 1 == COMPACT_LOG and copy is not None)
    if rewritten:
        _shrink(db)


def _upgrade_failure(
    error: BaseException, path: Path, version: int, copy: Path | None
) -> StoreError | None:
    """What to raise for a migration step that failed (None: the error as it is)."""
    if isinstance(error, sqlite3.DatabaseError):
        if is_damage(error):
            return None
        found = classify(error, path)
        if found is not None:
            return found
    elif not isinstance(error, Exception) or isinstance(error, _Damaged | StoreError):
        return None
    kept = f"; a copy made before is at {copy}" if copy is not None else ""
    return StoreError(
        f"cannot upgrade the progress file {path} from version {version} to {version + 1}: "
        f"{error}. The file was left as it was{kept}."
    )


def _keep_copy(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the file (with what its WAL holds) to ``<name>.before-v<version>`` next to
    it, through a partial file, before a migration that rewrites much of it."""
    target = path.with_name(f"{path.name}.before-v{version}")
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        with closing(sqlite3.connect(partial)) as copy:
            db.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            upgraded = copy.execute("PRAGMA user_version").fetchone()[0] >= version
        if upgraded:  # another process migrated it meanwhile: its copy is the one
            partial.unlink()
            return target
        os.replace(partial, target)
    except BaseException:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    return target


def _shrink(db: sqlite3.Connection) -> None:
    """Give back the room the old log took. Best effort: when another process holds
    the file open in a transaction, the file stays sound, merely larger."""
    with suppress(sqlite3.OperationalError):
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
