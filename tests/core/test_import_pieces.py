"""A progress export is imported a piece at a time: memory bounded whatever the length of
the history, the same rows stored, the same refusals. Real files in the test's folder, a
real store, no mocks."""

from __future__ import annotations

import gc
import json
import sqlite3
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, State

from maliquiz.core.learning.clock import ManualClock, StudyCalendar, to_ms
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import (
    CARD_COLUMNS,
    EXAM_COLUMNS,
    REVIEW_COLUMNS,
    progress_path,
)
from maliquiz.core.progress.store import Store
from maliquiz.core.progress.transfer import ImportFileError, InvalidRowsError

NOW = datetime(2024, 5, 1, 7, tzinfo=UTC)
CARDS = 500
ANSWERS = 60_000
"""Twelve batches of 5,000 rows, and more than ``daily.RESUM_LIMIT`` answers."""


def history(answers: int, cards: int = CARDS, user: str = "veteran") -> dict[str, Any]:
    """An export of ``answers`` answers over ``cards`` cards, a few minutes apart, with
    a card row each and two exams."""
    start = to_ms(NOW - timedelta(days=400))
    reviews = [
        [
            f"{n + 1:032x}",
            f"pile-{n % 3}",
            f"carte-{n % cards}",
            start + n * 300_000,
            "typed",
            f"Réponse {n % 97}",
            "wrong" if n % 10 == 0 else "correct",
            1 if n % 10 == 0 else 3,
            4_000 + n % 1_000,
            int(n % 7 != 0),
            None,
        ]
        for n in range(answers)
    ]
    card_rows = []
    for c in range(cards):
        last = start + (answers - cards + c) * 300_000
        memory = Card(
            card_id=c + 1,
            state=State.Review,
            step=None,
            stability=10.0 + c,
            difficulty=5.0,
            due=datetime.fromtimestamp(last / 1000 + 864_000, UTC),
            last_review=datetime.fromtimestamp(last / 1000, UTC),
        )
        state = [memory.to_json(), 2, last + 864_000_000, 10.0 + c, 5.0]
        counts = [last, answers // cards, 1, start, None, 0, 0, start, None]
        card_rows.append([f"pile-{c % 3}", f"carte-{c}", *state, *counts])
    exams = [
        [f"exam-{n}", start + n * 86_400_000, '["pile-0"]', "[]", 3.0, 4.0, 60_000, "[]"]
        for n in range(2)
    ]
    return {
        "format": "maliquiz-progress",
        "version": 1,
        "user": user,
        "exported_at": NOW.isoformat(),
        "cards": {"columns": list(CARD_COLUMNS), "rows": card_rows},
        "reviews": {"columns": list(REVIEW_COLUMNS), "rows": reviews},
        "exams": {"columns": list(EXAM_COLUMNS), "rows": exams},
    }


def write(path: Path, document: dict[str, Any]) -> Path:
    """``document`` written as the export writes it: compact, non-ASCII kept."""
    path.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return history(ANSWERS)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory, big: dict[str, Any]) -> Path:
    return write(tmp_path_factory.mktemp("big") / "veteran.json", big)


def open_store(path: Path) -> Store:
    return Store.open(
        path, clock=ManualClock(NOW), calendar=StudyCalendar(tz=ZoneInfo("Europe/Paris"))
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store whose learner awa has three answers of her own."""
    with open_store(progress_path(tmp_path / "here")) as opened:
        opened.ensure_user("awa")
        for card in ("a", "b", "a"):
            opened.record_answer(
                "awa", "pile-0", card, rating=Rating.Good, outcome="correct", mode="typed"
            )
        yield opened


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row a learner's import writes, read with plain SQLite."""
    with closing(sqlite3.connect(path)) as db:
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in {
                "users": "id",
                "review_log": "id",
                "review_undo": "review",
                "card_keys": "id",
                "review_answers": "id",
                "card_states": "id",
                "exams": "id",
                "daily": "user_id, day",
            }.items()
        }


def peak_bytes(action: Callable[[], object]) -> int:
    """The most memory Python held (tracemalloc) while ``action`` ran."""
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_history_is_imported_in_bounded_memory(
    store: Store, big_file: Path, tmp_path: Path
) -> None:
    # Pydantic's schemas are built on first use: a small import first, not measured.
    store.import_user(write(tmp_path / "small.json", history(20, cards=5)), as_user="warm")
    whole = peak_bytes(lambda: json.loads(big_file.read_text(encoding="utf-8")))
    report = None

    def run() -> None:
        nonlocal report
        report = store.import_user(big_file)

    peak = peak_bytes(run)
    assert report is not None and report.reviews_added == ANSWERS
    assert (report.exams_added, report.cards_updated) == (2, CARDS)
    # Measured: reading the 7 MB file whole takes 45 MB, the import 7 MB (the same for
    # 110,000 answers; 6 MB for 15,000). The import that read the file whole took 47 MB
    # (and traced 1 GiB besides: the buffer of read_text's bounded read).
    assert peak < whole / 3, (peak, whole)


