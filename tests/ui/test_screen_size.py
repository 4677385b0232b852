"""Below 80×24 the app says the terminal is too small, and comes back when resized; at
80×24 a feedback taller than the screen says how to see the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.geometry import Size
from textual.widgets import Static

from maliquiz.ui.screens.home import HomeScreen
from maliquiz.ui.screens.too_small import TooSmallScreen

from .conftest import screen_text


async def test_a_small_terminal_is_told_and_recovers(make: Any) -> None:
    app = make()
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = " ".join(screen_text(app).split())
        assert "Terminal too small: maliquiz needs 80×24, this one is 60×18." in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Deck de test" in screen_text(app)
        await pilot.resize_terminal(100, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "100×20" in " ".join(screen_text(app).split())
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.size == Size(100, 30)


LONG_DECK = """\
id: long
title: Long
cards:
  - id: t
    type: truefalse
    prompt: La MINUSMA a quitté le Mali en 2023 ?
    answer: vrai
    explanation: |
""" + "".join(
    f"      Ligne {n} de l'explication, assez longue pour la lire.\n" for n in range(1, 19)
)


async def test_a_long_feedback_says_more_is_below(make: Any, decks_dir: Path) -> None:
    (decks_dir / "every_type.yaml").unlink()
    (decks_dir / "long.yaml").write_text(LONG_DECK, encoding="utf-8")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        more = app.screen.query_one("#question-more", Static)
        assert not more.display
        await pilot.press("1")
        await pilot.pause()
        await pilot.pause()
        assert more.display
        assert "↓ more below (PgDn)" in screen_text(app)
        assert "Ligne 18" not in screen_text(app)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert "Ligne 18" in screen_text(app)
        assert not more.display
