"""``maliquiz users``, ``progress`` and ``stats`` as users run them: the real CLI in a
subprocess, a temporary data dir (MALIQUIZ_DATA_DIR), MALIQUIZ_USER=tester, English.

Progress is written beforehand with the real store in this process, on the same file.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from conftest import CliRunner
from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

DATA = Path(__file__).resolve().parent / "data"
DECK_ID = "test-every-type"


def ok(done: object) -> None:
    assert getattr(done, "returncode", None) == 0, getattr(done, "stderr", "")


def failed(done: object, *fragments: str) -> None:
    """Exit 1 with a one-line-per-problem message containing ``fragments``; never a
    traceback."""
    stderr = getattr(done, "stderr", "")
    assert getattr(done, "returncode", None) == 1, (getattr(done, "stdout", ""), stderr)
    assert "Traceback" not in stderr
    assert any(line.startswith("maliquiz: ") or "error:" in line for line in stderr.splitlines())
    for fragment in fragments:
        assert fragment in stderr, stderr


@pytest.fixture
def with_deck(data_dir: Path) -> Path:
    """The test deck in the learner's decks folder."""
    own = data_dir / "decks"
    own.mkdir(parents=True)
    return Path(shutil.copy(DATA / "every_type.yaml", own / "every_type.yaml"))


def study(
    data_dir: Path, user: str = "tester", cards: tuple[str, ...] = ("flash-minusma",)
) -> None:
    """Answer ``cards`` for ``user`` now, through the real store."""
    with Store.open(progress_path(data_dir)) as store:
        store.ensure_user(user)
        for card in cards:
            store.record_answer(
                user,
                DECK_ID,
                card,
                rating=Rating.Good,
                outcome=Outcome.CORRECT,
                mode="flashcard",
            )


def user_names(run_cli: CliRunner) -> list[str]:
    done = run_cli("users", "list")
    ok(done)
    return [line[2:].split("  (")[0] for line in done.stdout.splitlines() if "  (" in line]


# --- users ----------------------------------------------------------------------------


def test_users_add_list_marks_the_current_one(run_cli: CliRunner) -> None:
    done = run_cli("users", "list")
    ok(done)
    assert "`tester` will be created on first use" in done.stdout
    ok(run_cli("users", "add", "awa"))
    ok(run_cli("users", "add", "tester"))
    done = run_cli("users", "list")
    ok(done)
    assert done.stdout.splitlines() == ["  awa  (0 answers)", "* tester  (0 answers)"]


def test_users_list_counts_answers_and_notes_a_current_user_without_progress(
    run_cli: CliRunner, data_dir: Path
) -> None:
    study(data_dir, "awa", ("flash-minusma", "text-wagner"))
    done = run_cli("users", "list")
    ok(done)
    assert "  awa  (2 answers)" in done.stdout
    assert "`tester` has no progress yet" in done.stdout


def test_users_add_twice_in_another_case(run_cli: CliRunner) -> None:
    ok(run_cli("users", "add", "Awa"))
    failed(run_cli("users", "add", "awa"), "already exists")
    assert user_names(run_cli) == ["Awa"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("a/b", "cannot contain / or \\"),
        ("a\\b", "cannot contain / or \\"),
        ("..", "`..`"),
        ("..hidden", "`..`"),
        ("../etc", "cannot contain /"),
        ("a\x01b", "control characters"),
        ("a\x1b[31mb", "control characters"),
        ("a\nb", "control characters"),
        ("a\u202eb", "control characters"),  # right-to-left override
        ("x" * 65, "at most 64 characters"),
        ("   ", "cannot be empty"),
    ],
)
def test_users_add_refuses_bad_names(run_cli: CliRunner, name: str, reason: str) -> None:
    done = run_cli("users", "add", name)
    failed(done, reason)
    assert "\x1b" not in done.stderr and "\x01" not in done.stderr  # shown escaped
    assert user_names(run_cli) == []


