"""An exam's multi-answer choice question: checkboxes, ticked with numbers or Space,
scored on what was ticked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maliquiz.core.deck.loader import load_deck
from maliquiz.ui.dialogs.confirm import ConfirmDialog
from maliquiz.ui.screens.exam import ExamResultsScreen, ExamScreen, ExamSetupScreen

from .conftest import screen_text

DECK = """\
id: plusieurs
title: Plusieurs réponses
sources:
  - {id: art, title: Un article, date: 2022-02}
cards:
  - id: groupes
    type: choice
    prompt: Quels groupes sont cités ? (deux réponses)
    options: [Al-Qaïda, l'État islamique, le Hezbollah, les Talibans]
    answer: [Al-Qaïda, l'État islamique]
    source: {ref: art, paragraph: 1}
  - id: pays
    type: choice
    prompt: Quels pays ont retiré leurs soldats ? (deux réponses)
    options: [France, Canada, Brésil, Japon]
    answer: [France, Canada]
    source: {ref: art, paragraph: 2}
"""


async def test_multi_answer_questions_have_checkboxes_and_count_the_ticks(
    make: Any, tmp_path: Path
) -> None:
    path = tmp_path / "plusieurs.yaml"
    path.write_text(DECK, encoding="utf-8")
    app = make(start="exam", decks=[load_deck(path)], questions=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        exam = screen.exam
        first = exam.question
        assert first.multiple
        text = screen_text(app)
        assert text.count("[ ]") == 4 and "[x]" not in text
        assert "Several answers are right" in text
        assert "Numbers or Space tick an option" in text
        assert "Press the number of the answer" not in text
        for option in first.correct_options:
            await pilot.press(str(first.options.index(option) + 1))
        await pilot.pause()
        assert screen_text(app).count("[x]") == 2
        await pilot.press("enter")
        await pilot.pause()
        assert exam.index == 1
        second = exam.question
        # Tick one right option and one wrong one, untick the wrong one with Space.
        right = second.options.index(second.correct_options[0])
        wrong = next(i for i, o in enumerate(second.options) if o not in second.correct_options)
        await pilot.press(str(right + 1), str(wrong + 1))
        await pilot.pause()
        assert screen_text(app).count("[x]") == 2
        await pilot.press(str(wrong + 1))
        await pilot.pause()
        assert screen_text(app).count("[x]") == 1
        await pilot.press("enter")
        await pilot.pause()
        if isinstance(app.screen, ConfirmDialog):
            await pilot.press("y")
        else:
            await pilot.press("enter")  # the Hand in button has the focus
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        result = app.screen.result
    by_card = {item.question.card.id: item for item in result.items}
    assert by_card[first.card.id].right
    assert not by_card[second.card.id].right  # one of two right options ticked
    assert by_card[second.card.id].response == (second.correct_options[0],)
    assert result.score.points < 2


async def test_the_setup_says_in_words_which_decks_are_ticked(make: Any, decks_dir: Path) -> None:
    (decks_dir / "plusieurs.yaml").write_text(DECK, encoding="utf-8")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")  # the highlighted deck comes ticked
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        first = app.screen.query_one("#setup-chosen").render()
        assert str(first).startswith("Ticked: 1 deck of 2: "), first
        await pilot.press("down", "space")  # tick the other one too
        await pilot.pause()
        assert str(app.screen.query_one("#setup-chosen").render()) == "Ticked: every deck (2)."
        await pilot.press("space", "up", "space")  # untick both
        await pilot.pause()
        assert str(app.screen.query_one("#setup-chosen").render()) == "No deck ticked."


LONG = """\
id: longue
title: Une longue question
sources:
  - {id: art, title: Un article, date: 2022-02}
cards:
  - id: paires
    type: match
    prompt: Associez chaque événement à sa date, telle que l'article la donne, en prenant le temps de bien relire chaque ligne avant de répondre.
    pairs:
"""
LONG += "".join(
    f"      - {{left: Événement numéro {n} raconté longuement par l'article, right: '{2010 + n}'}}\n"
    for n in range(7)
)
LONG += "    source: {ref: art, paragraph: 1}\n"


async def test_a_question_longer_than_the_screen_says_so_and_scrolls(
    make: Any, tmp_path: Path
) -> None:
    path = tmp_path / "longue.yaml"
    path.write_text(LONG, encoding="utf-8")
    app = make(start="exam", decks=[load_deck(path)], questions=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert "more below (Ctrl+Down)" in screen_text(app)
        for _ in range(5):
            await pilot.press("ctrl+down")
        await pilot.pause()
        assert "more below" not in screen_text(app)
        assert app.screen.exam.index == 0  # scrolling is not moving to another question
