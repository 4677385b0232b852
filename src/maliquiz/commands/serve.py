"""``maliquiz serve``: run the class server (needs ``pip install 'maliquiz[server]'``)."""

from __future__ import annotations

import argparse
from typing import Any

from maliquiz.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help=_("run the class server (extra: maliquiz[server])"),
        description=_(
            "Run the class server: learners sync their answers with it and teachers read "
            "their class's report from it. Without --db it keeps everything in an SQLite "
            "file in the data folder; give --db postgresql://... for a PostgreSQL "
            "database, which several workers can share. Put it behind a reverse proxy "
            "with TLS before opening it beyond this machine."
        ),
    )
    add_db_option(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)")
    )
    parser.add_argument(
        "--port", type=int, default=8765, help=_("port to listen on (default 8765)")
    )
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help=_("worker processes (default 1)")
    )
    parser.add_argument(
        "--max-body-mb",
        type=int,
        default=16,
        metavar="MB",
        help=_("largest request body accepted, in megabytes (default 16)"),
    )


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """--db URL, shared with ``maliquiz server add-class``."""
    parser.add_argument(
        "--db",
        metavar="URL",
        help=_(
            "postgresql://USER@HOST/NAME, or an SQLite file "
            "(default: server/class-server.sqlite3 in the data folder)"
        ),
    )


def database_url(args: argparse.Namespace, ctx: Any) -> str:
    from maliquiz.server.db import default_database_path

    if args.db:
        return str(args.db)
    path = default_database_path(ctx.data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)  # the default folder is ours to make
    return str(path)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail

    try:
        from maliquiz.server.main import migrate, serve
    except ImportError:
        return fail(ctx, _("the class server needs its extra: pip install 'maliquiz[server]'"))
    from maliquiz.server.db import DatabaseError

    if not 0 < args.port < 65536:
        return fail(ctx, _("--port must be 1 to 65535 (got {n})").format(n=args.port))
    if args.workers < 1:
        return fail(ctx, _("--workers must be at least 1 (got {n})").format(n=args.workers))
    if args.max_body_mb < 1:
        return fail(ctx, _("--max-body-mb must be at least 1 (got {n})").format(n=args.max_body_mb))
    if problem := _port_problem(args.host, args.port):
        return fail(ctx, problem)
    url = database_url(args, ctx)
    try:
        migrate(url)
    except DatabaseError as error:
        return fail(ctx, str(error))
    workers = args.workers
    if workers > 1 and not url.startswith(("postgresql://", "postgres://")):
        print(
            _(
                "SQLite is written by one process at a time: running one worker, not {n} "
                "(use --db postgresql://... for several)"
            ).format(n=workers),
            file=ctx.stderr,
        )
        workers = 1
    print(
        _("Class server on http://{host}:{port} (database: {db})").format(
            host=args.host, port=args.port, db=_shown(url)
        ),
        file=ctx.stderr,
    )
    serve(
        url,
        host=args.host,
        port=args.port,
        workers=workers,
        max_body=args.max_body_mb * 1024 * 1024,
    )
    return 0


def _port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port`` (in use, no such address), or
    None: tried before anything starts, so the user reads one sentence, not uvicorn's."""
    import errno
    import socket

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return _("cannot listen on {host}: {reason} (check --host)").format(
            host=host, reason=error.strerror
        )
    family, kind, proto, _name, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return _("port {port} is in use; choose another with --port").format(port=port)
            if error.errno == errno.EACCES:
                return _(
                    "port {port} needs administrator rights; choose one above 1023 with --port"
                ).format(port=port)
            return _("cannot listen on {host}:{port}: {reason} (check --host)").format(
                host=host, port=port, reason=error.strerror
            )
    return None


def _shown(url: str) -> str:
    """The database address without its password."""
    from maliquiz.server.db import hidden_password

    return hidden_password(url)
