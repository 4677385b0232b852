"""The progress store: a real SQLite file in the test's folder, a manual clock, no mocks."""

from __future__ import annotations

import itertools
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Rating, Scheduler, SchedulingSettings, State
from maliquiz.core.progress.connection import (
    SCHEMA_VERSION,
    BrokenStoreError,
    NewerSchemaError,
    StoreError,
    progress_path,
)
from maliquiz.core.progress.store import Store
from maliquiz.core.progress.transfer import ImportFileError
from maliquiz.core.progress.users import UnknownUserError, UserExistsError, UserNameError

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2024, 5, 1, 7, tzinfo=UTC)  # 09:00 in Paris
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def open_store(path: Path, clock: ManualClock) -> Store:
    return Store.open(
        path,
        clock=clock,
        calendar=StudyCalendar(tz=PARIS),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    )


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[Store]:
    with open_store(progress_path(tmp_path), clock) as opened:
        opened.ensure_user("awa")
        yield opened


def answer(store: Store, card: str, rating: Rating = Rating.Good, **extra: object) -> str:
    recorded = store.record_answer(
        "awa",
        "minusma",
        card,
        rating=rating,
        outcome=Outcome.CORRECT if rating > Rating.Again else Outcome.WRONG,
        mode="typed",
        answer="2013",
        duration=timedelta(seconds=4),
        **extra,  # type: ignore[arg-type]
    )
    return recorded.uid


def raw_row(path: Path, card: str) -> tuple[object, ...] | None:
    with closing(sqlite3.connect(path)) as db, db:
        row = db.execute("SELECT * FROM card_states WHERE card_id = ?", (card,)).fetchone()
    return None if row is None else tuple(row)


# --- the file -----------------------------------------------------------------------


def test_file_lives_in_the_data_dir_with_wal_and_a_version(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = progress_path(tmp_path / "data")
    assert path == tmp_path / "data" / "progress.sqlite3"
    with open_store(path, clock):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] != 0
    db.close()


def test_reopening_keeps_everything(tmp_path: Path, clock: ManualClock) -> None:
    path = progress_path(tmp_path)
    with open_store(path, clock) as store:
        store.ensure_user("awa")
        answer(store, "mandat")
    with open_store(path, clock) as store:
        assert store.review_count("awa") == 1
        assert store.card("awa", "minusma", "mandat") is not None


def test_an_answer_is_committed_before_record_returns(store: Store) -> None:
    uid = answer(store, "mandat")
    # Another connection sees it at once: nothing waits in an open transaction.
    with closing(sqlite3.connect(store.path)) as other, other:
        assert other.execute("SELECT count(*) FROM reviews WHERE uid = ?", (uid,)).fetchone() == (
            1,
        )


def test_answer_is_logged_with_everything(store: Store, clock: ManualClock) -> None:
    answer(store, "mandat")
    (review,) = store.reviews("awa")
    assert review.deck_id == "minusma" and review.card_id == "mandat"
    assert review.reviewed_at == T0
    assert (review.mode, review.answer, review.outcome) == ("typed", "2013", "correct")
    assert review.rating == Rating.Good and review.duration == timedelta(seconds=4)
    assert review.scheduled and not review.imported


# --- undo ---------------------------------------------------------------------------


def test_undo_restores_the_previous_state_exactly(store: Store, clock: ManualClock) -> None:
    for rating in (Rating.Good, Rating.Good, Rating.Again, Rating.Good):
        answer(store, "mandat", rating)
        clock.advance(days=3)
    store.bury("awa", "minusma", "mandat")
    before_row = raw_row(store.path, "mandat")
    before = store.card("awa", "minusma", "mandat")
    reviews_before = store.reviews("awa")

    recorded = store.record_answer(
        "awa", "minusma", "mandat", rating=Rating.Again, outcome=Outcome.WRONG, mode="choice"
    )
    assert raw_row(store.path, "mandat") != before_row
    undone = store.undo_last("awa")

    assert undone is not None and undone.uid == recorded.uid
    assert raw_row(store.path, "mandat") == before_row
    assert store.card("awa", "minusma", "mandat") == before == undone.restored
    assert store.reviews("awa") == reviews_before


