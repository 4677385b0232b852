"""The CLI as users run it: a real subprocess, a temporary data dir."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CliRunner

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[1]


def test_help_lists_the_commands(run_cli: CliRunner) -> None:
    done = run_cli("--help")
    assert done.returncode == 0
    for command in ("check", "decks", "schema"):
        assert command in done.stdout


def test_python_dash_m(run_cli: CliRunner) -> None:
    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.startswith("maliquiz ")


def test_bad_usage_exits_2(run_cli: CliRunner) -> None:
    done = run_cli("check", "--format", "xml")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_decks_lists_bundled_decks(run_cli: CliRunner) -> None:
    done = run_cli("decks", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows, "the bundled decks ship with the package"
    assert all(r["origin"] == "bundled" and r["cards"] > 0 for r in rows)
    text = run_cli("decks")
    assert rows[0]["id"] in text.stdout


def test_decks_include_the_users_folder(run_cli: CliRunner, data_dir: Path) -> None:
    own = data_dir / "decks"
    own.mkdir(parents=True)
    (own / "mine.yaml").write_text(
        (DATA / "every_type.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    rows = json.loads(run_cli("decks", "--json").stdout)
    assert {"id": "test-every-type", "origin": "user"}.items() <= next(
        r for r in rows if r["id"] == "test-every-type"
    ).items()


def test_check_clean_file(run_cli: CliRunner) -> None:
    done = run_cli("check", str(DATA / "every_type.yaml"))
    assert done.returncode == 0, done.stdout
    assert done.stdout == ""
    assert "1 file checked: 0 errors, 0 warnings." in done.stderr


def test_check_default_is_bundled_decks(run_cli: CliRunner) -> None:
    done = run_cli("check")
    assert done.returncode == 0, done.stdout
    assert "0 errors" in done.stderr


def test_check_reports_every_file_and_exits_1(run_cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "id: a\ntitle: A\ncards:\n  - id: x\n    type: txt\n", encoding="utf-8"
    )
    (tmp_path / "b.yml").write_text("id: b\ntitle: [\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_bytes(b"\xff\xfe")
    done = run_cli("check", str(tmp_path))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any(
        line.startswith(f"{tmp_path / 'a.yaml'}:5:11: error: unknown card type") for line in lines
    ), lines
    assert any(line.startswith(f"{tmp_path / 'b.yml'}:") for line in lines)
    assert any(line.startswith(f"{tmp_path / 'c.yaml'}:1:1: error:") for line in lines)
    assert "Traceback" not in done.stderr


def test_check_warnings_only_exit_0(run_cli: CliRunner, tmp_path: Path) -> None:
    deck = tmp_path / "w.yaml"
    deck.write_text(
        "id: w\ntitle: W\ncards:\n  - id: x\n    type: truefalse\n"
        "    prompt: P\n    answer: true\n",
        encoding="utf-8",
    )
    done = run_cli("check", str(deck))
    assert done.returncode == 0
    assert ":4:5: warning: card `x` cites no source" in done.stdout


def test_check_json(run_cli: CliRunner, tmp_path: Path) -> None:
    deck = tmp_path / "bad.yaml"
    deck.write_text("id: bad\ntitle: B\ncards: []\n", encoding="utf-8")
    done = run_cli("check", "--format", "json", str(deck))
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["errors"] == 1
    [finding] = report["findings"]
    assert finding["line"] == 3 and finding["severity"] == "error"


def test_check_folder_without_decks(run_cli: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_cli("check", str(empty))
    assert done.returncode == 1
    assert "no deck files" in done.stdout


def test_check_missing_path(run_cli: CliRunner, tmp_path: Path) -> None:
    done = run_cli("check", str(tmp_path / "nope.yaml"))
    assert done.returncode == 1
    assert "no such file" in done.stdout


def test_check_in_french(run_cli: CliRunner, tmp_path: Path) -> None:
    deck = tmp_path / "bad.yaml"
    deck.write_text("id: bad\ntitle: B\ncards: []\n", encoding="utf-8")
    done = run_cli("--lang", "fr", "check", str(deck))
    assert ": erreur: " in done.stdout
    assert "1 fichier vérifié" in done.stderr
    env_done = run_cli("check", str(deck), env={"MALIQUIZ_LANG": "fr"})
    assert ": erreur: " in env_done.stdout


def test_schema_matches_the_committed_copy(run_cli: CliRunner) -> None:
    done = run_cli("schema")
    assert done.returncode == 0
    committed = (REPO / "schema" / "deck.schema.json").read_text(encoding="utf-8")
    assert done.stdout == committed, "run `maliquiz schema -o schema/deck.schema.json`"
    schema = json.loads(done.stdout)
    assert schema["$defs"]["TextCard"]["additionalProperties"] is False


def test_every_schema_field_is_described(run_cli: CliRunner) -> None:
    schema = json.loads(run_cli("schema").stdout)
    missing = [
        (name, key)
        for name, definition in [("Deck", schema), *schema["$defs"].items()]
        for key, prop in definition.get("properties", {}).items()
        if "description" not in prop
    ]
    assert missing == []


def test_bundled_decks_declare_the_schema() -> None:
    for deck in (REPO / "decks").glob("*.yaml"):
        first = deck.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/deck.schema.json", deck


SHARED_SOURCES = REPO.parent / "shared" / "sources"


def test_check_against_sources(run_cli: CliRunner, tmp_path: Path) -> None:
    if SHARED_SOURCES.is_dir():
        done = run_cli("check", str(REPO / "decks"), "--sources", str(SHARED_SOURCES))
        assert done.returncode == 0 and done.stdout == "", done.stdout
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Il y avait 300 soldats.\n", encoding="utf-8")
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "id: d\ntitle: T\nsources: [{id: a, title: A, file: a.txt}]\ncards:\n"
        "  - {id: n, type: number, prompt: P, answer: '3000', source: {ref: a, paragraph: 1}}\n",
        encoding="utf-8",
    )
    done = run_cli("check", str(deck), "--sources", str(articles))
    assert done.returncode == 0
    assert ":5:46: warning: the number 3\u202f000 is not in the cited paragraph" in done.stdout
    assert run_cli("check", str(deck), "--sources", str(tmp_path / "nope")).returncode == 2


def test_check_reuses_results_of_unchanged_files(
    run_cli: CliRunner, tmp_path: Path, data_dir: Path
) -> None:
    import subprocess
    import sys

    deck = tmp_path / "deck.yaml"
    deck.write_text((DATA / "every_type.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    first = run_cli("check", str(deck))
    assert first.returncode == 0

    def imports_pydantic() -> bool:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "maliquiz", "check", str(deck)],
            capture_output=True,
            text=True,
        )
        return "pydantic" in done.stderr

    assert not imports_pydantic()  # every file unchanged: nothing is loaded again
    deck.write_text(
        deck.read_text(encoding="utf-8").replace("type: cloze", "type: clozz"), encoding="utf-8"
    )
    changed = run_cli("check", str(deck))
    assert changed.returncode == 1 and "unknown card type `clozz`" in changed.stdout
    again = run_cli("check", str(deck))
    assert again.returncode == 1 and again.stdout == changed.stdout
    assert run_cli("check", "--no-cache", str(deck)).stdout == changed.stdout
    # In another language, messages are not taken from the English cache.
    assert ": erreur: " in run_cli("--lang", "fr", "check", str(deck)).stdout
    (data_dir / "cache" / "check.json").write_text("{not json", encoding="utf-8")
    assert run_cli("check", str(deck)).stdout == changed.stdout
