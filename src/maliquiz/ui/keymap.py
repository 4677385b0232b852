"""The keys and help texts of every screen, read from ``keys.toml`` beside this file.

One data file holds the whole keyboard: a reader sees every key at once, the catalog
takes the texts from it (``scripts/i18n.py``), and each binding keeps the id that
Textual's keymaps use, so a learner's own keys file can move any of them
(:func:`user_keymap`).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from textual.binding import Binding, BindingType

KEYS_FILE = Path(__file__).with_name("keys.toml")


@cache
def _places() -> dict[str, Any]:
    with KEYS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def help_text(place: str) -> str:
    """What F1 says of ``place`` (an English message id, translated where shown)."""
    return str(_places()[place]["help"])


def bindings(place: str) -> list[BindingType]:
    """The key bindings of ``place``, in the order the key bar shows them."""
    return [
        Binding(
            entry["keys"],
            entry["action"],
            entry["text"],
            show=entry.get("show", True),
            key_display=entry.get("key_display"),
            priority=entry.get("priority", False),
            id=entry["id"],
        )
        for entry in _places()[place].get("keys", [])
    ]


def binding_ids() -> set[str]:
    """Every binding id of the interface."""
    return {entry["id"] for place in _places().values() for entry in place.get("keys", [])}
