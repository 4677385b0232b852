"""The class server's API over HTTP, on PostgreSQL and on the embedded SQLite default:
who may reach what (401/403 for every endpoint), answers stored once by uid, bad rows
refused with their place, bounded bodies, the API described at /openapi.json."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from maliquiz.core.progress.connection import EXAM_COLUMNS, REVIEW_COLUMNS
from maliquiz.server.classes import add_class
from maliquiz.server.db import open_database

from .conftest import BACKENDS, Server, api, new_database

DECK = """\
id: classe-deck
title: Deck de la classe
cards:
  - id: capitale
    type: text
    prompt: Quelle est la capitale du Mali ?
    answer: Bamako
"""


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("api")
    db_url = new_database(request, request.param, folder)
    running = Server(db_url, folder, "--max-body-mb", "1").start()
    yield running
    running.stop()


class Class:
    """A class with two learners, as the server gave them."""

    def __init__(self, server: Server, name: str) -> None:
        db = open_database(server.db_url)
        try:
            db.migrate()
            self.id, self.code, self.teacher = add_class(db, name)
        finally:
            db.close()
        self.learners = [self.join(server, f"eleve-{i}") for i in (1, 2)]

    def join(self, server: Server, name: str) -> dict[str, Any]:
        status, found = api(
            server.url, "POST", "/api/v1/join", body={"join_code": self.code, "name": name}
        )
        assert status == 200, found
        return found


_count = 0


def new_class(server: Server) -> Class:
    global _count
    _count += 1
    return Class(server, f"classe-{_count}-{time.monotonic_ns()}")


def review(uid: str, card: str = "capitale", at_ms: int | None = None) -> list[Any]:
    at = at_ms or int(time.time() * 1000) - 60_000
    return [uid, "classe-deck", card, at, "typed", "Bamako", "correct", 3, 4000, 1, None]


def push_body(*rows: list[Any]) -> dict[str, Any]:
    return {"reviews": {"columns": list(REVIEW_COLUMNS), "rows": list(rows)}}


def sync_body(*rows: list[Any], since: int = 0) -> dict[str, Any]:
    return {**push_body(*rows), "since": since}


def other_machine(server: Server, learner: dict[str, Any]) -> dict[str, Any]:
    """The learner's second machine, linked with a link code: its join answer (token)."""
    path = f"/api/v1/learners/{learner['learner_id']}/link-codes"
    _, code = api(server.url, "POST", path, token=learner["token"])
    _, linked = api(server.url, "POST", "/api/v1/link", body={"link_code": code["link_code"]})
    return linked


def test_the_api_describes_itself(server: Server) -> None:
    status, schema = api(server.url, "GET", "/openapi.json")
    assert status == 200
    assert "/api/v1/learners/{learner_id}/answers" in schema["paths"]
    assert "/api/v1/learners/{learner_id}/sync" in schema["paths"]
    assert "/api/v1/join" in schema["paths"]


def endpoints(klass: Class, other: Class) -> list[tuple[str, str, Any]]:
    """Every endpoint that needs a token, aimed at ``klass`` and its first learner."""
    learner = klass.learners[0]["learner_id"]
    sha = "0" * 64
    return [
        ("GET", "/api/v1/me", None),
        ("POST", f"/api/v1/learners/{learner}/link-codes", None),
        ("POST", f"/api/v1/learners/{learner}/answers", push_body(review("a1"))),
        ("GET", f"/api/v1/learners/{learner}/answers", None),
        ("POST", f"/api/v1/learners/{learner}/sync", sync_body(review("a2"))),
        ("GET", f"/api/v1/classes/{klass.id}/progress", None),
        ("POST", f"/api/v1/classes/{klass.id}/decks", {"content": DECK}),
        ("GET", f"/api/v1/classes/{klass.id}/decks", None),
        ("GET", f"/api/v1/classes/{klass.id}/decks/classe-deck/{sha}", None),
    ]


def test_every_endpoint_refuses_a_missing_or_unknown_token(server: Server) -> None:
    klass, other = new_class(server), new_class(server)
    for method, path, body in endpoints(klass, other):
        for token in (None, "mq_not-a-token-the-server-gave"):
            status, _ = api(server.url, method, path, token=token, body=body)
            assert status == 401, (method, path, token)


