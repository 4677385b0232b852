"""What the study and exam screens share: one question at a time, each with the answer
widget of its presentation mode.

Both screens lay out a status line, where the question comes from, its prompt, the
answer widget and a hint of keys; they differ in the status line and in what follows
an answer (study shows the feedback below the answer, an exam nothing).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from maliquiz.core.learning.questions import Mode, Question, Response
from maliquiz.i18n import N_, _
from maliquiz.ui.base import SESSION_CSS, Page
from maliquiz.ui.text import plain
from maliquiz.ui.widgets.answer import AnswerWidget
from maliquiz.ui.widgets.answers import answer_widget

MODE_HINTS = {
    Mode.TYPED: N_("Type the answer, then Enter. Ctrl+R if you don't know."),
    Mode.CHOICE: N_("Press the number of the answer (or move and Enter)."),
    Mode.TRUEFALSE: N_("True or false? 1 or 2."),
    Mode.ORDER: N_("Put in order: Space grabs an item, the arrows move it, Enter answers."),
    Mode.MATCH: N_("Pair each item with a letter; Enter answers once all are paired."),
    Mode.CLOZE: N_("Fill the gaps; Enter moves to the next one and answers from the last."),
    Mode.FLASHCARD: N_("Recall the answer, then press Space to see it."),
}
"""How to answer in each mode, shown under the answer widget."""

SEVERAL_HINT = N_("Numbers or Space tick an option (again: untick it); Enter answers.")
"""How to answer a choice with several right options."""


def mode_hint(question: Question) -> str:
    """How to answer ``question``, in the interface language."""
    if question.mode == Mode.CHOICE and question.multiple:
        return _(SEVERAL_HINT)
    return _(MODE_HINTS[question.mode])


class QuestionScreen(Page):
    """A page that asks questions; subclasses fill the status line (:meth:`status`)
    and what comes under the answer (:meth:`below_answer`)."""

    CSS_PATH = SESSION_CSS
    MORE_HINT: ClassVar[str | None] = None
    """Shown under the questions's area while part of it is below the screen (English,
    marked with ``N_``); None shows nothing."""

    def body(self) -> ComposeResult:
        with Horizontal(id="question-status"):
            yield from self.status()
        with VerticalScroll(id="question-body"):
            yield Static(id="question-place")
            yield Static(id="question-prompt")
            yield Vertical(id="answer-area")
            yield from self.below_answer()
            yield Static(id="question-hint")
        yield Static(id="question-more")

    @on(events.Mount)
    def follow_body(self) -> None:
        """Keep the "more below" line up to date as the question's area changes."""
        body = self.query_one("#question-body", VerticalScroll)
        self.watch(body, "scroll_y", self.show_more_soon, init=False)
        self.watch(body, "virtual_size", self.show_more_soon, init=False)
        self.query_one("#question-more", Static).display = False

    def on_resize(self) -> None:
        self.show_more_soon()

    def show_more_soon(self) -> None:
        """Update the "more below" line once the layout has settled."""
        self.call_after_refresh(self.show_more)

    def show_more(self) -> None:
        """Say, under the question's area, that part of it is below the screen."""
        if self.MORE_HINT is None:
            return
        found = self.query("#question-body").results(VerticalScroll)
        body = next(found, None)
        if body is None:
            return  # the screen is being closed (a session with nothing to ask)
        more = self.query_one("#question-more", Static)
        below = body.scroll_y < body.max_scroll_y
        if below:
            more.update(Content.styled(_(self.MORE_HINT), "bold $text-warning"))
        more.display = below

    def action_page(self, down: bool) -> None:
        """Scroll the question's area by a page."""
        body = self.query_one("#question-body", VerticalScroll)
        if down:
            body.scroll_page_down()
        else:
            body.scroll_page_up()

    def status(self) -> ComposeResult:
        """The widgets of the status line at the top."""
        raise NotImplementedError

    def below_answer(self) -> ComposeResult:
        """The widgets between the answer and the hint (none by default)."""
        yield from ()

    async def ask(
        self, question: Question, place: Content, initial: Response | None = None
    ) -> AnswerWidget:
        """Show where ``question`` comes from (``place``), its prompt and, in place of the
        last one, the widget that answers it (holding ``initial``, an earlier answer)."""
        self.query_one("#question-place", Static).update(place)
        self.query_one("#question-prompt", Static).update(plain(question.prompt, "bold"))
        area = self.query_one("#answer-area", Vertical)
        await area.remove_children()
        widget = answer_widget(question, initial)
        await area.mount(widget)
        return widget

    def hint(self, text: str) -> None:
        """Show ``text``, dim, under the answer: the keys that work now."""
        self.query_one("#question-hint", Static).update(Content.styled(text, "dim"))
