"""Where maliquiz keeps things: the bundled decks and the user's data directory.

``default_data_dir`` is the one seam that finds the user's directory; tests point it at
a temporary folder through ``MALIQUIZ_DATA_DIR`` so they never touch real data.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    """A folder shipped in the wheel as ``maliquiz/<name>``; in a source checkout (an
    editable install) it lives at the top of the repository instead."""
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent.parent / name


BUNDLED_DECKS = _shipped("decks")
SCHEMA_FILE = _shipped("schema") / "deck.schema.json"


def default_data_dir() -> Path:
    """``MALIQUIZ_DATA_DIR`` if set, else the platform's user data directory."""
    env = os.environ.get("MALIQUIZ_DATA_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir  # deferred: only needed without the variable

    return Path(user_data_dir("maliquiz", appauthor=False))


def user_decks_dir(data_dir: Path) -> Path:
    """The folder where a user's own decks are found."""
    return data_dir / "decks"
