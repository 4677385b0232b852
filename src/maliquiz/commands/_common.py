"""What several commands share: opening the progress store and finding the decks asked
for, with every failure turned into one clear message on ``ctx.stderr`` (never a
traceback). Each helper returns ``None`` after printing; the command then exits 1.

Imports of the store and the loader wait inside the functions, as in the commands.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maliquiz.i18n import _, ngettext
from maliquiz.i18n import count as grouped

if TYPE_CHECKING:
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.learning.clock import Clock
    from maliquiz.core.progress.connection import StoreError
    from maliquiz.core.progress.store import Store
    from maliquiz.core.progress.transfer import InvalidRowsError

EXIT_FAILURE = 1


def fail(ctx: Any, message: str) -> int:
    """Print ``maliquiz: message`` on the error stream; return the failure exit code."""
    print(_("maliquiz: {error}").format(error=message), file=ctx.stderr)
    return EXIT_FAILURE


def user_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a learner, in the interface language, or None if it can.

    The store decides (:func:`~maliquiz.core.progress.store.validate_user_name`); this only puts
    its reason into words the learner reads in their language.
    """
    from maliquiz.core.progress.users import USER_NAME_MAX, UserNameError, validate_user_name

    try:
        validate_user_name(name)
    except UserNameError as error:
        return _describe_bad_name(name, USER_NAME_MAX, error)
    return None


def _describe_bad_name(name: str, max_length: int, error: Exception) -> str:
    import unicodedata

    cleaned = unicodedata.normalize("NFC", name).strip()
    shown = ascii(name)  # control characters printed as escapes, never raw
    if not cleaned:
        return _("a user name cannot be empty")
    if len(cleaned) > max_length:
        return _("a user name has at most {max} characters ({n} given)").format(
            max=max_length, n=len(cleaned)
        )
    if "/" in cleaned or "\\" in cleaned:
        return _("a user name cannot contain / or \\: {name}").format(name=shown)
    if ".." in cleaned or cleaned == ".":
        return _("a user name cannot contain `..` or be `.`: {name}").format(name=shown)
    if any(
        unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp")
        for c in cleaned
    ):
        return _("a user name cannot contain control characters: {name}").format(name=shown)
    return str(error)  # a rule added to the store later: its own (English) words


def store_error_message(error: StoreError) -> str:
    """What to tell the learner about a store failure, in the interface language."""
    from maliquiz.core.progress.failures import (
        BrokenStoreError,
        DamagedStoreError,
        NewerSchemaError,
        ReadOnlyStoreError,
        StoreWriteError,
    )
    from maliquiz.core.progress.transfer import ImportFileError, InvalidRowsError
    from maliquiz.core.progress.users import UnknownUserError, UserExistsError, UserNameError

    if isinstance(error, BrokenStoreError):
        if error.restored_from is not None:
            return _(
                "the progress file {path} is damaged ({reason}). It was moved to {moved} "
                "so that nothing in it is lost, and the latest backup ({backup}) was put in "
                "its place. `maliquiz progress recover` brings back what can still be read "
                "of the answers given since."
            ).format(
                path=error.path,
                reason=error.reason,
                moved=error.moved_to,
                backup=error.restored_from,
            )
        return _(
            "the progress file {path} is damaged ({reason}). It was moved to {moved} "
            "so that nothing in it is lost; the next run starts a new, empty one. "
            "`maliquiz progress recover` brings back what can still be read of it."
        ).format(path=error.path, reason=error.reason, moved=error.moved_to)
    if isinstance(error, DamagedStoreError):  # not moved yet: the store is still open
        return _("the progress file {path} is damaged ({reason})").format(
            path=error.path, reason=error.reason
        )
    if isinstance(error, ReadOnlyStoreError):
        why = {
            "file": _("the file is read-only"),
            "folder": _(
                "the folder {folder} cannot be written to (SQLite keeps its journal there)"
            ),
            "file-system": _("the folder {folder} is on a read-only file system"),
        }[error.cause].format(folder=error.path.parent)
        return _(
            "progress cannot be saved in {path}: {why}. maliquiz does not open progress "
            "it cannot save: make it writable, or give another folder with --data-dir."
        ).format(path=error.path, why=why)
    if isinstance(error, StoreWriteError):
        why = {
            "full": _("the disk is full"),
            "read-only": _("the file can no longer be written"),
            "io": _("the disk reported an error ({detail})"),
            "busy": _("another maliquiz kept it locked for too long"),
        }[error.problem].format(detail=error.detail)
        return _(
            "could not save to {path}: {why}. Nothing of this last change was written; "
            "everything saved before it is kept."
        ).format(path=error.path, why=why)
    if isinstance(error, NewerSchemaError):
        return _(
            "the progress file {path} was written by a newer maliquiz (schema version "
            "{found}; this version reads up to {supported}). Upgrade maliquiz to use it; "
            "the file was not changed."
        ).format(path=error.path, found=error.found, supported=error.supported)
    if isinstance(error, UnknownUserError):
        return _("no user named `{name}` (see `maliquiz users list`)").format(name=error.name)
    if isinstance(error, UserExistsError):
        return _("a user named `{name}` already exists").format(name=error.name)
    if isinstance(error, UserNameError):
        return _("this user name cannot be used: {reason}").format(reason=error)
    if isinstance(error, InvalidRowsError):
        return bad_rows_message(error)
    if isinstance(error, ImportFileError):
        return _("cannot import: {reason}").format(reason=error)
    return str(error)


