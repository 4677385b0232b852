"""What the app shows while the terminal is smaller than it needs: a plain message in
place of a broken layout, gone as soon as the terminal is large enough again."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from maliquiz.i18n import _

MIN_WIDTH = 80
MIN_HEIGHT = 24


def too_small(width: int, height: int) -> bool:
    """True when a terminal of this size cannot show the app."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    """Covers the app until the terminal is resized to at least 80×24; the screen under
    it keeps its state. Only Ctrl+Q (the app's) does anything meanwhile."""

    DEFAULT_CSS: ClassVar[str] = """
    TooSmallScreen {
        align: center middle;
    }
    TooSmallScreen Static {
        width: auto;
        max-width: 100%;
        padding: 0 1;
        text-align: center;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-text", markup=False)

    def on_mount(self) -> None:
        self.show_size()

    def on_resize(self, event: events.Resize) -> None:
        self.show_size(event.size)

    def show_size(self, size: Size | None = None) -> None:
        """The message, with the terminal's size now."""
        size = size or self.app.size
        self.query_one("#too-small-text", Static).update(
            _("Terminal too small: maliquiz needs {need}, this one is {size}.").format(
                need=f"{MIN_WIDTH}×{MIN_HEIGHT}", size=f"{size.width}×{size.height}"
            )
            + "\n"
            + _("Enlarge the window (or make the font smaller). Ctrl+Q quits.")
        )
