"""Every card with its state, found with Anki's search syntax, sorted by any column, and
acted on: suspend, bury, forget, set the due date, undo. Enter shows a card's history.

The search and the actions are the core's (:mod:`maliquiz.core.progress.search`,
:mod:`maliquiz.core.progress.actions`), the same as ``maliquiz cards``: this screen
reads the search box, shows the cards and sends the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from maliquiz.core.learning.display import (
    CARD_TYPE_LABELS,
    card_type_label,
)
from maliquiz.core.progress.search import STATE_LABELS, SearchError, card_entries
from maliquiz.i18n import N_, _, decimal, ngettext
from maliquiz.i18n import count as grouped
from maliquiz.ui import keymap
from maliquiz.ui.base import PROGRESS_CSS, Page
from maliquiz.ui.text import cell, line

if TYPE_CHECKING:
    from maliquiz.core.progress.search import CardEntry

SHOWN_AT_MOST = 500
"""Rows put in the table at once; the count line says how many matched."""

FULL_DATES_FROM = 110
"""Screen width from which every date shows its year. Below it, a date of the current
year is shown as month and day, and a date of another year as year and month: a day
without its year would be ambiguous (is "09-23" last September or next?)."""

_STATE_ORDER = {"new": 0, "learning": 1, "relearning": 2, "review": 3, "buried": 4, "suspended": 5}
_STATE_STYLES = {"new": "cyan", "learning": "yellow", "relearning": "yellow", "review": "green"}


class Column(NamedTuple):
    """One column of the table: its key, heading, and how it sorts."""

    key: str
    label: str
    right: bool = False
    """Numbers align on their last digit."""


COLUMNS = (
    Column("deck", N_("Deck")),
    Column("card", N_("Card")),
    Column("type", N_("Type")),
    Column("state", N_("State")),
    Column("due", N_("Due")),
    Column("ivl", N_("Ivl"), right=True),
    Column("difficulty", N_("Diff."), right=True),
    Column("lapses", N_("Lapses"), right=True),
    Column("last", N_("Last")),
    Column("prompt", N_("Prompt")),
)


def _key(entry: CardEntry) -> str:
    """A table row key: deck id and card id."""
    return f"{entry.deck_id}\x1f{entry.card_id}"


def _last(value: float | datetime | None) -> tuple[bool, Any]:
    """Sort empty values (new cards' dates and figures) after the others."""
    return (value is None, value if value is not None else 0)


class BrowseScreen(Page):
    """The table of every card, and the actions on the cards chosen."""

    CSS_PATH = PROGRESS_CSS

    HELP = keymap.help_text("browse")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("browse")

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[CardEntry] = []
        self.found: list[CardEntry] = []
        self.shown: dict[str, CardEntry] = {}
        self.selected: set[str] = set()
        self.problem: str | None = None
        self.sort_by: str | None = None
        self.reverse = False
        self.columns: list[Column] = []
        self.titles: dict[str, str] = {}
        self.full_dates = True
        self.this_year = 0
        self.date_widths: dict[str, int] = {}

    def body(self) -> ComposeResult:
        yield Input(
            placeholder=_("search · deck:ID tag:TAG type:TYPE state:due prop:ivl>=10 rated:7"),
            id="browse-search",
            compact=True,
        )
        yield Static(id="browse-count")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(id="browse-card")

    def on_mount(self) -> None:
        self.read_cards()
        self.search()
        self.query_one("#cards", DataTable).focus()

    def read_cards(self) -> None:
        """Every card of the library's decks, with the learner's records."""
        app = self.services
        decks = app.library.decks
        self.titles = {deck.id: deck.title for deck in decks}
        self.entries = card_entries(app.store, app.user, decks)
        self.build_columns()

    # --- what is shown ---------------------------------------------------------------

    def reload_records(self) -> None:
        """Read the learner's records again after an action (the cards stay)."""
        app = self.services
        records = {(r.deck_id, r.card_id): r for r in app.store.cards(app.user)}
        for entry in self.entries:
            entry.record = records.get((entry.deck_id, entry.card_id))
        if self.entries and self._date_widths() != self.date_widths:
            self.build_columns()  # a date moved to another year: its column widens
            self.fill()

    def build_columns(self) -> None:
        """The columns, as wide as their headings and cells; the deck and card ids
        give way first, and the prompt takes what width is left, if any: the table
        never scrolls sideways."""
        table = self.query_one("#cards", DataTable)
        table.clear(columns=True)
        width = self.app.size.width - 2  # the vertical scrollbar
        self.full_dates = width >= FULL_DATES_FROM
        self.date_widths = self._date_widths()
        least = {
            "deck": max((len(e.deck_id) for e in self.entries), default=4),
            "card": max((len(e.card_id) for e in self.entries), default=4),
            "type": max(cell_len(card_type_label(kind)) for kind in CARD_TYPE_LABELS),
            "state": max(cell_len(_(label)) for label in STATE_LABELS.values())
            + (2 if any(e.record is not None and e.record.leech for e in self.entries) else 0),
            "due": self.date_widths["due"],
            "ivl": 3,
            "difficulty": 4,
            "lapses": 2,
            "last": self.date_widths["last"],
        }
        # Each cell starts with a space (the heading too): the gap between columns.
        widths = {c.key: max(cell_len(self._heading(c)), least[c.key] + 1) for c in COLUMNS[:-1]}
        widths = {"mark": 2, **widths}
        spare = width - sum(widths.values())
        while spare < 0 and (widths["deck"] > 7 or widths["card"] > 9):
            # The wider of the two ids gives a cell, down to a few letters each.
            widths[
                "deck" if widths["deck"] > widths["card"] or widths["card"] <= 9 else "card"
            ] -= 1
            spare += 1
        self.columns = list(COLUMNS[:-1])
        if spare >= 16:
            self.columns.append(COLUMNS[-1])
            widths["prompt"] = spare
        table.add_column(" ", key="mark", width=widths["mark"])
        for column in self.columns:
            table.add_column(self._heading(column), key=column.key, width=widths[column.key])

    def _date_widths(self) -> dict[str, int]:
        """The cells each date column needs: 10 for full dates, 5 for month and day
        ("09-23"), 7 when some date of the column is in another year ("2027-01")."""
        store = self.services.store
        self.this_year = store.calendar.day(store.clock.now()).year
        if self.full_dates:
            return {"due": 10, "last": 10}
        years: dict[str, set[int]] = {"due": set(), "last": set()}
        for entry in self.entries:
            due, last = self._days(entry)
            years["due"].add(due.year if due else self.this_year)
            years["last"].add(last.year if last else self.this_year)
        return {key: 5 if found <= {self.this_year} else 7 for key, found in years.items()}

    def _days(self, entry: CardEntry) -> tuple[date | None, date | None]:
        """The study day a card is due and the day it was last answered (local time)."""
        calendar = self.services.store.calendar
        record = entry.record
        state = record.state if record is not None and not entry.is_new else None
        due = None if state is None else calendar.day(state.due)
        last = None if state is None or state.last_review is None else state.last_review
        return due, None if last is None else last.astimezone(calendar.tz).date()

    def _heading(self, column: Column) -> str:
        arrow = "" if column.key != self.sort_by else (" ▼" if self.reverse else " ▲")
        return " " + _(column.label) + arrow

    @staticmethod
    def _state_text(entry: CardEntry, now: datetime) -> str:
        state = _(STATE_LABELS[entry.state(now)])
        return state + " ⚑" if entry.record is not None and entry.record.leech else state

    def search(self, *, keep_selection: bool = False) -> None:
        """Read the search box: the cards it finds, or the reason it cannot be read
        (the cards found before stay, under the error). A new search starts with no
        card selected; after an action the selection stays."""
        from maliquiz.core.progress.search import parse_query, search_context

        app = self.services
        text = self.query_one("#browse-search", Input).value
        try:
            query = parse_query(text)
            query.check_decks(list(self.titles))
        except SearchError as error:
            self.problem = str(error)
            self.show_count()
            return
        self.problem = None
        ctx = search_context(app.store, app.user, query)
        self.found = [entry for entry in self.entries if query.matches(entry, ctx)]
        if keep_selection:
            self.selected &= {_key(entry) for entry in self.found}
        else:
            self.selected.clear()
        self.fill()

    def fill(self) -> None:
        """Put the cards found, sorted, in the table; the cursor stays on its card."""
        table = self.query_one("#cards", DataTable)
        at = self._cursor_key()
        rows = self._sorted(self.found)[:SHOWN_AT_MOST]
        table.clear()
        now = self.services.store.clock.now()
        self.shown = {}
        for entry in rows:
            key = _key(entry)
            table.add_row(*self._cells(entry, now, key in self.selected), key=key)
            self.shown[key] = entry
        if at in self.shown:
            table.move_cursor(row=table.get_row_index(at), animate=False)
        self.show_count()
        self.show_card()

    def _cells(self, entry: CardEntry, now: datetime, selected: bool) -> list[Text]:
        record = entry.record
        state = record.state if record is not None and not entry.is_new else None
        due, last = self._days(entry)
        values = {
            "deck": entry.deck_id,
            "card": entry.card_id,
            "type": card_type_label(entry.card_type),
            "due": self._date(due),
            "ivl": _dash(entry.interval()),
            "difficulty": "–" if state is None else decimal(state.difficulty or 0),
            "lapses": str(state.lapses) if state is not None else "–",
            "last": self._date(last),  # the day as the learner lived it
            "prompt": entry.card.prompt,
        }
        cells = [_mark(selected)]
        for column in self.columns:
            if column.key == "state":
                word = entry.state(now)
                style = _STATE_STYLES.get(word, "dim")
                cells.append(cell(" " + self._state_text(entry, now), style))
            elif column.right:
                cells.append(Text(" " + values[column.key], justify="right", no_wrap=True))
            else:
                # A space before each cell parts it from the previous column, which may
                # end on an ellipsis.
                cells.append(cell(" " + values[column.key]))
        return cells

    def _date(self, day: date | None) -> str:
        if day is None:
            return "–"
        if self.full_dates:
            return day.strftime(_("%Y-%m-%d"))
        return day.strftime(_("%m-%d") if day.year == self.this_year else _("%Y-%m"))

    def _sorted(self, entries: list[CardEntry]) -> list[CardEntry]:
        if self.sort_by is None:
            return list(reversed(entries)) if self.reverse else entries
        key = self._sort_key(self.sort_by)
        return sorted(entries, key=key, reverse=self.reverse)

    def _sort_key(self, column: str) -> Callable[[CardEntry], Any]:
        now = self.services.store.clock.now()

        def studied(entry: CardEntry) -> Any:
            return None if entry.is_new or entry.record is None else entry.record.state

        keys: dict[str, Callable[[CardEntry], Any]] = {
            "deck": lambda e: e.deck_id.casefold(),
            "card": lambda e: e.card_id.casefold(),
            "type": lambda e: e.card_type,
            "state": lambda e: _STATE_ORDER.get(e.state(now), 9),
            "due": lambda e: _last(s.due if (s := studied(e)) else None),
            "ivl": lambda e: _last(e.interval()),
            "difficulty": lambda e: _last(s.difficulty if (s := studied(e)) else None),
            "lapses": lambda e: _last(s.lapses if (s := studied(e)) else None),
            "last": lambda e: _last(s.last_review if (s := studied(e)) else None),
            "prompt": lambda e: e.card.prompt.casefold(),
        }
        return keys[column]

    def show_count(self) -> None:
        """The line under the search box: how many cards, or why the search fails."""
        count = self.query_one("#browse-count", Static)
        if self.problem is not None:
            count.update(Content.styled("⚠ " + self.problem, "$text-error"))
            return
        text = _("{shown} of {total} cards").format(
            shown=grouped(len(self.found)), total=grouped(len(self.entries))
        )
        if len(self.found) > SHOWN_AT_MOST:
            text += " " + _("(the first {n} shown)").format(n=grouped(SHOWN_AT_MOST))
        if self.selected:
            text += " · " + ngettext("{n} selected", "{n} selected", len(self.selected)).format(
                n=grouped(len(self.selected))
            )
        count.update(Content(text))

    def show_card(self) -> None:
        """The card under the cursor in full, under the table: deck, id and prompt."""
        entry = self.shown.get(self._cursor_key() or "")
        card = self.query_one("#browse-card", Static)
        if entry is None:
            card.update("")
            return
        title = self.titles.get(entry.deck_id, entry.deck_id)
        card.update(
            line(f"{title} · {entry.card_id}", "dim") + Content("\n") + line(entry.card.prompt)
        )

    def _cursor_key(self) -> str | None:
        table = self.query_one("#cards", DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if row_key.value is None else str(row_key.value)

    # --- events ---------------------------------------------------------------------

    def on_resize(self) -> None:
        if self.entries:
            self.build_columns()
            self.fill()

    @on(Input.Changed, "#browse-search")
    def _search(self, event: Input.Changed) -> None:
        self.search()

    @on(Input.Submitted, "#browse-search")
    def _go_to_table(self, event: Input.Submitted) -> None:
        self.query_one("#cards", DataTable).focus()

    @on(DataTable.RowHighlighted, "#cards")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_card()

    @on(DataTable.HeaderSelected, "#cards")
    def _heading_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == "mark":
            return
        if key == self.sort_by:
            self.reverse = not self.reverse
        else:
            self.sort_by, self.reverse = key, False
        self.resort()

    @on(DataTable.RowSelected, "#cards")
    def _history(self, event: DataTable.RowSelected) -> None:
        entry = self.shown.get(str(event.row_key.value))
        if entry is None:
            return
        title = self.titles.get(entry.deck_id, entry.deck_id)
        from maliquiz.ui.dialogs.history import CardHistoryDialog

        self.app.push_screen(CardHistoryDialog(entry, title))

    # --- actions --------------------------------------------------------------------

    def action_search(self) -> None:
        """Go to the search box."""
        self.query_one("#browse-search", Input).focus()

    def action_back(self) -> None:
        """Leave the search box, or go back."""
        search = self.query_one("#browse-search", Input)
        if search.has_focus:
            self.query_one("#cards", DataTable).focus()
            return
        self.dismiss()

    def action_select(self) -> None:
        """Select the card under the cursor, or leave it out again."""
        key = self._cursor_key()
        if key is None:
            return
        self.selected.symmetric_difference_update({key})
        table = self.query_one("#cards", DataTable)
        table.update_cell(key, "mark", _mark(key in self.selected))
        self.show_count()

    def action_select_all(self) -> None:
        """Select every card shown, or none when all are."""
        everything = set(self.shown)
        self.selected = set() if everything <= self.selected else everything
        self.fill()

    def action_sort(self) -> None:
        """Sort by the next column (the decks' own order after the last)."""
        keys = [c.key for c in self.columns]
        at = keys.index(self.sort_by) + 1 if self.sort_by in keys else 0
        self.sort_by, self.reverse = (keys[at] if at < len(keys) else None), False
        self.resort()

    def action_reverse(self) -> None:
        """Reverse the order of the table."""
        self.reverse = not self.reverse
        self.resort()

    def resort(self) -> None:
        self.build_columns()
        self.fill()

    def targets(self) -> list[CardEntry]:
        """The cards an action takes: the selected ones, or the one under the cursor."""
        if self.selected:
            return [self.shown[key] for key in self.shown if key in self.selected]
        entry = self.shown.get(self._cursor_key() or "")
        return [] if entry is None else [entry]

    def action_suspend(self) -> None:
        """Suspend the cards, or unsuspend them when all are suspended."""
        cards = self.targets()
        every = all(e.record is not None and e.record.suspended for e in cards)
        self._act("unsuspend" if cards and every else "suspend", cards)

    def action_bury(self) -> None:
        """Bury the cards until tomorrow, or unbury them when all are buried."""
        cards = self.targets()
        now = self.services.store.clock.now()
        every = all(e.record is not None and e.record.is_buried(now) for e in cards)
        self._act("unbury" if cards and every else "bury", cards)

    def action_forget(self) -> None:
        """Make the cards new again, after asking."""
        from maliquiz.ui.dialogs.confirm import confirm

        cards = self.targets()
        if not cards:
            return
        question = ngettext(
            "Make {n} card new again? Its answers stay in your history; Ctrl+Z undoes it.",
            "Make {n} cards new again? Their answers stay in your history; Ctrl+Z undoes it.",
            len(cards),
        ).format(n=grouped(len(cards)))
        confirm(self, question, lambda: self._act("forget", cards))

    def action_set_due(self) -> None:
        """Ask when the cards are due, then set it."""
        from maliquiz.ui.dialogs.due import Days, DueDateDialog

        cards = self.targets()
        if not cards:
            return

        def done(days: Days | None) -> None:
            if days is not None:
                self._act("set-due", cards, days)

        self.app.push_screen(DueDateDialog(len(cards)), done)

    def action_undo(self) -> None:
        """Take back the last action on cards."""
        from maliquiz.core.progress.actions import undo_message

        app = self.services
        undone = app.store.undo_card_action(app.user)
        self.notify(undo_message(undone))
        if undone is not None:
            self.refresh_cards()

    def action_edit(self, line: int | None = None) -> None:
        """Open the deck file of the card under the cursor in the learner's editor (at
        ``line``, else at the card), then show the deck as read again."""
        from maliquiz.ui.dialogs.deck_errors import DeckErrorsDialog
        from maliquiz.ui.editor import edit_card

        entry = self.shown.get(self._cursor_key() or "")
        if entry is None:
            self.notify(_("No card here."))
            return
        edited = edit_card(self.app, self.services, entry.deck_id, entry.card_id, line=line)
        if edited.read_again:
            self.read_cards()  # new columns: the table forgets its cursor
            self.search(keep_selection=True)
            table = self.query_one("#cards", DataTable)
            if _key(entry) in self.shown:
                table.move_cursor(row=table.get_row_index(_key(entry)), animate=False)
        if edited.errors:
            first = edited.errors[0].line or None

            def again(edit: bool | None) -> None:
                if edit:
                    self.action_edit(first)

            self.app.push_screen(DeckErrorsDialog(edited.message, edited.errors), again)
        else:
            self.notify(
                edited.message,
                severity="information" if edited.ok else "warning",
                timeout=10,
                markup=False,
            )

    def _act(self, action: str, cards: list[CardEntry], days: Any = None) -> None:
        from maliquiz.core.progress.actions import done_message

        if not cards:
            self.notify(_("No card here."))
            return
        app = self.services
        chosen = [(e.deck_id, e.card_id) for e in cards]
        store = app.store
        changed = store.apply_card_action(app.user, action, chosen, days)
        self.notify(done_message(action, changed))
        self.refresh_cards()

    def refresh_cards(self) -> None:
        """Show the cards as the store has them now, under the same search."""
        self.reload_records()
        self.search(keep_selection=True)


def _mark(selected: bool) -> Text:
    return Text(" ●", style="bold") if selected else Text(" ")


def _dash(value: int | None) -> str:
    return "–" if value is None else str(value)
