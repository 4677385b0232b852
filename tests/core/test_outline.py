"""Deck outlines and the library: what the home screen reads without loading decks.

Real deck files in a temporary data dir; the cache is the real JSON file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import own_decks_only
from maliquiz.core.deck.catalog import load_catalog
from maliquiz.core.deck.library import Library
from maliquiz.core.deck.outline import DeckOutline, outline_cache_path, scan_decks

DATA = Path(__file__).resolve().parents[1] / "data"
EVERY_TYPE = (DATA / "every_type.yaml").read_text(encoding="utf-8")

SMALL = """\
id: {id}
title: {title}
tags: [petit]
cards:
  - id: un
    type: truefalse
    prompt: Vrai ?
    answer: vrai
    tags: [premier]
  - id: deux
    type: text
    prompt: Qui ?
    answer: Wagner
"""


@pytest.fixture
def decks(data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The data dir's decks folder with two decks; no bundled decks."""
    folder = own_decks_only(data_dir, monkeypatch, tmp_path)
    (folder / "every_type.yaml").write_text(EVERY_TYPE, encoding="utf-8")
    (folder / "small.yaml").write_text(SMALL.format(id="petit", title="Un petit deck"), "utf-8")
    return folder


def test_an_outline_has_the_ids_titles_cards_and_tags_of_the_loaded_decks(
    data_dir: Path, decks: Path
) -> None:
    scan = scan_decks(data_dir)
    catalog = load_catalog(data_dir)
    assert [o.id for o in scan.outlines] == ["test-every-type", "petit"]  # by title
    for outline in scan.outlines:
        deck = catalog.entries[outline.id].deck
        assert outline.title == deck.title
        assert outline.path == decks / f"{'every_type' if deck.id != 'petit' else 'small'}.yaml"
        assert outline.origin == "user"
        assert [c for c, _t in outline.cards] == [card.id for card in deck.cards]
        assert [list(t) for _c, t in outline.cards] == [deck.card_tags(c) for c in deck.cards]
    small = next(o for o in scan.outlines if o.id == "petit")
    assert small.cards == (("un", ("premier", "petit")), ("deux", ("petit",)))


def test_the_first_scan_loads_and_keeps_the_outlines_the_next_one_reads_them(
    data_dir: Path, decks: Path
) -> None:
    first = scan_decks(data_dir)
    assert set(first.loaded) == {decks / "every_type.yaml", decks / "small.yaml"}
    stored = json.loads(outline_cache_path(data_dir).read_text(encoding="utf-8"))
    assert len(stored["files"]) == 2
    second = scan_decks(data_dir)
    assert second.loaded == {}  # nothing parsed: every outline came from the cache
    assert second.outlines == first.outlines


def test_a_warm_scan_never_imports_pydantic_or_yaml(data_dir: Path, decks: Path) -> None:
    scan_decks(data_dir)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import maliquiz.core.deck.files as files\n"
        f"files.BUNDLED_DECKS = Path({str(decks.parent / 'none')!r})\n"
        "from maliquiz.core.deck.library import Library\n"
        f"library = Library.scan(Path({str(data_dir)!r}))\n"
        "assert [o.id for o in library.outlines] == ['test-every-type', 'petit']\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml'))\n"
        "print(heavy)\n"
        "sys.exit(1 if heavy else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_edited_deck_is_outlined_again(data_dir: Path, decks: Path) -> None:
    scan_decks(data_dir)
    (decks / "small.yaml").write_text(SMALL.format(id="petit", title="Nouveau titre"), "utf-8")
    scan = scan_decks(data_dir)
    assert set(scan.loaded) == {decks / "small.yaml"}
    assert next(o for o in scan.outlines if o.id == "petit").title == "Nouveau titre"


def test_a_broken_deck_is_reported_every_time_and_never_kept(data_dir: Path, decks: Path) -> None:
    (decks / "broken.yaml").write_text("id: broken\ntitle: x\ncards: []\n", encoding="utf-8")
    for _ in range(2):
        scan = scan_decks(data_dir)
        assert [o.id for o in scan.outlines] == ["test-every-type", "petit"]
        assert scan.problems and all(p.severity == "error" for p in scan.problems)
        assert {p.path for p in scan.problems} == {str(decks / "broken.yaml")}
    stored = json.loads(outline_cache_path(data_dir).read_text(encoding="utf-8"))
    assert str((decks / "broken.yaml").resolve()) not in stored["files"]


