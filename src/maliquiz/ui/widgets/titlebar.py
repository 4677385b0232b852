"""The top line of every screen: the app's name and, beside it, the current learner.

Textual's stock header is four widgets (an icon, the title, a clock or its space, and
the bar holding them) whose title is set again after each one mounts; measured, it was
a tenth of the app's own start-up. This bar is one widget drawing one line of text.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class TitleBar(Widget):
    """The screen's title (or the app's) and its sub-title, centred on one line."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        # Without calling back at once: the first render reads the titles anyway.
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._changed, init=False)
            self.watch(owner, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)