def bad_rows_message(error: InvalidRowsError, *, report: bool = False) -> str:
    """A progress file refused for its rows: how many bad values, and the first ones
    with their table, row, column, value and what is allowed there (``report``: read
    for a class report rather than imported)."""
    from maliquiz.core.progress.rows import SHOWN_PROBLEMS, describe

    count = len(error.problems)
    if report:
        first = ngettext(
            "cannot read {path}: {n} value is not one maliquiz writes:",
            "cannot read {path}: {n} values are not ones maliquiz writes; the first:",
            count,
        )
    else:
        first = ngettext(
            "cannot import {path}: {n} value is not one maliquiz writes, so nothing was imported:",
            "cannot import {path}: {n} values are not ones maliquiz writes, so nothing was "
            "imported; the first:",
            count,
        )
    lines = [first.format(path=error.path, n=grouped(count))]
    lines += [
        "  "
        + _("{table}, row {row}, column {column}: {value} (allowed: {allowed})").format(
            table=p.table, row=p.row, column=p.column, value=p.value, allowed=describe(p, _)
        )
        for p in error.problems[:SHOWN_PROBLEMS]
    ]
    return "\n".join(lines)


def report_store_error(ctx: Any, error: StoreError) -> int:
    """Print ``error`` as :func:`store_error_message` words; return the exit code.
    Damage found while the store was open is moved aside first: call this once the
    store is closed."""
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.failures import settle

    settled = settle(error, progress_path(ctx.data_dir)) or error
    return fail(ctx, store_error_message(settled))


def check_user_name(ctx: Any, name: str) -> bool:
    """False (after saying why) when ``name`` cannot name a learner."""
    problem = user_name_problem(name)
    if problem is None:
        return True
    fail(ctx, problem)
    return False


def open_store(ctx: Any, *, clock: Clock | None = None) -> Store | None:
    """The progress store of ``ctx.data_dir``, or None after printing why it cannot be
    opened (damaged file moved aside, file from a newer maliquiz, no permission...)."""
    from maliquiz.core.progress.connection import StoreError, progress_path
    from maliquiz.core.progress.store import Store

    try:
        return Store.open(progress_path(ctx.data_dir), clock=clock)
    except StoreError as error:
        report_store_error(ctx, error)
        return None


def open_store_for_user(ctx: Any, *, clock: Clock | None = None) -> Store | None:
    """:func:`open_store`, after checking that ``ctx.user`` is a usable name (so a bad
    ``--user`` is reported before the file is touched), with that user created if new."""
    if not check_user_name(ctx, ctx.user):
        return None
    store = open_store(ctx, clock=clock)
    if store is None:
        return None
    from maliquiz.core.progress.connection import StoreError

    try:
        store.ensure_user(ctx.user)
        store.use_settings_of(ctx.user)
    except StoreError as error:
        store.close()
        report_store_error(ctx, error)
        return None
    return store


def with_store(ctx: Any, action: Callable[[Store], int], *, for_user: bool) -> int:
    """Run ``action`` on the progress store and return its exit code. The store is closed
    after it, and a store failure on the way is reported as a message and exit code 1.

    With ``for_user`` the store is opened as :func:`open_store_for_user` does (the current
    learner checked and created); without, as :func:`open_store` does, for the commands
    that name the learners themselves.
    """
    store = open_store_for_user(ctx) if for_user else open_store(ctx)
    if store is None:
        return EXIT_FAILURE
    import sqlite3

    from maliquiz.core.progress.connection import StoreError
    from maliquiz.core.progress.failures import settle

    try:
        with store:
            return action(store)
    except StoreError as error:
        return report_store_error(ctx, error)
    except sqlite3.DatabaseError as error:
        # Met by a read: damage found in use, moved aside now that the store is closed.
        failure = settle(error, store.path)
        if failure is None:
            raise
        return report_store_error(ctx, failure)


