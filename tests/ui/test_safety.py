"""Deck text is shown as written (never markup, never a terminal escape), and every
screen fits 80×24 without horizontal scrolling, before and after a resize."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Static

from maliquiz.core.learning.questions import Mode
from maliquiz.ui.screens.home import HomeScreen
from maliquiz.ui.screens.study import StudyScreen
from maliquiz.ui.text import visible
from maliquiz.ui.widgets.keybar import KeyBar

from .conftest import open_study, populate, screen_text

TRAP_DECK = r"""
id: markup-trap
title: "[bold red]Piège[/] [@click=app.quit]titre[/]"
cards:
  - id: trap-flash
    type: flashcard
    prompt: "Recto [blink]x[/]"
    back: "Verso [@click=app.bell]y[/] \e]0;titre\a"
  - id: trap-choice
    type: choice
    prompt: "Choisir [reverse]ceci[/]"
    options: ["[bold]A[/]", "[@click=app.quit]B[/]", "C \e[2J", "D"]
    answer: "[@click=app.quit]B[/]"
    shuffle: false
  - id: trap-text
    type: text
    prompt: "Qui est [b]gras[/b] et [@click=app.quit]cliquable[/] ? \e[31mrouge\e[0m"
    answer: "[i]Goïta[/i]"
    explanation: "[link=https://x]lien[/link] $accent"
"""


def test_visible_shows_control_characters() -> None:
    assert visible("a\x1b[31mb\x07\tc") == "a␛[31mb␇ c"
    assert visible("x\u202ey") == "x<U+202E>y"
    assert visible("deux\nlignes") == "deux\nlignes"


async def test_deck_text_is_never_interpreted(make: Any, decks_dir: Path) -> None:
    (decks_dir / "every_type.yaml").unlink()
    (decks_dir / "trap.yaml").write_text(TRAP_DECK, encoding="utf-8")
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "[bold red]Piège[/] [@click=app.quit]titre[/]" in screen_text(app)
        screen = await open_study(app, pilot)
        session = screen.session
        assert "Recto [blink]x[/]" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert "Verso [@click=app.bell]y[/] ␛]0;titre␇" in screen_text(app)
        await pilot.press("3", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Choisir [reverse]ceci[/]" in text
        for option in ("[bold]A[/]", "[@click=app.quit]B[/]", "C ␛[2J"):
            assert option in text
        await pilot.press("2")  # the one that looks like a quit link
        await pilot.pause()
        assert app.is_running
        assert session.feedback is not None and session.feedback.verdict.right
        await pilot.press("enter")
        await pilot.pause()
        assert "Qui est [b]gras[/b] et [@click=app.quit]cliquable[/] ? ␛[31mrouge␛[0m" in (
            screen_text(app)
        )
        await pilot.press("ctrl+r")  # don't know: the expected answer is shown
        await pilot.pause()
        feedback = str(screen.query_one("#feedback", Static).render())
        assert "[i]Goïta[/i]" in feedback
        assert "[link=https://x]lien[/link] $accent" in feedback
        assert app.is_running


async def test_a_learner_name_with_brackets_is_shown_as_is(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_user("[@click=app.quit]Awa[b]")
        app.screen.refresh_data()
        await pilot.pause()
        assert "[@click=app.quit]Awa[b]" in screen_text(app)


def assert_fits(screen: Screen[Any]) -> None:
    """No widget of ``screen`` scrolls sideways."""
    for bar in screen.query(KeyBar):
        assert bar.width_needed <= screen.size.width, screen_text(screen.app)
    for widget in [screen, *screen.query("*")]:
        if not widget.display or widget.styles.overflow_x == "hidden":
            continue
        assert widget.max_scroll_x == 0, (widget, widget.virtual_size, screen_text(screen.app))
        assert not widget.show_horizontal_scrollbar, widget


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_every_screen_fits_80_by_24(lang: str, make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock)
    app = make(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert_fits(app.screen)
        for key in ("t", "b", "e", "u", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert_fits(app.screen)
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")  # practise every card: each way of answering
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        modes: set[Mode] = set()
        for _step in range(30):  # bounded: a stuck screen fails instead of hanging
            if not isinstance(app.screen, StudyScreen) or len(modes) == 7:
                break
            assert screen.session.question is not None
            modes.add(screen.session.question.mode)
            assert_fits(app.screen)
            flash = screen.session.question.mode == Mode.FLASHCARD
            await pilot.press(*(("space", "1") if flash else ("ctrl+r",)))
            await pilot.pause()
            assert_fits(app.screen)
            await pilot.press("enter")
            await pilot.pause()
        assert len(modes) >= 6


async def test_resizing_keeps_everything_on_screen(make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert_fits(app.screen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert_fits(app.screen)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert_fits(app.screen)


async def test_the_key_bar_keeps_end_and_help_when_it_is_full(make: Any) -> None:
    app = make("fr", start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        for _step in range(12):  # until an order question follows an answer
            question = screen.session.question
            assert question is not None
            if question.mode == Mode.ORDER and screen.session.answered:
                break
            flash = question.mode == Mode.FLASHCARD
            await pilot.press(*(("space", "1") if flash else ("ctrl+r",)), "enter")
            await pilot.pause()
        assert screen.session.question is not None
        assert screen.session.question.mode == Mode.ORDER
        bar = screen.query_one(KeyBar)
        line = str(bar.render())
        # Too many keys for 80 columns in French: Undo and Override leave (F1 lists
        # them), End and Help stay.
        assert bar.width_needed <= 80, line
        assert "échap Terminer" in line and "f1 Aide" in line, line
        assert "Annuler" not in line