def test_undo_of_a_first_answer_makes_the_card_new_again(store: Store) -> None:
    answer(store, "mandat")
    undone = store.undo_last("awa")
    assert undone is not None and undone.restored is None
    assert store.card("awa", "minusma", "mandat") is None
    assert store.review_count("awa") == 0
    assert store.undo_last("awa") is None


def test_undo_walks_back_answer_by_answer(store: Store, clock: ManualClock) -> None:
    rows = []
    for card in ("a", "b", "a"):
        rows.append((card, raw_row(store.path, card)))
        answer(store, card)
        clock.advance(minutes=1)
    for card, row in reversed(rows):
        undone = store.undo_last("awa")
        assert undone is not None and undone.card_id == card
        assert raw_row(store.path, card) == row
    assert store.review_count("awa") == 0


def test_undo_is_per_user(store: Store) -> None:
    store.ensure_user("binta")
    answer(store, "mandat")
    assert store.undo_last("binta") is None
    assert store.review_count("awa") == 1


# --- practice, bury, suspend, leech -------------------------------------------------


def test_practice_answers_are_logged_without_moving_the_card(store: Store) -> None:
    answer(store, "mandat")
    row = raw_row(store.path, "mandat")
    answer(store, "mandat", Rating.Again, schedule=False)
    assert raw_row(store.path, "mandat") == row
    assert [r.scheduled for r in store.reviews("awa")] == [True, False]
    answer(store, "new-one", schedule=False)
    assert store.card("awa", "minusma", "new-one") is None
    assert store.undo_last("awa") is not None
    assert raw_row(store.path, "mandat") == row


def test_bury_until_the_next_study_day(store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2024, 5, 1, 23, 30, tzinfo=PARIS))
    until = store.bury("awa", "minusma", "mandat")
    assert until == datetime(2024, 5, 2, 4, 0, tzinfo=PARIS)
    record = store.card("awa", "minusma", "mandat")
    assert record is not None and record.state.is_new
    assert record.is_buried(datetime(2024, 5, 2, 3, 59, tzinfo=PARIS))
    assert not record.is_buried(until)
    store.unbury("awa", "minusma", "mandat")
    record = store.card("awa", "minusma", "mandat")
    assert record is not None and record.buried_until is None


def test_suspend_and_unsuspend_keep_the_schedule(store: Store) -> None:
    answer(store, "mandat")
    due = store.card_state("awa", "minusma", "mandat").due
    store.suspend("awa", "minusma", "mandat")
    record = store.card("awa", "minusma", "mandat")
    assert record is not None and record.suspended and record.state.due == due
    store.unsuspend("awa", "minusma", "mandat")
    record = store.card("awa", "minusma", "mandat")
    assert record is not None and not record.suspended and record.state.due == due


def test_a_card_becomes_a_leech_after_eight_lapses(store: Store, clock: ManualClock) -> None:
    leeched_at = []
    for lapse in range(1, 10):
        while store.card_state("awa", "minusma", "mandat").state != State.Review:
            clock.set(max(clock.now(), store.card_state("awa", "minusma", "mandat").due))
            answer(store, "mandat", Rating.Good)
        clock.set(store.card_state("awa", "minusma", "mandat").due)
        recorded = store.record_answer(
            "awa", "minusma", "mandat", rating=Rating.Again, outcome=Outcome.WRONG, mode="typed"
        )
        assert recorded.after.state.lapses == lapse
        assert recorded.after.leech == (lapse >= 8)
        if recorded.became_leech:
            leeched_at.append(lapse)
    assert leeched_at == [8]


def test_new_card_state_for_an_unknown_card(store: Store) -> None:
    state = store.card_state("awa", "minusma", "never")
    assert state.is_new and state.due == T0
    assert store.card("awa", "minusma", "never") is None


def test_progress_is_keyed_on_deck_and_card_ids(store: Store) -> None:
    answer(store, "mandat")
    store.record_answer(
        "awa", "barkhane", "mandat", rating=Rating.Again, outcome="wrong", mode="choice"
    )
    assert store.card_state("awa", "minusma", "mandat").reps == 1
    assert store.card_state("awa", "barkhane", "mandat").reps == 1
    assert len(store.cards("awa")) == 2 and len(store.cards("awa", "barkhane")) == 1
    with pytest.raises(ValueError):
        store.record_answer("awa", "", "x", rating=Rating.Good, outcome="correct", mode="typed")


# --- users --------------------------------------------------------------------------


