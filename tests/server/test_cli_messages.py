"""Bad input to the class server's commands: one clear line and exit 1, never a
traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import pgcluster


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["sync"], "has not joined a class yet"),
        (["sync", "--link-code"], "has not joined a class yet"),
        (["sync", "--server", "ftp://example.org", "--join", "X"], "starts with http://"),
        (["sync", "--join", "ABCD"], "--server URL"),
        (["report"], "give progress files, or a class server"),
        (["report", "--token", "mq_x"], "or the class server with --server URL"),
        (["report", "a.json", "--server", "http://127.0.0.1:9"], "(not both)"),
        (["report", "--server", "http://127.0.0.1:9"], "--server URL --token T"),
        (["server", "add-class", " "], "a class name is printable text"),
        (["serve", "--workers", "0"], "--workers"),
    ],
)
def test_bad_input_gets_one_line(run_cli: Any, args: list[str], says: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 1
    assert says in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


def test_an_unreachable_server_is_said_in_words(run_cli: Any) -> None:
    url = f"http://127.0.0.1:{pgcluster.free_port()}"  # nothing listens there
    done = run_cli("sync", "--server", url, "--join", "ABCD-EFGH-JKMN")
    assert done.returncode == 1 and "cannot reach the server" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_class_name_is_taken_once(run_cli: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "class.sqlite3")
    assert run_cli("server", "add-class", "4e B", "--db", db).returncode == 0
    again = run_cli("server", "add-class", "4e B", "--db", db)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_publishing_a_broken_deck_says_where(run_cli: Any, tmp_path: Path) -> None:
    deck = tmp_path / "broken.yaml"
    deck.write_text("id: x\ntitle: X\ncards:\n  - id: a\n    type: txt\n", encoding="utf-8")
    done = run_cli(
        "server", "publish", str(deck), "--server", "http://127.0.0.1:9", "--token", "mq_x"
    )
    assert done.returncode == 1 and f"{deck}:5:" in done.stderr
