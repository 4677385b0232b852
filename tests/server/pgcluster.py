"""A throwaway PostgreSQL cluster in a temporary folder, for the tests and the bench.

``initdb`` refuses to run as root: as root the cluster belongs to ``nobody`` (every
Linux has it) and the programs run through ``runuser``. The server listens on a free
loopback port and a socket in the cluster's folder, trusts local connections, and
skips fsync (a test cluster dies with its folder).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    return next((d for d in BIN_DIRS if (d / "initdb").exists()), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """A running cluster: :attr:`url` of its ``postgres`` database, :meth:`new_database`."""

    def __init__(self, *, max_connections: int = 100) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb)")
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="maliquiz-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "nobody", "nogroup")
            self._as = ["runuser", "-u", "nobody", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off "
            f"-c max_connections={max_connections}"
        )
        self._options = options
        self.start()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._count = 0

    def start(self) -> None:
        """Start the cluster (again, after :meth:`pause`)."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", self._options, "-l", str(self.folder / "log"),
            "-w", "start",
        )  # fmt: skip

    def pause(self) -> None:
        """Stop the database server, keeping its data: :meth:`start` brings it back."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self._as, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )

    def new_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        self._count += 1
        name = f"maliquiz_{self._count}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
