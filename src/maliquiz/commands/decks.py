"""``maliquiz decks``: list the decks found, with their id, title, card count and
today's counts for the learner (new, learning, due: the same as the home screen's)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from maliquiz.commands._args import add_json_flag, add_paths_argument
from maliquiz.i18n import _, count


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "decks",
        help=_("list the decks (bundled, your own, and paths given)"),
        description=_("List the decks found: bundled, in your decks folder, and PATHs."),
    )
    add_paths_argument(parser, _("more deck files or folders"))
    add_json_flag(parser)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import with_store
    from maliquiz.core.deck.outline import scan_decks

    # Outlines (id, title, card ids) come from the cache for decks that did not change:
    # listing decks parses none of them then.
    scan = scan_decks(ctx.data_dir, args.paths)
    for problem in sorted([*scan.problems, *scan.replaced], key=lambda p: (p.path, p.line)):
        print(problem.format(), file=ctx.stderr)
    outlines = sorted(scan.outlines, key=lambda outline: outline.id)
    has_errors = any(p.severity == "error" for p in scan.problems)

    def listing(store: Any) -> int:
        from maliquiz.core.progress.stats import deck_overview

        overview = deck_overview(store, ctx.user, outlines)
        today = {row.deck_id: row for row in overview.decks}
        rows: list[dict[str, Any]] = [
            {
                "id": outline.id,
                "title": outline.title,
                "cards": len(outline.cards),
                "new_today": today[outline.id].new_today,
                "learn_today": today[outline.id].learn_today,
                "due_today": today[outline.id].due_today,
                "origin": outline.origin,
                "path": str(outline.path),
            }
            for outline in outlines
        ]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2), file=ctx.stdout)
        elif not rows:
            print(_("No decks found."), file=ctx.stdout)
        else:
            from rich.cells import cell_len  # terminal columns, not characters

            # Today's counts, as on the home screen and in a study session, grouped as
            # everywhere in the app (1,654; 1 654 in French); --json keeps plain numbers.
            headers = [_("ID"), _("CARDS"), _("NEW"), _("LEARN"), _("DUE")]
            table = [
                [r["id"]]
                + [count(r[key]) for key in ("cards", "new_today", "learn_today", "due_today")]
                for r in rows
            ]
            # Each column as wide as its widest cell (a count at least 5 wide): the ids
            # read left to right, the counts line up on their last digit.
            widths = [max(cell_len(cells[0]) for cells in [headers, *table])] + [
                max(5, *(cell_len(cells[i]) for cells in [headers, *table]))
                for i in range(1, len(headers))
            ]

            def line(cells: list[str], title: str) -> str:
                first = cells[0] + " " * (widths[0] - cell_len(cells[0]))
                rest = (
                    " " * (width - cell_len(cell)) + cell
                    for cell, width in zip(cells[1:], widths[1:], strict=True)
                )
                return "  ".join([first, *rest, title])

            print(line(headers, _("TITLE")), file=ctx.stdout)
            for r, cells in zip(rows, table, strict=True):
                print(line(cells, r["title"]), file=ctx.stdout)
        return 1 if has_errors else 0

    return with_store(ctx, listing, for_user=True)
