"""Class server under load and faults (issue 20), against a real server on loopback.

1. Load: 200 learners sync at the same moment, 100 answers each, against PostgreSQL
   with 2 workers (``maliquiz serve --workers 2``). A sync is what ``maliquiz sync``
   sends: one request to the sync endpoint, which stores the answers and answers with
   what the learner's other machines sent and the class's decks (``--legacy``: what a
   client older than that endpoint sends, a push, a pull and the list of decks).
   Checked: all 20,000 answers stored exactly once (a second sync of everyone stores
   none); printed: the sync time's median, p95 and max (target p95 <= 300 ms), and the
   CPU time the server, PostgreSQL and the clients used meanwhile: the server's and
   PostgreSQL's CPU over the machine's cores is the least time the burst can take, even
   with every client on a machine of its own.
2. Fault: a learner syncs 3,000 answers in batches of 100 and the server is killed
   (SIGKILL, workers and all) in the middle, then started again a second later. The
   client retries (``commands/_client.py``) and finishes; checked: every answer stored
   once, none lost, none doubled.

Needs the ``server`` extra and PostgreSQL's programs (``initdb``, ``pg_ctl``).
``python bench/bench_server.py [--learners N] [--answers N] [--workers N] [--legacy]``.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "server"))

import pgcluster  # noqa: E402

from maliquiz.commands._client import call  # noqa: E402
from maliquiz.core.progress.connection import REVIEW_COLUMNS  # noqa: E402


class Server:
    """``maliquiz serve`` in its own process group (so that its workers die with it)."""

    def __init__(self, db_url: str, port: int, workers: int, folder: Path) -> None:
        self.args = [
            sys.executable, "-m", "maliquiz", "serve", "--db", db_url,
            "--port", str(port), "--workers", str(workers),
        ]  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        self.env = {**os.environ, "MALIQUIZ_DATA_DIR": str(folder)}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.args, env=self.env, start_new_session=True, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/openapi.json", timeout=2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def rows(prefix: str, count: int) -> list[list[Any]]:
    now = int(time.time() * 1000) - 3_600_000
    return [
        [f"{prefix}-{i}", "bench-deck", f"card-{i % 50}", now + i, "typed", "Bamako",
         "correct" if i % 3 else "wrong", 3 if i % 3 else 1, 3000, 1, None]
        for i in range(count)
    ]  # fmt: skip


def body(batch: list[list[Any]]) -> dict[str, Any]:
    return {"reviews": {"columns": list(REVIEW_COLUMNS), "rows": batch}}


def sync_once(url: str, me: dict[str, Any], batch: list[list[Any]], *, legacy: bool) -> int:
    """One learner's sync of ``batch`` with nothing received before (cursor 0), as
    ``maliquiz sync`` sends it; how many answers the server stored."""
    learner = f"/api/v1/learners/{me['learner_id']}"
    token = me["token"]
    if not legacy:
        synced = call(url, "POST", f"{learner}/sync", token=token, body={**body(batch), "since": 0})
        return int(synced["stored"])
    pushed = call(url, "POST", f"{learner}/answers", token=token, body=body(batch))
    call(url, "GET", f"{learner}/answers?since=0", token=token)
    call(url, "GET", f"/api/v1/classes/{me['class_id']}/decks", token=token)
    return int(pushed["stored"])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of the live process ``pid`` (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every live process (Linux ``/proc``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found.append((int(entry.name), int(fields[1]), int(fields[2])))
    return found


def cpu_used(server: Server, postmaster: int) -> tuple[float, float]:
    """CPU seconds used so far by the server (its process group: the parent and its
    workers) and by PostgreSQL (the postmaster and its backends, which live as long as
    the pool's connections)."""
    assert server.process is not None
    group = os.getpgid(server.process.pid)
    listed = _processes()
    ours = sum(_cpu_seconds(pid) for pid, _parent, pgrp in listed if pgrp == group)
    database = _cpu_seconds(postmaster) + sum(
        _cpu_seconds(pid) for pid, parent, _pgrp in listed if parent == postmaster
    )
    return ours, database


def count_answers(db_url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT (learner_id, uid)) FROM answers"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def join_all(url: str, code: str, learners: int) -> list[dict[str, Any]]:
    return [
        call(
            url,
            "POST",
            "/api/v1/join",
            body={"join_code": code, "name": f"eleve-{i}-{time.monotonic_ns()}"},
        )
        for i in range(learners)
    ]


def load(
    server: Server,
    postmaster: int,
    db_url: str,
    code: str,
    learners: int,
    answers: int,
    spread: float,
    *,
    legacy: bool = False,
) -> None:
    """All learners sync at once (``spread`` 0) or start at even moments within
    ``spread`` seconds; every sync runs in its own thread, at the same time as the
    others still under way."""
    before, _ = count_answers(db_url)
    joined = join_all(server.url, code, learners)
    times: list[float] = [0.0] * learners
    stored: list[int] = [0] * learners
    ready = threading.Barrier(learners)

    def sync(i: int) -> None:
        batch = rows(f"l{i}-{round(spread * 1000)}", answers)
        ready.wait()
        time.sleep(spread * i / learners)
        start = time.perf_counter()
        stored[i] = sync_once(server.url, joined[i], batch, legacy=legacy)
        times[i] = time.perf_counter() - start

    failures: list[BaseException] = []

    def guarded(i: int) -> None:
        try:
            sync(i)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(learners)]
    server_cpu, database_cpu = cpu_used(server, postmaster)
    client_cpu = time.process_time()
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    client_cpu = time.process_time() - client_cpu
    server_after, database_after = cpu_used(server, postmaster)
    server_cpu, database_cpu = server_after - server_cpu, database_after - database_cpu
    if failures:
        raise SystemExit(f"{len(failures)} syncs failed, the first: {failures[0]}")
    total, distinct = count_answers(db_url)
    total, distinct = total - before, distinct - before
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    when = "at the same instant" if not spread else f"starting within {spread:g} s"
    how = "push, pull and decks apart (an older client)" if legacy else "one request each"
    print(f"\nLoad: {learners} learners x {answers} answers, syncing {when}, {how}")
    print(f"  answers stored: {sum(stored)} (rows {total}, distinct uids {distinct})")
    print(
        f"  sync time: median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms "
        f"(target p95 <= 300 ms: {'ok' if p95 <= 0.3 else 'OVER'}); all done in {wall:.2f} s"
    )
    cores = os.cpu_count() or 1
    print(
        f"  CPU used: server {server_cpu:.2f} s, PostgreSQL {database_cpu:.2f} s, the "
        f"{learners} clients {client_cpu:.2f} s ({cores} cores here): the server's side "
        f"alone cannot end sooner than {(server_cpu + database_cpu) / cores:.2f} s"
    )
    again = [
        sync_once(server.url, me, rows(f"l{i}-{round(spread * 1000)}", answers), legacy=legacy)
        for i, me in enumerate(joined)
    ]
    expected = learners * answers
    ok = sum(stored) == total == distinct == expected and sum(again) == 0
    print(f"  pushed again by everyone: {sum(again)} stored; exactly once: {ok}")
    if not ok:
        raise SystemExit("answers lost or doubled")


