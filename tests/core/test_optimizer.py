"""FSRS-6 fitted to a learner's answers: on histories simulated with FSRS itself, whose
true weights we know (tests/simulated_learner.py)."""

from __future__ import annotations

import itertools
import math
from datetime import timedelta

import pytest
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from maliquiz.core.learning import optimizer
from maliquiz.core.learning.optimizer import FitOutcome, Prediction, optimize
from maliquiz.core.learning.scheduling import DEFAULT_PARAMETERS
from simulated_learner import TRUE_PARAMETERS, SimulatedAnswer, simulate

# 60 days of 15 new cards: about 6,500 answers, a fit in a tenth of a second.
DAYS, NEW = 60, 15


@pytest.fixture(scope="module")
def history() -> list[SimulatedAnswer]:
    """A learner whose memory follows TRUE_PARAMETERS, studying with the defaults, who
    also practised ahead a little every day (answers that must not count)."""
    return simulate(DAYS, NEW, practice_per_day=4)


def test_the_fit_predicts_held_out_answers_better_than_the_defaults(
    history: list[SimulatedAnswer],
) -> None:
    report = optimize(history, DEFAULT_PARAMETERS)
    assert report.outcome is FitOutcome.KEPT and report.kept
    assert report.before is not None and report.after is not None and report.fitted
    # Better on both scores of the ~750 answers it never saw, by clear margins.
    assert report.test_answers > 500
    assert report.after.log_loss < report.before.log_loss - 0.01
    assert report.after.rmse_bins < 0.8 * report.before.rmse_bins
    # And the fit moved towards the truth where the answers say most: the first
    # stability after a Good (true 0.5 day, default 2.3).
    assert abs(report.fitted[2] - TRUE_PARAMETERS[2]) < abs(
        DEFAULT_PARAMETERS[2] - TRUE_PARAMETERS[2]
    )
    # The true weights themselves score better than the defaults: the scores measure
    # what they should.
    cards = optimizer.histories(history)
    truth = optimizer.scores(
        optimizer.predictions(cards, TRUE_PARAMETERS, optimizer.split_instant(cards))
    )
    assert truth.log_loss < report.before.log_loss and truth.rmse_bins < report.before.rmse_bins
    assert report.fit_record(history[-1].reviewed_at).parameters == report.fitted


def test_a_fit_that_predicts_worse_than_the_weights_in_use_is_not_kept(
    history: list[SimulatedAnswer],
) -> None:
    # The learner is already scheduled with the weights their memory follows (a perfect
    # earlier fit). A new fit on 80 % of the answers is judged on the other 20 % against
    # them, and can only lose: nothing changes. Were the verdict wrong (kept whatever the
    # scores) or the scores wrong (blind to which weights made the history), this fails.
    report = optimize(history, TRUE_PARAMETERS)
    assert report.before is not None and report.after is not None
    assert report.after.log_loss > report.before.log_loss
    assert report.outcome is FitOutcome.NOT_BETTER and not report.kept
    with pytest.raises(ValueError, match="kept"):
        report.fit_record(history[-1].reviewed_at)


def test_a_forced_bad_fit_is_not_kept(history: list[SimulatedAnswer]) -> None:
    # Weights that expect every memory to last for months, on a learner who forgets in days.
    bad = (50.0, 60.0, 70.0, 80.0, *DEFAULT_PARAMETERS[4:20], 0.1)
    report = optimize(history, DEFAULT_PARAMETERS, fitter=lambda items: bad)
    assert report.fitted == bad
    assert report.before is not None and report.after is not None
    assert report.after.log_loss > report.before.log_loss
    assert not report.kept


def test_a_fit_py_fsrs_refuses_changes_nothing(history: list[SimulatedAnswer]) -> None:
    out_of_bounds = (*DEFAULT_PARAMETERS[:20], 5.0)  # decay at most 0.8
    report = optimize(history, DEFAULT_PARAMETERS, fitter=lambda items: out_of_bounds)
    assert report.outcome is FitOutcome.FIT_FAILED and not report.kept
    assert "parameters[20]" in report.detail


def test_practice_answers_are_left_out(history: list[SimulatedAnswer]) -> None:
    practice = [a for a in history if not a.scheduled]
    assert practice and all(a.rating == 1 for a in practice)  # all wrong: they would show
    scheduled = [a for a in history if a.scheduled]
    with_practice = optimize(history, DEFAULT_PARAMETERS)
    without = optimize(scheduled, DEFAULT_PARAMETERS)
    assert with_practice.answers == without.answers == len(scheduled)
    assert with_practice.fitted == without.fitted
    assert with_practice.after == without.after


