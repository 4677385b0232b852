"""Each learner's answers summed per study day, kept up to date as answers are written.

The statistics (answers per day, today's answers, true retention, the streak) read
these sums instead of the answer log, so they cost the same for a learner with a
hundred answers as for one with a million. One row per learner and study day:

``answers``
    every answer of that day (practice ahead included);
``passed``
    those not rated Again;
``spaced``
    scheduled answers given at least 12 hours after the card's previous answer (the
    answers true retention counts: same-day learning steps measure short-term memory);
``spaced_passed``
    those of them not rated Again.

The day is the study day (it begins at 4 am local time) of the answer, worked out
with the store's calendar when the answer is written. The sums change in the same
transaction as the log: an answer recorded adds to its day, an answer undone takes
itself away, an import sums again the days it touched, and a file written
before the sums existed has them built when first opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import Final, NamedTuple

from maliquiz.core.learning.clock import StudyCalendar, from_ms, start_of_study_day, to_ms

SPACED_MS: Final = 12 * 3_600_000
"""An answer counts for true retention when the card's previous answer is this old."""

SCHEMA: Final = """
CREATE TABLE daily (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day INTEGER NOT NULL,
    answers INTEGER NOT NULL DEFAULT 0,
    passed INTEGER NOT NULL DEFAULT 0,
    spaced INTEGER NOT NULL DEFAULT 0,
    spaced_passed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
) WITHOUT ROWID;
"""
"""``day`` is the study day's proleptic ordinal (:meth:`datetime.date.toordinal`)."""


class Day(NamedTuple):
    """One study day's sums."""

    day: date
    answers: int
    passed: int
    spaced: int
    spaced_passed: int


def counts_of(
    rating: int, scheduled: bool, reviewed_ms: int, previous_ms: int | None
) -> tuple[int, int, int, int]:
    """What one answer adds to its day: (answers, passed, spaced, spaced_passed)."""
    passed = int(rating != 1)
    spaced = int(scheduled and previous_ms is not None and reviewed_ms - previous_ms >= SPACED_MS)
    return 1, passed, spaced, spaced * passed


def add(
    db: sqlite3.Connection,
    user_id: int,
    day: date,
    counts: tuple[int, int, int, int],
    *,
    sign: int = 1,
) -> None:
    """Add (or with ``sign=-1`` take away) one answer's counts to its day."""
    answers, passed, spaced, spaced_passed = (sign * n for n in counts)
    db.execute(
        "INSERT INTO daily (user_id, day, answers, passed, spaced, spaced_passed) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, day) DO UPDATE SET "
        "answers = answers + excluded.answers, passed = passed + excluded.passed, "
        "spaced = spaced + excluded.spaced, spaced_passed = spaced_passed + excluded.spaced_passed",
        (user_id, day.toordinal(), answers, passed, spaced, spaced_passed),
    )
    if sign < 0:  # a day whose only answers were undone has no sums
        db.execute(
            "DELETE FROM daily WHERE user_id = ? AND day = ? AND answers = 0",
            (user_id, day.toordinal()),
        )


def previous_answer_ms(
    db: sqlite3.Connection,
    user_id: int,
    card: int | None,
    at_ms: int,
    *,
    row_id: int | None = None,
) -> int | None:
    """The instant of the card's answer before the one at ``at_ms`` (one index look-up);
    ``card`` is the card's number in ``card_keys`` (None: a card never answered). For
    an answer not written yet, every answer up to ``at_ms`` is before it; for the row
    ``row_id``, answers at the same instant count when written before it, as in
    :func:`rebuild`."""
    if card is None:
        return None
    params: tuple[int, ...]
    if row_id is None:
        where, params = "reviewed_ms <= ?", (at_ms,)
    else:
        where, params = "(reviewed_ms < ? OR (reviewed_ms = ? AND id < ?))", (at_ms, at_ms, row_id)
    (found,) = db.execute(
        f"SELECT MAX(reviewed_ms) FROM review_log WHERE user_id = ? AND card = ? AND {where}",
        (user_id, card, *params),
    ).fetchone()
    return None if found is None else int(found)


class _Days:
    """Study days of instants, worked out once per hour of the clock (the zone's rules
    change no more often than that), so a rebuild of a million answers stays quick."""

    def __init__(self, calendar: StudyCalendar) -> None:
        self.calendar = calendar
        self.by_hour: dict[int, date] = {}

    def of(self, at_ms: int) -> date:
        hour = at_ms // 3_600_000
        found = self.by_hour.get(hour)
        if found is None:
            # The hour's first instant and its last one fall on the same study day
            # unless the day changes inside it (a rollover at a half-hour offset).
            first = self.calendar.day(from_ms(hour * 3_600_000))
            last = self.calendar.day(from_ms(hour * 3_600_000 + 3_599_999))
            if first != last:
                return self.calendar.day(from_ms(at_ms))
            self.by_hour[hour] = found = first
        return found


def rebuild(db: sqlite3.Connection, calendar: StudyCalendar, user_ids: Iterable[int]) -> None:
    """Sum the log again for these learners (after an import, or for an older file)."""
    days = _Days(calendar)
    for user_id in user_ids:
        db.execute("DELETE FROM daily WHERE user_id = ?", (user_id,))
        sums: dict[date, list[int]] = {}
        rows = db.execute(
            "SELECT reviewed_ms, rating, scheduled, LAG(reviewed_ms) OVER ("
            "PARTITION BY card ORDER BY reviewed_ms, id) FROM review_log "
            "WHERE user_id = ?",
            (user_id,),
        )
        for reviewed_ms, rating, scheduled, previous in rows:
            day_sums = sums.setdefault(days.of(reviewed_ms), [0, 0, 0, 0])
            for i, n in enumerate(counts_of(rating, bool(scheduled), reviewed_ms, previous)):
                day_sums[i] += n
        db.executemany(
            "INSERT INTO daily (user_id, day, answers, passed, spaced, spaced_passed) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((user_id, day.toordinal(), *values) for day, values in sums.items()),
        )


