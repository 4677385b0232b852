"""The class report: how a group of learners is doing, from their progress exports.

Each learner sends the file written by ``maliquiz progress export``. The report loads
them into a temporary store (so every file is checked exactly as an import would check
it) and sums them up:

* per learner: cards seen, answers, share of right answers, true retention, last
  activity, exams sat and their mean score;
* per card: answers, mistakes, the share of mistakes, how many learners missed it, and
  the wrong answers given most often — hardest cards first.

It can be printed as text, written as CSV tables, or as one self-contained HTML page
(tables and bar charts in inline SVG, no script, no external file) for a browser.
"""

from __future__ import annotations

import csv
import html
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from maliquiz.core.answers.verdict import NOT_RECALLED
from maliquiz.core.learning.clock import Clock, SystemClock
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.stats import true_retention
from maliquiz.core.progress.store import Store
from maliquiz.core.text.normalize import normalize

WRONG_OUTCOMES = frozenset(map(str, NOT_RECALLED))


@dataclass(frozen=True)
class LearnerRow:
    """One learner's figures."""

    name: str
    cards_seen: int
    answers: int
    right: int
    retention: float | None
    last_activity: datetime | None
    exams: int
    exam_mean: float | None

    @property
    def accuracy(self) -> float | None:
        """Share of answers not graded wrong."""
        return self.right / self.answers if self.answers else None


@dataclass(frozen=True)
class CardRow:
    """One card's figures over the class."""

    deck_id: str
    card_id: str
    prompt: str
    answers: int
    misses: int
    learners: int
    learners_missed: int
    wrong_answers: tuple[tuple[str, int], ...]

    @property
    def miss_rate(self) -> float:
        """Share of the answers that were wrong."""
        return self.misses / self.answers if self.answers else 0.0


@dataclass
class ClassReport:
    """The whole report."""

    learners: list[LearnerRow]
    cards: list[CardRow]
    generated_at: datetime
    files: list[str] = field(default_factory=list)
    class_name: str | None = None
    """The class's name, for a report from a class server."""


def build_report(
    paths: Sequence[Path],
    prompts: Mapping[tuple[str, str], str] | None = None,
    *,
    clock: Clock | None = None,
) -> ClassReport:
    """Read the exports at ``paths`` (raises the store's ``ImportFileError`` for a bad
    one) and compute the report; ``prompts`` gives each card's question text."""
    clock = clock or SystemClock()
    prompts = prompts or {}
    now = clock.now()
    with (
        tempfile.TemporaryDirectory(prefix="maliquiz-report-") as folder,
        Store.open(progress_path(Path(folder)), clock=clock) as store,
    ):
        names: list[str] = []
        for path in paths:
            # Two pupils may have exported under the same login name ("eleve"): keep
            # them apart as "eleve", "eleve (2)"...
            imported, exported_as = store.import_file(path, as_user=f"report-{len(names)}")
            first = imported.user
            unique = _unique(exported_as or first, names)
            store.rename_user(first, unique)
            names.append(unique)
        learners = [_learner(store, name, now) for name in names]
        cards = _cards(store, names, prompts)
    return ClassReport(learners, cards, now, [str(p) for p in paths])


def build_report_from_tables(
    learners: Sequence[tuple[str, dict[str, list[list[Any]]]]],
    prompts: Mapping[tuple[str, str], str] | None = None,
    *,
    source: str,
    class_name: str | None = None,
    clock: Clock | None = None,
) -> ClassReport:
    """The report of learners given as ``(name, {"reviews": rows, "exams": rows})`` in
    the export's column order (what a class server sends): every row is checked as an
    import checks it (raises ``InvalidRowsError`` naming ``source``), and each card's
    state is rebuilt from the answers, as a sync does: from the scheduled ones only,
    as answering does (a practice-ahead answer is counted as an answer, in the card's
    misses and in retention's spacing, but leaves the schedule alone), so the figures
    are those of the report from the same learners' progress files."""
    from maliquiz.core.progress.sync import rebuild_cards
    from maliquiz.core.progress.transfer import InvalidRowsError, check_tables

    clock = clock or SystemClock()
    now = clock.now()
    with (
        tempfile.TemporaryDirectory(prefix="maliquiz-report-") as folder,
        Store.open(progress_path(Path(folder)), clock=clock) as store,
    ):
        names: list[str] = []
        for name, tables in learners:
            rows = {"cards": [], "reviews": tables["reviews"], "exams": tables["exams"]}
            problems = check_tables(rows, now)
            if problems:
                raise InvalidRowsError(Path(f"{source} ({name})"), problems)
            first = store.merge_tables(f"report-{len(names)}", rows, source=Path(source)).user
            rebuild_cards(store, first, {(row[1], row[2]) for row in tables["reviews"]})
            unique = _unique(name, names)
            store.rename_user(first, unique)
            names.append(unique)
        report_learners = [_learner(store, name, now) for name in names]
        cards = _cards(store, names, prompts or {})
    return ClassReport(report_learners, cards, now, [source], class_name)


