"""``maliquiz schema``: print the JSON Schema of the deck format."""

from __future__ import annotations

import argparse
from typing import Any

from maliquiz.commands._args import add_output_argument
from maliquiz.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema",
        help=_("print the JSON Schema of decks (for editors)"),
        description=_(
            "Print the JSON Schema of the deck format. Editors with the YAML language "
            "server use it for completion and validation."
        ),
    )
    add_output_argument(parser, _("write to this file"), required=False, metavar=None)
    parser.add_argument(
        "--claims",
        action="store_true",
        help=_("the schema of a claims inventory (for `maliquiz check --coverage`) instead"),
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.core.deck.schema import schema_text

    text = schema_text(claims=args.claims)
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(
                _("maliquiz: cannot write {path}: {reason}").format(
                    path=args.output, reason=exc.strerror
                ),
                file=ctx.stderr,
            )
            return 1
    else:
        ctx.stdout.write(text)
    return 0
