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

    return str(args.db or default_database_path(ctx.data_dir))


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail

    try:
        from maliquiz.server.main import migrate, serve
    except ImportError:
        return fail(ctx, _("the class server needs its extra: pip install 'maliquiz[server]'"))
    from maliquiz.server.db import DatabaseError

    if args.workers < 1 or not 0 < args.port < 65536 or args.max_body_mb < 1:
        return fail(ctx, _("--workers and --max-body-mb must be at least 1, --port 1 to 65535"))
    url = database_url(args, ctx)
    try:
        migrate(url)
    except DatabaseError as error:
        return fail(ctx, str(error))
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
        workers=args.workers,
        max_body=args.max_body_mb * 1024 * 1024,
    )
    return 0


def _shown(url: str) -> str:
    """The database address without its password."""
    from urllib.parse import urlsplit, urlunsplit

    if "://" not in url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))
