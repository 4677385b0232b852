"""Helpers for the benchmark scripts: timing and the table they print.

Each figure is reported next to a baseline measured in the same run, on the same
machine, because shared machines are noisy: the ratio is what we track.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable


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
