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
from maliquiz.core.progress.export_reader import (
    Columns,
    Header,
    Rows,
    Unstreamable,
    deeper_than,
    pieces,
)
from maliquiz.core.progress.users import validate_user_name
from maliquiz.core.text.untrusted import MAX_JSON_DEPTH, UntrustedFileError, load_json

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
        within bounds (size, depth) and every row checked (:mod:`.rows`): a bad file is
        refused whole, nothing changes.

        The file is read a piece at a time (:mod:`.export_reader`), each batch of rows
        checked then merged in one write transaction, which a refusal rolls back; a
        file not laid out as the export writes it is read whole, checked, then merged.
        """
        return self.import_file(path, as_user=as_user)[0]

    def import_file(self, path: Path, *, as_user: str | None = None) -> tuple[ImportReport, str]:
        """:meth:`import_user`, and the learner's name as the file writes it."""
        try:
            return self._import_pieces(path, as_user)
        except Unstreamable:
            pass  # laid out otherwise, or not JSON: read whole, accepted or refused as ever
        document = read_export(path)
        tables = {key: _rows(document, key, columns, path) for key, columns in TABLES.items()}
        problems = check_tables(tables, self.clock.now())
        if problems:
            raise InvalidRowsError(path, problems)
        written = str(document["user"])
        name = validate_user_name(as_user if as_user is not None else written)
        return self.merge_tables(name, tables, source=path), written

    def _import_pieces(self, path: Path, as_user: str | None) -> tuple[ImportReport, str]:
        """:meth:`import_file` of a file read a piece at a time; :class:`Unstreamable`
        (nothing written) for a file to read whole."""
        try:
            with path.open("rb") as handle:
                stream = pieces(handle, max_bytes=MAX_EXPORT_BYTES, max_depth=MAX_JSON_DEPTH)
                header = next(stream)
                assert isinstance(header, Header)
                values = header.values
                if (
                    values.get("format") != EXPORT_FORMAT
                    or values.get("version") != EXPORT_VERSION
                    or not isinstance(values.get("user"), str)
                ):
                    raise Unstreamable  # refused whole, once known to be JSON at all
                written: str = values["user"]
                with self._write() as db:
                    name = as_user if as_user is not None else written
                    importing = _PieceImport(self, db, path, name)
                    for piece in stream:
                        importing.take(piece)
                        del piece  # not held while the next one is read
                    return importing.finish(), written
        except OSError as error:
            raise ImportFileError(f"cannot read {path}: {error.strerror or error}") from error
        except UntrustedFileError as error:
            raise ImportFileError(f"{path}: {error}") from error

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
        try:
            with self._write() as db:
                merge = _Merge(self, db, name, origin)
                merge.reviews(tables["reviews"])
                merge.exams(tables["exams"])
                merge.cards(tables["cards"])
                return merge.finish()
        except _MERGE_ERRORS as error:
            if isinstance(error, StoreError):
                raise
            raise ImportFileError(_cannot_store(source, error)) from error


class _Merge:
    """Rows merged into one learner inside a write transaction, a batch at a time (see
    :meth:`ProgressTransfer.merge_tables`): answers and exams whose uid is new, a
    card's state when the incoming one was reviewed later; then the daily sums of the
    days touched (of every day, for more than ``daily.RESUM_LIMIT`` answers)."""

    CACHED: Final = 20_000
    """Card keys and answer texts remembered between batches, at most."""

    def __init__(
        self, store: ProgressTransfer, db: sqlite3.Connection, name: str, origin: int
    ) -> None:
        db.execute(
            "INSERT INTO users (name, created_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (name, to_ms(store.clock.now())),
        )
        self.store, self.db, self.name, self.origin = store, db, name, origin
        self.user_id = store._user(db, name).id
        self.codes = answer_log.Codes(db)
        self.reviews_added = self.exams_added = self.cards_updated = self.reviews_seen = 0
        # The card (deck and card ids, one pair per card) and the instant of each
        # answer, while there are few enough to sum their days again one by one.
        self.cards_of: dict[tuple[str, str], tuple[str, str]] = {}
        self.touched: list[tuple[tuple[str, str], int]] = []

    def reviews(self, rows: Sequence[list[Any]]) -> None:
        # Imported answers are marked so that undo never takes them back here.
        self.reviews_added += answer_log.insert_rows(
            self.db, self.user_id, rows, imported=self.origin, codes=self.codes
        )
        self.reviews_seen += len(rows)
        if self.reviews_seen > daily.RESUM_LIMIT:
            self.touched.clear()  # every day is summed again
            self.cards_of.clear()
        else:
            pair = self.cards_of.setdefault
            self.touched += [(pair((row[1], row[2]), (row[1], row[2])), row[3]) for row in rows]
        for cache in (self.codes.cards, self.codes.answers):
            if len(cache) > self.CACHED:
                cache.clear()

    def exams(self, rows: Sequence[list[Any]]) -> None:
        self.exams_added += _insert_new(self.db, "exams", EXAM_COLUMNS, rows, user_id=self.user_id)

    def cards(self, rows: Sequence[list[Any]]) -> None:
        for row in rows:
            deck_id, card_id = row[0], row[1]
            incoming = dict(zip(STATE_COLUMNS, row[2:], strict=True))
            card_record(deck_id, card_id, incoming)  # refuse a state that does not parse
            current = self.store._card_row(self.db, self.user_id, deck_id, card_id)
            if current is None or (incoming["last_review_ms"] or 0) > (
                current["last_review_ms"] or 0
            ):
                self.store._put_card(self.db, self.user_id, deck_id, card_id, incoming)
                self.cards_updated += 1

    def finish(self) -> ImportReport:
        """Sum again the days the merge touched; what it added."""
        calendar = self.store.calendar
        if self.reviews_seen > daily.RESUM_LIMIT:
            daily.rebuild(self.db, calendar, [self.user_id])
        elif self.reviews_added:
            codes = answer_log.Codes(self.db)
            touched = [(codes.card(*card), at_ms) for card, at_ms in self.touched]
            daily.resum(self.db, calendar, self.user_id, touched)
        return ImportReport(self.name, self.reviews_added, self.exams_added, self.cards_updated)


