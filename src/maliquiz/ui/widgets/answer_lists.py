"""The answers picked from a list with keys: options to choose, true or false, items
to put in order. Chosen options are posted as a tuple of their texts, true/false as
``bool``, an order as the items in the learner's order."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.reactive import reactive

from maliquiz.core.learning.questions import Response
from maliquiz.i18n import _
from maliquiz.ui import keymap
from maliquiz.ui.text import line
from maliquiz.ui.widgets.answer import AnswerWidget


class Picker(AnswerWidget, can_focus=True):
    """A focusable list drawn as text, with a cursor moved by arrows or j/k."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("picker")

    cursor: reactive[int] = reactive(0)

    def row_count(self) -> int:
        """How many rows the cursor moves over."""
        raise NotImplementedError

    def action_move(self, step: int) -> None:
        """Move the cursor up or down."""
        count = self.row_count()
        if count:
            self.cursor = (self.cursor + step) % count

    def pointer(self, here: bool) -> Content:
        """The cursor mark when ``here``, else the blank that stands in its place."""
        if here:
            return Content.styled("▶ ", "bold $accent" if self.has_focus else "bold")
        return Content("  ")

    def marker(self, row: int) -> Content:
        """The cursor mark in front of ``row``."""
        return self.pointer(row == self.cursor)

    def numbered(
        self, row: int, rest: Content, mark: Content | None = None, box: Content | None = None
    ) -> Content:
        """A row: its mark (the cursor's by default), its number from 1, ``box`` (a
        tick box, a grip) and ``rest``, which wraps under itself, not under the number."""
        head = (
            (self.marker(row) if mark is None else mark)
            + Content.styled(f"{row + 1} ", "bold")
            + (box or Content())
        )
        room = self.size.width - head.cell_length
        if room < 12 or rest.cell_length <= room:
            return head + rest
        indent = Content(" " * head.cell_length)
        first, *more = rest.wrap(room)
        return Content("\n").join([head + first, *(indent + piece for piece in more)])

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class ChoiceAnswer(Picker):
    """Options numbered 1–9. With one right option a number answers at once; with
    several, numbers and Space tick options and Enter submits."""

    HELP = keymap.help_text("choice")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("choice")

    def prepare(self, initial: Response | None) -> None:
        self.options = list(self.question.options)
        self.multiple = self.question.multiple
        given = initial if isinstance(initial, tuple) else ()
        self.ticked = {i for i, option in enumerate(self.options) if option in given}
        if self.ticked:
            self.cursor = min(self.ticked)

    def row_count(self) -> int:
        return len(self.options)

    def render(self) -> Content:
        rows = []
        for i, option in enumerate(self.options):
            if self.multiple:
                box = "[x] " if i in self.ticked else "[ ] "
            else:
                box = "● " if i in self.ticked else "○ "
            rows.append(self.numbered(i, line(option), box=Content(box)))
        if self.multiple:
            rows.append(
                Content.styled(_("Several answers are right: tick them, then Enter."), "dim")
            )
        return Content("\n").join(rows)

    def action_choose(self, number: int) -> None:
        """Pick option ``number`` (from 1)."""
        index = number - 1
        if not 0 <= index < len(self.options):
            return
        self.cursor = index
        if self.multiple:
            self.ticked ^= {index}
            self.refresh()
        else:
            self.ticked = {index}
            self.refresh()
            self.submit((self.options[index],))

    def action_tick(self) -> None:
        """Tick or untick the option under the cursor."""
        self.action_choose(self.cursor + 1)

    def action_confirm(self) -> None:
        """Answer with the ticked options (or the one under the cursor)."""
        if not self.multiple:
            self.action_choose(self.cursor + 1)
            return
        chosen = self.ticked or {self.cursor}
        self.submit(tuple(self.options[i] for i in sorted(chosen)))


class TrueFalseAnswer(Picker):
    """True or false: 1 (or T, V) for true, 2 (or F) for false."""

    HELP = keymap.help_text("truefalse")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("truefalse")

    def prepare(self, initial: Response | None) -> None:
        self.chosen: bool | None = initial if isinstance(initial, bool) else None
        if self.chosen is False:
            self.cursor = 1

    def row_count(self) -> int:
        return 2

    def render(self) -> Content:
        rows = []
        for i, (label, value) in enumerate(((_("True"), True), (_("False"), False))):
            mark = "● " if self.chosen is value else "○ "
            rows.append(self.numbered(i, Content(mark + label)))
        return Content("\n").join(rows)

    def action_choose(self, value: bool) -> None:
        """Answer true or false."""
        self.chosen = value
        self.cursor = 0 if value else 1
        self.refresh()
        self.submit(value)

    def action_confirm(self) -> None:
        """Answer with the row under the cursor."""
        self.action_choose(self.cursor == 0)


class OrderAnswer(Picker):
    """Items to put in order: Space grabs the item under the cursor, the arrows (or
    j/k) then move it; Enter submits the order shown."""

    HELP = keymap.help_text("order")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("order")

    def prepare(self, initial: Response | None) -> None:
        given = initial if isinstance(initial, tuple) else ()
        same = sorted(given) == sorted(self.question.options)
        self.items = list(given if same and given else self.question.options)
        self.grabbed = False

    def row_count(self) -> int:
        return len(self.items)

    def render(self) -> Content:
        rows = []
        for i, item in enumerate(self.items):
            held = self.grabbed and i == self.cursor
            grip = "⇕ " if held else "  "
            rows.append(
                self.numbered(
                    i,
                    line(item, "bold $warning" if held else ""),
                    box=Content.styled(grip, "bold $warning"),
                )
            )
        return Content("\n").join(rows)

    def action_move(self, step: int) -> None:
        if self.grabbed:
            self.action_carry(step)
        else:
            super().action_move(step)

    def action_carry(self, step: int) -> None:
        """Move the item under the cursor one place up or down."""
        here, there = self.cursor, self.cursor + step
        if 0 <= there < len(self.items):
            self.items[here], self.items[there] = self.items[there], self.items[here]
            self.cursor = there
            self.refresh()

    def action_grab(self) -> None:
        """Grab or drop the item under the cursor."""
        self.grabbed = not self.grabbed
        self.refresh()

    def action_confirm(self) -> None:
        """Answer with the order shown."""
        self.grabbed = False
        self.refresh()
        self.submit(tuple(self.items))
