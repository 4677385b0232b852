"""The answer widget for each way of answering a question.

Every presentation mode has its widget (:mod:`.answer_text`, :mod:`.answer_lists`,
:mod:`.answer_match`, :mod:`.answer_flashcard`, all built on :mod:`.answer`); the
screens ask :func:`answer_widget` for the one a question needs.
"""

from __future__ import annotations

from collections.abc import Sequence

from maliquiz.core.learning.questions import Mode, Question, Response
from maliquiz.ui.widgets.answer import AnswerWidget
from maliquiz.ui.widgets.answer_flashcard import FlashcardAnswer
from maliquiz.ui.widgets.answer_lists import ChoiceAnswer, OrderAnswer, TrueFalseAnswer
from maliquiz.ui.widgets.answer_match import MatchAnswer
from maliquiz.ui.widgets.answer_text import ClozeAnswer, TypedAnswer

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
    return WIDGETS[question.mode](question, initial, id=id)


def mode_names() -> Sequence[str]:
    """The presentation modes the widgets cover (for tests)."""
    return [str(mode) for mode in WIDGETS]
