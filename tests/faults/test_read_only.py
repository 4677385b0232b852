"""Promise: progress that cannot be saved is not studied. A read-only progress file,
folder or file system ends the command at once with a message saying so and why; no
traceback, nothing changed, and no ``-wal``/``-shm`` file left behind.

As root, file modes stop nothing, so the file is made immutable (``chattr +i``) and the
file system read-only in a private mount namespace (``unshare``); a test skips, saying
why, where neither can be done."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CliRunner

from .conftest import answers_in, files_of, no_traceback, progress, read_only


@pytest.fixture
def studied(data_dir: Path, deck: Path, run_cli: CliRunner) -> Path:
    """A progress file with 3 answers, closed cleanly (no -wal, no -shm)."""
    done = run_cli("study", "faults", "--plain", "--limit", "3", input="\n\n\n")
    assert done.returncode == 0, done.stderr
    return progress(data_dir)


def refused(done: subprocess.CompletedProcess[str], why: str) -> None:
    no_traceback(done)
    assert done.returncode == 1, done.stdout
    assert "progress cannot be saved" in done.stderr and why in done.stderr, done.stderr
    assert "Question" not in done.stdout  # nothing was asked


@pytest.mark.parametrize("command", [("study", "faults", "--plain"), ("stats",)])
def test_a_read_only_file(
    command: tuple[str, ...], studied: Path, data_dir: Path, run_cli: CliRunner
) -> None:
    before = files_of(data_dir)
    with read_only(studied):
        done = run_cli(*command, input="\n\n")
    refused(done, "the file is read-only")
    assert files_of(data_dir) == before  # no -wal, no -shm, not a byte changed


def test_a_read_only_folder(studied: Path, data_dir: Path, run_cli: CliRunner) -> None:
    before = files_of(data_dir)
    with read_only(data_dir):
        done = run_cli("study", "faults", "--plain", input="\n")
    refused(done, f"the folder {data_dir} cannot be written to")
    assert files_of(data_dir) == before


def test_a_read_only_file_system(studied: Path, data_dir: Path) -> None:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is not installed")
    before = files_of(data_dir)
    # A private mount namespace (as a mapped root) where the data dir is mounted read-only.
    script = (
        f'mount --bind -o ro "{data_dir}" "{data_dir}" || exit 77\n'
        f'exec "{sys.executable}" -m maliquiz stats\n'
    )
    done = subprocess.run(
        [unshare, "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode == 77 or "unshare:" in done.stderr:
        pytest.skip(f"no private read-only mount here: {done.stderr.strip()}")
    refused(done, "read-only file system")
    assert files_of(data_dir) == before
    assert answers_in(studied) == 3
