"""The plain line mode of `maliquiz study` and `maliquiz exam`, as a real subprocess."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CliRunner

DATA = Path(__file__).resolve().parent / "data"
DECK = str(DATA / "every_type.yaml")


def test_plain_study_session_and_stats(run_cli: CliRunner) -> None:
    # The first card is a flashcard: Enter shows the back, 3 rates it Good. The second
    # (a typed name) is answered with a typo, the third skipped, then the session ends.
    done = run_cli("study", "--plain", DECK, input="\n3\nWagnr\n\n:q\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Que signifie MINUSMA ?" in out
    assert "Mission multidimensionnelle" in out
    assert "Correct, with a typo" in out
    assert "Answer: Wagner" in out
    assert (
        "Source: Le Mali refuse des renforts de la MINUSMA (December 2021), paragraph 2" in out
        or "Source: Le Mali refuse" in out
    )
    assert "Next review:" in out
    assert "3 cards studied" in out
    stats = json.loads(run_cli("stats", "--json", DECK).stdout)
    assert stats["reviews_today"] == 3


def test_plain_study_end_of_input_keeps_answers(run_cli: CliRunner) -> None:
    done = run_cli("study", "--plain", DECK, input="\n4\n")
    assert done.returncode == 0
    assert "1 card studied" in done.stdout
    stats = json.loads(run_cli("stats", "--json", DECK).stdout)
    assert stats["reviews_today"] == 1


def test_plain_undo_and_override(run_cli: CliRunner) -> None:
    done = run_cli("study", "--plain", DECK, input="\n1\n:u\n\n3\nPersonne\n:o\n:q\n")
    assert done.returncode == 0, done.stderr
    assert "Last answer undone" in done.stdout
    assert "Verdict changed:" in done.stdout
    stats = json.loads(run_cli("stats", "--json", DECK).stdout)
    assert stats["reviews_today"] == 2


def test_plain_bad_choice_is_asked_again(run_cli: CliRunner) -> None:
    # Skip to the choice card with bury commands; `9` is not an option.
    done = run_cli("study", "--plain", DECK, input=":b\n:b\n:b\n:b\n9\n:q\n")
    assert done.returncode == 0
    assert "from 1 to" in done.stdout


ONE_CHOICE = DATA / "one_choice.yaml"  # one choice card, one right option


def test_two_numbers_for_a_single_answer_choice_are_asked_again(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    deck = ONE_CHOICE
    refused = "  type the number of one option, from 1 to 4"
    study = run_cli("study", "--plain", str(deck), input="1 2\n:q\n")
    assert study.returncode == 0, study.stderr
    assert refused in study.stdout
    assert "Your answer" not in study.stdout  # nothing was graded
    # The exam reads answers the same way: `1 2` is refused, `1` is kept.
    exam = run_cli("exam", "--plain", str(deck), input="1 2\n1\n\n")
    assert exam.returncode == 0, exam.stderr
    assert refused in exam.stdout
    assert "(blank)" not in exam.stdout
    french = run_cli("exam", "--plain", str(deck), input="1 2\n", env={"MALIQUIZ_LANG": "fr"})
    assert "  tapez le numéro d'une seule option, de 1 à 4" in french.stdout


def test_plain_exam_of_a_deck_without_tags_has_no_tag_heading(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    deck = ONE_CHOICE
    exam = run_cli("exam", "--plain", str(deck), input="1\n\n")
    assert exam.returncode == 0, exam.stderr
    assert "By card type:" in exam.stdout
    assert "By tag:" not in exam.stdout  # a heading with nothing under it


def test_unknown_deck_and_tag(run_cli: CliRunner) -> None:
    done = run_cli("study", "--plain", "no-such-deck")
    assert done.returncode == 1
    assert "unknown deck" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("study", "--plain", DECK, "--tag", "tes")
    assert done.returncode == 1
    assert "did you mean `test`?" in done.stderr


def test_a_bare_folder_name_is_a_deck_id_and_the_message_says_how_to_give_it(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "decks").mkdir()
    done = run_cli("study", "--plain", "decks", cwd=tmp_path)
    assert done.returncode == 1
    assert "unknown deck `decks`" in done.stderr
    assert "`decks` is a folder here: write `decks/` for its decks" in done.stderr


def test_bad_user_name(run_cli: CliRunner) -> None:
    done = run_cli("--user", "../evil", "study", "--plain", DECK, input="")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr


def test_plain_exam(run_cli: CliRunner, data_dir: Path) -> None:
    lines = ["décembre 2021", "2", "", "", "", "", "", "", "", ""]
    done = run_cli("exam", "--plain", DECK, "-n", "3", "--seed", "1", input="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    assert "Score:" in done.stdout
    assert "By tag:" in done.stdout
    assert "saved in your exam history" in done.stdout
    assert "Wrong (left blank)" in done.stdout  # the third question
    stats = json.loads(run_cli("stats", "--json", DECK).stdout)
    assert stats["reviews_today"] == 0  # an exam leaves the schedule alone
    # One "Right %": the results' figure is the one `maliquiz stats` gives for that exam.
    shown = re.search(r"Score: ([\d.]+) / 3 \((\d+)%\)", done.stdout)
    assert shown is not None, done.stdout
    assert float(shown[1]) > 0
    assert [exam["right_percent"] for exam in stats["exams"]] == [int(shown[2])]
    assert f": {shown[2]} % right" in run_cli("stats", DECK).stdout


def test_settings_are_per_learner_and_used(run_cli: CliRunner) -> None:
    done = run_cli("settings", "--retention", "0.8", "--new-per-deck", "2")
    assert done.returncode == 0 and "0.80" in done.stdout
    assert "0.90" in run_cli("--user", "other", "settings").stdout
    session = run_cli("study", "--plain", DECK, input="\n3\nWagner\n")
    assert "2 cards studied" in session.stdout
    bad = run_cli("settings", "--retention", "1.5")
    assert bad.returncode == 2 and "must be from 0.70 to 0.97, not 1.5" in bad.stderr


NUMBER_DECK = """\
id: chiffre
title: Un chiffre
cards:
  - id: renforts
    type: number
    prompt: Combien de renforts le Mali a-t-il refusés ?
    answer: "2000"
