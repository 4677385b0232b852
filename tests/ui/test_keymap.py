"""Every key comes from ui/keys.toml; a learner's own keys.toml in the data dir moves
any of them by id, and a wrong entry is named and left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maliquiz.ui.keymap import _places, binding_ids, user_keymap
from maliquiz.ui.screens.home import HomeScreen
from maliquiz.ui.screens.stats import StatsScreen

from .conftest import screen_text


def test_every_place_has_unique_ids_and_each_screen_help_is_text() -> None:
    ids = [entry["id"] for place in _places().values() for entry in place.get("keys", [])]
    # Ids repeat only among answer widgets that never share a screen (answer.confirm).
    assert len(set(ids)) >= len(ids) - 3
    assert "study.undo" in binding_ids()
    assert all(isinstance(place.get("help", ""), str) for place in _places().values())


async def test_own_keys_move_a_binding(make: Any, data_dir: Path) -> None:
    (data_dir / "keys.toml").write_text('[keys]\n"home.stats" = "z"\n', encoding="utf-8")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")  # the default key no longer opens the stats
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert " z " in screen_text(app).splitlines()[-1] + " "
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


async def test_a_wrong_entry_is_named_and_the_rest_is_used(make: Any, data_dir: Path) -> None:
    (data_dir / "keys.toml").write_text(
        '[keys]\n"home.statz" = "z"\n"home.browse" = ""\n"home.stats" = "x"\n', encoding="utf-8"
    )
    keymap, problems = user_keymap(data_dir)
    assert keymap == {"home.stats": "x"}
    assert len(problems) == 2
    assert "home.statz" in problems[0] and "home.browse" in problems[1]
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        warnings = [n.message for n in app._notifications]  # the toasts shown
        assert any("home.statz" in message for message in warnings), warnings
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


def test_a_broken_file_is_a_message(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "keys.toml").write_text("[keys\n", encoding="utf-8")
    keymap, problems = user_keymap(data_dir)
    assert keymap == {} and len(problems) == 1 and "keys.toml" in problems[0]
    assert user_keymap(data_dir / "nowhere") == ({}, [])
