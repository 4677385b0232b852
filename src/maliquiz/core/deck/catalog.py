"""Finding decks: the bundled set, the user's decks folder and paths given by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from maliquiz.core.deck.datacache import DeckDataCache
from maliquiz.core.deck.files import (
    DeckLoadError,
    Finding,
    Origin,
    catalog_files,
    default_paths,
    expand_paths,
    latest_by_id,
)
from maliquiz.core.deck.loader import check_deck_file
from maliquiz.core.deck.models import Deck

__all__ = ["Catalog", "DeckEntry", "default_paths", "expand_paths", "load_catalog", "load_one"]


@dataclass(frozen=True)
class DeckEntry:
    """A loaded deck and where it came from (``bundled``, ``user`` or ``path``)."""

    deck: Deck
    path: Path
    origin: Origin


@dataclass
class Catalog:
    """Every deck found, by id, and the findings of the files that failed to load."""

    entries: dict[str, DeckEntry]
    problems: list[Finding]

    def get(self, deck_id: str) -> DeckEntry | None:
        """The deck with this id, if found."""
        return self.entries.get(deck_id)

    def decks(self) -> list[Deck]:
        """The decks, sorted by id."""
        return [self.entries[k].deck for k in sorted(self.entries)]


def load_catalog(data_dir: Path, extra: Iterable[Path] = ()) -> Catalog:
    """Load the bundled decks, the user's decks and ``extra`` paths.

    A deck given later overrides one with the same id (a user's copy of a bundled deck
    wins), and the override is reported as a warning so it is never a surprise.
    """
    files, problems = catalog_files(data_dir, extra)
    loaded: list[tuple[str, Path, tuple[Deck, Origin]]] = []
    cache = DeckDataCache(data_dir)
    for file, origin in files:
        result = cache.load(file)
        if result.deck is None:
            problems.extend(result.errors)
        else:
            loaded.append((result.deck.id, file, (result.deck, origin)))
    cache.save()
    chosen, replaced = latest_by_id(loaded)
    entries = {
        deck_id: DeckEntry(deck, path, origin) for deck_id, (path, (deck, origin)) in chosen.items()
    }
    return Catalog(entries, problems + replaced)


def load_one(path: Path, cache: DeckDataCache | None = None) -> Deck:
    """Load the deck at ``path`` (through ``cache`` when given); raise
    :class:`DeckLoadError` when it has errors."""
    result = check_deck_file(path, errors_only=True) if cache is None else cache.load(path)
    if result.deck is None:
        raise DeckLoadError(result.errors)
    return result.deck
