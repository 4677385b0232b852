"""Fixtures shared by the tests of the domain."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def deck_file(data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The deck of every card type in the data dir's decks folder; no bundled decks."""
    empty = tmp_path / "no-bundled-decks"
    empty.mkdir()
    monkeypatch.setattr("maliquiz.core.deck.files.BUNDLED_DECKS", empty)
    folder = data_dir / "decks"
    folder.mkdir(parents=True)
    return Path(shutil.copy(DATA / "every_type.yaml", folder / "every_type.yaml"))
