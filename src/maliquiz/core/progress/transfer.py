"""A learner's progress as a JSON file: export, and import merged by uid."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from maliquiz.core.learning.clock import to_ms
from maliquiz.core.progress import answer_log, daily
from maliquiz.core.progress.cards import CardQueries, card_record
from maliquiz.core.progress.connection import (
    CARD_COLUMNS,
    EXAM_COLUMNS,
    LATER_STATE_COLUMNS,
    REVIEW_COLUMNS,
    STATE_COLUMNS,
    StoreError,
)
from maliquiz.core.progress.users import validate_user_name
from maliquiz.core.text.untrusted import UntrustedFileError, load_json

if TYPE_CHECKING:
    from maliquiz.core.learning.records import User
    from maliquiz.core.progress.rows import RowProblem

EXPORT_FORMAT: Final = "maliquiz-progress"
EXPORT_VERSION: Final = 1


MAX_EXPORT_BYTES: Final = 2**30
"""1 GiB: about a million and a half answers, each with the card's state before it."""


class ImportFileError(StoreError):
    """A progress file to import is not one maliquiz wrote, or is damaged."""


class InvalidRowsError(ImportFileError):
    """Rows of the file hold values maliquiz never writes; nothing was imported.
    ``problems`` lists every bad value, in the file's order."""

    def __init__(self, path: Path, problems: list[RowProblem]) -> None:
        self.path = path
        self.problems = problems
        first = problems[0]
        super().__init__(
            f"{path}: {len(problems)} bad values, the first in the {first.table!r} table, "
            f"row {first.row}, column {first.column!r}: {first.value}"
        )


class ImportReport(NamedTuple):
    """What :meth:`Store.import_user` added."""

    user: str
    reviews_added: int
    exams_added: int
    cards_updated: int


class ProgressTransfer(CardQueries):
    """Export one learner to JSON; import such a file."""

    # --- export and import ----------------------------------------------------------

    def export_user(self, user: str, path: Path) -> int:
        """Write one learner's progress (cards, answers, exams) to a JSON file; returns
        how many answers had an undo snapshot that could not be read (exported without
        it: an imported answer is never undone).

        JSON because a learner can read it, a teacher can diff it, and importing it runs
        no SQL from a file of unknown origin. Tables are written as column lists and
        rows, which keeps a large history about half the size of one object per row.
        """
        partial = path.with_name(path.name + ".partial")
        unreadable: list[str] = []
        with self._read() as db:
            owner = self._user(db, user)  # an unknown learner fails before any file
            try:
                self._write_export(db, owner, partial, unreadable)
            except BaseException:
                partial.unlink(missing_ok=True)  # a read failed halfway: no half file left
                raise
        os.replace(partial, path)  # readers never see half a file
        return len(unreadable)

    def _write_export(
        self, db: sqlite3.Connection, owner: User, partial: Path, unreadable: list[str]
    ) -> None:
        """Write ``owner``'s export to ``partial``, fsynced."""
        with partial.open("w", encoding="utf-8") as handle:
            header = {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "user": owner.name,
                "exported_at": self.clock.now().isoformat(),
            }
            tables: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]] = {
                "cards": (
                    CARD_COLUMNS,
                    _table_rows(db, CARD_COLUMNS, "card_states", owner.id, "id"),
                ),
                "reviews": (
                    REVIEW_COLUMNS,
                    answer_log.iter_export_rows(db, owner.id, unreadable=unreadable),
                ),
                "exams": (
                    EXAM_COLUMNS,
                    _table_rows(db, EXAM_COLUMNS, "exams", owner.id, "taken_ms, id"),
                ),
            }
            # Written as it is read, a few thousand rows at a time: the same text as one
            # json.dump of the whole document, without a million rows held in memory.
            handle.write(_json(header)[:-1])
            for key, (columns, rows) in tables.items():
                handle.write(f',{_json(key)}:{{"columns":{_json(list(columns))},"rows":[')
                pending = iter(rows)
                separator = ""
                while chunk := list(islice(pending, 5_000)):
                    handle.write(separator + _json(chunk)[1:-1])
                    separator = ","
                handle.write("]}")
            handle.write("}")
            handle.flush()
            os.fsync(handle.fileno())

    def import_user(self, path: Path, *, as_user: str | None = None) -> ImportReport:
        """Merge a file written by :meth:`export_user` into this store, under the name
        it was exported with or ``as_user``.

        Answers and exams already present (same uid) are skipped, so importing a file
        twice adds nothing the second time. A card's state is taken from the file only
        when the file's last review of it is later than the one here. The file is read
        within bounds (size, depth) and every row checked (:mod:`.rows`) before
        anything is written: a bad file is refused whole, nothing changes.
        """
        document = read_export(path)
        tables = {key: _rows(document, key, columns, path) for key, columns in TABLES.items()}
        problems = check_tables(tables, self.clock.now())
        if problems:
            raise InvalidRowsError(path, problems)
        name = validate_user_name(as_user if as_user is not None else str(document["user"]))
        return self.merge_tables(name, tables, source=path)

    def merge_tables(
        self,
        name: str,
        tables: dict[str, list[list[Any]]],
        *,
        source: Path,
        origin: int = answer_log.FROM_FILE,
    ) -> ImportReport:
        """Merge checked rows (``cards``, ``reviews``, ``exams`` in the export's column
        order) into the learner ``name``, created if new, in one transaction; the
        answers are marked with ``origin`` (``answer_log.FROM_FILE`` or
        ``FROM_SERVER``)."""
        cards_updated = 0
        try:
            with self._write() as db:
                db.execute(
                    "INSERT INTO users (name, created_ms) VALUES (?, ?) "
                    "ON CONFLICT (name) DO NOTHING",
                    (name, to_ms(self.clock.now())),
                )
                user_id = self._user(db, name).id
                # Imported answers are marked so that undo never takes them back here.
                reviews_added = answer_log.insert_rows(
                    db, user_id, tables["reviews"], imported=origin
                )
                exams_added = _insert_new(
                    db, "exams", EXAM_COLUMNS, tables["exams"], user_id=user_id
                )
                for row in tables["cards"]:
                    deck_id, card_id = row[0], row[1]
                    incoming = dict(zip(STATE_COLUMNS, row[2:], strict=True))
                    card_record(deck_id, card_id, incoming)  # refuse a state that does not parse
                    current = self._card_row(db, user_id, deck_id, card_id)
                    if current is None or (incoming["last_review_ms"] or 0) > (
                        current["last_review_ms"] or 0
                    ):
                        self._put_card(db, user_id, deck_id, card_id, incoming)
                        cards_updated += 1
                # The daily sums of the days the merge touched are summed again.
                if len(tables["reviews"]) > daily.RESUM_LIMIT:
                    daily.rebuild(db, self.calendar, [user_id])
                elif reviews_added:
                    codes = answer_log.Codes(db)
                    daily.resum(
                        db,
                        self.calendar,
                        user_id,
                        [(codes.card(row[1], row[2]), row[3]) for row in tables["reviews"]],
                    )
        except (sqlite3.IntegrityError, ValueError, TypeError, KeyError) as error:
            if isinstance(error, StoreError):
                raise
            raise ImportFileError(
                f"{source} holds progress that cannot be imported: {error}"
            ) from error
        return ImportReport(name, reviews_added, exams_added, cards_updated)