def test_every_endpoint_refuses_a_token_reaching_beyond_its_own(server: Server) -> None:
    klass, other = new_class(server), new_class(server)
    mine = klass.learners[0]
    classmate = klass.learners[1]["token"]
    stranger = other.learners[0]["token"]
    learner_path = f"/api/v1/learners/{mine['learner_id']}"
    class_path = f"/api/v1/classes/{klass.id}"
    refused = [
        # another learner's data, from the same class and from another class
        *[
            (method, learner_path + tail, body, token)
            for token in (classmate, stranger)
            for method, tail, body in (
                ("POST", "/link-codes", None),
                ("POST", "/answers", push_body(review("x1"))),
                ("GET", "/answers", None),
                ("POST", "/sync", sync_body(review("x3"))),
            )
        ],
        # the teacher reads a learner's answers but never writes them, nor makes codes
        ("POST", learner_path + "/answers", push_body(review("x2")), klass.teacher),
        ("POST", learner_path + "/sync", sync_body(review("x4")), klass.teacher),
        ("POST", learner_path + "/sync", sync_body(), klass.teacher),
        ("POST", learner_path + "/link-codes", None, klass.teacher),
        # another class's teacher
        ("GET", learner_path + "/answers", None, other.teacher),
        ("GET", class_path + "/progress", None, other.teacher),
        ("POST", class_path + "/decks", {"content": DECK}, other.teacher),
        ("GET", class_path + "/decks", None, other.teacher),
        ("GET", class_path + "/decks/classe-deck/" + "0" * 64, None, other.teacher),
        # a learner is not the teacher
        ("GET", class_path + "/progress", None, mine["token"]),
        ("POST", class_path + "/decks", {"content": DECK}, mine["token"]),
        # a learner of another class
        ("GET", class_path + "/decks", None, stranger),
        ("GET", class_path + "/decks/classe-deck/" + "0" * 64, None, stranger),
    ]
    for method, path, body, token in refused:
        status, _ = api(server.url, method, path, token=token, body=body)
        assert status == 403, (method, path)
    # Nothing was stored by the refused pushes.
    status, pulled = api(server.url, "GET", learner_path + "/answers", token=klass.teacher)
    assert status == 200 and pulled["reviews"]["rows"] == []


def test_answers_pushed_twice_are_stored_once_and_reach_the_other_machine(
    server: Server,
) -> None:
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}"
    status, code = api(server.url, "POST", path + "/link-codes", token=learner["token"])
    assert status == 200
    status, second = api(server.url, "POST", "/api/v1/link", body={"link_code": code["link_code"]})
    assert status == 200 and second["learner_id"] == learner["learner_id"]
    # The code is spent.
    status, _ = api(server.url, "POST", "/api/v1/link", body={"link_code": code["link_code"]})
    assert status == 403

    body = push_body(review("u1"), review("u2", "autre"))
    status, first = api(server.url, "POST", path + "/answers", token=learner["token"], body=body)
    assert (status, first["stored"]) == (200, 2)
    status, again = api(server.url, "POST", path + "/answers", token=learner["token"], body=body)
    assert (status, again["stored"]) == (200, 0)

    # The machine that sent them gets nothing back; the other machine gets both, once.
    _, own = api(server.url, "GET", path + "/answers?since=0", token=learner["token"])
    assert own["reviews"]["rows"] == []
    _, other = api(server.url, "GET", path + "/answers?since=0", token=second["token"])
    assert sorted(r[0] for r in other["reviews"]["rows"]) == ["u1", "u2"]
    assert other["reviews"]["columns"] == list(REVIEW_COLUMNS)
    _, later = api(
        server.url, "GET", f"{path}/answers?since={other['cursor']}", token=second["token"]
    )
    assert later["reviews"]["rows"] == [] and later["cursor"] == other["cursor"]
    # The teacher sees the learner's two answers, and none for the classmate.
    _, progress = api(
        server.url, "GET", f"/api/v1/classes/{klass.id}/progress", token=klass.teacher
    )
    counts = {learner["name"]: len(learner["reviews"]["rows"]) for learner in progress["learners"]}
    assert counts == {"eleve-1": 2, "eleve-2": 0}


