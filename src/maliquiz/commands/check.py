"""``maliquiz check``: validate deck files and report every problem with its place."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from maliquiz.i18n import _, ngettext


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
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help=_("deck files or folders")
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=_("output format (default: text)"),
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.core.catalog import default_paths, expand_paths
    from maliquiz.core.loader import check_deck_file

    paths = args.paths or default_paths(ctx.data_dir)
    files, findings = expand_paths(paths)
    for file in files:
        findings.extend(check_deck_file(file).findings)

    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if args.format == "json":
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
