"""What ``study`` and ``exam`` share: the decks and tags asked for, then the app, or the
plain line mode on the current learner's progress.

Kept apart from ``_common`` because it opens the app, and the app imports ``_common``.
"""

from __future__ import annotations

import argparse
import difflib
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from maliquiz.i18n import _

if TYPE_CHECKING:
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.progress.store import Store

EXIT_INTERRUPTED = 130


def run_session(
    args: argparse.Namespace,
    ctx: Any,
    start: Literal["study", "exam"],
    plain: Callable[[Store, list[Deck]], int],
    **options: Any,
) -> int:
    """Find the decks and check the tags of ``add_selection_arguments``, then open the
    app at ``start`` with ``options``; or, in plain mode, run ``plain`` on the current
    learner's store with those decks."""
    from maliquiz.commands._common import EXIT_FAILURE, resolve_decks, with_store

    decks = resolve_decks(ctx, args.decks)
    if decks is None or not check_tags(ctx, decks, args.tag):
        return EXIT_FAILURE
    with decks_set_aside():
        if not wants_plain(args, ctx):
            from maliquiz.ui.app import run_app

            return run_app(ctx, start=start, decks=decks, tags=args.tag, **options)
        return with_store(ctx, lambda store: plain(store, decks), for_user=True)


@contextmanager
def decks_set_aside() -> Iterator[None]:
    """The objects alive now (the decks just loaded, which live as long as the session)
    set aside from the cycle collector's passes until the block ends (:func:`gc.freeze`):
    each full pass walked every object of every card (ten decks of 10,000 cards: a
    quarter of a study start). They are still freed when no longer used; only a cycle
    among them would wait for the end of the block."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def check_tags(ctx: Any, decks: list[Any], tags: list[str]) -> bool:
    """False (after saying why) when a tag asked for is on no card of ``decks``."""
    if not tags:
        return True  # nothing to look for (the tags of 100,000 cards took 40 ms)
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
