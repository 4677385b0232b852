"""Promise: a process killed at any moment (SIGKILL, a power cut's software cousin)
loses no answer it had reported as recorded, and leaves a file that opens."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import CliRunner

from .conftest import answers_in, integrity, no_traceback, progress

WRITER = """
import sys
from pathlib import Path
from maliquiz.core.progress.store import Store
from maliquiz.core.learning.scheduling import Rating

store = Store.open(Path(sys.argv[1]))
store.ensure_user("tester")
n = 0
while True:
    store.record_answer("tester", "faults", f"card-{n % 30}", rating=Rating.Good,
                        outcome="correct", mode="typed", answer="x" * 200)
    n += 1
    print(n, flush=True)  # only once the answer is committed
"""


def test_a_writer_killed_mid_transaction_keeps_every_committed_answer(data_dir: Path) -> None:
    path = progress(data_dir)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    reported = 0
    for line in writer.stdout:
        reported = int(line)
        if reported >= 300:
            break
    # The writer is in its next transaction, or between two: kill it there.
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    assert integrity(path) == ["ok"]
    assert answers_in(path) >= reported


def test_a_plain_session_killed_keeps_every_answer_it_showed(
    data_dir: Path, deck: Path, run_cli: CliRunner
) -> None:
    session = subprocess.Popen(
        [sys.executable, "-m", "maliquiz", "study", "faults", "--plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert session.stdin is not None and session.stdout is not None
    shown = 0
    session.stdin.write("\n")  # "don't know" to the first question
    session.stdin.flush()
    for line in session.stdout:
        if line.strip().startswith("Next review:"):  # the feedback, printed after the commit
            shown += 1
            if shown == 7:
                break
            session.stdin.write("\n")
            session.stdin.flush()
    session.kill()
    session.wait()
    assert shown == 7
    assert answers_in(progress(data_dir)) == 7
    done = run_cli("stats")
    no_traceback(done)
    assert done.returncode == 0
    assert "Reviews today: 7" in done.stdout
