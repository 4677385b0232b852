"""``maliquiz progress``: one learner's progress as one file, to keep or to move.

``export -o FILE`` writes the current learner's cards, answers and exams; ``import FILE``
merges such a file back, here or on another machine. Every answer has a unique id, so
importing the same file twice adds nothing the second time. ``recover [FILE]`` brings
back what can still be read of a damaged progress file (see ``_recover``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maliquiz.commands._args import add_actions, add_output_argument
from maliquiz.i18n import _, count, ngettext


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "progress",
        help=_("export or import a learner's progress as one file"),
        description=_(
            "Save the current learner's progress (--user) to one file, or merge such a "
            "file into this machine's progress."
        ),
    )
    actions = add_actions(
        parser,
        {
            "export": (
                _("write the current learner's progress to FILE"),
                _(
                    "Write the current learner's progress (cards, answers, exams) to FILE, "
                    "a JSON file. The file is written in full or not at all."
                ),
            ),
            "import": (
                _("merge a progress file written by `progress export`"),
                _(
                    "Merge a file written by `maliquiz progress export` into this machine's "
                    "progress, under the name it was exported with or the one given with --as. "
                    "Answers already here are not added again, so importing twice is harmless."
                ),
            ),
            "recover": (
                _("bring back what can still be read of a damaged progress file"),
                _(
                    "Read what SQLite can still read of a damaged progress file (by default "
                    "the latest one moved aside as progress.sqlite3.broken-<time>, or the "
                    "progress file itself when it is damaged), row by row, into a new file "
                    "recovered-<time>.sqlite3, then merge its answers, exams and cards into "
                    "the progress file as an import would. The damaged file is not changed."
                ),
            ),
        },
    )
    add_output_argument(actions["export"], _("the file to write"), required=True)
    imp = actions["import"]
    imp.add_argument("file", type=Path, metavar=_("FILE"), help=_("the exported progress file"))
    actions["recover"].add_argument(
        "file",
        type=Path,
        nargs="?",
        metavar=_("FILE"),
        help=_("the damaged file (default: the latest one moved aside)"),
    )
    imp.add_argument(
        "--as",
        dest="as_user",
        metavar=_("NAME"),
        help=_("import as this learner (default: the name in the file)"),
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    if args.action == "export":
        return _export(args.output.expanduser(), ctx)
    if args.action == "recover":
        from maliquiz.commands._recover import recover

        return recover(args.file.expanduser() if args.file else None, ctx)
    return _import(args.file.expanduser(), args.as_user, ctx)


def _export(target: Path, ctx: Any) -> int:
    from maliquiz.commands._common import check_user_name, fail, with_store
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.store import Store

    if not check_user_name(ctx, ctx.user):
        return 1
    if target.is_dir():
        return fail(ctx, _("`{path}` is a folder; give a file name").format(path=target))
    if _same_file(target, progress_path(ctx.data_dir)):
        return fail(
            ctx,
            _("`{path}` is the progress file itself; export to another file").format(path=target),
        )

    def write(store: Store) -> int:
        try:
            user = store.user(ctx.user)
            unreadable = store.export_user(user.name, target)
            answers = store.review_count(user.name)
            cards = len(store.card_figures(user.name))
            exams = len(store.exams(user.name))
        except OSError as error:
            partial = target.with_name(target.name + ".partial")
            partial.unlink(missing_ok=True)
            return fail(
                ctx,
                _("cannot write {path}: {reason}").format(
                    path=target, reason=error.strerror or error
                ),
            )
        print(
            _("Exported the progress of `{user}` to {path}: {answers}, {cards}, {exams}.").format(
                user=user.name,
                path=target,
                answers=ngettext("{n} answer", "{n} answers", answers).format(n=count(answers)),
                cards=ngettext("{n} card", "{n} cards", cards).format(n=count(cards)),
                exams=ngettext("{n} exam", "{n} exams", exams).format(n=count(exams)),
            ),
            file=ctx.stdout,
        )
        if unreadable:
            print(
                ngettext(
                    "warning: {n} answer's undo record could not be read; the answer is "
                    "exported without it (an imported answer is never undone).",
                    "warning: {n} answers' undo records could not be read; the answers are "
                    "exported without them (an imported answer is never undone).",
                    unreadable,
                ).format(n=count(unreadable)),
                file=ctx.stderr,
            )
        return 0

    # Opened as it is: exporting a learner who is not there is an error, not a creation.
    return with_store(ctx, write, for_user=False)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _blank(path: Path) -> bool:
    """Whether the file at ``path`` holds nothing but white space (read in pieces; a
    file that cannot be read is left to the import, which says why)."""
    try:
        with path.open("rb") as handle:
            while piece := handle.read(1 << 16):
                if piece.strip():
                    return False
    except OSError:
        return False
    return True


def _import(source: Path, as_user: str | None, ctx: Any) -> int:
    from maliquiz.commands._common import added_words, check_user_name, fail, with_store
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.store import Store
    from maliquiz.core.progress.transfer import ImportFileError, InvalidRowsError
    from maliquiz.core.progress.users import UserNameError
    from maliquiz.core.text.untrusted import UntrustedFileError

    if as_user is not None and not check_user_name(ctx, as_user):
        return 1
    if source.is_dir():
        return fail(
            ctx,
            _(
                "cannot import {path}: it is a folder; give the file that "
                "`maliquiz progress export` wrote"
            ).format(path=source),
        )
    if not source.is_file():
        return fail(ctx, _("cannot import {path}: no such file").format(path=source))
    if _blank(source):
        return fail(
            ctx,
            _(
                "cannot import {path}: the file is empty; give the file that "
                "`maliquiz progress export` wrote"
            ).format(path=source),
        )
    if _same_file(source, progress_path(ctx.data_dir)):
        return fail(ctx, _("`{path}` is this machine's progress file itself").format(path=source))

    def merge(store: Store) -> int:
        try:
            report = store.import_user(source, as_user=as_user)
        except UserNameError as error:
            return fail(
                ctx,
                _(
                    "the learner's name in {path} cannot be used here ({reason}); "
                    "give another one with --as NAME"
                ).format(path=source, reason=error),
            )
        except InvalidRowsError:
            raise  # reported by with_store, row by row
        except ImportFileError as error:
            cause = error.__cause__
            if isinstance(cause, UntrustedFileError) and cause.too_big:  # size, depth
                return fail(
                    ctx,
                    _("cannot import {path}: {reason}").format(path=source, reason=error.__cause__),
                )
            if isinstance(cause, ValueError | UnicodeDecodeError):  # not JSON at all
                # What is wrong and where (a cut file, a stray comma, another format),
                # then what a progress file is.
                return fail(
                    ctx,
                    _(
                        "cannot import {path}: {reason}. It is not a progress file as "
                        "`maliquiz progress export` writes it: if it was cut short or "
                        "edited by hand, export it again"
                    ).format(path=source, reason=cause),
                )
            raise  # reported by with_store like any other store failure
        added = report.reviews_added + report.exams_added + report.cards_updated
        if not added:
            print(
                _("Nothing new in {path}: `{user}` already has all of it.").format(
                    path=source, user=report.user
                ),
                file=ctx.stdout,
            )
            return 0
        print(
            _("Imported into `{user}`: {answers}, {exams}, {cards}.").format(
                user=report.user,
                **added_words(report.reviews_added, report.exams_added, report.cards_updated),
            ),
            file=ctx.stdout,
        )
        return 0

    # Opened as it is: the learner is the one the file or --as names, not --user.
    return with_store(ctx, merge, for_user=False)