def test_a_sync_stores_what_is_sent_and_answers_what_is_new_and_the_decks(
    server: Server,
) -> None:
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}"
    second = other_machine(server, learner)
    decks = f"/api/v1/classes/{klass.id}/decks"
    api(server.url, "POST", decks, token=klass.teacher, body={"content": DECK})
    _, listed = api(server.url, "GET", decks, token=learner["token"])
    assert len(listed["decks"]) == 1

    def sync(token: str, *rows: list[Any], since: int) -> dict[str, Any]:
        status, found = api(
            server.url, "POST", path + "/sync", token=token, body=sync_body(*rows, since=since)
        )
        assert status == 200, found
        return found

    # The first machine sends two answers: stored, and not sent back to it.
    first = sync(learner["token"], review("s1"), review("s2", "autre"), since=0)
    assert (first["stored"], first["exams_stored"]) == (2, 0)
    assert (first["reviews"]["rows"], first["exams"]["rows"], first["more"]) == ([], [], False)
    assert first["reviews"]["columns"] == list(REVIEW_COLUMNS)
    assert first["exams"]["columns"] == list(EXAM_COLUMNS)
    assert first["decks"] == listed["decks"]
    # The second sends one and receives the first's two, as a pull would give them.
    _, pulled = api(server.url, "GET", path + "/answers?since=0", token=second["token"])
    other = sync(second["token"], review("s3"), since=0)
    assert other["stored"] == 1
    assert sorted(r[0] for r in other["reviews"]["rows"]) == ["s1", "s2"]
    assert other["reviews"] == pulled["reviews"] and other["exams"] == pulled["exams"]
    assert other["cursor"] > first["cursor"] and other["decks"] == listed["decks"]
    # With nothing to send, a sync is a pull; sent again, an answer is stored once.
    back = sync(learner["token"], since=first["cursor"])
    assert (back["stored"], [r[0] for r in back["reviews"]["rows"]]) == (0, ["s3"])
    again = sync(second["token"], review("s3"), since=other["cursor"])
    assert (again["stored"], again["reviews"]["rows"]) == (0, [])
    _, stored = api(server.url, "GET", path + "/answers", token=klass.teacher)
    assert sorted(r[0] for r in stored["reviews"]["rows"]) == ["s1", "s2", "s3"]
    # A deck published since is in the next sync's list.
    changed = DECK.replace("Bamako", "Bamako (capitale)")
    newer = api(server.url, "POST", decks, token=klass.teacher, body={"content": changed})[1]
    later = sync(learner["token"], since=back["cursor"])
    assert [d["sha256"] for d in later["decks"]] == [newer["sha256"]]


def test_a_sync_answers_in_pages(server: Server) -> None:
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}"
    second = other_machine(server, learner)
    sent = [review(f"p{i}") for i in range(5)]
    status, _ = api(
        server.url, "POST", path + "/sync", token=learner["token"], body=sync_body(*sent)
    )
    assert status == 200
    got: list[str] = []
    cursor, more, requests = 0, True, 0
    while more:
        body = {**sync_body(since=cursor), "limit": 2}
        _, page = api(server.url, "POST", path + "/sync", token=second["token"], body=body)
        assert len(page["reviews"]["rows"]) <= 2
        got += [r[0] for r in page["reviews"]["rows"]]
        cursor, more, requests = page["cursor"], page["more"], requests + 1
    assert (got, requests) == ([f"p{i}" for i in range(5)], 3)
    # The machine that sent them is not paged through its own answers.
    for method, tail, body in (
        ("POST", "/sync", {**sync_body(since=0), "limit": 2}),
        ("GET", "/answers?since=0&limit=2", None),
    ):
        _, own = api(server.url, method, path + tail, token=learner["token"], body=body)
        assert (own["reviews"]["rows"], own["more"], own["cursor"]) == ([], False, cursor)


