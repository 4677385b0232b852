"""The FSRS wrapper: ratings from outcomes, previews equal to reviews, reproducible fuzz."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.scheduling import (
    CardState,
    Rating,
    Scheduler,
    SchedulingSettings,
    State,
    card_number,
    rating_for,
    self_rating,
)

T0 = datetime(2024, 5, 1, 9, tzinfo=UTC)


def graduated(scheduler: Scheduler, card_id: str = "c", now: datetime = T0) -> CardState:
    """A card taken through its learning steps with Good: in review, due in days."""
    state = CardState.new("deck", card_id, now)
    while state.state != State.Review:
        state, _ = scheduler.review(state, Rating.Good, now)
        now = state.due
    return state


def test_outcomes_map_to_ratings() -> None:
    assert rating_for(Outcome.CORRECT) == Rating.Good
    assert rating_for(Outcome.CORRECT, slow=True) == Rating.Hard
    assert rating_for(Outcome.TYPO) == Rating.Hard
    assert rating_for(Outcome.PARTIAL) == Rating.Hard
    # A wrong answer is Again even when slow: Hard would tell FSRS it was recalled.
    assert rating_for(Outcome.WRONG) == Rating.Again
    assert rating_for(Outcome.WRONG, slow=True) == Rating.Again
    assert rating_for(Outcome.SKIPPED) == Rating.Again


def test_slow_answers() -> None:
    scheduler = Scheduler(SchedulingSettings(slow_answer=timedelta(seconds=15)))
    assert not scheduler.is_slow(timedelta(seconds=15))
    assert scheduler.is_slow(timedelta(seconds=15.5))


@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_flashcards_are_self_rated_one_to_four(value: int) -> None:
    assert self_rating(value) == Rating(value)


@pytest.mark.parametrize("value", [0, 5, -1, True])
def test_other_self_ratings_are_refused(value: int) -> None:
    with pytest.raises(ValueError, match="1, 2, 3 or 4"):
        self_rating(value)


def test_card_numbers_are_stable_positive_and_distinct() -> None:
    assert card_number("minusma", "mandat") == card_number("minusma", "mandat")
    assert card_number("minusma", "mandat") != card_number("minusma", "mandat2")
    # The separator keeps ("a-b", "c") and ("a", "b-c") apart.
    assert card_number("a", "bc") != card_number("ab", "c")
    numbers = {card_number("deck", f"card-{i}") for i in range(2000)}
    assert len(numbers) == 2000
    assert all(0 < n < 2**63 for n in numbers)
    # Known value: changing the derivation would orphan every stored state's fuzz.
    assert card_number("deck", "card") == 6226740350324478584


def test_new_card_state() -> None:
    state = CardState.new("deck", "c", T0)
    assert state.is_new and state.reps == 0 and state.lapses == 0
    assert state.due == T0 and state.stability is None and state.difficulty is None
    assert state.memory.card_id == card_number("deck", "c")


def test_review_returns_a_new_state_and_leaves_the_old_one() -> None:
    scheduler = Scheduler(SchedulingSettings(fuzz=False))
    state = CardState.new("deck", "c", T0)
    copy = CardState.from_json(state.to_json(), reps=state.reps, lapses=state.lapses)
    after, log = scheduler.review(state, Rating.Good, T0, timedelta(seconds=3))
    assert state == copy
    assert after.reps == 1 and not after.is_new
    assert log.rating == Rating.Good and log.review_duration == 3000
    assert after.due == T0 + timedelta(minutes=10)  # second learning step


def test_state_round_trips_through_json() -> None:
    scheduler = Scheduler()
    state = graduated(scheduler)
    again = CardState.from_json(state.to_json(), reps=state.reps, lapses=state.lapses)
    assert again == state


def test_preview_shows_the_interval_each_button_gives() -> None:
    scheduler = Scheduler(SchedulingSettings(fuzz=False))
    intervals = scheduler.preview(CardState.new("deck", "c", T0), T0)
    assert intervals == {
        Rating.Again: timedelta(minutes=1),
        Rating.Hard: timedelta(minutes=5, seconds=30),
        Rating.Good: timedelta(minutes=10),
        Rating.Easy: intervals[Rating.Easy],
    }
    assert intervals[Rating.Easy] >= timedelta(days=1)


@pytest.mark.parametrize("fuzz", [False, True])
def test_preview_equals_the_review_that_follows(fuzz: bool) -> None:
    scheduler = Scheduler(SchedulingSettings(fuzz=fuzz))
    state = graduated(scheduler)
    for _ in range(4):
        now = state.due
        shown = scheduler.preview(state, now)
        for rating in Rating:
            assert scheduler.review(state, rating, now)[0].due - now == shown[rating]
        assert shown[Rating.Again] < shown[Rating.Hard] <= shown[Rating.Good] <= shown[Rating.Easy]
        state, _ = scheduler.review(state, Rating.Good, now)


def test_fuzz_ignores_the_global_random_module() -> None:
    scheduler = Scheduler(SchedulingSettings(fuzz=True))
    results = []
    for seed in (1, 2):
        random.seed(seed)
        state = graduated(scheduler)
        for _ in range(5):
            state, _ = scheduler.review(state, Rating.Good, state.due)
        results.append(state)
    assert results[0] == results[1]


def test_fuzz_spreads_long_intervals_within_bounds() -> None:
    plain = Scheduler(SchedulingSettings(fuzz=False))
    fuzzed = Scheduler(SchedulingSettings(fuzz=True))
    spread = set()
    for i in range(200):
        state = graduated(plain, f"c{i}")
        state, _ = plain.review(state, Rating.Good, state.due)
        exact = plain.review(state, Rating.Good, state.due)[0].due - state.due
        fuzzy = fuzzed.review(state, Rating.Good, state.due)[0].due - state.due
        assert exact.days >= 10
        # Bands: ±(1 + 15 % of 2.5–7 + 10 % of 7–20 + 5 % beyond) days.
        assert abs(fuzzy.days - exact.days) <= 1 + 0.15 * 4.5 + 0.1 * 13 + 0.05 * exact.days
        spread.add(fuzzy - exact)
    assert len(spread) >= 3


def test_fuzz_seed_changes_the_spread() -> None:
    states = [graduated(Scheduler(), f"c{i}") for i in range(50)]
    a = Scheduler(SchedulingSettings(fuzz_seed=1))
    b = Scheduler(SchedulingSettings(fuzz_seed=2))
    dues_a = [a.review(s, Rating.Easy, s.due)[0].due for s in states]
    dues_b = [b.review(s, Rating.Easy, s.due)[0].due for s in states]
    assert dues_a != dues_b


def test_short_intervals_are_never_fuzzed() -> None:
    plain = Scheduler(SchedulingSettings(fuzz=False))
    fuzzed = Scheduler(SchedulingSettings(fuzz=True))
    state = CardState.new("deck", "c", T0)
    for rating in (Rating.Again, Rating.Hard, Rating.Good):  # learning steps, minutes
        assert fuzzed.preview(state, T0)[rating] == plain.preview(state, T0)[rating]


def test_lapses_count_forgotten_review_cards_only() -> None:
    scheduler = Scheduler(SchedulingSettings(fuzz=False))
    state = CardState.new("deck", "c", T0)
    state, _ = scheduler.review(state, Rating.Again, T0)  # still learning: no lapse
    assert state.lapses == 0
    state = graduated(scheduler)
    state, _ = scheduler.review(state, Rating.Again, state.due)
    assert state.lapses == 1 and state.state == State.Relearning
    state, _ = scheduler.review(state, Rating.Again, state.due)  # relearning: no new lapse
    assert state.lapses == 1


def test_leech_after_the_configured_lapses() -> None:
    scheduler = Scheduler(SchedulingSettings(leech_lapses=8))
    state = graduated(scheduler)
    for lapse in range(1, 9):
        state, _ = scheduler.review(state, Rating.Again, state.due)
        assert state.lapses == lapse
        assert scheduler.is_leech(state) == (lapse >= 8)
        while state.state != State.Review:
            state, _ = scheduler.review(state, Rating.Good, state.due)


def test_retrievability() -> None:
    scheduler = Scheduler(SchedulingSettings(fuzz=False))
    assert scheduler.retrievability(CardState.new("deck", "c", T0), T0) == 0.0
    state = graduated(scheduler)
    assert state.last_review is not None
    assert scheduler.retrievability(state, state.last_review + timedelta(hours=23)) == 1.0
    at_due = scheduler.retrievability(state, state.due)
    assert 0.85 < at_due < 0.95  # due when recall falls to the desired 90 %
    later = scheduler.retrievability(state, state.due + timedelta(days=30))
    assert later < at_due
    # The queue's own formula on store columns agrees with py-fsrs to the last bit.
    for hours in range(0, 24 * 200, 7):
        when = state.last_review + timedelta(hours=hours)
        assert scheduler.retrievability_of(
            state.stability, state.last_review, when
        ) == scheduler.retrievability(state, when)
    assert scheduler.retrievability_of(None, None, T0) == 0.0


def test_any_aware_zone_is_accepted_naive_is_not() -> None:
    scheduler = Scheduler()
    state = CardState.new("deck", "c", T0)
    paris = T0.astimezone(ZoneInfo("Europe/Paris"))
    assert scheduler.review(state, Rating.Good, paris)[0].due.tzinfo is UTC
    with pytest.raises(ValueError, match="naive"):
        scheduler.review(state, Rating.Good, datetime(2024, 5, 1, 9))


@pytest.mark.parametrize(
    "bad",
    [
        {"desired_retention": 1.0},
        {"desired_retention": 0.0},
        {"maximum_interval": 0},
        {"learning_steps": (timedelta(0),)},
        {"leech_lapses": 0},
    ],
)
def test_settings_are_checked(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SchedulingSettings(**bad)  # type: ignore[arg-type]


def test_maximum_interval_caps_fuzzed_intervals() -> None:
    scheduler = Scheduler(SchedulingSettings(maximum_interval=30))
    state = graduated(scheduler)
    for _ in range(10):
        state, _ = scheduler.review(state, Rating.Easy, state.due)
        assert state.last_review is not None
        assert state.due - state.last_review <= timedelta(days=30)
