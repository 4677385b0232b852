"""Exams: choosing what to be examined on, answering with no feedback (and going back
to change an answer), and the results once handed in.

The :class:`~maliquiz.core.learning.exam.ExamSession` keeps the answers and grades them; these
screens only show it and pass the learner's answers on.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Button, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from maliquiz.core.learning.display import card_type_label, format_duration, source_line
from maliquiz.core.learning.exam import ExamResult, ExamSession, Score
from maliquiz.core.learning.session import SessionError
from maliquiz.i18n import N_, _, decimal, ngettext
from maliquiz.i18n import count as grouped
from maliquiz.ui import keymap
from maliquiz.ui.base import SESSION_CSS, Page, TextPage
from maliquiz.ui.dialogs.confirm import confirm
from maliquiz.ui.messages import OpenExam
from maliquiz.ui.screens.question import QuestionScreen, mode_hint
from maliquiz.ui.services import new_exam
from maliquiz.ui.text import line, pad, plain
from maliquiz.ui.widgets.answer import AnswerWidget
from maliquiz.ui.widgets.feedback import outcome_heading


def score_bar(score: Score, width: int = 20) -> Content:
    """A bar of ``width`` cells filled to the score's share, then the points."""
    filled = round(score.ratio * width)
    style = (
        "$text-success"
        if score.ratio >= 0.8
        else "$text-warning"
        if score.ratio >= 0.5
        else "$text-error"
    )
    return Content.assemble(
        ("█" * filled, style),
        ("░" * (width - filled), "dim"),
        f" {decimal(score.points, None)}/{score.out_of}",
    )


