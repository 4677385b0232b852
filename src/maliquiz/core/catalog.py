"""Finding decks: the bundled set, the user's decks folder and paths given by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from maliquiz.core.deck import Deck
from maliquiz.core.files import DeckLoadError, Finding, default_paths, expand_paths
from maliquiz.core.loader import check_deck_file
from maliquiz.core.paths import BUNDLED_DECKS, user_decks_dir

__all__ = ["Catalog", "DeckEntry", "default_paths", "expand_paths", "load_catalog", "load_one"]
from maliquiz.i18n import _


@dataclass(frozen=True)
class DeckEntry:
    """A loaded deck and where it came from (``bundled``, ``user`` or ``path``)."""

    deck: Deck
    path: Path
    origin: str


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
    entries: dict[str, DeckEntry] = {}
    problems: list[Finding] = []
    sources = [(BUNDLED_DECKS, "bundled"), (user_decks_dir(data_dir), "user")]
    sources += [(p, "path") for p in extra]
    for folder, origin in sources:
        if origin != "path" and not folder.is_dir():
            continue
        files, missing = expand_paths([folder])
        if origin == "path":
            problems.extend(missing)
        for file in files:
            result = check_deck_file(file)
            if result.deck is None:
                problems.extend(result.errors)
                continue
            previous = entries.get(result.deck.id)
            if previous is not None:
                problems.append(
                    Finding(
                        str(file),
                        1,
                        1,
                        "warning",
                        _("deck `{id}` replaces the one in {other}").format(
                            id=result.deck.id, other=previous.path
                        ),
                    )
                )
            entries[result.deck.id] = DeckEntry(result.deck, file, origin)
    return Catalog(entries, problems)


def load_one(path: Path) -> Deck:
    """Load the deck at ``path``; raise :class:`DeckLoadError` when it has errors."""
    result = check_deck_file(path)
    if result.deck is None:
        raise DeckLoadError(result.errors)
    return result.deck