def fault(server: Server, db_url: str, code: str, answers: int, batch: int) -> None:
    import psycopg

    me = call(server.url, "POST", "/api/v1/join", body={"join_code": code, "name": "crash"})
    path = f"/api/v1/learners/{me['learner_id']}/sync"
    before, _ = count_answers(db_url)
    all_rows = rows("crash", answers)
    errors: list[BaseException] = []
    pushed = [0]

    def push() -> None:
        cursor = 0
        try:
            for start in range(0, answers, batch):
                answer = call(
                    server.url, "POST", path, token=me["token"],
                    body={**body(all_rows[start : start + batch]), "since": cursor},
                    patience=60,
                )  # fmt: skip
                pushed[0] += answer["stored"]
                cursor = answer["cursor"]
        except BaseException as error:  # reported below
            errors.append(error)

    client = threading.Thread(target=push)
    # Watched on one connection, so that the kill comes as soon as a third is in.
    with psycopg.connect(db_url, autocommit=True) as watch:
        client.start()
        while True:
            found = watch.execute("SELECT count(*) FROM answers").fetchone()
            if found is not None and found[0] - before >= answers // 3:
                break
        server.kill()
        found = watch.execute("SELECT count(*) FROM answers").fetchone()
        killed_at = (found[0] if found else 0) - before
    down = time.perf_counter()
    time.sleep(1.0)
    server.start()
    restart = time.perf_counter() - down
    client.join()
    total, distinct = count_answers(db_url)
    stored = total - before
    ok = not errors and stored == answers and total == distinct
    print(f"\nFault: server killed mid-sync ({killed_at} of {answers} answers in), restarted")
    print(f"  back after {restart:.1f} s; the client retried and finished: {not errors}")
    print(f"  answers stored: {stored} of {answers} (no loss, no double: {ok})")
    if not ok:
        raise SystemExit(f"lost or doubled answers: {errors}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--spread", type=float, default=2.0, help="seconds over which the second run's syncs start"
    )
    parser.add_argument(
        "--legacy",
        action="store_true",
        help="sync as a client older than the sync endpoint does (push, pull, list of decks)",
    )
    args = parser.parse_args(argv)
    if pgcluster.binaries() is None:
        print("bench_server: PostgreSQL is not installed, skipped")
        return 0
    cluster = pgcluster.Cluster(max_connections=200)
    server: Server | None = None
    try:
        from maliquiz.server.classes import add_class
        from maliquiz.server.db import open_database

        db_url = cluster.new_database()
        db = open_database(db_url)
        db.migrate()
        _, code, _ = add_class(db, "bench")
        db.close()
        server = Server(db_url, pgcluster.free_port(), args.workers, cluster.folder)
        server.start()
        print(f"PostgreSQL on {cluster.url}; maliquiz serve --workers {args.workers}")
        how = {"legacy": args.legacy}
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
        load(server, postmaster, db_url, code, args.learners, args.answers, 0.0, **how)
        load(server, postmaster, db_url, code, args.learners, args.answers, args.spread, **how)
        fault(server, db_url, code, 3000, 100)
    finally:
        if server is not None:
            server.stop()
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
