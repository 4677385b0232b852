"""The base of the answer widgets: what every way of answering shares.

Each widget shows what the learner answers from and posts :class:`AnswerWidget.Answered`
with a response in the form the core expects (see
:data:`maliquiz.core.learning.questions.Response`). Widgets never grade: they only
collect. Every key they react to is a binding (so the footer and the help screen list
it); the widgets with text boxes bind no printable key, so typing an answer never
triggers anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget

from maliquiz.core.learning.questions import Question, Response
from maliquiz.ui.base import Explained


class AnswerWidget(Explained, Widget):
    """Base of the answer widgets: holds the question and an optional earlier answer
    (an exam shows the answer already given when the learner comes back). ``HELP`` says
    how to answer with it."""

    @dataclass
    class Answered(Message):
        """The learner gave an answer."""

        response: Response

    DEFAULT_CLASSES = "answer"

    def __init__(
        self, question: Question, initial: Response | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.initial = initial
        self.prepare(initial)

    def prepare(self, initial: Response | None) -> None:
        """Set the widget's state from its question and the earlier answer, if any
        (called once, from the constructor)."""

    def focus_answer(self) -> None:
        """Give the keyboard to the part of the widget that takes the answer."""
        self.focus()

    def submit(self, response: Response) -> None:
        """Post the learner's answer."""
        self.post_message(self.Answered(response))
