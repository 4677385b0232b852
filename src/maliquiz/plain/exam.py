"""The exam in the plain line mode.

Questions are asked in turn, with no verdict. Then the learner sees the list of their
answers and may change any (type its number) before handing in (an empty line). After
the time limit, the exam is handed in as it stands. The result shows the score, the
breakdown by tag and by card type, and each mistake with its answer and source.
"""

from __future__ import annotations

from typing import TextIO

from maliquiz.core.learning.display import (
    card_type_label,
    format_duration,
    format_interval,
    outcome_label,
    part_lines,
    source_line,
)
from maliquiz.core.learning.exam import ExamResult, ExamSession
from maliquiz.core.learning.questions import Mode, response_text
from maliquiz.core.learning.session import SessionError
from maliquiz.core.progress.store import Store
from maliquiz.i18n import _, decimal, ngettext
from maliquiz.i18n import count as grouped
from maliquiz.plain.console import BadAnswer, LineConsole, parse_response, show_options


class PlainExam(LineConsole):
    """Runs an :class:`ExamSession` over a text input and output."""

    def __init__(
        self,
        exam: ExamSession,
        store: Store,
        user: str,
        stdin: TextIO,
        stdout: TextIO,
        *,
        apply: bool = False,
    ) -> None:
        super().__init__(stdin, stdout)
        self.exam = exam
        self.store = store
        self.user = user
        self.apply = apply

    def run(self) -> ExamResult:
        """Ask, review, hand in, report."""
        exam = self.exam
        limit = exam.time_left()
        self.say(
            ngettext("Exam: {n} question.", "Exam: {n} questions.", len(exam.questions)).format(
                n=len(exam.questions)
            )
            + (
                " " + _("Time limit: {t}.").format(t=format_interval(limit))
                if limit is not None
                else ""
            )
        )
        self.say(_("No verdict until you hand in. An empty line leaves a question blank."))
        for index in range(len(exam.questions)):
            if exam.expired or not self.ask(index):
                break
        else:
            self.review()
        result = exam.hand_in()
        if result.timed_out:
            self.say(_("Time is up: the exam was handed in as it stood."))
        self.report(result)
        return result

    def ask(self, index: int) -> bool:
        """Ask question ``index``; False when the input ended."""
        question = self.exam.goto(index)
        self.say()
        self.say(f"[{index + 1}/{len(self.exam.questions)}] " + question.prompt)
        show_options(self.say, question)
        while True:
            line = self.read()
            if line is None:
                return False
            if not line.strip():
                return True
            try:
                self.exam.answer(parse_response(question, line))
            except BadAnswer as exc:
                self.say(f"  {exc}")
                continue
            except SessionError:
                return False  # time is up
            return True

    def review(self) -> None:
        """List the answers; a number changes one, an empty line hands in."""
        while not self.exam.expired:
            self.say()
            self.say(_("Your answers:"))
            for n, (question, response) in enumerate(
                zip(self.exam.questions, self.exam.responses, strict=True), start=1
            ):
                shown = response_text(response) if response is not None else _("(blank)")
                self.say(f"  {n}. {_short(question.prompt)} → {shown}")
            line = self.read(_("number to change, or Enter to hand in> "))
            if line is None or not line.strip():
                return
            if line.strip().isdigit() and 1 <= int(line) <= len(self.exam.questions):
                if not self.ask(int(line) - 1):
                    return
            else:
                self.say("  " + _("type a question number, or press Enter"))

    def report(self, result: ExamResult) -> None:
        """Score, breakdown, mistakes; save to the history; offer to apply."""
        score = result.score
        self.say()
        self.say(
            _("Score: {points} / {out_of} ({pct}%) in {time}.").format(
                points=decimal(score.points, None),
                out_of=score.out_of,
                pct=score.percent,
                time=format_duration(result.duration),
            )
        )
        tags = result.by_tag()
        if tags:  # no heading over nothing: a deck may have no tags at all
            self.say(_("By tag:"))
        for tag, part in tags.items():
            self.say(f"  {tag:<24} {decimal(part.points, None)}/{part.out_of}")
        self.say(_("By card type:"))
        for kind, part in result.by_type().items():
            self.say(f"  {card_type_label(kind):<24} {decimal(part.points, None)}/{part.out_of}")
        if result.mistakes:
            self.say()
            self.say(_("Mistakes:"))
        for item in result.mistakes:
            verdict = item.verdict
            self.say(f"- {item.question.prompt}")
            detail = verdict.detail if item.response is not None else _("left blank")
            self.say("  " + outcome_label(verdict.outcome) + (f" ({detail})" if detail else ""))
            if item.response is not None and item.question.mode != Mode.FLASHCARD:
                self.say(
                    "  " + _("Your answer: {answer}").format(answer=response_text(item.response))
                )
            self.say("  " + _("Answer: {answer}").format(answer=verdict.expected))
            for _right, text in part_lines(verdict):
                self.say("    " + text)
            sources = item.question.sources
            source = source_line(sources)
            if source:
                label = ngettext("Source: {source}", "Sources: {source}", len(sources))
                self.say("  " + label.format(source=source))
        result.save(self.store, self.user)
        self.say(_("The result is saved in your exam history."))
        if self.apply:
            applied = result.apply_to_schedule(self.store, self.user)
            self.say(
                ngettext(
                    "{n} answer counted as a review in your schedule.",
                    "{n} answers counted as reviews in your schedule.",
                    applied,
                ).format(n=grouped(applied))
            )


def _short(text: str, width: int = 60) -> str:
    """``text`` on one line, cut to ``width`` terminal cells (a CJK character takes two)."""
    from rich.cells import cell_len, set_cell_size

    flat = " ".join(text.split())
    return flat if cell_len(flat) <= width else set_cell_size(flat, width - 1) + "…"