_MERGE_ERRORS: Final = (sqlite3.IntegrityError, ValueError, TypeError, KeyError)
"""What a merge raises for rows it cannot store (see :func:`_merge_failure`)."""


def _merge_failure(error: BaseException, source: Path) -> BaseException:
    """What a merge failing with ``error`` raises: a store error as it is, rows that
    cannot be stored as an :class:`ImportFileError`."""
    if isinstance(error, StoreError) or not isinstance(error, _MERGE_ERRORS):
        return error
    failure = ImportFileError(_cannot_store(source, error))
    failure.__cause__ = error
    return failure


def _cannot_store(source: Path, error: BaseException) -> str:
    return f"{source} holds progress that cannot be imported: {error}"


class _PieceImport:
    """A file read a piece at a time, checked as :meth:`ProgressTransfer.import_file`
    checks a whole one and merged batch by batch while nothing was found wrong.

    Once something is, nothing more is merged but the rest is still read and checked,
    so that the refusal is the one the whole file would get: its form before its
    values (a table's columns, a malformed row: the first one), every bad value, then
    the learner's name, then a row that could not be stored. :meth:`finish` raises it
    (inside the transaction, which is rolled back) or says what the merge added."""

    def __init__(
        self, store: ProgressTransfer, db: sqlite3.Connection, path: Path, name: str
    ) -> None:
        self.path, self.now = path, store.clock.now()
        self.form: ImportFileError | None = None
        self.problems: list[RowProblem] = []
        self.failure: BaseException | None = None
        self.merge: _Merge | None = None
        self.width = self.missing = 0
        try:
            self.merge = _Merge(store, db, validate_user_name(name), answer_log.FROM_FILE)
        except Exception as error:  # UserNameError, or the learner cannot be added
            self.failure = _merge_failure(error, path)

    def take(self, piece: Columns | Rows | Header) -> None:
        if isinstance(piece, Columns):
            if self.form is None:
                try:
                    self.missing = _missing_columns(self.path, piece.table, piece.columns)
                except ImportFileError as error:
                    self.form = error
                else:
                    self.width = len(TABLES[piece.table]) - self.missing
            return
        assert isinstance(piece, Rows)
        table, first, rows = piece
        if self.form is None:
            for number, row in enumerate(rows, start=first):
                if not isinstance(row, list) or len(row) != self.width:
                    self.form = _malformed(self.path, table, number, row, self.width)
                    break
        if self.form is not None:
            # Nothing more is checked, but a value nested too deep is refused before
            # anything else (a checked row holds plain values only).
            if deeper_than(rows, MAX_JSON_DEPTH - 2):
                raise Unstreamable
            return
        if self.missing:
            rows = [[*row, *(None for _ in range(self.missing))] for row in rows]
        self._check(table, first, rows)

    def _check(self, table: str, first: int, rows: list[list[Any]]) -> None:
        from maliquiz.core.progress.rows import check_rows  # pydantic: only when importing

        try:
            problems = check_rows(table, rows, self.now)
        except RecursionError:
            raise Unstreamable from None
        if problems:
            if deeper_than(rows, MAX_JSON_DEPTH - 2):
                raise Unstreamable
            self.problems += [p._replace(row=p.row + first - 1) for p in problems]
        elif self.merge is not None and not self.problems and self.failure is None:
            try:
                getattr(self.merge, table)(rows)
            except Exception as error:  # raised once the whole file is checked
                self.failure = _merge_failure(error, self.path)

    def finish(self) -> ImportReport:
        if self.form is not None:
            raise self.form
        if self.problems:
            raise InvalidRowsError(self.path, self.problems)
        if self.failure is None and self.merge is not None:
            try:
                return self.merge.finish()
            except Exception as error:
                self.failure = _merge_failure(error, self.path)
        assert self.failure is not None
        raise self.failure


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
    missing = _missing_columns(path, key, table.get("columns") if isinstance(table, dict) else None)
    width = len(columns) - missing
    rows = table.get("rows") if isinstance(table, dict) else None
    if not isinstance(rows, list):
        raise ImportFileError(f"{path}: the {key!r} table of the file has no list of rows")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != width:
            raise _malformed(path, key, number, row, width)
    if not missing:
        return rows
    return [[*row, *(None for _ in range(missing))] for row in rows]


def _missing_columns(path: Path, key: str, written: Any) -> int:
    """How many of the later card columns the ``written`` columns of the table ``key``
    lack (they come last); :class:`ImportFileError` when they are not the table's."""
    columns = TABLES[key]
    missing = [c for c in columns if not isinstance(written, list) or c not in written]
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
    return len(missing)


def _malformed(path: Path, key: str, number: int, row: Any, width: int) -> ImportFileError:
    held = f"{len(row)} values" if isinstance(row, list) else "no list of values"
    return ImportFileError(
        f"{path}: the {key!r} table of the file has malformed rows: row {number} "
        f"holds {held}, where each row holds the {width} values of the "
        "columns, in their order"
    )


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
