"""A learner simulated with FSRS itself, for the optimizer's tests.

Their memory follows FSRS-6 with weights we choose (``parameters``): each answer is
recalled with probability py-fsrs's retrievability of the card under those weights, a
draw from a seeded generator. The learner studies with maliquiz's own scheduler at its
default weights, as a learner who never ran ``maliquiz optimize`` would: each day one
session at a random hour brings new cards, their same-day learning steps and the reviews
due. A fit on such a history should find weights that predict it better than the
defaults do, and the weights it was made with predict it best of all.
"""

from __future__ import annotations

import heapq
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from fsrs import Card
from fsrs import Scheduler as FsrsScheduler

from maliquiz.core.learning.clock import to_ms
from maliquiz.core.learning.scheduling import CardState, Rating, Scheduler
from maliquiz.core.progress.connection import CARD_COLUMNS, EXAM_COLUMNS, REVIEW_COLUMNS

TRUE_PARAMETERS = (
    0.05, 0.2, 0.5, 2.0, 5.5, 0.55, 2.2, 0.02, 0.8, 0.2, 1.1,
    1.7, 0.09, 0.35, 1.9, 0.45, 2.2, 0.6, 0.15, 0.1, 0.6,
)  # fmt: skip
"""A learner who forgets faster than the defaults expect: first stabilities a quarter of
theirs (0.5 day after a first Good, not 2.3), stability growing less with each recall
(``w8`` 0.8, not 1.87) and a steeper forgetting curve (decay 0.6, not 0.1542)."""

START = datetime(2025, 1, 6, 16, 0, tzinfo=UTC)
DECK = "simulated"  # no such deck is installed: its answers count all the same


class SimulatedAnswer(NamedTuple):
    """One answer, with the fields the optimizer reads from the store's records."""

    deck_id: str
    card_id: str
    reviewed_at: datetime
    rating: Rating
    scheduled: bool


def simulate(
    days: int,
    new_per_day: int,
    *,
    parameters: tuple[float, ...] = TRUE_PARAMETERS,
    seed: int = 17,
    practice_per_day: int = 0,
) -> list[SimulatedAnswer]:
    """``days`` days of study, oldest answer first. ``practice_per_day`` adds that many
    practice-ahead answers a day, all wrong, which leave the schedule alone (and must
    be left out of a fit: counted, they would make recall look far worse than it is)."""
    luck = random.Random(seed)
    app = Scheduler()
    memory_model = FsrsScheduler(parameters=parameters, enable_fuzzing=False)
    states: dict[str, CardState] = {}
    memories: dict[str, Card] = {}
    due: list[tuple[datetime, str]] = []
    answers: list[SimulatedAnswer] = []
    for day in range(days):
        now = START + timedelta(days=day, minutes=luck.randrange(0, 300))
        for _ in range(new_per_day):
            card_id = f"card-{len(states)}"
            states[card_id] = CardState.new(DECK, card_id, now)
            memories[card_id] = Card(card_id=len(states))
            heapq.heappush(due, (now, card_id))
        end = now + timedelta(hours=1)  # later learning steps wait for tomorrow
        while due and due[0][0] <= max(now, end):
            when, card_id = heapq.heappop(due)
            now = max(now, when)
            memory = memories[card_id]
            if memory.last_review is None:
                rating = Rating.Good if luck.random() < 0.75 else Rating.Again
            elif luck.random() < memory_model.get_card_retrievability(memory, now):
                draw = luck.random()
                rating = Rating.Hard if draw < 0.08 else Rating.Easy if draw > 0.95 else Rating.Good
            else:
                rating = Rating.Again
            states[card_id], _ = app.review(states[card_id], rating, now)
            memories[card_id], _ = memory_model.review_card(memory, rating, now)
            heapq.heappush(due, (states[card_id].due, card_id))
            answers.append(SimulatedAnswer(DECK, card_id, now, rating, True))
            now += timedelta(seconds=luck.randrange(4, 40))
        for _ in range(min(practice_per_day, len(states))):
            card_id = luck.choice(sorted(states))
            answers.append(SimulatedAnswer(DECK, card_id, now, Rating.Again, False))
            now += timedelta(seconds=5)
    return answers


def write_export(path: Path, user: str, answers: list[SimulatedAnswer]) -> Path:
    """``answers`` as a progress export of ``user`` (answers only), for
    ``maliquiz progress import`` or :meth:`Store.import_user`."""
    rows = [
        [
            f"{n:032x}",
            a.deck_id,
            a.card_id,
            to_ms(a.reviewed_at),
            "typed",
            None,
            "wrong" if a.rating == Rating.Again else "correct",
            int(a.rating),
            5000,
            int(a.scheduled),
            None,
        ]
        for n, a in enumerate(answers)
    ]
    document = {
        "format": "maliquiz-progress",
        "version": 1,
        "user": user,
        "exported_at": START.isoformat(),
        "cards": {"columns": list(CARD_COLUMNS), "rows": []},
        "reviews": {"columns": list(REVIEW_COLUMNS), "rows": rows},
        "exams": {"columns": list(EXAM_COLUMNS), "rows": []},
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
