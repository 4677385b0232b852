"""The plain line mode: a study session on a text stream, one line in, lines out.

For scripts, ssh sessions and screen readers. It drives the same
:class:`~maliquiz.core.learning.session.StudySession` as the app. Each question is printed with
its options numbered; one line is read as the answer:

* text, number, date: the answer as typed;
* choice: the option's number (several, for several right options: ``1 3``), or its
  text; true/false: ``1``/``2``, ``vrai``/``faux``, ``true``/``false``;
* order: the numbers of the items in the right order (``2 3 1``);
* match: for each left-hand item in turn, the letter of its match (``b a c``);
* cloze: the gaps separated by ``;``;
* flashcard: any line shows the back, then ``1``–``4`` rates it;
* an empty line means "I don't know" and shows the answer.

Commands at any prompt: ``:u`` undo the last answer, ``:o`` override the last verdict
("I was right" / "I was wrong"), ``:b`` bury the card until tomorrow, ``:s`` suspend it,
``:h`` help, ``:q`` (or end of input) end the session with a summary.
"""

from __future__ import annotations

from typing import TextIO

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.display import (
    OUTCOME_MARKS,
    feedback_outcome,
    format_due,
    format_duration,
    format_interval,
    left_line,
    new_left_line,
    outcome_label,
    part_lines,
    rating_label,
    source_line,
    studied_line,
    undone_line,
    verdict_label,
)
from maliquiz.core.learning.questions import Mode, Question
from maliquiz.core.learning.session import Feedback, Phase, StudySession, Summary
from maliquiz.core.progress.failures import StoreError
from maliquiz.i18n import N_, _, count, ngettext
from maliquiz.plain.console import BadAnswer, LineConsole, parse_response, show_options


