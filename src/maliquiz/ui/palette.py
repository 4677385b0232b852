"""Textual's command palette in the interface language: its placeholder and the
descriptions of its keys (the commands themselves come from
:meth:`~maliquiz.ui.app.MaliquizApp.get_system_commands`, already translated)."""

from __future__ import annotations

from textual.binding import ActiveBinding
from textual.command import CommandPalette

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
