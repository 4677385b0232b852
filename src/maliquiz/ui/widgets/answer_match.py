"""The answer that pairs items: each left-hand item gets one of the lettered choices.
The pairs are posted as ``{left: right}``."""

from __future__ import annotations

import string
import textwrap
from typing import ClassVar

from rich.cells import cell_len
from textual.binding import BindingType
from textual.content import Content

from maliquiz.core.learning.questions import Response
from maliquiz.i18n import _
from maliquiz.ui import keymap
from maliquiz.ui.text import line, pad
from maliquiz.ui.widgets.answer_lists import Picker

LETTERS = string.ascii_lowercase


class MatchAnswer(Picker):
    """Pairs to match: the cursor is on a left-hand item; a letter gives it that
    choice, or Enter/→ opens the choices, where Enter assigns the one under the
    cursor. Once every item has its match, Enter submits."""

    HELP = keymap.help_text("match")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("match")

    def prepare(self, initial: Response | None) -> None:
        self.lefts = list(self.question.lefts)
        self.rights = list(self.question.options)
        given = initial if isinstance(initial, dict) else {}
        self.pairs: dict[str, str] = {
            k: v for k, v in given.items() if k in self.lefts and v in self.rights
        }
        self.in_choices = False
        self.choice_cursor = 0

    def row_count(self) -> int:
        return len(self.rights) if self.in_choices else len(self.lefts)

    @property
    def complete(self) -> bool:
        """True when every left-hand item has a match."""
        return all(left in self.pairs for left in self.lefts)

    def render(self) -> Content:
        rows: list[Content] = []
        # Rows start with a 4-cell mark and number; long items wrap under themselves.
        room = max(20, (self.size.width or 80) - 4)
        width = min(28, max((cell_len(left) for left in self.lefts), default=0))
        for i, left in enumerate(self.lefts):
            right = self.pairs.get(left)
            # While the cursor is in the choices, a dim mark keeps the item's place.
            mark = (
                None
                if not self.in_choices
                else Content.styled("› ", "dim")
                if i == self.cursor
                else Content("  ")
            )
            target = (
                Content.styled(f"{LETTERS[self.rights.index(right)]}) ", "bold") + line(right)
                if right is not None
                else Content.styled("?", "dim")
            )
            if cell_len(left) <= width and width + 3 + target.cell_length <= room:
                rows.append(
                    self.numbered(i, line(pad(left, width)) + Content(" → ") + target, mark)
                )
                continue
            lines = _wrap(left, room)
            rows.append(self.numbered(i, line(lines[0]), mark))
            rows.extend(Content("    ") + line(rest) for rest in lines[1:])
            if right is None:
                rows.append(Content("    → ") + target)
            else:
                shown = _wrap(right, room - 5)
                letter = Content.styled(f"{LETTERS[self.rights.index(right)]}) ", "bold")
                rows.append(Content("    → ") + letter + line(shown[0]))
                rows.extend(Content("         ") + line(rest) for rest in shown[1:])
        rows.append(Content.styled(_("Choices:"), "dim"))
        for j, right in enumerate(self.rights):
            used = right in self.pairs.values()
            lines = _wrap(right, room - 1)
            rows.append(
                self.pointer(self.in_choices and j == self.choice_cursor)
                + Content.styled(f"{LETTERS[j]}) ", "bold")
                + line(lines[0], "dim" if used else "")
            )
            rows.extend(Content("     ") + line(rest, "dim" if used else "") for rest in lines[1:])
        return Content("\n").join(rows)

    def action_move(self, step: int) -> None:
        if self.in_choices:
            if self.rights:
                self.choice_cursor = (self.choice_cursor + step) % len(self.rights)
                self.refresh()
        else:
            super().action_move(step)

    def action_column(self, choices: bool) -> None:
        """Go to the choices (True) or back to the items (False)."""
        self.in_choices = choices
        self.refresh()

    def action_assign(self, index: int) -> None:
        """Pair the item under the cursor with choice ``index`` (from 0)."""
        if not 0 <= index < len(self.rights) or not self.lefts:
            return
        left = self.lefts[self.cursor]
        right = self.rights[index]
        for other, chosen in list(self.pairs.items()):
            if chosen == right and other != left:
                del self.pairs[other]  # a choice goes to one item only
        self.pairs[left] = right
        self.in_choices = False
        following = [
            i
            for i in [*range(self.cursor + 1, len(self.lefts)), *range(self.cursor)]
            if self.lefts[i] not in self.pairs
        ]
        if following:
            self.cursor = following[0]
        self.refresh()

    def action_clear(self) -> None:
        """Remove the pair of the item under the cursor."""
        if self.lefts:
            self.pairs.pop(self.lefts[self.cursor], None)
            self.refresh()

    def action_confirm(self) -> None:
        """Pair from the choices, open the choices, or answer once all is paired."""
        if self.in_choices:
            self.action_assign(self.choice_cursor)
        elif self.complete:
            self.submit(dict(self.pairs))
        else:
            self.in_choices = True
            self.refresh()


def _wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` cells, cut between words when it can."""
    return textwrap.wrap(" ".join(text.split()), max(8, width)) or [""]
