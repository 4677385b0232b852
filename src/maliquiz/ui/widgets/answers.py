"""One answer widget per way of answering a question.

Each widget shows what the learner answers from and posts :class:`AnswerWidget.Answered`
with a response in the form the core expects (see
:data:`maliquiz.core.learning.session.Response`): typed text as ``str``, chosen options as a
tuple of their texts, true/false as ``bool``, an order as the items in the learner's
order, a match as ``{left: right}``, a cloze as one text per gap. Flashcards post
:class:`FlashcardAnswer.RevealWanted` then :class:`FlashcardAnswer.Rated`.

Widgets never grade: they only collect. Every key they react to is a binding (so the
footer and the help screen list it); the widgets with text boxes bind no printable
key, so typing an answer never triggers anything.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from maliquiz.core.learning.questions import Mode, Question, Response
from maliquiz.i18n import N_, _
from maliquiz.ui.text import line, plain

LETTERS = string.ascii_lowercase


class AnswerWidget(Widget):
    """Base of the answer widgets: holds the question and an optional earlier answer
    (an exam shows the answer already given when the learner comes back)."""

    HELP: ClassVar[str] = ""

    class Answered(Message):
        """The learner gave an answer."""

        def __init__(self, response: Response) -> None:
            super().__init__()
            self.response = response

    def __init__(
        self,
        question: Question,
        initial: Response | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.question = question
        self.initial = initial

    def focus_answer(self) -> None:
        """Give the keyboard to the part of the widget that takes the answer."""
        self.focus()

    def help_text(self) -> str:
        """How to answer with this widget, in the interface language."""
        return _(self.HELP) if self.HELP else ""

    def submit(self, response: Response) -> None:
        """Post the learner's answer."""
        self.post_message(self.Answered(response))


# --- typed answers ------------------------------------------------------------------


class TypedAnswer(AnswerWidget):
    """A text box for names, numbers and dates; Enter submits."""

    HELP = N_("Type the answer and press Enter. Letters only ever go into the box.")

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

    HELP = N_(
        "Fill each gap; Enter moves to the next gap and submits from the last one. "
        "Tab and Shift+Tab move between the gaps."
    )

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


# --- lists picked with keys -----------------------------------------------------------


def _number_bindings(action: str, description: str, count: int = 9) -> list[BindingType]:
    """Bindings for keys 1..count; only the first shows, as "1-9"."""
    bindings: list[BindingType] = [
        Binding(
            "1",
            f"{action}(1)",
            description,
            key_display=f"1-{count}",
            id=f"answer.{action}.1",
        )
    ]
    bindings += [
        Binding(str(n), f"{action}({n})", description, show=False, id=f"answer.{action}.{n}")
        for n in range(2, count + 1)
    ]
    return bindings


