"""Textual's command palette in the interface language: its placeholder and the
descriptions of its keys (the commands themselves come from
:meth:`~maliquiz.ui.app.MaliquizApp.get_system_commands`, already translated)."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.binding import ActiveBinding
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from maliquiz.i18n import N_, _
from maliquiz.ui.base import translated

# Textual's own descriptions of the palette's keys, for the catalog.
KEY_DESCRIPTIONS = (
    N_("Go to bottom"),
    N_("Go to top"),
    N_("Next command"),
    N_("Exit the command palette"),
    N_("Next page"),
    N_("Previous page"),
    N_("Previous command"),
)


class Palette(CommandPalette):
    """The command palette, speaking the interface language."""

    def __init__(self) -> None:
        super().__init__(placeholder=_("Search for commands…"), id="--command-palette")

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The palette's keys, described in the interface language."""
        return translated(super().active_bindings)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual writes its "no matches" line in English; the countdown is kept, the
        # line is ours. Pinned by tests/ui/test_language_purity.py, which types a query
        # that matches nothing in French.
        super()._start_no_matches_countdown(search_value)
        if self._no_matches_timer is None:
            return
        self._no_matches_timer.stop()
        self._no_matches_timer = self.set_timer(
            self._NO_MATCHES_COUNTDOWN, lambda: self._say_no_matches(search_value)
        )

    def _say_no_matches(self, search_value: str) -> None:
        if not search_value:
            self._list_visible = False  # browsing with nothing typed: nothing to say
            return
        line = Align.center(Text(_("No matches found"), style="not bold"))
        self.query_one(CommandList).add_option(Option(line, disabled=True, id=self._NO_MATCHES))
        self._list_visible = True