RESUM_LIMIT: Final = 20_000
"""An import bringing more answers than this sums the learner's whole log again, in
one pass, rather than day by day (:func:`resum`)."""


def resum(
    db: sqlite3.Connection,
    calendar: StudyCalendar,
    user_id: int,
    answers: Iterable[tuple[int, int]],
) -> None:
    """Sum again only the days an import touched, so that a sync bringing a few
    answers costs the same for a learner with a million: the days of the ``answers``
    that came in (their card number and instant, written already) and of the answer
    that follows each on its card, whose previous answer may have changed. Gives the
    same sums as :func:`rebuild` (a test compares them)."""
    days = _Days(calendar)
    touched: set[date] = set()
    for card, at_ms in answers:
        touched.add(days.of(at_ms))
        (following,) = db.execute(
            "SELECT MIN(reviewed_ms) FROM review_log "
            "WHERE user_id = ? AND card = ? AND reviewed_ms > ?",
            (user_id, card, at_ms),
        ).fetchone()
        if following is not None:
            touched.add(days.of(int(following)))
    for day in touched:
        # A study day's instants are not always those between its start and the next
        # day's: where the clocks go back across the rollover hour (Pacific/Chatham at
        # 3 am) or skip it (Pacific/Apia, 2011), some fall outside. The rows of a
        # wider span are read and each kept when it falls on the day, as rebuild does.
        start = to_ms(start_of_study_day(day, calendar.tz, calendar.rollover_hour))
        day_sums = [0, 0, 0, 0]
        rows = db.execute(
            "SELECT id, card, reviewed_ms, rating, scheduled FROM review_log "
            "WHERE user_id = ? AND reviewed_ms >= ? AND reviewed_ms < ?",
            (user_id, start - _MARGIN_MS, start + _DAY_MS + _MARGIN_MS),
        ).fetchall()
        for row_id, card, reviewed_ms, rating, scheduled in rows:
            if days.of(reviewed_ms) != day:
                continue
            previous = previous_answer_ms(db, user_id, card, reviewed_ms, row_id=row_id)
            for i, n in enumerate(counts_of(rating, bool(scheduled), reviewed_ms, previous)):
                day_sums[i] += n
        ordinal = day.toordinal()
        db.execute("DELETE FROM daily WHERE user_id = ? AND day = ?", (user_id, ordinal))
        if day_sums[0]:
            db.execute(
                "INSERT INTO daily (user_id, day, answers, passed, spaced, spaced_passed) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, ordinal, *day_sums),
            )


_DAY_MS: Final = 86_400_000
_MARGIN_MS: Final = 86_400_000
"""How far outside its nominal span a study day's instants may lie (a zone that
skipped a whole day moved them by that much)."""


CALENDAR_SCHEMA: Final = """
CREATE TABLE daily_calendar (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    zone TEXT NOT NULL,
    rollover_hour INTEGER NOT NULL
);
"""
"""Version 7: the time zone and rollover hour the sums were made with, so that a learner
who moves is given sums of the days of where they are now (the store sums them again
when it opens the file with another calendar)."""


def calendar_key(calendar: StudyCalendar) -> tuple[str, int]:
    """What of ``calendar`` decides which study day an answer falls on."""
    return (getattr(calendar.tz, "key", None) or str(calendar.tz), calendar.rollover_hour)


def needs_rebuild(db: sqlite3.Connection, calendar: StudyCalendar) -> bool:
    """True for a file whose log was written before the sums existed, or summed with
    another time zone or rollover hour than ``calendar``'s."""
    made_with = db.execute("SELECT zone, rollover_hour FROM daily_calendar").fetchone()
    if made_with is not None and tuple(made_with) != calendar_key(calendar):
        return True
    has_daily = db.execute("SELECT 1 FROM daily LIMIT 1").fetchone() is not None
    return not has_daily and db.execute("SELECT 1 FROM review_log LIMIT 1").fetchone() is not None


def note_calendar(db: sqlite3.Connection, calendar: StudyCalendar) -> None:
    """Record that the sums are those of ``calendar``'s days."""
    db.execute(
        "INSERT INTO daily_calendar (id, zone, rollover_hour) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET zone = excluded.zone, "
        "rollover_hour = excluded.rollover_hour",
        calendar_key(calendar),
    )


def read(db: sqlite3.Connection, user_id: int, since: date) -> list[Day]:
    """The learner's days from ``since`` on, oldest first (days without answers absent)."""
    rows = db.execute(
        "SELECT day, answers, passed, spaced, spaced_passed FROM daily "
        "WHERE user_id = ? AND day >= ? AND answers > 0 ORDER BY day",
        (user_id, since.toordinal()),
    )
    return [Day(date.fromordinal(day), *rest) for day, *rest in rows]


def study_days_before(db: sqlite3.Connection, user_id: int, day: date, limit: int) -> list[date]:
    """Up to ``limit`` days with answers before ``day``, latest first (for the streak)."""
    rows = db.execute(
        "SELECT day FROM daily WHERE user_id = ? AND day < ? AND answers > 0 "
        "ORDER BY day DESC LIMIT ?",
        (user_id, day.toordinal(), limit),
    )
    return [date.fromordinal(row[0]) for row in rows]
