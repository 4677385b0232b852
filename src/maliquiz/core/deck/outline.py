"""What the home screen needs of a deck without loading it: its id, title and cards.

Loading a deck means parsing YAML and validating every card with pydantic, which costs
more than drawing the whole app. The outline of each deck file (id, title, card ids and
their tags) is kept in ``<data-dir>/cache/decks.json`` under the SHA-256 of the file's
bytes, so that opening the app on unchanged decks reads a small JSON file instead. A
file that changed, or that the code reading decks no longer reads the same way, is
loaded again; a file with errors is never kept, so its errors are shown every time.

Nothing here imports pydantic or YAML unless a file has to be loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from maliquiz.core.deck.filecache import FileCache, code_fingerprint, file_digest
from maliquiz.core.deck.files import Finding, Origin, catalog_files, latest_by_id

if TYPE_CHECKING:
    from maliquiz.core.deck.datacache import DeckDataCache
    from maliquiz.core.deck.models import Deck


class TaggedCards(Protocol):
    """A deck as counting needs it: an id, a title, and each card's id with its tags
    (a full :class:`~maliquiz.core.deck.models.Deck` or a :class:`DeckOutline`)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    def tagged_card_ids(self) -> Iterable[tuple[str, Sequence[str]]]: ...


class DeckOutline(NamedTuple):
    """A deck's id, title and cards (each card's id and tags, the deck's included)."""

    id: str
    title: str
    cards: tuple[tuple[str, tuple[str, ...]], ...]
    path: Path
    origin: Origin

    @classmethod
    def of(cls, deck: Deck, path: Path, origin: Origin) -> DeckOutline:
        """The outline of a loaded deck."""
        cards = tuple((card_id, tuple(tags)) for card_id, tags in deck.tagged_card_ids())
        return cls(deck.id, deck.title, cards, path, origin)

    def tagged_card_ids(self) -> Iterable[tuple[str, Sequence[str]]]:
        """Each card's id with its tags, in the deck's order."""
        return self.cards

    def to_json(self) -> dict[str, Any]:
        """What the cache keeps (the path and origin are the scan's, not the file's)."""
        return {"id": self.id, "title": self.title, "cards": [[c, list(t)] for c, t in self.cards]}

    @classmethod
    def from_json(cls, data: Any, path: Path, origin: Origin) -> DeckOutline | None:
        """The outline kept in the cache, or None when the entry is not one."""
        try:
            cards = tuple((str(c), tuple(str(t) for t in tags)) for c, tags in data["cards"])
            deck_id, title = data["id"], data["title"]
        except (KeyError, TypeError, ValueError):
            return None
        if not isinstance(deck_id, str) or not isinstance(title, str) or not cards:
            return None
        return cls(deck_id, title, cards, path, origin)


class DeckScan(NamedTuple):
    """Every deck found, outlined, with the errors of the files that did not load."""

    outlines: list[DeckOutline]
    """One per deck id (the latest file given wins), sorted by title."""
    problems: list[Finding]
    """Errors only: files that did not load, paths that name no deck file."""
    loaded: dict[Path, Deck]
    """The decks that had to be loaded to be outlined (no need to load them twice)."""
    replaced: tuple[Finding, ...] = ()
    """Warnings: a deck file that replaces another of the same id (``maliquiz decks``
    says so; the app does not)."""


def outline_cache_path(data_dir: Path) -> Path:
    """Where the outlines are kept: ``<data-dir>/cache/decks.json``."""
    return data_dir / "cache" / "decks.json"


def scan_decks(data_dir: Path, extra: Iterable[Path] = ()) -> DeckScan:
    """Outline the bundled decks, the user's decks and ``extra`` paths, as
    :func:`~maliquiz.core.deck.catalog.load_catalog` would load them."""
    files, problems = catalog_files(data_dir, extra)
    cache = FileCache(outline_cache_path(data_dir), code_fingerprint("outline"))
    loaded: dict[Path, Deck] = {}
    found: list[tuple[str, Path, DeckOutline]] = []
    decks: DeckDataCache | None = None
    for file, origin in files:
        digest = file_digest(file)
        outline = DeckOutline.from_json(cache.get(file, digest), file, origin) if digest else None
        if outline is None:
            if decks is None:
                from maliquiz.core.deck.datacache import DeckDataCache  # pydantic and YAML

                decks = DeckDataCache(data_dir)
            result = decks.load(file)
            if result.deck is None:
                problems.extend(result.errors)
                continue
            loaded[file] = result.deck
            outline = DeckOutline.of(result.deck, file, origin)
            if digest:
                cache.put(file, digest, outline.to_json())
        found.append((outline.id, file, outline))
    cache.save()
    if decks is not None:
        decks.save()
    chosen, replaced = latest_by_id(found)
    outlines = sorted((outline for _path, outline in chosen.values()), key=_by_title)
    return DeckScan(outlines, problems, loaded, tuple(replaced))


def _by_title(outline: DeckOutline) -> str:
    return outline.title.casefold()
