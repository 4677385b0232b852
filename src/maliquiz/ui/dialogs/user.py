"""Switch to another learner, or create one by typing a new name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from maliquiz.i18n import _
from maliquiz.ui import keymap
from maliquiz.ui.base import Dialog
from maliquiz.ui.text import line


class UserDialog(Dialog[str | None]):
    """Pick a learner with ↑/↓ or type a new name; Enter switches, Esc cancels.

    ``check`` says why a name cannot be used (or None when it can); the rule is the
    store's, this dialog only shows its answer.
    """

    HELP = keymap.help_text("user")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("user")

    def __init__(
        self, users: Sequence[str], current: str, check: Callable[[str], str | None]
    ) -> None:
        super().__init__()
        self.users = list(users)
        self.current = current
        self.check = check
        self.index = self.users.index(current) if current in self.users else -1

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="user-dialog"):
            yield Static(_("Switch learner"), classes="dialog-title")
            yield Static(self._list(), id="user-list")
            yield Input(
                value=self.current,
                placeholder=_("a learner's name"),
                id="user-name",
                select_on_focus=True,
            )
            yield Static("", id="user-problem", classes="problem")
            yield Static(_("Enter: switch · ↑↓: pick · Esc: cancel"), classes="hint")

    def _list(self) -> Content:
        if not self.users:
            return Content(_("No learners yet."))
        parts: list[Content] = []
        for n, name in enumerate(self.users):
            mark = "▶ " if n == self.index else "  "
            style = "bold" if name == self.current else ""
            parts.append(Content(mark) + line(name, style))
        return Content("\n").join(parts)

    def action_pick(self, step: int) -> None:
        """Put the previous or next existing learner in the box."""
        if not self.users:
            return
        self.index = (self.index + step) % len(self.users)
        box = self.query_one("#user-name", Input)
        box.value = self.users[self.index]
        box.cursor_position = len(box.value)
        self.query_one("#user-list", Static).update(self._list())

    @on(Input.Submitted, "#user-name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        problem = self.check(name)
        if problem:
            self.query_one("#user-problem", Static).update(Content(problem))
            return
        self.dismiss(name)
