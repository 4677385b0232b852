"""Below 80×24 the app says the terminal is too small, and comes back when resized; at
80×24 a feedback taller than the screen says how to see the rest."""

from __future__ import annotations

from typing import Any

from textual.geometry import Size

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