def test_a_sync_refuses_what_a_push_refuses_and_stores_nothing(server: Server) -> None:
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}"
    bad = review("r2")
    bad[REVIEW_COLUMNS.index("rating")] = 9
    status, pushed = api(
        server.url,
        "POST",
        path + "/answers",
        token=learner["token"],
        body=push_body(review("r1"), bad),
    )
    assert status == 422
    status, synced = api(
        server.url,
        "POST",
        path + "/sync",
        token=learner["token"],
        body=sync_body(review("r1"), bad),
    )
    assert (status, synced) == (422, pushed)
    short = sync_body(review("r3")[:5])
    status, refused = api(server.url, "POST", path + "/sync", token=learner["token"], body=short)
    assert status == 422 and refused["detail"]["code"] == "bad_rows"
    # Without a cursor, or with one out of bounds, nothing is done either.
    for body in (
        push_body(review("r4")),
        sync_body(review("r5"), since=-1),
        {**sync_body(review("r6")), "limit": 0},
        {**sync_body(review("r7")), "limit": 100_000},
    ):
        status, _ = api(server.url, "POST", path + "/sync", token=learner["token"], body=body)
        assert status == 422, body
    _, stored = api(server.url, "GET", path + "/answers", token=klass.teacher)
    assert stored["reviews"]["rows"] == []


def test_a_link_codes_owner_is_told_without_spending_it(server: Server) -> None:
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}/link-codes"
    _, code = api(server.url, "POST", path, token=learner["token"])
    body = {"link_code": code["link_code"]}
    for _ in range(2):  # asked twice: still not spent
        status, owner = api(server.url, "POST", "/api/v1/link/owner", body=body)
        assert status == 200
        assert (owner["learner_id"], owner["learner"]) == (learner["learner_id"], "eleve-1")
        assert owner["class_id"] == klass.id and "token" not in owner
    status, linked = api(server.url, "POST", "/api/v1/link", body=body)
    assert status == 200 and linked["learner_id"] == learner["learner_id"]
    status, refused = api(server.url, "POST", "/api/v1/link/owner", body=body)
    assert status == 403 and refused["detail"]["code"] == "bad_link_code"


def test_a_bad_row_is_refused_with_its_place_and_nothing_is_stored(server: Server) -> None:
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}/answers"
    bad = review("b2")
    bad[REVIEW_COLUMNS.index("rating")] = 9
    body = push_body(review("b1"), bad)
    body["exams"] = {"columns": list(EXAM_COLUMNS), "rows": []}
    status, refused = api(server.url, "POST", path, token=learner["token"], body=body)
    assert status == 422
    problem = refused["detail"]["problems"][0]
    assert (problem["table"], problem["row"], problem["column"]) == ("reviews", 2, "rating")
    _, pulled = api(server.url, "GET", path, token=klass.teacher)
    assert pulled["reviews"]["rows"] == []
    # Wrong columns, and a row of the wrong length, are refused too.
    wrong = {"reviews": {"columns": ["uid"], "rows": [["x"]]}}
    assert api(server.url, "POST", path, token=learner["token"], body=wrong)[0] == 422
    short = push_body(review("b3")[:5])
    status, refused = api(server.url, "POST", path, token=learner["token"], body=short)
    assert status == 422 and refused["detail"]["problems"][0]["row"] == 1


def test_answers_and_exams_come_back_exactly_as_sent(server: Server) -> None:
    # Every value crosses the database and comes back unchanged on the other machine:
    # accents, quotes, backslashes, a character outside the BMP, null, floats.
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}"
    second = other_machine(server, learner)
    typed = review("t1")
    typed[REVIEW_COLUMNS.index("answer")] = 'Tombouctou « é » "q" \\ \U0001f600'
    blank = review("t2")
    blank[REVIEW_COLUMNS.index("answer")] = None
    blank[REVIEW_COLUMNS.index("duration_ms")] = None
    now = int(time.time() * 1000) - 60_000
    exam = ["e1", now, '["classe-deck"]', '["dates"]', 7.5, 10.0, 300_000, '[{"card": "x"}]']
    body = {**push_body(typed, blank), "exams": {"columns": list(EXAM_COLUMNS), "rows": [exam]}}
    status, pushed = api(server.url, "POST", path + "/answers", token=learner["token"], body=body)
    assert (status, pushed["stored"], pushed["exams_stored"]) == (200, 2, 1)
    _, other = api(server.url, "GET", path + "/answers?since=0", token=second["token"])
    assert sorted(other["reviews"]["rows"]) == sorted([typed, blank])
    assert other["exams"]["rows"] == [exam]


