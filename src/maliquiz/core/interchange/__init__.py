"""Decks travelling to and from other tools: Anki, Moodle, spreadsheets, JSON.

Exports take a validated :class:`~maliquiz.core.deck.models.Deck`; imports return a plain deck
dict (the shape a YAML deck has) that :mod:`.yaml_out` writes and the loader then
validates like any deck a teacher wrote. Nothing that cannot be carried is dropped
silently: exports return :class:`CardWarning` items naming the card, imports raise
:class:`InterchangeError` located at a line and column.

The modules import nothing heavy at import time (genanki waits inside
:func:`.anki.export_apkg`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from maliquiz.i18n import _


@dataclass(frozen=True)
class CardWarning:
    """Something about one card that the target format cannot hold as it is."""

    card_id: str
    message: str

    def format(self) -> str:
        """``card `id`: message``."""
        return _("card `{id}`: {message}").format(id=self.card_id, message=self.message)


class InterchangeError(Exception):
    """Input that cannot be read, at ``line``:``col`` (both counted from 1)."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(f"{line}:{col}: {message}")
        self.line, self.col, self.message = line, col, message

    @classmethod
    def at(cls, text: str, offset: int, message: str) -> InterchangeError:
        """The error at character ``offset`` of ``text`` (readers know offsets, not lines)."""
        return cls(*line_col(text, offset), message)


@dataclass
class DeckImport:
    """What an import read: the deck dict and what could not be carried."""

    deck: dict[str, Any]
    warnings: list[CardWarning]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column (from 1) of character ``offset`` in ``text``."""
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def keep_valid_cards(deck: dict[str, Any]) -> tuple[dict[str, Any], list[CardWarning]]:
    """``deck`` with the cards our format rejects left out, each named in a warning
    (an imported matching question with two pairs, a choice with one option...), so that
    what an import writes always passes ``maliquiz check``."""
    from pydantic import TypeAdapter, ValidationError

    from maliquiz.core.deck.models import Card

    adapter: TypeAdapter[Any] = TypeAdapter(Card)
    kept: list[dict[str, Any]] = []
    warnings: list[CardWarning] = []
    for card in deck.get("cards", []):
        try:
            adapter.validate_python(card)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            reason = str(first.get("ctx", {}).get("error", first["msg"]))
            where = ".".join(str(p) for p in first["loc"][1:])
            warnings.append(
                CardWarning(
                    str(card.get("id", "?")),
                    _("left out: {reason}").format(
                        reason=f"{where}: {reason}" if where else reason
                    ),
                )
            )
            continue
        kept.append(card)
    return {**deck, "cards": kept}, warnings
