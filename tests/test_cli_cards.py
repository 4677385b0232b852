"""``maliquiz cards`` as users run it: the real CLI in a subprocess, a temporary data dir
(MALIQUIZ_DATA_DIR), MALIQUIZ_USER=tester, English, the test deck in the decks folder."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner
from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

DATA = Path(__file__).resolve().parent / "data"
DECK = "deck:test-every-type"


@pytest.fixture(autouse=True)
def with_deck(data_dir: Path) -> Path:
    own = data_dir / "decks"
    own.mkdir(parents=True)
    return Path(shutil.copy(DATA / "every_type.yaml", own / "every_type.yaml"))


def ok(done: Any) -> str:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return str(done.stdout)


def listed(run_cli: CliRunner, *query: str) -> list[dict[str, Any]]:
    rows = json.loads(ok(run_cli("cards", *query, "--json")))
    assert isinstance(rows, list)
    return rows


def study(data_dir: Path, *cards: str) -> None:
    with Store.open(progress_path(data_dir)) as store:
        store.ensure_user("tester")
        for card in cards:
            store.record_answer(
                "tester",
                "test-every-type",
                card,
                rating=Rating.Good,
                outcome=Outcome.CORRECT,
                mode="typed",
            )


def test_list_as_json(run_cli: CliRunner, data_dir: Path) -> None:
    study(data_dir, "text-wagner")
    rows = listed(run_cli, DECK)
    assert [row["card_id"] for row in rows][:3] == [
        "flash-minusma",
        "text-wagner",
        "number-renforts",
    ]
    assert len(rows) == 9
    first, wagner = rows[0], rows[1]
    for key in ("deck_id", "card_id", "type", "state", "due", "lapses", "interval"):
        assert key in first
    assert {"difficulty", "last_answer", "stability", "reps", "tags"} <= set(first)
    assert first["state"] == "new" and first["due"] is None and first["interval"] is None
    assert (wagner["type"], wagner["state"], wagner["lapses"]) == ("text", "learning", 0)
    assert wagner["due"] == date.today().isoformat() or wagner["due"] is not None
    assert wagner["last_answer"] is not None and wagner["difficulty"] is not None


def test_list_as_a_table(run_cli: CliRunner) -> None:
    out = ok(run_cli("cards", DECK, "wagner"))
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["DECK", "CARD", "TYPE", "STATE"]
    assert "text-wagner" in out and "match-acteurs" in out
    assert lines[-1] == "2 cards"
    assert ok(run_cli("cards", DECK, "nothing-like-this")).strip() == "No card matches."


def test_suspend_one_card_then_unsuspend_by_a_query(run_cli: CliRunner) -> None:
    assert ok(run_cli("cards", "suspend", "card:text-wagner")).strip() == "1 card suspended."
    suspended = listed(run_cli, "state:suspended")
    assert [(r["deck_id"], r["card_id"], r["state"]) for r in suspended] == [
        ("test-every-type", "text-wagner", "suspended")
    ]
    out = ok(run_cli("cards", "unsuspend", DECK, "state:suspended"))
    assert out.strip() == "1 card unsuspended."
    assert listed(run_cli, "state:suspended") == []


def test_act_on_every_card_a_query_matches(run_cli: CliRunner) -> None:
    out = ok(run_cli("cards", "suspend", DECK, "(type:choice or type:truefalse)"))
    assert out.strip() == "2 cards suspended."
    # "and" binds tighter than "or", as in Anki: without parentheses the deck would
    # apply to the choice cards only.
    out = ok(run_cli("cards", "suspend", DECK, "(type:choice or type:text)"))
    assert out.splitlines() == [
        "1 card suspended.",
        "1 other matching card was left as it was.",
    ]
    ids = [r["card_id"] for r in listed(run_cli, "state:suspended")]
    assert ids == ["text-wagner", "choice-pays", "tf-frais"]


def test_a_negated_term_is_a_word_not_an_option(run_cli: CliRunner) -> None:
    rows = listed(run_cli, DECK, "-type:text", "-wagner")
    assert len(rows) == 7
    assert not {"text-wagner", "match-acteurs"} & {r["card_id"] for r in rows}


def test_bury_shows_as_buried_and_undo_after_a_restart(run_cli: CliRunner) -> None:
    ok(run_cli("cards", "bury", "card:tf-frais"))
    (row,) = listed(run_cli, "state:buried")
    assert (row["card_id"], row["state"], row["buried"]) == ("tf-frais", "buried", True)
    out = ok(run_cli("cards", "undo"))
    assert out.strip() == "Undone: bury (1 card back as it was)."
    assert listed(run_cli, "state:buried") == []
    assert ok(run_cli("cards", "undo")).strip() == "Nothing to undo."


def test_forget_and_set_due(run_cli: CliRunner, data_dir: Path) -> None:
    study(data_dir, "text-wagner", "date-note")
    out = ok(run_cli("cards", "set-due", "3", DECK, "-state:new"))
    assert out.strip() == "2 cards rescheduled."
    rows = {r["card_id"]: r for r in listed(run_cli, "prop:due=3")}
    assert set(rows) == {"text-wagner", "date-note"}
    due = date.fromisoformat(rows["date-note"]["due"])
    assert timedelta(days=2) <= due - date.today() <= timedelta(days=4)
    assert ok(run_cli("cards", "forget", "card:date-note")).strip() == "1 card made new again."
    (row,) = listed(run_cli, "card:date-note")
    assert (row["state"], row["due"], row["reps"]) == ("new", None, 0)
    # A range that leaves out the day text-wagner is due already (3), so it moves.
    out = ok(run_cli("cards", "set-due", "4-9", "card:*"))
    assert out.splitlines()[0] == "1 card rescheduled."  # new cards have no due date


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("state:sleeping",), ["`state:sleeping`", "new, learn, review, due, suspended"]),
        (("suspend", "state:sleeping"), ["`state:sleeping`"]),
        (("bogus:x",), ["`bogus:`", "deck:, card:, tag:"]),
        (("deck:nope",), ["`nope`", "test-every-type"]),
        (("forget",), ["needs a search"]),
        (("set-due", "soon", "card:text-wagner"), ["set-due needs DAYS"]),
        (("set-due", "7-1", "card:text-wagner"), ["set-due needs DAYS"]),
        (("undo", "now"), ["takes no search"]),
        (("(wagner",), ["parenthesis"]),
    ],
)
def test_a_bad_query_fails_cleanly(
    run_cli: CliRunner, args: tuple[str, ...], fragments: list[str]
) -> None:
    done = run_cli("cards", *args)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("maliquiz: ")
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr


def test_french_messages(run_cli: CliRunner) -> None:
    done = run_cli("--lang", "fr", "cards", "state:sleeping")
    assert done.returncode == 1
    assert "valeur inconnue `sleeping`" in done.stderr
    out = ok(run_cli("--lang", "fr", "cards", "suspend", "card:text-wagner"))
    assert out.strip() == "1 carte suspendue."


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json", "card:text-wagner"),
        ("--json", "list", "card:text-wagner"),
        ("card:text-wagner", "--json"),
        ("-type:choice", "--json", "card:text-wagner"),
    ],
)
def test_json_may_stand_anywhere_in_a_listing(run_cli: CliRunner, args: tuple[str, ...]) -> None:
    rows = json.loads(ok(run_cli("cards", *args)))
    assert [row["card_id"] for row in rows] == ["text-wagner"]


def test_json_may_stand_anywhere_in_an_action(run_cli: CliRunner) -> None:
    out = ok(run_cli("cards", "suspend", "--json", "card:text-wagner"))
    assert json.loads(out) == {"action": "suspend", "matched": 1, "changed": 1}
    out = ok(run_cli("cards", "set-due", "--json", "3", "card:tf-frais"))
    assert json.loads(out)["action"] == "set-due"
    out = ok(run_cli("cards", "unsuspend", "card:text-wagner", "--json"))
    assert json.loads(out) == {"action": "unsuspend", "matched": 1, "changed": 1}


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (("unsuspen", "card:text-wagner"), "maliquiz cards unsuspend card:text-wagner"),
        (("Suspend", "tag:test -state:new"), "maliquiz cards suspend 'tag:test -state:new'"),
        (("undoo",), "maliquiz cards undo"),
        (("lst", "--json", "card:text-wagner"), "maliquiz cards list card:text-wagner"),
    ],
)
def test_a_misspelt_action_that_finds_nothing_is_named(
    run_cli: CliRunner, args: tuple[str, ...], meant: str
) -> None:
    done = run_cli("cards", *args)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == "" and "Traceback" not in done.stderr
    action = meant.split()[2]
    assert done.stderr.strip() == (
        f"maliquiz: no card matches; did you mean the action `{action}` ({meant})?"
    )
    french = run_cli("cards", *args, env={"MALIQUIZ_LANG": "fr"})
    assert french.returncode == 1
    assert f"aucune carte ne correspond ; vouliez-vous dire l'action `{action}`" in french.stderr


def test_a_word_near_an_action_is_still_searched(run_cli: CliRunner, data_dir: Path) -> None:
    # `forge` is close to `forget`, but a search that finds cards is what was meant.
    deck = data_dir / "decks" / "every_type.yaml"
    deck.write_text(
        deck.read_text(encoding="utf-8").replace("Quel groupe russe", "Quelle forge"),
        encoding="utf-8",
    )
    assert [r["card_id"] for r in listed(run_cli, "forge")] == ["text-wagner"]
    # A word near no action that finds nothing is an ordinary empty search.
    done = run_cli("cards", "frobnicate")
    assert (done.returncode, done.stdout.strip()) == (0, "No card matches.")


def test_the_words_the_browser_shows_search_too(run_cli: CliRunner, data_dir: Path) -> None:
    study(data_dir, "text-wagner")
    ok(run_cli("cards", "bury", "card:number-renforts"))
    french = {"MALIQUIZ_LANG": "fr"}
    # The Type and State columns say "nom", "reportée", "à l'étude" in French: each
    # searches as well as the key (type:text, state:buried, state:learn), accents or not.
    for term, card in (
        ("type:nom", "text-wagner"),
        ("type:name", "text-wagner"),
        ("state:reportée", "number-renforts"),
        ("state:reportee", "number-renforts"),
        ('state:"à l\'étude"', "text-wagner"),
    ):
        rows = json.loads(ok(run_cli("cards", "--json", DECK, term, env=french)))
        assert [row["card_id"] for row in rows] == [card], term
    done = run_cli("cards", DECK, "state:sleeping", env=french)
    assert done.returncode == 1 and "sleeping" in done.stderr


def test_id_is_another_name_for_card(run_cli: CliRunner) -> None:
    assert ok(run_cli("cards", "suspend", "id:text-wagner")).strip() == "1 card suspended."
    rows = listed(run_cli, "state:suspended")
    assert [row["card_id"] for row in rows] == ["text-wagner"]
    assert ok(run_cli("cards", "unsuspend", "id:text-wagner")).strip() == "1 card unsuspended."


def test_a_deck_outside_the_decks_folder_is_told_where_to_go(
    run_cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "mine" / "choix.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(
        "id: un-choix\ntitle: Un choix\ncards:\n  - id: pays\n    type: truefalse\n"
        "    prompt: Bamako est la capitale du Mali.\n    answer: true\n",
        encoding="utf-8",
    )
    done = run_cli("cards", "deck:un-choix")
    assert done.returncode == 1
    folder = str(data_dir / "decks")
    assert "no deck `un-choix` in `deck:un-choix`" in done.stderr
    assert f"your own decks are read from {folder}: put the deck file there" in done.stderr
    french = run_cli("cards", "deck:un-choix", env={"MALIQUIZ_LANG": "fr"})
    assert f"vos propres paquets sont lus dans {folder} : placez-y" in french.stderr
    # Where the message says, the deck is found.
    shutil.copy(elsewhere, data_dir / "decks" / "choix.yaml")
    assert [row["card_id"] for row in listed(run_cli, "deck:un-choix")] == ["pays"]
