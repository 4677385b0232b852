"""App speed (issue 5).

- Start-up to the home screen ready (the decks table filled), as a whole process, run
  headless, against a minimal Textual app (one label) started and stopped the same way
  in the same run. Target: ≤ 1.25×.
- Key to screen in a study session over a 10,000-card deck with a store of 1,000,000
  reviews: from the key that submits an answer to its feedback on screen (check,
  schedule, commit, draw), and from the key that asks for the next card to that card
  on screen. Median of many; target ≤ 50 ms. The same on an empty store, for scale.

    python bench/bench_ui.py
"""

from __future__ import annotations

import asyncio
import compileall
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

NOW = datetime(2025, 3, 1, 9, tzinfo=UTC)
CARDS = 10_000
REVIEWS = 1_000_000
DAY_MS = 86_400_000


# --- start-up ---------------------------------------------------------------------

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Label

class Minimal(App):
    def compose(self):
        yield Label("ready")

async def ready(pilot):
    await pilot.pause()
    pilot.app.exit()

Minimal().run(headless=True, auto_pilot=ready)
"""

MALIQUIZ_APP = """
import sys
from pathlib import Path
from maliquiz.ui.app import make_app

async def ready(pilot):
    await pilot.pause()
    assert pilot.app.screen.query_one("#decks").option_count > 0
    pilot.app.exit()

app = make_app(Path(sys.argv[1]), "bench", "en")
app.run(headless=True, auto_pilot=ready)
"""


def interleaved_times(commands: list[list[str]], repeat: int) -> list[list[float]]:
    """Wall times of whole processes, the commands taking turns ``repeat`` times so that
    a burst of load on the machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, spent in zip(commands, times, strict=True):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            spent.append(time.perf_counter() - start)
    return times


def startup(folder: Path, repeat: int = 15) -> tuple[list[float], list[float]]:
    """Start-up to ready of (maliquiz, minimal app), in seconds, ``repeat`` times each."""
    import maliquiz

    # An installed maliquiz has its bytecode compiled by pip; a source checkout run
    # with PYTHONDONTWRITEBYTECODE would compile every module on every start instead.
    compileall.compile_dir(Path(maliquiz.__file__).parent, quiet=1)
    data = folder / "startup"
    (data / "decks").mkdir(parents=True)
    shutil.copy(HERE.parent / "tests" / "data" / "every_type.yaml", data / "decks")
    # The progress file and the deck outlines exist already, as on every run but the
    # first.
    subprocess.run([sys.executable, "-c", MALIQUIZ_APP, str(data)], check=True)
    ours, base = interleaved_times(
        [[sys.executable, "-c", MALIQUIZ_APP, str(data)], [sys.executable, "-c", MINIMAL_APP]],
        repeat,
    )
    return ours, base


# --- key to screen ----------------------------------------------------------------


def fill_store(data: Path, deck_id: str) -> None:
    """A learner with a state for every card of the deck and 1,000,000 reviews."""
    from common import write_progress
    from maliquiz.core.learning.clock import ManualClock, to_ms
    from maliquiz.core.learning.scheduling import CardState, State
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.store import Store

    path = progress_path(data)
    with Store.open(path, clock=ManualClock(NOW)) as store:
        user_id = store.ensure_user("bench").id
    luck = random.Random(5)
    now_ms = to_ms(NOW)
    memory = CardState.new(deck_id, "card", NOW).to_json()
    states = []
    for c in range(CARDS):
        stability = luck.uniform(1, 120)
        states.append(
            (
                user_id,
                deck_id,
                f"card-{c}",
                memory,
                int(State.Review),
                now_ms + int(luck.uniform(-5, 90) * DAY_MS),
                stability,
                luck.uniform(1, 10),
                now_ms - int(luck.uniform(0, stability) * DAY_MS),
                10,
                luck.randrange(3),
                now_ms - 200 * DAY_MS,
            )
        )
    reviews = (
        (
            f"{i:032x}",
            user_id,
            deck_id,
            f"card-{i % CARDS}",
            now_ms - (REVIEWS - i) * 30_000,
            "typed",
            "réponse",
            "correct",
            3,
            4_000,
            '{"memory": "{}", "state": 2}',
        )
        for i in range(REVIEWS)
    )
    write_progress(path, user_id, states, reviews)