def test_too_little_history_is_not_fitted() -> None:
    few = simulate(30, 3)  # a month, but a few hundred answers
    assert len(few) < optimizer.MIN_ANSWERS
    report = optimize(few, DEFAULT_PARAMETERS)
    assert report.outcome is FitOutcome.TOO_FEW_ANSWERS and report.fitted is None
    short = simulate(10, 40)  # enough answers, over ten days
    assert len(short) >= optimizer.MIN_ANSWERS
    report = optimize(short, DEFAULT_PARAMETERS)
    assert report.outcome is FitOutcome.TOO_SHORT and report.days < optimizer.MIN_DAYS


def test_the_split_is_by_time(history: list[SimulatedAnswer]) -> None:
    cards = optimizer.histories(history)
    since = optimizer.split_instant(cards)
    instants = sorted(a.reviewed_at for a in history if a.scheduled)
    before = sum(1 for at in instants if at < since)
    assert before == math.floor(0.8 * len(instants))
    tested = optimizer.predictions(cards, DEFAULT_PARAMETERS, since)
    # Every tested answer came a day or more after the card's previous one, and every
    # such answer from the split on is tested.
    expected = sum(
        1
        for steps in cards.values()
        for previous, step in itertools.pairwise(steps)
        if step.at >= since and step.at - previous.at >= timedelta(days=1)
    )
    assert len(tested) == expected and all(p.delta_t >= 1 for p in tested)
    items = optimizer.training_items(cards, since)
    assert len(items) == sum(
        1
        for steps in cards.values()
        for previous, step in itertools.pairwise(steps)
        if step.at < since and step.at - previous.at >= timedelta(days=1)
    )


def test_predictions_are_the_model_fsrs_rs_fits(history: list[SimulatedAnswer]) -> None:
    """py-fsrs replaying a card's answers (what schedules) predicts what fsrs-rs's model
    (what is fitted) predicts from the same (rating, delta_t) history."""
    cards = dict(list(optimizer.histories(history).items())[:60])
    since = min(step.at for steps in cards.values() for step in steps)
    ours = optimizer.predictions(cards, TRUE_PARAMETERS, since)
    model = FSRS(list(TRUE_PARAMETERS))
    decay = -TRUE_PARAMETERS[20]
    factor = 0.9 ** (1 / decay) - 1
    theirs = []
    for steps in cards.values():
        reviews = []
        for n, step in enumerate(steps):
            delta_t = optimizer.days_between(steps[n - 1].at, step.at) if n else 0
            if n and delta_t > 0:
                memory = model.memory_state(FSRSItem(list(reviews)))
                theirs.append((1 + factor * delta_t / memory.stability) ** decay)
            reviews.append(FSRSReview(step.rating, delta_t))
    assert len(ours) == len(theirs) > 100
    assert max(abs(a.p - b) for a, b in zip(ours, theirs, strict=True)) < 1e-3


def test_log_loss_and_rmse_bins_by_hand() -> None:
    tested = [
        Prediction(0.9, True, 1, 2, 0),
        Prediction(0.9, False, 1, 2, 0),  # same bin as the first
        Prediction(0.5, True, 30, 5, 2),  # its own bin
    ]
    expected_loss = -(math.log(0.9) + math.log(0.1) + math.log(0.5)) / 3
    assert optimizer.log_loss(tested) == pytest.approx(expected_loss)
    # Bin 1: two answers, mean outcome 0.5, mean prediction 0.9; bin 2: one, 1 vs 0.5.
    expected_rmse = math.sqrt((2 * (0.5 - 0.9) ** 2 + 1 * (1 - 0.5) ** 2) / 3)
    assert optimizer.rmse_bins(tested) == pytest.approx(expected_rmse)
    # A certain prediction proved wrong costs a lot, not infinity.
    assert math.isfinite(optimizer.log_loss([Prediction(1.0, False, 3, 2, 0)]))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # delta_t on a 3.62 scale: 1-3 days together, 4-13 together.
        ((1, 2, 0), (3, 2, 0), True),
        ((3, 2, 0), (4, 2, 0), False),
        # i on a 1.89 scale: 2 and 3 together, 4 apart.
        ((5, 2, 0), (5, 3, 0), True),
        ((5, 3, 0), (5, 4, 0), False),
        # lapses: none apart from one, on a 1.73 scale: 2 alone, 3 to 5 together.
        ((5, 2, 0), (5, 2, 1), False),
        ((5, 2, 2), (5, 2, 3), False),
        ((5, 2, 3), (5, 2, 5), True),
    ],
)
def test_bins_follow_the_benchmark(
    a: tuple[int, int, int], b: tuple[int, int, int], same: bool
) -> None:
    # Two answers, one recalled and one not, both predicted 0.5: in one bin they cancel.
    pair = [Prediction(0.5, True, *a), Prediction(0.5, False, *b)]
    assert (optimizer.rmse_bins(pair) == pytest.approx(0.0)) is same
