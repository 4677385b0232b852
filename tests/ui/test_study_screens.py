"""The study screen's keys and feedback and the summary at its end, as a new learner
meets them: what the footer offers after each kind of answer, the flashcard's verdict
line, the summary's counts."""

from __future__ import annotations

from typing import Any

import pytest

from maliquiz.core.learning.questions import Mode
from maliquiz.core.learning.session import Phase
from maliquiz.ui.screens.study import StudyScreen, SummaryScreen
from maliquiz.ui.widgets.feedback import FeedbackPanel
from maliquiz.ui.widgets.keybar import KeyBar

from .conftest import open_study, screen_text


def footer(app: Any) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_override_is_offered_only_for_a_checked_answer(make: Any) -> None:
    app = make()
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await open_study(app, pilot)
        session = screen.session
        await pilot.press("space", "3")  # a flashcard is rated, not checked
        await pilot.pause()
        assert "Undo" in footer(app) and "Override" not in footer(app)
        assert "I was" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert session.question is not None and session.question.mode != Mode.FLASHCARD
        await pilot.press("ctrl+r")  # "I don't know": nothing was answered
        await pilot.pause()
        assert session.phase == Phase.ANSWERED
        assert "Undo" in footer(app) and "Override" not in footer(app)
        assert "I was right" not in screen_text(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not app._notifications  # the key does nothing, and says nothing
        # Undone and answered wrong instead, it can be overridden.
        await pilot.press("ctrl+z")
        await pilot.pause()
        await pilot.press(*"Zorro", "enter")
        await pilot.pause()
        assert "Override" in footer(app)
        assert "Ctrl+O: I was right" in screen_text(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert session.feedback is not None and session.feedback.verdict.right


@pytest.mark.parametrize("keys", [("ctrl+r",), ("space", "ctrl+r")], ids=["front", "back"])
async def test_dont_know_on_a_flashcard_rates_it_again(make: Any, keys: tuple[str, ...]) -> None:
    """Ctrl+R, "don't know" in the help for every card, rates a flashcard Again, front
    or back shown (it did nothing on a flashcard: trial finding)."""
    app = make()
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await open_study(app, pilot)
        await pilot.press(*keys)
        await pilot.pause()
        feedback = screen.session.feedback
        assert screen.session.phase == Phase.ANSWERED and feedback is not None
        assert int(feedback.rating) == 1 and screen.session.answered == 1


async def test_a_rated_flashcard_says_the_rating_not_a_verdict(make: Any) -> None:
    app = make()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("s", "space", "2")  # Hard
        await pilot.pause()
        text = screen_text(app)
        assert "± Your rating: Hard" in text
        assert "Partly correct" not in text


async def test_the_summary_counts_cards_answers_and_skips_apart(make: Any, clock: Any) -> None:
    app = make()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("s", "space", "1", "enter")  # the flashcard forgotten (Again)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await pilot.press("ctrl+r")  # "I don't know" to the next card
        await pilot.pause()
        clock.advance(minutes=10)
        await pilot.press("enter")
        await pilot.pause()
        question = screen.session.question
        assert question is not None and question.mode == Mode.FLASHCARD  # asked again
        await pilot.press("space", "3", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        # Three answers on two cards; the skip under its own label, not under "Wrong".
        assert "2 cards studied (3 answers)" in lines
        assert lines.index("Correct: 1") < lines.index("Wrong: 1") < lines.index("Not answered: 1")


@pytest.mark.parametrize(
    ("lang", "heading", "answer", "wrong"),
    [
        ("en", "✗ Not answered", "Answer: ", "Wrong"),
        ("fr", "✗ Sans réponse", "Réponse : ", "Incorrect"),
    ],
)
async def test_dont_know_says_not_answered_as_the_summary_does(
    make: Any, lang: str, heading: str, answer: str, wrong: str
) -> None:
    # Recorded as not answered, listed so in the summary: the feedback says it too.
    app = make(lang)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("s", "space", "3", "enter")  # past the flashcard
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await pilot.press("ctrl+r")  # "I don't know"
        await pilot.pause()
        lines = [line.strip("│█ ") for line in screen_text(app).splitlines()]  # its borders
        assert heading in lines, "\n".join(lines)
        assert any(line.startswith(answer) for line in lines)  # the answer is still shown
        assert not any(line.startswith("✗ " + wrong) for line in lines)
        assert screen.query_one(FeedbackPanel).has_class("-skipped")
        await pilot.press("escape")
        await pilot.pause()
        # The summary names it the same way.
        assert isinstance(app.screen, SummaryScreen)
        summary = [line.strip() for line in screen_text(app).splitlines()]
        said = heading.removeprefix("✗ ")
        assert f"{said}: 1" in summary or f"{said} : 1" in summary, summary


async def test_a_bury_is_undone_with_ctrl_z(make: Any) -> None:
    """Ctrl+Z after Ctrl+B brings the card back (it did nothing: trial finding)."""
    app = make()
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await open_study(app, pilot)
        first = screen.session.question.card.id
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.session.question.card.id != first
        assert "Undo" in footer(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.session.question.card.id == first
        assert screen.session.undone == "bury"
