"""``maliquiz settings``: show or change the current learner's scheduling settings."""

from __future__ import annotations

import argparse
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from maliquiz.commands._args import add_new_per_deck_option, decimal_number, non_negative
from maliquiz.i18n import _, count, decimal

if TYPE_CHECKING:
    from maliquiz.core.learning.records import SchedulerFit


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "settings",
        help=_("show or change your scheduling settings"),
        description=_(
            "Show the current learner's settings (--user), or change some: the desired "
            "retention (the chance of still knowing a card when it comes back; higher "
            "means more reviews), new cards per deck and day, and how many days after a "
            "card is first recognised among choices it is always typed (0: typed from "
            "the start)."
        ),
    )
    # The bounds LearnerSettings checks, said here in the learner's language and numbers.
    parser.add_argument(
        "--retention",
        type=decimal_number(0.85, 0.70, 0.97, places=2),
        metavar="R",
        help=_("desired retention, {low} to {high} (default {default})").format(
            low=decimal(0.70, 2), high=decimal(0.97, 2), default=decimal(0.90, 2)
        ),
    )
    add_new_per_deck_option(parser, "--new-per-deck", non_negative)
    parser.add_argument(
        "--typed-after",
        type=decimal_number(1.5, 0, 3650),
        metavar=_("DAYS"),
        help=_(
            "days after a card is first recognised from which it is always typed "
            "(default 7; 0 types every card from the start)"
        ),
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail, with_store
    from maliquiz.core.learning.records import SettingsError
    from maliquiz.core.progress.store import Store

    def change_and_show(store: Store) -> int:
        changes = {
            key: value
            for key, value in (
                ("desired_retention", args.retention),
                ("new_per_deck", args.new_per_deck),
                ("typed_recall_days", args.typed_after),
            )
            if value is not None
        }
        try:
            settings = (
                store.update_settings(ctx.user, **changes) if changes else store.settings(ctx.user)
            )
        except SettingsError as error:
            return fail(ctx, str(error))
        print(_("Settings of `{user}`:").format(user=ctx.user), file=ctx.stdout)
        print(
            _("  desired retention   {value}").format(value=decimal(settings.desired_retention, 2)),
            file=ctx.stdout,
        )
        print(
            _("  new cards per deck  {value}").format(value=settings.new_per_deck), file=ctx.stdout
        )
        print(
            _("  typed after         {value} days").format(
                value=decimal(settings.typed_recall_days, None)
            ),
            file=ctx.stdout,
        )
        for text in scheduler_lines(settings.fit, store.calendar.tz):
            print(text, file=ctx.stdout)
        return 0

    return with_store(ctx, change_and_show, for_user=True)


def scheduler_lines(fit: SchedulerFit | None, tz: tzinfo) -> list[str]:
    """The weights the learner is scheduled with: the defaults, or their fit with its
    date, answers and scores, then the 21 weights."""
    from maliquiz.core.learning.scheduling import DEFAULT_PARAMETERS

    if fit is None:
        lines = [_("  scheduler           FSRS-6, default weights (`maliquiz optimize` fits them)")]
        weights = DEFAULT_PARAMETERS
    else:
        lines = [
            _("  scheduler           FSRS-6, fitted on {date} to {n} answers").format(
                date=fit.fitted_at.astimezone(tz).strftime(_("%Y-%m-%d")), n=count(fit.answers)
            ),
            _("  log loss            {before} before, {after} fitted").format(
                before=decimal(fit.log_loss_before, 4), after=decimal(fit.log_loss_after, 4)
            ),
            _("  RMSE(bins)          {before} before, {after} fitted").format(
                before=decimal(fit.rmse_bins_before, 4), after=decimal(fit.rmse_bins_after, 4)
            ),
        ]
        weights = fit.parameters
    lines.append(
        _("  weights             {weights}").format(
            weights=" ".join(decimal(w, None) for w in weights)
        )
    )
    return lines
