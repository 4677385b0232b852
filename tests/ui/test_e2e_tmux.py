"""End to end: the installed ``maliquiz`` in a real terminal (tmux), three cards studied
by sending keys, quit, then the answers read back with ``maliquiz stats --json``.

tmux is an external process, so the test waits for screen content by polling
``tmux capture-pane`` against a deadline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
DEADLINE = 30.0

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("maliquiz") is None,
    reason="needs tmux and the installed maliquiz",
)


class Terminal:
    """A tmux session on its own server socket, running one command."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.socket = f"maliquiz-test-{uuid.uuid4().hex[:8]}"
        self.env = env
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        line = f"env {exports} {' '.join(_quote(c) for c in command)}; sleep 30"
        self.tmux("new-session", "-d", "-s", "main", "-x", str(size[0]), "-y", str(size[1]), line)

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        return done.stdout

    def screen(self) -> str:
        """What the terminal shows now."""
        return self.tmux("capture-pane", "-p", "-t", "main")

    def wait_for(self, *texts: str, deadline: float = DEADLINE) -> str:
        """Poll the screen until one of ``texts`` shows; return the screen."""
        end = time.monotonic() + deadline
        shown = ""
        while time.monotonic() < end:
            shown = self.screen()
            if any(text in shown for text in texts):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"none of {texts} on screen after {deadline}s:\n{shown}")

    def send(self, *keys: str) -> None:
        """Send tmux key names (``Space``, ``Enter``, ``C-r``) or text."""
        self.tmux("send-keys", "-t", "main", *keys)

    def close(self) -> None:
        self.tmux("kill-server")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def test_study_three_cards_in_a_real_terminal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    shutil.copy(DATA / "every_type.yaml", data / "decks" / "every_type.yaml")
    env = {
        "MALIQUIZ_DATA_DIR": str(data),
        "MALIQUIZ_USER": "e2e",
        "MALIQUIZ_LANG": "en",
        "TERM": "xterm-256color",
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PATH": os.environ["PATH"],
    }
    terminal = Terminal(["maliquiz", "study", "test-every-type"], env, (100, 30))
    try:
        for _card in range(3):
            shown = terminal.wait_for(
                "Space: show the answer",
                "Ctrl+R if you don't know",
                "Press the number",
                "True or false",
                "Put in order",
                "Pair each item",
                "Fill the gaps",
            )
            if "Space: show the answer" in shown:
                terminal.send("Space")
                terminal.wait_for("How well did you know it")
                terminal.send("3")
            else:
                terminal.send("C-r")  # don't know: shows the answer, counts as a review
            terminal.wait_for("Comes back:")
            terminal.send("Enter")
        terminal.wait_for(
            "Ctrl+R if you don't know",
            "Press the number",
            "True or false",
            "Put in order",
            "Pair each item",
            "Fill the gaps",
            "Session over",
            "Space: show the answer",
        )
        terminal.send("C-q")
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end and "maliquiz" in terminal.screen():
            time.sleep(0.1)
    finally:
        terminal.close()
    done = subprocess.run(
        ["maliquiz", "stats", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["reviews_today"] == 3
