"""Edit a card where it is written: open its deck file in the learner's editor
(``$VISUAL``, else ``$EDITOR``) at the card's line, hand the editor the terminal, and
read the deck again once the editor is closed.

The decks shipped with maliquiz are not the learner's to edit; their own decks live in
the data dir's ``decks`` folder. Progress is kept by card id and is never touched: a
card whose id is gone from the file simply leaves the table.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import SuspendNotSupported

from maliquiz.i18n import _, ngettext
from maliquiz.i18n import count as grouped

if TYPE_CHECKING:
    from textual.app import App

    from maliquiz.core.deck.files import Finding
    from maliquiz.ui.services import Services

PLUS_LINE = frozenset(
    ("vi", "vim", "nvim", "gvim", "view", "nano", "emacs", "emacsclient", "micro", "kak", "hx")
)
"""Editors that open a file at line N when given ``+N`` before it."""
GOTO = frozenset(("code", "code-insiders", "codium"))
"""Editors that take ``--goto FILE:N`` (and return at once unless given ``--wait``)."""


class Edited(NamedTuple):
    """What came of an edit: a message for the learner, and whether the deck was read
    again (then the cards shown must be too)."""

    message: str
    ok: bool = True
    errors: tuple[Finding, ...] = ()
    """The deck file's errors after the edit: the deck from before stays in use."""
    read_again: bool = False


def find_editor(environ: Mapping[str, str]) -> list[str] | None:
    """The learner's editor as a command (``$VISUAL``, else ``$EDITOR``, which may hold
    options, as in ``code --wait``), or None when neither is set. Raises ValueError
    when the value cannot be split into words (an unclosed quote)."""
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            return shlex.split(value)
    return None


def editor_command(editor: Sequence[str], path: Path, line: int | None) -> list[str]:
    """The command that opens ``path`` in ``editor`` at ``line``, for the editors known
    to take a line; other editors open the file at its top."""
    name = Path(editor[0]).name.lower().split(".")[0]
    if name in GOTO:
        wait = [] if {"--wait", "-w"} & set(editor) else ["--wait"]
        target = str(path) if line is None else f"{path}:{line}"
        return [*editor, *wait, "--goto", target]
    if name in PLUS_LINE and line is not None:
        return [*editor, f"+{line}", str(path)]
    return [*editor, str(path)]


def run_editor(app: App[Any], command: list[str]) -> tuple[bool, str | None]:
    """Run ``command`` with the terminal handed over to it; whether it ran, and what
    went wrong if anything did."""
    try:
        with app.suspend():
            return _run(command)
    except SuspendNotSupported:
        if not app.is_headless:
            return False, _("This terminal cannot be handed over to an editor.")
    # Headless (as in the tests) there is no terminal to hand over: the editor runs as is.
    return _run(command, stdin=subprocess.DEVNULL)


def _run(command: list[str], **options: Any) -> tuple[bool, str | None]:
    try:
        done = subprocess.run(command, check=False, **options)
    except OSError as error:
        return False, _(
            "Cannot run your editor `{editor}`: {reason}. Check $VISUAL or $EDITOR."
        ).format(editor=command[0], reason=error.strerror or error)
    if done.returncode:
        return True, _("Your editor `{editor}` ended with code {code}.").format(
            editor=command[0], code=done.returncode
        )
    return True, None


def edit_card(
    app: App[Any],
    services: Services,
    deck_id: str,
    card_id: str,
    *,
    line: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> Edited:
    """Open the deck file of ``deck_id`` at the card ``card_id`` (or at ``line``) in the
    learner's editor, then read the deck again; ``environ`` defaults to the process's."""
    import os

    from maliquiz.core.deck.loader import card_line
    from maliquiz.core.paths import user_decks_dir

    library = services.library
    outline = library.outline(deck_id)
    if outline is None or not outline.path.is_file():
        return Edited(
            _("The file of deck `{deck}` is not known here.").format(deck=deck_id), ok=False
        )
    if outline.origin == "bundled":
        return Edited(
            _(
                "“{title}” comes with maliquiz and cannot be edited. Your own decks live in "
                "{folder}; `maliquiz new DECK_ID` makes one there."
            ).format(title=outline.title, folder=user_decks_dir(services.data_dir)),
            ok=False,
        )
    try:
        editor = find_editor(os.environ if environ is None else environ)
    except ValueError as error:
        return Edited(_("$VISUAL or $EDITOR cannot be read: {error}.").format(error=error), False)
    if editor is None:
        return Edited(
            _(
                "Set $VISUAL or $EDITOR to the editor you use (for example: export "
                "EDITOR=nano), then open maliquiz again."
            ),
            ok=False,
        )
    path = outline.path
    where = line if line is not None else card_line(path, card_id)
    ran, problem = run_editor(app, editor_command(editor, path, where))
    if not ran:
        return Edited(problem or "", ok=False)
    deck, errors = library.reload(deck_id)
    if deck is None:
        message = ngettext(
            "{file} has {n} error; the deck as it was before stays in use.",
            "{file} has {n} errors; the deck as it was before stays in use.",
            len(errors),
        ).format(file=path.name, n=grouped(len(errors)))
        return Edited(message, ok=False, errors=tuple(errors), read_again=True)
    count = len(deck.cards)
    message = ngettext(
        "{file} read again: {n} card.", "{file} read again: {n} cards.", count
    ).format(file=path.name, n=grouped(count))
    if problem:
        message = f"{problem} {message}"
    return Edited(message, read_again=True)
