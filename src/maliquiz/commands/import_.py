"""``maliquiz import``: a GIFT or Anki-style TSV/CSV file turned into a YAML deck."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from maliquiz.commands._args import add_output_argument
from maliquiz.i18n import _, count, ngettext


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help=_("turn a GIFT or Anki TSV/CSV file into a deck"),
        description=_(
            "Read a Moodle GIFT file or an Anki-style TSV/CSV file and write a YAML deck "
            "that passes `maliquiz check`. Questions that cannot become cards are left "
            "out with a warning naming them."
        ),
    )
    parser.add_argument("file", type=Path, metavar=_("FILE"), help=_("the file to read"))
    add_output_argument(parser, _("deck to write"), required=True, metavar=_("DECK.yaml"))
    parser.add_argument("--id", dest="deck_id", help=_("deck id (default: from the output name)"))
    parser.add_argument("--title", help=_("deck title (default: from the file)"))
    parser.add_argument(
        "--format",
        choices=("auto", "gift", "tsv"),
        default="auto",
        help=_("input format (default: from the extension, else from the content)"),
    )
    parser.add_argument("--force", action="store_true", help=_("overwrite the output file"))


def _format(path: Path, text: str, wanted: str) -> str:
    if wanted != "auto":
        return wanted
    suffix = path.suffix.lower()
    if suffix == ".gift":
        return "gift"
    if suffix in (".tsv", ".csv"):
        return "tsv"
    gift_like = re.search(r"^\s*::|\{[^}]*[=~#][^}]*\}|\{\s*(T|F|TRUE|FALSE)\s*\}", text, re.M)
    return "gift" if gift_like else "tsv"


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail, write_checked_deck
    from maliquiz.core.deck.models import SLUG_PATTERN

    deck_id = args.deck_id or re.sub(r"[^a-z0-9]+", "-", args.output.stem.lower()).strip("-")
    if not re.match(SLUG_PATTERN, deck_id):
        return fail(
            ctx,
            _("`{id}` cannot be a deck id: use lowercase letters, digits and hyphens").format(
                id=deck_id
            ),
        )
    if args.output.exists() and not args.force:
        return fail(ctx, _("{path} exists; add --force to overwrite it").format(path=args.output))
    from maliquiz.core.text.untrusted import UntrustedFileError, read_text

    try:
        text = read_text(args.file)  # at most 16 MiB, as a deck
    except OSError as error:
        return fail(
            ctx,
            _("cannot read {path}: {reason}").format(path=args.file, reason=error.strerror),
        )
    except UntrustedFileError as error:  # too large, binary, not UTF-8
        return fail(ctx, _("cannot read {path}: {reason}").format(path=args.file, reason=error))

    from maliquiz.core.interchange import InterchangeError, keep_valid_cards

    kind = _format(args.file, text, args.format)
    try:
        if kind == "gift":
            from maliquiz.core.interchange.gift_import import import_gift

            result = import_gift(text, deck_id, args.title)
        else:
            from maliquiz.core.interchange.tsv import import_tsv

            result = import_tsv(text, deck_id, args.title)
    except InterchangeError as error:
        print(
            _("{path}:{line}:{col}: error: {message}").format(
                path=args.file, line=error.line, col=error.col, message=error.message
            ),
            file=ctx.stderr,
        )
        return 1
    deck, dropped = keep_valid_cards(result.deck)
    for warning in [*result.warnings, *dropped]:
        print(_("maliquiz: warning: {message}").format(message=warning.format()), file=ctx.stderr)
    if not deck["cards"]:
        return fail(ctx, _("no card could be read from {path}").format(path=args.file))

    from maliquiz.core.interchange.yaml_out import dump_deck
    from maliquiz.core.paths import SCHEMA_FILE

    yaml_text = dump_deck(
        deck,
        [
            f"yaml-language-server: $schema={SCHEMA_FILE}",
            _("Imported from {name} by `maliquiz import`.").format(name=args.file.name),
        ],
    )
    failed = write_checked_deck(
        ctx, yaml_text, args.output, _("the imported deck does not validate; nothing was written")
    )
    if failed is not None:
        return failed
    print(
        ngettext(
            "Wrote {path}: deck `{id}`, {n} card.",
            "Wrote {path}: deck `{id}`, {n} cards.",
            len(deck["cards"]),
        ).format(path=args.output, id=deck_id, n=count(len(deck["cards"]))),
        file=ctx.stderr,
    )
    return 0
