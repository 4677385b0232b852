"""Fixtures of the class server's tests: a real PostgreSQL cluster for the session, the
same tests on the embedded SQLite default, and the real server (``maliquiz serve``
under uvicorn) on a free loopback port, as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import pgcluster

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgcluster.Cluster]:
    if pgcluster.binaries() is None:
        pytest.skip("PostgreSQL is not installed (initdb not found)")
    cluster = pgcluster.Cluster()
    yield cluster
    cluster.stop()


def new_database(request: pytest.FixtureRequest, backend: str, folder: Path) -> str:
    if backend == "sqlite":
        return str(folder / "class-server.sqlite3")
    cluster: pgcluster.Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new empty server database, on each backend."""
    return new_database(request, request.param, tmp_path)


class Server:
    """``maliquiz serve`` running in a subprocess."""

    def __init__(self, db_url: str, folder: Path, *args: str, port: int | None = None) -> None:
        self.db_url = db_url
        self.port = port or pgcluster.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = args
        self.log = folder / f"serve-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {**os.environ, "MALIQUIZ_DATA_DIR": str(folder / "server-data")}

    def start(self) -> Server:
        command = [sys.executable, "-m", "maliquiz", "serve", "--db", self.db_url]
        command += ["--port", str(self.port), *self.args]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=self.env
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/openapi.json", timeout=2):
                    return self
            except OSError:
                time.sleep(0.05)  # waiting for the port to open, not for our own work
        raise RuntimeError(f"the server did not start: {self.log.read_text()}")

    def stop(self, *, kill: bool = False) -> None:
        if self.process is not None and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Any]:
    """Start ``maliquiz serve`` on a database: ``start_server(db_url, *args)``."""
    started: list[Server] = []

    def start(db_url: str, *args: str) -> Server:
        server = Server(db_url, tmp_path, *args).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def api(
    server: str, method: str, path: str, *, token: str | None = None, body: Any = None
) -> tuple[int, Any]:
    """One raw request (no retry): the status and the JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
