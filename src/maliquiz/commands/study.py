"""``maliquiz study``: a study session, in the app or in the plain line mode."""

from __future__ import annotations

import argparse
from typing import Any

from maliquiz.commands._args import (
    add_new_per_deck_option,
    add_plain_flag,
    add_selection_arguments,
    non_negative,
    positive,
)
from maliquiz.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "study",
        help=_("study today's cards (all decks, or the ones named)"),
        description=_(
            "Study the cards due today and some new ones. Without DECK, every deck. "
            "Opens the app, or with --plain (or when not in a terminal) asks the "
            "questions line by line on standard input and output."
        ),
    )
    add_selection_arguments(parser)
    parser.add_argument("--limit", type=positive, metavar="N", help=_("ask at most N cards"))
    parser.add_argument(
        "--cram",
        action="store_true",
        help=_("practise ahead of schedule; the schedule is left unchanged"),
    )
    add_new_per_deck_option(parser, "--new", non_negative)
    add_plain_flag(parser)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._session import EXIT_INTERRUPTED, run_session

    # Named for the types below; the deck search and the store load both anyway.
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.progress.store import Store

    def plain(store: Store, decks: list[Deck]) -> int:
        from maliquiz.core.learning.session import StudySession
        from maliquiz.plain.study import PlainStudy

        try:
            session = StudySession(
                store,
                ctx.user,
                decks,
                tags=args.tag,
                limit=args.limit,
                cram=args.cram,
                new_per_deck=args.new_per_deck,
            )
            PlainStudy(session, ctx.stdin, ctx.stdout).run()
        except KeyboardInterrupt:
            print(file=ctx.stdout)
            print(_("Interrupted: every answer given is saved."), file=ctx.stderr)
            return EXIT_INTERRUPTED
        return 0

    return run_session(
        args, ctx, "study", plain, cram=args.cram, limit=args.limit, new_per_deck=args.new_per_deck
    )
