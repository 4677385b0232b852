"""``maliquiz optimize``: fit the scheduler's FSRS-6 weights to the learner's own answers.

The fit and its scores are :mod:`maliquiz.core.learning.optimizer`'s; this reads the
learner's answers from the store, stores a kept fit in their settings, and prints.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING, Any

from maliquiz.commands._args import add_json_flag
from maliquiz.i18n import _, count, decimal, ngettext

if TYPE_CHECKING:
    from maliquiz.core.learning.optimizer import FitReport
    from maliquiz.core.progress.store import Store


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "optimize",
        help=_("fit the scheduler to your own answers"),
        description=_(
            "Fit the scheduler's FSRS-6 weights to the current learner's answers "
            "(--user): trained on the first 80 % of the answers, tested on the last "
            "20 %. The fitted weights are kept, and schedule every answer from then on, "
            "only when they predict the tested answers better (a lower log loss) than "
            "the weights in use. Needs at least 1,000 answers over 2 weeks."
        ),
    )
    add_json_flag(parser)
    # Also after the command (`maliquiz optimize --user awa`); SUPPRESS keeps the value
    # given before it when this one is absent.
    parser.add_argument(
        "--user",
        default=argparse.SUPPRESS,
        help=_("whose answers to fit (as maliquiz --user)"),
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help=_("go back to the default weights"),
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import with_store

    started = time.perf_counter()
    return with_store(ctx, lambda store: _optimize(store, args, ctx, started), for_user=True)


def _optimize(store: Store, args: argparse.Namespace, ctx: Any, started: float) -> int:
    if args.reset:
        store.update_settings(ctx.user, fit=None)
        if args.json:
            _print_json(ctx, {"user": ctx.user, "reset": True, "kept": False})
        else:
            print(
                _("`{user}` is scheduled with FSRS-6's default weights again.").format(
                    user=ctx.user
                ),
                file=ctx.stdout,
            )
        return 0

    from maliquiz.core.learning.optimizer import optimize

    current = store.settings(ctx.user).parameters
    report = optimize(store.reviews(ctx.user), current)
    if report.kept:
        store.update_settings(ctx.user, fit=report.fit_record(store.clock.now()))
    seconds = time.perf_counter() - started
    if args.json:
        _print_json(ctx, _as_json(report, ctx.user, seconds))
    else:
        _print_text(report, ctx, seconds)
    return 0


def _print_json(ctx: Any, document: dict[str, Any]) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2), file=ctx.stdout)


def _as_json(report: FitReport, user: str, seconds: float) -> dict[str, Any]:
    return {
        "user": user,
        "reviews": report.answers,
        "days": round(report.days, 1),
        "train_items": report.train_items,
        "test_answers": report.test_answers,
        "log_loss_before": None if report.before is None else report.before.log_loss,
        "log_loss_after": None if report.after is None else report.after.log_loss,
        "rmse_bins_before": None if report.before is None else report.before.rmse_bins,
        "rmse_bins_after": None if report.after is None else report.after.rmse_bins,
        "kept": report.kept,
        "outcome": str(report.outcome),
        "reason": _reason(report),
        "parameters_before": list(report.current),
        "parameters_fitted": None if report.fitted is None else list(report.fitted),
        "seconds": round(seconds, 3),
    }


def _reason(report: FitReport) -> str:
    """Why the weights were or were not changed, in the interface language."""
    from maliquiz.core.learning.optimizer import MIN_ANSWERS, MIN_DAYS, FitOutcome

    outcome = report.outcome
    if outcome is FitOutcome.TOO_FEW_ANSWERS:
        return _("Not fitted yet: {n} scheduled answers, and a fit needs at least {least}.").format(
            n=count(report.answers), least=count(MIN_ANSWERS)
        )
    if outcome is FitOutcome.TOO_SHORT:
        return _(
            "Not fitted yet: your answers span {days:.0f} days, and a fit needs at least {least}."
        ).format(days=report.days, least=MIN_DAYS)
    if outcome is FitOutcome.NOTHING_TO_TEST:
        return _(
            "Not fitted: none of your latest answers came a day or more after the card's "
            "previous one, so a fit could not be tested."
        )
    if outcome is FitOutcome.FIT_FAILED:
        return _("The fit failed ({detail}); the weights in use stay.").format(detail=report.detail)
    if outcome is FitOutcome.NOT_BETTER:
        return _(
            "The fitted weights do not predict your latest answers better (log loss "
            "not lower): the weights in use stay."
        )
    return _(
        "The fitted weights predict your latest answers better (lower log loss): they "
        "schedule your answers from now on."
    )


def _print_text(report: FitReport, ctx: Any, seconds: float) -> None:
    from rich.cells import cell_len

    out = ctx.stdout
    print(
        ngettext(
            "{user}: {n} scheduled answer over {days:.0f} days (practice answers left out).",
            "{user}: {n} scheduled answers over {days:.0f} days (practice answers left out).",
            report.answers,
        ).format(user=ctx.user, n=count(report.answers), days=report.days),
        file=out,
    )
    if report.before is not None:
        print(
            _(
                "Trained on the first 80 % ({items} answers to predict), tested on the "
                "last 20 % ({tested} answers)."
            ).format(items=count(report.train_items), tested=count(report.test_answers)),
            file=out,
        )
        rows = [[_("weights in use"), *_figures(report.before)]]
        if report.after is not None:
            rows.append([_("fitted weights"), *_figures(report.after)])
        header = ["", _("LOG LOSS"), _("RMSE(BINS)")]
        widths = [max(cell_len(row[i]) for row in [header, *rows]) for i in range(3)]

        def line(cells: list[str]) -> str:
            first = cells[0] + " " * (widths[0] - cell_len(cells[0]))
            rest = [" " * (w - cell_len(c)) + c for c, w in zip(cells[1:], widths[1:], strict=True)]
            return "  ".join([first, *rest]).rstrip()

        print(file=out)
        for cells in (header, *rows):
            print(line(cells), file=out)
        print(file=out)
    print(_reason(report), file=out)
    print(_("Took {seconds} s.").format(seconds=decimal(seconds, 1)), file=out)


def _figures(scores: Any) -> list[str]:
    return [decimal(scores.log_loss, 4), decimal(scores.rmse_bins, 4)]