class ExamSetupScreen(Page):
    """Which decks and tags, how many questions, how much time."""

    CSS_PATH = SESSION_CSS

    HELP = keymap.help_text("setup")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("setup")

    def __init__(self, preselected: list[str]) -> None:
        super().__init__()
        self.preselected = preselected

    def body(self) -> ComposeResult:
        decks = self.services.library.outlines
        with VerticalScroll(id="exam-setup"):
            yield Static(_("Decks (Space ticks)"), classes="field-label")
            yield SelectionList[str](
                *[
                    Selection(line(deck.title), deck.id, deck.id in self.preselected)
                    for deck in decks
                ],
                id="setup-decks",
            )
            yield Static(self._ticked_line(), id="setup-chosen", classes="hint")
            yield Static(_("Tags (optional, separated by commas)"), classes="field-label")
            yield Input(id="setup-tags", placeholder=", ".join(self.services.library.tags()[:4]))
            with Horizontal(classes="setup-row"):
                with Vertical():
                    yield Label(_("Questions"), classes="field-label")
                    yield Input("20", id="setup-count", type="integer")
                with Vertical():
                    yield Label(_("Time limit (minutes)"), classes="field-label")
                    yield Input(id="setup-time", type="integer", placeholder=_("none"))
            yield Static("", id="setup-problem", classes="problem")
            yield Static(_("Ctrl+S: start · Esc: back"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#setup-decks", SelectionList).focus()

    def _ticked_line(self) -> str:
        """Which decks are ticked, in words: a tick is told by its colour alone, which
        not every terminal shows."""
        outlines = self.services.library.outlines
        try:
            chosen = set(self.query_one("#setup-decks", SelectionList).selected)
        except NoMatches:  # while composing: the preselection
            chosen = set(self.preselected)
        titles = [o.title for o in outlines if o.id in chosen]
        if not titles:
            return _("No deck ticked.")
        if len(titles) == len(outlines):
            return _("Ticked: every deck ({n}).").format(n=len(titles))
        return ngettext(
            "Ticked: {n} deck of {total}: {titles}",
            "Ticked: {n} decks of {total}: {titles}",
            len(titles),
        ).format(n=len(titles), total=len(outlines), titles=", ".join(titles))

    @on(SelectionList.SelectedChanged)
    def _ticks_changed(self) -> None:
        self.query_one("#setup-chosen", Static).update(self._ticked_line())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def action_start(self) -> None:
        """Start the exam with the choices made."""
        app = self.services
        problem = self.query_one("#setup-problem", Static)
        chosen = set(self.query_one("#setup-decks", SelectionList).selected)
        decks = [deck for deck in app.library.decks if deck.id in chosen]
        if not decks:
            problem.update(_("Tick at least one deck."))
            return
        tags = [t.strip() for t in self.query_one("#setup-tags", Input).value.split(",")]
        tags = [t for t in tags if t]
        try:
            count = int(self.query_one("#setup-count", Input).value or "20")
            minutes_text = self.query_one("#setup-time", Input).value.strip()
            minutes = int(minutes_text) if minutes_text else None
        except ValueError:
            problem.update(_("Give whole numbers."))
            return
        if count < 1 or (minutes is not None and minutes < 1):
            problem.update(_("The number of questions and the time must be at least 1."))
            return
        time_limit = timedelta(minutes=minutes) if minutes else None
        # Built here rather than posted to the app, so that a choice that leaves no
        # question keeps this screen open with the problem shown.
        exam = new_exam(app, OpenExam(decks, tags=tags, count=count, time_limit=time_limit))
        if not exam.questions:
            problem.update(_("No card of these decks and tags can be graded in an exam."))
            return
        self.app.switch_screen(ExamScreen(exam))


class ExamScreen(QuestionScreen):
    """The exam's questions, one at a time, with no verdict until handed in."""

    HELP = keymap.help_text("exam")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("exam")
    MORE_HINT = N_("↓ more below (Ctrl+Down)")

    def __init__(self, exam: ExamSession) -> None:
        super().__init__()
        self.exam = exam
        self.timer: Timer | None = None

    def status(self) -> ComposeResult:
        yield Static(id="exam-answered")
        yield Static(id="exam-clock")

    def below_answer(self) -> ComposeResult:
        # Shown, and focused, once the last question is answered.
        button = Button(_("Hand in"), id="exam-hand-in", variant="primary")
        button.display = False
        yield button

    @on(Button.Pressed, "#exam-hand-in")
    def _hand_in_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_hand_in()

    async def on_mount(self) -> None:
        if self.exam.deadline is not None:
            self.timer = self.set_interval(1.0, self.tick)
        await self.show_question()

    async def show_question(self) -> None:
        """Show the current question, with the answer already given if any."""
        exam = self.exam
        question = exam.question
        place = (
            Content.styled(
                _("Question {n} of {total}").format(n=exam.index + 1, total=len(exam.questions)),
                "bold",
            )
            + Content("  ")
            + line(question.deck.title, "dim")
        )
        widget = await self.ask(question, place, exam.responses[exam.index])
        self.query_one("#exam-hand-in", Button).display = False
        widget.focus_answer()
        self.hint(mode_hint(question) + "\n" + _("PgUp/PgDn: other questions · Ctrl+S: hand in"))
        self.update_status()

    def update_status(self) -> None:
        """How many questions are answered, and the time left."""
        exam = self.exam
        self.query_one("#exam-answered", Static).update(
            _("Answered: {n} of {total}").format(n=exam.answered_count, total=len(exam.questions))
        )
        left = exam.time_left()
        clock = self.query_one("#exam-clock", Static)
        if left is None:
            clock.update("")
        else:
            minutes, seconds = divmod(int(left.total_seconds()), 60)
            style = "bold $text-error" if left < timedelta(minutes=1) else "bold"
            clock.update(
                Content.styled(_("Time left: {m}:{s:02d}").format(m=minutes, s=seconds), style)
            )

    def tick(self) -> None:
        """Once a second: the clock, and handing in when the time is up."""
        self.update_status()
        if self.exam.expired and self.exam.result is None:
            self.notify(_("Time is up: the exam was handed in as it stood."))
            self.hand_in()

    def hand_in(self) -> None:
        """Grade the exam, save it to the history, show the results."""
        if self.timer is not None:
            self.timer.stop()
        app = self.services
        result = self.exam.hand_in()
        result.save(app.store, app.user)
        if app.request.apply:  # `maliquiz exam --apply`
            result.apply_to_schedule(app.store, app.user)
        self.app.switch_screen(ExamResultsScreen(result))

    @on(AnswerWidget.Answered)
    async def _answered(self, event: AnswerWidget.Answered) -> None:
        event.stop()
        try:
            self.exam.answer(event.response)
        except SessionError:
            self.tick()
            return
        if self.exam.index + 1 < len(self.exam.questions):
            self.exam.next()
            await self.show_question()
        else:
            self.update_status()
            unanswered = len(self.exam.questions) - self.exam.answered_count
            if unanswered == 0:
                self.action_hand_in()
            else:
                self.notify(_("That was the last question. Ctrl+S hands the exam in."))
            button = self.query_one("#exam-hand-in", Button)
            button.display = True
            button.focus()

    async def action_move(self, step: int) -> None:
        """Go to the previous or next question."""
        if step < 0:
            self.exam.previous()
        else:
            self.exam.next()
        await self.show_question()

    def action_hand_in(self) -> None:
        """Hand in, after confirmation."""
        unanswered = len(self.exam.questions) - self.exam.answered_count
        question = _("Hand in the exam?")
        if unanswered:
            question += " " + ngettext(
                "{n} question has no answer and will count as wrong.",
                "{n} questions have no answer and will count as wrong.",
                unanswered,
            ).format(n=unanswered)

        def hand_in() -> None:
            if self.exam.result is None:
                self.hand_in()

        confirm(self, question, hand_in)

    def action_leave(self) -> None:
        """Leave without handing in, after confirmation."""

        def leave() -> None:
            if self.timer is not None:
                self.timer.stop()
            self.dismiss()

        confirm(self, _("Leave the exam? It will not be handed in or saved."), leave)


class ExamResultsScreen(TextPage):
    """The score, by tag and by card type, and each mistake with its right answer."""

    CSS_PATH = SESSION_CSS
    PAGE_ID = "results"

    HELP = keymap.help_text("results")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("results")

    def __init__(self, result: ExamResult) -> None:
        super().__init__()
        self.result = result

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mistakes":
            return bool(self.result.mistakes)
        if action == "apply":
            return not self.result.applied
        return True

    def content(self) -> Content:
        result = self.result
        score = result.score
        rows: list[Content] = [
            Content.styled(
                _("Score: {points} / {out_of} ({pct} %)").format(
                    points=decimal(score.points, None),
                    out_of=score.out_of,
                    pct=score.percent,
                ),
                "bold",
            ),
            Content(_("Time: {time}").format(time=format_duration(result.duration))),
        ]
        if result.timed_out:
            rows.append(Content.styled(_("The time ran out."), "$text-warning"))
        rows.append(Content.styled(_("By tag"), "bold $text-accent"))
        tags = result.by_tag()
        width = min(24, max((cell_len(t) for t in tags), default=0))
        for tag, part in tags.items():
            rows.append(line(set_cell_size(tag, width) + "  ") + score_bar(part))
        if not tags:
            rows.append(Content.styled(_("(no tags)"), "dim"))
        rows.append(Content.styled(_("By card type"), "bold $text-accent"))
        types = {card_type_label(kind): part for kind, part in result.by_type().items()}
        width = max((cell_len(t) for t in types), default=0)
        for kind, part in types.items():
            rows.append(Content(pad(kind, width) + "  ") + score_bar(part))
        mistakes = result.mistakes
        rows.append(
            Content.styled(
                ngettext("{n} mistake", "{n} mistakes", len(mistakes)).format(n=len(mistakes)),
                "bold $text-accent",
            )
        )
        for item in mistakes:
            verdict = item.verdict
            rows.append(
                Content.styled(f"{item.question.number}. ", "bold")
                + plain(item.question.prompt.replace("\n", " "))
            )
            rows.append(
                Content("   ")
                + outcome_heading(verdict.outcome)
                + Content.styled("  " + _("you: "), "dim")
                + plain(verdict.given or _("(blank)"))
            )
            rows.append(
                Content("   ")
                + Content.styled(_("answer: "), "dim")
                + plain(verdict.expected, "bold $text-success")
            )
            source = source_line(item.question.sources)
            if source:
                rows.append(Content("   ") + plain(source, "italic dim"))
        rows.append(Content.styled(_("The result is saved in your exam history."), "dim"))
        return Content("\n").join(rows)

    def action_mistakes(self) -> None:
        """Study the mistakes (practice ahead: the schedule is left alone)."""
        from maliquiz.ui.screens.study import StudyScreen

        if not self.result.mistakes:
            return
        app = self.services
        session = self.result.study_mistakes(app.store, app.user)
        self.app.switch_screen(StudyScreen(session))

    def action_apply(self) -> None:
        """Count the exam's answers as reviews, after confirmation."""

        def apply() -> None:
            app = self.services
            count = self.result.apply_to_schedule(app.store, app.user)
            self.notify(
                ngettext(
                    "{n} answer counted as a review in your schedule.",
                    "{n} answers counted as reviews in your schedule.",
                    count,
                ).format(n=grouped(count))
            )
            self.refresh_bindings()

        confirm(self, _("Count this exam's answers as reviews in your schedule?"), apply)
