"""Spaced repetition: when each card comes back, computed by FSRS-6 (py-fsrs).

The rest of maliquiz never touches py-fsrs directly; it speaks in these terms:

* an :class:`Outcome` of an answer (what the checker decided) becomes a
  :class:`~fsrs.Rating` through :func:`rating_for`: wrong → Again, typo / partial /
  slow → Hard, correct → Good. Flashcards are rated by the learner, 1–4
  (:func:`self_rating`). A wrong answer is never Hard: FSRS reads Hard as "recalled
  with effort", and rating a forgotten card Hard corrupts its memory estimate.
* a :class:`CardState` is FSRS's memory of one card plus the counts FSRS does not keep
  (reviews, lapses);
* a :class:`Scheduler` built from :class:`SchedulingSettings` answers "what would each
  button do?" (:meth:`Scheduler.preview`) and "the learner answered: what now?"
  (:meth:`Scheduler.review`).

Fuzz (the small random spread of long intervals that keeps cards learnt together from
always coming back together) is ours, not py-fsrs's: py-fsrs draws from the global
``random`` module, so its fuzz could not be reproduced in tests and a preview would
not match the review that follows it. Ours is drawn from a generator seeded by the
card and its review count, like Anki's: the interval a button shows is the interval
that button gives.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from fsrs import Card, Rating, ReviewLog, State
from fsrs import Scheduler as FsrsScheduler

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import as_utc, to_ms

__all__ = [
    "DEFAULT_PARAMETERS",
    "CardState",
    "Rating",
    "Scheduler",
    "SchedulingSettings",
    "State",
    "card_number",
    "rating_for",
    "self_rating",
]


def rating_for(outcome: Outcome, *, slow: bool = False) -> Rating:
    """The FSRS rating of an automatically graded answer.

    ``slow`` marks a correct answer that took longer than
    :attr:`SchedulingSettings.slow_answer` (see :meth:`Scheduler.is_slow`): recalled,
    but with effort, which is what Hard means.
    """
    if outcome in (Outcome.WRONG, Outcome.SKIPPED):
        return Rating.Again  # never Hard: see the module docstring
    if outcome in (Outcome.TYPO, Outcome.PARTIAL) or slow:
        return Rating.Hard
    return Rating.Good


def self_rating(value: int) -> Rating:
    """The rating a learner gives a flashcard: 1 Again, 2 Hard, 3 Good, 4 Easy."""
    if isinstance(value, bool) or value not in (1, 2, 3, 4):
        raise ValueError(f"a flashcard rating is 1, 2, 3 or 4, not {value!r}")
    return Rating(value)


def card_number(deck_id: str, card_id: str) -> int:
    """A stable positive 63-bit integer for a card, for py-fsrs's ``card_id``.

    Derived from the card's identity rather than a database row id, so it is the same
    for every user, after an export and import, and before the card has any row; and
    py-fsrs never has to invent one (it sleeps 1 ms to do so).
    """
    digest = hashlib.blake2b(f"{deck_id}\x1f{card_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1 or 1


@dataclass(frozen=True)
class CardState:
    """Everything the scheduler knows about one card for one learner.

    ``memory`` is py-fsrs's card (state, step, stability, difficulty, due, last review);
    it is never mutated, py-fsrs returns new cards. ``reps`` counts the answers that
    changed the schedule and ``lapses`` the times a card in review was forgotten.
    """

    memory: Card
    reps: int = 0
    lapses: int = 0

    @classmethod
    def new(cls, deck_id: str, card_id: str, now: datetime) -> CardState:
        """The state of a card never answered: due ``now``."""
        memory = Card(card_id=card_number(deck_id, card_id), due=as_utc(now))
        return cls(memory=memory)

    @property
    def is_new(self) -> bool:
        """True until the card's first answer."""
        return self.memory.last_review is None

    @property
    def due(self) -> datetime:
        """When the card should next be asked (UTC)."""
        return self.memory.due

    @property
    def state(self) -> State:
        """Learning, Review or Relearning (a new card is Learning, step 0)."""
        return self.memory.state

    @property
    def stability(self) -> float | None:
        """Days after which recall probability falls to 90 %; None while new."""
        return self.memory.stability

    @property
    def difficulty(self) -> float | None:
        """FSRS difficulty, 1 (easy) to 10 (hard); None while new."""
        return self.memory.difficulty

    @property
    def last_review(self) -> datetime | None:
        """When the card was last answered (UTC), or None."""
        return self.memory.last_review

    def to_json(self) -> str:
        """The py-fsrs card as JSON (py-fsrs round-trips it exactly)."""
        return self.memory.to_json()

    @classmethod
    def from_json(cls, text: str, *, reps: int, lapses: int) -> CardState:
        """Rebuild a state from :meth:`to_json` and the two counts."""
        return cls(memory=Card.from_json(text), reps=reps, lapses=lapses)


