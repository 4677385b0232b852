"""The keys of the current screen on one line at the bottom, drawn as one piece of text.

Textual's stock footer builds a widget per key and rebuilds them all whenever the keys
change, which happens on every card of a study session; measured, that was two thirds
of the time between a key and the next card on screen. This bar redraws one line of
text instead. A key can be clicked as in the stock footer.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

from maliquiz.ui import keymap


class KeyBar(Widget):
    """One line listing the shown keys of the screen and what they do."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        overflow: hidden;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spots: list[tuple[int, int, Binding, DOMNode]] = []
        self._line = Content()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._rebuild()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._rebuild()

    def on_resize(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        """Read the screen's active keys again and redraw; when they do not all fit,
        the squeezable ones (see ``keys.toml``) are left out, last first."""
        shown: list[tuple[Content, Binding, DOMNode]] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            key_style = "bold $footer-key-foreground" if active.enabled else "dim"
            text_style = "$footer-description-foreground" if active.enabled else "dim"
            part = Content.styled(key, key_style) + Content.styled(
                " " + binding.description, text_style
            )
            shown.append((part, binding, active.node))
        room = self.size.width
        squeezable = keymap.squeezable()
        width = 1 + sum(part.cell_length + 1 for part, _b, _n in shown)
        for index in range(len(shown) - 1, -1, -1):
            if not room or width <= room:
                break
            if shown[index][1].id in squeezable:
                width -= shown.pop(index)[0].cell_length + 1
        parts: list[Content] = []
        spots: list[tuple[int, int, Binding, DOMNode]] = []
        x = 1
        for part, binding, node in shown:
            spots.append((x, x + part.cell_length, binding, node))
            x += part.cell_length + 1
            parts.append(part)
        self._spots = spots
        self._line = Content(" ") + Content(" ").join(parts)
        self.refresh()

    @property
    def width_needed(self) -> int:
        """Cells the line of keys takes (to check it fits the screen)."""
        return self._line.cell_length

    def render(self) -> Content:
        return self._line

    async def on_click(self, event: events.Click) -> None:
        for start, end, binding, node in self._spots:
            if start <= event.x < end:
                event.stop()
                await self.app.run_action(binding.action, node)
                return
