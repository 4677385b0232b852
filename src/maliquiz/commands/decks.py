"""``maliquiz decks``: list the decks found, with their id, title and card count."""

from __future__ import annotations

import argparse
import json
from typing import Any

from maliquiz.commands._args import add_json_flag, add_paths_argument
from maliquiz.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "decks",
        help=_("list the decks (bundled, your own, and paths given)"),
        description=_("List the decks found: bundled, in your decks folder, and PATHs."),
    )
    add_paths_argument(parser, _("more deck files or folders"))
    add_json_flag(parser)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.core.deck.catalog import load_catalog

    catalog = load_catalog(ctx.data_dir, args.paths)
    for problem in catalog.problems:
        print(problem.format(), file=ctx.stderr)
    rows: list[dict[str, Any]] = [
        {
            "id": entry.deck.id,
            "title": entry.deck.title,
            "cards": len(entry.deck.cards),
            "origin": entry.origin,
            "path": str(entry.path),
        }
        for entry in (catalog.entries[k] for k in sorted(catalog.entries))
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=ctx.stdout)
    elif not rows:
        print(_("No decks found."), file=ctx.stdout)
    else:
        width = max(len(str(r["id"])) for r in rows)
        header = f"{_('ID'):<{width}}  {_('CARDS'):>5}  {_('TITLE')}"
        print(header, file=ctx.stdout)
        for r in rows:
            print(f"{r['id']:<{width}}  {r['cards']:>5}  {r['title']}", file=ctx.stdout)
    has_errors = any(p.severity == "error" for p in catalog.problems)
    return 1 if has_errors else 0
