"""Promise: a file from outside (a progress export to import, a class report's input, a
GIFT or TSV file) is read within bounds and checked row by row before anything is
written. A bad one is refused whole, naming its first bad values; nothing changes, and
every command keeps working for every learner afterwards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner
from maliquiz.core.progress import transfer
from maliquiz.core.progress.store import Store
from maliquiz.core.progress.transfer import ImportFileError

from .conftest import answers_in, files_of, no_traceback, progress

NOW_MS = 1_765_000_000_000  # December 2025: a sound time, before "now"


@pytest.fixture
def export(data_dir: Path, deck: Path, run_cli: CliRunner, tmp_path: Path) -> dict[str, Any]:
    """A real export of 4 answers, as JSON, and the learner's data dir beside it."""
    done = run_cli("study", "faults", "--plain", "--limit", "4", input="\n" * 4)
    assert done.returncode == 0, done.stderr
    target = tmp_path / "export.json"
    assert run_cli("progress", "export", "-o", str(target)).returncode == 0
    document: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return document


def forge(tmp_path: Path, document: dict[str, Any], table: str, column: str, value: Any) -> Path:
    """The export with ``column`` of the first row of ``table`` set to ``value``."""
    forged = json.loads(json.dumps(document))
    rows = forged[table]["rows"]
    if not rows:
        rows.append(_exam_row())
    rows[0][forged[table]["columns"].index(column)] = value
    path = tmp_path / f"forged-{table}-{column}.json"
    path.write_text(json.dumps(forged), encoding="utf-8")
    return path


def _exam_row() -> list[Any]:
    return ["exam-1", NOW_MS, '["faults"]', "[]", 3.0, 4.0, 60_000, "[]"]


def refused(done: Any, *fragments: str) -> None:
    no_traceback(done)
    assert done.returncode == 1, done.stdout
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr


BAD_VALUES = [
    ("reviews", "rating", 99, "a whole number from 1 to 4"),
    ("reviews", "rating", "x", "a whole number from 1 to 4"),
    ("reviews", "rating", 2.5, "a whole number from 1 to 4"),
    ("reviews", "outcome", "guessed", "one of correct, typo, partial, wrong, skipped"),
    ("reviews", "mode", "telepathy", "one of flashcard, choice, typed"),
    ("reviews", "reviewed_ms", 1e20, "between 2000-01-01 and tomorrow"),
    ("reviews", "reviewed_ms", -1_000_000_000_000_000, "between 2000-01-01 and tomorrow"),
    ("reviews", "reviewed_ms", 4_102_444_800_000, "between 2000-01-01 and tomorrow"),  # 2100
    ("reviews", "duration_ms", -5, "from 0 to 86,400,000"),
    ("reviews", "duration_ms", 10 * 86_400_000, "from 0 to 86,400,000"),
    ("reviews", "uid", "../../etc", "1 to 64 letters, digits, - or _"),
    ("reviews", "card_id", "\u001b[2J", "a card id"),
    ("reviews", "answer", "a" * 20_000, "at most 10,000 characters"),
    ("reviews", "answer", "Gao\x00", "no NUL character"),
    ("reviews", "answer", "Gao \ud800", "no unpaired surrogate"),
    ("exams", "tags", '["\ud800"]', "a JSON list of tags"),
    ("cards", "memory", "{}", "a card state as py-fsrs writes it"),
    ("cards", "state", 7, "1, 2 or 3"),
    ("cards", "due_ms", 1e300, "100 years from now"),
    ("cards", "difficulty", 99.0, "a number from 1 to 10"),
    ("exams", "score", 9.0, "from 0 to the row's max_score"),
    ("exams", "results", "not json", "a JSON list of objects"),
]


@pytest.mark.parametrize(("table", "column", "value", "allowed"), BAD_VALUES)
def test_a_bad_value_refuses_the_whole_file(
    table: str,
    column: str,
    value: Any,
    allowed: str,
    export: dict[str, Any],
    data_dir: Path,
    run_cli: CliRunner,
    tmp_path: Path,
) -> None:
    forged = forge(tmp_path, export, table, column, value)
    before = answers_in(progress(data_dir))
    done = run_cli("progress", "import", str(forged), "--as", "mallory")
    refused(done, f"{table}, row 1, column {column}", "(allowed: ", allowed, "nothing was imported")
    assert answers_in(progress(data_dir)) == before
    with Store.open(progress(data_dir)) as store:
        assert [u.name for u in store.users()] == ["tester"]  # no "mallory"


