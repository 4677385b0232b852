"""What ``maliquiz sync`` asks the server, against the real app served by uvicorn in
this process (on either database), every request it receives written down: one
request per batch of answers to send, the first page of answers to receive and the
class's decks coming back with it, and a single request when nothing is pending. An
older server, the same app without the sync endpoint, is still synced with through
the separate endpoints; on both, two machines of a learner end with the same answers
and the same due dates."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

from .conftest import api
from .test_sync_e2e import DECK, answers, states

SYNC_ROUTE = "/api/v1/learners/{learner_id}/sync"


class Recorded:
    """An ASGI app that writes down the method and path of every request, then passes
    it on (but one, when told to hold it)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []
        self.hold: int | None = None
        """The number of a sync request (counted from 1) never answered: the client
        waits until it is killed."""
        self.store_held = True
        """Whether the held request is done (answers stored) or never reaches the API."""
        self.held = threading.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests.append((scope["method"], scope["path"]))
            syncs = sum(path.endswith("/sync") for _method, path in self.requests)
            if scope["path"].endswith("/sync") and syncs == self.hold:
                await self._held(scope, receive)
                return
        await self.app(scope, receive, send)

    async def _held(self, scope: Any, receive: Any) -> None:
        async def unanswered(message: Any) -> None:
            self.held.set()

        if self.store_held:
            await self.app(scope, receive, unanswered)
        else:
            self.held.set()
        while (await receive())["type"] != "http.disconnect":
            pass  # the body, then the client gone

    def taken(self) -> list[tuple[str, str]]:
        """The requests since the last call, with the learner's and class's numbers
        and the decks' SHA-256 left out (``/api/v1/learners/*/sync``)."""
        found = [
            (
                method,
                "/".join(
                    "*" if part.isdigit() or len(part) == 64 else part for part in path.split("/")
                ),
            )
            for method, path in self.requests
        ]
        self.requests.clear()
        return found


@contextmanager
def serving(db_url: str, *, older: bool) -> Iterator[tuple[str, Recorded]]:
    """The API on ``db_url`` under uvicorn in a thread; ``older``: without the sync
    endpoint, as a server from before it answers (404)."""
    import uvicorn

    from maliquiz.server.app import create_app
    from maliquiz.server.db import open_database

    db = open_database(db_url)
    db.migrate()
    limited = create_app(db)
    if older:
        routes = limited.app.router.routes  # type: ignore[attr-defined]
        routes[:] = [r for r in routes if getattr(r, "path", None) != SYNC_ROUTE]
    recorded = Recorded(limited)
    # Listening before the server runs: a request made at once waits in the backlog.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    server = uvicorn.Server(uvicorn.Config(recorded, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]})
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", recorded
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
        db.close()


def answer_many(folder: Path, user: str, count: int) -> None:
    """``count`` answers given on this machine (on 40 cards of the class's deck)."""
    with Store.open(progress_path(folder)) as store:
        store.ensure_user(user)
        for n in range(count):
            store.record_answer(
                user, "classe-deck", f"card-{n % 40}", rating=Rating.Good,
                outcome="correct", mode="typed", answer="Bamako",
            )  # fmt: skip