def _looks_like_path(name: str) -> bool:
    # A bare word is a deck id, even if a folder of that name happens to be here.
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def resolve_decks(ctx: Any, names: Sequence[str]) -> list[Deck] | None:
    """The decks named by ``names`` (deck ids, or deck files and folders), in the order
    given and without repeats; every deck found when ``names`` is empty. None, after
    saying why, when a name matches no deck or a file given has errors.

    Decks of the bundled set or the decks folder that fail to load are reported as
    warnings and left out: one broken file must not keep the learner from the others.
    """
    from maliquiz.core.deck.catalog import load_catalog

    paths = [Path(n).expanduser() for n in names if _looks_like_path(n)]
    catalog = load_catalog(ctx.data_dir, paths)
    given = [_resolved(p) for p in paths]
    errors = [p for p in catalog.problems if p.severity == "error"]
    # A file given by hand that fails is fatal; the same file may also sit in the decks
    # folder, so each problem is reported once, and as fatal when it was asked for.
    fatal = {_key(p) for p in errors if _within(_resolved(Path(p.path)), given)}
    failed = bool(fatal)
    reported: set[tuple[Path, int, int, str]] = set()
    for problem in errors:
        key = _key(problem)
        if key in reported:
            continue
        reported.add(key)
        if key in fatal:
            print(problem.format(), file=ctx.stderr)
        else:
            print(
                _("maliquiz: skipped a deck that does not load: {problem}").format(
                    problem=problem.format()
                ),
                file=ctx.stderr,
            )
    if failed:
        return None

    if not names:
        return catalog.decks()

    by_path: dict[Path, list[str]] = {}
    for deck_id, entry in catalog.entries.items():
        by_path.setdefault(entry.path.resolve(), []).append(deck_id)

    chosen: dict[str, Deck] = {}
    for name in names:
        if _looks_like_path(name):
            target = Path(name).expanduser().resolve()
            ids = by_path.get(target) or sorted(
                deck_id for p, found in by_path.items() if target in p.parents for deck_id in found
            )
            if not ids:  # a folder or file that holds no loadable deck
                fail(ctx, _("no deck in `{path}`").format(path=name))
                return None
            for deck_id in ids:
                chosen.setdefault(deck_id, catalog.entries[deck_id].deck)
            continue
        found = catalog.get(name)
        if found is None:
            message = unknown_deck_message(name, sorted(catalog.entries))
            if Path(name).expanduser().is_dir():  # a bare word is a deck id first
                message += _(" (`{name}` is a folder here: write `{name}/` for its decks)").format(
                    name=name
                )
            fail(ctx, message)
            return None
        chosen.setdefault(name, found.deck)
    return list(chosen.values())


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path


def _within(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _key(problem: Any) -> tuple[Path, int, int, str]:
    return (_resolved(Path(problem.path)), problem.line, problem.col, problem.message)


def unknown_deck_message(name: str, known: Sequence[str]) -> str:
    """ "unknown deck `x` (did you mean `y`?); known decks: ..." in the interface
    language."""
    if not known:
        return _(
            "unknown deck `{name}`: no decks found (add deck files to your decks folder "
            "or give a deck file)"
        ).format(name=name)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    listed = ", ".join(known)
    if close:
        return _("unknown deck `{name}` (did you mean `{close}`?); known decks: {known}").format(
            name=name, close=close[0], known=listed
        )
    return _("unknown deck `{name}`; known decks: {known}").format(name=name, known=listed)


def added_words(answers: int, exams: int, cards: int) -> dict[str, str]:
    """What a merge added, in words: the ``answers``, ``exams`` and ``cards`` fields of
    the import's and the recovery's summaries."""
    return {
        "answers": ngettext("{n} answer added", "{n} answers added", answers).format(
            n=grouped(answers)
        ),
        "exams": ngettext("{n} exam added", "{n} exams added", exams).format(n=grouped(exams)),
        "cards": ngettext("{n} card updated", "{n} cards updated", cards).format(n=grouped(cards)),
    }


def write_checked_deck(ctx: Any, yaml_text: str, output: Path | None, invalid: str) -> int | None:
    """Validate ``yaml_text`` as a deck, then write it to ``output`` (to stdout when
    None). None when done; else the exit code, after printing the findings and
    ``invalid`` (a deck we wrote that does not validate is a bug of ours: nothing is
    written) or why the file cannot be written."""
    from maliquiz.core.deck.loader import parse_deck

    loaded = parse_deck(yaml_text, str(output or "<deck>"))
    if loaded.deck is None:
        for finding in loaded.errors:
            print(finding.format(), file=ctx.stderr)
        return fail(ctx, invalid)
    if output is None:
        ctx.stdout.write(yaml_text)
        return None
    return write_file(ctx, output, yaml_text)


def write_file(ctx: Any, output: Path, text: str) -> int | None:
    """Write ``text`` to ``output`` (its folder made if need be): None when done, else
    the exit code after saying why it cannot be written."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        return fail(
            ctx, _("cannot write {path}: {reason}").format(path=output, reason=error.strerror)
        )
    return None
