"""Results computed from deck files, kept on disk under the SHA-256 of each file's bytes.

``maliquiz check`` keeps its findings this way and the app keeps the outline of each
deck (its id, title and cards), so that neither has to parse and validate a deck that
has not changed. The whole cache is thrown away when its ``key`` changes: callers build
the key from what decides their results (the maliquiz version, the code that reads
decks, the language of stored messages). A file whose bytes changed simply misses.

It is a convenience, never a source of truth: unreadable or damaged cache files are
ignored, and writing it is best-effort and atomic (a reader never sees half a file).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from maliquiz import __version__

_PACKAGE = Path(__file__).resolve().parents[2]
DECK_READING_CODE = (
    "core/deck/models.py", "core/deck/loader.py", "core/deck/yamltree.py", "core/deck/files.py",
    "core/deck/giveaways.py",
    "core/text/numbers.py", "core/text/dates.py", "core/text/normalize.py",
)  # fmt: skip
"""The modules whose code decides what a deck file loads as."""


def code_fingerprint(*parts: str, files: tuple[str, ...] = DECK_READING_CODE) -> str:
    """A digest of the maliquiz version, ``parts`` and the bytes of ``files`` (paths
    inside the package): it changes whenever a cached result could be different."""
    digest = hashlib.sha256("\0".join((__version__, *parts)).encode())
    for name in files:
        try:
            digest.update((_PACKAGE / name).read_bytes())
        except OSError:
            digest.update(b"missing:" + name.encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class FileCache:
    """JSON values by file path and content, stored in one JSON file."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(stored, dict) and stored.get("key") == key:
                files = stored.get("files", {})
                self.entries = dict(files) if isinstance(files, dict) else {}
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: start afresh

    def get(self, file: Path, digest: str) -> Any | None:
        """The value kept for ``file`` if its content is still ``digest``."""
        entry = self.entries.get(str(file.resolve()))
        if not isinstance(entry, dict) or entry.get("sha256") != digest:
            return None
        return entry.get("value")

    def put(self, file: Path, digest: str, value: Any) -> None:
        """Keep ``value`` (plain JSON data) for ``file`` at this content."""
        self.entries[str(file.resolve())] = {"sha256": digest, "value": value}
        self.changed = True

    def save(self) -> None:
        """Write the cache if it changed; failures are ignored (it is only a cache)."""
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(self.path.name + f".{os.getpid()}.partial")
            partial.write_text(
                json.dumps({"key": self.key, "files": self.entries}, ensure_ascii=False),
                encoding="utf-8",
            )
            os.replace(partial, self.path)
            self.changed = False
        except OSError:
            pass
