"""The class report, on three generated learners' real progress exports."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import CliRunner
from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.report import build_report, csv_cell, render_html
from maliquiz.core.progress.store import Store
from maliquiz.core.progress.transfer import ImportFileError

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DECK = "test-every-type"

# learner name -> answers: (card id, outcome, typed answer)
LEARNERS = {
    "awa": [
        ("text-wagner", "correct", "Wagner"),
        ("number-renforts", "wrong", "200"),
        ("date-note", "correct", "décembre 2021"),
    ],
    "bakary": [
        ("text-wagner", "wrong", "Poutine"),
        ("number-renforts", "wrong", "200"),
        ("date-note", "correct", "12/2021"),
        ("choice-pays", "correct", "États-Unis"),
    ],
    "chloé": [
        ("text-wagner", "typo", "Wagnr"),
        ("number-renforts", "wrong", "20 000"),
        ("date-note", "wrong", "2022"),
    ],
}


def make_exports(folder: Path) -> list[Path]:
    paths = []
    for n, (name, answers) in enumerate(LEARNERS.items()):
        clock = ManualClock(START + timedelta(hours=n))
        with Store.open(folder / name / "progress.sqlite3", clock=clock) as store:
            store.ensure_user(name)
            for card_id, outcome, typed in answers:
                rating = Rating.Again if outcome == "wrong" else Rating.Good
                store.record_answer(
                    name,
                    DECK,
                    card_id,
                    rating=rating,
                    outcome=Outcome(outcome),
                    mode="typed",
                    answer=typed,
                )
                clock.advance(minutes=1)
            if name == "awa":
                store.record_exam(name, decks=[DECK], score=3, max_score=4, results=[])
            path = folder / f"{name}.json"
            store.export_user(name, path)
            paths.append(path)
    return paths


def test_report_figures(tmp_path: Path) -> None:
    paths = make_exports(tmp_path)
    report = build_report(
        paths,
        {(DECK, "number-renforts"): "Combien ?"},
        clock=ManualClock(START + timedelta(days=1)),
    )
    by_name = {r.name: r for r in report.learners}
    assert list(by_name) == ["awa", "bakary", "chloé"]
    awa = by_name["awa"]
    assert (awa.cards_seen, awa.answers, awa.right, awa.exams) == (3, 3, 2, 1)
    assert awa.exam_mean == 0.75
    assert by_name["bakary"].accuracy == 0.5
    hardest = report.cards[0]
    assert (hardest.card_id, hardest.misses, hardest.learners_missed) == ("number-renforts", 3, 3)
    assert hardest.prompt == "Combien ?"
    assert hardest.wrong_answers[0] == ("200", 2)
    assert report.cards[-1].misses == 0


def test_same_login_name_stays_two_learners(tmp_path: Path) -> None:
    paths = make_exports(tmp_path)
    report = build_report([paths[0], paths[0]])
    assert [r.name for r in report.learners] == ["awa", "awa (2)"]


def test_bad_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ImportFileError):
        build_report([bad])


def test_report_cli_csv_and_html(run_cli: CliRunner, tmp_path: Path) -> None:
    paths = make_exports(tmp_path)
    out = tmp_path / "out"
    page = tmp_path / "report.html"
    done = run_cli("report", *map(str, paths), "--csv", str(out), "--html", str(page))
    assert done.returncode == 0, done.stderr
    assert "number-renforts" in done.stdout and "chloé" in done.stdout
    with (out / "learners.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "learner" and len(rows) == 4
    html = page.read_text(encoding="utf-8")
    assert html.count("<table") == 2 and "<svg" in html
    bad = run_cli("report", str(tmp_path / "nope.json"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_html_renders_in_a_browser(tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    page = tmp_path / "report.html"
    page.write_text(render_html(build_report(make_exports(tmp_path))), encoding="utf-8")
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = done.stdout
    assert dom.count("<table") == 2, done.stderr[-2000:]
    assert "<td>bakary</td>" in dom and "number-renforts" in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile2'}",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 10_000


# A learner whose typed answers would be formulas in a spreadsheet, and whose name too.
FORMULAS = {
    "text-wagner": "=1+2",
    "number-renforts": "@SUM(1)",
    "date-note": "+x",
    "choice-pays": "-y",
    "tf-frais": "\t=2+3",  # a tab first; the report trims it, then "=" comes first
    "order-evenements": "a\tb",  # a tab inside
}


def formula_export(folder: Path) -> Path:
    name = "@mallory"
    with Store.open(folder / "m" / "progress.sqlite3", clock=ManualClock(START)) as store:
        store.ensure_user(name)
        for card_id, typed in FORMULAS.items():
            store.record_answer(
                name, DECK, card_id, rating=Rating.Again, outcome=Outcome.WRONG,
                mode="typed", answer=typed,
            )  # fmt: skip
        path = folder / "mallory.json"
        store.export_user(name, path)
    return path


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("+x", "'+x"),
        ("-y", "'-y"),
        ("\tz", "'\tz"),
        ("\r=1", "'\r=1"),
        ("-3", "-3"),  # a real number stays a number
        ("-2.5", "-2.5"),
        ("+4", "+4"),
        ("12", "12"),
        ("50 %", "50 %"),
        ("-3 x", "'-3 x"),
        ("Wagner", "Wagner"),
        ("", ""),
    ],
)
def test_csv_cells_that_would_be_formulas_are_neutralised(cell: str, written: str) -> None:
    assert csv_cell(cell) == written


def test_report_of_formula_answers(run_cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    page = tmp_path / "report.html"
    done = run_cli("report", str(formula_export(tmp_path)), "--csv", str(out), "--html", str(page))
    assert done.returncode == 0, done.stderr
    with (out / "learners.csv").open(encoding="utf-8-sig", newline="") as handle:
        learners = list(csv.reader(handle))
    assert learners[1][:4] == ["'@mallory", "6", "6", "0 %"]  # counts stay numbers
    with (out / "cards.csv").open(encoding="utf-8-sig", newline="") as handle:
        cards = {row[1]: row for row in csv.reader(handle)}
    assert {card: cards[card][8] for card in FORMULAS} == {
        "text-wagner": "'=1+2 ×1",
        "number-renforts": "'@SUM(1) ×1",
        "date-note": "'+x ×1",
        "choice-pays": "'-y ×1",
        "tf-frais": "'=2+3 ×1",
        "order-evenements": "a\tb ×1",
    }
    assert cards["text-wagner"][3:5] == ["1", "1"]
    # The page and the terminal show what was typed, escaped, never with the quote.
    html = page.read_text(encoding="utf-8")
    assert "<td>@mallory</td>" in html and "<td>=1+2 ×1</td>" in html
    assert "'@mallory" not in html and "'=1+2" not in html
    assert "@mallory" in done.stdout and "'@mallory" not in done.stdout
    assert "a␉b ×1" in done.stdout and "\t" not in done.stdout


# Two learners' answers over three weeks, practice ahead (cram) among them: on a card
# never scheduled, on a card between two spaced answers (retention's spacing), as the
# last answer of a card, missed and right.
CRAM_ANSWERS = {
    "awa": [
        (0, "text-wagner", "correct", True),
        (0.2, "number-renforts", "wrong", False),  # crammed, never scheduled
        (1, "text-wagner", "wrong", False),  # cram between two spaced answers
        (3, "text-wagner", "correct", True),
        (4, "date-note", "wrong", True),
        (4.1, "date-note", "correct", False),
        (9, "date-note", "correct", True),
        (15, "text-wagner", "typo", False),  # the card's last answer, crammed
    ],
    "bakary": [
        (0, "number-renforts", "wrong", True),
        (2, "number-renforts", "correct", True),
        (2.5, "choice-pays", "correct", False),
        (6, "number-renforts", "wrong", False),
        (10, "number-renforts", "correct", True),
    ],
}


def cram_exports(folder: Path) -> list[Path]:
    paths = []
    for name, answers in CRAM_ANSWERS.items():
        clock = ManualClock(START)
        with Store.open(folder / name / "progress.sqlite3", clock=clock) as store:
            store.ensure_user(name)
            for day, card_id, outcome, scheduled in answers:
                clock.set(START + timedelta(days=day))
                store.record_answer(
                    name, DECK, card_id,
                    rating=Rating.Again if outcome == "wrong" else Rating.Good,
                    outcome=Outcome(outcome), mode="typed", answer=f"{card_id} {day}",
                    schedule=scheduled,
                )  # fmt: skip
            store.record_exam(name, decks=[DECK], score=2, max_score=5, results=[])
            paths.append(folder / f"{name}.json")
            store.export_user(name, paths[-1])
    return paths


def test_practice_ahead_counts_the_same_from_files_and_from_a_server(tmp_path: Path) -> None:
    """The class server keeps answers only (not card states, not undo's snapshot) and the
    report rebuilds the cards from them: its figures are those of the files'."""
    from maliquiz.core.progress.report import build_report_from_tables, report_json
    from maliquiz.core.progress.transfer import read_export

    paths = cram_exports(tmp_path)
    clock = ManualClock(START + timedelta(days=20))
    from_files = report_json(build_report(paths, clock=clock))
    tables = []
    for path in paths:
        export = read_export(path)
        reviews = [[*row[:-1], None] for row in export["reviews"]["rows"]]
        # The server sends a learner's answers in the order they reached it.
        tables.append(
            (export["user"], {"reviews": reviews[::-1], "exams": export["exams"]["rows"]})
        )
    from_server = report_json(
        build_report_from_tables(tables, source="server", class_name="6e A", clock=clock)
    )
    assert from_server["class"] == "6e A" and from_files["class"] is None
    assert from_server["learners"] == from_files["learners"]
    assert from_server["cards"] == from_files["cards"]
    awa, bakary = from_files["learners"]
    # Crammed answers are answers (and misses), but see no card: number-renforts was
    # only crammed by awa; retention counts scheduled answers spaced from the one before.
    assert (awa["cards_seen"], awa["answers"], awa["right"]) == (2, 8, 5)
    assert (bakary["cards_seen"], bakary["answers"]) == (1, 5)
    assert awa["retention_30d"] is not None and bakary["retention_30d"] is not None
