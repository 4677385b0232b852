"""``maliquiz check --coverage [CLAIMS]``: how much of a claims inventory the decks teach.

A report, not a check: it exits 0 whatever the coverage, 1 when the claims file itself
has errors, 2 when it cannot be found.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maliquiz.i18n import _, current_language, ngettext

if TYPE_CHECKING:
    from maliquiz.core.deck.claims import Coverage


def default_claims() -> Path:
    """``decks/sources/claims.yaml`` of the bundled decks."""
    from maliquiz.core.deck.files import SOURCES_FOLDER
    from maliquiz.core.paths import BUNDLED_DECKS

    return BUNDLED_DECKS / SOURCES_FOLDER / "claims.yaml"


def _article_lengths(folder: Path, files: list[str]) -> dict[str, int | None]:
    from maliquiz.core.deck.mentions import paragraphs
    from maliquiz.core.text.untrusted import UntrustedFileError, read_text

    lengths: dict[str, int | None] = {}
    for name in files:
        try:
            lengths[name] = len(paragraphs(read_text(folder / name)))
        except (OSError, UntrustedFileError):
            lengths[name] = None
    return lengths


def run_coverage(args: argparse.Namespace, ctx: Any, claims_file: Path | None) -> int:
    """The coverage report of ``claims_file``, or of :func:`default_claims` when None."""
    from maliquiz.core.deck.claims import check_against_articles, coverage, parse_claims
    from maliquiz.core.deck.files import default_paths, expand_paths
    from maliquiz.core.deck.loader import check_deck_file
    from maliquiz.core.text.untrusted import UntrustedFileError, read_text

    paths = list(args.paths)
    claims_path = default_claims() if claims_file is None else claims_file
    if claims_path.is_dir():
        # `check --coverage decks/`: argparse took the folder of decks for CLAIMS.
        paths.insert(0, claims_path)
        claims_path = default_claims()
    if not claims_path.is_file():
        print(_("maliquiz: no claims file at {path}").format(path=claims_path), file=ctx.stderr)
        return 2
    try:
        text = read_text(claims_path)
    except (OSError, UntrustedFileError) as error:
        reason = error if isinstance(error, UntrustedFileError) else error.strerror or error
        print(
            _("maliquiz: cannot read {path}: {reason}").format(path=claims_path, reason=reason),
            file=ctx.stderr,
        )
        return 2
    claims = parse_claims(text, str(claims_path))
    files, findings = expand_paths(paths or default_paths(ctx.data_dir))
    decks = []
    broken = 0
    for file in files:
        result = check_deck_file(file)
        if result.deck is None:
            broken += 1
        else:
            decks.append(result.deck)
    findings = [*claims.findings, *findings]
    lengths = None
    if args.sources is not None and claims.inventory is not None:
        lengths = _article_lengths(args.sources, [a.file for a in claims.inventory.articles])
        findings += check_against_articles(claims, lengths)
    report = coverage(claims, decks, lengths)
    errors = sum(1 for f in claims.findings if f.severity == "error")
    if args.format == "json":
        data = report.to_dict()
        data["decks"] = [str(f) for f in files]
        data["findings"] = [f.to_dict() for f in findings]
        print(json.dumps(data, ensure_ascii=False, indent=2), file=ctx.stdout)
    else:
        for finding in findings:
            print(finding.format(), file=ctx.stdout)
        if claims.inventory is not None:
            _print_report(report, ctx)
    if broken:
        print(
            ngettext(
                "{n} deck file has errors and was left out: run `maliquiz check`",
                "{n} deck files have errors and were left out: run `maliquiz check`",
                broken,
            ).format(n=broken),
            file=ctx.stderr,
        )
    return 1 if errors else 0


def _decimal(value: float) -> str:
    shown = f"{value:.1f}"
    return shown.replace(".", ",") if current_language() == "fr" else shown


def _print_report(report: Coverage, ctx: Any) -> None:
    def say(text: str = "") -> None:
        print(text, file=ctx.stdout)

    if report.uncovered:
        say(_("Claims no card teaches ({n}):").format(n=len(report.uncovered)))
        for claim in report.uncovered:
            say(
                f"  {report.path}:{claim.line}:{claim.col}: "
                f"{claim.file} § {claim.paragraph} [{claim.kind}] {claim.text}"
            )
    if report.unknown_cards:
        say(_("Card ids that do not exist ({n}):").format(n=len(report.unknown_cards)))
        for card in report.unknown_cards:
            say(f"  {report.path}:{card.line}:{card.col}: {card.card}")
    uncited = sum(len(numbers) for numbers in report.uncited_paragraphs.values())
    if uncited:
        say(
            _("Paragraphs no card cites ({n} of {total}):").format(
                n=uncited, total=report.paragraphs
            )
        )
        for file, numbers in report.uncited_paragraphs.items():
            say(f"  {file}: " + ", ".join(map(str, numbers)))
    say(
        _(
            "{path}: {claims}, {covered} taught by a card ({percent} %); "
            "{cited} of {total} paragraphs cited."
        ).format(
            path=report.path,
            claims=ngettext("{n} claim", "{n} claims", report.claims).format(n=report.claims),
            covered=report.covered,
            percent=f"{report.percent:.1f}".replace(
                ".", "," if current_language() == "fr" else "."
            ),
            cited=report.paragraphs - uncited,
            total=report.paragraphs,
        )
    )
