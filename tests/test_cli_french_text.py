"""French as a French reader expects it from the real CLI (subprocess, MALIQUIZ_LANG=fr):
table headings and card types in the app's words, dates day first, decimal commas read
and written, and a space before `:` and `;`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner
from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

DATA = Path(__file__).resolve().parent / "data"
FRENCH = {"MALIQUIZ_LANG": "fr"}

# One choice card that cites two sources: the exam's mistakes list both on one line.
TWO_SOURCES = """\
id: deux-sources
title: Deux sources
language: fr
sources:
  - id: soldats
    title: Les soldats
    date: 2021-12
  - id: retrait
    title: Le retrait
    date: 2022-01
cards:
  - id: pays
    type: choice
    prompt: Quel pays a exprimé sa frustration ?
    options: [États-Unis, France, Russie, Allemagne]
    answer: États-Unis
    source: [{ref: soldats, paragraph: 1}, {ref: retrait, paragraph: 2}]
"""


def ok(done: Any) -> str:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return str(done.stdout)


@pytest.fixture
def own_deck(data_dir: Path) -> None:
    """The test deck with one card of every type in the learner's decks folder, its
    text card answered once (so that it has a due date)."""
    own = data_dir / "decks"
    own.mkdir(parents=True)
    shutil.copy(DATA / "every_type.yaml", own / "every_type.yaml")
    with Store.open(progress_path(data_dir)) as store:
        store.ensure_user("tester")
        store.record_answer(
            "tester",
            "test-every-type",
            "text-wagner",
            rating=Rating.Good,
            outcome=Outcome.CORRECT,
            mode="typed",
        )


@pytest.mark.usefixtures("own_deck")
def test_cards_table_in_the_apps_words(run_cli: CliRunner) -> None:
    out = ok(run_cli("cards", "deck:test-every-type", env=FRENCH))
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["PAQUET", "CARTE", "TYPE", "ÉTAT"]
    cells = {line.split()[1]: line.split() for line in lines[1:-1]}
    # The type labels of the app's browser, not the deck format's ids.
    assert cells["text-wagner"][2] == "nom"
    assert cells["order-evenements"][2] == "ordre"
    assert cells["match-acteurs"][2] == "paires"
    assert cells["choice-pays"][2] == "choix"
    # The due date day first, as the app writes it in French.
    wagner = next(line for line in lines if " text-wagner " in line)
    due = re.search(r" (\d\d/\d\d/\d{4}) ", wagner)
    assert due is not None, wagner
    # --json keeps the ids and ISO dates for tools.
    (row,) = json.loads(ok(run_cli("cards", "card:text-wagner", "--json", env=FRENCH)))
    assert row["type"] == "text"
    day, month, year = due[1].split("/")
    assert row["due"] == f"{year}-{month}-{day}"


@pytest.mark.usefixtures("own_deck")
def test_cards_table_in_english_keeps_iso_dates(run_cli: CliRunner) -> None:
    lines = ok(run_cli("cards", "card:text-wagner")).splitlines()
    assert lines[0].split()[:3] == ["DECK", "CARD", "TYPE"]
    cells = lines[1].split()
    assert cells[2] == "name"
    assert re.search(r" \d{4}-\d\d-\d\d ", lines[1]), lines[1]


@pytest.mark.usefixtures("own_deck")
def test_stats_table_heads_its_decks_paquet(run_cli: CliRunner) -> None:
    out = ok(run_cli("stats", env=FRENCH))
    assert out.splitlines()[0].split()[:2] == ["PAQUET", "CARTES"]
    assert "DECK" not in out


@pytest.mark.parametrize("written", ["0,85", "0.85", " 0,85"])
def test_settings_read_a_decimal_comma_or_point(run_cli: CliRunner, written: str) -> None:
    out = ok(run_cli("settings", "--retention", written, "--typed-after", "1,5", env=FRENCH))
    assert "rétention visée            0,85" in out
    assert "1,5 jours" in out
    # English reads a decimal comma too, and writes a point.
    assert "desired retention   0.80" in ok(run_cli("settings", "--retention", "0,8"))


@pytest.mark.parametrize(
    ("args", "lang", "message"),
    [
        (
            ("--retention", "abc"),
            "fr",
            "argument --retention : 'abc' n'est pas un nombre comme 0,85",
        ),
        (("--retention", "nan"), "en", "argument --retention: 'nan' is not a number such as 0.85"),
        (("--retention", "0,5"), "fr", "doit valoir de 0,70 à 0,97, pas 0,5"),
        (("--typed-after", "1.2.3"), "en", "'1.2.3' is not a number such as 1.5"),
        (("--typed-after", "-1"), "en", "must be from 0 to 3,650, not -1"),
        (("--new-per-deck", "x"), "fr", "argument --new-per-deck : 'x' n'est pas un nombre entier"),
    ],
)
def test_settings_say_what_number_they_want(
    run_cli: CliRunner, args: tuple[str, ...], lang: str, message: str
) -> None:
    done = run_cli("settings", *args, env={"MALIQUIZ_LANG": lang})
    assert done.returncode == 2
    assert message in done.stderr, done.stderr
    assert "float" not in done.stderr and "Traceback" not in done.stderr


def test_settings_help_writes_numbers_as_the_language_does(run_cli: CliRunner) -> None:
    french = " ".join(ok(run_cli("settings", "--help", env=FRENCH)).split())
    assert "rétention visée, de 0,70 à 0,97 (par défaut 0,90)" in french
    english = " ".join(ok(run_cli("settings", "--help")).split())
    assert "desired retention, 0.70 to 0.97 (default 0.90)" in english


@pytest.mark.parametrize("command", [[], ["cards"], ["settings"]], ids=lambda c: " ".join(c))
def test_help_headings_have_a_space_before_the_colon(
    run_cli: CliRunner, command: list[str]
) -> None:
    lines = ok(run_cli(*command, "--help", env=FRENCH)).splitlines()
    assert "options :" in lines
    assert "options:" not in lines
    if command != ["settings"]:
        assert "arguments positionnels :" in lines
    assert lines[0].startswith("utilisation : ")
    english = ok(run_cli(*command, "--help")).splitlines()
    assert "options:" in english


def test_exam_sources_are_joined_with_a_spaced_semicolon(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    deck = tmp_path / "deux.yaml"
    deck.write_text(TWO_SOURCES, encoding="utf-8")
    # The question left blank, then Enter hands the exam in: one mistake to report.
    french = ok(run_cli("exam", "--plain", str(deck), input="\n\n", env=FRENCH))
    assert "Examen : 1 question." in french
    assert (
        "Sources : Les soldats (décembre 2021), paragraphe 1 ; "
        "Le retrait (janvier 2022), paragraphe 2"
    ) in french
    english = ok(run_cli("exam", "--plain", str(deck), input="\n\n"))
    assert "Les soldats (décembre 2021), paragraph 1; Le retrait" in english


def test_match_pairs_are_joined_with_a_spaced_semicolon(run_cli: CliRunner) -> None:
    deck = str(DATA / "every_type.yaml")
    # Bury the cards before the match card, then match every item to `a`.
    out = ok(run_cli("study", "--plain", deck, input=":b\n" * 7 + "a a a\n:q\n", env=FRENCH))
    answer = next(line for line in out.splitlines() if line.startswith("  Réponse : "))
    assert " ; " in answer and "; " not in answer.replace(" ; ", ""), answer


@pytest.mark.parametrize("columns", ["60", "80", "100"])
def test_french_help_never_starts_a_line_with_a_spaced_sign(
    run_cli: CliRunner, columns: str
) -> None:
    # At 80 columns `settings --help` used to wrap "(7 par défaut" / "; 0 fait taper".
    env = {**FRENCH, "COLUMNS": columns}
    for command in ("settings", "cards", "exam", "study", "check", "sync"):
        out = ok(run_cli(command, "--help", env=env))
        stray = [line for line in out.splitlines() if re.match(r"\s*[;:?!»]", line)]
        assert stray == [], (command, stray)
        assert "\u00a0" not in out
    assert "(7 par défaut ; 0 fait" in " ".join(ok(run_cli("settings", "--help", env=env)).split())
