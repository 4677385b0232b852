"""FSRS-6 fitted to one learner's own answers (``maliquiz optimize``).

The fit itself is fsrs-rs's (the ``fsrs-rs-python`` package, imported only here and only
when a fit runs): it takes each card's history as ``FSRSItem``s of (rating, days since
the previous answer) and returns the 21 weights py-fsrs's ``Scheduler(parameters=...)``
takes. What is ours is what the fit is given and how it is judged:

* **The answers.** Every scheduled answer of the learner counts, of any deck, installed
  or not; practice-ahead answers (``scheduled`` false) left the schedule alone and are
  left out. A card's answers, oldest first, make its history; ``delta_t`` is the number
  of whole days (24-hour periods) since the card's previous answer, as py-fsrs counts
  them when it schedules, so the weights are fitted to the days the scheduler will see.
  An answer with no previous answer has nothing to predict; an answer the same day as
  the previous one (``delta_t`` 0, learning steps) shapes the memory's state but is not
  predicted, as in fsrs-rs and the srs-benchmark.
* **The split.** The answers in time order: the first 80 % train, the last 20 % test.
  A predicted answer belongs to the side of its own instant; its history may reach back
  into the training part, as it would have for the scheduler then.
* **The scores**, on the test part only, for the weights in use before and for the
  fitted ones. Each answer's prediction is py-fsrs's retrievability of the card just
  before it, the card's earlier answers replayed with those weights, and the outcome is
  1 unless the answer was rated Again.

  - *log loss*: ``-mean(y·ln p + (1-y)·ln(1-p))``, ``p`` clipped to
    ``[ε, 1-ε]`` with ε the float epsilon (as scikit-learn, which the benchmark uses).
  - *RMSE(bins)*, as the srs-benchmark defines it: each answer goes to a bin by three
    numbers, each on a geometric scale: ``delta_t`` (bin ``⌊ln t / ln 3.62⌋``), ``i``,
    the answer's place among the card's answers counting from 1 (``⌊ln i / ln 1.89⌋``),
    and the card's lapses before it, answers rated Again at least a day after the
    previous one (``⌊ln l / ln 1.73⌋``, or its own bin for none). Then
    ``sqrt(Σ_b n_b·(ȳ_b - p̄_b)² / Σ_b n_b)`` over the bins ``b``, with ``n_b`` answers,
    mean outcome ``ȳ_b`` and mean prediction ``p̄_b``. (The benchmark labels its bins
    ``round(2.48·3.62^k, 2)`` and so on; the labels differ, the bins are the same.)

  fsrs-rs's own ``evaluate`` weights answers by recency, so its log loss is not this one.
* **The verdict.** The fitted weights are kept when their log loss on the test part is
  lower than that of the weights in use: log loss is what the fit minimises and what the
  benchmark ranks by; RMSE(bins), on a few thousand answers spread over many bins, is
  noisier, and is reported beside it. What is kept is exactly what was scored: the
  weights fitted on the training part, rounded to 4 decimals (the bounds py-fsrs checks
  have at most 3, so rounding never crosses one).

Below :data:`MIN_ANSWERS` scheduled answers or :data:`MIN_DAYS` days between the first
and the last, nothing is fitted: a fit on so little says more about the days sampled
than about the learner.
"""

from __future__ import annotations

import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from fsrs import Card, Rating
from fsrs import Scheduler as FsrsScheduler

from maliquiz.core.learning.records import SchedulerFit

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

MIN_ANSWERS: Final = 1000
"""Scheduled answers needed before a fit is tried."""
MIN_DAYS: Final = 14
"""Days of history (first to last scheduled answer) needed before a fit is tried."""
TEST_SHARE: Final = 0.2
"""The latest share of the answers kept out of the fit to judge it."""
DECIMALS: Final = 4
"""Fitted weights are rounded to this many decimals."""

_EPSILON: Final = sys.float_info.epsilon
_BIN_BASES: Final = (math.log(3.62), math.log(1.89), math.log(1.73))


class LoggedAnswer(Protocol):
    """What the fit reads of an answer (the store's review records have it)."""

    @property
    def deck_id(self) -> str: ...
    @property
    def card_id(self) -> str: ...
    @property
    def reviewed_at(self) -> datetime: ...
    @property
    def rating(self) -> Rating: ...
    @property
    def scheduled(self) -> bool: ...


class Step(NamedTuple):
    """One answer in a card's history."""

    at: datetime
    rating: int


