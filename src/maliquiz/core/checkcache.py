"""A cache of ``maliquiz check`` results, so that checking unchanged decks is instant.

An entry holds a deck file's findings under the SHA-256 of its bytes. The whole cache
is thrown away when anything that decides findings changes: the maliquiz version, the
interface language (messages are stored translated) or the code and catalog that check
(their bytes are hashed too). A file whose bytes changed is simply checked again. When
every file hits, ``check`` never imports pydantic or YAML.

It is a convenience, never a source of truth: unreadable or damaged cache files are
ignored, and writing it is best-effort. ``maliquiz check --no-cache`` bypasses it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from maliquiz import __version__
from maliquiz.core.files import Finding

_PACKAGE = Path(__file__).resolve().parent.parent
_DECIDING = (
    "core/deck.py", "core/loader.py", "core/files.py", "core/numbers.py",
    "core/dates.py", "core/normalize.py", "locale/fr/LC_MESSAGES/maliquiz.mo",
)  # fmt: skip


def cache_path(data_dir: Path) -> Path:
    """Where the cache lives: ``<data-dir>/cache/check.json``."""
    return data_dir / "cache" / "check.json"


def fingerprint(lang: str) -> str:
    """Changes whenever a cached finding could be different."""
    digest = hashlib.sha256(f"{__version__}\0{lang}".encode())
    for name in _DECIDING:
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


class CheckCache:
    """Findings of deck files, by path and content."""

    def __init__(self, path: Path, lang: str) -> None:
        self.path = path
        self.key = fingerprint(lang)
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(stored, dict) and stored.get("key") == self.key:
                self.entries = dict(stored.get("files", {}))
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: start afresh

    def get(self, file: Path, digest: str) -> list[Finding] | None:
        """The cached findings of ``file`` if its content is unchanged."""
        entry = self.entries.get(str(file.resolve()))
        if not isinstance(entry, dict) or entry.get("sha256") != digest:
            return None
        try:
            return [Finding(**item) for item in entry["findings"]]
        except (KeyError, TypeError):
            return None

    def put(self, file: Path, digest: str, findings: list[Finding]) -> None:
        """Remember the findings of ``file`` at this content."""
        self.entries[str(file.resolve())] = {
            "sha256": digest,
            "findings": [f.to_dict() for f in findings],
        }
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
        except OSError:
            pass
