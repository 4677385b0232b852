"""After the last question of an exam, the focus goes to the "Hand in" button."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button

from maliquiz.ui.dialogs.confirm import ConfirmDialog
from maliquiz.ui.screens.exam import ExamResultsScreen, ExamScreen

from .test_flows import answer_right


async def test_focus_moves_to_hand_in_after_the_last_question(make: Any) -> None:
    app = make(start="exam", questions=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        button = screen.query_one("#exam-hand-in", Button)
        assert not button.display
        await pilot.press("pagedown")  # the first question left unanswered
        await pilot.pause()
        for question in screen.exam.questions[1:]:
            await answer_right(pilot, question)
        await pilot.pause()
        assert button.display and app.focused is button
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
