"""Decks read before, kept as the plain data their YAML gave, so that a deck file that
has not changed is validated again without being parsed again.

Reading a deck's YAML with the place of every value (for located messages) is most of
the time of loading it: for a 10,000-card deck, about 0.5 s, of which pydantic's
validation is 0.1 s. Once a file has loaded without an error, the data its YAML gave
(plain mappings, lists and texts) is kept in ``<data-dir>/cache/deck-data.json`` under
the SHA-256 of the file's text. The next load of the same text validates that data
with the same models, so a deck is never used unvalidated, and skips the YAML. A file
with errors is never kept: its errors are found again, with their places, every time.

Like the other caches (:mod:`.filecache`) it is thrown away whole when the code that
reads decks changes, and it is never a source of truth: an entry that no longer
validates, or a damaged cache file, only means the deck file is read again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from maliquiz.core.deck.filecache import FileCache, code_fingerprint
from maliquiz.core.deck.files import DeckLoadError
from maliquiz.core.deck.loader import LoadResult, collector_paused, parse_deck, read_deck_text
from maliquiz.core.deck.models import Deck


def data_cache_path(data_dir: Path) -> Path:
    """Where the data of decks read before is kept."""
    return data_dir / "cache" / "deck-data.json"


class DeckDataCache:
    """Loads deck files for use (errors only, as :func:`~.loader.load_deck` does), from
    the kept data when a file's text has not changed. Call :meth:`save` when done."""

    def __init__(self, data_dir: Path) -> None:
        self._files = FileCache(data_cache_path(data_dir), code_fingerprint("deck-data"))

    def load(self, path: Path) -> LoadResult:
        """The deck at ``path`` and its errors, as ``check_deck_file(path,
        errors_only=True)`` gives them."""
        try:
            text = read_deck_text(path)
        except DeckLoadError as exc:
            return LoadResult(str(path), None, exc.findings)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        kept = self._files.get(path, digest)
        if isinstance(kept, dict):
            try:
                with collector_paused():
                    deck = Deck.model_validate(kept)
                if _holds_together(deck):
                    return LoadResult(str(path), deck)
            except ValidationError:
                pass
            # Not what this code keeps (an altered cache): read the file itself.
        result = parse_deck(text, str(path), errors_only=True)
        if result.deck is not None:
            self._files.put(path, digest, result.data)
        return result

    def save(self) -> None:
        """Write what was read for the first time (best effort: it is only a cache)."""
        self._files.save()


def _holds_together(deck: Deck) -> bool:
    """The deck passes the checks made outside the models when its file is read (card
    and source ids unique, every citation naming a source of the deck): kept data that
    fails them was not kept by this code."""
    sources = {source.id for source in deck.sources}
    return (
        len(sources) == len(deck.sources)
        and len({card.id for card in deck.cards}) == len(deck.cards)
        and all(ref.ref in sources for card in deck.cards for ref in card.sources)
    )