async def key_latency(data: Path, answers: int) -> tuple[list[float], list[float]]:
    """(answer key → feedback drawn, next key → next card drawn) times, in seconds."""
    from textual import events

    from maliquiz.core.learning.clock import ManualClock
    from maliquiz.core.learning.questions import Mode
    from maliquiz.core.learning.session import Phase
    from maliquiz.ui.app import make_app
    from maliquiz.ui.screens.study import StudyScreen

    drawn = asyncio.Event()
    original_question = StudyScreen.show_question
    original_feedback = StudyScreen.show_feedback

    async def show_question(self: StudyScreen) -> None:
        await original_question(self)
        self.call_after_refresh(drawn.set)

    async def show_feedback(self: StudyScreen, feedback: object) -> None:
        await original_feedback(self, feedback)  # type: ignore[arg-type]
        self.call_after_refresh(drawn.set)

    StudyScreen.show_question = show_question  # type: ignore[method-assign]
    StudyScreen.show_feedback = show_feedback  # type: ignore[method-assign]
    clock = ManualClock(NOW)
    app = make_app(data, "bench", "en", clock, start="study", rng_seed=3)
    to_feedback: list[float] = []
    to_next: list[float] = []

    async def press(key: str, char: str | None) -> float:
        drawn.clear()
        start = time.perf_counter()
        app.post_message(events.Key(key, char))
        await asyncio.wait_for(drawn.wait(), 10)
        return time.perf_counter() - start

    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for _ in range(answers):
                screen = app.screen
                assert isinstance(screen, StudyScreen), screen
                question = screen.session.question
                assert question is not None
                if question.mode == Mode.FLASHCARD:
                    await pilot.press("space")
                    to_feedback.append(await press("3", "3"))
                else:
                    to_feedback.append(await press("ctrl+r", None))
                assert screen.session.phase == Phase.ANSWERED
                clock.advance(timedelta(seconds=8))
                to_next.append(await press("enter", "\r"))
    finally:
        StudyScreen.show_question = original_question  # type: ignore[method-assign]
        StudyScreen.show_feedback = original_feedback  # type: ignore[method-assign]
        app.store.close()
    return to_feedback, to_next


def screen_reads(data: Path) -> tuple[float, float]:
    """(home screen counts, stats screen figures) over the deck of ``data``: the best
    of 5, in seconds, as the screens read them."""
    from common import best_of
    from maliquiz.core.deck.library import Library
    from maliquiz.core.learning.clock import ManualClock
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.stats import deck_overview, learner_stats
    from maliquiz.core.progress.store import Store

    outlines = Library.scan(data).outlines
    with Store.open(progress_path(data), clock=ManualClock(NOW)) as store:
        home = best_of(lambda: deck_overview(store, "bench", outlines), 5)
        stats = best_of(lambda: learner_stats(store, "bench", outlines), 3)
    return home, stats


def big_store(folder: Path, *, reviews: bool) -> Path:
    from gen import big_deck_yaml

    data = folder / ("big" if reviews else "empty")
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "bench.yaml").write_text(big_deck_yaml(CARDS), encoding="utf-8")
    if reviews:
        fill_store(data, "bench-deck")
    return data


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours, base = startup(folder)
        print("\nStart-up to the home screen ready (whole process, 15 runs each, taking turns)")
        best = min(ours) / min(base)
        typical = statistics.median(ours) / statistics.median(base)
        flag = "ok" if best <= 1.25 else "OVER"
        print(
            f"  maliquiz best {ms(min(ours))} median {ms(statistics.median(ours))}   "
            f"minimal Textual app best {ms(min(base))} median {ms(statistics.median(base))}"
        )
        print(
            f"  ratio of the best {best:.2f}, of the medians {typical:.2f} (target ≤ 1.25) {flag}"
        )

        print("\nKey to screen in a study session (10,000-card deck), median of 60")
        reads: dict[str, tuple[float, float]] = {}
        for label, reviews in (("empty store", False), ("1,000,000 reviews", True)):
            data = big_store(folder, reviews=reviews)
            reads[label] = screen_reads(data)
            answer, following = asyncio.run(key_latency(data, 60))
            for name, values in (("answer → feedback", answer), ("next → card", following)):
                median = statistics.median(values)
                flag = "ok" if median <= 0.050 else "OVER"
                print(
                    f"  {label:<18} {name:<18} median {ms(median)}   "
                    f"p90 {ms(sorted(values)[int(len(values) * 0.9)])}   "
                    f"(target ≤ 50 ms) {flag}"
                )

        print("\nWhat the home and stats screens read (10,000-card deck), best of 5 and 3")
        for label, (home, stats) in reads.items():
            print(f"  {label:<18} home screen counts {ms(home)}   stats screen {ms(stats)}")


if __name__ == "__main__":
    main()