def test_a_damaged_cache_is_ignored_and_written_again(data_dir: Path, decks: Path) -> None:
    scan_decks(data_dir)
    path = outline_cache_path(data_dir)
    path.write_text("{not json", encoding="utf-8")
    scan = scan_decks(data_dir)
    assert len(scan.loaded) == 2
    assert json.loads(path.read_text(encoding="utf-8"))["files"]


def test_a_cache_entry_that_is_not_an_outline_is_loaded_instead(
    data_dir: Path, decks: Path
) -> None:
    scan_decks(data_dir)
    path = outline_cache_path(data_dir)
    stored = json.loads(path.read_text(encoding="utf-8"))
    for entry in stored["files"].values():
        entry["value"] = {"id": 3, "cards": "no"}
    path.write_text(json.dumps(stored), encoding="utf-8")
    scan = scan_decks(data_dir)
    assert len(scan.loaded) == 2
    assert [o.id for o in scan.outlines] == ["test-every-type", "petit"]


def test_a_later_deck_with_the_same_id_replaces_the_earlier(
    data_dir: Path, decks: Path, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere.yaml"
    other.write_text(SMALL.format(id="petit", title="Ma copie"), encoding="utf-8")
    scan = scan_decks(data_dir, [other])
    copy = next(o for o in scan.outlines if o.id == "petit")
    assert (copy.title, copy.path, copy.origin) == ("Ma copie", other, "path")
    assert len(scan.outlines) == 2


def test_outline_round_trip_through_json(tmp_path: Path) -> None:
    outline = DeckOutline("d", "Titre", (("a", ("x", "y")), ("b", ())), tmp_path, "user")
    again = DeckOutline.from_json(json.loads(json.dumps(outline.to_json())), tmp_path, "user")
    assert again == outline


def test_the_library_loads_full_decks_only_when_asked(data_dir: Path, decks: Path) -> None:
    scan_decks(data_dir)  # warm the cache, as every start but the first
    library = Library.scan(data_dir)
    assert not library.loaded
    assert library.tags() == ["petit", "premier", "test"]
    deck = library.get("petit")  # only this deck is read
    assert deck is not None and [c.id for c in deck.cards] == ["un", "deux"]
    assert not library.loaded
    assert library.get("nothing") is None
    assert [d.id for d in library.decks] == [o.id for o in library.outlines]
    assert library.loaded
    assert library.decks[1] is deck  # read once
    assert library.get("petit") is deck


def test_the_library_loads_once_when_two_threads_ask(data_dir: Path, decks: Path) -> None:
    scan_decks(data_dir)
    library = Library.scan(data_dir)
    results: list[list[object]] = []
    threads = [threading.Thread(target=lambda: results.append(library.load())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results[0] is results[1]  # the same list: the second waited for the first


def test_a_deck_broken_after_it_was_outlined_is_left_out_with_its_errors(
    data_dir: Path, decks: Path
) -> None:
    scan_decks(data_dir)
    library = Library.scan(data_dir)
    (decks / "small.yaml").write_text("id: petit\ntitle: x\ncards: []\n", encoding="utf-8")
    assert [d.id for d in library.decks] == ["test-every-type"]
    assert [o.id for o in library.outlines] == ["test-every-type"]
    assert any("small.yaml" in problem for problem in library.problems)


def test_decks_given_on_the_command_line_join_the_library(
    data_dir: Path, decks: Path, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere.yaml"
    other.write_text(SMALL.format(id="autre", title="Autre deck"), encoding="utf-8")
    extra = load_catalog(data_dir, [other]).entries["autre"].deck
    library = Library.scan(data_dir, [extra])
    assert [o.id for o in library.outlines] == ["autre", "test-every-type", "petit"]
    assert library.get("autre") is extra
