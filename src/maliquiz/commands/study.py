"""``maliquiz study``: a study session, in the app or in the plain line mode."""

from __future__ import annotations

import argparse
import difflib
from typing import Any

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
    parser.add_argument("--limit", type=_positive, metavar="N", help=_("ask at most N cards"))
    parser.add_argument(
        "--cram",
        action="store_true",
        help=_("practise ahead of schedule; the schedule is left unchanged"),
    )
    parser.add_argument(
        "--new",
        type=_non_negative,
        metavar="N",
        dest="new_per_deck",
        help=_("new cards per deck and day (default 20)"),
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help=_("line-by-line mode for scripts, ssh and screen readers"),
    )


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """DECK ... and --tag, shared by study and exam."""
    parser.add_argument(
        "decks", nargs="*", metavar="DECK", help=_("deck ids or deck files (default: every deck)")
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help=_("only cards with this tag (repeatable)"),
    )


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a whole number").format(text=text)
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("cannot be negative"))
    return value


def check_tags(ctx: Any, decks: list[Any], tags: list[str]) -> bool:
    """False (after saying why) when a tag asked for is on no card of ``decks``."""
    known = {t.casefold(): t for deck in decks for card in deck.cards for t in deck.card_tags(card)}
    for tag in tags:
        if tag.casefold() not in known:
            close = difflib.get_close_matches(tag.casefold(), list(known), n=1)
            hint = (
                _("did you mean `{tag}`?").format(tag=known[close[0]])
                if close
                else _("known tags: {tags}").format(tags=", ".join(sorted(known.values())))
            )
            print(
                _("maliquiz: no card has the tag `{tag}` ({hint})").format(tag=tag, hint=hint),
                file=ctx.stderr,
            )
            return False
    return True


def wants_plain(args: argparse.Namespace, ctx: Any) -> bool:
    """Plain mode when asked, or when there is no terminal to draw the app in."""
    if getattr(args, "plain", False):
        return True
    streams = (ctx.stdin, ctx.stdout)
    return not all(getattr(s, "isatty", lambda: False)() for s in streams)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import open_store_for_user, resolve_decks

    decks = resolve_decks(ctx, args.decks)
    if decks is None:
        return 1
    if not check_tags(ctx, decks, args.tag):
        return 1
    if not wants_plain(args, ctx):
        from maliquiz.ui.app import run_app

        return run_app(
            ctx,
            start="study",
            decks=decks,
            tags=args.tag,
            cram=args.cram,
            limit=args.limit,
            new_per_deck=args.new_per_deck,
        )

    from maliquiz.core.learning.session import StudySession
    from maliquiz.core.progress.connection import StoreError
    from maliquiz.plain.study import PlainStudy

    store = open_store_for_user(ctx)
    if store is None:
        return 1
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
    except StoreError as exc:
        print(_("maliquiz: {error}").format(error=exc), file=ctx.stderr)
        return 1
    except KeyboardInterrupt:
        print(file=ctx.stdout)
        print(_("Interrupted: every answer given is saved."), file=ctx.stderr)
        return 130
    finally:
        store.close()
    return 0
