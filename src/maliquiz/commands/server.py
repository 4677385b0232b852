"""``maliquiz server``: a teacher's actions on the class server (add a class, publish
a deck)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from maliquiz.commands._args import add_actions
from maliquiz.i18n import _

TOKEN_ENV = "MALIQUIZ_SERVER_TOKEN"


def register(subparsers: Any) -> None:
    from maliquiz.commands.serve import add_db_option

    parser = subparsers.add_parser(
        "server",
        help=_("add a class to the class server, publish a deck to it"),
        description=_("A teacher's actions on the class server."),
    )
    actions = add_actions(
        parser,
        {
            "add-class": (
                _("create a class; prints its join code and the teacher's token"),
                _(
                    "Create a class in the server's database (run it on the server "
                    "machine). Prints the join code to give to learners and the token the "
                    "teacher uses for reports and publishing; keep the token secret."
                ),
            ),
            "publish": (
                _("publish a deck to your class"),
                _(
                    "Send a deck to your class on the server: learners receive it in their "
                    "decks folder at their next sync. Publishing a changed deck again sends "
                    "the new version."
                ),
            ),
        },
    )
    add = actions["add-class"]
    add.add_argument("name", metavar=_("NAME"), help=_("the class's name"))
    add_db_option(add)
    add.add_argument("--json", action="store_true", help=_("print JSON for tools"))
    publish = actions["publish"]
    publish.add_argument("deck", type=Path, metavar="DECK", help=_("the deck file"))
    add_server_options(publish)
    publish.add_argument("--json", action="store_true", help=_("print JSON for tools"))


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """--server URL --token T, shared with ``maliquiz report``."""
    parser.add_argument("--server", metavar="URL", help=_("the class server's address"))
    parser.add_argument(
        "--token",
        metavar="T",
        help=_("the teacher's token (or set {env})").format(env=TOKEN_ENV),
    )


def teacher_class(ctx: Any, args: argparse.Namespace) -> tuple[str, str, dict[str, Any]] | str:
    """The server, token and ``/me`` of a teacher's token, or why not (a message)."""
    from maliquiz.commands._client import call, check_url

    token = args.token or os.environ.get(TOKEN_ENV, "")
    if not args.server or not token:
        return _("give the server's address and your token: --server URL --token T")
    if problem := check_url(args.server):
        return problem
    me = call(args.server, "GET", "/api/v1/me", token=token)
    if me.get("role") != "teacher":
        return _("this is a learner's token: a teacher's token is needed")
    return args.server, token, me


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._client import ServerError
    from maliquiz.commands._common import fail

    try:
        return _add_class(args, ctx) if args.action == "add-class" else _publish(args, ctx)
    except ServerError as error:
        return fail(ctx, error.words(teacher=True))


def _add_class(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail
    from maliquiz.commands.serve import database_url
    from maliquiz.server.classes import Conflict, add_class
    from maliquiz.server.db import DatabaseError, open_database

    name = args.name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        return fail(ctx, _("a class name is printable text of 1 to 100 characters"))
    try:
        db = open_database(database_url(args, ctx))
        try:
            db.migrate()
            class_id, code, token = add_class(db, name)
        finally:
            db.close()
    except DatabaseError as error:
        return fail(ctx, str(error))
    except Conflict:
        return fail(ctx, _("a class named {name} already exists").format(name=name))
    if args.json:
        found = {"class": name, "class_id": class_id, "join_code": code, "teacher_token": token}
        print(json.dumps(found, ensure_ascii=False, indent=2), file=ctx.stdout)
        return 0
    print(_("Class: {name}").format(name=name), file=ctx.stdout)
    print(_("Join code for learners: {code}").format(code=code), file=ctx.stdout)
    print(_("Teacher's token (keep it secret): {token}").format(token=token), file=ctx.stdout)
    return 0


def _publish(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._client import call
    from maliquiz.commands._common import fail
    from maliquiz.core.deck.files import DeckLoadError
    from maliquiz.core.deck.loader import parse_deck, read_deck_text

    try:
        text = read_deck_text(args.deck)
    except DeckLoadError as error:
        return fail(ctx, error.findings[0].format() if error.findings else str(error))
    result = parse_deck(text, str(args.deck))
    if result.deck is None:
        first = result.errors[0]
        return fail(
            ctx,
            _("{path}:{line}:{col}: {message} (see `maliquiz check {path}`)").format(
                path=args.deck, line=first.line, col=first.col, message=first.message
            ),
        )
    found = teacher_class(ctx, args)
    if isinstance(found, str):
        return fail(ctx, found)
    server, token, me = found
    answer = call(
        server,
        "POST",
        f"/api/v1/classes/{me['class_id']}/decks",
        token=token,
        body={"content": text},
    )
    if args.json:
        print(json.dumps({"class": me["class"], **answer}, indent=2), file=ctx.stdout)
        return 0
    said = (
        _(
            "Published {deck} (version {sha}) to the class {klass}: learners receive it "
            "at their next sync."
        )
        if answer.get("changed", True)
        else _(
            "{deck} is already published to the class {klass} in this version ({sha}): "
            "nothing changed."
        )
    )
    print(
        said.format(deck=answer["deck_id"], sha=answer["sha256"][:12], klass=me["class"]),
        file=ctx.stdout,
    )
    return 0
