"""A learner's progress as a JSON file: export, and import merged by uid."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from maliquiz.core.learning.clock import to_ms
from maliquiz.core.progress import daily
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

EXPORT_FORMAT: Final = "maliquiz-progress"
EXPORT_VERSION: Final = 1


class ImportFileError(StoreError):
    """A progress file to import is not one maliquiz wrote, or is damaged."""


class ImportReport(NamedTuple):
    """What :meth:`Store.import_user` added."""

    user: str
    reviews_added: int
    exams_added: int
    cards_updated: int


class ProgressTransfer(CardQueries):
    """Export one learner to JSON; import such a file."""

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
                "cards": (CARD_COLUMNS, "card_states", "id"),
                "reviews": (REVIEW_COLUMNS, "reviews", "reviewed_ms, id"),
                "exams": (EXAM_COLUMNS, "exams", "taken_ms, id"),
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
                reviews_added = _insert_new(
                    db,
                    "reviews",
                    REVIEW_COLUMNS,
                    _rows(document, "reviews", REVIEW_COLUMNS),
                    user_id=user_id,
                    imported=1,
                )
                exams_added = _insert_new(
                    db,
                    "exams",
                    EXAM_COLUMNS,
                    _rows(document, "exams", EXAM_COLUMNS),
                    user_id=user_id,
                )
                for row in _rows(document, "cards", CARD_COLUMNS):
                    deck_id, card_id = row[0], row[1]
                    incoming = dict(zip(STATE_COLUMNS, row[2:], strict=True))
                    card_record(deck_id, card_id, incoming)  # refuse a state that does not parse
                    current = self._card_row(db, user_id, deck_id, card_id)
                    if current is None or (incoming["last_review_ms"] or 0) > (
                        current["last_review_ms"] or 0
                    ):
                        self._put_card(db, user_id, deck_id, card_id, incoming)
                        cards_updated += 1
                # The daily sums are summed again from the merged log.
                daily.rebuild(db, self.calendar, [user_id])
        except (sqlite3.IntegrityError, ValueError, TypeError, KeyError) as error:
            if isinstance(error, StoreError):
                raise
            raise ImportFileError(
                f"{path} holds progress that cannot be imported: {error}"
            ) from error
        return ImportReport(name, reviews_added, exams_added, cards_updated)


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
    """The rows of one table of the file, in ``columns`` order. A file written before
    the later card columns existed has the others only: those are read as empty."""
    table = document.get(key)
    written = table.get("columns") if isinstance(table, dict) else None
    missing = [c for c in columns if c not in (written or ())]
    if (
        not isinstance(written, list)
        or written != [c for c in columns if c not in missing]
        or any(c not in LATER_STATE_COLUMNS for c in missing)
    ):
        raise ImportFileError(f"the {key!r} table of the file is not in the expected form")
    rows = table.get("rows") if isinstance(table, dict) else None
    if not isinstance(rows, list) or not all(
        isinstance(row, list) and len(row) == len(written) for row in rows
    ):
        raise ImportFileError(f"the {key!r} table of the file has malformed rows")
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
