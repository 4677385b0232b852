"""Ask for the days until cards are due, as Anki's "Set due date" does: ``0`` today,
``3`` in three days, ``1-7`` a day drawn in that range for each card."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from maliquiz.i18n import _, count, ngettext
from maliquiz.ui import keymap
from maliquiz.ui.base import Dialog

Days = int | tuple[int, int]


class DueDateDialog(Dialog[Days | None]):
    """Type the days; Enter sets them (dismissed with what was read), Esc cancels."""

    HELP = keymap.help_text("due")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("due")

    def __init__(self, cards: int) -> None:
        super().__init__()
        self.cards = cards

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="due-dialog"):
            yield Static(
                ngettext(
                    "Set the due date of {n} card", "Set the due date of {n} cards", self.cards
                ).format(n=count(self.cards)),
                classes="dialog-title",
            )
            yield Input(placeholder=_("0 = today, 3, 1-7"), id="due-days")
            yield Static("", id="due-problem", classes="problem")
            yield Static(_("Enter: set · Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#due-days", Input).focus()

    @on(Input.Submitted, "#due-days")
    def _submitted(self, event: Input.Submitted) -> None:
        from maliquiz.core.progress.actions import parse_days

        days = parse_days(event.value)
        if days is None:
            self.query_one("#due-problem", Static).update(
                _("Write 0 (today), a number of days such as 3, or a range such as 1-7.")
            )
            return
        self.dismiss(days)
