"""The home screen: the decks with what is due today, the learner, and the way to
everything else."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from maliquiz.i18n import _, count
from maliquiz.ui import keymap
from maliquiz.ui.base import Page
from maliquiz.ui.messages import (
    OpenBrowse,
    OpenExamSetup,
    OpenStats,
    OpenStudy,
    OpenUserDialog,
)
from maliquiz.ui.text import line
from maliquiz.ui.widgets.decklist import DeckList, DeckRow, deck_options, heading

if TYPE_CHECKING:
    from maliquiz.core.deck.models import Deck


class _HomeView(NamedTuple):
    """What the home screen shows, read from the store."""

    top: Content
    """The learner, what is due today, then the deck list's heading."""
    options: list[Option]


# What the deck list's lines leave of the screen's width: its margins, the options' own
# padding and room for a scrollbar.
_LIST_MARGIN = 6
# The title bar, the margin and the four lines above the list (learner, due today, a
# blank line, the heading).
_LINES_ABOVE_LIST = 6
# The key bar and the blank line above it.
_LINES_BELOW_LIST = 2


class HomeScreen(Page):
    """The decks and what is due in each; keys lead to study, exam, stats, browse."""

    HELP = keymap.help_text("home")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("home")

    def body(self) -> ComposeResult:
        # The counts are read before the first layout, so that the screen is drawn
        # once, already filled, when the app opens.
        self._size = self.app.size
        self._fresh = True
        view = self._read()
        yield Static(view.top, id="home-top")
        decks = DeckList(*view.options, id="decks")
        decks.styles.max_height = self._list_height()
        yield decks

    def on_mount(self) -> None:
        self.query_one("#decks", DeckList).focus()

    def on_screen_resume(self) -> None:
        # Back from a session or a dialog: the counts may have changed.
        if self._fresh:
            self._fresh = False
        else:
            self.refresh_data()

    def on_resize(self) -> None:
        if self.app.size != self._size:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Read the decks' counts again from the store and list them."""
        self._size = self.app.size
        view = self._read()
        self.query_one("#home-top", Static).update(view.top)
        decks = self.query_one("#decks", DeckList)
        decks.styles.max_height = self._list_height()
        decks.show(view.options)

    def _list_height(self) -> int:
        """Lines for the deck list: what the lines above and below it leave (it scrolls
        beyond that)."""
        return max(1, self._size.height - _LINES_ABOVE_LIST - _LINES_BELOW_LIST)

    def _read(self) -> _HomeView:
        from maliquiz.core.progress.stats import deck_overview

        app = self.services
        outlines = app.library.outlines
        width = self._size.width - _LIST_MARGIN
        learner = Content.assemble(
            (_("Learner: "), "dim"),
            line(app.user, "bold"),
            (_("   (U: switch or create)"), "dim"),
            (self._synced(), "dim"),
        )
        if not outlines:
            from maliquiz.core.paths import user_decks_dir

            empty = _("No decks yet. Put deck files (*.yaml) in {folder}.")
            message = Content(empty.format(folder=user_decks_dir(app.data_dir)))
            return _HomeView(Content("\n").join([learner, Content(), message]), [])
        stats = deck_overview(app.store, app.user, outlines)
        rows = [
            DeckRow(
                deck_id=row.deck_id,
                title=row.title,
                cards=row.cards,
                new=row.new_today,
                learning=row.learn_today,
                due=row.due_today,
                last_studied=self._when(row.last_studied),
            )
            for row in stats.decks
        ]
        # Learning steps count as due: right after a session they are still to come today.
        due = sum(row.learn_today + row.due_today for row in stats.decks)
        summary = Content.assemble(
            (_("Due today: {n}").format(n=count(due)), "bold"),
            "   ",
            (_("Answers today: {n}").format(n=count(stats.reviews_today)), "dim"),
        )
        top = Content("\n").join([learner, summary, Content(), Content(" ") + heading(width)])
        return _HomeView(top, deck_options(rows, width))

    def _synced(self) -> str:
        """When this learner last synced with a class server (nothing if never): read
        from the small sync file, never from the network."""
        from maliquiz.core.progress.sync import last_sync

        app = self.services
        when = last_sync(app.data_dir, app.user)
        if when is None:
            return ""
        shown = when.astimezone(app.store.calendar.tz).strftime(_("%Y-%m-%d %H:%M"))
        return _("   Last sync: {when}").format(when=shown)

    def _when(self, instant: object) -> str:
        from datetime import datetime

        if not isinstance(instant, datetime):
            return _("never")
        return instant.astimezone(self.services.store.calendar.tz).strftime(_("%Y-%m-%d"))

    # --- the deck under the cursor ------------------------------------------------

    def highlighted(self) -> Deck | None:
        """The deck under the cursor, if any."""
        deck_id = self.query_one("#decks", DeckList).highlighted_deck
        return self.services.library.get(deck_id) if deck_id is not None else None

    @on(OptionList.OptionSelected, "#decks")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_study()

    # --- actions ------------------------------------------------------------------

    def action_study(self) -> None:
        """Study today's cards of the highlighted deck."""
        deck = self.highlighted()
        if deck is not None:
            self.ask_app(OpenStudy([deck]))

    def action_study_all(self) -> None:
        """Study today's cards of every deck."""
        library = self.services.library
        if library.outlines:
            self.ask_app(OpenStudy(library.decks))

    def action_cram(self) -> None:
        """Practise the highlighted deck ahead of schedule."""
        deck = self.highlighted()
        if deck is not None:
            self.ask_app(OpenStudy([deck], cram=True))

    def action_exam(self) -> None:
        """Set up an exam, starting from the highlighted deck."""
        deck = self.highlighted()
        self.ask_app(OpenExamSetup([deck] if deck else []))

    def action_stats(self) -> None:
        """Show the statistics."""
        self.ask_app(OpenStats())

    def action_browse(self) -> None:
        """Browse every card."""
        self.ask_app(OpenBrowse())

    def action_user(self) -> None:
        """Switch or create a learner."""
        self.ask_app(OpenUserDialog())
