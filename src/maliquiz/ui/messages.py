"""What a screen asks the app to open, as Textual messages.

The app imports the screens to open them, so a screen that called the app back would
close an import circle. Screens post these messages to the app instead, and the app's
``on_open_...`` handlers build the session and push the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from maliquiz.core.deck.models import Deck


@dataclass
class OpenStudy(Message):
    """Study ``decks``: today's cards, or every card ahead of schedule with ``cram``."""

    decks: Sequence[Deck]
    tags: Sequence[str] = ()
    cram: bool = False
    limit: int | None = None
    only: Iterable[tuple[str, str]] | None = None
    new_per_deck: int | None = None


@dataclass
class OpenExam(Message):
    """Start an exam over ``decks`` at once."""

    decks: Sequence[Deck]
    tags: Sequence[str] = ()
    count: int = 20
    time_limit: timedelta | None = None


@dataclass
class OpenExamSetup(Message):
    """Ask which decks, tags, how many questions and how long, ``decks`` ticked first."""

    decks: Sequence[Deck]


class OpenStats(Message):
    """Show the learner's statistics."""


class OpenBrowse(Message):
    """Show every card with its state."""


class OpenUserDialog(Message):
    """Switch learner or create one."""
