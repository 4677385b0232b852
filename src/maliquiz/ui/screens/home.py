"""The home screen: the decks with what is due today, the learner, and the way to
everything else."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from maliquiz.i18n import N_, _
from maliquiz.ui.base import HelpfulScreen
from maliquiz.ui.text import cell, line
from maliquiz.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from maliquiz.core.deck import Deck
    from maliquiz.core.stats import DeckStats
    from maliquiz.ui.app import MaliquizApp


class HomeScreen(HelpfulScreen):
    """The decks and what is due in each; keys lead to study, exam, stats, browse."""

    HELP = N_(
        "Your decks, with their new cards, cards in learning and cards due today. "
        "Move with Up/Down and press Enter or S to study the highlighted deck, A to "
        "study every deck, C to practise it ahead of schedule, E for an exam. "
        "T shows your statistics, B browses every card, U switches learner. "
        "Ctrl+P opens the command palette."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "study", N_("Study"), id="home.study"),
        Binding("a", "study_all", N_("All decks"), show=False, id="home.study_all"),
        Binding("c", "cram", N_("Practise"), show=False, id="home.cram"),
        Binding("e", "exam", N_("Exam"), id="home.exam"),
        Binding("t", "stats", N_("Stats"), id="home.stats"),
        Binding("b", "browse", N_("Browse"), id="home.browse"),
        Binding("u", "user", N_("Learner"), id="home.user"),
        Binding("question_mark", "app.help", N_("Help"), show=False, id="home.help"),
        Binding("q", "app.quit", N_("Quit"), id="home.quit"),
    ]

    @property
    def maliquiz(self) -> MaliquizApp:
        """The app, typed."""
        from maliquiz.ui.app import MaliquizApp

        assert isinstance(self.app, MaliquizApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="home-learner")
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            yield Static(id="home-summary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.build_columns()
        self.refresh_data()
        self.query_one("#decks", DataTable).focus()

    def on_resize(self) -> None:
        if self.query_one("#decks", DataTable).columns:
            self.build_columns()
            self.refresh_data()

    def build_columns(self) -> None:
        """The table's columns, each as wide as its heading; the deck's title takes the
        width left, so the table never scrolls sideways."""
        table = self.query_one("#decks", DataTable)
        table.clear(columns=True)
        others = [
            ("cards", _("Cards"), 5),
            ("new", _("New"), 4),
            ("learning", _("Learning"), 4),
            ("due", _("Due"), 4),
            ("last", _("Last studied"), 10),
        ]
        widths = [max(len(label), least) for _key, label, least in others]
        # Two cells of padding per column, the screen's padding and a scrollbar.
        left = self.app.size.width - sum(w + 2 for w in widths) - 2 - 2 - 2
        table.add_column(_("Deck"), key="title", width=max(12, left))
        for (key, label, _least), width in zip(others, widths, strict=True):
            table.add_column(label, key=key, width=width)

    def on_screen_resume(self) -> None:
        # Back from a session or a dialog: the counts have changed.
        self.refresh_data()

    def refresh_data(self) -> None:
        """Read the decks' counts again from the store."""
        from maliquiz.core.stats import learner_stats

        app = self.maliquiz
        decks = app.library.decks
        self.query_one("#home-learner", Static).update(
            Content.assemble(
                (_("Learner: "), "dim"),
                line(app.user, "bold"),
                (_("   (U: switch or create)"), "dim"),
            )
        )
        table = self.query_one("#decks", DataTable)
        keep = table.cursor_row
        table.clear()
        summary = self.query_one("#home-summary", Static)
        if not decks:
            from maliquiz.core.paths import user_decks_dir

            summary.update(
                Content(
                    _("No decks yet. Put deck files (*.yaml) in {folder}.").format(
                        folder=user_decks_dir(app.data_dir)
                    )
                )
            )
            return
        stats = learner_stats(app.store, app.user, decks, history_days=1, forecast_days=1)
        by_id: dict[str, DeckStats] = {row.deck_id: row for row in stats.decks}
        for deck in decks:
            row = by_id[deck.id]
            table.add_row(
                cell(deck.title, "bold"),
                str(row.cards),
                cell(str(row.new), "cyan" if row.new else "dim"),
                cell(str(row.learning), "yellow" if row.learning else "dim"),
                cell(str(row.due_today), "bold green" if row.due_today else "dim"),
                self._when(row.last_studied),
                key=deck.id,
            )
        if keep is not None and 0 <= keep < len(decks):
            table.move_cursor(row=keep)
        due = sum(row.due_today for row in stats.decks)
        summary.update(
            Content.assemble(
                (_("Due today: {n}").format(n=due), "bold"),
                "   ",
                (_("Answers today: {n}").format(n=stats.reviews_today), "dim"),
            )
        )

    def _when(self, instant: object) -> str:
        from datetime import datetime

        if not isinstance(instant, datetime):
            return _("never")
        return instant.astimezone(self.maliquiz.store.calendar.tz).strftime(_("%Y-%m-%d"))

    # --- the deck under the cursor ------------------------------------------------

    def highlighted(self) -> Deck | None:
        """The deck under the cursor, if any."""
        table = self.query_one("#decks", DataTable)
        decks = self.maliquiz.library.decks
        if not decks or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.maliquiz.library.get(str(key))

    @on(DataTable.RowSelected, "#decks")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_study()

    # --- actions ------------------------------------------------------------------

    def action_study(self) -> None:
        """Study today's cards of the highlighted deck."""
        deck = self.highlighted()
        if deck is not None:
            self.maliquiz.open_study([deck])

    def action_study_all(self) -> None:
        """Study today's cards of every deck."""
        if self.maliquiz.library.decks:
            self.maliquiz.open_study(self.maliquiz.library.decks)

    def action_cram(self) -> None:
        """Practise the highlighted deck ahead of schedule."""
        deck = self.highlighted()
        if deck is not None:
            self.maliquiz.open_study([deck], cram=True)

    def action_exam(self) -> None:
        """Set up an exam, starting from the highlighted deck."""
        deck = self.highlighted()
        self.maliquiz.open_exam_setup([deck] if deck else [])

    def action_stats(self) -> None:
        """Show the statistics."""
        self.maliquiz.open_stats()

    def action_browse(self) -> None:
        """Browse every card."""
        self.maliquiz.open_browse()

    def action_user(self) -> None:
        """Switch or create a learner."""
        self.maliquiz.open_user_dialog()
