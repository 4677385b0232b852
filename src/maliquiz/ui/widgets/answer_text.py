"""The answers typed in text boxes: one box for names, numbers and dates, one box per
gap for clozes. Typed text is posted as ``str``, a cloze as one text per gap."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from maliquiz.i18n import _
from maliquiz.ui import keymap
from maliquiz.ui.text import line
from maliquiz.ui.widgets.answer import AnswerWidget


class TypedAnswer(AnswerWidget):
    """A text box for names, numbers and dates; Enter submits."""

    HELP = keymap.help_text("typed")

    def compose(self) -> ComposeResult:
        card_type = getattr(self.question.card, "type", "text")
        placeholder = {
            "number": _("a number, e.g. 2 000 or 1,5 million"),
            "date": _("a date, e.g. 15 novembre 2024, 11/2024 or 2024"),
        }.get(card_type, _("your answer"))
        initial = self.initial if isinstance(self.initial, str) else ""
        with Horizontal(classes="typed-row"):
            yield Input(value=initial, placeholder=placeholder, id="typed-input")
            if self.question.unit:
                yield Label(line(self.question.unit), classes="unit")
        yield Static("", classes="answer-problem")

    def focus_answer(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.query_one(".answer-problem", Static).update(
                _("Type an answer first (Ctrl+R if you don't know).")
            )
            return
        self.submit(event.value)


class ClozeAnswer(AnswerWidget):
    """One text box per gap; Enter goes to the next gap, and submits from the last."""

    HELP = keymap.help_text("cloze")

    def compose(self) -> ComposeResult:
        given = self.initial if isinstance(self.initial, tuple) else ()
        for n in range(self.question.gap_count):
            with Horizontal(classes="gap-row"):
                yield Label(f"[{n + 1}]", classes="gap-label", markup=False)
                yield Input(
                    value=given[n] if n < len(given) else "",
                    placeholder=_("gap {n}").format(n=n + 1),
                    id=f"gap-{n}",
                    classes="gap",
                    compact=True,
                )

    def focus_answer(self) -> None:
        self.query(".gap").first(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        boxes = list(self.query(".gap").results(Input))
        index = boxes.index(event.input)
        if index + 1 < len(boxes):
            boxes[index + 1].focus()
            return
        self.submit(tuple(box.value for box in boxes))
