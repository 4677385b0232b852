"""The errors of a deck file read again after an edit, each as ``file:line:col`` the way
``maliquiz check`` prints them; dismissed with True when the learner edits it again."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from maliquiz.i18n import _
from maliquiz.ui import keymap
from maliquiz.ui.base import Dialog

if TYPE_CHECKING:
    from maliquiz.core.deck.files import Finding


class DeckErrorsDialog(Dialog[bool]):
    """The errors, one a line; E edits the file again (dismissed with True), Esc closes."""

    DEFAULT_CSS = """
    #deck-errors-body {
        height: auto;
        max-height: 14;
    }
    """

    HELP = keymap.help_text("deck_errors")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("deck_errors")

    def __init__(self, message: str, errors: tuple[Finding, ...]) -> None:
        super().__init__()
        self.message = message
        self.errors = errors

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="deck-errors"):
            yield Static(Content(self.message), classes="dialog-title")
            with VerticalScroll(id="deck-errors-body"):
                # Deck text is never markup: each line is plain Content.
                lines = Content("\n").join(Content(f.format()) for f in self.errors)
                yield Static(lines, id="deck-errors-text", classes="problem")
            yield Static(_("E: edit again · Esc: close"), classes="hint")

    def action_edit_again(self) -> None:
        """Close the dialog and open the file again, at the first error."""
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
