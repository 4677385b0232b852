"""``maliquiz settings``: show or change the current learner's scheduling settings."""

from __future__ import annotations

import argparse
from typing import Any

from maliquiz.commands._args import add_new_per_deck_option
from maliquiz.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "settings",
        help=_("show or change your scheduling settings"),
        description=_(
            "Show the current learner's settings (--user), or change some: the desired "
            "retention (the chance of still knowing a card when it comes back; higher "
            "means more reviews), new cards per deck and day, and the stability in days "
            "from which names, numbers and dates are typed instead of chosen."
        ),
    )
    parser.add_argument(
        "--retention",
        type=float,
        metavar="R",
        help=_("desired retention, 0.70 to 0.97 (default 0.90)"),
    )
    add_new_per_deck_option(parser, "--new-per-deck", int)
    parser.add_argument(
        "--typed-after",
        type=float,
        metavar="DAYS",
        help=_("stability in days from which answers are typed (default 7)"),
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
            _("  desired retention   {value:.2f}").format(value=settings.desired_retention),
            file=ctx.stdout,
        )
        print(
            _("  new cards per deck  {value}").format(value=settings.new_per_deck), file=ctx.stdout
        )
        print(
            _("  typed after         {value:g} days").format(value=settings.typed_recall_days),
            file=ctx.stdout,
        )
        return 0

    return with_store(ctx, change_and_show, for_user=True)
