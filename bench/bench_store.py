"""Progress store speed (issue 4).

Two figures, each on an empty store and on a store holding one learner with 100,000
card states (100 decks of 1,000 cards, plus 50 unseen cards per deck) and 1,000,000
review-log rows, generated with ``executemany`` in a temporary folder:

- building today's queue: for all 100 decks (105,000 cards selected) and for one deck.
  Target: ≤ 100 ms with the big store.
- recording an answer: scheduling it and committing it (``synchronous=FULL``, so one
  fsync each), median of many.

The ratio big / empty shows what the size of the collection costs.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from common import write_progress
from maliquiz.core.answers.checking import check_answer
from maliquiz.core.deck.models import TextCard
from maliquiz.core.learning.clock import ManualClock, StudyCalendar, to_ms
from maliquiz.core.learning.queue import build_queue
from maliquiz.core.learning.scheduling import CardState, Rating, State, rating_for
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

DECKS = 100
SEEN_PER_DECK = 1_000
UNSEEN_PER_DECK = 50
REVIEWS = 1_000_000
NOW = datetime(2025, 3, 1, 9, tzinfo=UTC)
DAY_MS = 86_400_000


def selection() -> list[tuple[str, str]]:
    return [
        (f"deck-{d:03d}", f"card-{c:05d}")
        for d in range(DECKS)
        for c in range(SEEN_PER_DECK + UNSEEN_PER_DECK)
    ]


def open_store(folder: Path, clock: ManualClock) -> Store:
    return Store.open(progress_path(folder), clock=clock, calendar=StudyCalendar(tz=UTC))


def fill(path: Path, user_id: int) -> None:
    """100,000 card states and 1,000,000 reviews, straight into the tables."""
    luck = random.Random(4)
    now_ms = to_ms(NOW)
    memory = CardState.new("deck", "card", NOW).to_json()
    states = []
    for d in range(DECKS):
        for c in range(SEEN_PER_DECK):
            stability = luck.uniform(1, 120)
            last = now_ms - int(luck.uniform(0, stability) * DAY_MS)
            learning = luck.random() < 0.01
            states.append(
                (
                    user_id,
                    f"deck-{d:03d}",
                    f"card-{c:05d}",
                    memory,
                    int(State.Learning if learning else State.Review),
                    # Due from 5 days ago to 90 days ahead: about 6 % due today.
                    now_ms + int(luck.uniform(-5, 90) * DAY_MS),
                    stability,
                    luck.uniform(1, 10),
                    last,
                    10,
                    luck.randrange(3),
                    now_ms - 200 * DAY_MS,
                )
            )
    reviews = (
        (
            f"{i:032x}",
            user_id,
            f"deck-{i % DECKS:03d}",
            f"card-{(i // DECKS) % SEEN_PER_DECK:05d}",
            to_ms(NOW) - (REVIEWS - i) * 60_000,
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


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(store: Store, clock: ManualClock, cards: list[tuple[str, str]]) -> dict[str, float]:
    one_deck = [key for key in cards if key[0] == "deck-000"]
    figures = {
        "queue, 100 decks": median_ms(lambda: build_queue(store, "awa", cards), 15),
        "queue, 1 deck": median_ms(lambda: build_queue(store, "awa", one_deck), 50),
    }
    targets = iter(build_queue(store, "awa", cards).items * 2)

    def record() -> None:
        item = next(targets)
        clock.advance(seconds=7)
        store.record_answer(
            "awa", item.deck_id, item.card_id, rating=Rating.Good, outcome="correct", mode="typed"
        )

    figures["record an answer (schedule + commit)"] = median_ms(record, 300)

    # The whole answer path: check a typed French name, rate, schedule, commit.
    card = TextCard(id="c", type="text", prompt="?", answer="Assimi Goïta", accept=["Goïta"])

    def check_and_record() -> None:
        item = next(targets)
        clock.advance(seconds=7)
        verdict = check_answer(card, "assimi goita", others=("Abdoulaye Diop", "Matthew Miller"))
        store.record_answer(
            "awa",
            item.deck_id,
            item.card_id,
            rating=rating_for(verdict.outcome),
            outcome=verdict.outcome,
            mode="typed",
            answer="assimi goita",
        )

    figures["answer: check + schedule + commit"] = median_ms(check_and_record, 300)
    return figures


def main() -> None:
    started = time.perf_counter()
    cards = selection()
    with tempfile.TemporaryDirectory() as tmp:
        empty_clock = ManualClock(NOW)
        with open_store(Path(tmp) / "empty", empty_clock) as store:
            store.ensure_user("awa")
            empty = measure(store, empty_clock, cards)

        big_clock = ManualClock(NOW)
        folder = Path(tmp) / "big"
        with open_store(folder, big_clock) as store:
            user_id = store.ensure_user("awa").id
        fill_start = time.perf_counter()
        fill(progress_path(folder), user_id)
        fill_time = time.perf_counter() - fill_start
        with open_store(folder, big_clock) as store:
            big = measure(store, big_clock, cards)
            queue = build_queue(store, "awa", cards)
        size = progress_path(folder).stat().st_size / 1e6

    print(
        f"\nProgress store: empty vs {DECKS * SEEN_PER_DECK:,} card states + {REVIEWS:,} reviews "
        f"({size:.0f} MB, generated in {fill_time:.1f} s; the big queue holds "
        f"{len(queue):,} cards)"
    )
    print(f"{'figure (median)':<40} {'empty':>10} {'big':>10} {'ratio':>7} {'target':>9}")
    for name, value in big.items():
        limit = 100 if name.startswith("queue") else 5 if name.startswith("answer") else None
        target = f"≤{limit} ms" if limit else ""
        flag = " OVER" if limit and value > limit else ""
        print(
            f"{name:<40} {empty[name]:>8.2f}ms {value:>8.2f}ms {value / empty[name]:>7.2f} "
            f"{target:>9}{flag}"
        )
    print(f"total bench time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
