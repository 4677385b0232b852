"""What a fresh user met on the class server (issue 20's trial): the database going
away and coming back, wrong --db addresses, bad server addresses, a server that is
down, a port in use, the server's own words (filled in, singular when one), and
French messages that never embed the server's English for a refusal it names."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from maliquiz.core.progress.connection import REVIEW_COLUMNS

from . import pgcluster
from .conftest import Server, api

REVIEW = {
    "uid": "u1", "deck_id": "d", "card_id": "a", "reviewed_ms": 1_740_000_000_000,
    "rating": 3, "outcome": "correct", "mode": "typed", "duration_ms": 4000, "scheduled": 1,
}  # fmt: skip


def row(**changes: Any) -> list[Any]:
    values = {**REVIEW, **changes}
    return [values.get(column) for column in REVIEW_COLUMNS]


def new_class(run_cli: Any, db: str) -> dict[str, Any]:
    made = run_cli("server", "add-class", "6e A", "--db", db, "--json")
    assert made.returncode == 0, made.stderr
    found: dict[str, Any] = json.loads(made.stdout)
    return found


def one_line(done: Any, says: str) -> None:
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert says in done.stderr, done.stderr


def test_the_database_going_away_gives_503_and_coming_back_works(
    run_cli: Any, tmp_path: Path
) -> None:
    if pgcluster.binaries() is None:
        pytest.skip("PostgreSQL is not installed")
    cluster = pgcluster.Cluster()
    server = None
    try:
        db = cluster.new_database()
        klass = new_class(run_cli, db)
        server = Server(db, tmp_path).start()
        # An endpoint that reads the database (who a token is, the server remembers
        # for a minute: /me alone would answer from memory).
        me = ("GET", f"/api/v1/classes/{klass['class_id']}/decks")
        assert api(server.url, *me, token=klass["teacher_token"])[0] == 200
        cluster.pause()
        status, found = api(server.url, *me, token=klass["teacher_token"])
        assert status == 503
        assert found["detail"] == {
            "message": "database unavailable, try again later",
            "code": "database_down",
        }
        cluster.start()
        # The pool checks its connections before use: the first request after the
        # restart works, none fails on a connection the restart broke.
        assert api(server.url, *me, token=klass["teacher_token"])[0] == 200
        server.stop()
        log = server.log.read_text()
        assert "Traceback" not in log and "database unavailable" in log
    finally:
        if server is not None:
            server.stop()
        cluster.stop()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://u@127.0.0.1/db?sslmode=bogus", 'invalid sslmode value: "bogus"'),
        ("postgresql://u@127.0.0.1:abc/db", 'invalid integer value "abc"'),
        ("postgresql://postgres@127.0.0.1:{port}/missing", 'database "missing" does not exist'),
        ("{tmp}/no/such/folder/x.sqlite3", "does not exist: create it"),
        ("mysql://db/x", "unknown database address"),
    ],
)
def test_a_wrong_database_address_fails_at_once_with_its_reason(
    run_cli: Any, tmp_path: Path, url: str, says: str, request: pytest.FixtureRequest
) -> None:
    if "{port}" in url:
        url = url.format(port=request.getfixturevalue("pg_cluster").port)
    url = url.replace("{tmp}", str(tmp_path))
    started = time.monotonic()
    done = run_cli("server", "add-class", "6e A", "--db", url)
    assert time.monotonic() - started < 15
    one_line(done, says)
    assert not (tmp_path / "no").exists()
    served = run_cli("serve", "--db", url, "--port", str(pgcluster.free_port()))
    one_line(served, says)


def test_wrong_database_address_in_french(run_cli: Any, tmp_path: Path) -> None:
    done = run_cli(
        "server", "add-class", "6e A", "--db", str(tmp_path / "nope" / "x.sqlite3"),
        env={"MALIQUIZ_LANG": "fr"},
    )  # fmt: skip
    one_line(done, "n'existe pas")


@pytest.mark.parametrize(
    ("server", "says"),
    [
        ("http://[bad", "not a valid server address"),
        ("http://127.0.0.1:99999", "not a valid server address"),
        ("http://:8765", "names no host"),
    ],
)
def test_a_bad_server_address_is_said_in_words(run_cli: Any, server: str, says: str) -> None:
    one_line(run_cli("sync", "--server", server, "--join", "X"), says)
    one_line(run_cli("report", "--server", server, "--token", "mq_x"), says)


def test_a_down_server_is_said_in_words_and_soon(run_cli: Any, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{pgcluster.free_port()}"  # nothing listens there
    done = run_cli("sync", "--server", url, "--join", "ABCD-EFGH-JKMN")
    one_line(done, "connection refused: is the server running?")
    assert "Errno" not in done.stderr
    fr = run_cli("sync", "--server", url, "--join", "ABCD", env={"MALIQUIZ_LANG": "fr"})
    assert fr.returncode == 1 and "connexion refusée" in fr.stderr
    # A learner who joined: sync retries, saying so once, then gives up in words.
    sync = {"server": url, "token": "mq_x", "learner_id": 1, "class_id": 1}
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "sync.json").write_text(json.dumps({"learners": {"awa": sync}}))
    started = time.monotonic()
    later = run_cli("--data-dir", str(folder), "--user", "awa", "sync")
    assert time.monotonic() - started < 25
    assert later.returncode == 1
    assert later.stderr.count("trying again") == 1
    assert later.stderr.strip().splitlines()[-1].endswith("is the server running?")


def test_serve_names_the_bad_option_and_a_port_in_use(run_cli: Any, tmp_path: Path) -> None:
    one_line(run_cli("serve", "--port", "0"), "--port must be 1 to 65535")
    one_line(run_cli("serve", "--workers", "0"), "--workers must be at least 1")
    one_line(run_cli("serve", "--max-body-mb", "0"), "--max-body-mb must be at least 1")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("serve", "--db", str(tmp_path / "x.sqlite3"), "--port", str(port))
        one_line(done, f"port {port} is in use; choose another with --port")


def test_sqlite_runs_one_worker(run_cli: Any, tmp_path: Path) -> None:
    server = Server(str(tmp_path / "x.sqlite3"), tmp_path, "--workers", "3").start()
    server.stop()
    assert "running one worker, not 3" in server.log.read_text()


def test_the_server_fills_its_words_and_counts_right(run_cli: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite3")
    klass = new_class(run_cli, db)
    server = Server(db, tmp_path).start()
    try:
        status, joined = api(
            server.url, "POST", "/api/v1/join", body={"join_code": klass["join_code"], "name": "a"}
        )
        assert status == 200
        body = {"reviews": {"columns": list(REVIEW_COLUMNS), "rows": [row(mode="zzz")]}}
        path = f"/api/v1/learners/{joined['learner_id']}/answers"
        status, found = api(server.url, "POST", path, token=joined["token"], body=body)
        assert status == 422
        assert found["detail"]["message"] == "1 bad value: nothing was stored"
        allowed = found["detail"]["problems"][0]["allowed"]
        assert allowed.startswith("one of ") and "{" not in allowed and "typed" in allowed
        # A refusal the client knows is said in French, without the server's English.
        folder = tmp_path / "fr"
        fr = run_cli(
            "--data-dir", str(folder), "sync", "--server", server.url, "--join", "WRONG-CODE",
            env={"MALIQUIZ_LANG": "fr"},
        )  # fmt: skip
        assert fr.returncode == 1
        assert "no class has this join code" not in fr.stderr
        assert "aucune classe" in fr.stderr
    finally:
        server.stop()
