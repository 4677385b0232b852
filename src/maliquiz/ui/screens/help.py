"""Help for the screen underneath: what it is for, how the focused widget is answered,
and every key that works there."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from maliquiz.i18n import _
from maliquiz.ui import keymap
from maliquiz.ui.base import Dialog
from maliquiz.ui.text import pad


def key_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, description) for every described binding of maliquiz's screens, widgets
    and app active on ``screen``, with the keys of one action on one row: the
    screen's keys first, then the focused widget's, then the app's.

    Keys of Textual's stock widgets (a table's Home/End...) are left out: they are the
    usual ones and would bury ours."""
    rows: dict[str, list[str]] = {}
    shown: set[str] = set()

    def rank(item: tuple[str, ActiveBinding]) -> int:
        node = item[1].node
        return 0 if node is screen else 2 if node is screen.app else 1

    for key, active in sorted(screen.active_bindings.items(), key=rank):
        binding = active.binding
        # Every binding of ours has an id (for keymaps); Textual's stock ones mostly not.
        if not binding.description or binding.system or not binding.id:
            continue
        description = binding.description
        keys = rows.setdefault(description, [])
        if binding.key_display and binding.show:
            keys.insert(0, screen.app.get_key_display(binding))
            shown.add(description)
            continue
        display = screen.app.get_key_display(binding.with_key(key))
        if display not in keys:
            keys.append(display)
    result = []
    for description, keys in rows.items():
        if description in shown:
            keys = keys[:1]
        result.append((", ".join(keys), description))
    return result


def unavailable_rows(screen: Screen[object], listed: set[str]) -> list[tuple[str, str]]:
    """The screen's own keys that do nothing at the moment (e.g. Undo before any
    answer), so the help still names them."""
    rows = []
    for binding in getattr(type(screen), "BINDINGS", []):
        if not isinstance(binding, Binding) or not binding.description:
            continue
        description = _(binding.description)
        if description in listed:
            continue
        listed.add(description)
        first = binding.key.split(",")[0]
        rows.append((screen.app.get_key_display(binding.with_key(first)), description))
    return rows


class HelpScreen(Dialog[None]):
    """The keys and the purpose of the screen under it."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("help")

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help"):
            yield Static(_("Help"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                intro = getattr(self.target, "help_text", lambda: "")()
                if intro:
                    yield Static(Content(intro), classes="help-intro")
                focused = self.target.focused
                widget_help = ""
                node: DOMNode | None = focused
                while node is not None and not widget_help:
                    widget_help = getattr(node, "help_text", lambda: "")()
                    node = node.parent if node.parent is not self.target else None
                if widget_help:
                    yield Static(Content(widget_help), classes="help-widget")
                rows = key_rows(self.target)
                later = unavailable_rows(self.target, {d for _k, d in rows})
                width = max((cell_len(keys) for keys, _d in rows + later), default=0)
                lines = [
                    Content.styled(pad(keys, width), "bold $text-accent")
                    + Content("  " + description)
                    for keys, description in rows
                ]
                lines += [
                    Content.styled(pad(keys, width), "dim")
                    + Content.styled("  " + description + " " + _("(not now)"), "dim")
                    for keys, description in later
                ]
                yield Static(Content("\n").join(lines), id="help-keys")
            yield Static(_("Esc: close"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#help-body", VerticalScroll).focus()
