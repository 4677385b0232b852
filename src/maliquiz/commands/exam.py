"""``maliquiz exam``: a self-assessment exam, in the app or line by line."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from maliquiz.commands.study import (
    _positive,
    add_selection_arguments,
    check_tags,
    wants_plain,
)
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
        type=_positive,
        default=20,
        metavar="N",
        help=_("number of questions (default 20)"),
    )
    parser.add_argument(
        "--time", type=_positive, metavar="MINUTES", help=_("time limit in minutes")
    )
    parser.add_argument(
        "--apply", action="store_true", help=_("count the answers as reviews in your schedule")
    )
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--plain",
        action="store_true",
        help=_("line-by-line mode for scripts, ssh and screen readers"),
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import open_store_for_user, resolve_decks

    decks = resolve_decks(ctx, args.decks)
    if decks is None:
        return 1
    if not check_tags(ctx, decks, args.tag):
        return 1
    time_limit = timedelta(minutes=args.time) if args.time else None
    if not wants_plain(args, ctx):
        from maliquiz.ui.app import run_app

        return run_app(
            ctx,
            start="exam",
            decks=decks,
            tags=args.tag,
            questions=args.questions,
            time_limit=time_limit,
            apply=args.apply,
        )

    import random

    from maliquiz.core.learning.exam import ExamSession
    from maliquiz.plain.exam import PlainExam

    store = open_store_for_user(ctx)
    if store is None:
        return 1
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
            return 1
        PlainExam(exam, store, ctx.user, ctx.stdin, ctx.stdout, apply=args.apply).run()
    except KeyboardInterrupt:
        print(_("Interrupted: the exam was not handed in."), file=ctx.stderr)
        return 130
    finally:
        store.close()
    return 0
