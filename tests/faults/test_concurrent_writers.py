"""Promise: several maliquiz processes answering at once for the same learner, on the
same cards, lose none of each other's answers, and each card's state counts them all."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from conftest import CliRunner

from .conftest import answers_in, integrity, progress

WRITER = """
import sys
from pathlib import Path
from maliquiz.core.progress.store import Store
from maliquiz.core.learning.scheduling import Rating

path, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Store.open(path) as store:
    store.ensure_user("tester")
    for n in range(count):
        store.record_answer("tester", "faults", f"card-{n % 5}", rating=Rating.Good,
                            outcome="correct", mode="typed", answer=who)
"""

WRITERS = 3
EACH = 60


def test_three_writers_at_once_lose_nothing(data_dir: Path, run_cli: CliRunner) -> None:
    path = progress(data_dir)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), f"writer-{w}", str(EACH)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    assert answers_in(path) == WRITERS * EACH
    assert integrity(path) == ["ok"]
    with closing(sqlite3.connect(path)) as db:
        per_writer = dict(db.execute("SELECT answer, count(*) FROM reviews GROUP BY answer"))
        reps = db.execute("SELECT sum(reps) FROM card_states").fetchone()[0]
    assert per_writer == {f"writer-{w}": EACH for w in range(WRITERS)}
    # Each answer read the card's state inside its own transaction: none overwrote another.
    assert reps == WRITERS * EACH
    done = run_cli("users", "list")
    assert done.returncode == 0 and f"({WRITERS * EACH} answers)" in done.stdout


OPENER = """
import sys
from pathlib import Path
from maliquiz.core.progress.store import Store
with Store.open(Path(sys.argv[1])) as store:
    store.ensure_user("tester")
"""


def test_processes_opening_at_the_start_of_a_day_never_move_the_file_aside(
    tmp_path: Path,
) -> None:
    # Each first opening of a study day copies the file to a backup; several processes
    # doing it at once once checked each other's half-written copies and took the
    # copy's "disk I/O error" for damage of the progress file itself.
    for round_ in range(4):
        path = tmp_path / f"round-{round_}" / "progress.sqlite3"
        path.parent.mkdir()
        subprocess.run([sys.executable, "-c", OPENER, str(path)], check=True)
        openers = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(path)], stderr=subprocess.PIPE, text=True
            )
            for _ in range(6)
        ]
        for opener in openers:
            _, errors = opener.communicate(timeout=120)
            assert opener.returncode == 0, errors
        assert not list(path.parent.glob("*.broken-*"))
        assert [p.name for p in (path.parent / "backups").iterdir() if p.suffix == ".sqlite3"]
        assert not list((path.parent / "backups").glob("*.partial"))
        assert integrity(path) == ["ok"]
