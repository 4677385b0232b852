"""Promise: a damaged progress file, found at opening or by any query later, ends the
command with a message, never a traceback; the file is moved aside untouched, the
latest daily backup is put in its place, and ``maliquiz progress recover`` brings back
what SQLite can still read of it."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import CliRunner
from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.backup import KEEP, backups
from maliquiz.core.progress.connection import BrokenStoreError
from maliquiz.core.progress.failures import broken_copies
from maliquiz.core.progress.recover import salvage
from maliquiz.core.progress.store import Store

from .conftest import (
    answers_in,
    checkpoint,
    integrity,
    no_traceback,
    overwrite_page,
    page_of,
    progress,
)


def study(run_cli: CliRunner, answers: int) -> None:
    """``answers`` "don't know" answers through the real plain mode."""
    done = run_cli("study", "faults", "--plain", "--limit", str(answers), input="\n" * answers)
    assert done.returncode == 0, done.stderr


def test_a_file_that_is_not_sqlite_is_moved_aside_at_opening(
    data_dir: Path, run_cli: CliRunner
) -> None:
    path = progress(data_dir)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"these are not the pages you are looking for" * 100)
    done = run_cli("stats")
    no_traceback(done)
    assert done.returncode == 1
    assert "is damaged" in done.stderr and "moved to" in done.stderr
    (moved,) = broken_copies(path)
    assert moved.read_bytes().startswith(b"these are not the pages")
    assert run_cli("stats").returncode == 0  # a new, empty file


def test_a_page_overwritten_is_found_by_the_first_query_that_meets_it(
    data_dir: Path, deck: Path, run_cli: CliRunner
) -> None:
    path = progress(data_dir)
    study(run_cli, 3)
    assert run_cli("stats").returncode == 0  # the first opening with data: today's backup
    (backup,) = backups(path)
    study(run_cli, 4)  # given after the backup
    checkpoint(path)
    # The learners' table: the header and the schema are sound, so the file opens, and
    # the first query that reads a learner meets the damage.
    overwrite_page(path, page_of(path, "users"))
    damaged = path.read_bytes()

    done = run_cli("stats")
    no_traceback(done)
    assert done.returncode == 1
    assert "is damaged" in done.stderr and str(backup) in done.stderr
    assert "maliquiz progress recover" in done.stderr
    (moved,) = broken_copies(path)
    assert moved.read_bytes() == damaged  # moved aside as it was
    assert answers_in(path) == 3  # the backup's answers, in the progress file's place

    done = run_cli("progress", "recover")
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert "7 answers" in done.stdout  # every answer: the damage was in the learners' table
    assert "4 answers added" in done.stdout
    assert answers_in(path) == 7
    assert moved.read_bytes() == damaged  # recovery reads a copy
    done = run_cli("stats")
    assert done.returncode == 0 and "Reviews today: 7" in done.stdout


def test_damage_inside_a_session_ends_it_with_a_message(
    data_dir: Path, deck: Path, run_cli: CliRunner
) -> None:
    path = progress(data_dir)
    study(run_cli, 2)
    assert run_cli("stats").returncode == 0  # today's backup made
    checkpoint(path)
    overwrite_page(path, page_of(path, "card_states"))
    done = run_cli("study", "faults", "--plain", input="\n" * 5)
    no_traceback(done)
    assert done.returncode == 1
    assert "is damaged" in done.stderr
    assert broken_copies(path)
    assert integrity(path) == ["ok"]


def store_on(path: Path, day: int) -> Store:
    clock = ManualClock(datetime(2026, 3, 1, 12, tzinfo=UTC) + timedelta(days=day))
    return Store.open(path, clock=clock, calendar=StudyCalendar(UTC))


def test_a_backup_is_kept_each_day_the_last_three(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    for day in range(5):
        with store_on(path, day) as store:
            store.ensure_user("awa")
            store.record_answer(
                "awa", "faults", f"card-{day}", rating=Rating.Good, outcome="correct", mode="typed"
            )
    kept = backups(path)
    assert [p.name for p in kept] == [f"progress-2026030{d}.sqlite3" for d in (3, 4, 5)]
    assert len(kept) == KEEP
    # Each is a whole, checked, self-contained file: what the day began with.
    assert [answers_in(p) for p in kept] == [2, 3, 4]
    assert all(integrity(p) == ["ok"] for p in kept)
    assert not list(path.parent.glob("backups/*-wal"))


def test_a_copy_left_half_made_by_a_dead_process_is_removed_a_live_one_is_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "progress.sqlite3"
    with store_on(path, 0) as store:
        store.ensure_user("awa")
    folder = path.parent / "backups"
    folder.mkdir()
    dead = folder / "progress-20260302.sqlite3.k2j4x.partial"
    alive = folder / "progress-20260302.sqlite3.p9q8r.partial"
    dead.write_bytes(b"half a copy")
    alive.write_bytes(b"being written")
    two_hours_ago = time.time() - 7200
    os.utime(dead, (two_hours_ago, two_hours_ago))
    with store_on(path, 1):
        pass
    assert not dead.exists()
    assert alive.read_bytes() == b"being written"
    assert [p.name for p in backups(path)] == ["progress-20260302.sqlite3"]


def test_the_daily_check_finds_damage_no_query_met_and_keeps_the_sound_backups(
    tmp_path: Path,
) -> None:
    path = tmp_path / "progress.sqlite3"
    with store_on(path, 0) as store:
        store.ensure_user("awa")
        for n in range(400):
            store.record_answer(
                "awa", "faults", f"card-{n}", rating=Rating.Good, outcome="correct", mode="typed"
            )
    with store_on(path, 1):
        pass  # the backup of day 1, sound
    checkpoint(path)
    overwrite_page(path, page_of(path, "reviews_card"))  # an index: no query of opening reads it
    with pytest.raises(BrokenStoreError) as raised:
        store_on(path, 2)
    assert raised.value.restored_from is not None
    assert raised.value.restored_from.name == "progress-20260302.sqlite3"
    assert [p.name for p in backups(path)] == ["progress-20260302.sqlite3"]
    assert answers_in(path) == 400


def test_recovery_reads_row_by_row_past_damaged_pages(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with store_on(path, 0) as store:
        store.ensure_user("awa")
        for n in range(2000):
            store.record_answer(
                "awa",
                "faults",
                f"card-{n % 100}",
                rating=Rating.Good,
                outcome="correct",
                mode="typed",
                answer="x" * 100,
            )
    checkpoint(path)
    with closing(sqlite3.connect(path)) as db:  # the answer log's own pages
        pages = [
            row[0]
            for row in db.execute(
                "SELECT pageno FROM dbstat WHERE name = 'review_log' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    for page in (pages[len(pages) // 3], pages[len(pages) // 2], pages[len(pages) // 2 + 1]):
        overwrite_page(path, page)
    saved = salvage(path, tmp_path / "recovered.sqlite3")
    assert saved.unreadable >= 1
    assert 1500 < saved.rows["reviews"] < 2000  # a few pages' rows lost, no more
    assert saved.rows["users"] == 1
    assert answers_in(tmp_path / "recovered.sqlite3") == saved.rows["reviews"]
    assert integrity(tmp_path / "recovered.sqlite3") == ["ok"]
