"""The class server's database: an SQLite file by default, PostgreSQL for a school.

Both run the same SQL, written with ``?`` placeholders (turned into ``%s`` for
psycopg) and the few words both know (``ON CONFLICT``, ``RETURNING``). The schema is
versioned: :data:`MIGRATIONS` are applied in order at start, each in its own
transaction, under a lock (``BEGIN IMMEDIATE`` in SQLite, an advisory lock in
PostgreSQL) so that several workers starting at once migrate once.

Schema (version 1):

``classes``      a class: its name and the hash of its join code.
``learners``     a learner of a class; ``seq`` numbers the learner's answers as they
                 arrive (their cursor for "what is new since").
``tokens``       each token's SHA-256 (never the token), its role (``teacher`` or
                 ``learner``), its class and learner. A learner has one per machine.
``link_codes``   one-time codes that attach another machine to a learner.
``answers``      every answer, keyed by ``(learner_id, uid)``: pushed twice, stored once.
``exams``        every exam sat, keyed the same way.
``decks``        decks published to a class, one row per version (SHA-256 of its text).
``failed_attempts``  wrong join and link codes per client address, for rate limiting.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final, Protocol

from maliquiz.i18n import _

SCHEMA_VERSION_TABLE: Final = "schema_version"


MIGRATIONS: Final[list[str]] = [
    path.read_text(encoding="utf-8")
    for path in sorted((Path(__file__).parent / "migrations").glob("*.sql"))
]
"""Migration ``i`` (the file ``migrations/00{i+1}_*.sql``) takes the database from
version ``i`` to ``i + 1``. Append only: a new file, never an edited one."""

SCHEMA_VERSION: Final = len(MIGRATIONS)

_IDENTITY: Final = {
    "sqlite": "INTEGER PRIMARY KEY",
    "postgresql": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
}


class DatabaseError(Exception):
    """The server's database cannot be opened or used (a message for the operator)."""


class DatabaseUnavailable(DatabaseError):
    """The database did not answer a request (down, restarting, unreachable): the API
    says 503, try again later; the next request may find it back."""


CONNECT_TIMEOUT: Final = 10
"""Seconds to wait for PostgreSQL to accept a connection, at start and in the pool."""
REQUEST_WAIT: Final = 5.0
"""Seconds a request waits for a pooled connection before it is answered 503."""


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Transaction:
    """What a unit of work sees: ``execute`` with ``?`` placeholders on either database."""

    def __init__(
        self,
        run: Callable[[str, Sequence[Any]], Cursor],
        insert_new: Callable[[str, Sequence[tuple[str, str]], str, Sequence[Sequence[Any]]], int],
    ) -> None:
        self._run = run
        self.insert_new = insert_new
        """``insert_new(table, columns, key, rows)``: insert the rows (``columns`` as
        (name, SQL type) pairs) but those whose ``key`` (the conflict target, e.g.
        ``"learner_id, uid"``) is taken; returns how many were inserted. In PostgreSQL,
        one statement whatever the number of rows (the columns sent as arrays)."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._run(sql, params)

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._run(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._run(sql, params).fetchall()


class Database:
    """One of the two databases, open. Use :meth:`transaction` for every unit of work."""

    kind: str
    url: str

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        raise NotImplementedError
        yield  # pragma: no cover

    def close(self) -> None:
        raise NotImplementedError

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one query, read in a transaction of its own."""
        with self.transaction() as tx:
            return tx.all(sql, params)

    def migrate(self) -> int:
        """Bring the schema to :data:`SCHEMA_VERSION`; returns the version found."""
        found = -1
        while True:
            with self.transaction() as tx:
                self._lock_for_migration(tx)
                tx.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} (version INTEGER)")
                row = tx.one(f"SELECT version FROM {SCHEMA_VERSION_TABLE}")
                version = 0 if row is None else int(row[0])
                found = version if found < 0 else found
                if version > SCHEMA_VERSION:
                    raise DatabaseError(
                        f"the database is at schema version {version}, newer than this "
                        f"maliquiz ({SCHEMA_VERSION}): upgrade maliquiz"
                    )
                if version == SCHEMA_VERSION:
                    return found
                for statement in _statements(MIGRATIONS[version]):
                    tx.execute(statement.format(id=_IDENTITY[self.kind]))
                if row is None:
                    tx.execute(f"INSERT INTO {SCHEMA_VERSION_TABLE} VALUES (?)", (version + 1,))
                else:
                    tx.execute(f"UPDATE {SCHEMA_VERSION_TABLE} SET version = ?", (version + 1,))

    def _lock_for_migration(self, tx: Transaction) -> None:
        """Nothing more in SQLite: its write transactions are already exclusive."""


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


# --- SQLite ---------------------------------------------------------------------------


class SqliteDatabase(Database):
    """An SQLite file in WAL mode, one connection per thread (the API's worker threads
    are reused), every write transaction taking the lock up front."""

    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        if not path.parent.is_dir():  # a typo in --db must not make folders
            raise DatabaseError(
                _("the folder {folder} does not exist: create it, or give another --db").format(
                    folder=path.parent
                )
            )
        try:
            self._connection()
        except (OSError, sqlite3.Error) as error:
            raise DatabaseError(
                _("cannot open the database {path}: {reason}").format(path=path, reason=error)
            ) from error

    def _connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(
                self.path, isolation_level=None, timeout=30, check_same_thread=False
            )
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            self._local.db = db
            with self._guard:
                self._all.append(db)
        return db

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        try:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # locked past the timeout, disk gone
            raise DatabaseUnavailable(str(error)) from error
        try:

            def run(sql: str, params: Sequence[Any]) -> Cursor:
                return db.execute(sql, params)

            def insert_new(
                table: str, columns: Sequence[tuple[str, str]], key: str, rows: Sequence[Any]
            ) -> int:
                names = ", ".join(name for name, _type in columns)
                marks = ", ".join("?" for _ in columns)
                return db.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks}) "
                    f"ON CONFLICT ({key}) DO NOTHING",
                    rows,
                ).rowcount

            yield Transaction(run, insert_new)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        with self._guard:
            for db in self._all:
                db.close()
            self._all.clear()
        self._local = threading.local()


