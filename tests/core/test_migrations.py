"""Migration scripts are cut into statements where SQLite says a statement ends, and each
step runs inside one transaction."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from maliquiz.core.progress import connection
from maliquiz.core.progress.connection import SCHEMA_VERSION, _run_script, _statements
from maliquiz.core.progress.store import Store

TRICKY = """
-- a comment; with a semicolon
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, "odd;name" TEXT);
INSERT INTO notes (body) VALUES ('a; b; c');  /* and; here */
INSERT INTO notes (body, "odd;name") VALUES ('it''s; quoted', 'x');
CREATE TABLE log (body TEXT);
CREATE TRIGGER notes_logged AFTER INSERT ON notes BEGIN
    INSERT INTO log (body) VALUES ('new; ' || new.body);
    INSERT INTO log (body) VALUES ('done');
END;
INSERT INTO notes (body) VALUES ('last')
"""


def test_statements_end_where_sqlite_says() -> None:
    statements = [s.strip() for s in _statements(TRICKY)]
    assert len(statements) == 6
    assert statements[0].startswith("-- a comment; with a semicolon\nCREATE TABLE notes")
    assert statements[1] == "INSERT INTO notes (body) VALUES ('a; b; c');"
    assert statements[2].startswith("/* and; here */")  # a comment opens the next one
    assert statements[4].endswith("END;") and statements[4].count(";") == 4
    assert statements[5] == "INSERT INTO notes (body) VALUES ('last')"  # no final ";"
    assert list(_statements("CREATE TABLE a (x);\n-- the end\n")) == [
        "CREATE TABLE a (x);",
        "\n-- the end\n",
    ]


def test_a_script_runs_inside_the_steps_transaction() -> None:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        _run_script(TRICKY)(db)
        assert db.in_transaction  # executescript would have committed here
        db.execute("ROLLBACK")
        assert db.execute("SELECT count(*) FROM sqlite_schema").fetchone() == (0,)

        db.execute("BEGIN IMMEDIATE")
        _run_script(TRICKY)(db)
        db.execute("COMMIT")
        assert [row[0] for row in db.execute("SELECT body FROM notes ORDER BY id")] == [
            "a; b; c",
            "it's; quoted",
            "last",
        ]
        assert [row[0] for row in db.execute("SELECT body FROM log")] == ["new; last", "done"]


def test_a_step_that_fails_half_way_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.sqlite3"
    with Store.open(path):
        pass
    step = _run_script(
        "CREATE TABLE extra (note TEXT); INSERT INTO extra VALUES ('x; y'); "
        "INSERT INTO no_such_table VALUES (1);"
    )
    monkeypatch.setattr(connection, "MIGRATIONS", [*connection.MIGRATIONS, step])
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(connection.StoreError):
        Store.open(path)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema")}
        assert "extra" not in tables


def test_a_step_with_a_semicolon_in_a_string_migrates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        store.ensure_user("awa")
    step = _run_script(
        'UPDATE users SET settings = \'{"note": "a; b"}\';\n'
        "CREATE TABLE motd (text TEXT);\n"
        "INSERT INTO motd VALUES ('hello; world');"
    )
    monkeypatch.setattr(connection, "MIGRATIONS", [*connection.MIGRATIONS, step])
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store.open(path) as store:
        assert store.settings("awa").desired_retention == 0.9  # unknown keys ignored
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION + 1,)
        assert db.execute("SELECT text FROM motd").fetchall() == [("hello; world",)]
        assert db.execute("SELECT settings FROM users").fetchone() == ('{"note": "a; b"}',)