def test_users_are_created_on_first_use(store: Store) -> None:
    first = store.ensure_user("Binta")
    assert store.ensure_user("binta") == first  # one learner, whatever the case
    assert store.ensure_user("  Binta ") == first
    assert [u.name for u in store.users()] == ["awa", "Binta"]
    with pytest.raises(UserExistsError):
        store.add_user("BINTA")
    assert store.add_user("Chaka").name == "Chaka"


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "a/b",
        "a\\b",
        "..",
        "a..b",
        ".",
        "tab\there",
        "nul\x00",
        "rtl\u202eevil",
        "x" * 65,
    ],
)
def test_bad_user_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(UserNameError):
        store.ensure_user(name)
    with pytest.raises(UserNameError):
        store.rename_user("awa", name)


def test_good_user_names(store: Store) -> None:
    for name in ("Aïssata Traoré", "élève-2", "x" * 64, "O'Neil", "用户"):
        assert store.ensure_user(name).name == name


def test_rename_keeps_progress_and_remove_deletes_it(store: Store) -> None:
    answer(store, "mandat")
    store.record_exam("awa", decks=["minusma"], score=1, max_score=2, results=[{"card": "mandat"}])
    store.rename_user("awa", "Awa Diallo")
    assert store.review_count("Awa Diallo") == 1
    with pytest.raises(UnknownUserError):
        store.review_count("awa")
    store.ensure_user("binta")
    with pytest.raises(UserExistsError):
        store.rename_user("Awa Diallo", "Binta")
    store.remove_user("Awa Diallo")
    assert [u.name for u in store.users()] == ["binta"]
    with closing(sqlite3.connect(store.path)) as db, db:
        for table in ("card_states", "reviews", "exams"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    with pytest.raises(UnknownUserError):
        store.remove_user("nobody")


def test_answers_need_an_existing_user(store: Store) -> None:
    with pytest.raises(UnknownUserError):
        store.record_answer("ghost", "d", "c", rating=Rating.Good, outcome="correct", mode="typed")


# --- exams --------------------------------------------------------------------------


def test_exams_are_kept_with_their_results(store: Store, clock: ManualClock) -> None:
    results = [
        {"card": "mandat", "verdict": "correct", "answer": "2013"},
        {"card": "fin", "verdict": "wrong"},
    ]
    exam = store.record_exam(
        "awa",
        decks=["minusma"],
        tags=["onu"],
        score=1,
        max_score=2,
        results=results,
        duration=timedelta(minutes=5),
    )
    clock.advance(days=1)
    store.record_exam("awa", decks=["barkhane"], score=2, max_score=2, results=[])
    exams = store.exams("awa")
    assert exams[0] == exam and exams[0].results == results and exams[0].taken_at == T0
    assert [e.decks for e in exams] == [["minusma"], ["barkhane"]]
    with pytest.raises(ValueError):
        store.record_exam("awa", decks=["x"], score=3, max_score=2, results=[])


# --- damaged, foreign and newer files -----------------------------------------------


def broken_copies(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.iterdir() if ".broken-" in p.name)


def test_a_file_that_is_not_sqlite_is_moved_aside(tmp_path: Path, clock: ManualClock) -> None:
    path = progress_path(tmp_path)
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    with pytest.raises(BrokenStoreError, match="moved to") as caught:
        open_store(path, clock)
    moved = tmp_path / "progress.sqlite3.broken-20240501T070000Z"
    assert caught.value.moved_to == moved
    assert moved.read_bytes() == b"these are my notes, not a database\n" * 10
    assert not path.exists()
    with open_store(path, clock) as store:  # the next start begins afresh
        assert store.users() == []


def test_a_truncated_file_is_moved_aside(tmp_path: Path, clock: ManualClock) -> None:
    path = progress_path(tmp_path)
    with open_store(path, clock) as store:
        store.ensure_user("awa")
        for i in range(300):
            answer(store, f"card-{i}")
    data = path.read_bytes()
    assert not path.with_name(path.name + "-wal").exists()  # checkpointed on close
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BrokenStoreError, match="truncated"):
        open_store(path, clock)
    assert [p.read_bytes() for p in broken_copies(path)] == [data[: len(data) // 2]]


def test_a_header_cut_short_is_moved_aside(tmp_path: Path, clock: ManualClock) -> None:
    path = progress_path(tmp_path)
    path.write_bytes(b"SQLite format 3\x00\x10\x00")
    with pytest.raises(BrokenStoreError):
        open_store(path, clock)
    assert len(broken_copies(path)) == 1


def test_another_programs_sqlite_file_is_moved_aside(tmp_path: Path, clock: ManualClock) -> None:
    path = progress_path(tmp_path)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(BrokenStoreError, match="not a maliquiz progress file"):
        open_store(path, clock)
    (moved,) = broken_copies(path)
    with closing(sqlite3.connect(moved)) as db, db:
        assert db.execute("SELECT name FROM sqlite_schema").fetchall() == [("recipes",)]


def test_broken_copies_never_overwrite_each_other(tmp_path: Path, clock: ManualClock) -> None:
    path = progress_path(tmp_path)
    for content in (b"first broken file....." * 5, b"second broken file...." * 5):
        path.write_bytes(content)
        with pytest.raises(BrokenStoreError):
            open_store(path, clock)  # same clock second: same timestamp
    assert sorted(p.read_bytes()[:6] for p in broken_copies(path)) == [b"first ", b"second"]


def test_a_path_that_cannot_be_a_file_is_a_clear_error(tmp_path: Path, clock: ManualClock) -> None:
    (tmp_path / "progress.sqlite3").mkdir()
    with pytest.raises(StoreError, match="cannot open the progress file"):
        open_store(progress_path(tmp_path), clock)
    (tmp_path / "blocker").write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open the progress file"):
        open_store(progress_path(tmp_path / "blocker" / "data"), clock)
    assert broken_copies(progress_path(tmp_path)) == []


def test_a_newer_file_is_left_untouched(tmp_path: Path, clock: ManualClock) -> None:
    path = progress_path(tmp_path)
    with open_store(path, clock) as store:
        store.ensure_user("awa")
        answer(store, "mandat")
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    data = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="upgrade maliquiz") as caught:
        open_store(path, clock)
    assert caught.value.found == SCHEMA_VERSION + 1
    assert path.read_bytes() == data and broken_copies(path) == []


# --- several processes --------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import sys
    import time
    from datetime import datetime, timedelta, UTC
    from pathlib import Path
    sys.path.insert(0, {src!r})
    from maliquiz.core.learning.clock import ManualClock, StudyCalendar
    from maliquiz.core.learning.scheduling import Rating
    from maliquiz.core.progress.store import Store

    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    clock = ManualClock(datetime(2024, 5, 1, 7, tzinfo=UTC))
    store = Store.open(path, clock=clock, calendar=StudyCalendar(tz=UTC),
                       busy_timeout=timedelta(seconds=60))
    store.ensure_user("awa")
    print("ready", flush=True)
    sys.stdin.readline()  # start together with the other worker
    i = 0
    while count < 0 or i < count:
        recorded = store.record_answer(
            "awa", "minusma", f"card-{{i % 5}}", rating=Rating.Good,
            outcome="correct", mode="typed", answer=name,
        )
        print(recorded.uid, flush=True)  # reported as recorded only once committed
        clock.advance(minutes=1)
        i += 1
        # A learner thinks between answers. With no pause at all, one writer retakes
        # the lock before SQLite's busy handler (which sleeps whole milliseconds) wakes
        # the other, and the two would take turns only a few times.
        time.sleep(0.002)
    """
).format(src=str(SRC))


def test_two_processes_answering_for_one_user_lose_nothing(tmp_path: Path) -> None:
    path = progress_path(tmp_path)
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(path), name, "300"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline() == "ready\n", worker.stderr
    for worker in workers:  # release both before waiting on either
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "locked" not in err
    uids = {line for out, _ in outputs for line in out.split()}
    assert len(uids) == 600
    with closing(sqlite3.connect(path)) as db, db:
        assert {row[0] for row in db.execute("SELECT uid FROM reviews")} == uids
        # Each answer was scheduled on the state the other process left: no lost update.
        assert db.execute("SELECT sum(reps) FROM card_states").fetchone() == (600,)
        assert db.execute("SELECT answer, count(*) FROM reviews GROUP BY answer").fetchall() == [
            ("first", 300),
            ("second", 300),
        ]
        order = [row[0] for row in db.execute("SELECT answer FROM reviews ORDER BY id")]
    # The two really ran at once: their answers interleave in the log.
    assert sum(a != b for a, b in itertools.pairwise(order)) > 10


def test_answers_survive_a_killed_process(tmp_path: Path) -> None:
    path = progress_path(tmp_path)
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    worker = subprocess.Popen(
        [sys.executable, str(script), str(path), "doomed", "-1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    assert worker.stdout.readline() == "ready\n"
    reported = [worker.stdout.readline().strip() for _ in range(40)]
    worker.send_signal(signal.SIGKILL)  # mid-session, likely mid-transaction
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert all(reported)

    with Store.open(path, clock=ManualClock(T0), calendar=StudyCalendar(tz=UTC)) as store:
        assert store.integrity_check() == ["ok"]
        kept = {review.uid for review in store.reviews("awa")}
        assert set(reported) <= kept
        assert sum(record.state.reps for record in store.cards("awa")) == len(kept)


# --- export and import --------------------------------------------------------------


def test_export_then_import_twice_adds_nothing_twice(
    store: Store, tmp_path: Path, clock: ManualClock
) -> None:
    for card in ("mandat", "fin", "mandat"):
        answer(store, card)
        clock.advance(minutes=5)
    store.suspend("awa", "minusma", "fin")
    store.record_exam("awa", decks=["minusma"], score=1, max_score=1, results=[{"card": "fin"}])
    exported = tmp_path / "awa.json"
    store.export_user("awa", exported)
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["format"] == "maliquiz-progress" and document["user"] == "awa"

    with open_store(tmp_path / "other" / "progress.sqlite3", ManualClock(T0)) as other:
        first = other.import_user(exported)
        assert (first.user, first.reviews_added, first.exams_added, first.cards_updated) == (
            "awa",
            3,
            1,
            2,
        )
        second = other.import_user(exported)
        assert (second.reviews_added, second.exams_added, second.cards_updated) == (0, 0, 0)
        assert other.cards("awa") == store.cards("awa")
        assert [r.uid for r in other.reviews("awa")] == [r.uid for r in store.reviews("awa")]
        assert all(r.imported for r in other.reviews("awa"))
        assert other.exams("awa") == store.exams("awa")
        assert other.undo_last("awa") is None  # another machine's answers are not undone here
        # Under another name the same file is another learner's history: answers and
        # card states arrive together, so the two stay in step.
        copy = other.import_user(exported, as_user="Awa 2")
        assert (copy.reviews_added, copy.cards_updated) == (3, 2)
        assert other.import_user(exported, as_user="Awa 2").reviews_added == 0

    again = store.import_user(exported)  # into the store it came from
    assert (again.reviews_added, again.exams_added, again.cards_updated) == (0, 0, 0)


def test_import_takes_the_newer_state_of_each_card(
    store: Store, tmp_path: Path, clock: ManualClock
) -> None:
    answer(store, "mandat")
    exported = tmp_path / "old.json"
    store.export_user("awa", exported)
    clock.advance(minutes=10)
    answer(store, "mandat")
    newer = store.card("awa", "minusma", "mandat")
    report = store.import_user(exported)
    assert report.cards_updated == 0
    assert store.card("awa", "minusma", "mandat") == newer


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"format": "something-else"}',
        '{"format": "maliquiz-progress", "version": 99, "user": "a"}',
        '{"format": "maliquiz-progress", "version": 1, "user": "a", "cards": {"columns": [], "rows": []}}',
    ],
)
def test_import_refuses_files_it_did_not_write(store: Store, tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError):
        store.import_user(bad)
    assert store.users()[0].name == "awa" and len(store.users()) == 1


def test_a_learners_cards_are_the_same_whether_the_file_holds_one_learner_or_more(
    store: Store,
) -> None:
    """With one learner the card table is read in order, with several through the
    index (only that learner's rows): the same rows come back either way."""
    for n in range(30):
        store.record_answer(
            "awa", f"d{n % 3}", f"c{n}", rating=Rating.Good, outcome="correct", mode="typed"
        )
    alone = (store.cards("awa"), store.card_figures("awa"))
    store.ensure_user("bob")
    store.record_answer("bob", "d0", "c0", rating=Rating.Again, outcome="wrong", mode="typed")
    assert (store.cards("awa"), store.card_figures("awa")) == alone
    assert [(r.deck_id, r.card_id) for r in store.cards("bob")] == [("d0", "c0")]
    assert list(store.card_figures("bob")) == [("d0", "c0")]
