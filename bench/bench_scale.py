"""A long history must not slow a learner down (issue 14), measured as a user would.

Setup, all generated with a fixed seed in a temporary folder: 10 decks of 1,000 text
cards, and a learner whose history of ``--answers`` answers (100 a card by default,
spread over three years, every card in review) is written as a progress export and
brought in with the real ``maliquiz progress import``. Each figure runs the real CLI in
a subprocess, best of 3, for that learner and for a new learner on the same decks; the
ratio is what is tracked (the machines are shared and noisy). With ``--growth`` the
history is built at a tenth of the size as well, and the growth factor of each figure
for ten times more history is printed (target <= 1.2).

    python bench/bench_scale.py                 # 1,000,000 answers
    python bench/bench_scale.py --answers 100000
    python bench/bench_scale.py --growth        # 100,000 and 1,000,000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fsrs import Card, State

DECKS = 10
CARDS = 1_000
NOW = datetime.now(UTC).replace(microsecond=0)
DAY_MS = 86_400_000
YEARS = 3


def write_decks(folder: Path, cards: int = CARDS) -> list[Path]:
    """Ten decks of ``cards`` text cards each (a thousand by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in range(DECKS):
        lines = [f"id: echelle-{d}", f"title: Échelle {d}", "cards:"]
        for c in range(cards):
            lines += [
                f"  - id: carte-{c}",
                "    type: text",
                f"    prompt: Qui est la personne numéro {c} du paquet {d} ?",
                f"    answer: Personne {d}-{c}",
                "    kind: person",
            ]
        path = folder / f"echelle-{d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_history(
    path: Path, answers: int, seed: int = 14, cards_per_deck: int = CARDS, away_days: int = 0
) -> None:
    """A progress export of ``answers`` answers over every card of :func:`write_decks`'s
    decks, all cards in review; ``away_days``: the learner stopped that many days ago
    (the whole history moved back), leaving a backlog of cards overdue."""
    luck = random.Random(seed)
    now_ms = int(NOW.timestamp() * 1000) - away_days * DAY_MS
    start_ms = now_ms - YEARS * 365 * DAY_MS
    per_card = max(1, answers // (DECKS * cards_per_deck))
    cards, reviews = [], []
    serial = 0
    for d in range(DECKS):
        for c in range(cards_per_deck):
            # The last answer set by the card's stability, so that about 4 % of the
            # cards are due whatever the length of the history (a growth check compares
            # histories, not backlogs); the others spread over the years before it.
            stability = luck.uniform(5, 200)
            last = now_ms - int(luck.uniform(0.3, 1.02) * stability * DAY_MS)
            times = sorted(luck.randrange(start_ms, last) for _ in range(per_card - 1))
            times.append(last)
            first_right: int | None = None
            for at in times:
                serial += 1
                rating = 1 if luck.random() < 0.1 else 3
                if rating == 3 and first_right is None:
                    first_right = at
                reviews.append(
                    [
                        f"{serial:032x}",
                        f"echelle-{d}",
                        f"carte-{c}",
                        at,
                        "typed",
                        f"Personne {d}-{c}",
                        "correct" if rating == 3 else "wrong",
                        rating,
                        luck.randrange(2_000, 15_000),
                        1,
                        None,
                    ]
                )
            due = last + int(stability * DAY_MS)
            memory = Card(
                card_id=d * cards_per_deck + c + 1,
                state=State.Review,
                step=None,
                stability=stability,
                difficulty=luck.uniform(2, 8),
                due=datetime.fromtimestamp(due / 1000, UTC),
                last_review=datetime.fromtimestamp(last / 1000, UTC),
            )
            state = [memory.to_json(), int(State.Review), due, stability, memory.difficulty]
            # Recalled: the first right typed answer (cards are then asked typed).
            counts = [last, per_card, luck.randrange(4), times[0], None, 0, 0, None, first_right]
            cards.append([f"echelle-{d}", f"carte-{c}", *state, *counts])
    card_columns = [
        "deck_id", "card_id", "memory", "state", "due_ms", "stability", "difficulty",
        "last_review_ms", "reps", "lapses", "introduced_ms", "buried_until_ms", "suspended",
        "leech", "recognised_ms", "recalled_ms",
    ]  # fmt: skip
    review_columns = [
        "uid", "deck_id", "card_id", "reviewed_ms", "mode", "answer", "outcome", "rating",
        "duration_ms", "scheduled", "state_before",
    ]  # fmt: skip
    exam_columns = [
        "uid", "taken_ms", "decks", "tags", "score", "max_score", "duration_ms", "results"
    ]  # fmt: skip
    document = {
        "format": "maliquiz-progress",
        "version": 1,
        "user": "veteran",
        "exported_at": NOW.isoformat(),
        "cards": {"columns": card_columns, "rows": cards},
        "reviews": {"columns": review_columns, "rows": reviews},
        "exams": {"columns": exam_columns, "rows": []},
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def imported_learner(
    folder: Path, *, cards: int, answers: int, away_days: int = 0
) -> tuple[list[Path], Path]:
    """:func:`write_decks` of ``cards`` cards each in ``folder/decks`` and a history of
    ``answers`` answers (see :func:`write_history`) brought in with ``maliquiz progress
    import`` into the data folder ``folder/data``: the decks' paths and that folder."""
    paths = write_decks(folder / "decks", cards=cards)
    history = folder / "history.json"
    write_history(history, answers, cards_per_deck=cards, away_days=away_days)
    data = folder / "data"
    subprocess.run(
        [sys.executable, "-m", "maliquiz", "progress", "import", str(history)],
        env=dict(os.environ, MALIQUIZ_DATA_DIR=str(data), MALIQUIZ_LANG="en"),
        check=True,
        capture_output=True,
    )
    return paths, data


def cli(env: dict[str, str], *args: str, stdin: str = "") -> float:
    """Seconds taken by one run of the real CLI."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "maliquiz", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"maliquiz {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return took


def best(env: dict[str, str], *args: str, stdin: str = "", repeat: int = 3) -> float:
    return min(cli(env, *args, stdin=stdin) for _ in range(repeat))


def rss_kib(env: dict[str, str], *args: str, stdin: str = "") -> int:
    """Peak resident memory of one run of the CLI, in KiB (the run reports its own)."""
    code = (
        "import resource, runpy, sys; sys.argv = ['maliquiz', *sys.argv[1:]];\n"
        "try:\n    runpy.run_module('maliquiz', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True, env=env
    )
    return int(done.stderr.strip().splitlines()[-1])


STATS_SCREEN = """
import asyncio, sys, time
from pathlib import Path
from maliquiz.core.deck.loader import load_deck
from maliquiz.ui.app import make_app
from maliquiz.ui.screens.stats import StatsScreen

async def main():
    decks = [load_deck(Path(p)) for p in sys.argv[3:]]
    app = make_app(Path(sys.argv[1]), sys.argv[2], "en", decks=decks)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        best = None
        for _ in range(3):
            started = time.perf_counter()
            await pilot.press("t")
            await pilot.pause()
            took = time.perf_counter() - started
            assert isinstance(app.screen, StatsScreen)
            best = took if best is None else min(best, took)
            await pilot.press("escape")
            await pilot.pause()
    print(best)

asyncio.run(main())
"""


def stats_screen(env: dict[str, str], user: str, decks: list[str]) -> float:
    """Seconds from T on the home screen to the Stats screen drawn with its figures (the
    app run headless in a subprocess, best of 3)."""
    done = subprocess.run(
        [sys.executable, "-c", STATS_SCREEN, env["MALIQUIZ_DATA_DIR"], user, *decks],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"the Stats screen run failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def measure(answers: int, folder: Path) -> dict[str, float]:
    decks = write_decks(folder / "decks")
    data = folder / "data"
    env = dict(os.environ, MALIQUIZ_DATA_DIR=str(data), MALIQUIZ_LANG="en")
    history = folder / "history.json"
    write_history(history, answers)
    started = time.perf_counter()
    cli(env, "progress", "import", str(history))
    print(f"  history of {answers:,} answers imported in {time.perf_counter() - started:.1f} s")
    paths = [str(p) for p in decks]
    old = dict(env, MALIQUIZ_USER="veteran")
    new = dict(env, MALIQUIZ_USER="newcomer")
    figures: dict[str, float] = {}
    study = ("study", "--plain", *paths)
    figures["study --plain, first card then :q"] = best(old, *study, stdin=":q\n") / best(
        new, *study, stdin=":q\n"
    )
    stats = ("stats", "--json", *paths)
    figures["stats --json"] = best(old, *stats) / best(new, *stats)
    figures["peak memory of study"] = rss_kib(old, *study, stdin=":q\n") / rss_kib(
        new, *study, stdin=":q\n"
    )
    figures["Stats screen (TUI), seconds"] = stats_screen(old, "veteran", paths)
    figures["Stats screen (TUI)"] = figures["Stats screen (TUI), seconds"] / stats_screen(
        new, "newcomer", paths
    )
    size = (data / "progress.sqlite3").stat().st_size
    figures["bytes per recorded answer"] = size / answers
    return figures


TARGETS = {
    "study --plain, first card then :q": "<= 1.3x a new learner",
    "stats --json": "<= 1.3x a new learner",
    "peak memory of study": "<= 1.2x a new learner",
    "bytes per recorded answer": "<= 110 bytes",
    "Stats screen (TUI), seconds": "<= 0.3 s",
    "Stats screen (TUI)": "(a new learner, for scale)",
}


LIMITS = {
    "study --plain, first card then :q": 1.3,
    "stats --json": 1.3,
    "peak memory of study": 1.2,
    "bytes per recorded answer": 110,
    "Stats screen (TUI), seconds": 0.3,
}


def _verdict(name: str, value: float, answers: int) -> str:
    """`  ok` or `  OVER` beside a figure that has a target."""
    if name not in LIMITS:
        return ""
    if name.startswith("bytes") and answers < 1_000_000:
        # The card rows weigh on a small file: the target is for a long history.
        return "  (target set for 1,000,000 answers)"
    return "  ok" if value <= LIMITS[name] else "  OVER"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--growth", action="store_true", help="also at a tenth of the history")
    args = parser.parse_args()
    sizes = [args.answers // 10, args.answers] if args.growth else [args.answers]
    results = {}
    for answers in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            results[answers] = measure(answers, Path(tmp))
    for answers in sizes:
        print(f"\nat {answers:,} answers")
        print(f"{'figure':40} {'value':>12}  target")
        for name, value in results[answers].items():
            shown = (
                f"{value:,.0f}"
                if name.startswith("bytes")
                else f"{value:.3f} s"
                if name.endswith("seconds")
                else f"{value:.2f}x"
            )
            print(f"{name:40} {shown:>12}  {TARGETS[name]}{_verdict(name, value, answers)}")
    if args.growth:
        small, big = results[sizes[0]], results[sizes[-1]]
        print(f"\ngrowth for ten times more history ({sizes[0]:,} -> {sizes[1]:,}); target <= 1.2")
        for name in big:
            if not name.startswith("bytes") and not name.endswith("seconds"):
                growth = big[name] / small[name]
                print(f"{name:40} {growth:>11.2f}x  {'ok' if growth <= 1.2 else 'OVER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
