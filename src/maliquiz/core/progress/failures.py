"""What can go wrong with the progress file, and what is done about it.

* **Damage** (not SQLite, cut short, a page overwritten): found at opening, at the daily
  check of the backup, or by any query later. The file is moved aside to
  ``progress.sqlite3.broken-<UTC time>`` with its ``-wal``/``-shm`` (never deleted or
  overwritten) and the latest daily backup, when there is one, is copied in its place
  (:func:`set_aside`). Found in use, the damage is first raised as
  :class:`DamagedStoreError`; the command closes the store, then :func:`settle` moves
  the file.
* **Read-only** file, folder or file system: refused before SQLite opens anything
  (:func:`check_writable`), so no ``-wal``/``-shm`` file is left behind; nothing is
  studied that could not be saved.
* **A write that fails** (disk full, an I/O error, the file made read-only meanwhile):
  the transaction is rolled back, so nothing of it is written, and
  :class:`StoreWriteError` says why; every earlier answer was committed on its own.

``sqlite3`` reports all of these as ``DatabaseError``; :func:`classify` tells them
apart by SQLite's error name.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Literal

from maliquiz.core.progress import backup

WriteProblem = Literal["full", "read-only", "io", "busy"]


class StoreError(Exception):
    """Anything that keeps the progress store from doing what was asked."""


class BrokenStoreError(StoreError):
    """The progress file was unreadable and has been moved aside; ``restored_from`` is
    the backup copied in its place, or None when there was none (a new file starts)."""

    def __init__(
        self, path: Path, moved_to: Path, reason: str, restored_from: Path | None = None
    ) -> None:
        self.path = path
        self.moved_to = moved_to
        self.reason = reason
        self.restored_from = restored_from
        then = (
            f"the backup {restored_from} was put in its place"
            if restored_from
            else "a new, empty one will be used from now on"
        )
        super().__init__(
            f"the progress file {path} is damaged ({reason}); it was moved to {moved_to} and {then}"
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


class DamagedStoreError(StoreError):
    """Damage found while the file was in use. It is still in place: close the store,
    then :func:`settle` moves it aside."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"the progress file {path} is damaged ({reason})")


ReadOnlyCause = Literal["file", "folder", "file-system"]


class ReadOnlyStoreError(StoreError):
    """The progress file cannot be written, so nothing was opened. ``cause`` says why:
    the ``file`` is read-only, its ``folder`` cannot be written to (SQLite keeps its
    journal files there), or the folder is on a read-only ``file-system``."""

    def __init__(self, path: Path, cause: ReadOnlyCause) -> None:
        self.path = path
        self.cause = cause
        reason = {
            "file": "the file is read-only",
            "folder": f"the folder {path.parent} cannot be written to",
            "file-system": f"the folder {path.parent} is on a read-only file system",
        }[cause]
        super().__init__(f"progress cannot be saved in {path}: {reason}")


class StoreWriteError(StoreError):
    """A write failed and was rolled back: nothing of it is in the file. ``problem`` is
    ``full`` (no space left), ``read-only``, ``io`` (the disk reported an error) or
    ``busy`` (another maliquiz kept the file locked)."""

    def __init__(self, path: Path, problem: WriteProblem, detail: str) -> None:
        self.path = path
        self.problem = problem
        self.detail = detail
        super().__init__(f"could not write to the progress file {path}: {detail}")


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """True for the errors that mean the file is broken, not busy or read-only."""
    name = getattr(error, "sqlite_errorname", "")
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or name.startswith("SQLITE_CORRUPT_"):
        return True
    text = str(error)
    return "malformed" in text or "not a database" in text


def classify(error: sqlite3.DatabaseError, path: Path) -> StoreError | None:
    """The store error ``error`` stands for, or None for an error of ours (a bug: a
    constraint broken, a wrong statement), which is better raised as it is."""
    if is_damage(error):
        return DamagedStoreError(path, str(error))
    name = getattr(error, "sqlite_errorname", "")
    problem: WriteProblem | None = None
    if name == "SQLITE_FULL":
        problem = "full"
    elif name.startswith("SQLITE_READONLY") or name.startswith("SQLITE_CANTOPEN"):
        problem = "read-only"
    elif name.startswith("SQLITE_IOERR"):
        problem = "io"
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        problem = "busy"
    return None if problem is None else StoreWriteError(path, problem, str(error))


def settle(error: BaseException, path: Path, now: datetime | None = None) -> StoreError | None:
    """What to report for ``error``, met while using the progress file at ``path``,
    once the store is closed: damage found in use is moved aside here (and the latest
    backup put in its place). None when ``error`` is not about the store."""
    if isinstance(error, sqlite3.DatabaseError):
        found = classify(error, path)
        if found is None:
            return None
        error = found
    if isinstance(error, DamagedStoreError):
        return set_aside(error.path, now or datetime.now(UTC), error.reason)
    return error if isinstance(error, StoreError) else None


COMPANIONS: Final = ("-wal", "-shm")


def move_aside(path: Path, now: datetime) -> Path:
    """Rename the damaged file (and its WAL companions) out of the way; never over an
    earlier broken copy."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
        counter += 1
    os.replace(path, target)
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target


def broken_copies(path: Path) -> list[Path]:
    """The damaged files :func:`move_aside` put next to ``path``, oldest first."""
    prefix = f"{path.name}.broken-"
    try:
        found = [
            p
            for p in path.parent.iterdir()
            if p.name.startswith(prefix) and not p.name.endswith(COMPANIONS)
        ]
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def set_aside(path: Path, now: datetime, reason: str) -> BrokenStoreError:
    """Move the damaged file at ``path`` aside and put the latest backup in its place
    (a new file starts when there is none); the error that says so."""
    moved = move_aside(path, now)
    try:
        restored = backup.restore_latest(path)
    except (OSError, sqlite3.Error):
        restored = None  # the next opening starts an empty file; the broken one is kept
    return BrokenStoreError(path, moved, reason, restored)


def check_writable(path: Path) -> None:
    """Raise :class:`ReadOnlyStoreError` when the progress file, or the folder SQLite
    writes its journal files in, cannot be written, before anything is opened (the
    folder is created if missing).

    ``os.access`` asks the kernel, so it also knows read-only file systems and
    immutable files (``chattr +i``), which stop even root. A file that only SQLite's
    ``mode=ro`` or ``PRAGMA query_only`` keeps from writing is not read-only here:
    those are promises of one connection, not properties of the file.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise ReadOnlyStoreError(path, "folder") from None
    except OSError as error:
        if error.errno == errno.EROFS:
            raise ReadOnlyStoreError(path, "file-system") from None
        raise
    if not os.access(folder, os.W_OK):
        raise ReadOnlyStoreError(path, _cause(folder, "folder"))
    if path.exists() and not os.access(path, os.W_OK):
        raise ReadOnlyStoreError(path, _cause(folder, "file"))


def _cause(folder: Path, otherwise: ReadOnlyCause) -> ReadOnlyCause:
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    return "file-system" if read_only else otherwise