def test_the_class_report_reads_exports_with_the_same_checks(
    export: dict[str, Any], run_cli: CliRunner, tmp_path: Path
) -> None:
    sound = tmp_path / "sound.json"
    sound.write_text(json.dumps(export), encoding="utf-8")
    for table, column, value, allowed in BAD_VALUES[:3]:
        forged = forge(tmp_path, export, table, column, value)
        done = run_cli("report", str(sound), str(forged))
        refused(done, f"cannot read {forged}", f"{table}, row 1, column {column}", allowed)
        assert not done.stdout  # no report from half the files


def test_the_first_bad_rows_are_named_with_their_count(
    export: dict[str, Any], run_cli: CliRunner, tmp_path: Path
) -> None:
    forged = json.loads(json.dumps(export))
    rating = forged["reviews"]["columns"].index("rating")
    for row in forged["reviews"]["rows"]:
        row[rating] = 0
    path = tmp_path / "all-bad.json"
    path.write_text(json.dumps(forged), encoding="utf-8")
    done = run_cli("progress", "import", str(path))
    refused(done, "4 values are not ones maliquiz writes", "reviews, row 4, column rating: 0")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "nest more than 32 levels deep"),
        ('{"a": ' * 50_000 + "1" + "}" * 50_000, "nest more than 32 levels deep"),
        ('{"format": "maliquiz-progress", "version": NaN}', "not a progress file"),
        ('{"format": "maliquiz-progress", "version": ' + "9" * 5000 + "}", "not a progress file"),
    ],
    ids=["100000-deep-lists", "50000-deep-objects", "NaN", "5000-digit-number"],
)
def test_a_file_too_deep_or_not_json_is_refused_before_parsing(
    text: str, reason: str, data_dir: Path, run_cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "forged.json"
    path.write_text(text, encoding="utf-8")
    done = run_cli("progress", "import", str(path))
    refused(done, reason)


def test_a_file_too_large_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    path = tmp_path / "large.json"
    path.write_text(json.dumps({"format": "maliquiz-progress", "pad": "x" * 5000}))
    monkeypatch.setattr(transfer, "MAX_EXPORT_BYTES", 4096)
    with pytest.raises(ImportFileError, match="larger than"):
        store.import_user(path)


def test_gift_and_tsv_imports_are_bounded_too(tmp_path: Path, run_cli: CliRunner) -> None:
    large = tmp_path / "large.gift"
    with large.open("w", encoding="utf-8") as handle:
        line = "::q:: Question ? {=réponse}\n\n"
        handle.write(line * (17 * 2**20 // len(line.encode()) + 1))
    done = run_cli("import", str(large), "-o", str(tmp_path / "out.yaml"))
    refused(done, "larger than 16 MiB")
    binary = tmp_path / "cards.tsv"
    binary.write_bytes(b"front\tback\n\x00\x01\x02")
    refused(run_cli("import", str(binary), "-o", str(tmp_path / "out.yaml")), "binary")
    assert not (tmp_path / "out.yaml").exists()


def test_after_a_refused_file_every_command_still_works(
    export: dict[str, Any], data_dir: Path, run_cli: CliRunner, tmp_path: Path
) -> None:
    before = files_of(data_dir)
    for table, column, value, _allowed in BAD_VALUES[:6]:
        run_cli("progress", "import", str(forge(tmp_path, export, table, column, value)))
    assert files_of(data_dir) == before  # not a byte of the progress file changed
    sound = tmp_path / "sound.json"
    sound.write_text(json.dumps(export), encoding="utf-8")
    for command in (("stats",), ("report", str(sound)), ("progress", "import", str(sound))):
        done = run_cli(*command)
        no_traceback(done)
        assert done.returncode == 0, (command, done.stderr)
