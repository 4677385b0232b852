"""A learner's fitted FSRS-6 weights: kept in their settings, checked, used to schedule,
and reset."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from maliquiz.core.learning.records import LearnerSettings, SchedulerFit, SettingsError
from maliquiz.core.learning.scheduling import DEFAULT_PARAMETERS, CardState, Rating, Scheduler
from maliquiz.core.progress.store import Store
from simulated_learner import TRUE_PARAMETERS

FITTED_AT = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


def a_fit(parameters: tuple[float, ...] = TRUE_PARAMETERS) -> SchedulerFit:
    return SchedulerFit(parameters, FITTED_AT, 12_000, 0.47, 0.44, 0.11, 0.07)


def test_a_fit_round_trips_through_json() -> None:
    settings = LearnerSettings(desired_retention=0.85, fit=a_fit())
    text = json.dumps(settings.to_json())
    assert LearnerSettings.from_json(json.loads(text)) == settings
    assert LearnerSettings.from_json(json.loads(json.dumps(LearnerSettings().to_json()))) == (
        LearnerSettings()
    )
    # Settings written before fits existed read as they were.
    assert LearnerSettings.from_json({"new_per_deck": 5}) == LearnerSettings(new_per_deck=5)


@pytest.mark.parametrize(
    ("parameters", "why"),
    [
        (DEFAULT_PARAMETERS[:20], "21 finite weights"),
        ((*DEFAULT_PARAMETERS[:20], float("nan")), "21 finite weights"),
        ((*DEFAULT_PARAMETERS[:20], 0.95), "bounds"),  # the decay is at most 0.8
        ((-1.0, *DEFAULT_PARAMETERS[1:]), "bounds"),
    ],
)
def test_weights_py_fsrs_would_refuse_are_refused(parameters: tuple[float, ...], why: str) -> None:
    with pytest.raises(SettingsError, match=why):
        LearnerSettings(fit=a_fit(parameters))


def test_a_fit_with_nonsense_figures_is_refused() -> None:
    with pytest.raises(SettingsError, match="aware"):
        LearnerSettings(fit=a_fit()._replace(fitted_at=datetime(2026, 3, 1)))
    with pytest.raises(SettingsError, match="answers"):
        LearnerSettings(fit=a_fit()._replace(answers=-1))
    with pytest.raises(SettingsError, match="scores"):
        LearnerSettings(fit=a_fit()._replace(log_loss_after=float("inf")))
    with pytest.raises(SettingsError):
        LearnerSettings.from_json({"fit": {"parameters": [1, 2, 3]}})
    with pytest.raises(SettingsError):
        LearnerSettings.from_json({"fit": "fitted"})


def test_the_scheduler_schedules_with_the_fitted_weights() -> None:
    fitted = LearnerSettings(fit=a_fit()).apply(Scheduler())
    assert fitted.parameters == TRUE_PARAMETERS
    assert LearnerSettings().apply(fitted).parameters == DEFAULT_PARAMETERS  # reset
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    card = CardState.new("deck", "card", now)
    # After a first Easy, TRUE_PARAMETERS expect 2 days of memory, the defaults 8.3: the
    # card comes back sooner.
    after_fit, _ = fitted.review(card, Rating.Easy, now)
    after_default, _ = Scheduler().review(card, Rating.Easy, now)
    assert after_fit.due - now < after_default.due - now
    # Retrievability follows the fitted forgetting curve too (the queue ranks on it).
    later = now + timedelta(days=5)
    assert fitted.retrievability(after_fit, later) == pytest.approx(
        fitted.retrievability_of(after_fit.stability, after_fit.last_review, later)
    )


def test_the_store_keeps_the_fit_and_studies_with_it(store: Store) -> None:
    assert store.settings("awa").fit is None
    store.update_settings("awa", fit=a_fit())
    assert store.settings("awa").fit == a_fit()
    assert store.use_settings_of("awa").parameters == TRUE_PARAMETERS
    assert store.scheduler.parameters == TRUE_PARAMETERS
    # Other settings and the fit live side by side.
    store.update_settings("awa", desired_retention=0.8)
    assert store.settings("awa") == LearnerSettings(desired_retention=0.8, fit=a_fit())
    store.update_settings("awa", fit=None)
    store.use_settings_of("awa")
    assert store.scheduler.parameters == DEFAULT_PARAMETERS
    assert store.settings("awa").desired_retention == 0.8


def test_a_bad_fit_is_never_written(store: Store) -> None:
    with pytest.raises(SettingsError):
        store.update_settings("awa", fit=a_fit((*DEFAULT_PARAMETERS[:20], 2.0)))
    assert store.settings("awa").fit is None


def test_a_damaged_fit_in_the_file_falls_back_to_the_defaults(store: Store) -> None:
    settings = LearnerSettings(fit=a_fit()).to_json()
    settings["fit"]["parameters"][20] = 9.0
    with closing(sqlite3.connect(store.path)) as db, db:
        db.execute("UPDATE users SET settings = ?", (json.dumps(settings),))
    assert store.settings("awa") == LearnerSettings()
    assert replace(store.settings("awa"), fit=a_fit()).parameters == TRUE_PARAMETERS
