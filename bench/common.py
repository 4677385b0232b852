"""Helpers for the benchmark scripts: timing and the table they print.

Each figure is reported next to a baseline measured in the same run, on the same
machine, because shared machines are noisy: the ratio is what we track.
"""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(fn: Callable[[], object], repeat: int = 200) -> float:
    """The median of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process_time(args: list[str], repeat: int = 5) -> float:
    """Best wall time of a whole process, in seconds."""
    return best_of(lambda: subprocess.run(args, check=True, capture_output=True), repeat)


def python(*code: str) -> list[str]:
    """A command line running this Python on ``code``."""
    return [sys.executable, *code]


def report(title: str, rows: list[tuple[str, float, str, float, float]]) -> None:
    """Print rows of (figure, seconds, baseline name, baseline seconds, target ratio)."""
    print(f"\n{title}")
    print(f"{'figure':<44} {'time':>9} {'baseline':<34} {'base':>9} {'ratio':>6} {'target':>7}")
    for name, value, base_name, base, target in rows:
        ratio = value / base if base else float("inf")
        flag = "ok" if ratio <= target else "OVER"
        print(
            f"{name:<44} {value * 1000:>7.1f}ms {base_name:<34} {base * 1000:>7.1f}ms "
            f"{ratio:>6.2f} {'≤' + format(target, 'g'):>6} {flag}"
        )


def write_progress(
    path: Path, user_id: int, states: Sequence[tuple[Any, ...]], reviews: Iterable[tuple[Any, ...]]
) -> None:
    """Write generated card states and answers into the progress file at ``path`` (made
    by the store, so at the current schema). ``states`` rows: user id, deck, card,
    memory, state, due, stability, difficulty, last review, reps, lapses, introduced;
    ``reviews`` rows: uid, user id, deck, card, time, mode, answer, outcome, rating,
    duration, state before. The answers go in through the store's own writer of the
    compact log. No ANALYZE: a learner's file never has planner statistics."""
    from maliquiz.core.progress.answer_log import insert_rows

    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA synchronous = OFF")  # generating data, not keeping it
        with db:
            db.executemany(
                "INSERT INTO card_states (user_id, deck_id, card_id, memory, state, due_ms, "
                "stability, difficulty, last_review_ms, reps, lapses, introduced_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                states,
            )
            rows = (
                (uid, deck, card, at, mode, answer, outcome, rating, took, 1, before)
                for uid, _user, deck, card, at, mode, answer, outcome, rating, took, before in reviews
            )
            insert_rows(db, user_id, rows, imported=0)
