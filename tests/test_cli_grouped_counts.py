"""Counts of a thousand and more in the CLI's tables, grouped as the app groups them
(2,000 in English, 2 000 with a narrow no-break space in French), their columns still
lined up, while ``--json`` keeps plain numbers. The real CLI in a subprocess, on a real
progress file in the test's data dir: a deck of 2,000 cards and a learner who answered
one card a day for 999 days, then 1,001 cards today."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner
from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store

DECK_ID = "grand-paquet"
CARDS = 2_000
PAST_DAYS = 999  # one answer a day before today: 1,000 days in a row with today's
TODAY = 1_001  # answers today, on as many cards

# Per language: the environment, how a count is grouped, the words looked for.
LANGUAGES = {
    "en": {
        "env": {"MALIQUIZ_LANG": "en"},
        "sep": ",",
        "cards": "CARDS",
        "interval": "IVL",
        "streak": "Days in a row studied: {n}",
        "today": "Reviews today: {n} ({n} correct)",
    },
    "fr": {
        "env": {"MALIQUIZ_LANG": "fr"},
        "sep": "\u202f",
        "cards": "CARTES",
        "interval": "INTERV.",
        "streak": "Jours d'étude consécutifs : {n}",
        "today": "Révisions du jour : {n} (bonnes réponses : {n})",
    },
}

CELL = r"[^ ]+(?: [^ ]+)*"
"""A cell of a table line: words one space apart ("2\u202f000" is one word here)."""


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def cells(line: str) -> list[str]:
    """A table line's cells: columns are two spaces apart or more (a grouped count's
    narrow no-break space is not a space here)."""
    return re.split(r" {2,}", line.strip())


@pytest.fixture
def big_learner(data_dir: Path) -> None:
    folder = data_dir / "decks"
    folder.mkdir(parents=True)
    lines = [f"id: {DECK_ID}", "title: Grand paquet", "cards:"]
    for n in range(CARDS):
        lines += [
            f"  - id: carte-{n}",
            "    type: text",
            f"    prompt: Qui est la personne numéro {n} ?",
            f"    answer: Personne {n}",
            "    kind: person",
        ]
    (folder / "grand.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    now = datetime.now(UTC)
    clock = ManualClock(now - timedelta(days=PAST_DAYS))
    with Store.open(progress_path(data_dir), clock=clock) as store:
        store.ensure_user("tester")
        for n in range(PAST_DAYS + TODAY):
            clock.set(now - timedelta(days=max(0, PAST_DAYS - n)))
            store.record_answer(
                "tester",
                DECK_ID,
                f"carte-{n}",
                rating=Rating.Good,
                outcome=Outcome.CORRECT,
                mode="typed",
            )
        # A card not due for years: an interval of more than a thousand days.
        store.apply_card_action("tester", "set-due", [(DECK_ID, "carte-0")], 1_500)


def table_run(run_cli: CliRunner, lang: str, command: str) -> tuple[dict[str, Any], Any]:
    """The words of ``lang`` and a successful run of ``command`` in it."""
    words = LANGUAGES[lang]
    done = run_cli(command, env=words["env"])
    assert done.returncode == 0, done.stderr
    return words, done


@pytest.mark.usefixtures("big_learner")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_stats_groups_its_counts_and_keeps_them_lined_up(run_cli: CliRunner, lang: str) -> None:
    words, done = table_run(run_cli, lang, "stats")
    env, sep, cards_word = words["env"], words["sep"], words["cards"]
    table, _blank, rest = done.stdout.partition("\n\n")
    lines = table.splitlines()
    assert cells(lines[0])[1] == cards_word
    # Every count as --json gives it, grouped; the bundled decks and the total too.
    document = json.loads(run_cli("stats", "--json", env=env).stdout)
    keys = ["cards", "new_today", "learn_today", "due_today", "review", "suspended", "leeches"]
    by_deck = {deck["deck_id"]: deck for deck in document["decks"]}
    for line in lines[1:-1]:
        deck_id, *counts = cells(line)
        assert counts == [grouped(by_deck[deck_id][key], sep) for key in keys], line
    big = next(line for line in lines if line.startswith(DECK_ID))
    assert cells(big)[1] == grouped(CARDS, sep) == ("2,000" if lang == "en" else "2\u202f000")
    total = cells(lines[-1])[1:]
    assert total == [grouped(sum(d[key] for d in document["decks"]), sep) for key in keys]
    # Right-aligned: every line of the table ends at the same column, and each count
    # ends under the end of its heading.
    assert len({len(line) for line in lines}) == 1, table
    heading_ends = [m.end() for m in re.finditer(CELL, lines[0])]
    for line in lines[1:]:
        ends = [m.end() for m in re.finditer(CELL, line)]
        assert ends[1:] == heading_ends[1:], (lines[0], line)
    summary = rest.splitlines()
    assert words["streak"].format(n=grouped(1_000, sep)) in summary
    assert words["today"].format(n=grouped(TODAY, sep)) in summary
    # --json stays plain numbers.
    assert document["streak_days"] == 1_000 and document["reviews_today"] == TODAY
    assert by_deck[DECK_ID]["cards"] == CARDS


@pytest.mark.usefixtures("big_learner")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_decks_groups_its_counts_and_keeps_them_lined_up(run_cli: CliRunner, lang: str) -> None:
    words, done = table_run(run_cli, lang, "decks")
    env, sep, cards_word = words["env"], words["sep"], words["cards"]
    lines = done.stdout.splitlines()
    heading = lines[0]
    rows = {row["id"]: row for row in json.loads(run_cli("decks", "--json", env=env).stdout)}
    assert rows[DECK_ID]["cards"] == CARDS  # --json: plain numbers
    title_at = len(heading) - len(cells(heading)[-1])
    for line in lines[1:]:
        deck_id, *counts = cells(line)[:5]
        row = rows[deck_id]
        keys = ("cards", "new_today", "learn_today", "due_today")
        assert counts == [grouped(row[key], sep) for key in keys], line
        assert line[title_at:] == row["title"], (heading, line)  # the titles line up
    big = next(line for line in lines if line.startswith(DECK_ID + " "))
    end = heading.index(cards_word) + len(cards_word)
    assert big[:end].endswith(" " + grouped(CARDS, sep)), (heading, big)


@pytest.mark.usefixtures("big_learner")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cards_groups_a_long_interval(run_cli: CliRunner, lang: str) -> None:
    words = LANGUAGES[lang]
    env, sep, ivl = words["env"], words["sep"], words["interval"]
    done = run_cli("cards", "card:carte-0", env=env)
    assert done.returncode == 0, done.stderr
    heading, line = done.stdout.splitlines()[:2]
    interval = json.loads(run_cli("cards", "--json", "card:carte-0").stdout)[0]["interval"]
    assert interval > 1_000
    at = heading.index(ivl)  # the column is as wide as its widest cell, left-aligned
    assert line[at:].startswith(grouped(interval, sep) + " "), (heading, line)
