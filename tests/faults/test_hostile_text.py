"""Promise: deck text, a learner's typed answers and file names are printed as the
characters they are. Nothing maliquiz prints in plain mode, in a command's messages or
in a report can clear the screen, recolour it, set the window title, add a hyperlink
(OSC 8) or ring the bell: control characters are shown as signs (ESC as ␛, BEL as ␇,
C1 controls and bidi overrides as <U+XXXX>), the same ones the app shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CliRunner

from .conftest import no_traceback

HOSTILE = r"""
id: hostile
title: "Titre \e]8;;https://evil.example/\e\\lien\e]8;;\e\\ \e]0;fenêtre\a"
cards:
  - id: clear
    type: text
    prompt: "Question \e[2J\e[H effacée \e[31mrouge\e[0m \a bip \u009b31m \u202eenrevers"
    answer: Réponse
    explanation: "Voir \e]8;;https://evil.example/\e\\ici\e]8;;\e\\ \a"
  - id: options
    type: choice
    prompt: "Choisir \e[5mclignote\e[0m"
    options: ["A \e[2J", "B \a", "C \u009d", "D"]
    answer: "D"
    shuffle: false
"""

# Anything a terminal would act on: C0 but newline and tab, DEL, C1, bidi controls.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(data_dir: Path) -> Path:
    folder = data_dir / "decks"
    folder.mkdir(parents=True)
    path = folder / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def harmless(text: str) -> None:
    found = RAW.search(text)
    assert found is None, f"{found.group()!r} printed raw in: {text!r}" if found else ""


def test_plain_study_shows_deck_text_and_typed_answers_as_signs(
    hostile: Path, run_cli: CliRunner
) -> None:
    typed = "\x1b[2Jmauvais\x07\n"  # what a learner pasted
    done = run_cli("study", "hostile", "--plain", input=typed + "1\n:q\n")
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    harmless(done.stdout + done.stderr)
    out = done.stdout
    assert "Question ␛[2J␛[H effacée ␛[31mrouge␛[0m ␇ bip <U+009B>31m <U+202E>enrevers" in out
    assert "Your answer: ␛[2Jmauvais␇" in out
    assert "Voir ␛]8;;https://evil.example/␛\\ici␛]8;;␛\\ ␇" in out
    assert "Titre ␛]8;;https://evil.example/␛\\lien" in out
    assert "1) A ␛[2J" in out and "2) B ␇" in out and "3) C <U+009D>" in out


@pytest.mark.parametrize(
    "command",
    [
        ("decks",),
        ("stats",),
        ("preview", "hostile"),
        ("check", "{deck}"),
        ("study", "\x1b[2Jdeck\x07", "--plain"),  # an unknown deck named in the message
        ("progress", "import", "\x1b]0;x\x07.json"),  # a missing file named in the message
    ],
    ids=["decks", "stats", "preview", "check", "unknown-deck", "missing-file"],
)
def test_commands_never_print_a_control_character(
    command: tuple[str, ...], hostile: Path, run_cli: CliRunner
) -> None:
    done = run_cli(*(part.format(deck=hostile) for part in command), input="")
    no_traceback(done)
    harmless(done.stdout + done.stderr)
    assert done.stdout + done.stderr


def test_the_class_report_shows_typed_answers_as_signs(
    hostile: Path, run_cli: CliRunner, tmp_path: Path
) -> None:
    assert run_cli("study", "hostile", "--plain", input="\x1b[2J\x9bfaux\t!\n1\n").returncode == 0
    export = tmp_path / "pupil.json"
    assert run_cli("progress", "export", "-o", str(export)).returncode == 0
    done = run_cli("report", str(export))
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    harmless(done.stdout + done.stderr)
    assert "␛[2J<U+009B>faux␉!" in done.stdout
