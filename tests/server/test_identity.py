"""One learner, one identity on the server: joining twice, linking over another
learner, renaming or removing a local learner, and a lost token never duplicate or
merge learners (issue 20's trial)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import api


@pytest.fixture
def klass(run_cli: Any, start_server: Any, tmp_path: Path) -> dict[str, Any]:
    db = str(tmp_path / "class.sqlite3")
    made = run_cli("server", "add-class", "6e A", "--db", db, "--json")
    assert made.returncode == 0, made.stderr
    found: dict[str, Any] = json.loads(made.stdout)
    found["url"] = start_server(db).url
    return found


def cli(
    run_cli: Any,
    folder: Path,
    user: str,
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> Any:
    return run_cli("--data-dir", str(folder), "--user", user, *args, input=input, env=env)


def learners(klass: dict[str, Any]) -> dict[str, int]:
    status, found = api(
        klass["url"],
        "GET",
        f"/api/v1/classes/{klass['class_id']}/progress",
        token=klass["teacher_token"],
    )
    assert status == 200
    return {row["name"]: len(row["reviews"]["rows"]) for row in found["learners"]}


def study(run_cli: Any, folder: Path, user: str) -> None:
    deck = folder.parent / "deck.yaml"
    deck.write_text(
        "id: d\ntitle: D\ncards:\n  - id: a\n    type: text\n    prompt: Capitale ?\n"
        "    answer: Bamako\n",
        encoding="utf-8",
    )
    done = cli(run_cli, folder, user, "study", str(deck), "--plain", input="Bamako\n")
    assert done.returncode == 0, done.stderr


def test_joining_twice_is_refused_until_the_learner_leaves(
    run_cli: Any, klass: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "bakary"
    first = cli(
        run_cli, folder, "bakary", "sync", "--server", klass["url"], "--join", klass["join_code"]
    )
    assert first.returncode == 0, first.stderr
    assert "Joined class 6e A as bakary" in first.stdout
    study(run_cli, folder, "bakary")
    assert cli(run_cli, folder, "bakary", "sync").returncode == 0

    again = cli(
        run_cli, folder, "bakary", "sync", "--server", klass["url"], "--join", klass["join_code"]
    )
    assert again.returncode == 1
    assert "already in class 6e A as bakary" in again.stderr and "--leave" in again.stderr
    assert again.stderr.count("\n") == 1
    assert learners(klass) == {"bakary": 1}  # never "bakary (2)"

    left = cli(run_cli, folder, "bakary", "sync", "--leave")
    assert left.returncode == 0 and "left class 6e A" in left.stdout
    assert json.loads((folder / "sync.json").read_text())["learners"] == {}
    assert learners(klass) == {"bakary": 1}  # the server keeps the answers


def test_a_lost_token_gets_link_advice_never_join(
    run_cli: Any, klass: dict[str, Any], tmp_path: Path
) -> None:
    folder, home = tmp_path / "awa", tmp_path / "awa-home"
    joined = cli(
        run_cli, folder, "awa", "sync", "--server", klass["url"], "--join", klass["join_code"]
    )
    assert joined.returncode == 0, joined.stderr
    code = cli(run_cli, folder, "awa", "sync", "--link-code").stdout.strip()
    linked = cli(run_cli, home, "awa", "sync", "--server", klass["url"], "--link", code)
    assert linked.returncode == 0, linked.stderr
    assert "linked to awa in class 6e A" in linked.stdout

    path = folder / "sync.json"
    document = json.loads(path.read_text())
    document["learners"]["awa"]["token"] = "mq_lost"
    path.write_text(json.dumps(document))
    lost = cli(run_cli, folder, "awa", "sync")
    assert lost.returncode == 1 and "--link" in lost.stderr and "teacher" in lost.stderr
    assert "--join" not in lost.stderr

    report = run_cli("report", "--server", klass["url"], "--token", "mq_wrong")
    assert report.returncode == 1 and "does not know this teacher token" in report.stderr

    # A code from the learner's other machine gives this one a new token: same learner.
    code = cli(run_cli, home, "awa", "sync", "--link-code").stdout.strip()
    relinked = cli(run_cli, folder, "awa", "sync", "--link", code)
    assert relinked.returncode == 0, relinked.stderr
    assert cli(run_cli, folder, "awa", "sync").returncode == 0
    assert learners(klass) == {"awa": 0}


def test_linking_never_merges_two_learners(
    run_cli: Any, klass: dict[str, Any], tmp_path: Path
) -> None:
    awa, bakary = tmp_path / "awa", tmp_path / "bakary"
    for folder, user in ((awa, "awa"), (bakary, "bakary")):
        done = cli(
            run_cli, folder, user, "sync", "--server", klass["url"], "--join", klass["join_code"]
        )
        assert done.returncode == 0, done.stderr
        study(run_cli, folder, user)
        assert cli(run_cli, folder, user, "sync").returncode == 0

    code = cli(run_cli, awa, "awa", "sync", "--link-code").stdout.strip()
    merged = cli(run_cli, bakary, "bakary", "sync", "--link", code)
    assert merged.returncode == 1, merged.stdout
    assert "belongs to awa" in merged.stderr and "never merged" in merged.stderr
    assert json.loads((bakary / "sync.json").read_text())["learners"]["bakary"]["learner"] == (
        "bakary"
    )
    assert learners(klass) == {"awa": 1, "bakary": 1}

    # A local learner with answers but no class yet is not linked to another name either.
    kim = tmp_path / "kim"
    study(run_cli, kim, "kim")
    code = cli(run_cli, awa, "awa", "sync", "--link-code").stdout.strip()
    taken = cli(run_cli, kim, "kim", "sync", "--server", klass["url"], "--link", code)
    assert taken.returncode == 1 and "already has 1 answer" in taken.stderr
    assert not (kim / "sync.json").exists()
    assert learners(klass) == {"awa": 1, "bakary": 1}
    # The refused link did not spend the code: the command the refusal suggests works.
    assert "Link with `--user awa`" in taken.stderr
    linked = cli(run_cli, kim, "awa", "sync", "--server", klass["url"], "--link", code)
    assert linked.returncode == 0, linked.stderr
    assert json.loads((kim / "sync.json").read_text())["learners"]["awa"]["learner"] == "awa"
    assert learners(klass) == {"awa": 1, "bakary": 1}


def test_renaming_a_learner_keeps_the_class_and_removing_drops_it(
    run_cli: Any, klass: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "machine"
    joined = cli(
        run_cli, folder, "kim", "sync", "--server", klass["url"], "--join", klass["join_code"]
    )
    assert joined.returncode == 0, joined.stderr
    assert cli(run_cli, folder, "kim", "users", "rename", "kim", "kimberly").returncode == 0
    after = cli(run_cli, folder, "kimberly", "sync", "--json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["learner"] == "kim"
    assert set(json.loads((folder / "sync.json").read_text())["learners"]) == {"kimberly"}

    removed = cli(run_cli, folder, "other", "users", "remove", "kimberly", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert json.loads((folder / "sync.json").read_text())["learners"] == {}
    assert learners(klass) == {"kim": 0}


def test_a_republished_deck_is_an_update_and_a_local_edit_is_kept(
    run_cli: Any, klass: dict[str, Any], tmp_path: Path
) -> None:
    deck = tmp_path / "classe.yaml"
    text = (
        "id: classe\ntitle: C\ncards:\n  - id: a\n    type: text\n    prompt: P ?\n    answer: R\n"
    )
    deck.write_text(text, encoding="utf-8")
    teacher = ["--server", klass["url"], "--token", klass["teacher_token"]]
    assert run_cli("server", "publish", str(deck), *teacher).returncode == 0
    again = run_cli("server", "publish", str(deck), *teacher)
    assert again.returncode == 0 and "nothing changed" in again.stdout

    folder = tmp_path / "awa"
    joined = cli(
        run_cli, folder, "awa", "sync", "--server", klass["url"], "--join", klass["join_code"],
        env={"MALIQUIZ_LANG": "fr"},
    )  # fmt: skip
    assert joined.returncode == 0, joined.stderr
    assert "0 réponse envoyée, 0 reçue (" in joined.stdout
    assert "Nouveau paquet" in joined.stdout
    mine = folder / "decks" / "classe.yaml"
    edited = text.replace("answer: R", "answer: R2")
    mine.write_text(edited, encoding="utf-8")

    deck.write_text(text.replace("title: C", "title: C2"), encoding="utf-8")
    assert run_cli("server", "publish", str(deck), *teacher).returncode == 0
    synced = cli(run_cli, folder, "awa", "sync")
    assert synced.returncode == 0, synced.stderr
    assert "Deck updated by your teacher: classe" in synced.stdout
    assert "your version is kept as" in synced.stderr
    backups = list((folder / "decks").glob("classe.yaml.mine-*"))
    assert [b.read_text(encoding="utf-8") for b in backups] == [edited]
    assert "title: C2" in mine.read_text(encoding="utf-8")


def test_the_html_report_says_it_comes_from_the_server(
    run_cli: Any, klass: dict[str, Any], tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    done = run_cli(
        "report", "--server", klass["url"], "--token", klass["teacher_token"], "--html", str(page)
    )
    assert done.returncode == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    assert f"from the class server {klass['url']}" in text and "progress files" not in text