TABLES: Final = {"cards": CARD_COLUMNS, "reviews": REVIEW_COLUMNS, "exams": EXAM_COLUMNS}


def check_tables(tables: dict[str, list[list[Any]]], now: datetime) -> list[RowProblem]:
    """Every bad value of the tables' rows (see :mod:`.rows`), table by table."""
    from maliquiz.core.progress.rows import check_rows  # pydantic: only when importing

    return [problem for key, rows in tables.items() for problem in check_rows(key, rows, now)]


def read_export(path: Path) -> dict[str, Any]:
    """The JSON object of a progress export at ``path``, read within bounds, or
    :class:`ImportFileError`."""
    try:
        document = load_json(path, max_bytes=MAX_EXPORT_BYTES)
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror or error}") from error
    except UntrustedFileError as error:
        raise ImportFileError(f"{path}: {error}") from error
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


def _rows(
    document: dict[str, Any], key: str, columns: Sequence[str], path: Path
) -> list[list[Any]]:
    """The rows of one table of the file at ``path``, in ``columns`` order. A file
    written before the later card columns existed has the others only: those are read
    as empty. A table not in that form is refused, saying where and what is wrong."""
    table = document.get(key)
    written = table.get("columns") if isinstance(table, dict) else None
    missing = [c for c in columns if c not in (written or ())]
    if (
        not isinstance(written, list)
        or written != [c for c in columns if c not in missing]
        or any(c not in LATER_STATE_COLUMNS for c in missing)
    ):
        found = (
            f"found {', '.join(map(str, written)) or 'none'}"
            if isinstance(written, list)
            else "found no list of columns"
        )
        raise ImportFileError(
            f"{path}: the {key!r} table of the file is not in the expected form: its "
            f"columns must be {', '.join(columns)} ({found})"
        )
    rows = table.get("rows") if isinstance(table, dict) else None
    if not isinstance(rows, list):
        raise ImportFileError(f"{path}: the {key!r} table of the file has no list of rows")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(written):
            held = f"{len(row)} values" if isinstance(row, list) else "no list of values"
            raise ImportFileError(
                f"{path}: the {key!r} table of the file has malformed rows: row {number} "
                f"holds {held}, where each row holds the {len(written)} values of the "
                "columns, in their order"
            )
    if not missing:
        return rows
    return [[*row, *(None for _ in missing)] for row in rows]


def _insert_new(
    db: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[list[Any]],
    **fixed: int,
) -> int:
    """Insert the rows whose uid the learner does not have yet; how many were new.
    ``fixed`` columns take the same value in every row."""
    names = [*fixed, *columns]
    statement = (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
        "ON CONFLICT (user_id, uid) DO NOTHING"
    )
    values = tuple(fixed.values())
    return sum(db.execute(statement, (*values, *row)).rowcount for row in rows)


def _table_rows(
    db: sqlite3.Connection, columns: Sequence[str], table: str, user_id: int, order: str
) -> Iterator[list[Any]]:
    """A table's rows of one learner, as lists, in ``order``."""
    cursor = db.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE user_id = ? ORDER BY {order}",
        (user_id,),
    )
    return (list(row) for row in cursor)


def _json(value: Any) -> str:
    """``value`` as the export writes JSON: compact, non-ASCII kept as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
