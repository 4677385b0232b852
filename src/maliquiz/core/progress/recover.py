"""``maliquiz progress recover``: what SQLite can still read of a damaged progress file.

:func:`salvage` copies the damaged file (with its ``-wal``, which holds the last
answers until a checkpoint) to a temporary folder, leaving the original as it was, and
reads it table by table into a new progress file. A table that cannot be read whole is
read on from the last row that could be: the next readable row is found by seeking
ahead by row id (1, 2, 4, 8... rows on, then back by halves to the first that reads),
so one overwritten page loses the rows on that page and no more. :func:`merge` then
brings each learner's rows into the current progress file, by the rules of an import:
answers and exams by uid, a card's state when its last answer is newer, and rows that
do not pass the import's checks (:mod:`.rows`) left out and counted.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any, Final, NamedTuple

from maliquiz.core.learning.clock import StudyCalendar
from maliquiz.core.progress import answer_log, daily
from maliquiz.core.progress.connection import (
    CARD_COLUMNS,
    EXAM_COLUMNS,
    REVIEW_COLUMNS,
    StoreConnection,
)
from maliquiz.core.progress.failures import COMPANIONS
from maliquiz.core.progress.transfer import ImportReport, ProgressTransfer, check_tables

SALVAGED: Final = (
    "users",
    "card_states",
    "card_keys",
    "review_answers",
    "review_modes",
    "review_outcomes",
    "review_log",
    "review_undo",
    "exams",
    "card_actions",
)
"""Tables copied, parents first; the daily sums are summed again from the answers. A
file of schema 5 or older has its answers in a ``reviews`` table instead: they are
read from there and written in the compact log (:func:`_copy_old_log`)."""
_HIGHEST: Final = 2**63 - 1
"""Row ids of our tables are positive: reading starts after 0, seeking stops here."""


class Salvage(NamedTuple):
    """What :func:`salvage` read: rows copied per table, and the stretches of rows that
    could not be read (one damaged page is one stretch; a table whose very structure
    is unreadable counts one)."""

    source: Path
    target: Path
    rows: dict[str, int]
    unreadable: int


class Merged(NamedTuple):
    """What :func:`merge` added to the current file, all learners together."""

    reviews_added: int
    exams_added: int
    cards_updated: int
    left_out: int
    """Rows read from the damaged file that failed the import's checks."""
    learners: tuple[str, ...]


def salvage(broken: Path, target: Path) -> Salvage:
    """Copy every row SQLite can read of the progress file ``broken`` into a new
    progress file at ``target`` (which must not exist); ``broken`` is not changed."""
    if target.exists():
        raise FileExistsError(f"{target} exists")
    StoreConnection.open(target).close()  # the current schema, empty
    rows: Counter[str] = Counter()
    unreadable = 0
    with tempfile.TemporaryDirectory(prefix="maliquiz-recover-") as folder:
        copy = Path(folder) / broken.name
        shutil.copyfile(broken, copy)
        for suffix in COMPANIONS[:1]:  # the WAL; SQLite rebuilds the -shm
            companion = broken.with_name(broken.name + suffix)
            if companion.exists():
                shutil.copyfile(companion, copy.with_name(copy.name + suffix))
        with (
            closing(sqlite3.connect(copy, isolation_level=None)) as source,
            closing(sqlite3.connect(target, isolation_level=None)) as out,
        ):
            out.execute("PRAGMA foreign_keys = OFF")  # a learner's row may be lost
            out.execute("BEGIN")
            for table in SALVAGED:
                columns = _shared_columns(source, out, table)
                if columns is None:  # the file's schema itself cannot be read
                    unreadable += 1
                if not columns:
                    continue
                copied, gaps = _copy_table(source, out, table, columns)
                rows["reviews" if table == "review_log" else table] = copied
                unreadable += gaps
            if _has_old_log(source):
                copied, gaps = _copy_old_log(source, out)
                rows["reviews"] = copied
                unreadable += gaps
            users = [row[0] for row in out.execute("SELECT id FROM users")]
            daily.rebuild(out, StudyCalendar(), users)
            out.execute("COMMIT")
    return Salvage(broken, target, dict(rows), unreadable)


def _shared_columns(
    source: sqlite3.Connection, out: sqlite3.Connection, table: str
) -> list[str] | None:
    """The columns ``table`` has in both files (an older file lacks later ones), or
    None when the damaged file's schema cannot say."""
    wanted = [row[1] for row in out.execute(f"PRAGMA table_info({table})")]
    try:
        found = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
    except sqlite3.DatabaseError:
        return None
    return [c for c in wanted if c in found]  # [] for a table the file never had


def _copy_table(
    source: sqlite3.Connection, out: sqlite3.Connection, table: str, columns: list[str]
) -> tuple[int, int]:
    """Copy the readable rows of ``table``; (rows copied, stretches skipped)."""
    names = ", ".join(columns)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"
    return _read_rows(source, table, columns, lambda row: out.execute(insert, row).rowcount)


