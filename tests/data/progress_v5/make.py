"""How ``progress-v5.sqlite3`` and its exports were made: run by the schema 5 code
(commit 9db0b2c), with a fixed clock, so that the migration test of schema 6 reads a
file written by the real previous code path. Kept for the record; running it again
with a later schema makes a file of that schema instead.

    python tests/data/progress_v5/make.py
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Rating, Scheduler, SchedulingSettings
from maliquiz.core.progress.store import Store

HERE = Path(__file__).parent
START = datetime(2025, 3, 1, 8, tzinfo=UTC)
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
MODES = ("choice", "typed", "flashcard", "truefalse", "order", "match", "cloze")
OUTCOMES = tuple(str(o) for o in Outcome)


def main() -> None:
    path = HERE / "progress-v5.sqlite3"
    for leftover in HERE.glob("progress-v5.sqlite3*"):
        leftover.unlink()
    luck = random.Random(5)
    clock = ManualClock(START)
    calendar = StudyCalendar(tz=UTC)
    with Store.open(
        path, clock=clock, calendar=calendar, scheduler=Scheduler(SchedulingSettings(fuzz=False))
    ) as store:
        for user in ("awa", "binta"):
            store.ensure_user(user)
        cards = [(f"deck-{d}", f"card-{c}") for d in range(3) for c in range(12)]
        for step in range(400):
            user = "awa" if step % 3 else "binta"
            deck_id, card_id = luck.choice(cards)
            mode = luck.choice(MODES)
            outcome = luck.choice(OUTCOMES)
            rating = (
                Rating.Again
                if outcome in ("wrong", "skipped")
                else luck.choice((Rating.Hard, Rating.Good, Rating.Easy))
            )
            answer = luck.choice(
                (None, "Bamako", "Tombouctou", "Ségou", "1960", "Modibo Keïta", "", "x" * 90)
            )
            store.record_answer(
                user,
                deck_id,
                card_id,
                rating=rating,
                outcome=outcome,
                mode=mode,
                answer=answer,
                duration=None
                if luck.random() < 0.2
                else timedelta(milliseconds=luck.randrange(40_000)),
                schedule=luck.random() > 0.1,
            )
            if step % 37 == 5:
                store.undo_last(user)
            if step % 50 == 7:
                store.suspend_cards(user, cards[step % 10 : step % 10 + 3])
            if step % 61 == 9:
                store.bury_cards(user, cards[:2])
            # Several answers at the same instant now and then (ties ordered by row).
            if luck.random() < 0.7:
                clock.advance(minutes=luck.randrange(1, 600))
        store.record_exam(
            "awa",
            decks=["deck-0"],
            tags=["histoire"],
            score=3.5,
            max_score=5,
            results=[{"card": "card-1", "right": True}],
            duration=timedelta(minutes=4),
        )
        # Answers brought from another file: uids not written by uuid4().hex, and a
        # state_before of someone else's making.
        clock.set(NOW)
        other = HERE / "other-device.json"
        store.export_user("binta", other)
        document = json.loads(other.read_text(encoding="utf-8"))
        rows = document["reviews"]["rows"]
        uids = ["phone-1", "ABCDEF0123456789ABCDEF0123456789", "0" * 32, "a_b-c", "f" * 31]
        for i, uid in enumerate(uids):
            row = list(rows[i])
            row[0] = uid
            row[10] = '{"from": "elsewhere"}' if i % 2 else None
            rows.append(row)
        document["user"] = "awa"
        other.write_text(json.dumps(document), encoding="utf-8")
        store.import_user(other)
        other.unlink()
        for user in ("awa", "binta"):
            store.export_user(user, HERE / f"export-{user}.json")
    # One self-contained file, as a user's would be after a clean close.
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")


if __name__ == "__main__":
    main()
