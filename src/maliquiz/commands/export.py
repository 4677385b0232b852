"""``maliquiz export``: a deck for Anki (apkg, tsv), Moodle (gift) or as JSON."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from maliquiz.commands._args import add_output_argument
from maliquiz.i18n import _, count, ngettext

FORMATS = ("apkg", "tsv", "gift", "json")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help=_("export a deck for Anki (apkg, tsv), Moodle (gift) or as JSON"),
        description=_(
            "Write a deck in another tool's format. Anything the format cannot hold is "
            "reported as a warning naming the card."
        ),
    )
    parser.add_argument("deck", metavar=_("DECK"), help=_("a deck id or a deck file"))
    parser.add_argument("--format", choices=FORMATS, required=True, help=_("output format"))
    add_output_argument(parser, _("file to write"), required=True)


def _timestamp(path: Path | None) -> float:
    """The notes' modification time: ``SOURCE_DATE_EPOCH`` if set, else the deck file's
    (so that Anki sees a fixed deck as newer and updates its notes)."""
    from maliquiz.core.interchange.anki import DEFAULT_TIMESTAMP

    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return float(env)
    try:
        return float(int(path.stat().st_mtime)) if path else DEFAULT_TIMESTAMP
    except OSError:
        return DEFAULT_TIMESTAMP


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail, resolve_decks

    decks = resolve_decks(ctx, [args.deck])
    if decks is None:
        return 1
    if len(decks) != 1:
        return fail(
            ctx,
            _("`{name}` holds {n} decks; export one at a time").format(
                name=args.deck, n=len(decks)
            ),
        )
    deck = decks[0]
    from maliquiz.core.deck.catalog import load_catalog

    given = Path(args.deck).expanduser()
    path = given if given.is_file() else None
    if path is None:
        entry = load_catalog(ctx.data_dir).get(deck.id)
        path = entry.path if entry else None

    from maliquiz.core.interchange import CardWarning

    warnings: list[CardWarning] = []
    try:
        if args.format == "apkg":
            from maliquiz.core.interchange.anki import export_apkg

            export_apkg(deck, args.output, timestamp=_timestamp(path))
        else:
            if args.format == "tsv":
                from maliquiz.core.interchange.anki import export_tsv

                text = export_tsv(deck)
            elif args.format == "gift":
                from maliquiz.core.interchange.gift_export import export_gift

                text, warnings = export_gift(deck)
            else:
                from maliquiz.core.interchange.json_out import export_json

                text = export_json(deck)
            args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        return fail(
            ctx,
            _("cannot write {path}: {reason}").format(
                path=args.output, reason=error.strerror or error
            ),
        )
    for warning in warnings:
        print(_("maliquiz: warning: {message}").format(message=warning.format()), file=ctx.stderr)
    print(
        ngettext(
            "Wrote {path} ({n} card, {format}).",
            "Wrote {path} ({n} cards, {format}).",
            len(deck.cards),
        ).format(path=args.output, n=count(len(deck.cards)), format=args.format),
        file=ctx.stderr,
    )
    return 0
