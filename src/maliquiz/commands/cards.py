"""``maliquiz cards``: the card browser without the app. Lists the current learner's
cards that a search matches (Anki's syntax, see :mod:`maliquiz.core.progress.search`),
or suspends, buries, forgets or reschedules them; ``undo`` takes back the last of these
actions, here or in the app's browser."""

from __future__ import annotations

import argparse
import json
import shlex
from typing import TYPE_CHECKING, Any

from maliquiz.commands._args import add_json_flag
from maliquiz.core.text.visible import visible
from maliquiz.i18n import N_, _, count, ngettext

if TYPE_CHECKING:
    from maliquiz.core.progress.actions import UndoneAction
    from maliquiz.core.progress.search import CardEntry, Query
    from maliquiz.core.progress.store import Store

ACTIONS = ("list", "suspend", "unsuspend", "bury", "unbury", "forget", "set-due", "undo")

_COLUMNS = (
    N_("DECK"),
    N_("CARD"),
    N_("TYPE"),
    N_("STATE"),
    N_("DUE"),
    N_("IVL"),
    N_("LAPSES"),
    N_("PROMPT"),
)
_PROMPT_WIDTH = 60


class _QueryParser(argparse.ArgumentParser):
    """A parser that reads ``-tag:x`` (a negated search term) as a word, not as an
    unknown option: only its own options (``-h``, ``--json``) and ``--...`` words are
    options. Its options may stand anywhere among the words (``cards list --json
    card:x``): argparse alone would end QUERY at the first option."""

    _intermixing = False

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        # Python 3.11's parse_known_intermixed_args parses by calling parse_known_args
        # again (with QUERY set aside, then with it alone): those calls are plain ones.
        if self._intermixing:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False

    def _parse_optional(self, arg_string: str) -> Any:
        if (
            arg_string.startswith("-")
            and not arg_string.startswith("--")
            and arg_string not in self._option_string_actions
        ):
            return None
        return super()._parse_optional(arg_string)


def register(subparsers: Any) -> None:
    # add_parser builds the subparser with the class the subparsers action holds.
    default = subparsers._parser_class
    subparsers._parser_class = _QueryParser
    try:
        parser = subparsers.add_parser(
            "cards",
            usage="maliquiz cards [list|suspend|unsuspend|bury|unbury|forget|set-due "
            f"{_('DAYS')}|undo] [{_('QUERY')} ...] [--json]",
            help=_("list, suspend, bury, forget or reschedule cards found by a search"),
            description=_(
                "List the current learner's cards that QUERY matches, or act on them: "
                "suspend, unsuspend, bury (until tomorrow), unbury, forget (make new "
                "again, answers kept), set-due DAYS (0 today, 3, or 1-7 for a day drawn "
                "in that range). `undo` takes back the last action, here or in the app. "
                "QUERY uses Anki's search syntax: words (folded like answers), deck:ID, "
                "card:ID, tag:TAG, type:TYPE, state:new|learn|review|due|suspended|"
                "buried|leech, prop:due<3, prop:ivl>=10, prop:lapses>=2, rated:7, '-' to "
                "negate, 'or', parentheses and quotes; '*' is a wildcard."
            ),
            epilog=_(
                "examples: maliquiz cards deck:minusma state:due · maliquiz cards "
                "suspend card:text-wagner · maliquiz cards set-due 1-7 'tag:wagner "
                "-state:new' · maliquiz cards undo"
            ),
        )
    finally:
        subparsers._parser_class = default
    parser.add_argument(
        "words",
        nargs="*",
        metavar=_("QUERY"),
        help=_(
            "an action (list, suspend, unsuspend, bury, unbury, forget, set-due DAYS, undo), "
            "then the search"
        ),
    )
    add_json_flag(parser)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail, resolve_decks, with_store
    from maliquiz.core.progress.search import SearchError, parse_query

    words = list(args.words)
    action = words.pop(0) if words and words[0] in ACTIONS else "list"
    if action == "undo":
        if words:
            return fail(ctx, _("`maliquiz cards undo` takes no search"))
        return with_store(ctx, lambda store: _undo(store, ctx), for_user=True)
    days: int | tuple[int, int] | None = None
    if action == "set-due":
        from maliquiz.core.progress.actions import parse_days

        days = parse_days(words.pop(0) if words else "")
        if days is None:
            return fail(
                ctx,
                _(
                    "set-due needs DAYS before the search: 0 (today), a number of days "
                    "such as 3, or a range such as 1-7"
                ),
            )
    text = " ".join(words)
    if action != "list" and not text.strip():
        return fail(
            ctx,
            _(
                "`maliquiz cards {action}` needs a search naming the cards "
                "(`deck:*` for every card)"
            ).format(action=action),
        )
    try:
        query = parse_query(text)
    except SearchError as error:
        return fail(ctx, visible(str(error)))
    decks = resolve_decks(ctx, [])
    if decks is None:
        return 1

    def act(store: Store) -> int:
        from maliquiz.core.progress.search import find_cards

        try:
            found = find_cards(store, ctx.user, decks, query)
        except SearchError as error:
            message = visible(str(error))
            if error.term.startswith("deck:"):
                # A deck file elsewhere is not in the catalog: say where it must be put.
                from maliquiz.core.paths import user_decks_dir

                message += _(
                    "; your own decks are read from {folder}: put the deck file there "
                    "for `maliquiz cards` and the app's home screen to see it"
                ).format(folder=visible(str(user_decks_dir(ctx.data_dir))))
            return fail(ctx, message)
        if action == "list":
            near = _near_action(args.words) if not found else None
            if near is not None:
                return fail(
                    ctx,
                    _("no card matches; did you mean the action `{action}` ({command})?").format(
                        action=near,
                        command=visible(shlex.join(["maliquiz", "cards", near, *args.words[1:]])),
                    ),
                )
            return _list(store, found, args.json, ctx)
        return _act(store, action, days, found, query, args.json, ctx)

    return with_store(ctx, act, for_user=True)


