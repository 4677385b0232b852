"""The decks the app offers: outlined at once, loaded in full when first needed.

The home screen lists decks and counts their cards from outlines
(:mod:`maliquiz.core.outline`); studying, an exam or browsing needs the full decks,
which :meth:`Library.decks` loads on first use (or :meth:`Library.load` ahead of time,
from another thread: loading is guarded by a lock, so both can ask at once).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from maliquiz.core.files import DeckLoadError
from maliquiz.core.outline import DeckOutline, DeckScan, scan_decks

if TYPE_CHECKING:
    from maliquiz.core.deck import Deck


class Library:
    """Outlines of every deck found, and the full decks on demand."""

    def __init__(self, scan: DeckScan, extra: Sequence[Deck] = ()) -> None:
        outlines = {outline.id: outline for outline in scan.outlines}
        self._loaded: dict[Path, Deck] = dict(scan.loaded)
        for deck in extra:  # decks named on the command line come first
            path = Path(f"<command line>/{deck.id}")
            outlines[deck.id] = DeckOutline.of(deck, path, "path")
            self._loaded[path] = deck
        self.outlines = sorted(outlines.values(), key=lambda o: o.title.casefold())
        self.problems = [finding.format() for finding in scan.problems]
        self._decks: list[Deck] | None = None
        self._lock = threading.Lock()

    @classmethod
    def scan(cls, data_dir: Path, extra: Sequence[Deck] = ()) -> Library:
        """The catalog's decks (bundled and the user's) plus ``extra``, outlined."""
        return cls(scan_decks(data_dir), extra)

    @property
    def loaded(self) -> bool:
        """Whether the full decks are in memory already."""
        return self._decks is not None

    @property
    def decks(self) -> list[Deck]:
        """Every deck in full, in the outlines' order (loaded on first use)."""
        decks = self._decks
        return decks if decks is not None else self.load()

    def load(self) -> list[Deck]:
        """Load every deck not yet in memory. A file that changed since it was outlined
        and no longer loads is left out, and its errors join :attr:`problems`."""
        with self._lock:
            if self._decks is not None:
                return self._decks
            from maliquiz.core.catalog import load_one

            decks: list[Deck] = []
            kept: list[DeckOutline] = []
            for outline in self.outlines:
                deck = self._loaded.get(outline.path)
                if deck is None:
                    try:
                        deck = load_one(outline.path)
                    except DeckLoadError as error:
                        self.problems.extend(f.format() for f in error.findings)
                        continue
                decks.append(deck)
                kept.append(outline)
            self.outlines = kept
            self._decks = decks
            return decks

    def get(self, deck_id: str) -> Deck | None:
        """The full deck with this id, if known."""
        return next((deck for deck in self.decks if deck.id == deck_id), None)

    def outline(self, deck_id: str) -> DeckOutline | None:
        """The outline of the deck with this id, if known."""
        return next((o for o in self.outlines if o.id == deck_id), None)

    def tags(self) -> list[str]:
        """Every tag of every card, sorted."""
        found = {tag for o in self.outlines for _card, tags in o.cards for tag in tags}
        return sorted(found, key=str.casefold)
