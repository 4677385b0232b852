"""A learner back after months away (issue 14): ten decks of 10,000 cards, 1,000,000
answers, the last of them 120 days ago, so that most cards are overdue.

``maliquiz study --plain`` over the ten decks, run as a whole process, for that learner
and for a new learner on the same decks: to the first card and ``:q``, and through 100
questions answered "I don't know" (an empty line), each run on a fresh copy of the
progress file. Printed: the start, and the time of a question (the difference of the two
runs over 100), each beside the new learner's. A backlog session walks the day's due
cards at every question, where a new learner's holds twenty new cards a deck.

    python bench/bench_backlog.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_scale import imported_learner  # noqa: E402

QUESTIONS = 100
AWAY_DAYS = 120


def study(env: dict[str, str], folder: Path, kept: Path, decks: Path, answers: int) -> float:
    """Seconds of one ``study --plain`` run answering ``answers`` questions "I don't
    know" then ``:q``, on a fresh copy of the progress file ``kept``."""
    data = Path(env["MALIQUIZ_DATA_DIR"])
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(kept, data)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "maliquiz", "study", "--plain", f"{decks}/"],
        input="\n" * answers + ":q\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        decks = folder / "decks"
        _paths, kept = imported_learner(
            folder, cards=10_000, answers=1_000_000, away_days=AWAY_DAYS
        )
        kept = kept.rename(folder / "kept")
        env = dict(os.environ, MALIQUIZ_DATA_DIR=str(kept), MALIQUIZ_LANG="en")
        with sqlite3.connect(kept / "progress.sqlite3") as db:
            (due,) = db.execute(
                "SELECT count(*) FROM card_states WHERE due_ms < ?", (int(time.time() * 1000),)
            ).fetchone()
        # The decks' data kept once (every start after the first reads it so).
        study(dict(env, MALIQUIZ_DATA_DIR=str(folder / "data")), folder, kept, decks, 0)
        shutil.copytree(folder / "data" / "cache", kept / "cache", dirs_exist_ok=True)
        figures: dict[str, dict[str, float]] = {}
        for user in ("veteran", "newcomer"):
            run = dict(env, MALIQUIZ_DATA_DIR=str(folder / "data"), MALIQUIZ_USER=user)
            start = min(study(run, folder, kept, decks, 0) for _ in range(3))
            through = min(study(run, folder, kept, decks, QUESTIONS) for _ in range(3))
            figures[user] = {"start": start, "question": (through - start) / QUESTIONS}
    print(f"\nBack after {AWAY_DAYS} days: {due:,} of 100,000 cards overdue, 1,000,000 answers")
    print(f"{'figure':<36} {'backlog':>10} {'new learner':>12} {'ratio':>7}")
    for name, label in (("start", "study start to the first card"), ("question", "a question")):
        ours, new = figures["veteran"][name], figures["newcomer"][name]
        print(f"{label:<36} {ours * 1000:>8.0f}ms {new * 1000:>10.0f}ms {ours / new:>6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