def _near_action(words: list[str]) -> str | None:
    """The action the first word misspells (``unsuspen``), if it is close to one: a
    search that finds nothing was more likely meant as that action."""
    import difflib

    if not words:
        return None
    near = difflib.get_close_matches(words[0].casefold(), ACTIONS, n=1, cutoff=0.8)
    return near[0] if near else None


def card_json(entry: CardEntry, store: Store) -> dict[str, Any]:
    """One card as ``--json`` lists it."""
    now = store.clock.now()
    record = entry.record
    seen = record is not None and not entry.is_new
    state = record.state if record is not None else None
    last = state.last_review if state is not None else None
    return {
        "deck_id": entry.deck_id,
        "card_id": entry.card_id,
        "type": entry.card_type,
        "state": entry.state(now),
        "due": store.calendar.day(state.due).isoformat() if seen and state else None,
        "due_at": state.due.isoformat() if seen and state else None,
        "interval": entry.interval(),
        "stability": state.stability if seen and state else None,
        "difficulty": state.difficulty if seen and state else None,
        "lapses": state.lapses if state is not None else 0,
        "reps": state.reps if state is not None else 0,
        "last_answer": last.isoformat() if last is not None else None,
        "suspended": bool(record and record.suspended),
        "buried": bool(record and record.is_buried(now)),
        "leech": bool(record and record.leech),
        "tags": list(entry.tags),
        "prompt": entry.card.prompt,
    }


def _list(store: Store, found: list[CardEntry], as_json: bool, ctx: Any) -> int:
    from datetime import date

    from maliquiz.core.learning.display import card_type_label
    from maliquiz.core.progress.search import STATE_LABELS

    rows = [card_json(entry, store) for entry in found]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=ctx.stdout)
        return 0
    if not rows:
        print(_("No card matches."), file=ctx.stdout)
        return 0
    from rich.cells import cell_len  # terminal columns, not characters

    # The words and dates of the app's browser; --json above keeps the ids and ISO dates.
    day_format = _("%Y-%m-%d")
    table = [[_(title) for title in _COLUMNS]]
    for row in rows:
        table.append(
            [
                row["deck_id"],
                row["card_id"],
                card_type_label(row["type"]),
                _(STATE_LABELS.get(row["state"], row["state"])),
                date.fromisoformat(row["due"]).strftime(day_format) if row["due"] else "–",
                "–" if row["interval"] is None else count(row["interval"]),  # 1,200 days
                count(row["lapses"]),
                _shorten(
                    visible(row["prompt"].replace("\n", " "), keep_newlines=False),
                    _PROMPT_WIDTH,
                    cell_len,
                ),
            ]
        )
    widths = [max(cell_len(line[i]) for line in table) for i in range(len(_COLUMNS) - 1)]
    for line in table:
        cells = [c + " " * (w - cell_len(c)) for c, w in zip(line, widths, strict=False)]
        print("  ".join([*cells, line[-1]]).rstrip(), file=ctx.stdout)
    print(ngettext("{n} card", "{n} cards", len(rows)).format(n=count(len(rows))), file=ctx.stdout)
    return 0


def _shorten(text: str, width: int, cell_len: Any) -> str:
    if cell_len(text) <= width:
        return text
    while cell_len(text) > width - 1:
        text = text[:-1]
    return text.rstrip() + "…"


def _act(
    store: Store,
    action: str,
    days: int | tuple[int, int] | None,
    found: list[CardEntry],
    query: Query,
    as_json: bool,
    ctx: Any,
) -> int:
    cards = [(entry.deck_id, entry.card_id) for entry in found]
    changed = store.apply_card_action(ctx.user, action, cards, days)
    if as_json:
        result = {"action": action, "matched": len(cards), "changed": changed}
        print(json.dumps(result), file=ctx.stdout)
        return 0
    if not cards:
        print(_("No card matches `{query}`.").format(query=visible(query.text)), file=ctx.stdout)
        return 0
    from maliquiz.core.progress.actions import done_message

    print(done_message(action, changed), file=ctx.stdout)
    left = len(cards) - changed
    if left:
        print(
            ngettext(
                "{n} other matching card was left as it was.",
                "{n} other matching cards were left as they were.",
                left,
            ).format(n=count(left)),
            file=ctx.stdout,
        )
    return 0


def _undo(store: Store, ctx: Any) -> int:
    from maliquiz.core.progress.actions import undo_message

    undone: UndoneAction | None = store.undo_card_action(ctx.user)
    print(undo_message(undone), file=ctx.stdout)
    return 0