"""


def test_typed_after_zero_asks_a_new_number_typed(run_cli: CliRunner, tmp_path: Path) -> None:
    deck = tmp_path / "chiffre.yaml"
    deck.write_text(NUMBER_DECK, encoding="utf-8")
    first = run_cli("study", "--plain", str(deck), input=":q\n")
    assert "  1) " in first.stdout  # a new number comes as a choice first
    assert run_cli("settings", "--typed-after", "0").returncode == 0
    typed = run_cli("--user", "tester", "study", "--plain", str(deck), input="2 000\n:q\n")
    assert typed.returncode == 0, typed.stderr
    assert "  1) " not in typed.stdout
    assert "✓ Correct" in typed.stdout


def test_plain_counts_and_commands_at_the_rating_prompt(run_cli: CliRunner) -> None:
    # The first card is a flashcard: Enter shows its back; `:q` at the rating prompt ends
    # the session without rating it.
    done = run_cli("study", "--plain", DECK, input="\n:q\n")
    assert done.returncode == 0, done.stderr
    assert "[1/" in done.stdout and "new 9 · learn 0 · due 0" in done.stdout
    assert "0 cards studied" in done.stdout
    # `:b` at the rating prompt buries the flashcard and moves on to the next card.
    done = run_cli("study", "--plain", DECK, input="\n:b\n:q\n")
    assert "Card buried until tomorrow." in done.stdout
    assert "Quel groupe russe" in done.stdout


def test_dont_know_on_true_false_shows_no_guess(run_cli: CliRunner) -> None:
    # Bury the cards before the true/false one, then give no answer.
    done = run_cli("study", "--plain", DECK, input=":b\n:b\n:b\n:b\n:b\n\n:q\n")
    assert done.returncode == 0, done.stderr
    assert "Selon la note" in done.stdout
    assert "Your answer:" not in done.stdout


def test_an_answer_in_words_says_how_it_was_read(run_cli: CliRunner, tmp_path: Path) -> None:
    deck = tmp_path / "chiffre.yaml"
    deck.write_text(NUMBER_DECK, encoding="utf-8")
    assert run_cli("settings", "--typed-after", "0").returncode == 0
    done = run_cli("study", "--plain", str(deck), input="deux mille\n:q\n")
    assert done.returncode == 0, done.stderr
    assert "✓ Correct" in done.stdout
    assert "read as 2" in done.stdout


def test_a_session_sets_its_decks_aside_from_the_cycle_collector() -> None:
    """While a session runs, the objects of its decks are out of the collector's passes
    (each pass walked every card); they are handed back when it ends, even on an error."""
    import gc

    from maliquiz.commands._session import decks_set_aside

    assert gc.get_freeze_count() == 0
    with decks_set_aside():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    with pytest.raises(KeyboardInterrupt), decks_set_aside():
        raise KeyboardInterrupt
    assert gc.get_freeze_count() == 0
