"""Clocks and the learner's study day (which rolls over at 4 am local time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maliquiz.core.learning.clock import (
    ManualClock,
    StudyCalendar,
    SystemClock,
    as_utc,
    from_ms,
    local_timezone,
    start_of_study_day,
    start_of_today,
    start_of_tomorrow,
    study_day,
    to_ms,
)

PARIS = ZoneInfo("Europe/Paris")
BAMAKO = ZoneInfo("Africa/Bamako")


def test_system_clock_tells_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(datetime(2024, 5, 1, 9, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2024, 5, 1, 9, tzinfo=UTC)
    assert clock.advance(minutes=10) == datetime(2024, 5, 1, 9, 10, tzinfo=UTC)
    clock.advance(timedelta(days=1), hours=1)
    assert clock.now() == datetime(2024, 5, 2, 10, 10, tzinfo=UTC)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(seconds=-1)
    clock.set(datetime(2020, 1, 1, 12, tzinfo=PARIS))
    assert clock.now() == datetime(2020, 1, 1, 11, tzinfo=UTC)
    assert clock.now().tzinfo is UTC  # py-fsrs accepts nothing else


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        ManualClock(datetime(2024, 5, 1, 9))
    with pytest.raises(ValueError, match="naive"):
        as_utc(datetime(2024, 5, 1, 9))
    assert as_utc(datetime(2024, 5, 1, 9, tzinfo=timezone(timedelta(hours=2)))).tzinfo is UTC


def test_milliseconds_round_trip() -> None:
    when = datetime(2024, 5, 1, 9, 30, 15, 123456, tzinfo=UTC)
    assert to_ms(when) == 1714555815123
    assert from_ms(to_ms(when)) == when.replace(microsecond=123000)
    assert from_ms(0) == datetime(1970, 1, 1, tzinfo=UTC)
    assert to_ms(datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)) == -1000


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2024, 5, 2, 3, 59, tzinfo=PARIS), date(2024, 5, 1)),
        (datetime(2024, 5, 2, 4, 0, tzinfo=PARIS), date(2024, 5, 2)),
        (datetime(2024, 5, 2, 0, 30, tzinfo=PARIS), date(2024, 5, 1)),
        (datetime(2024, 5, 2, 23, 59, tzinfo=PARIS), date(2024, 5, 2)),
    ],
)
def test_study_day_rolls_over_at_four_local(local: datetime, expected: date) -> None:
    assert study_day(local.astimezone(UTC), PARIS) == expected


def test_rollover_follows_the_learners_zone_not_utc() -> None:
    # 02:30 UTC is 04:30 in Paris (summer) but 02:30 in Bamako.
    now = datetime(2024, 5, 2, 2, 30, tzinfo=UTC)
    assert study_day(now, PARIS) == date(2024, 5, 2)
    assert study_day(now, BAMAKO) == date(2024, 5, 1)
    assert study_day(now, BAMAKO, rollover_hour=0) == date(2024, 5, 2)


def test_start_of_today_and_tomorrow_in_utc() -> None:
    now = datetime(2024, 5, 2, 1, 0, tzinfo=UTC)  # 03:00 in Paris: still May 1st
    assert start_of_today(now, PARIS) == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert start_of_tomorrow(now, PARIS) == datetime(2024, 5, 2, 2, 0, tzinfo=UTC)
    assert start_of_study_day(date(2024, 1, 15), PARIS) == datetime(2024, 1, 15, 3, tzinfo=UTC)


def test_a_daylight_saving_night_makes_a_23_hour_study_day() -> None:
    # Paris springs forward on 31 March 2024 at 02:00: the study day of the 30th lasts
    # from 04:00 CET to 04:00 CEST.
    now = datetime(2024, 3, 30, 12, tzinfo=UTC)
    length = start_of_tomorrow(now, PARIS) - start_of_today(now, PARIS)
    assert length == timedelta(hours=23)
    assert study_day(datetime(2024, 3, 31, 1, 59, tzinfo=UTC), PARIS) == date(2024, 3, 30)
    assert study_day(datetime(2024, 3, 31, 2, 0, tzinfo=UTC), PARIS) == date(2024, 3, 31)


def test_calendar_wraps_the_functions() -> None:
    calendar = StudyCalendar(tz=BAMAKO)
    now = datetime(2024, 5, 2, 3, 59, tzinfo=UTC)
    assert calendar.day(now) == date(2024, 5, 1)
    assert calendar.start_of_today(now) == datetime(2024, 5, 1, 4, tzinfo=UTC)
    assert calendar.start_of_tomorrow(now) == datetime(2024, 5, 2, 4, tzinfo=UTC)
    with pytest.raises(ValueError, match="rollover"):
        StudyCalendar(tz=BAMAKO, rollover_hour=24)


def test_local_timezone_honours_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Africa/Bamako")
    assert local_timezone() == BAMAKO
    monkeypatch.setenv("TZ", "Not/AZone")
    assert local_timezone() is not None  # falls back rather than failing


def test_tz_wins_over_the_systems_zone_and_is_read_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # This machine's own zone is UTC: each TZ below must win over it, and a TZ changed
    # within the process must count (tzlocal's get_localzone() would keep the first).
    monkeypatch.setenv("TZ", "Africa/Bamako")
    assert local_timezone() == BAMAKO
    monkeypatch.setenv("TZ", ":Europe/Paris")  # the leading colon POSIX allows
    assert local_timezone() == PARIS
    assert StudyCalendar().tz == PARIS  # what a store opened now would use
    tokyo_file = Path("/usr/share/zoneinfo/Asia/Tokyo")
    if tokyo_file.exists():
        monkeypatch.setenv("TZ", str(tokyo_file))  # a zone file
        tokyo = local_timezone()
        assert datetime(2024, 5, 1, 12, tzinfo=UTC).astimezone(tokyo).hour == 21


def test_tz_naming_no_zone_falls_back_to_a_fixed_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Not/AZone")
    zone = local_timezone()
    assert datetime(2024, 5, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset() is not None