def _default_learning_steps() -> tuple[timedelta, ...]:
    return (timedelta(minutes=1), timedelta(minutes=10))


def _default_relearning_steps() -> tuple[timedelta, ...]:
    return (timedelta(minutes=10),)


@dataclass(frozen=True)
class SchedulingSettings:
    """How the scheduler spaces reviews. The defaults are py-fsrs's and Anki's."""

    desired_retention: float = 0.90
    """Target probability of recalling a card when it comes due (0.7–0.97 is sane)."""
    learning_steps: tuple[timedelta, ...] = field(default_factory=_default_learning_steps)
    """Same-day steps a new card climbs before its first interval in days."""
    relearning_steps: tuple[timedelta, ...] = field(default_factory=_default_relearning_steps)
    """Same-day steps of a forgotten card before it goes back to day intervals."""
    maximum_interval: int = 36500
    """Longest interval, in days."""
    fuzz: bool = True
    """Spread intervals of three days or more a little (reproducibly, see module doc)."""
    fuzz_seed: int = 0
    """Mixed into each card's fuzz: two installs with other seeds spread differently."""
    slow_answer: timedelta = timedelta(seconds=20)
    """A correct answer slower than this is rated Hard."""
    leech_lapses: int = 8
    """Lapses after which a card is flagged as a leech (a card that will not stick)."""
    parameters: tuple[float, ...] | None = None
    """FSRS-6's 21 weights (fitted to a learner by ``maliquiz optimize``); None: py-fsrs's
    defaults. py-fsrs checks each against its bounds."""

    def __post_init__(self) -> None:
        if not 0.0 < self.desired_retention < 1.0:
            raise ValueError(f"desired retention must be between 0 and 1: {self.desired_retention}")
        if self.maximum_interval < 1:
            raise ValueError(f"maximum interval must be at least 1 day: {self.maximum_interval}")
        if any(step <= timedelta() for step in (*self.learning_steps, *self.relearning_steps)):
            raise ValueError("learning and relearning steps must be positive")
        if self.leech_lapses < 1:
            raise ValueError(f"leech lapses must be at least 1: {self.leech_lapses}")


_DAY = timedelta(days=1)

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(FsrsScheduler().parameters)
"""py-fsrs's FSRS-6 default weights, fitted on many Anki users' reviews."""

# Fuzz spread, in days either side of the interval: 1 day, plus 15 % of the part of the
# interval between 2.5 and 7 days, 10 % of the part between 7 and 20, 5 % beyond. These
# are the bands Anki and py-fsrs use, so intervals spread as learners expect.
_FUZZ_BANDS = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, float("inf"), 0.05))


