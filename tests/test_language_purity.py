"""No English in French mode, no French in English mode: every subcommand's --help."""

from __future__ import annotations

import re

import pytest

from conftest import CliRunner
from maliquiz import cli
from maliquiz.i18n import set_language

# Words of one language never written in the other ("options" and "arguments" are
# French too; "usage" is, but argparse's heading "usage:" is not).
ENGLISH = (
    "the",
    "and",
    "show",
    "usage:",
    "positional",
    "help message",
    "exit",
    "Search for commands",
    "of",
    "with",
    "DECK",  # argparse placeholders: PAQUET, RECHERCHE, ÉTIQUETTE, JOURS in French
    "QUERY",
    "TAG",
    "DAYS",
)
FRENCH = ("les", "des", "affiche", "utilisation", "quitte", "positionnels")


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        cli.main(argv)
    return capsys.readouterr().out


COMMANDS = [[], *([name] for name in cli._available_commands())]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "maliquiz")
def test_help_in_french_has_no_english(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        text = _help(["--lang", "fr", *command, "--help"], capsys)
    finally:
        set_language("en")
    assert _found(text, ENGLISH) == [], _found(text, ENGLISH)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "maliquiz")
def test_help_in_english_has_no_french(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(["--lang", "en", *command, "--help"], capsys)
    assert _found(text, FRENCH) == [], _found(text, FRENCH)


def test_settings_and_stats_write_french_numbers_in_french(run_cli: CliRunner) -> None:
    french = {"MALIQUIZ_LANG": "fr"}
    done = run_cli("settings", "--retention", "0.85", env=french)
    assert done.returncode == 0, done.stderr
    assert "0,85" in done.stdout and "0.85" not in done.stdout
    assert "deck" not in done.stdout
    # The weights too: 21 numbers, each with a decimal comma.
    weights = done.stdout.splitlines()[-1].split()[1:]
    assert len(weights) == 21 and all("." not in w for w in weights), weights