def _has_old_log(source: sqlite3.Connection) -> bool:
    """Whether the damaged file keeps its answers as schema 5 did (a ``reviews`` table)."""
    try:
        found = source.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'reviews'"
        ).fetchone()
    except sqlite3.DatabaseError:
        return False
    return found is not None


_OLD_LOG: Final = ["user_id", "imported", *REVIEW_COLUMNS]


def _copy_old_log(source: sqlite3.Connection, out: sqlite3.Connection) -> tuple[int, int]:
    """Copy the readable answers of a schema 5 ``reviews`` table into the compact log."""
    codes = answer_log.Codes(out)

    def write(row: tuple[Any, ...]) -> int:
        user_id, imported, *values = row
        added = answer_log.insert_answer(out, codes, user_id, values, imported=imported)
        return int(added is not None)

    return _read_rows(source, "reviews", _OLD_LOG, write)


def _read_rows(
    source: sqlite3.Connection,
    table: str,
    columns: list[str],
    write: Callable[[tuple[Any, ...]], int],
) -> tuple[int, int]:
    """Hand each readable row of ``table`` to ``write`` (which says how many rows it
    added); (rows added, stretches skipped)."""
    read = f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE rowid > ? ORDER BY rowid"
    copied = gaps = 0
    last = 0
    while True:
        try:
            for row in source.execute(read, (last,)):
                copied += write(row[1:])
                last = row[0]
            return copied, gaps
        except sqlite3.DatabaseError:
            gaps += 1
            following = _next_readable(source, table, last)
            if following is None:
                return copied, gaps
            last = following - 1


def _next_readable(source: sqlite3.Connection, table: str, after: int) -> int | None:
    """The row id of the first row after ``after`` that can be read (skipping the
    damaged rows just after it), or None when no readable row follows."""
    seek = f"SELECT rowid FROM {table} WHERE rowid >= ? ORDER BY rowid LIMIT 1"

    def first_from(start: int) -> tuple[bool, int | None]:
        """(whether a seek to ``start`` reads, the row id found there if any)."""
        try:
            row = source.execute(seek, (start,)).fetchone()
        except sqlite3.DatabaseError:
            return False, None
        return True, None if row is None else int(row[0])

    failing = after + 1  # where the read broke off
    step = 1
    while True:
        if failing + step > _HIGHEST:
            return None
        readable, found = first_from(failing + step)
        if readable:
            break
        step *= 2
    # Between a start that fails and one that reads: the first start that reads, by
    # halves, so that no readable row is left behind.
    low, high = failing + step // 2, failing + step
    while high - low > 1:
        middle = (low + high) // 2
        readable, at_middle = first_from(middle)
        if readable:
            high, found = middle, at_middle
        else:
            low = middle
    return found


def merge(store: ProgressTransfer, salvaged: Path, now: datetime) -> Merged:
    """Bring each learner's rows of the salvaged file into ``store`` (see the module)."""
    reports: list[ImportReport] = []
    left_out = 0
    here = {user.id: user.name for user in store.users()}
    with closing(sqlite3.connect(salvaged)) as db:
        names = dict(db.execute("SELECT id, name FROM users").fetchall())
        owners = {
            row[0]
            for table in ("card_states", "review_log", "exams")
            for row in db.execute(f"SELECT DISTINCT user_id FROM {table}")
        }
        for user_id in sorted(owners | set(names)):
            tables = _learner_tables(db, user_id)
            problems = check_tables(tables, now)
            bad = {(p.table, p.row - 1) for p in problems}
            left_out += len(bad)
            good = {
                key: [row for i, row in enumerate(rows) if (key, i) not in bad]
                for key, rows in tables.items()
            }
            # A learner whose row was lost: the same number here (the backup put in the
            # damaged file's place numbers learners as it did), else a name of their own.
            name = names.get(user_id) or here.get(user_id) or f"recovered-{user_id}"
            reports.append(store.merge_tables(name, good, source=salvaged))
    return Merged(
        sum(r.reviews_added for r in reports),
        sum(r.exams_added for r in reports),
        sum(r.cards_updated for r in reports),
        left_out,
        tuple(r.user for r in reports),
    )


def _learner_tables(db: sqlite3.Connection, user_id: int) -> dict[str, list[list[Any]]]:
    queries = {
        "cards": (CARD_COLUMNS, "card_states"),
        "exams": (EXAM_COLUMNS, "exams"),
    }
    return {
        "reviews": answer_log.export_rows(db, user_id, lenient=True),
        **{
            key: [
                list(row)
                for row in db.execute(
                    f"SELECT {', '.join(columns)} FROM {table} WHERE user_id = ? ORDER BY rowid",
                    (user_id,),
                )
            ]
            for key, (columns, table) in queries.items()
        },
    }
