"""`maliquiz preview`: every card shown with its answer and source, nothing recorded."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from conftest import CliRunner
from maliquiz.core.deck.loader import load_deck
from maliquiz.ui.preview import PreviewApp

DATA = Path(__file__).resolve().parents[1] / "data"


def shown(app: PreviewApp) -> str:
    widget = app.screen.query_one("#preview-card", Static)
    return str(widget.render())


async def test_flip_through_every_card(data_dir: Path) -> None:
    deck = load_deck(DATA / "every_type.yaml")
    app = PreviewApp([deck], "en")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "1/9 · flashcard" in shown(app)
        assert "Mission multidimensionnelle" in shown(app)
        await pilot.press("right", "right")
        text = shown(app)
        assert "3/9 · number" in text and "2\u202f000 soldats et policiers" in text
        await pilot.press("end")
        assert "9/9 · cloze" in shown(app) and "____" in shown(app)
        await pilot.press("right")  # stays on the last card
        assert "9/9" in shown(app)
        await pilot.press("left", "home")
        assert "1/9" in shown(app)
        await pilot.press("q")
    assert not (data_dir / "progress.sqlite3").exists()  # nothing recorded


async def test_deck_text_is_never_markup(tmp_path: Path) -> None:
    text = (
        (DATA / "every_type.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "Que signifie MINUSMA ?", "'[bold]Que[/bold] [@click=app.quit]signifie[/] MINUSMA ?'"
        )
    )
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    app = PreviewApp([load_deck(path)], "en")
    async with app.run_test(size=(80, 24)):
        assert "[bold]Que[/bold] [@click=app.quit]signifie[/]" in shown(app)


def test_preview_without_a_terminal_prints_the_cards(run_cli: CliRunner) -> None:
    done = run_cli("preview", str(DATA / "every_type.yaml"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Question") == 9
    assert "Also accepted: groupe Wagner" in done.stdout
    assert "Source\nLe Mali refuse des renforts de la MINUSMA" in done.stdout
    bad = run_cli("preview", "no-such-deck")
    assert bad.returncode == 1 and "unknown deck" in bad.stderr
