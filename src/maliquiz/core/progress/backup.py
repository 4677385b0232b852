"""Daily backups of the progress file, as Anki keeps them.

At the first opening of a study day, the file is copied with SQLite's backup API (a
consistent copy even while another process writes) to
``<data-dir>/backups/progress-YYYYMMDD.sqlite3``; the copy is checked with
``PRAGMA quick_check`` and only then takes its name, and the three newest are kept.
The check is also the daily look at the whole file: a copy that fails it means the
file itself is damaged (:class:`DamageFound`), and the older, sound backups are kept.

A copy that cannot be written (a full disk, a read-only backups folder) is skipped
without a word: the progress file itself is unharmed, and the next opening tries again.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing, suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Final

FOLDER: Final = "backups"
KEEP: Final = 3
_NAME: Final = re.compile(r"progress-\d{8}\.sqlite3")
PARTIAL: Final = ".partial"
STALE_PARTIAL: Final = timedelta(hours=1)


class DamageFound(Exception):
    """Today's copy of the progress file failed SQLite's check: the file is damaged."""


def backup_folder(path: Path) -> Path:
    """Where the backups of the progress file at ``path`` are kept."""
    return path.parent / FOLDER


def backups(path: Path) -> list[Path]:
    """The backups of the progress file at ``path``, oldest first."""
    folder = backup_folder(path)
    try:
        names = sorted(p.name for p in folder.iterdir() if _NAME.fullmatch(p.name))
    except OSError:
        return []
    return [folder / name for name in names]


def make_daily(db: sqlite3.Connection, path: Path, day: date) -> Path | None:
    """Copy the open file ``db`` (at ``path``) to the backup of ``day`` unless that
    backup exists; the new backup, or None when none was made. Raises
    :class:`DamageFound` when the copy fails SQLite's check.

    Several processes may open the file at the same moment: each writes its own
    uniquely named partial copy, so none ever checks a copy another is still writing.
    """
    target = backup_folder(path) / f"progress-{day:%Y%m%d}.sqlite3"
    if target.exists():
        return None
    partial: Path | None = None
    try:
        target.parent.mkdir(exist_ok=True)
        _remove_stale_partials(target.parent)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f"{target.name}.", suffix=PARTIAL)
        os.close(handle)
        partial = Path(name)
        with closing(sqlite3.connect(partial)) as copy:
            db.backup(copy)
            # One self-contained file: no -wal or -shm next to a backup.
            copy.execute("PRAGMA journal_mode = DELETE")
    except (OSError, sqlite3.Error):
        if partial is not None:
            with suppress(OSError):
                partial.unlink(missing_ok=True)
        return None
    problems = _check(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise DamageFound("; ".join(problems[:3]))
    os.replace(partial, target)
    for old in backups(path)[:-KEEP]:
        with suppress(OSError):
            old.unlink()
    return target


def _remove_stale_partials(folder: Path) -> None:
    """Remove partial copies left by a process that died while copying (an hour old:
    no copy of a progress file takes that long)."""
    limit = time.time() - STALE_PARTIAL.total_seconds()
    for leftover in folder.glob(f"*{PARTIAL}"):
        with suppress(OSError):
            if leftover.stat().st_mtime < limit:
                leftover.unlink()


def restore_latest(path: Path) -> Path | None:
    """Copy the newest backup to ``path`` (which must not hold a file in use); the
    backup copied, or None when there is none."""
    found = backups(path)
    if not found:
        return None
    latest = found[-1]
    partial = path.with_name(path.name + ".restoring")
    shutil.copyfile(latest, partial)
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return latest


def _check(copy: Path) -> list[str]:
    """What ``PRAGMA quick_check`` finds wrong in the file at ``copy`` (nothing: [])."""
    try:
        with closing(sqlite3.connect(copy)) as db:
            found = [row[0] for row in db.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if found == ["ok"] else found