class PlainStudy(LineConsole):
    """Runs a session over a text input and output."""

    def __init__(self, session: StudySession, stdin: TextIO, stdout: TextIO) -> None:
        super().__init__(stdin, stdout)
        self.session = session

    def run(self) -> Summary:
        """Ask every question of the session, then print the summary."""
        session = self.session
        empty = session.phase == Phase.FINISHED
        while session.phase != Phase.FINISHED:
            question = session.question
            assert question is not None
            self.show_question(question)
            if not self.answer_question(question):
                break
        summary = session.finish()
        if empty and summary.new_left:
            self.say(
                _("Nothing to study now: no card is due and this session's new cards are done.")
            )
        elif empty:
            self.say(_("Nothing to study now: no card is due and no new card is left today."))
        self.show_summary(summary)
        return summary

    # --- one question ---------------------------------------------------------------

    def answer_question(self, question: Question) -> bool:
        """Read lines until the question is answered or left; False to end the session."""
        session = self.session
        while True:
            command = self.read_entry()
            if isinstance(command, bool):
                return command  # the session ended (False) or the question changed (True)
            line = command
            try:
                if question.mode == Mode.FLASHCARD:
                    rated = self.flashcard()
                    if not isinstance(rated, Feedback):
                        return rated  # the session ended (False) or moved on (True)
                    feedback = rated
                elif not command:
                    feedback = session.skip()
                else:
                    feedback = session.answer(parse_response(question, line))
            except BadAnswer as exc:
                self.say(f"  {exc}")
                continue
            except StoreError:
                # The command says why once the store is closed; here, which answer.
                self.say("✗ " + _(UNSAVED))
                raise
            self.show_feedback(feedback)
            session.next()
            return True

    def flashcard(self) -> Feedback | bool:
        """Show a flashcard's back and read its rating. The ``:`` commands work at the
        rating prompt too: False when one ends the session, True when one changed the
        question (undo, bury, suspend)."""
        session = self.session
        self.show_back(session.reveal())
        while True:
            entry = self.read_entry(_("rate 1-4> "))
            if isinstance(entry, bool):
                return entry
            if entry in ("1", "2", "3", "4"):
                return session.rate(int(entry))
            self.say("  " + _("type 1, 2, 3 or 4"))

    def show_back(self, back: str) -> None:
        """A flashcard's back and its ratings, each with the interval it would give."""
        self.say("  " + back)
        intervals = self.session.preview_intervals()
        self.say(
            "  "
            + "   ".join(
                f"{n}) {rating_label(n)} ({format_interval(intervals[n])})" for n in range(1, 5)
            )
        )

    def read_entry(self, prompt: str = "> ") -> str | bool:
        """The next line, stripped. A ``:`` command is run instead of returned (and the
        next line read when the same question is still asked): False when it ended the
        session or input ran out, True when it changed the question (undo, bury,
        suspend)."""
        while True:
            line = self.read(prompt)
            if line is None:
                return False
            entry = line.strip()
            if not entry.startswith(":") or len(entry) < 2:
                return entry
            handled = self.command(entry[1:].strip())
            if handled is None:
                return False
            if handled:
                return True

    def command(self, name: str) -> bool | None:
        """Run a `:` command. True when the current question changed, False to stay on
        it, None to end the session."""
        session = self.session
        if name in ("q", "quit"):
            return None
        if name in ("h", "?", "help"):
            self.say(_(HELP))
            return False
        if name in ("u", "undo"):
            question = session.undo()
            if question is None:
                self.say("  " + _("Nothing to undo."))
                return False
            assert session.undone is not None
            self.say("  " + undone_line(session.undone))
            return True
        if name in ("o", "override"):
            if not session.overridable:
                # No answer yet, or one without a verdict to turn around: say what to do.
                if not session.answered:
                    said = _("Nothing to override.")
                elif session.set_aside_last:
                    said = _(SET_ASIDE_SINCE)
                else:
                    said = _(NO_OVERRIDE)
                self.say("  " + said.replace("\n", "\n  "))
                return False
            shown = session.question
            feedback = session.override_last()
            self.say("  " + _("Verdict changed:"))
            self.show_feedback(feedback)
            if session.question is not shown:
                return True  # the card on screen was the one rewritten: the next one
            self.remind()  # the feedback was another card's: the question again
            return False
        if name in ("b", "bury"):
            session.bury()
            self.say("  " + _("Card buried until tomorrow."))
            return True
        if name in ("s", "suspend"):
            session.suspend()
            self.say("  " + _("Card suspended; it will not be asked until you unsuspend it."))
            return True
        self.say("  " + _("Unknown command `:{name}`; type :h for help.").format(name=name))
        return False

    # --- output -----------------------------------------------------------------------

    def show_question(self, question: Question, *, options: bool = True) -> None:
        """The question, numbered, with its options (or without, ``options=False``)."""
        counts = self.session.counts()
        done, total = self.session.progress(counts)
        self.say()
        decks = len(self.session.decks)
        # The counts are the whole session's: beside them, name what they count.
        studied = (
            ngettext("{n} deck", "{n} decks", decks).format(n=count(decks))
            if decks > 1
            else question.deck.title
        )
        self.say(
            f"[{count(done + 1)}/{count(total)}] {studied} · "
            + _("new {new} · learn {learn} · due {due}").format(
                new=count(counts.new), learn=count(counts.learning), due=count(counts.review)
            )
        )
        self.say(question.prompt)
        if options:
            show_options(self.say, question)

    def remind(self) -> None:
        """The current question again (and a flashcard's back once shown), after lines
        about another card."""
        question = self.session.question
        if question is None:
            return
        back = question.back if self.session.phase == Phase.REVEALED else None
        self.show_question(question, options=back is None)  # not "press Enter to see" it
        if back is not None:
            self.show_back(back)

    def show_feedback(self, feedback: Feedback) -> None:
        """Verdict, expected answer, explanation, source and next review."""
        verdict = feedback.verdict
        outcome = feedback_outcome(feedback)  # "Not answered" after "I don't know"
        mark = OUTCOME_MARKS.get(outcome, "")
        line = f"{mark} {verdict_label(outcome, feedback.question.mode, feedback.rating)}"
        if verdict.detail:
            line += f" ({verdict.detail})"
        self.say(line)
        if verdict.read_as:
            # A right answer shows neither "your answer" nor "answer": say how it was read.
            self.say("  " + verdict.read_as)
        if verdict.parts and not verdict.right:
            for _right, text in part_lines(verdict):
                self.say("  " + text)
        elif verdict.given and outcome != Outcome.CORRECT:
            self.say("  " + _("Your answer: {answer}").format(answer=verdict.given))
        if outcome != Outcome.CORRECT or feedback.question.mode != Mode.TYPED:
            self.say("  " + _("Answer: {answer}").format(answer=verdict.expected))
        if feedback.explanation:
            self.say("  " + feedback.explanation)
        sources = feedback.question.sources
        source = source_line(sources)
        if source:
            label = ngettext("Source: {source}", "Sources: {source}", len(sources))
            self.say("  " + label.format(source=source))
        now = self.session.store.clock.now()
        if feedback.due is not None:
            self.say("  " + _("Next review: {when}").format(when=format_due(feedback.due, now)))
        else:
            self.say("  " + _("Practice ahead: the schedule is unchanged."))
        if feedback.became_leech:
            self.say("  " + _("This card keeps slipping away: it is now flagged as a leech."))

    def show_summary(self, summary: Summary) -> None:
        """The end-of-session report."""
        self.say()
        self.say(
            studied_line(summary.answered, summary.cards)
            + (
                _(", {pct}% right").format(pct=round(100 * summary.accuracy))
                if summary.accuracy is not None
                else ""
            )
            + _(" in {time}.").format(time=format_duration(summary.duration))
        )
        # The answers by outcome, in the verdicts' order, as the app's summary lists them.
        shown = [
            f"{outcome_label(outcome)} {count(n)}"
            for outcome in Outcome
            if (n := summary.by_outcome.get(str(outcome), 0))
        ]
        if shown:
            self.say("  " + " · ".join(shown))
        now = self.session.store.clock.now()
        if summary.left:
            self.say(left_line(summary.left))
        if summary.new_left:
            self.say(new_left_line(summary.new_left))
        if not summary.left and not summary.new_left and summary.next_due is not None:
            self.say(_("Next card due {when}.").format(when=format_due(summary.next_due, now)))
        self.say(
            ngettext(
                "{n} card due by the end of tomorrow.",
                "{n} cards due by the end of tomorrow.",
                summary.due_tomorrow,
            ).format(n=count(summary.due_tomorrow))
        )


UNSAVED = N_(
    "This answer was NOT saved: the progress file could not take it (why is said below). "
    "Every answer before it is saved. The session ends here."
)

SET_ASIDE_SINCE = N_(
    "Nothing to override now: a card was buried or suspended since the last answer.\n"
    "Type :u to take that back first."
)

NO_OVERRIDE = N_(
    "Nothing to override: the last answer was \"I don't know\" or a flashcard's rating.\n"
    "Type :u to undo it and answer again."
)

HELP = N_("""\
Answer by typing; for options, type their numbers. An empty line means "I don't know".
  :u  undo the last answer        :o  override the last verdict
  :b  bury this card until tomorrow   :s  suspend this card
  :h  this help                   :q  end the session (answers are saved)""")
