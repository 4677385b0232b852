"""The daily sums stay equal to the answer log, however it was written: answers, undos,
practice, imports, and files written before the sums existed."""

from __future__ import annotations

import json
import random
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Rating, Scheduler, SchedulingSettings
from maliquiz.core.progress import daily
from maliquiz.core.progress.connection import APPLICATION_ID, MIGRATIONS
from maliquiz.core.progress.store import Store

T_MIN = date(2000, 1, 1)


def sums(path: Path) -> list[tuple[int, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT * FROM daily ORDER BY user_id, day").fetchall()


def rebuilt(path: Path) -> list[tuple[int, ...]]:
    """The sums as a rebuild from the log gives them, without touching the file."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("BEGIN")
        users = [row[0] for row in db.execute("SELECT id FROM users")]
        daily.rebuild(db, StudyCalendar(UTC), users)
        found = db.execute("SELECT * FROM daily ORDER BY user_id, day").fetchall()
        db.execute("ROLLBACK")
        return found


def open_store(path: Path, clock: ManualClock) -> Store:
    scheduler = Scheduler(SchedulingSettings(fuzz=False))
    store = Store.open(path, clock=clock, calendar=StudyCalendar(UTC), scheduler=scheduler)
    store.ensure_user("awa")
    return store


def answer_at_random(store: Store, user: str, deck: str, cards: int, luck: random.Random) -> None:
    """An answer to one of ``cards`` cards of ``deck``, any rating, one in ten practice
    ahead (leaving the schedule alone)."""
    store.record_answer(
        user,
        deck,
        f"c{luck.randrange(cards)}",
        rating=luck.choice(list(Rating)),
        outcome="correct",
        mode="typed",
        schedule=luck.random() > 0.1,
    )


def test_answers_undos_and_practice_keep_the_sums_equal_to_the_log(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = tmp_path / "progress.sqlite3"
    luck = random.Random(5)
    with open_store(path, clock) as store:
        for name in ("awa", "bob"):
            store.ensure_user(name)
        for _ in range(400):
            user = luck.choice(("awa", "bob"))
            if luck.random() < 0.15:
                store.undo_last(user)
                continue
            clock.advance(minutes=luck.choice((1, 10, 60 * 13, 60 * 30, 60 * 24 * 4)))
            answer_at_random(store, user, "deck", 12, luck)
    assert sums(path) and sums(path) == rebuilt(path)


def test_an_import_sums_the_merged_log(tmp_path: Path, clock: ManualClock) -> None:
    with open_store(tmp_path / "a.sqlite3", clock) as source:
        for n in range(30):
            clock.advance(hours=13)
            source.record_answer(
                "awa", "d", f"c{n % 5}", rating=Rating.Good, outcome="correct", mode="typed"
            )
        source.export_user("awa", tmp_path / "awa.json")
    target_path = tmp_path / "b.sqlite3"
    with open_store(target_path, clock) as target:
        target.record_answer("awa", "d", "c0", rating=Rating.Again, outcome="wrong", mode="typed")
        target.import_user(tmp_path / "awa.json")
        assert sum(day.answers for day in target.daily_sums("awa", since=T_MIN)) == 31
    assert sums(target_path) == rebuilt(target_path)


def test_imports_in_pieces_sum_again_the_days_they_touch_as_a_rebuild_would(
    tmp_path: Path, clock: ManualClock
) -> None:
    # Two machines' histories brought in piece by piece, out of order: answers landing
    # before, between and after those already here (changing which answer precedes
    # which, so the "spaced" counts of later days), on days with answers and without.
    luck = random.Random(20)
    with open_store(tmp_path / "a.sqlite3", clock) as source:
        for _ in range(300):
            clock.advance(minutes=luck.choice((5, 60 * 11, 60 * 13, 60 * 24 * 3)))
            answer_at_random(source, "awa", "d", 8, luck)
        source.export_user("awa", tmp_path / "all.json")
    document = json.loads((tmp_path / "all.json").read_text())
    rows = document["reviews"]["rows"]
    luck.shuffle(rows)
    target_path = tmp_path / "b.sqlite3"
    with open_store(target_path, clock) as target:
        for n in range(12):
            target.record_answer(
                "awa", "d", f"c{n % 8}", rating=Rating.Hard, outcome="typo", mode="typed"
            )
            clock.advance(hours=7)
        for start in range(0, len(rows), 45):
            piece = {**document, "cards": {**document["cards"], "rows": []}}
            piece["reviews"] = {**document["reviews"], "rows": rows[start : start + 45]}
            (tmp_path / "piece.json").write_text(json.dumps(piece))
            target.import_user(tmp_path / "piece.json")
            assert sums(target_path) == rebuilt(target_path)
        assert sum(day.answers for day in target.daily_sums("awa", since=T_MIN)) == 312


@pytest.mark.parametrize(
    ("zone", "rollover", "instants"),
    [
        # Samoa skipped 30 December 2011: its study day ran from 10:00 to 14:00 UTC,
        # before the nominal start of the 29th's next day.
        ("Pacific/Apia", 4, ("2011-12-30T06:00", "2011-12-30T12:00")),
        # The Chatham Islands' clocks went back from 3:45 to 2:45: with a 3 am
        # rollover, 2:45-3:00 came again after the day had begun.
        ("Pacific/Chatham", 3, ("2015-04-04T13:20", "2015-04-04T14:05", "2015-04-04T14:20")),
    ],
)
def test_an_import_sums_days_whose_instants_lie_outside_their_span_as_a_rebuild_would(
    tmp_path: Path, zone: str, rollover: int, instants: tuple[str, ...]
) -> None:
    calendar = StudyCalendar(ZoneInfo(zone), rollover)
    scheduler = Scheduler(SchedulingSettings(fuzz=False))
    clock = ManualClock(datetime.fromisoformat(instants[0]).replace(tzinfo=UTC))
    with Store.open(
        tmp_path / "a.sqlite3", clock=clock, calendar=calendar, scheduler=scheduler
    ) as source:
        source.ensure_user("awa")
        for at in instants:
            clock.set(datetime.fromisoformat(at).replace(tzinfo=UTC))
            source.record_answer(
                "awa", "d", "c", rating=Rating.Good, outcome="correct", mode="typed"
            )
        source.export_user("awa", tmp_path / "awa.json")
    target_path = tmp_path / "b.sqlite3"
    with Store.open(target_path, clock=clock, calendar=calendar, scheduler=scheduler) as target:
        target.import_user(tmp_path / "awa.json")
    with closing(sqlite3.connect(target_path)) as db:
        written = db.execute("SELECT * FROM daily ORDER BY user_id, day").fetchall()
        db.execute("BEGIN")
        daily.rebuild(db, calendar, [1])
        assert written == db.execute("SELECT * FROM daily ORDER BY user_id, day").fetchall()
        db.execute("ROLLBACK")
    assert len(written) == 2


def test_a_file_written_before_the_sums_gets_them_at_first_open(
    tmp_path: Path, clock: ManualClock
) -> None:
    # A file of schema version 3 (before the sums), with answers on three study days.
    path = tmp_path / "progress.sqlite3"
    start = clock.now()
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for step in MIGRATIONS[:3]:
            step(db)
        db.execute("PRAGMA user_version = 3")
        db.execute("INSERT INTO users (id, name, created_ms) VALUES (1, 'awa', 0)")
        for n, hours in enumerate((0, 1, 26, 27, 50)):
            at = int((start + timedelta(hours=hours)).timestamp() * 1000)
            db.execute(
                "INSERT INTO reviews (uid, user_id, deck_id, card_id, reviewed_ms, mode, "
                "outcome, rating) VALUES (?, 1, 'd', 'c', ?, 'typed', 'correct', ?)",
                (f"{n:032x}", at, 1 if n == 2 else 3),
            )
    with open_store(path, clock) as store:
        days = store.daily_sums("awa", since=T_MIN)
    assert [(d.answers, d.passed) for d in days] == [(2, 2), (2, 1), (1, 1)]
    assert sums(path) == rebuilt(path)


def test_the_streak_reads_across_chunks(tmp_path: Path, clock: ManualClock) -> None:
    from maliquiz.core.progress.stats import learner_stats

    with open_store(tmp_path / "p.sqlite3", clock) as store:
        for _ in range(450):  # longer than one read of study days
            store.record_answer(
                "awa", "d", "c", rating=Rating.Good, outcome="correct", mode="typed"
            )
            clock.advance(days=1)
        clock.set(clock.now() - timedelta(days=1))
        assert learner_stats(store, "awa", []).streak_days == 450
        clock.advance(days=2)  # a day without answers breaks it
        assert learner_stats(store, "awa", []).streak_days == 0
