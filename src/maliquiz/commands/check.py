"""``maliquiz check``: validate deck files and report every problem with its place."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path
from typing import Any

from maliquiz.commands._args import add_paths_argument
from maliquiz.i18n import _, ngettext

DEFAULT_CLAIMS = Path("\0default")
"""What ``--coverage`` given alone stands for: decks/sources/claims.yaml of the bundled
decks, resolved when the command runs."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help=_("validate deck files (file:line:col messages)"),
        description=_(
            "Validate deck files or folders and report every problem as "
            "path:line:col: error|warning: message. Without PATH, checks the bundled "
            "decks and your decks folder. Exit 0 when clean or with warnings only, "
            "1 when there are errors, 2 on bad usage."
        ),
    )
    add_paths_argument(parser, _("deck files or folders"))
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=_("output format (default: text)"),
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=_("check every file again, ignoring the results kept from earlier runs"),
    )
    parser.add_argument(
        "--sources",
        type=Path,
        metavar=_("DIR"),
        help=_(
            "also warn when a number, date or name of an answer is not in the paragraph "
            "it cites, reading the articles named by each source's `file` in DIR"
        ),
    )
    parser.add_argument(
        "--coverage",
        nargs="?",
        const=DEFAULT_CLAIMS,
        type=Path,
        metavar="CLAIMS",
        help=_(
            "instead of checking, report how much of a claims inventory the decks teach: "
            "claims no card covers, card ids that do not exist, paragraphs no card cites "
            "(default CLAIMS: decks/sources/claims.yaml)"
        ),
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    # Python's cycle collector runs over and over while pydantic builds its classes and
    # validators (a dozen passes over tens of thousands of young objects, 10 ms of
    # `check --no-cache`), to find almost no garbage: what a check makes lives until it
    # ends, and the decks it reads hold no cycle. It is held for the command; what was
    # made then is handed to the oldest generation at once (freeze, then unfreeze), as
    # the deck loader does, rather than looked at by the next young collection.
    if not gc.isenabled():
        return _run(args, ctx)
    gc.disable()
    try:
        return _run(args, ctx)
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def _run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.core.deck.files import default_paths, expand_paths

    if args.sources is not None and not args.sources.is_dir():
        print(
            _("maliquiz: {path} is not a folder of articles").format(path=args.sources),
            file=ctx.stderr,
        )
        return 2
    if args.coverage is not None:
        from maliquiz.commands._coverage import run_coverage

        return run_coverage(args, ctx, None if args.coverage is DEFAULT_CLAIMS else args.coverage)
    paths = args.paths or default_paths(ctx.data_dir)
    files, findings = expand_paths(paths)
    # The source check reads other files: its results are never cached.
    cache = None
    if not (args.no_cache or args.sources):
        # Imported only here: hashing is of no use to `check --no-cache`.
        from maliquiz.core.deck.checkcache import CheckCache, cache_path, file_digest

        cache = CheckCache(cache_path(ctx.data_dir), ctx.lang)
    for file in files:
        digest = file_digest(file) if cache else None
        cached = cache.get(file, digest) if cache and digest else None
        if cached is not None:
            findings.extend(cached)
            continue
        from maliquiz.core.deck.loader import check_deck_file

        result = check_deck_file(file)
        findings.extend(result.findings)
        if cache and digest:
            cache.put(file, digest, result.findings)
        if args.sources is not None:
            from maliquiz.core.deck.sources import check_sources

            findings.extend(check_sources(result, args.sources))
    if cache:
        cache.save()

    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if args.format == "json":
        import json

        report = {
            "files": [str(f) for f in files],
            "errors": errors,
            "warnings": warnings,
            "findings": [f.to_dict() for f in findings],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2), file=ctx.stdout)
    else:
        for finding in findings:
            print(finding.format(), file=ctx.stdout)
        summary = _("{files}: {errors}, {warnings}.").format(
            files=ngettext("{n} file checked", "{n} files checked", len(files)).format(
                n=len(files)
            ),
            errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
            warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        )
        print(summary, file=ctx.stderr)
    return 1 if errors else 0
