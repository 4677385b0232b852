"""No English on any screen in French, no French interface words in English: a walk
through home, the command palette, help, study, stats, browse and the exam setup."""

from __future__ import annotations

import re
from typing import Any

from .conftest import screen_text

ENGLISH = (
    "the",
    "and",
    "show",
    "of",
    "with",
    "Search for commands",
    "Learner",
    "Study",
    "Help",
    "Decks",
    "decks",  # not "deck": "deck:" is a search key, the same in both languages
    "space",  # key names on the key bar and in F1
    "esc",
    "pgdn",
    "pgup",
)
FRENCH = ("Apprenant", "Réviser", "Aide", "Quitter", "Statistiques", "Examen", "carte suivante")
WALK = (
    ("ctrl+p",),
    ("escape", "f1"),
    ("escape", "t"),
    ("escape", "b"),
    ("escape", "e"),
    ("escape", "escape", "s"),
    ("space",),
    ("3",),
)


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


async def _walk(app: Any) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen.append((type(app.screen).__name__, screen_text(app)))
        for keys in WALK:
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            seen.append((type(app.screen).__name__, screen_text(app)))
    return seen


async def test_no_english_on_any_screen_in_french(make: Any) -> None:
    seen = await _walk(make(lang="fr"))
    names = {name for name, _ in seen}
    assert {"HomeScreen", "Palette", "HelpScreen", "StudyScreen"} <= names, names
    found = {name: _found(text, ENGLISH) for name, text in seen if _found(text, ENGLISH)}
    assert found == {}, found


async def test_no_french_interface_words_in_english(make: Any) -> None:
    seen = await _walk(make(lang="en"))
    found = {name: _found(text, FRENCH) for name, text in seen if _found(text, FRENCH)}
    assert found == {}, found


async def test_the_palette_says_no_match_in_french(make: Any) -> None:
    from maliquiz.ui.palette import Palette

    app = make(lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, Palette)
        app.screen._NO_MATCHES_COUNTDOWN = 0.001  # say it at once, not after half a second
        await pilot.press(*"zqzqzq")
        for _ in range(500):  # the search runs as a worker, then the countdown: polled
            await pilot.pause()
            if "Aucun résultat" in screen_text(app):
                break
        text = screen_text(app)
    assert "Aucun résultat" in text, text
    assert "No matches" not in text