def test_a_bad_current_user_name_is_refused_before_the_file_is_touched(
    run_cli: CliRunner, data_dir: Path, with_deck: Path
) -> None:
    for command in (["stats"], ["progress", "export", "-o", str(data_dir / "x.json")]):
        failed(run_cli(*command, env={"MALIQUIZ_USER": "..evil"}), "`..`")
        failed(run_cli("--user", "a/b", *command), "cannot contain /")
    assert not progress_path(data_dir).exists()


def test_users_remove_asks_and_refuses_without_an_answer(run_cli: CliRunner) -> None:
    ok(run_cli("users", "add", "awa"))
    done = run_cli("users", "remove", "awa", input="")
    failed(done, "not removing `awa`", "--yes")
    assert "Type `yes` to confirm" in done.stderr
    done = run_cli("users", "remove", "awa", input="no\n")
    assert done.returncode == 1 and "Nothing removed." in done.stdout
    assert user_names(run_cli) == ["awa"]
    done = run_cli("users", "remove", "awa", input="yes\n")
    ok(done)
    assert "Removed learner `awa`." in done.stdout
    assert user_names(run_cli) == []


def test_users_remove_with_yes_deletes_the_progress(run_cli: CliRunner, data_dir: Path) -> None:
    study(data_dir, "awa")
    ok(run_cli("users", "remove", "AWA", "--yes"))
    assert user_names(run_cli) == []
    with closing(sqlite3.connect(progress_path(data_dir))) as db:
        assert db.execute("SELECT count(*) FROM reviews").fetchone() == (0,)


def test_users_remove_unknown(run_cli: CliRunner) -> None:
    failed(run_cli("users", "remove", "nobody", "--yes"), "no user named `nobody`")


def test_users_rename(run_cli: CliRunner, data_dir: Path) -> None:
    study(data_dir, "tester")
    ok(run_cli("users", "add", "awa"))
    done = run_cli("users", "rename", "tester", "moussa")
    ok(done)
    assert "Renamed learner `tester` to `moussa`." in done.stdout
    assert "--user moussa" in done.stdout  # the current learner was renamed
    assert "  moussa  (1 answer)" in run_cli("users", "list").stdout
    failed(run_cli("users", "rename", "moussa", "AWA"), "already exists")
    failed(run_cli("users", "rename", "moussa", "a/b"), "cannot contain /")
    failed(run_cli("users", "rename", "ghost", "casper"), "no user named `ghost`")
    assert user_names(run_cli) == ["awa", "moussa"]


def test_users_without_an_action_is_bad_usage(run_cli: CliRunner) -> None:
    done = run_cli("users")
    assert done.returncode == 2 and "Traceback" not in done.stderr


# --- progress export / import -----------------------------------------------------------


def test_export_then_import_elsewhere_twice(
    run_cli: CliRunner, data_dir: Path, tmp_path: Path, with_deck: Path
) -> None:
    study(data_dir, "tester", ("flash-minusma", "text-wagner", "flash-minusma"))
    out = tmp_path / "tester.json"
    done = run_cli("progress", "export", "-o", str(out))
    ok(done)
    assert "3 answers, 2 cards, 0 exams" in done.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "maliquiz-progress"

    other = {"MALIQUIZ_DATA_DIR": str(tmp_path / "other-machine")}
    done = run_cli("progress", "import", str(out), env=other)
    ok(done)
    assert "Imported into `tester`: 3 answers added, 0 exams added, 2 cards updated." in (
        done.stdout
    )
    done = run_cli("progress", "import", str(out), env=other)
    ok(done)
    assert "Nothing new" in done.stdout
    here = json.loads(run_cli("stats", "--json", str(with_deck)).stdout)
    there = json.loads(run_cli("stats", "--json", str(with_deck), env=other).stdout)
    assert here["decks"] == there["decks"]

    third = {"MALIQUIZ_DATA_DIR": str(tmp_path / "third-machine")}
    done = run_cli("progress", "import", str(out), "--as", "awa", env=third)
    ok(done)
    assert "Imported into `awa`: 3 answers added" in done.stdout
    assert run_cli("users", "list", env=third).stdout.splitlines()[0] == "  awa  (3 answers)"