class _Picker(AnswerWidget, can_focus=True):
    """A focusable list drawn as text, with a cursor moved by arrows or j/k."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", N_("Up"), show=False, id="answer.up"),
        Binding("down,j", "move(1)", N_("Down"), show=False, id="answer.down"),
    ]

    cursor: reactive[int] = reactive(0)

    def row_count(self) -> int:
        """How many rows the cursor moves over."""
        raise NotImplementedError

    def action_move(self, step: int) -> None:
        """Move the cursor up or down."""
        count = self.row_count()
        if count:
            self.cursor = (self.cursor + step) % count

    def marker(self, row: int) -> Content:
        """The cursor mark in front of ``row``."""
        if row == self.cursor:
            return Content.styled("▶ ", "bold $accent" if self.has_focus else "bold")
        return Content("  ")

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class ChoiceAnswer(_Picker):
    """Options numbered 1–9. With one right option a number answers at once; with
    several, numbers and Space tick options and Enter submits."""

    HELP = N_(
        "Press an option's number, or move with Up/Down (j/k) and press Enter. "
        "When several options are right, numbers or Space tick them and Enter submits."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *_number_bindings("choose", N_("Choose")),
        Binding("space", "tick", N_("Tick"), show=False, id="answer.tick"),
        Binding("enter", "confirm", N_("Answer"), show=False, id="answer.confirm"),
    ]

    def __init__(
        self,
        question: Question,
        initial: Response | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(question, initial, id=id, classes=classes)
        self.options = list(question.options)
        self.multiple = question.multiple
        given = initial if isinstance(initial, tuple) else ()
        self.ticked = {i for i, option in enumerate(self.options) if option in given}
        if self.ticked:
            self.cursor = min(self.ticked)

    def row_count(self) -> int:
        return len(self.options)

    def render(self) -> Content:
        rows = []
        for i, option in enumerate(self.options):
            number = Content.styled(f"{i + 1} ", "bold")
            if self.multiple:
                box = "[x] " if i in self.ticked else "[ ] "
            else:
                box = "● " if i in self.ticked else "○ "
            rows.append(self.marker(i) + number + Content(box) + line(option))
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


class TrueFalseAnswer(_Picker):
    """True or false: 1 (or T, V) for true, 2 (or F) for false."""

    HELP = N_("Press 1 (or T, V) for true and 2 (or F) for false, or move and press Enter.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1,t,v", "choose(True)", N_("True"), id="answer.true"),
        Binding("2,f", "choose(False)", N_("False"), id="answer.false"),
        Binding("enter", "confirm", N_("Answer"), show=False, id="answer.confirm"),
    ]

    def __init__(
        self,
        question: Question,
        initial: Response | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(question, initial, id=id, classes=classes)
        self.chosen: bool | None = initial if isinstance(initial, bool) else None
        if self.chosen is False:
            self.cursor = 1

    def row_count(self) -> int:
        return 2

    def render(self) -> Content:
        rows = []
        for i, (label, value) in enumerate(((_("True"), True), (_("False"), False))):
            mark = "● " if self.chosen is value else "○ "
            rows.append(
                self.marker(i) + Content.styled(f"{i + 1} ", "bold") + Content(mark + label)
            )
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


class OrderAnswer(_Picker):
    """Items to put in order: Space grabs the item under the cursor, the arrows (or
    j/k) then move it; Enter submits the order shown."""

    HELP = N_(
        "Move with Up/Down (j/k). Space grabs the item under the cursor and the arrows "
        "then carry it; Space again drops it. Shift+Up/Down (K/J) move an item directly. "
        "Enter submits the order shown."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "grab", N_("Grab/drop"), id="answer.grab"),
        Binding("shift+up,K", "carry(-1)", N_("Move item up"), show=False, id="answer.item_up"),
        Binding(
            "shift+down,J", "carry(1)", N_("Move item down"), show=False, id="answer.item_down"
        ),
        Binding("enter", "confirm", N_("Answer"), id="answer.confirm"),
    ]

    def __init__(
        self,
        question: Question,
        initial: Response | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(question, initial, id=id, classes=classes)
        given = initial if isinstance(initial, tuple) else ()
        same = sorted(given) == sorted(question.options)
        self.items = list(given if same and given else question.options)
        self.grabbed = False

    def row_count(self) -> int:
        return len(self.items)

    def render(self) -> Content:
        rows = []
        for i, item in enumerate(self.items):
            held = self.grabbed and i == self.cursor
            grip = "⇕ " if held else "  "
            rows.append(
                self.marker(i)
                + Content.styled(f"{i + 1} ", "bold")
                + Content.styled(grip, "bold $warning")
                + line(item, "bold $warning" if held else "")
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


class MatchAnswer(_Picker):
    """Pairs to match: the cursor is on a left-hand item; a letter gives it that
    choice, or Enter/→ opens the choices, where Enter assigns the one under the
    cursor. Once every item has its match, Enter submits."""

    HELP = N_(
        "Up/Down (j/k) pick an item on the left. Press the letter of its match, or "
        "Enter (or Right) to go to the choices, move there and press Enter to pair them; "
        "Left goes back. Backspace clears a pair. When every item is paired, Enter submits."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(
                letter,
                f"assign({n})",
                N_("Pair"),
                key_display="a-h" if n == 0 else None,
                show=n == 0,
                id=f"answer.assign.{letter}",
            )
            for n, letter in enumerate(LETTERS[:8])
        ],
        Binding("right", "column(True)", N_("Choices"), show=False, id="answer.choices"),
        Binding("left", "column(False)", N_("Items"), show=False, id="answer.items"),
        Binding("backspace,delete", "clear", N_("Clear pair"), show=False, id="answer.clear"),
        Binding("enter", "confirm", N_("Pair/answer"), show=False, id="answer.confirm"),
    ]

    def __init__(
        self,
        question: Question,
        initial: Response | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(question, initial, id=id, classes=classes)
        self.lefts = list(question.lefts)
        self.rights = list(question.options)
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
        width = min(28, max((len(left) for left in self.lefts), default=0))
        for i, left in enumerate(self.lefts):
            right = self.pairs.get(left)
            mark = (
                self.marker(i)
                if not self.in_choices
                else Content.styled("› ", "dim")
                if i == self.cursor
                else Content("  ")
            )
            shown = left if len(left) <= width else left[: width - 1] + "…"
            target = (
                Content.styled(f"{LETTERS[self.rights.index(right)]}) ", "bold") + line(right)
                if right is not None
                else Content.styled("?", "dim")
            )
            rows.append(
                mark
                + Content.styled(f"{i + 1} ", "bold")
                + line(shown.ljust(width))
                + Content(" → ")
                + target
            )
        rows.append(Content.styled(_("Choices:"), "dim"))
        for j, right in enumerate(self.rights):
            here = self.in_choices and j == self.choice_cursor
            mark = (
                Content.styled("▶ ", "bold $accent" if self.has_focus else "bold")
                if here
                else Content("  ")
            )
            used = right in self.pairs.values()
            rows.append(
                mark
                + Content.styled(f"{LETTERS[j]}) ", "bold")
                + line(right, "dim" if used else "")
            )
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


# --- flashcards ---------------------------------------------------------------------


class FlashcardAnswer(AnswerWidget, can_focus=True):
    """Space (or Enter) shows the back; then 1–4 rate it, each button showing the
    interval it would give."""

    HELP = N_(
        "Recall the answer, then press Space (or Enter) to see the back. Rate how well "
        "you knew it: 1 Again, 2 Hard, 3 Good, 4 Easy; each button shows when the card "
        "would come back."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", N_("Show answer"), id="answer.reveal"),
        Binding("1", "rate(1)", N_("Again"), id="answer.rate.1"),
        Binding("2", "rate(2)", N_("Hard"), id="answer.rate.2"),
        Binding("3", "rate(3)", N_("Good"), id="answer.rate.3"),
        Binding("4", "rate(4)", N_("Easy"), id="answer.rate.4"),
    ]
    RATINGS: ClassVar[tuple[str, ...]] = (N_("Again"), N_("Hard"), N_("Good"), N_("Easy"))

    class RevealWanted(Message):
        """The learner asks to see the back."""

    class Rated(Message):
        """The learner rated the card 1–4."""

        def __init__(self, value: int) -> None:
            super().__init__()
            self.value = value

    revealed: reactive[bool] = reactive(False, init=False)

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(_("Space: show the answer"), "dim"), classes="flash-hint")
        yield Static("", classes="flash-back")
        with Horizontal(classes="rating-row"):
            for n in range(1, 5):
                button = Button(
                    f"{n} {_(self.RATINGS[n - 1])}", id=f"rate-{n}", classes=f"rate rate-{n}"
                )
                button.can_focus = False
                yield button

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
            label = f"{n} {_(self.RATINGS[n - 1])}"
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


# --- choosing the widget ----------------------------------------------------------


WIDGETS: dict[Mode, type[AnswerWidget]] = {
    Mode.TYPED: TypedAnswer,
    Mode.CHOICE: ChoiceAnswer,
    Mode.TRUEFALSE: TrueFalseAnswer,
    Mode.ORDER: OrderAnswer,
    Mode.MATCH: MatchAnswer,
    Mode.CLOZE: ClozeAnswer,
    Mode.FLASHCARD: FlashcardAnswer,
}


def answer_widget(
    question: Question, initial: Response | None = None, *, id: str | None = "answer"
) -> AnswerWidget:
    """The widget that takes an answer to ``question`` in its presentation mode."""
    return WIDGETS[question.mode](question, initial, id=id, classes="answer")


def mode_names() -> Sequence[str]:
    """The presentation modes the widgets cover (for tests)."""
    return [str(mode) for mode in WIDGETS]
