"""Starting the class server under uvicorn (what ``maliquiz serve`` runs)."""

from __future__ import annotations

import os

import uvicorn

from maliquiz.server.app import DB_ENV, MAX_BODY_ENV
from maliquiz.server.db import open_database


def migrate(url: str) -> None:
    """Bring the database at ``url`` to the current schema (raises ``DatabaseError``)."""
    db = open_database(url)
    try:
        db.migrate()
    finally:
        db.close()


def serve(url: str, *, host: str, port: int, workers: int, max_body: int) -> None:
    """Run the API on ``url`` (migrated first with :func:`migrate`, so that workers
    starting together find it done) until interrupted; each worker has its own pool."""
    os.environ[DB_ENV] = url
    os.environ[MAX_BODY_ENV] = str(max_body)
    uvicorn.run(
        "maliquiz.server.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