def _unique(name: str, names: list[str]) -> str:
    """``name``, or "name (2)"... when a learner of that name is already listed."""
    unique, n = name, 1
    while unique.casefold() in {x.casefold() for x in names}:
        n += 1
        unique = f"{name} ({n})"
    return unique


def _learner(store: Store, name: str, now: datetime) -> LearnerRow:
    reviews = store.reviews(name)
    cards = [c for c in store.cards(name) if not c.state.is_new]
    exams = store.exams(name)
    right = sum(1 for r in reviews if r.outcome not in WRONG_OUTCOMES)
    passed, counted = true_retention(reviews, now - timedelta(days=30))
    last = max((r.reviewed_at for r in reviews), default=None)
    if exams:
        last = max(last or exams[-1].taken_at, exams[-1].taken_at)
    return LearnerRow(
        name=name,
        cards_seen=len(cards),
        answers=len(reviews),
        right=right,
        retention=passed / counted if counted else None,
        last_activity=last,
        exams=len(exams),
        exam_mean=(
            sum(e.score / e.max_score for e in exams if e.max_score) / len(exams) if exams else None
        ),
    )


def _cards(
    store: Store, names: Iterable[str], prompts: Mapping[tuple[str, str], str]
) -> list[CardRow]:
    answers: Counter[tuple[str, str]] = Counter()
    misses: Counter[tuple[str, str]] = Counter()
    learners: dict[tuple[str, str], set[str]] = {}
    missed_by: dict[tuple[str, str], set[str]] = {}
    wrong: dict[tuple[str, str], Counter[str]] = {}
    shown: dict[tuple[str, str], dict[str, str]] = {}
    for name in names:
        for review in store.reviews(name):
            key = (review.deck_id, review.card_id)
            answers[key] += 1
            learners.setdefault(key, set()).add(name)
            if review.outcome in WRONG_OUTCOMES or review.rating == Rating.Again:
                misses[key] += 1
                missed_by.setdefault(key, set()).add(name)
                text = (review.answer or "").strip()
                if text:
                    folded = normalize(text)
                    wrong.setdefault(key, Counter())[folded] += 1
                    shown.setdefault(key, {}).setdefault(folded, text)
    rows = [
        CardRow(
            deck_id=key[0],
            card_id=key[1],
            prompt=prompts.get(key, ""),
            answers=answers[key],
            misses=misses[key],
            learners=len(learners[key]),
            learners_missed=len(missed_by.get(key, ())),
            wrong_answers=tuple(
                (shown[key][folded], count)
                for folded, count in wrong.get(key, Counter()).most_common(3)
            ),
        )
        for key in answers
    ]
    rows.sort(key=lambda r: (-r.miss_rate, -r.misses, r.deck_id, r.card_id))
    return rows


def report_json(report: ClassReport) -> dict[str, Any]:
    """The report as plain data (``maliquiz report --json``)."""

    def when(value: datetime | None) -> str | None:
        return None if value is None else value.astimezone(UTC).isoformat()

    return {
        "generated_at": when(report.generated_at),
        "class": report.class_name,
        "sources": report.files,
        "learners": [
            {
                "learner": r.name,
                "cards_seen": r.cards_seen,
                "answers": r.answers,
                "right": r.right,
                "accuracy": r.accuracy,
                "retention_30d": r.retention,
                "last_activity": when(r.last_activity),
                "exams": r.exams,
                "exam_mean": r.exam_mean,
            }
            for r in report.learners
        ],
        "cards": [
            {
                "deck": c.deck_id,
                "card": c.card_id,
                "prompt": c.prompt,
                "answers": c.answers,
                "misses": c.misses,
                "miss_rate": c.miss_rate,
                "learners": c.learners,
                "learners_missed": c.learners_missed,
                "wrong_answers": [{"answer": a, "count": n} for a, n in c.wrong_answers],
            }
            for c in report.cards
        ],
    }


# --- output ---------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "" if value is None else f"{round(100 * value)} %"


def _when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


LEARNER_HEADER = (
    "learner", "cards_seen", "answers", "accuracy", "retention_30d", "last_activity",
    "exams", "exam_mean",
)  # fmt: skip
CARD_HEADER = (
    "deck", "card", "prompt", "answers", "misses", "miss_rate", "learners",
    "learners_missed", "wrong_answers",
)  # fmt: skip


