"""End to end, as a class uses it: a class added, the real server started, two
learners studying in their own data folders and syncing (twice), one learner on two
machines converging to the same due dates, a learner's token refused on another's
data, the teacher's report from the server listing both learners with their answers,
and a deck published by the teacher arriving at the learners' next sync."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path
from typing import Any

from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

from .conftest import api

DECK = """\
id: classe-deck
title: Deck de la classe
cards:
  - id: capitale
    type: text
    prompt: Quelle est la capitale du Mali ?
    answer: Bamako
  - id: fleuve
    type: text
    prompt: Quel fleuve traverse Bamako ?
    answer: Niger
  - id: mission
    type: text
    prompt: Quel sigle désigne la mission de l'ONU au Mali ?
    answer: MINUSMA
"""


def states(folder: Path, user: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Each answered card's schedule in a data folder."""
    with Store.open(progress_path(folder)) as store:
        return {
            (c.deck_id, c.card_id): (c.state.due, c.state.reps, c.state.lapses, c.state.stability)
            for c in store.cards(user)
            if not c.state.is_new
        }


def answers(folder: Path, user: str) -> set[str]:
    with Store.open(progress_path(folder)) as store:
        return {r.uid for r in store.reviews(user)}


def test_a_class_syncs_through_the_server(
    db_url: str, start_server: Any, run_cli: Any, tmp_path: Path
) -> None:
    def cli(folder: Path, user: str, *args: str, input: str | None = None) -> Any:
        done = run_cli("--data-dir", str(folder), "--user", user, *args, input=input)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if "--json" in args else done

    made = run_cli("server", "add-class", "4e B", "--db", db_url, "--json")
    assert made.returncode == 0, made.stderr
    klass = json.loads(made.stdout)
    assert set(klass) >= {"class", "join_code", "teacher_token"}
    server = start_server(db_url).url
    teacher = ["--server", server, "--token", klass["teacher_token"]]

    deck = tmp_path / "classe-deck.yaml"
    deck.write_text(DECK, encoding="utf-8")
    cli(tmp_path / "teacher", "prof", "server", "publish", str(deck), *teacher)

    awa, bob, awa_home = tmp_path / "awa", tmp_path / "bob", tmp_path / "awa-home"
    for folder, user in ((awa, "awa"), (bob, "bob")):
        joined = cli(
            folder, user, "sync", "--server", server, "--join", klass["join_code"], "--json"
        )
        assert (joined["pushed"], joined["pulled"], joined["decks"]) == (0, 0, ["classe-deck"])
        assert (folder / "decks" / "classe-deck.yaml").read_text(encoding="utf-8") == DECK
        token_file = folder / "sync.json"
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    cli(awa, "awa", "study", "classe-deck", "--plain", input="Bamako\nNiger\n\n")
    cli(bob, "bob", "study", "classe-deck", "--plain", input="Tombouctou\nNiger\nMINUSMA\n")
    for _ in range(2):  # twice: the second sends and receives nothing new
        for folder, user in ((awa, "awa"), (bob, "bob")):
            cli(folder, user, "sync", "--json")
    again = cli(awa, "awa", "sync", "--json")
    assert (again["pushed"], again["pulled"], again["decks"]) == (0, 0, [])

    # Awa's second machine: linked with a one-time code, it receives her answers.
    code = cli(awa, "awa", "sync", "--link-code").stdout.strip()
    linked = cli(awa_home, "awa-maison", "sync", "--server", server, "--link", code, "--json")
    assert linked["pulled"] == len(answers(awa, "awa")) > 0
    assert linked["decks"] == ["classe-deck"]
    # Both machines study offline, then sync: they converge to the same answers and dates.
    cli(awa_home, "awa-maison", "study", "classe-deck", "--plain", "--cram", input="Bamako\n\n")
    cli(awa, "awa", "study", "classe-deck", "--plain", "--cram", input="Niger\n")
    cli(awa_home, "awa-maison", "sync")
    cli(awa, "awa", "sync")
    cli(awa_home, "awa-maison", "sync")
    assert answers(awa, "awa") == answers(awa_home, "awa-maison")
    assert states(awa, "awa") == states(awa_home, "awa-maison") != {}

    # A learner's token reaches only that learner's data.
    bob_link = json.loads((bob / "sync.json").read_text())["learners"]["bob"]
    awa_link = json.loads((awa / "sync.json").read_text())["learners"]["awa"]
    status, _ = api(
        server, "GET", f"/api/v1/learners/{awa_link['learner_id']}/answers", token=bob_link["token"]
    )
    assert status == 403

    # The teacher's report from the server lists both learners with their answers,
    # as the report from their exported files does.
    report = cli(tmp_path / "teacher", "prof", "report", *teacher, "--json")
    counts = {row["learner"]: row["answers"] for row in report["learners"]}
    assert counts == {"awa": len(answers(awa, "awa")), "bob": len(answers(bob, "bob"))}
    files = []
    for folder, user in ((awa, "awa"), (bob, "bob")):
        files.append(str(tmp_path / f"{user}.json"))
        cli(folder, user, "progress", "export", "-o", files[-1])
    from_files = cli(tmp_path / "teacher", "prof", "report", *files, "--json")
    # Practice ahead (--cram above) counts the same way in both.
    assert report["learners"] == from_files["learners"]
    assert report["cards"] == from_files["cards"]
    assert (report["class"], from_files["class"]) == ("4e B", None)

    # The class's name in every output, the page's headings in the reader's language.
    out, page = tmp_path / "csv", tmp_path / "report.html"
    text = run_cli(
        "--data-dir", str(tmp_path / "teacher"), "--lang", "fr", "report", *teacher,
        "--csv", str(out), "--html", str(page),
    )  # fmt: skip
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Classe : 4e B\n")
    assert "APPRENANT" in text.stdout and "TAUX D'ÉCHEC" in text.stdout
    html = page.read_text(encoding="utf-8")
    assert '<p class="class">Classe : 4e B</p>' in html
    assert "<th>APPRENANT</th><th>VUES</th>" in html and "<th>RÉTENTION</th>" in html
    assert "<th>QUESTION</th>" in html and "<th>MOY. EXAMENS</th>" in html
    assert "retention_30d" not in html and "cards_seen" not in html
    for name in ("learners.csv", "cards.csv"):
        with (out / name).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][-1] == "class" and {row[-1] for row in rows[1:]} == {"4e B"}
