"""Deck files and the findings about them: what ``maliquiz check`` needs before (and
often instead of) loading anything.

Nothing here imports pydantic or YAML, so that finding the files, reading a cached
result and printing it costs no more than starting Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar

from maliquiz.core.paths import BUNDLED_DECKS, user_decks_dir
from maliquiz.i18n import _

DECK_SUFFIXES = (".yaml", ".yml")

Severity = Literal["error", "warning"]
Origin = Literal["bundled", "user", "path"]
T = TypeVar("T")


class Finding(NamedTuple):
    """One problem in a deck file, at a line and column (both counted from 1)."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    hint: str | None = None

    def format(self) -> str:
        """``path:line:col: severity: message (hint)``, as compilers print them."""
        label = _("error") if self.severity == "error" else _("warning")
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        text = f"{where}: {label}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, Any]:
        """The finding as plain data for ``--format json``."""
        return self._asdict()


class DeckLoadError(Exception):
    """A deck could not be loaded; ``findings`` says every reason, with its place."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("\n".join(f.format() for f in findings))


SOURCES_FOLDER = "sources"
"""A folder of this name inside a decks folder holds what the decks are built from (the
claims inventory, ``sources/claims.yaml``; articles), not decks: it is not searched."""


def deck_files(folder: Path) -> list[Path]:
    """The deck files directly in ``folder`` and below it, sorted; a ``sources`` folder
    below it is left out (see :data:`SOURCES_FOLDER`)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in DECK_SUFFIXES
        and p.is_file()
        and SOURCES_FOLDER not in p.relative_to(folder).parts[:-1]
    )


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Finding]]:
    """Deck files named by ``paths`` (files, or folders searched recursively)."""
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        if path.is_dir():
            found = deck_files(path)
            if not found:
                findings.append(
                    Finding(
                        str(path),
                        0,
                        0,
                        "error",
                        _("no deck files (*.yaml, *.yml) in this folder"),
                        _("give a deck file or a folder that holds some"),
                    )
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            findings.append(Finding(str(path), 0, 0, "error", _("no such file or folder")))
    return files, findings


def default_paths(data_dir: Path) -> list[Path]:
    """The bundled decks folder, plus the user's decks folder when it exists."""
    paths = [BUNDLED_DECKS]
    own = user_decks_dir(data_dir)
    if own.is_dir() and deck_files(own):
        paths.append(own)
    return paths


def catalog_files(
    data_dir: Path, extra: Iterable[Path] = ()
) -> tuple[list[tuple[Path, Origin]], list[Finding]]:
    """Every deck file the catalog reads, in order of precedence (bundled, then the
    user's folder, then ``extra`` paths), with the findings of ``extra`` paths that
    name nothing."""
    found: list[tuple[Path, Origin]] = []
    problems: list[Finding] = []
    sources: list[tuple[Path, Origin]] = [
        (BUNDLED_DECKS, "bundled"),
        (user_decks_dir(data_dir), "user"),
    ]
    sources += [(p, "path") for p in extra]
    for folder, origin in sources:
        if origin != "path" and not folder.is_dir():
            continue
        files, missing = expand_paths([folder])
        if origin == "path":
            problems.extend(missing)
        found.extend((file, origin) for file in files)
    return found, problems


def latest_by_id(
    found: Iterable[tuple[str, Path, T]],
) -> tuple[dict[str, tuple[Path, T]], list[Finding]]:
    """``(deck id, file, value)`` in order of precedence, by id: a deck given later
    replaces one with the same id (a user's copy of a bundled deck wins), and each
    replacement is a warning, so that it is never a surprise."""
    chosen: dict[str, tuple[Path, T]] = {}
    warnings: list[Finding] = []
    for deck_id, file, value in found:
        previous = chosen.get(deck_id)
        if previous is not None:
            warnings.append(
                Finding(
                    str(file),
                    1,
                    1,
                    "warning",
                    _("deck `{id}` replaces the one in {other}").format(
                        id=deck_id, other=previous[0]
                    ),
                )
            )
        chosen[deck_id] = (file, value)
    return chosen, warnings
