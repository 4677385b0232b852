"""The study screen: one question at a time from a :class:`StudySession`, its feedback,
and the end-of-session summary.

The screen shows the session's state and sends it what the learner did; the session
checks, rates, schedules and saves (each answer is committed before the feedback
appears, so quitting at any moment loses nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.display import (
    format_due,
    format_duration,
    format_interval,
    left_line,
    new_left_line,
    outcome_label,
    studied_line,
    undone_line,
)
from maliquiz.core.learning.queue import QueueKind
from maliquiz.core.learning.session import Feedback, Phase, SessionError, StudySession, Summary
from maliquiz.i18n import N_, _, ngettext
from maliquiz.i18n import count as grouped
from maliquiz.ui import keymap
from maliquiz.ui.base import SESSION_CSS, TextPage
from maliquiz.ui.dialogs.confirm import confirm
from maliquiz.ui.messages import OpenStudy
from maliquiz.ui.screens.question import QuestionScreen, mode_hint
from maliquiz.ui.text import line
from maliquiz.ui.widgets.answer import AnswerWidget
from maliquiz.ui.widgets.answer_flashcard import FlashcardAnswer
from maliquiz.ui.widgets.feedback import FeedbackPanel

KIND_LABELS = {
    QueueKind.NEW: N_("new card"),
    QueueKind.LEARNING: N_("learning"),
    QueueKind.REVIEW: N_("review"),
    QueueKind.CRAM: N_("practice ahead"),
}


class StudyScreen(QuestionScreen):
    """Asks the session's questions one by one."""

    HELP = keymap.help_text("study")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("study")
    MORE_HINT = N_("↓ more below (PgDn)")

    def __init__(self, session: StudySession) -> None:
        super().__init__()
        self.session = session

    def status(self) -> ComposeResult:
        yield ProgressBar(id="study-progress", show_eta=False, show_percentage=False)
        yield Static(id="study-counts")

    def below_answer(self) -> ComposeResult:
        yield FeedbackPanel(id="feedback")

    async def on_mount(self) -> None:
        self.query_one(FeedbackPanel).clear()
        if self.session.phase == Phase.FINISHED:
            self.finish()
            return
        await self.show_question()

    # --- showing the session's state ----------------------------------------------

    @property
    def answer(self) -> AnswerWidget | None:
        """The answer widget on screen, if any."""
        found = self.query("#answer-area AnswerWidget")
        return found.first(AnswerWidget) if found else None

    async def show_question(self) -> None:
        """Show the session's current question with the widget that answers it."""
        question = self.session.question
        if question is None:
            self.finish()
            return
        place = line(question.deck.title, "dim") + Content.styled(
            "  · " + self.kind_label(question.kind), "dim"
        )
        widget = await self.ask(question, place)
        self.query_one(FeedbackPanel).clear()
        self.hint(mode_hint(question))
        widget.focus_answer()  # the focus change also refreshes the footer's keys
        self.update_status()

    def kind_label(self, kind: QueueKind) -> str:
        """Why this card is asked: new, learning, review, practice ahead."""
        if self.session.cram:
            return _("practice ahead")
        return _(KIND_LABELS.get(kind, N_("review")))

    async def show_feedback(self, feedback: Feedback) -> None:
        """Show the feedback on the answer just given, in place of the answer widget."""
        await self.query_one("#answer-area", Vertical).remove_children()
        store = self.services.store
        self.query_one(FeedbackPanel).show(feedback, store.clock.now(), store.calendar.tz)
        hint = _("Enter: next card · Ctrl+Z: undo")
        if self.session.overridable:  # not a flashcard's rating nor an "I don't know"
            hint += " · " + (
                _("Ctrl+O: I was wrong") if feedback.verdict.right else _("Ctrl+O: I was right")
            )
        self.hint(hint)
        self.set_focus(None)  # the focus change also refreshes the footer's keys
        self.update_status()

    def update_status(self) -> None:
        """The progress bar and the counts left."""
        counts = self.session.counts()
        done, total = self.session.progress(counts)
        bar = self.query_one("#study-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#study-counts", Static).update(
            Content.assemble(
                (_("New {n}").format(n=grouped(counts.new)), "$text-primary"),
                " · ",
                (_("Learning {n}").format(n=grouped(counts.learning)), "$text-warning"),
                " · ",
                (_("Due {n}").format(n=grouped(counts.review)), "$text-success"),
            )
        )

    def finish(self) -> None:
        """End the session and show its summary."""
        session = self.session
        summary = session.finish()
        self.app.switch_screen(SummaryScreen(session, summary))

    async def after_move(self) -> None:
        """Show whatever the session asks next (or its end)."""
        if self.session.phase == Phase.FINISHED:
            self.finish()
        else:
            await self.show_question()

    # --- what the learner does --------------------------------------------------

    @on(AnswerWidget.Answered)
    async def _answered(self, event: AnswerWidget.Answered) -> None:
        event.stop()
        await self._respond(Phase.ASKING, lambda: self.session.answer(event.response))

    @on(FlashcardAnswer.RevealWanted)
    def _reveal(self, event: FlashcardAnswer.RevealWanted) -> None:
        event.stop()
        if self.session.phase != Phase.ASKING:
            return
        back = self.session.reveal()
        intervals = {n: format_interval(d) for n, d in self.session.preview_intervals().items()}
        widget = self.answer
        if isinstance(widget, FlashcardAnswer):
            widget.show_back(back, intervals)
        self.hint(_("1 Again · 2 Hard · 3 Good · 4 Easy"))

    @on(FlashcardAnswer.Rated)
    async def _rated(self, event: FlashcardAnswer.Rated) -> None:
        event.stop()
        await self._respond(Phase.REVEALED, lambda: self.session.rate(event.value))

    async def _respond(self, phase: Phase, act: Callable[[], Feedback]) -> None:
        """Record the learner's answer or rating with ``act`` if the session is in
        ``phase`` (a key pressed twice is ignored), then show the feedback."""
        if self.session.phase != phase:
            return
        feedback = self.saved(act)
        if feedback is not None:
            await self.show_feedback(feedback)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.session.phase
        if action == "next":
            return phase == Phase.ANSWERED
        if action == "skip":
            # On a flashcard too, front or back: rated Again, as Space then 1 would
            # (the help lists the key for every card; it did nothing on a flashcard).
            return phase in (Phase.ASKING, Phase.REVEALED)
        if action == "undo":
            return self.session.can_undo
        if action == "override":
            # Hidden when the last answer has no verdict to turn around: none yet, a
            # flashcard the learner rated, or an "I don't know" (Ctrl+Z undoes those).
            return self.session.overridable
        if action in ("bury", "suspend"):
            return phase != Phase.FINISHED
        return True

    async def action_next(self) -> None:
        """Go on to the next card."""
        if self.session.phase != Phase.ANSWERED:
            return
        self.session.next()
        await self.after_move()

    async def action_skip(self) -> None:
        """ "I don't know": the answer is shown and the card counts as forgotten."""
        if self.session.phase in (Phase.ASKING, Phase.REVEALED):
            feedback = self.saved(self.session.skip)
            if feedback is not None:
                await self.show_feedback(feedback)

    def saved(self, record: Callable[[], Feedback]) -> Feedback | None:
        """The feedback of an answer ``record`` saves; None when the progress file could
        not take it: the learner is told, and the question stays to be answered again
        (or left: every earlier answer is saved). Damage ends the app (see the app)."""
        from maliquiz.commands._common import store_error_message
        from maliquiz.core.progress.failures import StoreWriteError

        try:
            return record()
        except StoreWriteError as error:
            self.notify(
                _("This answer was NOT saved.") + " " + store_error_message(error),
                title=_("Progress not saved"),
                severity="error",
                timeout=30,
                markup=False,
            )
            return None

    async def action_undo(self) -> None:
        """Take back the last answer, bury or suspension and ask its card again."""
        question = self.session.undo()
        if question is None:
            self.notify(_("Nothing to undo."))
            return
        assert self.session.undone is not None
        self.notify(undone_line(self.session.undone))
        await self.show_question()

    async def action_override(self) -> None:
        """Turn the last verdict around."""
        shown = self.session.question
        try:
            feedback = self.session.override_last()
        except SessionError:
            self.notify(_("Nothing to override."))
            return
        if self.session.phase == Phase.ANSWERED and self.session.feedback is feedback:
            await self.show_feedback(feedback)
        elif self.session.question is not shown:  # the card on screen was rewritten
            self.notify(
                _("Verdict changed: {outcome}").format(
                    outcome=outcome_label(feedback.verdict.outcome)
                )
            )
            await self.after_move()
        else:
            self.notify(
                _("Verdict changed: {outcome}").format(
                    outcome=outcome_label(feedback.verdict.outcome)
                )
            )
            self.update_status()

    async def action_bury(self) -> None:
        """Hide this card until tomorrow."""
        if self.session.phase == Phase.FINISHED:
            return
        self.session.bury()
        self.notify(_("Card buried until tomorrow."))
        await self.after_move()

    def action_suspend(self) -> None:
        """Suspend this card, after confirmation."""
        if self.session.phase == Phase.FINISHED:
            return

        async def suspend() -> None:
            if self.session.phase != Phase.FINISHED:
                self.session.suspend()
                self.notify(_("Card suspended; it will not be asked until you unsuspend it."))
                await self.after_move()

        confirm(
            self,
            _("Suspend this card? It will not be asked again until you unsuspend it."),
            suspend,
        )

    def action_end(self) -> None:
        """End the session now (every answer is already saved)."""
        if self.session.answered == 0:
            self.session.finish()
            self.dismiss()
            return
        self.finish()


