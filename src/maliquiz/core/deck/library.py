"""The decks the app offers: outlined at once, loaded in full when first needed.

The home screen lists decks and counts their cards from outlines
(:mod:`maliquiz.core.deck.outline`); studying, an exam or browsing needs the full decks,
which :meth:`Library.decks` loads on first use (or :meth:`Library.load` ahead of time,
from another thread: loading is guarded by a lock, so both can ask at once).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from maliquiz.core.deck.files import DeckLoadError, Finding
from maliquiz.core.deck.outline import DeckOutline, DeckScan, scan_decks
from maliquiz.i18n import _

if TYPE_CHECKING:
    from maliquiz.core.deck.datacache import DeckDataCache
    from maliquiz.core.deck.models import Deck


class Library:
    """Outlines of every deck found, and the full decks on demand."""

    def __init__(
        self, scan: DeckScan, extra: Sequence[Deck] = (), *, data_dir: Path | None = None
    ) -> None:
        """``data_dir``, when given, keeps the data of the decks read (see
        :mod:`.datacache`), so that the next start validates them without parsing."""
        self._data_dir = data_dir
        self._data_cache: DeckDataCache | None = None
        outlines = {outline.id: outline for outline in scan.outlines}
        self._loaded: dict[Path, Deck] = dict(scan.loaded)
        for deck in extra:  # decks named on the command line come first
            path = Path(f"<command line>/{deck.id}")
            outlines[deck.id] = DeckOutline.of(deck, path, "path")
            self._loaded[path] = deck
        self.outlines = sorted(outlines.values(), key=lambda o: o.title.casefold())
        self.problems = [finding.format() for finding in scan.problems]
        self._failed: set[Path] = set()
        self._decks: list[Deck] | None = None
        self._lock = threading.Lock()

    @classmethod
    def scan(cls, data_dir: Path, extra: Sequence[Deck] = ()) -> Library:
        """The catalog's decks (bundled and the user's) plus ``extra``, outlined."""
        return cls(scan_decks(data_dir), extra, data_dir=data_dir)

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
            if self._decks is None:
                loaded = [(outline, self._load(outline)) for outline in self.outlines]
                self.outlines = [outline for outline, deck in loaded if deck is not None]
                self._decks = [deck for _outline, deck in loaded if deck is not None]
                self._save_data()
            return self._decks

    def get(self, deck_id: str) -> Deck | None:
        """The full deck with this id, if known (loading only that one if need be)."""
        with self._lock:
            if self._decks is not None:
                return next((deck for deck in self._decks if deck.id == deck_id), None)
            outline = next((o for o in self.outlines if o.id == deck_id), None)
            deck = self._load(outline) if outline is not None else None
            self._save_data()
            return deck

    def outline(self, deck_id: str) -> DeckOutline | None:
        """The outline of the deck with this id (its file and origin), if known."""
        return next((o for o in self.outlines if o.id == deck_id), None)

    def reload(self, deck_id: str) -> tuple[Deck | None, list[Finding]]:
        """Read the file of the deck ``deck_id`` again, after it was edited. When it
        loads, the deck read replaces the one in memory (and its outline) and is
        returned; when it does not, the deck read before stays, and the file's errors
        are returned instead."""
        from maliquiz.core.deck.loader import check_deck_file

        with self._lock:
            old = self.outline(deck_id)
            if old is None:
                return None, []
            result = check_deck_file(old.path, errors_only=True)
            if result.deck is None:
                return None, result.errors
            deck = result.deck
            other = self.outline(deck.id)
            if other is not None and other is not old:
                message = _("the deck id `{id}` is already used by {other}").format(
                    id=deck.id, other=other.path
                )
                where = result.position("id")
                return None, [Finding(str(old.path), *where, "error", message)]
            self._loaded[old.path] = deck
            self._failed.discard(old.path)
            new = DeckOutline.of(deck, old.path, old.origin)
            outlines = [new if o is old else o for o in self.outlines]
            self.outlines = sorted(outlines, key=lambda o: o.title.casefold())
            if self._decks is not None:
                self._decks = [self._loaded[o.path] for o in self.outlines]
            return deck, []

    def _load(self, outline: DeckOutline) -> Deck | None:
        """The full deck of ``outline``, read once; None (and its errors in
        :attr:`problems`) when its file no longer loads. Call with the lock held."""
        deck = self._loaded.get(outline.path)
        if deck is None and outline.path not in self._failed:
            from maliquiz.core.deck.catalog import load_one
            from maliquiz.core.deck.datacache import DeckDataCache

            if self._data_cache is None and self._data_dir is not None:
                self._data_cache = DeckDataCache(self._data_dir)
            try:
                deck = self._loaded[outline.path] = load_one(outline.path, self._data_cache)
            except DeckLoadError as error:
                self._failed.add(outline.path)
                self.problems.extend(f.format() for f in error.findings)
        return deck

    def _save_data(self) -> None:
        if self._data_cache is not None:
            self._data_cache.save()

    def tags(self) -> list[str]:
        """Every tag of every card, sorted."""
        found = {tag for o in self.outlines for _card, tags in o.cards for tag in tags}
        return sorted(found, key=str.casefold)
