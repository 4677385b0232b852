"""A cache of ``maliquiz check`` results, so that checking unchanged decks is instant.

An entry holds a deck file's findings under the SHA-256 of its bytes. The whole cache
is thrown away when anything that decides findings changes: the maliquiz version, the
interface language (messages are stored translated) or the code and catalog that check
(their bytes are hashed too). A file whose bytes changed is simply checked again. When
every file hits, ``check`` never imports pydantic or YAML. ``maliquiz check
--no-cache`` bypasses it.
"""

from __future__ import annotations

from pathlib import Path

from maliquiz.core.deck.filecache import DECK_READING_CODE, FileCache, code_fingerprint
from maliquiz.core.deck.filecache import file_digest as file_digest
from maliquiz.core.deck.files import Finding

_DECIDING = (*DECK_READING_CODE, "locale/fr/LC_MESSAGES/maliquiz.mo")


def cache_path(data_dir: Path) -> Path:
    """Where the cache lives: ``<data-dir>/cache/check.json``."""
    return data_dir / "cache" / "check.json"


def fingerprint(lang: str) -> str:
    """Changes whenever a cached finding could be different."""
    return code_fingerprint(lang, files=_DECIDING)


class CheckCache:
    """Findings of deck files, by path and content."""

    def __init__(self, path: Path, lang: str) -> None:
        self._files = FileCache(path, fingerprint(lang))

    def get(self, file: Path, digest: str) -> list[Finding] | None:
        """The cached findings of ``file`` if its content is unchanged."""
        stored = self._files.get(file, digest)
        if not isinstance(stored, list):
            return None
        try:
            return [Finding(**item) for item in stored]
        except TypeError:
            return None

    def put(self, file: Path, digest: str, findings: list[Finding]) -> None:
        """Remember the findings of ``file`` at this content."""
        self._files.put(file, digest, [f.to_dict() for f in findings])

    def save(self) -> None:
        """Write the cache if it changed; failures are ignored (it is only a cache)."""
        self._files.save()