# --- PostgreSQL -----------------------------------------------------------------------


class PostgresDatabase(Database):
    """PostgreSQL through psycopg 3 and a connection pool (per process: each worker
    has its own pool on the same database)."""

    kind = "postgresql"

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError as error:
            raise DatabaseError(
                "PostgreSQL needs the server extra: pip install 'maliquiz[server]'"
            ) from error
        from psycopg_pool import PoolTimeout

        self.url = url
        self._down: tuple[type[Exception], ...] = (psycopg.OperationalError, PoolTimeout)
        # One plain connection first: a wrong address (bad sslmode, port, host, missing
        # database) fails at once with its reason, instead of the pool retrying it.
        try:
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT).close()
        except psycopg.Error as error:
            raise DatabaseError(
                _("cannot connect to PostgreSQL ({url}): {reason}").format(
                    url=hidden_password(url), reason=_one_line(error)
                )
            ) from error
        try:
            self._pool = ConnectionPool(
                url,
                min_size=1,
                max_size=pool_size,
                open=True,
                timeout=REQUEST_WAIT,
                name="maliquiz",
                # A connection kept in the pool is checked before use: after the
                # database restarts, the next request gets a new one, not an error.
                check=ConnectionPool.check_connection,
                # Transactions are begun and committed explicitly (:meth:`transaction`);
                # a lone read (:meth:`read`) is then one round trip, not three.
                kwargs={"connect_timeout": CONNECT_TIMEOUT, "autocommit": True},
            )
            self._pool.wait(timeout=CONNECT_TIMEOUT)
        except Exception as error:
            raise DatabaseError(
                _("cannot connect to PostgreSQL ({url}): {reason}").format(
                    url=hidden_password(url), reason=_one_line(error)
                )
            ) from error

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        try:
            with self._pool.connection() as conn, conn.transaction():

                def run(sql: str, params: Sequence[Any]) -> Cursor:
                    return conn.execute(sql.replace("?", "%s"), params)

                def insert_new(
                    table: str, columns: Sequence[tuple[str, str]], key: str, rows: Sequence[Any]
                ) -> int:
                    # One statement of fixed text (prepared once per connection) whatever
                    # the number of rows, the rows sent as one JSON array (dumped in C)
                    # and unpacked by PostgreSQL. Measured on 100 rows: one array per
                    # column cost 2.7 ms, most of it psycopg dumping the arrays in Python
                    # (a third of the server's time in a push); json 2.1 ms, jsonb 1.5 ms
                    # (parsed once, where json is parsed again by every ->>); a
                    # statement per row cost 2-3 times the arrays.
                    names = ", ".join(name for name, _type in columns)
                    values = ", ".join(
                        f"(r ->> {i})::{kind}" for i, (_name, kind) in enumerate(columns)
                    )
                    found = conn.execute(
                        f"WITH new AS (INSERT INTO {table} ({names}) SELECT {values} "
                        "FROM jsonb_array_elements(%s::jsonb) AS r "
                        f"ON CONFLICT ({key}) DO NOTHING RETURNING 1) SELECT count(*) FROM new",
                        [json.dumps(rows, allow_nan=False)],
                    ).fetchone()
                    return int(found[0]) if found else 0

                yield Transaction(run, insert_new)
        except self._down as error:
            raise DatabaseUnavailable(_one_line(error)) from error

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one query, a statement of its own (no BEGIN and COMMIT around it:
        one statement sees one state of the database anyway)."""
        try:
            with self._pool.connection() as conn:
                rows: list[Any] = conn.execute(sql.replace("?", "%s"), params).fetchall()
                return rows
        except self._down as error:
            raise DatabaseUnavailable(_one_line(error)) from error

    def _lock_for_migration(self, tx: Transaction) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(20020)")

    def close(self) -> None:
        self._pool.close()


def open_database(url: str, *, pool_size: int = 10) -> Database:
    """The database at ``url``: ``postgresql://...`` (or ``postgres://``), ``sqlite:///PATH``
    or a plain file path. Raises :class:`DatabaseError` with the reason."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url, pool_size=pool_size)
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    if "://" in path:
        raise DatabaseError(
            _("unknown database address {url}: give postgresql://... or a file path").format(
                url=hidden_password(url)
            )
        )
    return SqliteDatabase(Path(path).expanduser())


def _one_line(error: Exception) -> str:
    """A driver's message on one line, without its "connection is bad:" preamble."""
    text = " ".join(str(error).split())
    return text.removeprefix("connection is bad: ") or type(error).__name__


def hidden_password(url: str) -> str:
    """A database address without its password, to show."""
    from urllib.parse import urlsplit, urlunsplit

    if "://" not in url:
        return url
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url.split("://", 1)[0] + "://..."
    if password is None:
        return url
    netloc = parts.netloc.replace(f":{password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def default_database_path(data_dir: Path) -> Path:
    """Where ``maliquiz serve`` keeps its SQLite file when no ``--db`` is given."""
    return data_dir / "server" / "class-server.sqlite3"
