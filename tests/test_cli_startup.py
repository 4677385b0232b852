"""What `maliquiz check` spends before and after checking: the pydantic plugin scan it
skips, the modules it leaves unloaded, the cycle collector it holds and gives back."""

from __future__ import annotations

import ast
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from maliquiz import cli

REPO = Path(__file__).resolve().parents[1]
DECK = REPO / "decks" / "chronologie.yaml"


def _after_check(code: str, tmp_path: Path, env: dict[str, str]) -> object:
    """What ``code`` evaluates to in a fresh interpreter once it has run `maliquiz check
    --no-cache` on a bundled deck through the entry point."""
    program = (
        "import os, sys\n"
        "from maliquiz.cli import main\n"
        f"assert main(['--data-dir', {str(tmp_path)!r}, 'check', '--no-cache', {str(DECK)!r}]) == 0\n"
        f"print(repr({code}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


def _env_without_plugin_choice() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}


def test_check_skips_the_pydantic_plugin_scan(tmp_path: Path) -> None:
    seen = _after_check(
        "(os.environ.get('PYDANTIC_DISABLE_PLUGINS'),"
        " sys.modules['pydantic.plugin._loader']._plugins is None)",
        tmp_path,
        _env_without_plugin_choice(),
    )
    assert seen == ("__all__", True)


def test_a_users_plugin_choice_is_kept(tmp_path: Path) -> None:
    # An empty value disables nothing: pydantic then looks for plugins, as the user asked.
    env = {**_env_without_plugin_choice(), "PYDANTIC_DISABLE_PLUGINS": ""}
    seen = _after_check(
        "(os.environ.get('PYDANTIC_DISABLE_PLUGINS'),"
        " sys.modules['pydantic.plugin._loader']._plugins is None)",
        tmp_path,
        env,
    )
    assert seen == ("", False)


def test_the_class_server_keeps_pydantic_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    cli._skip_pydantic_plugins("serve")
    assert "PYDANTIC_DISABLE_PLUGINS" not in os.environ
    cli._skip_pydantic_plugins("check")
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"


def test_check_without_cache_leaves_the_cache_and_coverage_code_unloaded(
    tmp_path: Path,
) -> None:
    unused = (
        "maliquiz.core.deck.checkcache",
        "maliquiz.core.deck.filecache",
        "maliquiz.commands._coverage",
    )
    loaded = _after_check(
        f"[m for m in {unused!r} if m in sys.modules]", tmp_path, _env_without_plugin_choice()
    )
    assert loaded == []


@pytest.mark.parametrize("enabled", [True, False])
def test_check_gives_the_cycle_collector_back_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    was = gc.isenabled()
    try:
        if enabled:
            gc.enable()
        else:
            gc.disable()
        code = cli.main(["--data-dir", str(tmp_path), "check", "--no-cache", str(DECK)])
        assert code == 0
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()