@pytest.mark.parametrize("older", [False, True], ids=["server", "older-server"])
def test_a_sync_is_one_request_per_batch_and_one_when_nothing_is_pending(
    db_url: str, run_cli: Any, tmp_path: Path, older: bool
) -> None:
    def cli(folder: Path, user: str, *args: str) -> Any:
        done = run_cli("--data-dir", str(folder), "--user", user, *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if "--json" in args else done.stdout

    made = run_cli("server", "add-class", "5e C", "--db", db_url, "--json")
    assert made.returncode == 0, made.stderr
    klass = json.loads(made.stdout)
    deck = tmp_path / "classe-deck.yaml"
    deck.write_text(DECK, encoding="utf-8")
    school, home = tmp_path / "school", tmp_path / "home"
    with serving(db_url, older=older) as (url, server):
        teacher = ["--server", url, "--token", klass["teacher_token"]]
        cli(tmp_path / "teacher", "prof", "server", "publish", str(deck), *teacher)
        joined = cli(school, "awa", "sync", "--server", url, "--join", klass["join_code"], "--json")
        assert joined["decks"] == ["classe-deck"]
        code = cli(school, "awa", "sync", "--link-code").strip()
        cli(home, "awa", "sync", "--server", url, "--link", code, "--json")
        server.taken()

        # Home sends 2,100 answers (5 batches); school then sends 1,100 (3 batches)
        # and receives home's 2,100, over the page size of 2,000.
        answer_many(home, "awa", 2100)
        assert cli(home, "awa", "sync", "--json")["pushed"] == 2100
        sent_home = server.taken()
        answer_many(school, "awa", 1100)
        done = cli(school, "awa", "sync", "--json")
        assert (done["pushed"], done["pulled"], done["decks"]) == (1100, 2100, [])
        sent_school = server.taken()
        assert cli(home, "awa", "sync", "--json")["pulled"] == 1100
        server.taken()
        assert answers(school, "awa") == answers(home, "awa")
        assert len(answers(school, "awa")) == 3200
        assert states(school, "awa") == states(home, "awa") != {}

        # Nothing pending; then a new version of the deck, fetched at the next sync.
        quiet = cli(school, "awa", "sync", "--json")
        assert (quiet["pushed"], quiet["pulled"], quiet["decks"]) == (0, 0, [])
        sent_quiet = server.taken()
        deck.write_text(DECK.replace("Bamako\n", "Bamako (capitale)\n"), encoding="utf-8")
        cli(tmp_path / "teacher", "prof", "server", "publish", str(deck), *teacher)
        server.taken()
        updated = cli(school, "awa", "sync", "--json")
        assert updated["decks_updated"] == ["classe-deck"]
        assert "Bamako (capitale)" in (school / "decks" / "classe-deck.yaml").read_text()
        sent_updated = server.taken()

    sync = ("POST", "/api/v1/learners/*/sync")
    push = ("POST", "/api/v1/learners/*/answers")
    pull = ("GET", "/api/v1/learners/*/answers")
    listing = ("GET", "/api/v1/classes/*/decks")
    fetch = ("GET", "/api/v1/classes/*/decks/classe-deck/*")
    if not older:
        assert sent_home == [sync] * 5
        assert sent_school == [sync] * 3  # the second page came with the second batch
        assert sent_quiet == [sync]
        assert sent_updated == [sync, fetch]
    else:  # asked once, then the separate endpoints
        assert sent_home == [sync, *[push] * 5, pull, listing]
        assert sent_school == [sync, *[push] * 3, pull, pull, listing]
        assert sent_quiet == [sync, pull, listing]
        assert sent_updated == [sync, pull, listing, fetch]


@pytest.mark.parametrize("stored", [True, False], ids=["stored", "not-stored"])
def test_a_sync_cut_in_the_middle_resends_and_loses_nothing(
    db_url: str, run_cli: Any, tmp_path: Path, stored: bool
) -> None:
    made = run_cli("server", "add-class", "5e D", "--db", db_url, "--json")
    assert made.returncode == 0, made.stderr
    klass = json.loads(made.stdout)
    school, home = tmp_path / "school", tmp_path / "home"

    def cli(folder: Path, *args: str) -> Any:
        done = run_cli("--data-dir", str(folder), "--user", "awa", *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if "--json" in args else done.stdout

    with serving(db_url, older=False) as (url, server):
        cli(school, "sync", "--server", url, "--join", klass["join_code"])
        code = cli(school, "sync", "--link-code").strip()
        cli(home, "sync", "--server", url, "--link", code)
        answer_many(school, "awa", 1300)  # three batches: 500, 500, 300
        # The client is killed while it waits for the answer to its second batch,
        # which the server stored or never received.
        server.taken()
        server.hold, server.store_held = 2, stored
        cut = subprocess.Popen(
            [sys.executable, "-m", "maliquiz", "--data-dir", str(school), "--user", "awa",
             "sync"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert server.held.wait(60)
        cut.kill()
        cut.wait(30)
        server.hold = None
        server.taken()
        # Run again: the first batch was kept as sent, the second is sent again.
        again = cli(school, "sync", "--json")
        assert again["pushed"] == (300 if stored else 800)
        assert server.taken() == [("POST", "/api/v1/learners/*/sync")] * 2
        assert cli(home, "sync", "--json")["pulled"] == 1300
        assert answers(school, "awa") == answers(home, "awa")
        status, found = api(
            url, "GET", f"/api/v1/classes/{klass['class_id']}/progress",
            token=klass["teacher_token"],
        )  # fmt: skip
        assert status == 200
        uids = [row[0] for row in found["learners"][0]["reviews"]["rows"]]
        assert len(uids) == len(set(uids)) == 1300
