"""A yes/no question that returns its answer with ``dismiss``, and :func:`confirm`, which
asks it before an action."""

from __future__ import annotations

from collections.abc import Callable
from inspect import isawaitable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from maliquiz.i18n import _
from maliquiz.ui import keymap
from maliquiz.ui.base import Dialog


class ConfirmDialog(Dialog[bool]):
    """Ask a yes/no question; dismissed with True for yes, False for no."""

    HELP = keymap.help_text("confirm")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("confirm")

    def __init__(self, question: str, *, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes or _("Yes")
        self.no_label = no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(self.yes_label), id="yes", variant="warning")
                yield Button(Content(self.no_label), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, value: bool) -> None:
        """Close the dialog with ``value``."""
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def confirm(screen: Screen[Any], question: str, then: Callable[[], object]) -> None:
    """Ask ``question`` over ``screen``; call ``then`` (a function or a coroutine
    function) if the answer is yes."""

    async def done(yes: bool | None) -> None:
        if yes:
            result = then()
            if isawaitable(result):
                await result

    screen.app.push_screen(ConfirmDialog(question), done)