class Prediction(NamedTuple):
    """One tested answer: the predicted chance of recall and what happened."""

    p: float
    recalled: bool
    delta_t: int
    i: int
    lapses: int


class Scores(NamedTuple):
    """How well some weights predicted the test answers (lower is better for both)."""

    log_loss: float
    rmse_bins: float


class FitOutcome(StrEnum):
    """How a run of the optimizer ended."""

    KEPT = "kept"
    """The fit predicted the test answers better: its weights are the learner's now."""
    NOT_BETTER = "not_better"
    """The fit did not lower the log loss: the weights in use stay."""
    TOO_FEW_ANSWERS = "too_few_answers"
    TOO_SHORT = "too_short"
    NOTHING_TO_TEST = "nothing_to_test"
    """No answer of the test part was given a day or more after the card's previous one."""
    FIT_FAILED = "fit_failed"
    """fsrs-rs refused the data, or returned weights py-fsrs does not take."""


class FitReport(NamedTuple):
    """What :func:`optimize` did, with the figures to show."""

    outcome: FitOutcome
    answers: int
    """Scheduled answers read."""
    days: float
    """Days from the first to the last of them."""
    current: tuple[float, ...]
    """The weights in use."""
    seconds: float
    train_items: int = 0
    """Answers the fit learnt to predict."""
    test_answers: int = 0
    """Answers the scores are computed on."""
    fitted: tuple[float, ...] | None = None
    before: Scores | None = None
    """The scores of the weights in use."""
    after: Scores | None = None
    """The scores of the fitted weights."""
    detail: str = ""
    """fsrs-rs's or py-fsrs's words when the fit failed."""

    @property
    def kept(self) -> bool:
        """True when the fitted weights replace the ones in use."""
        return self.outcome is FitOutcome.KEPT

    def fit_record(self, now: datetime) -> SchedulerFit:
        """The learner's new :class:`SchedulerFit`; only for a kept fit."""
        if not self.kept or self.fitted is None or self.before is None or self.after is None:
            raise ValueError("only a kept fit is recorded")
        return SchedulerFit(
            parameters=self.fitted,
            fitted_at=now.astimezone(UTC),
            answers=self.answers,
            log_loss_before=self.before.log_loss,
            log_loss_after=self.after.log_loss,
            rmse_bins_before=self.before.rmse_bins,
            rmse_bins_after=self.after.rmse_bins,
        )


Fitter = Callable[[Sequence["FSRSItem"]], Sequence[float]]
"""Weights from training items: fsrs-rs's by default; tests may force another."""


def histories(answers: Iterable[LoggedAnswer]) -> dict[Hashable, list[Step]]:
    """Each card's scheduled answers, oldest first (practice answers left out)."""
    by_card: dict[Hashable, list[Step]] = defaultdict(list)
    for answer in answers:
        if answer.scheduled:
            by_card[(answer.deck_id, answer.card_id)].append(
                Step(answer.reviewed_at, int(answer.rating))
            )
    for steps in by_card.values():
        steps.sort(key=lambda step: step.at)
    return dict(by_card)


def split_instant(cards: dict[Hashable, list[Step]]) -> datetime:
    """The instant from which answers are tested: that of the first answer after the
    earliest 80 %."""
    instants = sorted(step.at for steps in cards.values() for step in steps)
    return instants[min(len(instants) - 1, math.floor(len(instants) * (1 - TEST_SHARE)))]


def days_between(earlier: datetime, later: datetime) -> int:
    """Whole 24-hour periods from ``earlier`` to ``later``, as py-fsrs counts them."""
    return (later - earlier).days


