"""``maliquiz preview``: flip through a deck's cards in the app, recording nothing."""

from __future__ import annotations

import argparse
from typing import Any

from maliquiz.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "preview",
        help=_("flip through a deck's cards (question, answer, source)"),
        description=_(
            "Show every card of the decks named, one at a time, as learners will meet "
            "it, with the answer, the variants accepted, the explanation and the source. "
            "Nothing is recorded. Without a terminal, prints the cards instead."
        ),
    )
    parser.add_argument("decks", nargs="+", metavar=_("DECK"), help=_("deck ids or deck files"))


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import resolve_decks

    decks = resolve_decks(ctx, args.decks)
    if decks is None:
        return 1
    if ctx.stdout.isatty() and ctx.stdin.isatty():
        from maliquiz.ui.preview import run_preview

        return run_preview(decks, ctx.lang)
    # No terminal: the same views as text, one after the other.
    from maliquiz.ui.preview import card_view

    cards = [(deck, card) for deck in decks for card in deck.cards]
    for n, (deck, card) in enumerate(cards, start=1):
        print(card_view(deck, card, n, len(cards)).plain, file=ctx.stdout)
        print(file=ctx.stdout)
    return 0