def learner_cells(row: LearnerRow) -> list[str]:
    """One learner as text cells, in :data:`LEARNER_HEADER` order."""
    return [
        row.name, str(row.cards_seen), str(row.answers), _pct(row.accuracy),
        _pct(row.retention), _when(row.last_activity), str(row.exams), _pct(row.exam_mean),
    ]  # fmt: skip


def card_cells(row: CardRow) -> list[str]:
    """One card as text cells, in :data:`CARD_HEADER` order."""
    wrong = "; ".join(f"{text} ×{count}" for text, count in row.wrong_answers)
    return [
        row.deck_id, row.card_id, row.prompt, str(row.answers), str(row.misses),
        _pct(row.miss_rate), str(row.learners), str(row.learners_missed), wrong,
    ]  # fmt: skip


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection)."""
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(text: str) -> str:
    """``text`` safe in a CSV cell that a spreadsheet opens: a cell starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return (a learner's typed answer, a name)
    gets a leading ``'`` (OWASP's advice), so that a spreadsheet reads it as text and
    never runs it; a number, negative or not, stays a number."""
    if text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(report: ClassReport, folder: Path) -> list[Path]:
    """Write ``learners.csv`` and ``cards.csv`` (UTF-8 with a BOM, which spreadsheet
    programs need to read accents) into ``folder``, every cell through :func:`csv_cell`.
    Their last column, ``class``, names the class (a report from a class server; empty
    from files), so that the tables of several classes can be put together."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    klass = report.class_name or ""
    for name, header, rows in (
        ("learners.csv", LEARNER_HEADER, [learner_cells(r) for r in report.learners]),
        ("cards.csv", CARD_HEADER, [card_cells(r) for r in report.cards]),
    ):
        path = folder / name
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow((*header, "class"))
            writer.writerows([csv_cell(cell) for cell in (*row, klass)] for row in rows)
        written.append(path)
    return written


def _bars(items: Sequence[tuple[str, float]], *, width: int = 520, color: str = "#3b7dd8") -> str:
    """A horizontal bar chart (values 0..1) as inline SVG."""
    row = 22
    label_width = 190
    height = row * len(items) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" class="chart">'
    ]
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        bar = max(0.0, min(1.0, value)) * (width - label_width - 50)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">'
            f"{html.escape(label[:28])}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="15" fill="{color}"/>'
            f'<text x="{label_width + bar + 4:.1f}" y="{y + 15}">{round(100 * value)} %</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(
    report: ClassReport,
    *,
    title: str = "maliquiz class report",
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    headers: tuple[Sequence[str], Sequence[str]] = (LEARNER_HEADER, CARD_HEADER),
) -> str:
    """One self-contained HTML page: the two tables (with ``headers``: the learners'
    and the cards' column headings) and two bar charts; the class's name under the
    title when the report has one (``labels["class"]`` formats ``{name}``)."""
    words = {
        "learners": "Learners",
        "cards": "Cards, hardest first",
        "accuracy": "Share of right answers by learner",
        "misses": "Share of mistakes by card (hardest 15)",
        "generated": "Generated",
        "files": "from {n} progress files",
        "class": "Class: {name}",
        **(labels or {}),
    }

    def table(header: Sequence[str], rows: Iterable[Sequence[str]], css: str) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    accuracy = [(r.name, r.accuracy or 0.0) for r in report.learners]
    hardest = [(r.card_id, r.miss_rate) for r in report.cards[:15]]
    klass = (
        ""
        if report.class_name is None
        else f'<p class="class">{html.escape(words["class"].format(name=report.class_name))}</p>\n'
    )
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1d2330; }}
table {{ border-collapse: collapse; margin: 1rem 0 2rem; font-size: 0.9rem; }}
th, td {{ border: 1px solid #c9cfdb; padding: 0.3rem 0.6rem; text-align: left; }}
th {{ background: #eef2f8; }}
tbody tr:nth-child(even) {{ background: #f8f9fc; }}
.chart text {{ font-size: 12px; fill: #1d2330; }}
.meta {{ color: #5a6275; }}
.class {{ font-size: 1.2rem; font-weight: 600; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
{klass}<p class="meta">{html.escape(words["generated"])} {html.escape(_when(report.generated_at))},
{html.escape(words["files"].format(n=len(report.files)))}</p>
<h2>{html.escape(words["learners"])}</h2>
{table(headers[0], (learner_cells(r) for r in report.learners), "learners")}
<h3>{html.escape(words["accuracy"])}</h3>
{_bars(accuracy)}
<h2>{html.escape(words["cards"])}</h2>
{table(headers[1], (card_cells(r) for r in report.cards), "cards")}
<h3>{html.escape(words["misses"])}</h3>
{_bars(hardest, color="#d8573b")}
</body>
</html>
"""