def training_items(cards: dict[Hashable, list[Step]], before: datetime) -> list[FSRSItem]:
    """fsrs-rs's items: one per answer before ``before`` given a day or more after the
    card's previous one, holding the card's history up to and including it."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    items = []
    for steps in cards.values():
        reviews = []
        for n, step in enumerate(steps):
            delta_t = days_between(steps[n - 1].at, step.at) if n else 0
            reviews.append(FSRSReview(step.rating, delta_t))
            if step.at >= before:
                break
            if delta_t > 0:
                items.append(FSRSItem(list(reviews)))
    return items


def predictions(
    cards: dict[Hashable, list[Step]], parameters: Sequence[float], since: datetime
) -> list[Prediction]:
    """What ``parameters`` predicted of each answer from ``since`` on given a day or more
    after the card's previous answer: py-fsrs's retrievability, the card's history
    replayed with those weights.

    Learning steps change when a card is due, never how its memory moves (py-fsrs uses
    the same-day formula for any answer less than a day after the previous one), so the
    replay does without them.
    """
    scheduler = FsrsScheduler(
        parameters=tuple(parameters),
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )
    out = []
    for steps in cards.values():
        if steps[-1].at < since:
            continue  # nothing of this card to test
        card = Card(card_id=1)  # an id given: py-fsrs would sleep to invent one
        lapses = 0
        for n, step in enumerate(steps):
            delta_t = days_between(steps[n - 1].at, step.at) if n else 0
            if n and delta_t > 0 and step.at >= since:
                p = scheduler.get_card_retrievability(card, step.at)
                out.append(Prediction(p, step.rating > Rating.Again, delta_t, n + 1, lapses))
            if n and delta_t > 0 and step.rating == Rating.Again:
                lapses += 1
            card, _log = scheduler.review_card(card, Rating(step.rating), step.at)
    return out


def log_loss(tested: Sequence[Prediction]) -> float:
    """Mean negative log-likelihood of the outcomes (see the module's docstring)."""
    total = 0.0
    for p, recalled, *_rest in tested:
        p = min(max(p, _EPSILON), 1 - _EPSILON)
        total -= math.log(p if recalled else 1 - p)
    return total / len(tested)


def rmse_bins(tested: Sequence[Prediction]) -> float:
    """The srs-benchmark's RMSE(bins) (see the module's docstring)."""
    bins: dict[tuple[int, int, int], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for p, recalled, delta_t, i, lapses in tested:
        key = (
            math.floor(math.log(delta_t) / _BIN_BASES[0]),
            math.floor(math.log(i) / _BIN_BASES[1]),
            -1 if lapses == 0 else math.floor(math.log(lapses) / _BIN_BASES[2]),
        )
        totals = bins[key]
        totals[0] += 1
        totals[1] += recalled
        totals[2] += p
    squares = sum((y - p) ** 2 / n for n, y, p in bins.values())  # n·(y/n - p/n)²
    return math.sqrt(squares / len(tested))


def scores(tested: Sequence[Prediction]) -> Scores:
    """Both scores of a set of predictions."""
    return Scores(log_loss(tested), rmse_bins(tested))


def fsrs_rs_fit(items: Sequence[FSRSItem]) -> list[float]:
    """fsrs-rs's fit, from its defaults, with its default training settings (seeded, so
    the same history gives the same weights) and short-term memory on, since our
    learning steps are same-day answers."""
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

    return FSRS(DEFAULT_PARAMETERS).compute_parameters(items, enable_short_term=True)


def optimize(
    answers: Iterable[LoggedAnswer],
    current: Sequence[float],
    *,
    fitter: Fitter | None = None,
) -> FitReport:
    """Fit FSRS-6 to ``answers``, score the fit and the ``current`` weights on the
    latest answers, and say whether to keep the fit (the caller stores it)."""
    started = time.perf_counter()
    current = tuple(current)
    cards = histories(answers)
    count = sum(len(steps) for steps in cards.values())
    first = min((steps[0].at for steps in cards.values()), default=None)
    last = max((steps[-1].at for steps in cards.values()), default=None)
    days = 0.0 if first is None or last is None else (last - first) / timedelta(days=1)

    def report(outcome: FitOutcome) -> FitReport:
        return FitReport(outcome, count, days, current, time.perf_counter() - started)

    if count < MIN_ANSWERS:
        return report(FitOutcome.TOO_FEW_ANSWERS)
    if days < MIN_DAYS:
        return report(FitOutcome.TOO_SHORT)
    since = split_instant(cards)
    items = training_items(cards, since)
    tested_before = predictions(cards, current, since)
    if not tested_before:
        return report(FitOutcome.NOTHING_TO_TEST)._replace(train_items=len(items))
    before = scores(tested_before)
    try:
        raw = (fitter or fsrs_rs_fit)(items)
        fitted = tuple(round(float(w), DECIMALS) for w in raw)
        FsrsScheduler(parameters=fitted)  # py-fsrs's bounds
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # a Rust panic arrives as a BaseException
        return report(FitOutcome.FIT_FAILED)._replace(
            train_items=len(items),
            test_answers=len(tested_before),
            before=before,
            detail=str(error) or type(error).__name__,
        )
    after = scores(predictions(cards, fitted, since))
    return report(
        FitOutcome.KEPT if after.log_loss < before.log_loss else FitOutcome.NOT_BETTER
    )._replace(
        train_items=len(items),
        test_answers=len(tested_before),
        fitted=fitted,
        before=before,
        after=after,
    )