@pytest.mark.parametrize("first", [ANSWERS - 4_996, 4], ids=["last-batch", "first-and-last"])
def test_a_bad_value_in_the_last_batch_refuses_the_whole_file(
    first: int, store: Store, big: dict[str, Any], tmp_path: Path
) -> None:
    """A bad value in the last batch, once eleven batches of good rows were merged (or
    one in the first batch as well): nothing is kept. Every bad value is named, with
    its row's number in the file."""
    forged = json.loads(json.dumps(big))
    rows = forged["reviews"]["rows"]
    rating = REVIEW_COLUMNS.index("rating")
    rows[first - 1][rating] = 0
    rows[-1][rating] = 9
    path = write(tmp_path / "forged.json", forged)
    before = contents(store.path)
    for as_user in (None, "awa"):  # a new learner, a learner with answers of her own
        with pytest.raises(InvalidRowsError) as refused:
            store.import_user(path, as_user=as_user)
        assert [(p.table, p.row, p.column, p.value) for p in refused.value.problems] == [
            ("reviews", first, "rating", "0"),
            ("reviews", ANSWERS, "rating", "9"),
        ]
        assert f"row {first}, column 'rating'" in str(refused.value)
        assert contents(store.path) == before  # nothing stored, no learner created
    assert [u.name for u in store.users()] == ["awa"]


def test_the_form_of_the_file_is_named_before_its_values(
    store: Store, big: dict[str, Any], tmp_path: Path
) -> None:
    """A malformed row found after bad values is what the refusal names, as when the
    file was read whole: its form is checked before its values."""
    forged = json.loads(json.dumps(big))
    forged["cards"]["rows"][0][3] = 9  # a bad state, merged batches before the row below
    forged["reviews"]["rows"][-2] = forged["reviews"]["rows"][-2][:5]
    path = write(tmp_path / "malformed.json", forged)
    before = contents(store.path)
    with pytest.raises(ImportFileError, match=f"row {ANSWERS - 1} holds 5 values") as refused:
        store.import_user(path)
    assert not isinstance(refused.value, InvalidRowsError)
    assert contents(store.path) == before


def test_a_file_laid_out_otherwise_is_read_whole_to_the_same_rows(
    big: dict[str, Any], tmp_path: Path
) -> None:
    """A file whose ``user`` comes after the tables (written by hand, or by another
    program) cannot be read a piece at a time: it is read whole, and stores the same
    rows as the export's own layout."""
    moved = {key: value for key, value in big.items() if key != "user"}
    moved["user"] = "veteran"
    stored = []
    for name, document in (("ours", big), ("moved", moved)):
        path = progress_path(tmp_path / name)
        with open_store(path) as store:
            report = store.import_user(write(tmp_path / f"{name}.json", document))
            assert report == ("veteran", ANSWERS, 2, CARDS)
        stored.append(contents(path))
    assert stored[0] == stored[1]


def test_a_few_answers_are_summed_day_by_day_the_same_either_way(tmp_path: Path) -> None:
    """Below ``daily.RESUM_LIMIT`` answers only the days touched are summed again: into a
    learner who has answers of her own, the same sums whichever way the file is read."""
    document = history(3_000, cards=40, user="awa")
    document["cards"]["columns"] = document["cards"]["columns"][:-2]  # an older export
    for row in document["cards"]["rows"]:
        del row[-2:]
    moved = {"cards": document["cards"], **document}  # the tables first
    stored = []
    for name, file in (("ours", document), ("moved", moved)):
        path = progress_path(tmp_path / name)
        with open_store(path) as store:
            store.ensure_user("awa")
            # A card of the file answered here later: its state here is kept.
            store.record_answer(
                "awa", "pile-1", "carte-1", rating=Rating.Good, outcome="correct", mode="typed"
            )
            report = store.import_user(write(tmp_path / f"{name}.json", file))
            assert report == ("awa", 3_000, 2, 39)
        stored.append(contents(path))
        own = stored[-1]["review_log"][0]  # its uid drawn at random
        stored[-1]["review_log"][0] = (*own[:4], None, *own[5:])
    assert stored[0] == stored[1]
    assert sum(day[2] for day in stored[0]["daily"]) == 3_001


def test_a_file_cut_in_the_middle_of_a_row_is_refused(store: Store, big_file: Path) -> None:
    text = big_file.read_bytes()
    cut = big_file.with_name("cut.json")
    cut.write_bytes(text[: len(text) * 9 // 10])  # after several batches were merged
    before = contents(store.path)
    with pytest.raises(ImportFileError, match="this is not valid JSON"):
        store.import_user(cut)
    assert contents(store.path) == before


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "row",
    [["x"] * 10 + [nested(30)], {"deep": nested(30)}],
    ids=["a-value", "a-malformed-row"],
)
def test_a_row_nested_too_deep_is_refused_as_before(store: Store, row: Any, tmp_path: Path) -> None:
    document = history(50, cards=5)
    document["reviews"]["rows"][30] = row
    path = write(tmp_path / "deep.json", document)
    with pytest.raises(ImportFileError, match="nest more than 32 levels deep"):
        store.import_user(path)
    assert [u.name for u in store.users()] == ["awa"]


def test_a_key_written_twice_counts_once_as_in_json(store: Store, tmp_path: Path) -> None:
    """``json.loads`` keeps a key's last value: so does the import of such a file."""
    text = json.dumps(history(10, cards=2, user="first"), separators=(",", ":"))
    path = tmp_path / "twice.json"
    path.write_text('{"user":"ignored",' + text[1:], encoding="utf-8")
    assert store.import_user(path).user == "first"


def test_columns_that_are_no_list_are_refused_in_words(store: Store, tmp_path: Path) -> None:
    """(Such a file made the import fail with a TypeError.)"""
    document = history(10, cards=2)
    document["reviews"]["columns"] = 5
    with pytest.raises(ImportFileError, match=r"'reviews' table .* \(found no list of columns\)"):
        store.import_user(write(tmp_path / "columns.json", document))