class Scheduler:
    """FSRS-6 with maliquiz's settings; stateless apart from them, so one instance can
    serve every user and thread."""

    def __init__(self, settings: SchedulingSettings | None = None) -> None:
        self.settings = settings or SchedulingSettings()
        # py-fsrs's own fuzz is always off: it uses the global random module.
        self._fsrs = FsrsScheduler(
            parameters=self.settings.parameters or DEFAULT_PARAMETERS,
            desired_retention=self.settings.desired_retention,
            learning_steps=self.settings.learning_steps,
            relearning_steps=self.settings.relearning_steps,
            maximum_interval=self.settings.maximum_interval,
            enable_fuzzing=False,
        )
        # The forgetting curve's shape, from FSRS-6's last parameter.
        self._decay = -self._fsrs.parameters[20]
        self._factor = 0.9 ** (1 / self._decay) - 1

    @property
    def parameters(self) -> tuple[float, ...]:
        """The 21 FSRS-6 weights this scheduler predicts and schedules with."""
        return tuple(self._fsrs.parameters)

    def review(
        self,
        state: CardState,
        rating: Rating,
        now: datetime,
        duration: timedelta | None = None,
    ) -> tuple[CardState, ReviewLog]:
        """The card's state after an answer rated ``rating`` at ``now``, and py-fsrs's
        log of it. ``state`` is not changed."""
        now = as_utc(now)
        duration_ms = (
            None if duration is None else max(0, round(duration / timedelta(milliseconds=1)))
        )
        memory, log = self._fsrs.review_card(state.memory, rating, now, duration_ms)
        if self.settings.fuzz and memory.state == State.Review:
            memory.due = now + self._fuzzed(memory.due - now, state)
        lapsed = state.state == State.Review and rating == Rating.Again
        return (
            replace(state, memory=memory, reps=state.reps + 1, lapses=state.lapses + lapsed),
            log,
        )

    def preview(self, state: CardState, now: datetime) -> dict[Rating, timedelta]:
        """The interval each of the four buttons would give at ``now`` (what Anki prints
        on its buttons). Equal to what :meth:`review` then does at the same instant."""
        now = as_utc(now)
        return {rating: self.review(state, rating, now)[0].due - now for rating in Rating}

    def retrievability(self, state: CardState, now: datetime) -> float:
        """Predicted probability of recalling the card at ``now``: 0 for a new card.
        FSRS counts whole days, so it stays 1.0 for the first 24 hours."""
        return float(self._fsrs.get_card_retrievability(state.memory, as_utc(now)))

    def retrievability_of(
        self, stability: float | None, last_review: datetime | None, now: datetime
    ) -> float:
        """:meth:`retrievability` from the two numbers the store keeps in columns, so the
        queue can rank thousands of cards without rebuilding their states."""
        if stability is None or last_review is None:
            return 0.0
        return self.retrievability_from_ms(stability, to_ms(last_review), to_ms(as_utc(now)))

    def retrievability_from_ms(self, stability: float, last_review_ms: int, now_ms: int) -> float:
        """FSRS's forgetting curve on raw store columns (epoch milliseconds): the same
        value as py-fsrs's ``get_card_retrievability``, a test keeps them equal."""
        elapsed_days = max(0, (now_ms - last_review_ms) // 86_400_000)  # whole days, as FSRS
        return float((1 + self._factor * elapsed_days / stability) ** self._decay)

    def is_slow(self, duration: timedelta) -> bool:
        """True when a correct answer took long enough to count as Hard."""
        return duration > self.settings.slow_answer

    def is_leech(self, state: CardState) -> bool:
        """True once the card has lapsed ``leech_lapses`` times."""
        return state.lapses >= self.settings.leech_lapses

    def _fuzzed(self, interval: timedelta, before: CardState) -> timedelta:
        """``interval`` spread by a draw that depends only on the card, its review count
        and the fuzz seed, never on the global random module."""
        days = interval.days
        if days < 3:  # a spread of ±1 day would be a large share of such short intervals
            return interval
        spread = 1.0 + sum(
            factor * max(min(float(days), end) - start, 0.0) for start, end, factor in _FUZZ_BANDS
        )
        low = max(2, round(days - spread))
        high = min(round(days + spread), self.settings.maximum_interval)
        low = min(low, high)
        seed = f"{self.settings.fuzz_seed}:{before.memory.card_id}:{before.reps}"
        draw = random.Random(seed).randint(low, high)
        return timedelta(days=min(draw, self.settings.maximum_interval))
