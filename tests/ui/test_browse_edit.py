"""E on the browse screen: the card's deck file opens in the learner's editor at the
card's line, and is read again when the editor closes. The editor is a real program
the test writes (a Python script named like an editor), run by the app for real."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from maliquiz.ui.dialogs.deck_errors import DeckErrorsDialog
from maliquiz.ui.editor import editor_command

from .conftest import DATA, populate, screen_text
from .test_browse import DECK, notes, open_browse, record, search, shown


def fake_editor(folder: Path, name: str, edit: str) -> Path:
    """An editor called ``name`` that appends its arguments to ``calls.json`` beside
    it, then runs ``edit`` on ``text``, the file's text (written back after)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, pathlib, sys\n"
        "calls = pathlib.Path(__file__).with_name('calls.json')\n"
        "done = json.loads(calls.read_text()) if calls.exists() else []\n"
        "calls.write_text(json.dumps(done + [sys.argv[1:]]))\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "text = path.read_text(encoding='utf-8')\n"
        f"{edit}\n"
        "path.write_text(text, encoding='utf-8')\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def calls(script: Path) -> list[list[str]]:
    path = script.with_name("calls.json")
    return json.loads(path.read_text()) if path.exists() else []


@pytest.fixture
def deck_file(decks_dir: Path) -> Path:
    return decks_dir / "every_type.yaml"


async def test_edit_opens_the_card_line_and_shows_the_deck_read_again(
    make: Any,
    data_dir: Path,
    clock: Any,
    deck_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    populate(data_dir, clock)
    editor = fake_editor(
        tmp_path / "bin",
        "vim",
        'text = text.replace("prompt: Quel groupe russe", "prompt: Quelle société russe")'
        ".replace('id: tf-frais', 'id: tf-vrai')",
    )
    monkeypatch.setenv("VISUAL", str(editor))
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browse(pilot)
        await search(pilot, "card:text-wagner or card:tf-frais")
        assert shown(screen) == ["text-wagner", "tf-frais"]
        await pilot.press("e")
        await pilot.pause()
        assert calls(editor) == [["+20", str(deck_file)]]  # the line of `- id: text-wagner`
        table = screen.query_one("#cards", DataTable)
        row = " ".join(str(cell) for cell in table.get_row(f"{DECK}\x1ftext-wagner"))
        assert "Quelle société russe est cité par" in row
        # The card whose id is gone leaves the table; its answers stay in the store.
        assert shown(screen) == ["text-wagner"]
        assert record(app, "tf-frais") is not None
        assert notes(app)[-1] == "every_type.yaml read again: 9 cards."
        assert app.library.get(DECK).cards[1].prompt.startswith("Quelle société")


async def test_a_broken_file_shows_its_errors_and_e_opens_it_at_the_first(
    make: Any, deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first run breaks the card type, the second mends it.
    editor = fake_editor(
        tmp_path / "bin",
        "nano",
        "text = text.replace('type: txet', 'type: text') if 'txet' in text "
        "else text.replace('type: text\\n', 'type: txet\\n')",
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press("down", "down")  # number-renforts, line 27
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, DeckErrorsDialog)
        assert "every_type.yaml has 1 error" in screen_text(app)
        shown_errors = str(app.screen.query_one("#deck-errors-text", Static).render())
        assert f"{deck_file}:21:11: error: unknown card type `txet`" in shown_errors
        assert app.library.get(DECK).cards[1].type == "text"  # the deck before stays
        await pilot.press("e")  # edit again: at the error's line
        await pilot.pause()
        assert calls(editor) == [["+27", str(deck_file)], ["+21", str(deck_file)]]
        assert app.screen is screen
        assert notes(app)[-1] == "every_type.yaml read again: 9 cards."
        assert screen._cursor_key() == f"{DECK}\x1fnumber-renforts"  # still on its card


async def test_a_bundled_deck_cannot_be_edited(
    make: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    text = (DATA / "every_type.yaml").read_text(encoding="utf-8")
    (bundled / "shipped.yaml").write_text(
        text.replace("id: test-every-type", "id: shipped-deck"), encoding="utf-8"
    )
    monkeypatch.setattr("maliquiz.core.deck.files.BUNDLED_DECKS", bundled)
    editor = fake_editor(tmp_path / "bin", "vim", "")
    monkeypatch.setenv("VISUAL", str(editor))
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await search(pilot, "deck:shipped-deck")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is screen
        assert calls(editor) == []
        note = notes(app)[-1]
        assert "comes with maliquiz and cannot be edited" in note
        assert str(data_dir / "decks") in note and "maliquiz new" in note


async def test_without_an_editor_it_says_to_set_one(
    make: Any, deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    before = deck_file.read_text(encoding="utf-8")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is screen
        assert "Set $VISUAL or $EDITOR" in notes(app)[-1]
    assert deck_file.read_text(encoding="utf-8") == before


async def test_an_editor_that_cannot_run_is_named(
    make: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor") + " --flag")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert "Cannot run your editor" in notes(app)[-1]
        assert "no-such-editor" in notes(app)[-1]


def test_each_editor_is_given_the_line_its_own_way(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    assert editor_command(["nvim"], deck, 12) == ["nvim", "+12", str(deck)]
    assert editor_command(["/usr/bin/emacs", "-nw"], deck, 3) == [
        "/usr/bin/emacs",
        "-nw",
        "+3",
        str(deck),
    ]
    assert editor_command(["code"], deck, 12) == ["code", "--wait", "--goto", f"{deck}:12"]
    assert editor_command(["code", "-w"], deck, 12) == ["code", "-w", "--goto", f"{deck}:12"]
    assert editor_command(["gedit"], deck, 12) == ["gedit", str(deck)]  # not known: no line
    assert editor_command(["vim"], deck, None) == ["vim", str(deck)]
