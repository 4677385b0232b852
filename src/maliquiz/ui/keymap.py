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

from maliquiz.i18n import _

KEYS_FILE = Path(__file__).with_name("keys.toml")
USER_KEYS_FILE = "keys.toml"
"""The learner's own keys, in the data dir: a table ``[keys]`` of binding id = keys."""


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


@cache
def squeezable() -> frozenset[str]:
    """The ids of keys that leave the key bar first when it is too narrow for all
    (``squeeze = true``): F1 still lists them."""
    return frozenset(
        entry["id"]
        for place in _places().values()
        for entry in place.get("keys", [])
        if entry.get("squeeze", False)
    )


def binding_ids() -> set[str]:
    """Every binding id of the interface."""
    return {entry["id"] for place in _places().values() for entry in place.get("keys", [])}


def user_keymap(data_dir: Path) -> tuple[dict[str, str], list[str]]:
    """The learner's own keys from ``<data_dir>/keys.toml`` (binding id to Textual key
    names, comma-separated), and a message for each entry that cannot be used, which
    is left out. No file: no change and nothing to say."""
    path = data_dir / USER_KEYS_FILE
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        return {}, []
    except (OSError, tomllib.TOMLDecodeError) as error:
        return {}, [_("{path}: {error}; your own keys are not used").format(path=path, error=error)]
    table = document.get("keys")
    if not isinstance(table, dict):
        return {}, [
            _('{path}: no [keys] table; write for example: [keys] "home.stats" = "z"').format(
                path=path
            )
        ]
    known = binding_ids()
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in table.items():
        if binding_id not in known:
            problems.append(
                _("{path}: no key is called `{id}` (the names are in {defaults})").format(
                    path=path, id=binding_id, defaults=KEYS_FILE
                )
            )
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(
                _('{path}: `{id}` needs keys as text, such as "ctrl+u" or "u,ctrl+u"').format(
                    path=path, id=binding_id
                )
            )
        else:
            keymap[binding_id] = keys.replace(" ", "")
    return keymap, problems
