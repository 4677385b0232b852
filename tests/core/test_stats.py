"""Learner statistics: a real store in the test's folder, a manual clock, no mocks.

The calendar is Bamako's (UTC+0 all year), so local hours read as UTC hours and the
study day rolls over at 04:00 UTC.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Rating, Scheduler, SchedulingSettings, State
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.stats import (
    LearnerStats,
    deck_overview,
    learner_stats,
    streak,
    true_retention,
)
from maliquiz.core.progress.store import Store

BAMAKO = ZoneInfo("Africa/Bamako")
T0 = datetime(2024, 5, 1, 9, tzinfo=UTC)  # Wednesday 1 May 2024, 09:00, study day 1 May
DAY0 = date(2024, 5, 1)


def make_deck(deck_id: str, size: int, *, tags: list[str] | None = None) -> Deck:
    return Deck.model_validate(
        {
            "id": deck_id,
            "title": f"Deck {deck_id}",
            "tags": tags or [],
            "cards": [
                {
                    "id": f"c{i}",
                    "type": "flashcard",
                    "prompt": f"question {i}",
                    "back": f"answer {i}",
                    "tags": ["even"] if i % 2 == 0 else [],
                }
                for i in range(1, size + 1)
            ],
        }
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[Store]:
    with Store.open(
        progress_path(tmp_path),
        clock=clock,
        calendar=StudyCalendar(tz=BAMAKO),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    ) as opened:
        yield opened


def answer(
    store: Store, card: str, rating: Rating = Rating.Good, *, deck: str = "minusma", **extra: bool
) -> None:
    store.ensure_user("awa")
    store.record_answer(
        "awa", deck, card, rating=rating, outcome=str(rating), mode="flashcard", **extra
    )


def stats_of(store: Store, *decks: Deck) -> LearnerStats:
    return learner_stats(store, "awa", list(decks) or [make_deck("minusma", 6)])


def the_deck(stats: LearnerStats) -> dict[str, object]:
    (only,) = stats.to_json()["decks"]
    assert isinstance(only, dict)
    return only


# --- counts ---------------------------------------------------------------------------


def test_a_fresh_learner_has_only_new_cards_and_is_created(store: Store) -> None:
    stats = stats_of(store)
    assert [u.name for u in store.users()] == ["awa"]
    row = stats.decks[0]
    assert (row.cards, row.new, row.learning, row.review, row.due_today) == (6, 6, 0, 0, 0)
    assert (row.suspended, row.buried, row.leeches, row.last_studied) == (0, 0, 0, None)
    assert stats.reviews_today == stats.correct_today == stats.streak_days == 0
    assert stats.true_retention is None and stats.retention_reviews == 0
    assert set(stats.due_forecast.values()) == {0} and len(stats.due_forecast) == 30
    assert len(stats.reviews_per_day) == 90 and max(stats.reviews_per_day) == DAY0


def test_new_learning_review_suspended_buried(store: Store, clock: ManualClock) -> None:
    answer(store, "c1", Rating.Easy)  # straight to review, due in days
    answer(store, "c2", Rating.Good)  # learning, next step in 10 minutes
    answer(store, "c3", Rating.Again)  # learning, next step in 1 minute
    store.suspend("awa", "minusma", "c4")  # suspended while still new
    answer(store, "c5", Rating.Easy)
    store.suspend("awa", "minusma", "c5")  # suspended in review
    store.bury("awa", "minusma", "c6")  # buried while new

    row = stats_of(store).decks[0]
    assert (row.new, row.learning, row.review) == (2, 2, 2)
    assert (row.suspended, row.buried, row.leeches) == (2, 1, 0)
    # Today's counts, as Anki's: both learning steps fall later today, no review is due,
    # and every new card was touched (c4 suspended, c6 buried).
    assert (row.new_today, row.learn_today, row.due_today) == (0, 2, 0)
    assert row.last_studied == T0

    clock.advance(minutes=12)
    assert stats_of(store).decks[0].learn_today == 2  # due now rather than later
    clock.advance(days=1)
    # Tomorrow the bury is over (c6 is new again) and c2's, c3's steps are still due.
    row = stats_of(store).decks[0]
    assert (row.new_today, row.learn_today) == (1, 2)


def test_relearning_counts_as_learning(store: Store, clock: ManualClock) -> None:
    answer(store, "c1", Rating.Easy)
    record = store.card("awa", "minusma", "c1")
    assert record is not None
    clock.set(record.state.due)
    answer(store, "c1", Rating.Again)
    record = store.card("awa", "minusma", "c1")
    assert record is not None and record.state.state == State.Relearning
    row = stats_of(store).decks[0]
    assert (row.new, row.learning, row.review) == (5, 1, 0)


def test_a_review_is_due_all_day_long_from_the_morning(store: Store, clock: ManualClock) -> None:
    answer(store, "c1", Rating.Easy)
    record = store.card("awa", "minusma", "c1")
    assert record is not None
    due = record.state.due
    due_day = StudyCalendar(tz=BAMAKO).day(due)
    clock.set(datetime.combine(due_day, datetime.min.time(), UTC) + timedelta(hours=4))
    assert clock.now() < due  # 04:00 on its day, due at 09:00: due today already
    assert stats_of(store).decks[0].due_today == 1
    clock.set(datetime.combine(due_day, datetime.min.time(), UTC) + timedelta(hours=3, minutes=59))
    assert stats_of(store).decks[0].due_today == 0  # the day before, in study-day terms


def test_suspended_and_buried_cards_are_not_due(store: Store, clock: ManualClock) -> None:
    answer(store, "c1", Rating.Again)
    answer(store, "c2", Rating.Again)
    clock.advance(minutes=5)
    assert stats_of(store).decks[0].learn_today == 2
    store.suspend("awa", "minusma", "c1")
    store.bury("awa", "minusma", "c2")
    assert stats_of(store).decks[0].learn_today == 0
    answer(store, "c3", Rating.Easy)
    clock.set(store.card("awa", "minusma", "c3").state.due)  # type: ignore[union-attr]
    assert stats_of(store).decks[0].due_today == 1
    store.suspend("awa", "minusma", "c3")
    assert stats_of(store).decks[0].due_today == 0


def test_leeches_are_counted(store: Store, clock: ManualClock) -> None:
    answer(store, "c1", Rating.Easy)
    for _ in range(8):
        record = store.card("awa", "minusma", "c1")
        assert record is not None
        clock.set(max(clock.now(), record.state.due))
        answer(store, "c1", Rating.Again)  # a lapse from review
        clock.advance(minutes=10)
        answer(store, "c1", Rating.Good)  # back to review
    record = store.card("awa", "minusma", "c1")
    assert record is not None and record.leech and record.state.lapses == 8
    assert stats_of(store).decks[0].leeches == 1


def test_progress_outside_the_decks_asked_is_left_out(store: Store) -> None:
    answer(store, "c1", deck="other")
    answer(store, "gone", deck="minusma")  # a card since removed from the deck
    stats = stats_of(store, make_deck("minusma", 3))
    assert [d.deck_id for d in stats.decks] == ["minusma"]
    assert stats.decks[0].new == 3 and stats.decks[0].learning == 0
    assert stats.reviews_today == 2  # answers given today are counted, whatever the deck


def test_decks_are_reported_in_the_order_given(store: Store) -> None:
    stats = stats_of(store, make_deck("b", 1), make_deck("a", 2))
    assert [(d.deck_id, d.cards) for d in stats.decks] == [("b", 1), ("a", 2)]


# --- today ----------------------------------------------------------------------------


def test_reviews_today_follow_the_4_am_rollover(store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2024, 5, 1, 23, tzinfo=UTC))
    answer(store, "c1", Rating.Good)
    clock.set(datetime(2024, 5, 2, 3, 30, tzinfo=UTC))  # still the study day of 1 May
    answer(store, "c2", Rating.Again)
    stats = stats_of(store)
    assert (stats.reviews_today, stats.correct_today) == (2, 1)
    assert stats.reviews_per_day[DAY0] == 2

    clock.set(datetime(2024, 5, 2, 4, tzinfo=UTC))  # a new day
    stats = stats_of(store)
    assert (stats.reviews_today, stats.correct_today) == (0, 0)
    answer(store, "c3", Rating.Hard)
    stats = stats_of(store)
    assert (stats.reviews_today, stats.correct_today) == (1, 1)
    assert stats.reviews_per_day[DAY0] == 2 and stats.reviews_per_day[date(2024, 5, 2)] == 1


def open_in(folder: Path, clock: ManualClock, zone: str) -> Store:
    """The progress file of ``folder`` opened by a learner living in ``zone``."""
    return Store.open(
        progress_path(folder),
        clock=clock,
        calendar=StudyCalendar(tz=ZoneInfo(zone)),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    )


def test_today_after_a_change_of_time_zone(tmp_path: Path) -> None:
    """Answers are summed under the study day of the zone the learner was in; after a
    move, "today" counts the answers given since today's study day began where the
    learner now is, not those filed under the same date elsewhere."""
    clock = ManualClock(datetime(2024, 5, 2, 3, 0, tzinfo=UTC))  # 2 May, 03:00 UTC

    with open_in(
        tmp_path, clock, "Africa/Bamako"
    ) as store:  # UTC: the study day 1 May ends at 04:00
        answer(store, "c1", Rating.Again)  # 03:00: study day 1 May
        clock.set(datetime(2024, 5, 2, 5, 0, tzinfo=UTC))
        answer(store, "c2")  # 05:00: study day 2 May
        answer(store, "c3")
    clock.set(datetime(2024, 5, 2, 20, 0, tzinfo=UTC))
    with open_in(
        tmp_path, clock, "America/Chicago"
    ) as store:  # UTC-5: 15:00 on 2 May, its day from 09:00 UTC
        stats = stats_of(store)
        assert (stats.reviews_today, stats.correct_today) == (0, 0)
        assert stats.reviews_per_day[date(2024, 5, 2)] == 0
        answer(store, "c4")
        stats = stats_of(store)
        assert (stats.reviews_today, stats.correct_today) == (1, 1)
        assert stats.reviews_per_day[date(2024, 5, 2)] == 1
        assert deck_overview(store, "awa", [make_deck("minusma", 6)]).reviews_today == 1


def test_moving_east_sums_each_answer_on_one_day(tmp_path: Path) -> None:
    """Answers given in Chicago after midnight but before its 4 am rollover belong to the
    day before there; opened in Bamako, where the same instants are past 4 am, they are
    today's: the days are summed again for where the learner now is, so no answer counts
    on two days."""
    clock = ManualClock(datetime(2024, 5, 2, 7, 0, tzinfo=UTC))  # 02:00 in Chicago

    with open_in(tmp_path, clock, "America/Chicago") as store:
        answer(store, "c1")
        answer(store, "c2")
        assert stats_of(store).reviews_per_day[date(2024, 5, 1)] == 2
    clock.set(datetime(2024, 5, 2, 12, 0, tzinfo=UTC))
    with open_in(tmp_path, clock, "Africa/Bamako") as store:
        stats = stats_of(store)
        assert stats.reviews_today == 2
        assert stats.reviews_per_day[date(2024, 5, 1)] == 0
        assert sum(stats.reviews_per_day.values()) == 2
        assert stats.streak_days == 1


def test_practice_ahead_answers_count_as_reviews_today(store: Store) -> None:
    answer(store, "c1", Rating.Good, schedule=False)
    stats = stats_of(store)
    assert stats.reviews_today == 1
    assert stats.decks[0].new == 6  # the schedule was left alone


# --- true retention -------------------------------------------------------------------


def test_true_retention_counts_spaced_answers_only(store: Store, clock: ManualClock) -> None:
    for card in ("c1", "c2", "c3"):
        answer(store, card, Rating.Good)  # first answers: not a test of memory
    clock.advance(minutes=10)
    for card in ("c1", "c2", "c3"):
        answer(store, card, Rating.Good)  # same-day learning step: left out
    assert stats_of(store).true_retention is None

    clock.advance(days=3)
    answer(store, "c1", Rating.Good)
    answer(store, "c2", Rating.Hard)  # Hard is a pass
    answer(store, "c3", Rating.Again)
    answer(store, "c3", Rating.Good, schedule=False)  # practice ahead: left out
    clock.advance(minutes=10)
    answer(store, "c3", Rating.Good)  # relearning step: left out
    stats = stats_of(store)
    assert stats.retention_reviews == 3
    assert stats.true_retention == pytest.approx(2 / 3)


def test_true_retention_forgets_answers_older_than_30_days(
    store: Store, clock: ManualClock
) -> None:
    answer(store, "c1", Rating.Good)
    clock.advance(days=2)
    answer(store, "c1", Rating.Again)  # day 2: counted for now
    assert stats_of(store).retention_reviews == 1
    clock.advance(days=31)
    assert stats_of(store).true_retention is None


def test_true_retention_sees_a_long_interval(store: Store, clock: ManualClock) -> None:
    """A mature card answered after 100 days counts: its previous answer is found even
    though it is far older than the 30-day window and the 90-day history."""
    answer(store, "c1", Rating.Good)
    answer(store, "c2", Rating.Good)
    clock.advance(days=100)
    answer(store, "c1", Rating.Again)
    clock.advance(days=1)
    answer(store, "c2", Rating.Good)
    stats = stats_of(store)
    assert stats.retention_reviews == 2
    assert stats.true_retention == pytest.approx(0.5)


def test_true_retention_function_needs_the_previous_answer(
    store: Store, clock: ManualClock
) -> None:
    answer(store, "c1", Rating.Good)
    clock.advance(days=1)
    answer(store, "c1", Rating.Again)
    reviews = store.reviews("awa")
    assert true_retention(reviews, T0) == (0, 1)
    assert true_retention(reviews[1:], T0) == (0, 0)  # no earlier answer known


# --- streak ---------------------------------------------------------------------------


def test_streak_function() -> None:
    days = {DAY0 - timedelta(days=n) for n in (0, 1, 2, 4)}
    assert streak(days, DAY0) == 3
    assert streak(days, DAY0 + timedelta(days=1)) == 3  # today not over yet
    assert streak(days, DAY0 + timedelta(days=2)) == 0
    assert streak(set(), DAY0) == 0


def test_streak_across_days_and_the_rollover(store: Store, clock: ManualClock) -> None:
    for _ in range(3):  # 1, 2 and 3 May
        answer(store, "c1")
        clock.advance(days=1)
    assert clock.now() == datetime(2024, 5, 4, 9, tzinfo=UTC)
    assert stats_of(store).streak_days == 3  # nothing yet on 4 May, and it is not over

    clock.set(datetime(2024, 5, 5, 2, tzinfo=UTC))  # 02:00 on the 5th is still the 4th
    answer(store, "c2")
    assert stats_of(store).streak_days == 4

    clock.set(datetime(2024, 5, 6, 4, tzinfo=UTC))  # the 5th went by without answers
    assert stats_of(store).streak_days == 0
    answer(store, "c3")
    assert stats_of(store).streak_days == 1


def test_a_streak_longer_than_the_history(store: Store, clock: ManualClock) -> None:
    for _ in range(120):
        answer(store, "c1", schedule=False)
        clock.advance(days=1)
    stats = learner_stats(store, "awa", [make_deck("minusma", 2)], history_days=30)
    assert stats.streak_days == 120
    assert len(stats.reviews_per_day) == 30


@pytest.mark.parametrize("length", [29, 30, 31, 32, 33, 61, 200])
def test_streaks_around_the_edge_of_the_history_read(
    store: Store, clock: ManualClock, length: int
) -> None:
    """Ten days of study, one day off, then ``length`` days: the streak is ``length``
    whether it ends inside, at or beyond the 30 days of history read at first."""
    for day in range(10 + 1 + length):
        if day != 10:
            clock.set(T0 + timedelta(days=day, hours=-6))  # 03:00: still the day before
            answer(store, "c1", schedule=False)
    clock.set(T0 + timedelta(days=10 + length, hours=1))
    stats = learner_stats(store, "awa", [make_deck("minusma", 1)], history_days=30)
    assert stats.streak_days == length


def test_a_streak_starting_with_the_first_answer_ever(store: Store, clock: ManualClock) -> None:
    for _ in range(5):
        answer(store, "c1", schedule=False)
        clock.advance(days=1)
    assert stats_of(store).streak_days == 5


# --- forecast, last studied, tags, JSON -------------------------------------------------


def test_due_forecast(store: Store, clock: ManualClock) -> None:
    answer(store, "c1", Rating.Easy)
    answer(store, "c2", Rating.Again)  # learning: due again today
    record = store.card("awa", "minusma", "c1")
    assert record is not None
    due_day = StudyCalendar(tz=BAMAKO).day(record.state.due)
    assert due_day > DAY0
    stats = stats_of(store)
    assert stats.due_forecast[DAY0] == 1
    assert stats.due_forecast[due_day] == 1
    assert sum(stats.due_forecast.values()) == 2
    assert min(stats.due_forecast) == DAY0 and len(stats.due_forecast) == 30

    clock.set(record.state.due + timedelta(days=3))  # overdue reviews are due today
    stats = stats_of(store)
    today = StudyCalendar(tz=BAMAKO).day(clock.now())
    assert stats.due_forecast[today] == 2


def test_the_forecast_keeps_local_days_across_a_clock_change(tmp_path: Path) -> None:
    """Each card lands on the local study day of its due instant, also when the
    clocks go back inside the forecast (Paris, 25 October 2026)."""
    paris = StudyCalendar(tz=ZoneInfo("Europe/Paris"))
    clock = ManualClock(datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    deck = make_deck("minusma", 40)
    with Store.open(
        progress_path(tmp_path),
        clock=clock,
        calendar=paris,
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    ) as store:
        start = datetime(2026, 10, 17, 0, 0, tzinfo=UTC)
        for n in range(1, 41):
            # Answers every 37 minutes over a day: the cards fall due 8 or 13 days later
            # at every hour, on both sides of the change (Easy: 8 days, twice: 13).
            clock.set(start + timedelta(minutes=37 * n))
            for rating in [Rating.Easy] * (n % 2 + 1):
                answer(store, f"c{n}", rating)
        clock.set(datetime(2026, 10, 18, 1, 0, tzinfo=UTC))
        now = clock.now()
        stats = learner_stats(store, "awa", [deck])
        today = paris.day(now)
        expected: dict[date, int] = {}
        for record in store.cards("awa"):
            day = paris.day(max(record.state.due, now))
            if (day - today).days < 30:
                expected[day] = expected.get(day, 0) + 1
        after_change = [day for day in expected if day > date(2026, 10, 25)]
        assert len(expected) >= 4 and after_change
        assert {day: n for day, n in stats.due_forecast.items() if n} == expected


def test_a_buried_card_is_forecast_for_tomorrow(store: Store, clock: ManualClock) -> None:
    answer(store, "c1", Rating.Again)
    clock.advance(minutes=5)
    store.bury("awa", "minusma", "c1")
    stats = stats_of(store)
    assert stats.decks[0].due_today == 0
    assert stats.due_forecast[DAY0] == 0
    assert stats.due_forecast[DAY0 + timedelta(days=1)] == 1


def test_last_studied_reaches_past_the_history(store: Store, clock: ManualClock) -> None:
    answer(store, "c1", Rating.Easy)
    clock.advance(days=200)
    stats = stats_of(store)
    assert stats.decks[0].last_studied == T0


def test_tag_mastery(store: Store, clock: ManualClock) -> None:
    deck = make_deck("minusma", 4, tags=["mali"])  # c2 and c4 also carry "even"
    answer(store, "c2", Rating.Easy)
    stats = stats_of(store, deck)
    by_tag = {t.tag: t for t in stats.tags}
    assert sorted(by_tag) == ["even", "mali"]
    assert (by_tag["mali"].cards, by_tag["mali"].seen) == (4, 1)
    assert (by_tag["even"].cards, by_tag["even"].seen) == (2, 1)
    assert by_tag["even"].mean_retrievability == pytest.approx(1.0)
    assert by_tag["mali"].mature == 0


def test_json_has_the_documented_fields(store: Store) -> None:
    answer(store, "c1", Rating.Easy)
    document = stats_of(store).to_json()
    json.dumps(document)  # plain data all the way down
    assert {"user", "reviews_today", "correct_today", "true_retention", "retention_reviews"} <= (
        document.keys()
    )
    assert {"streak_days", "decks", "reviews_per_day", "due_forecast", "tags"} <= document.keys()
    row = the_deck(stats_of(store))
    assert set(row) == {
        "deck_id",
        "title",
        "cards",
        "new",
        "learning",
        "review",
        "new_today",
        "learn_today",
        "due_today",
        "suspended",
        "buried",
        "leeches",
        "last_studied",
        "recognised",
        "recalled",
    }
    assert row["last_studied"] == T0.isoformat()
    assert document["reviews_today"] == 1
    assert next(iter(document["due_forecast"])) == DAY0.isoformat()


# --- the home screen's overview ----------------------------------------------------------


def test_the_overview_counts_as_the_full_stats_do(store: Store, clock: ManualClock) -> None:
    deck, other = make_deck("minusma", 6), make_deck("autre", 3)
    answer(store, "c1", Rating.Easy)
    answer(store, "c2", Rating.Again)
    store.suspend("awa", "minusma", "c4")
    clock.advance(days=1)
    answer(store, "c3")
    answer(store, "c1", deck="autre")
    store.bury("awa", "autre", "c2")
    overview = deck_overview(store, "awa", [deck, other])
    full = learner_stats(store, "awa", [deck, other])
    assert overview.decks == full.decks
    assert overview.reviews_today == full.reviews_today == 2
    assert [row.deck_id for row in overview.decks] == ["minusma", "autre"]


def test_the_overview_of_a_new_learner(store: Store) -> None:
    overview = deck_overview(store, "nouveau", [make_deck("minusma", 4)])
    assert [u.name for u in store.users()] == ["nouveau"]
    (row,) = overview.decks
    assert (row.cards, row.new, row.due_today, row.last_studied) == (4, 4, 0, None)
    assert overview.reviews_today == 0


def test_retention_finds_the_answer_before_a_long_gap(store: Store, clock: ManualClock) -> None:
    """The answer before a card's first one in the window is looked up in the store:
    wrong ones (Again) after months away count against retention."""
    answer(store, "c1", Rating.Good)
    answer(store, "c2", Rating.Good)
    clock.advance(days=200)
    answer(store, "c1", Rating.Again)
    answer(store, "c2", Rating.Good)
    stats = stats_of(store)
    assert (stats.retention_reviews, stats.true_retention) == (2, 0.5)
