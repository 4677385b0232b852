"""The class server's HTTP API (FastAPI), described at ``/openapi.json``.

Every request but joining and linking carries a token (``Authorization: Bearer ...``).
A learner's token reaches only that learner's data, a teacher's only that class:
an unknown or missing token gets 401, a token reaching beyond its own 403. Request
bodies are bounded (:class:`BodyLimit`) and every row is checked with the same models
as a progress import (:mod:`maliquiz.core.progress.rows`): one bad row refuses the
request, naming its table, row and column, and nothing is stored.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Final

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from maliquiz import __version__
from maliquiz.core.progress.connection import EXAM_COLUMNS, REVIEW_COLUMNS
from maliquiz.core.progress.rows import describe
from maliquiz.core.progress.transfer import check_tables
from maliquiz.server import classes
from maliquiz.server.classes import Caller
from maliquiz.server.db import Database, DatabaseUnavailable, open_database

_log = logging.getLogger("maliquiz.server")

MAX_BODY_BYTES: Final = 16 * 1024 * 1024
MAX_ROWS: Final = 5000
PULL_LIMIT: Final = 2000
MAX_DECK_CHARS: Final = 4 * 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse (413) a request whose body is over ``max_bytes``, by its Content-Length
    or, without one, as soon as what was read passes the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        response = JSONResponse(
            {
                "detail": {
                    "message": f"request body over {self.max_bytes} bytes",
                    "code": "too_large",
                }
            },
            status_code=413,
        )
        await response({"type": "http"}, _nothing, send)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


# --- request and response bodies -----------------------------------------------------


class Table(BaseModel):
    """Rows of one table, as in a progress export: column names, then rows of values."""

    columns: list[str]
    rows: list[list[Any]] = Field(default_factory=list, max_length=MAX_ROWS)


class JoinBody(BaseModel):
    join_code: str = Field(max_length=64)
    name: str = Field(max_length=classes.LEARNER_NAME_MAX)


class LinkBody(BaseModel):
    link_code: str = Field(max_length=64)


class PushBody(BaseModel):
    reviews: Table | None = None
    exams: Table | None = None


class SyncBody(PushBody):
    since: int = Field(ge=0, description="the cursor of the last answers received")
    limit: int = Field(default=PULL_LIMIT, ge=1, le=PULL_LIMIT)


class DeckBody(BaseModel):
    content: str = Field(max_length=MAX_DECK_CHARS)


def refusal(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> HTTPException:
    """A refusal the client knows by its ``code`` (to say it in its own language);
    ``message`` is the English words for anyone else."""
    return HTTPException(status, {"message": message, "code": code}, headers)


UNAVAILABLE: Final = {"message": "database unavailable, try again later", "code": "database_down"}

_bearer = HTTPBearer(auto_error=False)


async def who(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The caller of a request, by its token: 401 without a token the server gave.
    A token seen lately is known without leaving the event loop; the database is
    asked from a worker thread."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise refusal(401, "no_token", "a token is needed", {"WWW-Authenticate": "Bearer"})
    db = request.app.state.db
    found = classes.remembered(db, credentials.credentials)
    if found is None:
        found = await run_in_threadpool(classes.caller, db, credentials.credentials)
    if found is None:
        raise refusal(401, "unknown_token", "unknown token", {"WWW-Authenticate": "Bearer"})
    return found


Who = Annotated[Caller, Depends(who)]


def create_app(db: Database, *, max_body: int = MAX_BODY_BYTES) -> BodyLimit:
    """The API on ``db`` (already migrated), with request bodies bounded by ``max_body``."""
    app = FastAPI(
        title="maliquiz class server",
        version=__version__,
        description="Learners' answers from every machine, a teacher's view of the class.",
    )
    app.state.db = db
    # The row checks built now, not by the first learners to sync (a worker's first
    # push took a quarter of a second more).
    check_tables({"reviews": [], "exams": []}, datetime.now(UTC))

    @app.exception_handler(DatabaseUnavailable)
    async def database_down(request: Request, error: Exception) -> JSONResponse:
        # One line in the log, no traceback: the database is down or restarting, and
        # the pool checks each connection before use, so a later request finds it back.
        _log.warning("database unavailable (%s %s): %s", request.method, request.url.path, error)
        return JSONResponse({"detail": UNAVAILABLE}, status_code=503, headers={"Retry-After": "5"})

    def learner_only(caller: Caller, learner_id: int) -> None:
        if caller.role != "learner" or caller.learner_id != learner_id:
            raise refusal(403, "not_your_learner", "this token cannot reach that learner")

    def learner_or_teacher(caller: Caller, learner_id: int) -> None:
        if caller.role == "learner" and caller.learner_id == learner_id:
            return
        if caller.role == "teacher" and classes.learner_class(db, learner_id) == caller.class_id:
            return
        raise refusal(403, "not_your_learner", "this token cannot reach that learner")

    def in_class(caller: Caller, class_id: int, *, teacher: bool) -> None:
        if caller.class_id != class_id or (teacher and caller.role != "teacher"):
            raise refusal(403, "not_your_class", "this token cannot reach that class")

    def address(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    @app.get("/api/v1/me", summary="Who this token belongs to")
    def me(caller: Who) -> dict[str, Any]:
        return {
            "role": caller.role,
            "class_id": caller.class_id,
            "class": caller.class_name,
            "learner_id": caller.learner_id,
            "learner": caller.learner_name,
        }

    @app.post("/api/v1/join", summary="Join a class with its code; returns a learner token")
    def join(body: JoinBody, request: Request) -> dict[str, Any]:
        name = body.name.strip()
        if not name or any(not c.isprintable() for c in name):
            raise refusal(422, "bad_name", "a learner name is printable text")
        with _refused_as("bad_join_code", "no class has this join code"):
            joined = classes.join(db, body.join_code, name, address(request))
        return joined._asdict()

    @app.post("/api/v1/link", summary="Attach another machine with a one-time link code")
    def link(body: LinkBody, request: Request) -> dict[str, Any]:
        with _refused_as("bad_link_code", "this link code is wrong, used or expired"):
            joined = classes.link(db, body.link_code, address(request))
        return joined._asdict()

    @app.post("/api/v1/link/owner", summary="Whose machine a link code would attach")
    def link_owner(body: LinkBody, request: Request) -> dict[str, Any]:
        with _refused_as("bad_link_code", "this link code is wrong, used or expired"):
            owner = classes.link_owner(db, body.link_code, address(request))
        return owner._asdict()

    @app.post("/api/v1/learners/{learner_id}/link-codes", summary="A one-time link code")
    def link_code(learner_id: int, caller: Who) -> dict[str, Any]:
        learner_only(caller, learner_id)
        code, expires = classes.new_link_code(db, learner_id)
        return {"link_code": code, "expires_at": _iso(expires)}

    @app.post("/api/v1/learners/{learner_id}/answers", summary="Push answers and exams")
    def push(learner_id: int, body: PushBody, caller: Who) -> dict[str, Any]:
        learner_only(caller, learner_id)
        reviews, exams = _checked(body)
        stored, exams_stored = classes.push(db, learner_id, caller.token_id, reviews, exams)
        return {"stored": stored, "exams_stored": exams_stored}

    @app.get("/api/v1/learners/{learner_id}/answers", summary="Answers since a cursor")
    def pull(
        learner_id: int,
        caller: Who,
        since: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=PULL_LIMIT)] = PULL_LIMIT,
    ) -> dict[str, Any]:
        learner_or_teacher(caller, learner_id)
        origin = caller.token_id if caller.role == "learner" else None
        return _pulled(classes.pull(db, learner_id, since, origin=origin, limit=limit))

    @app.post(
        "/api/v1/learners/{learner_id}/sync",
        summary="A learner's sync: push answers, answers since a cursor, the class's decks",
        description="What POST .../answers stores (same checks, same refusals), then in "
        "the same response what GET .../answers?since= returns and what GET "
        "/api/v1/classes/{class_id}/decks lists, all in one transaction. A learner's token "
        "only. Nothing more to ask unless ``more`` is true or a deck changed.",
    )
    def sync(learner_id: int, body: SyncBody, caller: Who) -> dict[str, Any]:
        learner_only(caller, learner_id)
        reviews, exams = _checked(body)
        done = classes.sync(db, caller, reviews, exams, since=body.since, limit=body.limit)
        return {
            "stored": done.stored,
            "exams_stored": done.exams_stored,
            **_pulled(done.pulled),
            **_decks(done.decks),
        }

    @app.get("/api/v1/classes/{class_id}/progress", summary="Every learner's answers (teacher)")
    def progress(class_id: int, caller: Who) -> dict[str, Any]:
        in_class(caller, class_id, teacher=True)
        return {"class": caller.class_name, "learners": classes.class_progress(db, class_id)}

    @app.post("/api/v1/classes/{class_id}/decks", summary="Publish a deck to the class")
    def publish(class_id: int, body: DeckBody, caller: Who) -> dict[str, Any]:
        in_class(caller, class_id, teacher=True)
        from maliquiz.core.deck.loader import parse_deck

        result = parse_deck(body.content, "deck")
        if result.deck is None:
            raise HTTPException(
                422,
                {
                    "message": "not a valid deck",
                    "code": "bad_deck",
                    "problems": [
                        {"line": f.line, "column": f.col, "message": f.message}
                        for f in result.errors[:20]
                    ],
                },
            )
        sha, new, changed = classes.publish(db, class_id, result.deck.id, body.content)
        return {"deck_id": result.deck.id, "sha256": sha, "new": new, "changed": changed}

    @app.get("/api/v1/classes/{class_id}/decks", summary="The class's decks, latest versions")
    def decks(class_id: int, caller: Who) -> dict[str, Any]:
        in_class(caller, class_id, teacher=False)
        return _decks(classes.latest_decks(db, class_id))

    @app.get("/api/v1/classes/{class_id}/decks/{deck_id}/{sha256}", summary="One deck version")
    def deck(class_id: int, deck_id: str, sha256: str, caller: Who) -> dict[str, Any]:
        in_class(caller, class_id, teacher=False)
        content = classes.deck_content(db, class_id, deck_id, sha256)
        if content is None:
            raise refusal(404, "no_deck", "no such deck version")
        return {"deck_id": deck_id, "sha256": sha256, "content": content}

    return BodyLimit(app, max_body)


def _checked(body: PushBody) -> tuple[list[list[Any]], list[list[Any]]]:
    """The rows a push sends, checked as a progress import checks them: 422
    ``bad_rows`` naming the first bad values, and nothing is stored."""
    tables = {
        "reviews": _rows(body.reviews, REVIEW_COLUMNS, "reviews"),
        "exams": _rows(body.exams, EXAM_COLUMNS, "exams"),
    }
    problems = check_tables(tables, datetime.now(UTC))
    if problems:
        raise HTTPException(
            422,
            {
                "message": f"{len(problems)} bad value{'s' if len(problems) > 1 else ''}: "
                "nothing was stored",
                "code": "bad_rows",
                # ``allowed`` filled in, in English (the client has no way to).
                "problems": [{**p._asdict(), "allowed": describe(p, str)} for p in problems[:20]],
            },
        )
    return tables["reviews"], tables["exams"]


def _pulled(found: classes.Pulled) -> dict[str, Any]:
    return {
        "reviews": {"columns": list(REVIEW_COLUMNS), "rows": found.reviews},
        "exams": {"columns": list(EXAM_COLUMNS), "rows": found.exams},
        "cursor": found.cursor,
        "more": found.more,
    }


def _decks(latest: list[tuple[str, str, int]]) -> dict[str, Any]:
    return {
        "decks": [
            {"deck_id": deck_id, "sha256": sha, "published_at": _iso(ms)}
            for deck_id, sha, ms in latest
        ]
    }


def _rows(table: Table | None, columns: tuple[str, ...], name: str) -> list[list[Any]]:
    if table is None:
        return []
    if table.columns != list(columns):
        raise HTTPException(
            422,
            {
                "message": f"the {name} columns must be {', '.join(columns)}",
                "code": "bad_rows",
                "problems": [],
            },
        )
    bad = next((i for i, row in enumerate(table.rows) if len(row) != len(columns)), None)
    if bad is not None:
        raise HTTPException(
            422,
            {
                "message": f"{name} row {bad + 1} has {len(table.rows[bad])} values, "
                f"not {len(columns)}: nothing was stored",
                "code": "bad_rows",
                "problems": [
                    {"table": name, "row": bad + 1, "column": "row", "value": "", "allowed": ""}
                ],
            },
        )
    return table.rows


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()


DB_ENV: Final = "MALIQUIZ_SERVER_DB"
MAX_BODY_ENV: Final = "MALIQUIZ_SERVER_MAX_BODY"


def app_from_env() -> BodyLimit:
    """The app for uvicorn's workers (``factory=True``): the database from
    ``MALIQUIZ_SERVER_DB``, migrated if another worker has not done it yet."""
    db = open_database(os.environ[DB_ENV])
    db.migrate()
    return create_app(db, max_body=int(os.environ.get(MAX_BODY_ENV, MAX_BODY_BYTES)))


@contextmanager
def _refused_as(code: str, message: str) -> Iterator[None]:
    """A code refused inside becomes 403 with ``message``; too many wrong codes from
    one address, 429 with when to try again."""
    try:
        yield
    except classes.RateLimited as limited:
        raise refusal(
            429, "too_many_codes", str(limited), {"Retry-After": str(limited.retry_after)}
        ) from None
    except classes.Refused:
        raise refusal(403, code, message) from None
