"""Time for the scheduler and the store: clocks that tell UTC, and the learner's study day.

Every instant maliquiz stores or computes with is an aware ``datetime`` in
``datetime.timezone.utc``: py-fsrs rejects anything else, even ``ZoneInfo("UTC")``.
Local time matters only for one question, "which study day is it?", and a study day
rolls over at 4 am local time (as in Anki), so a learner revising past midnight is
still on the evening's day.

Code that needs the time takes a :class:`Clock`. The app passes a :class:`SystemClock`;
tests and simulations pass a :class:`ManualClock` and move it by hand, so no test ever
sleeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfoNotFoundError

ROLLOVER_HOUR = 4
"""The local hour at which a new study day begins."""


class Clock(Protocol):
    """Something that tells the current instant."""

    def now(self) -> datetime:
        """The current instant, aware, in ``datetime.timezone.utc``."""
        ...


class SystemClock:
    """The real clock of the machine."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to: for tests and simulated learners."""

    def __init__(self, start: datetime) -> None:
        self._now = as_utc(start)

    def now(self) -> datetime:
        """The instant the clock was last set or advanced to."""
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (any aware datetime; kept in UTC)."""
        self._now = as_utc(when)

    def advance(
        self,
        delta: timedelta | None = None,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> datetime:
        """Move forward by ``delta`` and/or the given units; return the new instant."""
        step = (delta or timedelta()) + timedelta(
            days=days, hours=hours, minutes=minutes, seconds=seconds
        )
        if step < timedelta():
            raise ValueError("a clock does not go backwards; use set() to jump")
        self._now += step
        return self._now


FixedClock = ManualClock
"""Another name for :class:`ManualClock`: a clock that stays put until moved."""


def as_utc(when: datetime) -> datetime:
    """``when`` converted to ``datetime.timezone.utc``; naive datetimes are refused,
    because guessing their zone is how study days silently shift."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"naive datetime {when.isoformat()}: give a timezone")
    return when.astimezone(UTC)


def to_ms(when: datetime) -> int:
    """Milliseconds since the Unix epoch: how the store keeps instants (sortable
    integers that SQLite indexes and compares cheaply)."""
    utc = as_utc(when)
    # Integer arithmetic on the timedelta avoids float rounding of timestamp().
    delta = utc - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    """The UTC instant ``ms`` milliseconds after the Unix epoch."""
    return _EPOCH + timedelta(milliseconds=ms)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def study_day(now_utc: datetime, tz: tzinfo, rollover_hour: int = ROLLOVER_HOUR) -> date:
    """The learner's study day at ``now_utc`` in zone ``tz``: the local date, except that
    the hours before ``rollover_hour`` still belong to the day before."""
    local = as_utc(now_utc).astimezone(tz)
    # Aware arithmetic within one zone is wall-clock arithmetic: 03:59 becomes 23:59 the
    # day before, whatever daylight saving does that night.
    return (local.replace(tzinfo=None) - timedelta(hours=rollover_hour)).date()


def start_of_study_day(day: date, tz: tzinfo, rollover_hour: int = ROLLOVER_HOUR) -> datetime:
    """The UTC instant at which study day ``day`` begins in zone ``tz``."""
    return datetime.combine(day, time(rollover_hour), tzinfo=tz).astimezone(UTC)


def start_of_today(now_utc: datetime, tz: tzinfo, rollover_hour: int = ROLLOVER_HOUR) -> datetime:
    """The UTC instant at which the current study day began."""
    return start_of_study_day(study_day(now_utc, tz, rollover_hour), tz, rollover_hour)


def start_of_tomorrow(
    now_utc: datetime, tz: tzinfo, rollover_hour: int = ROLLOVER_HOUR
) -> datetime:
    """The UTC instant at which the next study day begins (when "bury until tomorrow"
    ends and tomorrow's reviews become due)."""
    today = study_day(now_utc, tz, rollover_hour)
    return start_of_study_day(today + timedelta(days=1), tz, rollover_hour)


def local_timezone() -> tzinfo:
    """The machine's time zone, with its daylight-saving rules, as tzlocal finds it: the
    ``TZ`` variable when set (a zone name, ``:Europe/Paris``, or a zone file), else the
    system's configuration. A fixed offset is the last resort (a ``TZ`` that names no
    zone, a system with none configured)."""
    import tzlocal  # deferred: only opening a store needs it

    try:
        # reload, not get_localzone(): that one keeps its first answer for the life of
        # the process, and a TZ set since must win.
        return tzlocal.reload_localzone()
    except (ZoneInfoNotFoundError, ValueError, OSError):
        offset = datetime.now().astimezone().tzinfo
        return offset if offset is not None else UTC


@dataclass(frozen=True)
class StudyCalendar:
    """Where the learner lives and when their day rolls over: turns instants into study
    days and back. The store and the queue take one."""

    tz: tzinfo = field(default_factory=local_timezone)
    rollover_hour: int = ROLLOVER_HOUR

    def __post_init__(self) -> None:
        if not 0 <= self.rollover_hour <= 23:
            raise ValueError(f"rollover hour must be 0–23, not {self.rollover_hour}")

    def day(self, now_utc: datetime) -> date:
        """The study day at ``now_utc``."""
        return study_day(now_utc, self.tz, self.rollover_hour)

    def start_of_today(self, now_utc: datetime) -> datetime:
        """When the current study day began, in UTC."""
        return start_of_today(now_utc, self.tz, self.rollover_hour)

    def start_of_tomorrow(self, now_utc: datetime) -> datetime:
        """When the next study day begins, in UTC."""
        return start_of_tomorrow(now_utc, self.tz, self.rollover_hour)
