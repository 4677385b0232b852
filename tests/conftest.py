"""Shared fixtures. Every test runs with its own data directory, user and language, so
no test ever reads or writes the developer's real maliquiz data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from maliquiz.core.deck.loader import load_deck
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock, StudyCalendar
from maliquiz.core.learning.scheduling import Scheduler, SchedulingSettings
from maliquiz.core.progress.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED_SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every data location at a temporary folder and fix user and language."""
    data = tmp_path / "maliquiz-data"
    monkeypatch.setenv("MALIQUIZ_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("MALIQUIZ_USER", "tester")
    monkeypatch.setenv("MALIQUIZ_LANG", "en")
    from maliquiz.i18n import set_language

    set_language("en")
    yield data
    set_language("en")


@pytest.fixture
def data_dir(isolated_env: Path) -> Path:
    """The temporary data directory of this test."""
    return isolated_env


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli() -> CliRunner:
    """Run the real ``maliquiz`` CLI in a subprocess with the test's environment."""

    def run(
        *args: str,
        input: str | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "maliquiz", *args],
            input=input,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=full_env,
            timeout=timeout,
        )

    return run


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write deck text to a file in the test's folder and return its path."""

    def write(text: str, name: str = "deck.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


# --- the session and exam tests' world: the test deck, a manual clock, a real store ---

SESSION_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def deck() -> Deck:
    """The deck with one card of every type."""
    return load_deck(REPO / "tests" / "data" / "every_type.yaml")


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when a test advances it."""
    return ManualClock(SESSION_START)


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[Store]:
    """A real progress file in the test's folder, days rolling over in UTC, no fuzz, and
    the learner "awa"."""
    with Store.open(
        tmp_path / "progress.sqlite3",
        clock=clock,
        calendar=StudyCalendar(UTC),
        scheduler=Scheduler(SchedulingSettings(fuzz=False)),
    ) as opened:
        opened.ensure_user("awa")
        yield opened


def own_decks_only(data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The data dir's decks folder, made empty, and no bundled decks: the decks a test
    writes there are the only ones."""
    empty = tmp_path / "no-bundled-decks"
    empty.mkdir()
    monkeypatch.setattr("maliquiz.core.deck.files.BUNDLED_DECKS", empty)
    folder = data_dir / "decks"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def deck_file(data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The deck of every card type in the data dir's decks folder; no bundled decks."""
    folder = own_decks_only(data_dir, monkeypatch, tmp_path)
    return Path(
        shutil.copy(REPO / "tests" / "data" / "every_type.yaml", folder / "every_type.yaml")
    )
