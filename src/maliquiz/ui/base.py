"""What every screen and dialog of the app shares: translated key descriptions,
contextual help, typed access to the app's services, and the frame of a full screen.

Binding descriptions are written in English with ``N_`` (so the catalog tool finds
them) and translated when the footer and the help screen read them, so one process can
show either language.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from maliquiz.i18n import _
from maliquiz.ui.messages import Request
from maliquiz.ui.services import Services, services
from maliquiz.ui.widgets.keybar import KeyBar
from maliquiz.ui.widgets.titlebar import TitleBar

ResultType = TypeVar("ResultType")

# The stylesheets a screen adds to the app's own (maliquiz.tcss) when it first opens.
SESSION_CSS = Path(__file__).parent / "session.tcss"
"""For the screens that ask questions and show answers."""
PROGRESS_CSS = Path(__file__).parent / "progress.tcss"
"""For the statistics and browse screens."""


def translated(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """The same bindings with their descriptions and tooltips in the interface language."""
    result: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.description or binding.tooltip:
            binding = replace(
                binding,
                description=_(binding.description) if binding.description else "",
                tooltip=_(binding.tooltip) if binding.tooltip else "",
            )
        result[key] = active._replace(binding=binding, tooltip=binding.tooltip)
    return result


class Explained:
    """A screen or widget the help screen explains: ``HELP`` is an English paragraph
    (marked with ``N_``) shown above the list of keys."""

    HELP: ClassVar[str | None] = ""

    def help_text(self) -> str:
        """What this is for, or how to use it, in the interface language."""
        return _(self.HELP) if self.HELP else ""


class HelpfulScreen(Explained, Screen[Any]):
    """A screen whose footer speaks the interface language and which explains itself."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's bindings, described in the interface language."""
        return translated(super().active_bindings)

    @property
    def services(self) -> Services:
        """The app's store, decks and learner (see :mod:`maliquiz.ui.services`)."""
        return services(self)

    def ask_app(self, request: Request) -> None:
        """Post ``request`` to the app, which opens what it names if this screen is
        still on top by then."""
        request.asker = self
        self.app.post_message(request)

    def action_close(self) -> None:
        """Back to where the learner came from."""
        self.dismiss()


class Dialog(ModalScreen[ResultType], HelpfulScreen):
    """A modal dialog whose keys are described in the interface language."""


class Page(HelpfulScreen):
    """A full screen: the title bar on top, the keys at the bottom, :meth:`body` between."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield from self.body()
        yield KeyBar()

    def body(self) -> ComposeResult:
        """The widgets between the title bar and the keys."""
        raise NotImplementedError


class TextPage(Page):
    """A page of text that scrolls, such as a summary: :meth:`content` in a scrolling
    area with the id ``PAGE_ID`` (the text's own id is ``PAGE_ID-text``)."""

    PAGE_ID: ClassVar[str] = "page"

    def body(self) -> ComposeResult:
        with VerticalScroll(id=self.PAGE_ID):
            yield Static(self.content(), id=f"{self.PAGE_ID}-text")

    def content(self) -> Content:
        """The page's text."""
        raise NotImplementedError
