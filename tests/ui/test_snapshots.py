"""SVG snapshots of every screen at 80×24 and 120×40, in English and French.

Update after an intended change of the screens (or of the French catalog) with
``pytest tests/ui/test_snapshots.py --snapshot-update`` and look at the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from maliquiz.i18n import set_language

from .conftest import populate

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "fr"]


async def _type(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text)


def keys(*pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that presses keys, waiting for the screen after each one."""

    async def run(pilot: Pilot[Any]) -> None:
        for key in pressed:
            if key.startswith("type:"):
                await _type(pilot, key[5:])
            else:
                await pilot.press(key)
            await pilot.pause()

    return run


# name: (make_app options, populate the store first?, keys before the picture)
SCREENS: dict[str, tuple[dict[str, Any], bool, tuple[str, ...]]] = {
    "home": ({}, True, ()),
    "help": ({}, False, ("f1",)),
    "user": ({}, False, ("u",)),
    "flashcard": ({"start": "study"}, False, ("space",)),
    "feedback": ({"start": "study"}, False, ("space", "3", "enter", "type:wagnr", "enter")),
    "summary": ({"start": "study"}, False, ("space", "3", "escape")),
    "exam": ({"start": "exam", "questions": 3}, False, ()),
    "results": ({"start": "exam", "questions": 3}, False, ("ctrl+s", "y")),
    "stats": ({}, True, ("t",)),
    "browse": ({}, True, ("b",)),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(
    screen: str,
    lang: str,
    size: tuple[int, int],
    snap_compare: Any,
    make: Any,
    data_dir: Path,
    clock: Any,
) -> None:
    options, populated, pressed = SCREENS[screen]
    if populated:
        populate(data_dir, clock)
    app = make(lang, **options)
    try:
        assert snap_compare(app, terminal_size=size, run_before=keys(*pressed))
    finally:
        set_language("en")
