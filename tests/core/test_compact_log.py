"""Schema 6, the compact answer log: a file written by schema 5 migrates at its first
opening, exports the same JSON after as before, keeps a copy from before, and a failed
migration leaves it as it was. The schema 5 file was made by the schema 5 code
(``tests/data/progress_v5/make.py``)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import CliRunner
from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Rating, Scheduler, SchedulingSettings
from maliquiz.core.progress import answer_log, connection, daily
from maliquiz.core.progress.connection import SCHEMA_VERSION, StoreError, progress_path
from maliquiz.core.progress.store import Store

V5 = Path(__file__).resolve().parents[1] / "data" / "progress_v5"
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)  # the fixture's export time


def open_at(path: Path) -> Store:
    return Store.open(
        path,
        clock=ManualClock(NOW),
        calendar=StudyCalendar(tz=UTC),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    )


def dump(path: Path) -> list[str]:
    """Everything in the file, as SQL text (what the file holds, not how)."""
    with closing(sqlite3.connect(path)) as db:
        return list(db.iterdump())


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(V5 / "progress-v5.sqlite3", path)
    return path


def version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def test_a_schema_5_file_migrates_and_exports_the_same_json(old_file: Path) -> None:
    assert version(old_file) == 5
    before = old_file.read_bytes()
    with closing(sqlite3.connect(old_file)) as db:
        sums_before = db.execute("SELECT * FROM daily ORDER BY user_id, day").fetchall()
    with open_at(old_file) as store:
        for user in ("awa", "binta"):
            store.export_user(user, old_file.parent / f"{user}.json")
            assert (old_file.parent / f"{user}.json").read_bytes() == (
                V5 / f"export-{user}.json"
            ).read_bytes()
    assert version(old_file) == SCHEMA_VERSION == 8
    copy = old_file.with_name("progress.sqlite3.before-v6")
    assert dump(copy) == dump(V5 / "progress-v5.sqlite3")  # the file as it was
    assert old_file.stat().st_size < len(before) * 0.65  # vacuumed after (v7 adds a page)
    with closing(sqlite3.connect(old_file)) as db:
        kinds = dict(db.execute("SELECT name, type FROM sqlite_schema"))
        assert kinds["reviews"] == "view"
        # The daily sums, summed again from the new log, are those of before.
        db.execute("BEGIN")
        daily.rebuild(db, StudyCalendar(tz=UTC), [1, 2])
        assert db.execute("SELECT * FROM daily ORDER BY user_id, day").fetchall() == sums_before
        db.execute("ROLLBACK")


def test_the_cli_export_is_the_same_after_the_migration(
    data_dir: Path, run_cli: CliRunner, tmp_path: Path
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(V5 / "progress-v5.sqlite3", progress_path(data_dir))
    out = tmp_path / "awa.json"
    done = run_cli("progress", "export", "-o", str(out), env={"MALIQUIZ_USER": "awa"})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert version(progress_path(data_dir)) == SCHEMA_VERSION
    made = json.loads(out.read_text(encoding="utf-8"))
    kept = json.loads((V5 / "export-awa.json").read_text(encoding="utf-8"))
    made.pop("exported_at"), kept.pop("exported_at")  # now, in the CLI
    assert made == kept


def test_after_the_migration_undo_restores_the_snapshot_of_before(old_file: Path) -> None:
    rows = json.loads((V5 / "export-awa.json").read_text(encoding="utf-8"))["reviews"]["rows"]
    with open_at(old_file) as store:
        mine = {r.uid for r in store.reviews("awa") if not r.imported}
        last = [row for row in rows if row[0] in mine][-1]
        count = store.review_count("awa")
        undone = store.undo_last("awa")
        assert undone is not None and undone.uid == last[0]
        assert store.review_count("awa") == count - 1
        card = store.card("awa", last[1], last[2])
        if last[10] is None:
            assert card is None or not last[9]
        elif last[9]:  # scheduled: the card's row is back as the snapshot says
            snapshot = json.loads(last[10])
            assert card is not None and card.state.to_json() == snapshot["memory"]


def test_a_failed_migration_leaves_the_file_as_it_was(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(old_file)

    def half_done(db: sqlite3.Connection) -> None:
        answer_log.migrate(db)
        raise ValueError("the disk said no")

    steps = list(connection.MIGRATIONS)
    steps[5] = half_done
    monkeypatch.setattr(connection, "MIGRATIONS", steps)
    with pytest.raises(StoreError) as failed:
        open_at(old_file)
    message = str(failed.value)
    assert "cannot upgrade the progress file" in message and "from version 5 to 6" in message
    assert "left as it was" in message and "before-v6" in message
    assert version(old_file) == 5
    assert dump(old_file) == before
    monkeypatch.undo()
    with open_at(old_file) as store:  # and the next opening migrates it
        assert store.review_count("awa") > 0


# --- the compact log itself ---------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_at(tmp_path / "progress.sqlite3") as opened:
        opened.ensure_user("awa")
        yield opened


def review_row(uid: str, card: str = "c", at: int = 0) -> list[object]:
    at_ms = int((NOW - timedelta(days=1)).timestamp() * 1000) + at
    return [uid, "d", card, at_ms, "typed", "Bamako", "correct", 3, 1200, 1, None]


def test_uids_of_every_form_come_back_as_written_and_stay_unique(store: Store) -> None:
    uids = [
        "0123456789abcdef0123456789abcdef",  # as maliquiz writes them: kept in 16 bytes
        "0123456789ABCDEF0123456789ABCDEF",  # upper case: kept as text
        "phone-1",
        "xx-1",  # the same last 4 characters as the one before
        "1",
        "ffffffffffffffffffffffffffffffff",
    ]
    rows = [review_row(uid, at=i) for i, uid in enumerate(uids)]
    with store._write() as db:
        assert answer_log.insert_rows(db, 1, rows, imported=1) == len(uids)
        assert answer_log.insert_rows(db, 1, rows, imported=1) == 0  # each uid once
    assert [r.uid for r in store.reviews("awa")] == uids
    with closing(sqlite3.connect(store.path)) as db:
        stored = dict(db.execute("SELECT id, typeof(uid) FROM review_log"))
        assert list(stored.values()) == ["blob", "text", "text", "text", "text", "blob"]


def test_undo_snapshots_come_back_byte_for_byte() -> None:
    for text in ('{"a": 1}', "", "é" * 3000, json.dumps({"memory": "x" * 16_000})):
        packed = answer_log.pack_state(text)
        assert answer_log.unpack_state(packed) == text
    with pytest.raises(ValueError):
        answer_log.unpack_state(b"\x07abc")


def test_an_answer_takes_little_room(store: Store) -> None:
    """Answers recorded here, on 100 cards: the log, its indexes and the undo snapshots
    take about a third of what schema 5 gave them (780 bytes an answer, 520 of them
    the snapshot's JSON; 270 now, 120 of them the snapshot deflated)."""
    for n in range(1500):
        store.record_answer(
            "awa",
            "d",
            f"card-{n % 100}",
            rating=Rating.Good if n % 7 else Rating.Again,
            outcome="correct" if n % 7 else "wrong",
            mode="typed",
            answer=f"Réponse {n % 100}",
            duration=timedelta(seconds=5),
        )
        store.clock.advance(minutes=3)  # type: ignore[attr-defined]
    with closing(sqlite3.connect(store.path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        used = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    log = sum(used[name] for name in used if name.startswith(("review", "reviews_")))
    assert log / 1500 < 300


def test_the_cli_says_in_one_line_that_an_upgrade_failed(
    data_dir: Path, run_cli: CliRunner
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = progress_path(data_dir)
    shutil.copyfile(V5 / "progress-v5.sqlite3", path)
    with closing(sqlite3.connect(path)) as db, db:  # a snapshot schema 5 never wrote
        db.execute("UPDATE reviews SET state_before = x'ff' WHERE id = 2")
    before = dump(path)
    done = run_cli("stats", env={"MALIQUIZ_USER": "awa"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "cannot upgrade the progress file" in line and "left as it was" in line
    assert "undo snapshot could not be converted" in line
    assert version(path) == 5 and dump(path) == before


def test_a_long_history_exports_as_one_compact_json_document(tmp_path: Path) -> None:
    """The export is written as the log is read, a few thousand answers at a time: with
    more answers than one batch it is still the text one ``json.dump`` would write, and
    holds every answer brought in, in order."""
    at = int(NOW.timestamp() * 1000) - 20_000 * 60_000
    rows = [
        [f"{n:032x}", "minusma", f"c{n % 7}", at + n * 60_000, "typed", "Bamako « ville »",
         "correct", 3, 4_000, 1, None]
        for n in range(12_001)
    ]  # fmt: skip
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps(
            {
                "format": "maliquiz-progress",
                "version": 1,
                "user": "awa",
                "exported_at": NOW.isoformat(),
                "cards": {"columns": list(connection.CARD_COLUMNS), "rows": []},
                "reviews": {"columns": list(connection.REVIEW_COLUMNS), "rows": rows},
                "exams": {"columns": list(connection.EXAM_COLUMNS), "rows": []},
            }
        ),
        encoding="utf-8",
    )
    with open_at(progress_path(tmp_path)) as store:
        store.import_user(source)
        store.export_user("awa", tmp_path / "out.json")
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    assert document["reviews"]["rows"] == rows
    assert document["cards"]["rows"] == [] and document["exams"]["rows"] == []


def test_an_unreadable_undo_record_is_exported_without_it(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    """An undo snapshot that cannot be unpacked does not stop the export: the answer is
    written without it (an imported answer is never undone) and the learner is told.
    Exporting a learner who is not there writes no file, not even a partial one."""
    clock = ManualClock(NOW)
    with Store.open(
        progress_path(tmp_path), clock=clock, calendar=StudyCalendar(UTC),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    ) as store:  # fmt: skip
        store.ensure_user("awa")
        for _ in range(3):  # a card answered again keeps its state before, for undo
            clock.advance(minutes=11)
            store.record_answer(
                "awa", "minusma", "c1", rating=Rating.Good, outcome="correct", mode="typed"
            )
    with closing(sqlite3.connect(progress_path(tmp_path))) as db, db:
        db.execute(
            "UPDATE review_undo SET state_before = x'00ff' "
            "WHERE review = (SELECT MAX(review) FROM review_undo)"
        )
    with open_at(progress_path(tmp_path)) as store:
        assert store.export_user("awa", tmp_path / "out.json") == 1
        with pytest.raises(StoreError):
            store.export_user("nobody", tmp_path / "none.json")
    rows = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["reviews"]["rows"]
    assert len(rows) == 3 and rows[0][10] is None and rows[1][10] is not None
    assert rows[2][10] is None  # the unreadable one
    assert sorted(p.name for p in tmp_path.glob("none.json*")) == []
    done = run_cli(
        "--user", "awa", "progress", "export", "-o", str(tmp_path / "cli.json"),
        env={"MALIQUIZ_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 answer's undo record could not be read" in done.stderr


def test_codes_another_process_added_are_found_not_added_again(store: Store) -> None:
    """A store keeps the mode and outcome codes it has read; a code another process
    added since is read from the file when first needed, never given a second number."""

    def answer(on: Store, card: str, mode: str) -> None:
        on.record_answer("awa", "d", card, rating=Rating.Good, outcome="correct", mode=mode)

    answer(store, "a", "typed")  # the codes are kept from here on
    with Store.open(store.path, clock=store.clock, calendar=store.calendar) as other:
        answer(other, "b", "oral")  # a mode this file did not have
    answer(store, "c", "oral")
    with closing(sqlite3.connect(store.path)) as db:
        assert db.execute("SELECT count(*) FROM review_modes WHERE name = 'oral'").fetchone() == (
            1,
        )
    assert [r.mode for r in store.reviews("awa")] == ["typed", "oral", "oral"]
