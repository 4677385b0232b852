"""The browse screen driven by keys: Anki's search syntax with its error line, the
actions on the card under the cursor or the selected ones, undo, sorting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store
from maliquiz.ui.dialogs.confirm import ConfirmDialog
from maliquiz.ui.dialogs.due import DueDateDialog
from maliquiz.ui.screens.browse import BrowseScreen

from .conftest import USER, populate, screen_text

DECK = "test-every-type"


async def open_browse(pilot: Pilot[Any]) -> BrowseScreen:
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen)
    return screen


async def search(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` in the search box, then go back to the table."""
    await pilot.press("slash", "ctrl+a", "ctrl+k", *text, "enter")
    await pilot.pause()


def record(app: Any, card: str) -> Any:
    return app.store.card(USER, DECK, card)


def notes(app: Any) -> list[str]:
    """The messages the app showed in toasts, oldest first."""
    return [note.message for note in app._notifications]


def shown(screen: BrowseScreen) -> list[str]:
    return [key.split("\x1f")[1] for key in screen.shown]


async def test_suspend_bury_a_selection_and_undo(make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        assert shown(screen)[:2] == ["flash-minusma", "text-wagner"]
        await pilot.press("s")  # the card under the cursor
        await pilot.pause()
        assert record(app, "flash-minusma").suspended
        await pilot.press("s")  # all suspended: unsuspend
        await pilot.pause()
        assert not record(app, "flash-minusma").suspended
        await pilot.press("space", "down", "space", "b")
        await pilot.pause()
        now = app.store.clock.now()
        assert record(app, "flash-minusma").is_buried(now)
        assert record(app, "text-wagner").is_buried(now)
        assert "2 selected" in screen_text(app)
        table = screen.query_one("#cards", DataTable)
        assert "buried" in str(table.get_row(f"{DECK}\x1ftext-wagner")[4])  # not "review"
        await search(pilot, "state:buried")
        assert shown(screen) == ["flash-minusma", "text-wagner"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not record(app, "text-wagner").is_buried(now)
        assert not record(app, "flash-minusma").is_buried(now)
        assert shown(screen) == []
        assert notes(app)[-1] == "Undone: bury (2 cards back as they were)."


async def test_forget_asks_first_and_undo_brings_the_schedule_back(
    make: Any, data_dir: Path, clock: Any
) -> None:
    populate(data_dir, clock)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await search(pilot, "card:text-wagner")
        before = record(app, "text-wagner")
        assert not before.state.is_new
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert record(app, "text-wagner").state.is_new
        assert "new" in screen_text(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert record(app, "text-wagner") == before


async def test_set_the_due_date_in_a_dialog(make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(pilot)
        await search(pilot, "card:date-note")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DueDateDialog)
        await pilot.press("x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DueDateDialog)  # not a number of days: stays
        assert "1-7" in str(app.screen.query_one("#due-problem", Static).render())
        await pilot.press("backspace", "9", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        calendar = app.store.calendar
        due = record(app, "date-note").state.due
        assert (calendar.day(due) - calendar.day(app.store.clock.now())).days == 9
        await search(pilot, "prop:due=9")
        assert shown(app.screen) == ["date-note"]


async def test_a_bad_search_says_why(make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await search(pilot, "type:choice or type:text")
        assert shown(screen) == ["text-wagner", "choice-pays"]
        await pilot.press("slash")
        screen.query_one("#browse-search", Input).value = "state:bogus"  # pasted
        await pilot.pause()
        count = str(screen.query_one("#browse-count", Static).render())
        assert "unknown value `bogus` in `state:bogus`" in count
        assert "new, learn, review, due, suspended, buried" in count
        assert shown(screen) == ["text-wagner", "choice-pays"]  # not silently 0 cards
        assert screen.query_one("#browse-search", Input).has_focus


async def test_sort_by_a_column_and_reverse(make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await search(pilot, "-state:new -state:suspended")
        for _column in ("deck", "card"):
            await pilot.press("o")
        await pilot.pause()
        assert screen.sort_by == "card"
        assert shown(screen) == sorted(shown(screen))
        await pilot.press("r")
        await pilot.pause()
        assert shown(screen) == sorted(shown(screen), reverse=True)
        assert "Card ▼" in screen_text(app)


async def test_undo_takes_back_an_action_of_an_earlier_run(
    make: Any, data_dir: Path, clock: Any
) -> None:
    populate(data_dir, clock)
    with Store.open(progress_path(data_dir), clock=clock) as store:
        store.suspend_cards(USER, [(DECK, "tf-frais")])
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(pilot)
        assert record(app, "tf-frais").suspended
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not record(app, "tf-frais").suspended
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert notes(app)[-1] == "Nothing to undo."


async def test_a_date_of_another_year_shows_its_year(make: Any, data_dir: Path, clock: Any) -> None:
    # Below 110 columns a date is its month and day ("03-05"): enough within the year,
    # ambiguous beyond it. A date in another year shows the year (and its month), and
    # the table still fits the screen without scrolling sideways.
    populate(data_dir, clock)
    for width in (80, 100):
        app = make()
        async with app.run_test(size=(width, 24)) as pilot:
            screen = await open_browse(pilot)
            await search(pilot, "card:date-note or card:text-wagner")
            if width == 80:
                await pilot.press("down")  # to date-note, in the deck's order
                await pilot.press("d", *"400", "enter")
                await pilot.pause()
            table = screen.query_one("#cards", DataTable)
            due = {card: str(table.get_cell(key, "due")).strip() for key, card in _rows(screen)}
            assert due["date-note"] == "2026-04"  # 400 days after 2025-03-01
            assert len(due["text-wagner"]) == 5 and due["text-wagner"][:2] in ("03", "04")
            last = str(table.get_cell(next(iter(screen.shown)), "last")).strip()
            assert last.startswith("0") and len(last) == 5  # this year: month and day
            used = sum(column.get_render_width(table) for column in table.columns.values())
            assert used <= width - 2


def _rows(screen: BrowseScreen) -> list[tuple[str, str]]:
    return [(key, key.split("\x1f")[1]) for key in screen.shown]