class SummaryScreen(TextPage):
    """The end of a session: cards, accuracy, time and what is due next."""

    CSS_PATH = SESSION_CSS
    PAGE_ID = "summary"

    HELP = keymap.help_text("summary")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("summary")

    def __init__(self, session: StudySession, summary: Summary) -> None:
        super().__init__()
        self.session = session
        self.summary = summary

    def content(self) -> Content:
        summary = self.summary
        store = self.services.store
        now = store.clock.now()
        if summary.answered == 0:
            rows = [
                Content.styled(_("Nothing to study now"), "bold"),
                Content(
                    _("No card is due and this session's new cards are done.")
                    if summary.new_left
                    else _("No card is due and no new card is left today.")
                ),
                Content.styled(_("Press C to practise these cards ahead of schedule."), "dim"),
            ]
        else:
            rows = [
                Content.styled(_("Session over"), "bold"),
                Content(studied_line(summary.answered, summary.cards)),
            ]
            if summary.accuracy is not None:
                rows.append(Content(_("Right: {pct}%").format(pct=round(summary.accuracy * 100))))
            rows.append(Content(_("Time: {time}").format(time=format_duration(summary.duration))))
            for outcome in Outcome:  # in this order; "Not answered" apart from "Wrong"
                if n := summary.by_outcome.get(str(outcome), 0):
                    label = outcome_label(outcome)
                    shown = _("  {outcome}: {n}").format(outcome=label, n=grouped(n))
                    rows.append(Content.styled(shown, "dim"))
        if summary.left:
            rows.append(Content(left_line(summary.left)))
        if summary.new_left:
            rows.append(Content(new_left_line(summary.new_left)))
        if not summary.left and not summary.new_left and summary.next_due is not None:
            rows.append(
                Content(
                    _("Next card due {when}.").format(
                        when=format_due(summary.next_due, now, store.calendar.tz)
                    )
                )
            )
        # Today first, then tomorrow, as the line mode says them.
        rows.append(
            Content(
                ngettext(
                    "{n} card due by the end of tomorrow.",
                    "{n} cards due by the end of tomorrow.",
                    summary.due_tomorrow,
                ).format(n=grouped(summary.due_tomorrow))
            )
        )
        rows.append(Content.styled(_("Every answer is saved."), "dim"))
        return Content("\n").join(rows)

    def action_cram(self) -> None:
        """Practise the same decks ahead of schedule."""
        decks = list(self.session.decks.values())
        self.dismiss()
        # Posted without an asker: this screen is gone by the time the app opens it.
        self.app.post_message(OpenStudy(decks, tags=self.session.tags, cram=True))
