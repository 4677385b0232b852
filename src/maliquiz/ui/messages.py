"""What a screen asks the app to open, as Textual messages.

The app imports the screens to open them, so a screen that called the app back would
close an import circle. Screens post these messages to the app instead (with
:meth:`~maliquiz.ui.base.HelpfulScreen.ask_app`), and the app's ``on_open_...`` handlers
build the session and push the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from textual.screen import Screen

    from maliquiz.core.deck.models import Deck


@dataclass
class Request(Message):
    """Something for the app to open. ``asker`` is the screen that asked, if a screen
    did: the app lets the request drop when that screen is no longer on top by the time
    it gets there, as a key pressed twice queues two requests."""

    asker: Screen[Any] | None = field(default=None, kw_only=True)


@dataclass
class OpenStudy(Request):
    """Study ``decks``: today's cards, or every card ahead of schedule with ``cram``."""

    decks: Sequence[Deck]
    tags: Sequence[str] = ()
    cram: bool = False
    limit: int | None = None
    only: Iterable[tuple[str, str]] | None = None
    new_per_deck: int | None = None


@dataclass
class OpenExam(Request):
    """Start an exam over ``decks`` at once."""

    decks: Sequence[Deck]
    tags: Sequence[str] = ()
    count: int = 20
    time_limit: timedelta | None = None


@dataclass
class OpenExamSetup(Request):
    """Ask which decks, tags, how many questions and how long, ``decks`` ticked first."""

    decks: Sequence[Deck]


class OpenStats(Request):
    """Show the learner's statistics."""


class OpenBrowse(Request):
    """Show every card with its state."""


class OpenUserDialog(Request):
    """Switch learner or create one."""
