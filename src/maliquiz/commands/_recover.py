"""``maliquiz progress recover [FILE]``: what can still be read of a damaged progress
file, salvaged into a new file and merged into the progress file (see
:mod:`maliquiz.core.progress.recover`).

Without FILE: the latest damaged file moved aside (``progress.sqlite3.broken-<time>``);
when there is none, the progress file itself, checked whole with SQLite's
``integrity_check`` and moved aside first if it is damaged.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from maliquiz.i18n import _, count, ngettext


def recover(source: Path | None, ctx: Any) -> int:
    """Run ``progress recover``; the exit code."""
    from maliquiz.commands._common import added_words, fail, with_store
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.recover import merge, salvage
    from maliquiz.core.progress.store import Store

    if source is None:
        found = _damaged_file(ctx)
        if isinstance(found, int):
            return found
        source = found
    elif not source.is_file():
        return fail(ctx, _("cannot recover {path}: no such file").format(path=source))
    elif _same(source, progress_path(ctx.data_dir)):
        return fail(
            ctx,
            _(
                "give a damaged copy, not the progress file itself (without FILE, "
                "`maliquiz progress recover` checks it)"
            ),
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = ctx.data_dir / f"recovered-{stamp}.sqlite3"
    counter = 1
    while target.exists():
        target = ctx.data_dir / f"recovered-{stamp}-{counter}.sqlite3"
        counter += 1
    try:
        salvaged = salvage(source, target)
    except (OSError, sqlite3.Error) as error:
        return fail(
            ctx,
            _("cannot write the recovered file {path}: {reason}").format(path=target, reason=error),
        )
    answers = salvaged.rows.get("reviews", 0)
    exams = salvaged.rows.get("exams", 0)
    cards = salvaged.rows.get("card_states", 0)
    if not answers + exams + cards:
        target.unlink(missing_ok=True)
        return fail(ctx, _("nothing could be read from {path}").format(path=source))
    print(
        _("Read from {path}: {answers}, {exams}, {cards}, saved in {target}.").format(
            path=source,
            answers=ngettext("{n} answer", "{n} answers", answers).format(n=count(answers)),
            exams=ngettext("{n} exam", "{n} exams", exams).format(n=count(exams)),
            cards=ngettext("{n} card state", "{n} card states", cards).format(n=count(cards)),
            target=target,
        ),
        file=ctx.stdout,
    )
    if salvaged.unreadable:
        print(
            ngettext(
                "{n} damaged stretch of rows could not be read.",
                "{n} damaged stretches of rows could not be read.",
                salvaged.unreadable,
            ).format(n=count(salvaged.unreadable)),
            file=ctx.stdout,
        )

    def bring_in(store: Store) -> int:
        merged = merge(store, target, store.clock.now())
        print(
            _("Merged into {path}: {answers}, {exams}, {cards}.").format(
                path=store.path,
                **added_words(merged.reviews_added, merged.exams_added, merged.cards_updated),
            ),
            file=ctx.stdout,
        )
        if merged.left_out:
            print(
                ngettext(
                    "{n} row read was left out: it does not hold values maliquiz writes.",
                    "{n} rows read were left out: they do not hold values maliquiz writes.",
                    merged.left_out,
                ).format(n=count(merged.left_out)),
                file=ctx.stdout,
            )
        return 0

    return with_store(ctx, bring_in, for_user=False)


def _damaged_file(ctx: Any) -> Path | int:
    """The file to recover from, when FILE was not given; when there is none, the exit
    code, after saying why."""
    from maliquiz.commands._common import report_store_error, store_error_message
    from maliquiz.core.progress.connection import StoreError, progress_path
    from maliquiz.core.progress.failures import BrokenStoreError, broken_copies, set_aside
    from maliquiz.core.progress.store import Store

    path = progress_path(ctx.data_dir)
    copies = broken_copies(path)
    if copies:
        return copies[-1]
    if not path.exists():
        print(_("Nothing to recover: there is no progress file yet."), file=ctx.stdout)
        return 0
    try:
        store = Store.open(path)
    except BrokenStoreError as error:
        print(_("maliquiz: {error}").format(error=store_error_message(error)), file=ctx.stderr)
        return error.moved_to
    except StoreError as error:
        return report_store_error(ctx, error)
    try:
        problems = store.integrity_check()
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
    finally:
        store.close()
    if problems == ["ok"]:
        print(
            _(
                "Nothing to recover: {path} is sound (SQLite's integrity check), and no "
                "damaged copy lies next to it."
            ).format(path=path),
            file=ctx.stdout,
        )
        return 0
    broken = set_aside(path, datetime.now(UTC), "; ".join(problems[:3]))
    print(_("maliquiz: {error}").format(error=store_error_message(broken)), file=ctx.stderr)
    return broken.moved_to


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
