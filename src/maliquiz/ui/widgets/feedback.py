"""What the learner sees after answering: the verdict in colour, the typed answer
against the expected one with the differences marked, the explanation, the source and
when the card comes back."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.content import Content
from textual.widgets import Static

from maliquiz.core.answers.verdict import DiffOp, Outcome, PartKind, Verdict
from maliquiz.core.learning.display import (
    OUTCOME_MARKS,
    feedback_outcome,
    format_due,
    outcome_label,
    part_lines,
    source_line,
    verdict_label,
)
from maliquiz.core.learning.questions import Mode
from maliquiz.core.learning.session import Feedback
from maliquiz.i18n import _, ngettext
from maliquiz.ui.text import plain

OUTCOME_STYLES = {
    Outcome.CORRECT: "bold $text-success",
    Outcome.TYPO: "bold $text-success",
    Outcome.PARTIAL: "bold $text-warning",
    Outcome.WRONG: "bold $text-error",
    Outcome.SKIPPED: "bold $text-error",
}


def outcome_heading(
    outcome: Outcome | str, *, overridden: bool = False, label: str | None = None
) -> Content:
    """ "✓ Correct" in the outcome's colour (``label`` in place of the outcome's name)."""
    outcome = Outcome(outcome)
    text = f"{OUTCOME_MARKS.get(outcome, '')} {label or outcome_label(outcome)}".strip()
    heading = Content.styled(text, OUTCOME_STYLES.get(outcome, "bold"))
    if overridden:
        heading += Content.styled("  " + _("(changed by you)"), "dim")
    return heading


def diff_lines(verdict: Verdict) -> tuple[Content, Content]:
    """The typed answer and the expected one, each with its differences marked: what
    was typed wrong in red on the first line, what is right in green on the second."""
    typed = Content()
    expected = Content()
    for part in verdict.diff:
        if part.op == DiffOp.SAME:
            typed += plain(part.typed)
            expected += plain(part.expected)
        elif part.op == DiffOp.WRONG:
            typed += plain(part.typed, "bold $text-error underline")
            expected += plain(part.expected, "bold $text-success underline")
        else:
            typed += Content.styled("‸", "bold $text-warning")
            expected += plain(part.expected, "bold $text-success underline")
    return typed, expected


def feedback_content(feedback: Feedback, now: datetime, tz: tzinfo | None = None) -> Content:
    """Every line of the feedback on one answer."""
    verdict = feedback.verdict
    question = feedback.question
    outcome = feedback_outcome(feedback)  # "Not answered" after "I don't know"
    label = verdict_label(outcome, question.mode, feedback.rating)
    rows = [outcome_heading(outcome, overridden=feedback.overridden, label=label)]
    if question.mode == Mode.FLASHCARD:
        rows.append(Content(_("Answer: ")) + plain(verdict.expected, "bold"))
    elif verdict.diff and verdict.given:
        typed, expected = diff_lines(verdict)
        rows.append(Content.styled(_("You typed: "), "dim") + typed)
        rows.append(Content.styled(_("Expected:  "), "dim") + expected)
    elif verdict.parts and not verdict.right:
        # Each pair, item or gap marked; a cloze's whole sentence after them.
        for right, text in part_lines(verdict):
            rows.append(plain(text, "$text-success" if right else "bold $text-error"))
        if verdict.parts[0].kind == PartKind.GAP:
            rows.append(Content.styled(_("Answer: "), "dim") + plain(verdict.expected, "bold"))
    else:
        if verdict.given:
            rows.append(Content.styled(_("Your answer: "), "dim") + plain(verdict.given))
        if not verdict.right or verdict.given != verdict.expected:
            rows.append(Content.styled(_("Answer: "), "dim") + plain(verdict.expected, "bold"))
    if verdict.detail:
        rows.append(Content.styled(verdict.detail, "italic"))
    if verdict.read_as:
        rows.append(Content.styled(verdict.read_as, "italic"))
    if feedback.explanation:
        rows.append(plain(feedback.explanation))
    source = source_line(question.sources)
    if source:
        label = ngettext("Source: ", "Sources: ", len(question.sources))
        rows.append(Content.styled(label, "dim") + plain(source, "italic"))
    if feedback.due is not None:
        rows.append(
            Content.styled(_("Comes back: "), "dim")
            + Content.styled(format_due(feedback.due, now, tz), "bold")
        )
    elif not feedback.scheduled:
        rows.append(Content.styled(_("Practice ahead: the schedule is unchanged."), "dim"))
    if feedback.became_leech:
        rows.append(
            Content.styled(
                _("This card keeps slipping away: it is now flagged as a leech."),
                "bold $text-warning",
            )
        )
    return Content("\n").join(rows)


class FeedbackPanel(Static):
    """The feedback on the last answer (empty while a question is asked)."""

    def show(self, feedback: Feedback, now: datetime, tz: tzinfo | None = None) -> None:
        """Show ``feedback``, coloured by its outcome."""
        self.update(feedback_content(feedback, now, tz))
        for outcome in Outcome:
            self.remove_class(f"-{outcome}")
        self.add_class(f"-{feedback_outcome(feedback)}")
        self.display = True

    def clear(self) -> None:
        """Hide the panel."""
        self.update("")
        self.display = False
