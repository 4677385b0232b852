"""``maliquiz users``: list, add, remove and rename the learner profiles of this machine."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from maliquiz.commands._args import add_actions
from maliquiz.i18n import _, ngettext
from maliquiz.i18n import count as grouped

if TYPE_CHECKING:
    from maliquiz.core.progress.store import Store


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "users",
        help=_("list, add, remove or rename learners"),
        description=_(
            "Manage the learner profiles kept in the progress file. Each learner has "
            "their own progress; choose one with --user (or MALIQUIZ_USER). A learner "
            "is also created the first time they study."
        ),
    )
    actions = add_actions(
        parser,
        {
            "list": (
                _("list the learners (* marks the current one)"),
                _("List the learners, with * before the current one (--user)."),
            ),
            "add": (_("add a learner"), _("Add a learner with no progress yet.")),
            "remove": (
                _("remove a learner and all their progress"),
                _(
                    "Remove a learner with all their progress, answers and exams. Asks for "
                    "confirmation unless --yes is given. Export the progress first to keep a copy."
                ),
            ),
            "rename": (
                _("rename a learner (their progress follows)"),
                _("Give a learner a new name; their progress follows."),
            ),
        },
    )
    actions["add"].add_argument("name", metavar=_("NAME"), help=_("the new learner's name"))
    remove = actions["remove"]
    remove.add_argument("name", metavar=_("NAME"), help=_("the learner to remove"))
    remove.add_argument("-y", "--yes", action="store_true", help=_("do not ask for confirmation"))
    actions["rename"].add_argument("old", metavar="OLD", help=_("the current name"))
    actions["rename"].add_argument("new", metavar="NEW", help=_("the new name"))


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import check_user_name, with_store

    for name in _names_given(args):
        if not check_user_name(ctx, name):
            return 1
    action = {"list": _list, "add": _add, "remove": _remove, "rename": _rename}[args.action]
    # Opened as it is: listing must not create the current learner, and the names
    # this action creates were checked just above.
    return with_store(ctx, lambda store: action(store, args, ctx), for_user=False)


def _names_given(args: argparse.Namespace) -> list[str]:
    """Names the action creates: they must pass the store's rules. Existing names (the
    one removed, the old one renamed) are only looked up, so an odd name already in an
    old file can still be removed or renamed."""
    if args.action == "add":
        return [args.name]
    if args.action == "rename":
        return [args.new]
    return []


def _list(store: Store, args: argparse.Namespace, ctx: Any) -> int:
    users = store.users()
    current = _same_name_key(ctx.user)
    if not users:
        print(
            _("No learners yet; `{user}` will be created on first use.").format(user=ctx.user),
            file=ctx.stdout,
        )
        return 0
    for user in users:
        mark = "*" if _same_name_key(user.name) == current else " "
        answers = store.review_count(user.name)
        said = ngettext("{n} answer", "{n} answers", answers).format(n=grouped(answers))
        print(f"{mark} {user.name}  ({said})", file=ctx.stdout)
    if all(_same_name_key(u.name) != current for u in users):
        print(
            _("The current learner `{user}` has no progress yet.").format(user=ctx.user),
            file=ctx.stdout,
        )
    return 0


def _same_name_key(name: str) -> str:
    """How the store compares names: NFC, trimmed, ASCII letters without case (SQLite's
    NOCASE folds only A–Z)."""
    import unicodedata

    cleaned = unicodedata.normalize("NFC", name).strip()
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in cleaned)


def _add(store: Store, args: argparse.Namespace, ctx: Any) -> int:
    user = store.add_user(args.name)
    print(_("Added learner `{name}`.").format(name=user.name), file=ctx.stdout)
    return 0


def _remove(store: Store, args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail

    user = store.user(args.name)  # unknown names fail here, before any question
    if not args.yes:
        answers = store.review_count(user.name)
        question = _(
            "Remove learner `{name}` and all their progress ({answers})? "
            "This cannot be undone. Type `yes` to confirm: "
        ).format(
            name=user.name,
            answers=ngettext("{n} answer", "{n} answers", answers).format(n=grouped(answers)),
        )
        reply = _ask(ctx, question)
        if reply is None:
            return fail(
                ctx,
                _(
                    "not removing `{name}`: no answer to the confirmation question "
                    "(use --yes to remove without asking)"
                ).format(name=user.name),
            )
        if reply.strip().casefold() not in _yes_words():
            print(_("Nothing removed."), file=ctx.stdout)
            return 1
    store.remove_user(user.name)
    from maliquiz.core.progress.sync import forget_state

    forget_state(ctx.data_dir, user.name)  # their class link goes with them
    print(_("Removed learner `{name}`.").format(name=user.name), file=ctx.stdout)
    return 0


def _yes_words() -> set[str]:
    # Both the English word and the one of the interface language are accepted.
    return {"yes", "y", _("yes").casefold(), _("y").casefold()}


def _ask(ctx: Any, question: str) -> str | None:
    """The line typed after ``question``, or None when there is no input to read (end of
    input, or no standard input at all)."""
    stdin = ctx.stdin
    if stdin is None or getattr(stdin, "closed", False):
        return None
    print(question, end="", file=ctx.stderr, flush=True)
    try:
        line: str = stdin.readline()
    except (OSError, ValueError):
        line = ""
    if not line:
        print(file=ctx.stderr)
        return None
    return line


def _rename(store: Store, args: argparse.Namespace, ctx: Any) -> int:
    old = store.user(args.old)
    user = store.rename_user(old.name, args.new)
    from maliquiz.core.progress.sync import rename_state

    rename_state(ctx.data_dir, old.name, user.name)  # the class link is kept by local name
    print(
        _("Renamed learner `{old}` to `{new}`.").format(old=old.name, new=user.name),
        file=ctx.stdout,
    )
    if _same_name_key(old.name) == _same_name_key(ctx.user):
        print(
            _("Use --user {new} (or MALIQUIZ_USER) to keep studying with this progress.").format(
                new=user.name
            ),
            file=ctx.stdout,
        )
    return 0
