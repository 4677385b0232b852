"""The data of decks read before (``cache/deck-data.json``): an unchanged deck file is
validated again from it without its YAML being parsed, and nothing else changes.

Real deck files in a temporary data dir; the cache is the real JSON file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maliquiz.core.deck.catalog import load_catalog
from maliquiz.core.deck.datacache import DeckDataCache, data_cache_path
from maliquiz.core.deck.library import Library
from maliquiz.core.deck.loader import load_deck


@pytest.fixture
def decks(deck_file: Path) -> Path:
    """The data dir's decks folder, holding the deck of every card type; no bundled decks."""
    return deck_file.parent


def kept(data_dir: Path) -> dict[str, dict[str, object]]:
    files = json.loads(data_cache_path(data_dir).read_text(encoding="utf-8"))["files"]
    assert isinstance(files, dict)
    return files


def test_a_deck_read_once_is_the_same_deck_from_its_kept_data(data_dir: Path, decks: Path) -> None:
    first = load_catalog(data_dir).entries["test-every-type"].deck
    (entry,) = kept(data_dir).values()
    assert entry["value"]["id"] == "test-every-type"  # type: ignore[index]
    again = load_catalog(data_dir).entries["test-every-type"].deck
    assert again == first == load_deck(decks / "every_type.yaml")


def test_the_kept_data_is_what_the_next_load_uses_until_the_file_changes(
    data_dir: Path, decks: Path
) -> None:
    load_catalog(data_dir)
    # The kept data is used (its title changed by hand here shows it)...
    stored = json.loads(data_cache_path(data_dir).read_text(encoding="utf-8"))
    (entry,) = stored["files"].values()
    entry["value"]["title"] = "Titre gardé"
    data_cache_path(data_dir).write_text(json.dumps(stored), encoding="utf-8")
    assert load_catalog(data_dir).entries["test-every-type"].deck.title == "Titre gardé"
    # ...until the file's text changes: then the file is read again, and kept anew.
    path = decks / "every_type.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# une ligne de plus\n", "utf-8")
    deck = load_catalog(data_dir).entries["test-every-type"].deck
    assert deck.title == load_deck(path).title != "Titre gardé"


def test_kept_data_that_no_longer_validates_or_a_damaged_cache_reads_the_file(
    data_dir: Path, decks: Path
) -> None:
    expected = load_deck(decks / "every_type.yaml")
    load_catalog(data_dir)
    stored = json.loads(data_cache_path(data_dir).read_text(encoding="utf-8"))
    (entry,) = stored["files"].values()
    entry["value"]["cards"][0]["type"] = "telepathy"
    data_cache_path(data_dir).write_text(json.dumps(stored), encoding="utf-8")
    assert load_catalog(data_dir).entries["test-every-type"].deck == expected
    data_cache_path(data_dir).write_text("{not json", encoding="utf-8")
    assert load_catalog(data_dir).entries["test-every-type"].deck == expected
    assert kept(data_dir)  # written again, whole


@pytest.mark.parametrize("alter", ["a card twice", "a citation of no source"])
def test_kept_data_failing_the_checks_outside_the_models_reads_the_file(
    data_dir: Path, decks: Path, alter: str
) -> None:
    expected = load_deck(decks / "every_type.yaml")
    load_catalog(data_dir)
    stored = json.loads(data_cache_path(data_dir).read_text(encoding="utf-8"))
    (entry,) = stored["files"].values()
    cards = entry["value"]["cards"]
    if alter == "a card twice":
        cards.append(cards[0])
    else:
        cards[0]["source"] = {"ref": "nulle-part", "paragraph": 1}
    data_cache_path(data_dir).write_text(json.dumps(stored), encoding="utf-8")
    assert load_catalog(data_dir).entries["test-every-type"].deck == expected


def test_a_deck_with_errors_is_never_kept_and_its_errors_come_every_time(
    data_dir: Path, decks: Path
) -> None:
    (decks / "broken.yaml").write_text(
        "id: casse\ntitle: Cassé\ncards:\n  - id: a\n    type: text\n    prompt: Qui ?\n",
        encoding="utf-8",
    )
    for _ in range(2):
        catalog = load_catalog(data_dir)
        assert "casse" not in catalog.entries
        assert any("missing key `answer`" in f.message and f.line == 4 for f in catalog.problems)
    assert [Path(name).name for name in kept(data_dir)] == ["every_type.yaml"]


def test_the_library_loads_full_decks_through_the_kept_data(data_dir: Path, decks: Path) -> None:
    Library.scan(data_dir).load()  # outlines made, and the deck's data kept
    assert [Path(name).name for name in kept(data_dir)] == ["every_type.yaml"]
    library = Library.scan(data_dir)  # outlines from their cache: nothing loaded yet
    assert not library.loaded
    assert library.get("test-every-type") == load_deck(decks / "every_type.yaml")


def test_a_file_that_cannot_be_read_says_so(data_dir: Path, tmp_path: Path) -> None:
    result = DeckDataCache(data_dir).load(tmp_path / "absent.yaml")
    assert result.deck is None and result.errors
