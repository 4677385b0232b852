"""``maliquiz report``: a class report from learners' progress exports."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maliquiz.i18n import _, ngettext


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help=_("class report from learners' progress files"),
        description=_(
            "Read the files learners wrote with `maliquiz progress export` and report, "
            "per learner, the cards seen, the share of right answers, retention, last "
            "activity and exams; per card, how often it was missed and the wrong answers "
            "given most, hardest cards first."
        ),
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar=_("FILE"),
        help=_("progress files written by `maliquiz progress export`"),
    )
    from maliquiz.commands.server import add_server_options

    add_server_options(parser)
    parser.add_argument(
        "--csv",
        type=Path,
        metavar=_("DIR"),
        help=_("also write learners.csv and cards.csv into DIR"),
    )
    parser.add_argument(
        "--html",
        type=Path,
        metavar=_("FILE"),
        help=_("also write a self-contained HTML page with tables and charts"),
    )
    parser.add_argument(
        "--top",
        type=int,
        default=20,
        metavar="N",
        help=_("cards to list in the text output (default 20)"),
    )
    parser.add_argument(
        "--json", action="store_true", help=_("print the whole report as JSON for tools")
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import bad_rows_message, fail
    from maliquiz.core.deck.catalog import load_catalog
    from maliquiz.core.progress.connection import StoreError
    from maliquiz.core.progress.report import build_report, card_cells, learner_cells
    from maliquiz.core.progress.transfer import InvalidRowsError

    if args.files and args.server:
        return fail(
            ctx,
            _("give progress files, or a class server with --server URL --token T (not both)"),
        )
    if not args.files and not args.server:
        return fail(
            ctx,
            _("give the learners' progress files, or the class server with --server URL")
            if args.token
            else _("give progress files, or a class server with --server URL --token T"),
        )
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        return fail(ctx, _("no such file: {path}").format(path=missing[0]))
    catalog = load_catalog(ctx.data_dir)
    prompts = {(deck.id, card.id): card.prompt for deck in catalog.decks() for card in deck.cards}
    try:
        if args.server:
            from maliquiz.commands._client import ServerError

            try:
                found = _from_server(ctx, args, prompts)
            except ServerError as error:
                return fail(ctx, error.words(teacher=True))
            if isinstance(found, str):
                return fail(ctx, found)
            report = found
        else:
            report = build_report(args.files, prompts)
    except InvalidRowsError as error:
        return fail(ctx, bad_rows_message(error, report=True))
    except StoreError as error:
        return fail(ctx, _("cannot read a progress file: {reason}").format(reason=error))

    out = ctx.stdout
    if args.json:
        import json

        from maliquiz.core.progress.report import report_json

        print(json.dumps(report_json(report), ensure_ascii=False, indent=2), file=out)
        return _write_files(ctx, args, report)
    if report.class_name is not None:
        from maliquiz.core.text.visible import visible

        name = visible(report.class_name, keep_newlines=False, tab="\u2409")
        print(_("Class: {name}").format(name=name), file=out)
        print(file=out)
    learner_header, card_header = _headers()
    print(_("Learners ({n})").format(n=len(report.learners)), file=out)
    _table(out, learner_header, [learner_cells(r) for r in report.learners])
    print(file=out)
    print(_("Hardest cards"), file=out)
    _table(
        out,
        [card_header[i] for i in TEXT_CARD_COLUMNS],
        [
            [c[i] for i in TEXT_CARD_COLUMNS]
            for c in (card_cells(r) for r in report.cards[: args.top])
        ],
    )
    return _write_files(ctx, args, report)


TEXT_CARD_COLUMNS = (0, 1, 3, 4, 5, 8)
"""The cards' columns the terminal shows (deck, card, answers, misses, missed, wrong
answers): the prompt and the learners' counts are in the CSV and HTML tables."""


def _headers() -> tuple[list[str], list[str]]:
    """The learners' and the cards' column headings, translated, in the order of
    ``learner_cells`` and ``card_cells``: the text and the HTML page use the same."""
    learners = [
        _("LEARNER"),
        _("SEEN"),
        _("ANSWERS"),
        _("RIGHT"),
        _("RETENTION"),
        _("LAST ACTIVITY"),
        _("EXAMS"),
        _("EXAM MEAN"),
    ]
    cards = [
        _("DECK"),
        _("CARD"),
        _("PROMPT"),
        _("ANSWERS"),
        _("MISSES"),
        _("MISSED"),
        _("LEARNERS"),
        _("MISSED BY"),
        _("WRONG ANSWERS"),
    ]
    return learners, cards


def _from_server(ctx: Any, args: argparse.Namespace, prompts: Any) -> Any:
    """The report of the class of a teacher's token, or why not (a message)."""
    from maliquiz.commands._client import call
    from maliquiz.commands.server import teacher_class
    from maliquiz.core.progress.report import build_report_from_tables

    found = teacher_class(ctx, args)
    if isinstance(found, str):
        return found
    server, token, me = found
    data = call(server, "GET", f"/api/v1/classes/{me['class_id']}/progress", token=token)
    learners = [
        (str(learner["name"]), {t: learner[t]["rows"] for t in ("reviews", "exams")})
        for learner in data["learners"]
    ]
    return build_report_from_tables(
        learners, prompts, source=server, class_name=str(data.get("class") or me["class"])
    )


def _from_words(args: argparse.Namespace, report: Any) -> str:
    """Where the report's answers come from, for the page: a class server or files."""
    if args.server:
        return (
            _("from the class server {url}")
            .format(url=args.server)
            .replace("{", "{{")
            .replace("}", "}}")
        )
    count = len(report.files)
    return ngettext("from {n} progress file", "from {n} progress files", count)


def _write_files(ctx: Any, args: argparse.Namespace, report: Any) -> int:
    from maliquiz.commands._common import fail
    from maliquiz.core.progress.report import render_html, write_csv

    try:
        if args.csv:
            for path in write_csv(report, args.csv):
                print(_("Wrote {path}").format(path=path), file=ctx.stderr)
        if args.html:
            page = render_html(
                report,
                title=_("maliquiz class report"),
                lang=ctx.lang,
                headers=_headers(),
                labels={
                    "class": _("Class: {name}"),
                    "learners": _("Learners"),
                    "cards": _("Cards, hardest first"),
                    "accuracy": _("Share of right answers by learner"),
                    "misses": _("Share of mistakes by card (hardest 15)"),
                    "generated": _("Generated"),
                    # Filled in here (the page only formats {n}): the source said as it is.
                    "files": _from_words(args, report),
                },
            )
            args.html.write_text(page, encoding="utf-8")
            print(_("Wrote {path}").format(path=args.html), file=ctx.stderr)
    except OSError as error:
        return fail(ctx, _("cannot write: {reason}").format(reason=error))
    return 0


def _table(out: Any, header: list[str], rows: list[list[str]]) -> None:
    from rich.cells import cell_len  # terminal columns: a CJK character takes two

    from maliquiz.core.text.visible import visible

    # Control characters a learner may have typed or pasted (a tab, an escape sequence)
    # are shown as their pictures: printed raw they would move the cursor or recolour
    # the terminal. Spreadsheet formulas are harmless here; only CSV cells are defused.
    shown = [
        [visible(c, keep_newlines=False, tab="\u2409") for c in row] for row in [header, *rows]
    ]
    widths = [max(cell_len(row[i]) for row in shown) for i in range(len(header))]
    for row in shown:
        cells = (c + " " * (w - cell_len(c)) for c, w in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip(), file=out)
