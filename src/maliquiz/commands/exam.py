"""``maliquiz exam``: a self-assessment exam, in the app or line by line."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from maliquiz.commands._args import add_plain_flag, add_selection_arguments, positive
from maliquiz.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "exam",
        help=_("sit a self-assessment exam (score by topic)"),
        description=_(
            "A self-assessment exam over some decks or tags: no feedback until you hand "
            "in, then a score by tag and by card type and each mistake with its answer. "
            "Results are kept in your exam history; the schedule is not changed unless "
            "you ask (--apply)."
        ),
    )
    add_selection_arguments(parser)
    parser.add_argument(
        "-n",
        "--questions",
        type=positive,
        default=20,
        metavar="N",
        help=_("number of questions (default 20)"),
    )
    parser.add_argument("--time", type=positive, metavar="MINUTES", help=_("time limit in minutes"))
    parser.add_argument(
        "--apply", action="store_true", help=_("count the answers as reviews in your schedule")
    )
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    add_plain_flag(parser)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import EXIT_FAILURE
    from maliquiz.commands._session import EXIT_INTERRUPTED, run_session

    # Named for the types below; the deck search and the store load both anyway.
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.progress.store import Store

    time_limit = timedelta(minutes=args.time) if args.time else None

    def plain(store: Store, decks: list[Deck]) -> int:
        import random

        from maliquiz.core.learning.exam import ExamSession
        from maliquiz.plain.exam import PlainExam

        try:
            exam = ExamSession(
                decks,
                store.clock,
                tags=args.tag,
                count=args.questions,
                time_limit=time_limit,
                rng=random.Random(args.seed),
            )
            if not exam.questions:
                print(_("maliquiz: these decks have no card an exam can grade"), file=ctx.stderr)
                return EXIT_FAILURE
            PlainExam(exam, store, ctx.user, ctx.stdin, ctx.stdout, apply=args.apply).run()
        except KeyboardInterrupt:
            print(_("Interrupted: the exam was not handed in."), file=ctx.stderr)
            return EXIT_INTERRUPTED
        return 0

    return run_session(
        args, ctx, "exam", plain, questions=args.questions, time_limit=time_limit, apply=args.apply
    )