@pytest.mark.parametrize("text", ["nul\x00", "lone \ud800"], ids=["nul", "surrogate"])
def test_text_no_database_can_keep_is_refused_with_its_place(server: Server, text: str) -> None:
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}/answers"
    bad = review("n2")
    bad[REVIEW_COLUMNS.index("answer")] = text
    status, refused = api(server.url, "POST", path, token=learner["token"], body=push_body(bad))
    assert status == 422, refused
    problem = refused["detail"]["problems"][0]
    assert (problem["table"], problem["row"], problem["column"]) == ("reviews", 1, "answer")
    assert "NUL" in problem["allowed"]
    _, pulled = api(server.url, "GET", path, token=klass.teacher)
    assert pulled["reviews"]["rows"] == []


def test_a_body_over_the_limit_is_refused(server: Server) -> None:
    klass = new_class(server)
    learner = klass.learners[0]
    path = f"/api/v1/learners/{learner['learner_id']}/answers"
    # Refused from its declared length, before a byte of it is read (sent with
    # http.client so that the answer is read without sending the megabytes).
    for target in (path, path.replace("/answers", "/sync")):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.putrequest("POST", target)
        connection.putheader("Authorization", f"Bearer {learner['token']}")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(1024 * 1024 + 10))
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413, target
        connection.close()
    # A body just under the limit is read and its rows checked as usual.
    big = review("h1")
    big[REVIEW_COLUMNS.index("answer")] = "x" * 9_000
    status, _ = api(server.url, "POST", path, token=learner["token"], body=push_body(big))
    assert status == 200
    big[0] = "h2"
    status, _ = api(
        server.url, "POST", path.replace("/answers", "/sync"), token=learner["token"],
        body=sync_body(big),
    )  # fmt: skip
    assert status == 200


def test_published_decks_are_listed_by_version(server: Server) -> None:
    klass = new_class(server)
    base = f"/api/v1/classes/{klass.id}/decks"
    status, published = api(server.url, "POST", base, token=klass.teacher, body={"content": DECK})
    assert status == 200 and published["new"] and published["deck_id"] == "classe-deck"
    again = api(server.url, "POST", base, token=klass.teacher, body={"content": DECK})[1]
    assert again["sha256"] == published["sha256"] and not again["new"]
    changed = DECK.replace("Bamako", "Bamako (capitale)")
    newer = api(server.url, "POST", base, token=klass.teacher, body={"content": changed})[1]
    learner = klass.learners[0]["token"]
    _, listed = api(server.url, "GET", base, token=learner)
    assert [(d["deck_id"], d["sha256"]) for d in listed["decks"]] == [
        ("classe-deck", newer["sha256"])
    ]
    _, one = api(server.url, "GET", f"{base}/classe-deck/{newer['sha256']}", token=learner)
    assert one["content"] == changed
    status, refused = api(
        server.url, "POST", base, token=klass.teacher, body={"content": "id: [unclosed"}
    )
    assert status == 422 and refused["detail"]["problems"]


def test_wrong_join_codes_are_rate_limited(db_url: str, start_server: Any) -> None:
    db = open_database(db_url)
    db.migrate()
    _, code, _ = add_class(db, "limited")
    db.close()
    url = start_server(db_url).url
    statuses = [
        api(url, "POST", "/api/v1/join", body={"join_code": "AAAA-BBBB-CCCC", "name": "x"})[0]
        for _ in range(11)
    ]
    assert statuses == [403] * 10 + [429]
    # Even the right code waits now: guessing cannot go on beside it. Link codes too.
    assert api(url, "POST", "/api/v1/join", body={"join_code": code, "name": "x"})[0] == 429
    assert api(url, "POST", "/api/v1/link", body={"link_code": "AAAA-BBBB-CCCC"})[0] == 429


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_are_versioned_and_run_once(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    from maliquiz.server.db import SCHEMA_VERSION, DatabaseError

    url = new_database(request, backend, tmp_path)
    db = open_database(url)
    assert db.migrate() == 0
    assert db.migrate() == SCHEMA_VERSION
    with db.transaction() as tx:
        tx.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(DatabaseError, match="newer"):
        db.migrate()
    db.close()
