"""The flashcard: no answer to type, the learner recalls it, sees the back and rates
how well they knew it. It posts :class:`FlashcardAnswer.RevealWanted`, then
:class:`FlashcardAnswer.Rated`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

from maliquiz.core.learning.display import RATING_LABELS
from maliquiz.i18n import _
from maliquiz.ui import keymap
from maliquiz.ui.text import plain
from maliquiz.ui.widgets.answer import AnswerWidget


class FlashcardAnswer(AnswerWidget, can_focus=True):
    """Space (or Enter) shows the back; then 1–4 rate it, each button showing the
    interval it would give."""

    HELP = keymap.help_text("flashcard")
    RATINGS: ClassVar[tuple[str, ...]] = RATING_LABELS
    """The ratings from 1 to 4: each one's key is its number."""
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("flashcard")

    class RevealWanted(Message):
        """The learner asks to see the back."""

    @dataclass
    class Rated(Message):
        """The learner rated the card 1–4."""

        value: int

    revealed: reactive[bool] = reactive(False, init=False)

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(_("Space: show the answer"), "dim"), classes="flash-hint")
        yield Static("", classes="flash-back")
        with Horizontal(classes="rating-row"):
            for n in range(1, 5):
                button = Button(self._rating_label(n), id=f"rate-{n}", classes=f"rate rate-{n}")
                button.can_focus = False
                yield button

    def _rating_label(self, n: int) -> str:
        """Rating ``n``'s button: its number and its name."""
        return f"{n} {_(self.RATINGS[n - 1])}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return not self.revealed
        if action == "rate":
            return self.revealed
        return True

    def action_reveal(self) -> None:
        """Ask to see the back."""
        if not self.revealed:
            self.post_message(self.RevealWanted())

    def action_rate(self, value: int) -> None:
        """Rate the card."""
        if self.revealed:
            self.post_message(self.Rated(value))

    def show_back(self, back: str, intervals: Mapping[int, str]) -> None:
        """Show the back and each rating's interval."""
        self.query_one(".flash-back", Static).update(plain(back, "bold"))
        self.query_one(".flash-hint", Static).update(
            Content.styled(_("How well did you know it? 1-4"), "dim")
        )
        for n in range(1, 5):
            label = self._rating_label(n)
            if n in intervals:
                label += f" · {intervals[n]}"
            self.query_one(f"#rate-{n}", Button).label = Content(label)
        self.revealed = True
        self.add_class("-revealed")
        self.refresh_bindings()

    @on(Button.Pressed, ".rate")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if not self.revealed:
            self.post_message(self.RevealWanted())
            return
        self.post_message(self.Rated(int(str(event.button.id).rsplit("-", 1)[1])))