def test_import_refuses_a_bad_as_name(run_cli: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    study(data_dir)
    out = tmp_path / "p.json"
    ok(run_cli("progress", "export", "-o", str(out)))
    failed(run_cli("progress", "import", str(out), "--as", "../x"), "cannot contain /")
    failed(run_cli("progress", "import", str(out), "--as", "x\x7fy"), "control characters")


def test_import_a_file_whose_user_name_is_bad(
    run_cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    study(data_dir)
    out = tmp_path / "p.json"
    ok(run_cli("progress", "export", "-o", str(out)))
    document = json.loads(out.read_text(encoding="utf-8"))
    document["user"] = "../../root"
    out.write_text(json.dumps(document), encoding="utf-8")
    failed(run_cli("progress", "import", str(out)), "--as NAME")
    ok(run_cli("progress", "import", str(out), "--as", "root"))


def test_export_of_a_learner_with_no_progress(run_cli: CliRunner, tmp_path: Path) -> None:
    failed(run_cli("progress", "export", "-o", str(tmp_path / "x.json")), "no user named")
    assert not (tmp_path / "x.json").exists()


def test_export_to_a_place_that_cannot_be_written(
    run_cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    study(data_dir)
    failed(run_cli("progress", "export", "-o", str(tmp_path / "no" / "dir.json")), "cannot write")
    failed(run_cli("progress", "export", "-o", str(tmp_path)), "is a folder")
    before = progress_path(data_dir).read_bytes()
    failed(
        run_cli("progress", "export", "-o", str(progress_path(data_dir))), "progress file itself"
    )
    assert progress_path(data_dir).read_bytes() == before


def _export(*, short_row: bool = False, column: str | None = None) -> bytes:
    """An export of one answer, with a row cut short or its card_id column misnamed."""
    from maliquiz.core.progress.connection import CARD_COLUMNS, EXAM_COLUMNS, REVIEW_COLUMNS

    row = ["u1", "d", "c", 1_764_547_200_000, "typed", "x", "correct", 3, 100, 1, None]
    rows = [row, row[:3]] if short_row else [row]
    columns = [column if c == "card_id" and column else c for c in REVIEW_COLUMNS]
    document = {
        "format": "maliquiz-progress",
        "version": 1,
        "user": "x",
        "exported_at": "2026-12-01T00:00:00+00:00",
        "cards": {"columns": list(CARD_COLUMNS), "rows": []},
        "reviews": {"columns": columns, "rows": rows},
        "exams": {"columns": list(EXAM_COLUMNS), "rows": []},
    }
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id: deck\ntitle: not progress\n", "not valid JSON (Expecting value: line 1"),
        (bytes(range(256)) * 4, "not a progress file as `maliquiz progress export` writes"),
        (b'{"format": "anki", "rows": []}', "is not a maliquiz progress export"),
        (b'{"format": "maliquiz-progress", "version": 99, "user": "x"}', "version 99"),
        (
            b'{"format": "maliquiz-progress", "version": 1, "user": "x", "cards": 3}',
            "not in the expected form",
        ),
        (
            b'{"format": "maliquiz-progress", "version": 1, "user": "x",',
            "not valid JSON (Expecting property name enclosed in double quotes: line 1 column 59",
        ),
        (_export(short_row=True), "row 2 holds 3 values, where each row holds the 11 values"),
        (_export(column="card_ID"), "columns must be uid, deck_id, card_id, reviewed_ms"),
    ],
    ids=[
        "yaml",
        "binary",
        "other-json",
        "newer-export",
        "malformed-table",
        "truncated",
        "short-row",
        "misspelled-column",
    ],
)
def test_import_of_a_file_that_is_not_an_export(
    run_cli: CliRunner, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "not-progress.json"
    path.write_bytes(content)
    failed(run_cli("progress", "import", str(path)), message)
    assert user_names(run_cli) == []  # nothing half imported


def test_import_of_a_progress_database_or_a_missing_file(
    run_cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    study(data_dir, "awa")
    copy = shutil.copy(progress_path(data_dir), tmp_path / "copy.sqlite3")
    failed(
        run_cli("progress", "import", str(copy)), "a binary file, not text. It is not a progress"
    )
    failed(run_cli("progress", "import", str(progress_path(data_dir))), "progress file itself")
    failed(run_cli("progress", "import", str(tmp_path / "missing.json")), "no such file")
    failed(run_cli("progress", "import", str(tmp_path)), "it is a folder; give the file that")
    for blank in (b"", b" \n\t\n"):
        (tmp_path / "blank.json").write_bytes(blank)
        failed(
            run_cli("progress", "import", str(tmp_path / "blank.json")),
            "the file is empty; give the file that `maliquiz progress export` wrote",
        )


# --- a damaged or newer progress file ----------------------------------------------------

COMMANDS = [
    ["stats"],
    ["users", "list"],
    ["users", "add", "awa"],
    ["progress", "export", "-o", "OUT"],
]


def _run_command(run_cli: CliRunner, command: list[str], tmp_path: Path) -> object:
    return run_cli(*(str(tmp_path / "out.json") if c == "OUT" else c for c in command))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_file_that_is_not_sqlite_is_moved_aside(
    run_cli: CliRunner, data_dir: Path, tmp_path: Path, command: list[str]
) -> None:
    data_dir.mkdir(parents=True)
    progress_path(data_dir).write_text("these are my notes, not a database\n" * 10)
    failed(_run_command(run_cli, command, tmp_path), "is damaged", "not an SQLite file", "moved to")
    (aside,) = data_dir.glob("progress.sqlite3.broken-*")
    assert aside.read_text().startswith("these are my notes")
    assert not progress_path(data_dir).exists()
    ok(run_cli("users", "list"))  # the next run starts afresh


def test_a_truncated_file_is_moved_aside(run_cli: CliRunner, data_dir: Path) -> None:
    study(data_dir, "tester", ("flash-minusma", "text-wagner"))
    path = progress_path(data_dir)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    failed(run_cli("stats"), "is damaged", "truncated", "moved to")
    (aside,) = data_dir.glob("progress.sqlite3.broken-*")
    assert aside.read_bytes() == whole[: len(whole) // 2]


def test_a_file_from_a_newer_maliquiz_is_left_untouched(
    run_cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    study(data_dir)
    path = progress_path(data_dir)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA user_version = 99")
    before = path.read_bytes()
    for command in COMMANDS:
        failed(_run_command(run_cli, command, tmp_path), "newer maliquiz", "not changed")
    assert path.read_bytes() == before
    assert not list(data_dir.glob("*.broken-*"))


# --- stats ------------------------------------------------------------------------------


def test_stats_text_table(run_cli: CliRunner, data_dir: Path, with_deck: Path) -> None:
    study(data_dir, "tester", ("flash-minusma", "text-wagner"))
    done = run_cli("stats", DECK_ID)
    ok(done)
    lines = done.stdout.splitlines()
    assert lines[0].split() == [
        "DECK",
        "CARDS",
        "NEW",
        "LEARN",
        "DUE",
        "REVIEW",
        "SUSPENDED",
        "LEECHES",
    ]
    assert lines[1].split() == [DECK_ID, "9", "7", "2", "0", "0", "0", "0"]
    assert len(lines[0]) == len(lines[1])  # the counts line up under their headers
    assert "Learner: tester" in lines
    assert "Reviews today: 2 (2 correct)" in lines
    assert "True retention (last 30 days): not enough answers yet" in lines
    assert "Days in a row studied: 1" in lines


def test_stats_json(run_cli: CliRunner, data_dir: Path, with_deck: Path) -> None:
    study(data_dir, "tester", ("flash-minusma",))
    done = run_cli("stats", "--json", DECK_ID)
    ok(done)
    stats = json.loads(done.stdout)
    assert stats["user"] == "tester"
    assert stats["reviews_today"] == 1 and stats["streak_days"] == 1
    assert stats["true_retention"] is None and stats["retention_reviews"] == 0
    (deck,) = stats["decks"]
    assert deck["deck_id"] == DECK_ID and deck["cards"] == 9
    assert (deck["new"], deck["learning"], deck["review"]) == (8, 1, 0)
    assert deck["last_studied"] is not None
    assert len(stats["due_forecast"]) == 30 and len(stats["reviews_per_day"]) == 90


def test_stats_creates_the_current_learner(run_cli: CliRunner, with_deck: Path) -> None:
    ok(run_cli("--user", "newcomer", "stats"))
    assert "newcomer" in user_names(run_cli)


def test_stats_of_a_deck_file(run_cli: CliRunner, tmp_path: Path) -> None:
    path = shutil.copy(DATA / "every_type.yaml", tmp_path / "mine.yaml")
    done = run_cli("stats", "--json", str(path))
    ok(done)
    assert [d["deck_id"] for d in json.loads(done.stdout)["decks"]] == [DECK_ID]


def test_stats_unknown_deck(run_cli: CliRunner, data_dir: Path, with_deck: Path) -> None:
    failed(
        run_cli("stats", "test-every-typ"),
        "unknown deck `test-every-typ` (did you mean `test-every-type`?)",
        "known decks: ",
    )
    failed(run_cli("stats", "zzz"), "unknown deck `zzz`; known decks:")
    assert not progress_path(data_dir).exists()  # refused before opening anything


def test_stats_of_a_missing_or_broken_deck_file(run_cli: CliRunner, tmp_path: Path) -> None:
    failed(run_cli("stats", str(tmp_path / "missing.yaml")), "no such file")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\ntitle: [\n", encoding="utf-8")
    failed(run_cli("stats", str(broken)), str(broken))


def test_stats_in_french_does_not_fail(run_cli: CliRunner, with_deck: Path) -> None:
    ok(run_cli("--lang", "fr", "stats"))


def test_stats_skips_a_broken_deck_of_the_decks_folder(
    run_cli: CliRunner, data_dir: Path, with_deck: Path
) -> None:
    broken = data_dir / "decks" / "broken.yaml"
    broken.write_text("id: broken\ntitle: [\n", encoding="utf-8")
    done = run_cli("stats", "--json")
    ok(done)
    assert DECK_ID in [d["deck_id"] for d in json.loads(done.stdout)["decks"]]
    assert "broken" not in [d["deck_id"] for d in json.loads(done.stdout)["decks"]]
    assert done.stderr.count("skipped a deck that does not load") == 1
    assert "broken.yaml" in done.stderr
    done = run_cli("stats", str(data_dir / "decks"))  # asked for by hand: an error
    failed(done, "broken.yaml")
    assert done.stderr.count("broken.yaml") == 1


def test_a_data_dir_that_cannot_hold_a_progress_file(run_cli: CliRunner, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    for command in (["users", "list"], ["stats"]):
        failed(
            run_cli(*command, env={"MALIQUIZ_DATA_DIR": str(not_a_folder)}),
            "cannot open the progress file",
        )
    assert not_a_folder.read_text() == "x"


def test_counts_of_answers_are_grouped_as_the_language_writes_them(
    run_cli: CliRunner, data_dir: Path, with_deck: Path
) -> None:
    # 1,000 answers: "1,000 answers" in English, "1 000 réponses" (a narrow no-break
    # space) in French, as `maliquiz settings` writes its counts; JSON stays a number.
    study(data_dir, "tester", ("flash-minusma",) * 1000)
    listed = run_cli("users", "list")
    ok(listed)
    assert "* tester  (1,000 answers)" in listed.stdout
    french = run_cli("users", "list", env={"MALIQUIZ_LANG": "fr"})
    assert "* tester  (1\u202f000 réponses)" in french.stdout
    stats = run_cli("stats")
    ok(stats)
    assert "Reviews today: 1,000 (1,000 correct)" in stats.stdout
    assert json.loads(run_cli("stats", "--json").stdout)["reviews_today"] == 1000
