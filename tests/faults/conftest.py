"""The fault suite: what maliquiz promises when things go wrong, one file a promise.

Every test works on a real progress file in the test's own data dir (the root
conftest points MALIQUIZ_DATA_DIR there), through the real CLI in a subprocess or the
real store; the damage is real too (bytes overwritten, files made read-only, a
process killed with SIGKILL, SQLite told the disk is full).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from conftest import REPO
from maliquiz.core.progress.connection import progress_path

PAGE = 4096
"""SQLite's page size in our files (the default)."""


def text_deck(count: int = 30, deck_id: str = "faults") -> str:
    """A deck of ``count`` text cards: each empty line in plain mode answers one."""
    cards = "\n".join(
        f"  - id: card-{n}\n    type: text\n    prompt: Question {n} ?\n    answer: Réponse {n}"
        for n in range(count)
    )
    return f"id: {deck_id}\ntitle: Pannes\ncards:\n{cards}\n"


@pytest.fixture
def deck(data_dir: Path) -> Path:
    """A deck of 30 text cards in the learner's decks folder."""
    folder = data_dir / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "faults.yaml"
    path.write_text(text_deck(), encoding="utf-8")
    return path


@pytest.fixture
def every_type(data_dir: Path) -> Path:
    """The deck with one card of every type, in the learner's decks folder."""
    folder = data_dir / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(REPO / "tests" / "data" / "every_type.yaml", folder))


def answers_in(path: Path) -> int:
    """How many answers the progress file at ``path`` holds, read with plain SQLite."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM reviews").fetchone()[0])


def integrity(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("PRAGMA integrity_check")]


def overwrite_page(path: Path, page: int, fill: bytes = b"\xa5") -> None:
    """Overwrite page ``page`` (1 is the first) of a checkpointed file with ``fill``."""
    with path.open("r+b") as handle:
        handle.seek((page - 1) * PAGE)
        handle.write(fill * PAGE)


def checkpoint(path: Path) -> None:
    """Move every page out of the WAL into the file, as a clean close does."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def page_of(path: Path, table: str) -> int:
    """The root page of ``table``: where its first rows live in a small file."""
    with closing(sqlite3.connect(path)) as db:
        row = db.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,))
        return int(row.fetchone()[0])


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout, done.stderr


def progress(data_dir: Path) -> Path:
    return progress_path(data_dir)


# --- read-only, as root too ---------------------------------------------------------

ROOT = os.geteuid() == 0


def _chattr(flag: str, path: Path) -> bool:
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    done = subprocess.run([chattr, flag, str(path)], capture_output=True)
    return done.returncode == 0


@contextmanager
def read_only(path: Path) -> Iterator[str]:
    """``path`` (a file or a folder) cannot be written while inside, even by root; yields
    how. A mode of 0o444/0o555 stops everyone but root, who ignores modes: as root the
    file is made immutable (``chattr +i``, which stops root too). Where neither works
    (root on a file system without the immutable flag, or without the capability) the
    test is skipped, saying why. ``PRAGMA query_only`` or ``mode=ro`` would not do: they
    are promises of one connection, and maliquiz's own connection makes none."""
    mode = path.stat().st_mode
    if not ROOT:
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield "chmod"
        finally:
            path.chmod(mode)
        return
    if not _chattr("+i", path):
        pytest.skip("running as root and chattr +i is not available here: root ignores modes")
    try:
        yield "chattr +i"
    finally:
        _chattr("-i", path)


Snapshot = Callable[[Path], dict[str, bytes]]


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` (recursively) with its bytes: to prove nothing changed."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
