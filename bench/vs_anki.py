"""maliquiz beside the real Anki library, on the same deck, in one run.

Needs the optional extra: ``pip install '.[bench]'`` (the ``anki`` package, 26.9.3).
Neither the tests nor CI install it. Figures, each as a ratio to Anki's:

- loading a deck: ``maliquiz check`` of a generated 10,000-card deck, less the time of
  a 1-card deck, against Anki importing our own ``.apkg`` export of the same deck, less
  a 1-card package (target <= 1x); and the same deck loaded again once read before
  (validated from the data kept in the cache, as every later start of the app does);
- today's queue: a fresh build of the queue (maliquiz ``build_queue``; Anki
  ``get_queued_cards`` on a just-opened collection) over a 2,000-card deck with every
  card answered once;
- answering a card: scheduling and recording one answer (maliquiz ``record_answer``,
  committed with an fsync; Anki ``build_answer`` + ``answer_card``), median of 200
  (target <= 1x);
- today's queue at scale: 10 decks of 10,000 cards, every card in review, maliquiz's
  learner holding 1,000,000 answers brought in with ``maliquiz progress import``; Anki's
  collection imports our ``.apkg`` exports of the same decks and its cards are given the
  same due days (Anki's queue never reads its review log, so none is written). A queue
  built on a just-opened store or collection, less the opening (target <= 0.8x and
  <= 100 ms). Takes about a minute to set up; ``--quick`` leaves it out.

Three floors are printed beside them, each as a ratio to the same Anki figure: libyaml's
events of the deck alone (the least any reader built on PyYAML, our chosen parser, pays
before doing anything with them), one row inserted and committed durably from Python
(the least any answer recorded through ``sqlite3`` with an fsync pays), and the least
answer built of the chosen parts (the card's state read, scheduled by py-fsrs, written
back, the answer logged and added to the day's sums, in one durable transaction). A
floor at or above a target says the target cannot be met on this stack; a floor just
under it says how little room is left for everything else.

    python bench/vs_anki.py [--quick]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from fsrs import Card as FsrsCard
from fsrs import Rating as FsrsRating
from fsrs import Scheduler as FsrsScheduler
from genanki import guid_for

from bench_scale import imported_learner
from gen import big_deck_yaml

try:
    import anki.collection  # noqa: F401  (first: anki imports its modules in this order)
    from anki import import_export_pb2
    from anki.cards import Card
    from anki.collection import Collection
    from anki.scheduler_pb2 import CardAnswer
except ImportError:  # pragma: no cover - the extra is optional
    raise SystemExit("the real Anki library is needed: pip install '.[bench]'") from None

from maliquiz.core.deck.datacache import DeckDataCache
from maliquiz.core.deck.loader import check_deck_file, load_deck
from maliquiz.core.deck.models import Deck
from maliquiz.core.interchange.anki import export_apkg
from maliquiz.core.learning.clock import SystemClock
from maliquiz.core.learning.queue import build_queue
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store


def best(action: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def write_deck(folder: Path, cards: int) -> tuple[Path, Path, Deck]:
    yaml_path = folder / f"deck-{cards}.yaml"
    yaml_path.write_text(big_deck_yaml(cards), encoding="utf-8")
    deck = check_deck_file(yaml_path).deck
    assert deck is not None
    apkg = folder / f"deck-{cards}.apkg"
    export_apkg(deck, apkg)
    return yaml_path, apkg, deck


def anki_collection(folder: Path, apkg: Path) -> Collection:
    col = Collection(str(folder / f"anki-{time.perf_counter_ns()}.anki2"))
    col.import_anki_package(import_export_pb2.ImportAnkiPackageRequest(package_path=str(apkg)))
    deck_id = next(d.id for d in col.decks.all_names_and_ids() if d.name != "Default")
    col.decks.select(deck_id)
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["new"]["perDay"] = 9999
    col.decks.save(config)
    return col


def anki_fresh_queue(col: Collection) -> float:
    """Seconds Anki takes to build today's queue of ``col`` (closed here) just after
    opening it, less the opening, best of 5."""
    path = col.path
    col.close()

    def fresh_queue() -> None:
        reopened = Collection(path)
        reopened.sched.get_queued_cards(fetch_limit=1)
        reopened.close()

    def open_only() -> None:
        Collection(path).close()

    return best(fresh_queue, 5) - best(open_only, 5)


def loading(folder: Path) -> tuple[float, float, float, float]:
    """Loading a deck the first time (``check``), and again once it was read before
    (validated from its kept data, as every later start of the app does), against
    Anki importing the deck."""
    small_yaml, small_apkg, _ = write_deck(folder, 1)
    big_yaml, big_apkg, _ = write_deck(folder, 10_000)
    ours = best(lambda: check_deck_file(big_yaml)) - best(lambda: check_deck_file(small_yaml))
    kept = DeckDataCache(folder / "data")
    kept.load(big_yaml), kept.load(small_yaml)
    again = best(lambda: kept.load(big_yaml)) - best(lambda: kept.load(small_yaml))

    def imported(apkg: Path) -> Callable[[], None]:
        return lambda: anki_collection(folder, apkg).close()

    theirs = best(imported(big_apkg)) - best(imported(small_apkg))
    return ours, again, theirs, yaml_events(big_yaml) - yaml_events(small_yaml)


def yaml_events(path: Path) -> float:
    """Seconds libyaml takes to hand over the events of the deck at ``path``, doing
    nothing with them: the floor of any reader built on PyYAML, best of 3."""
    text = path.read_text(encoding="utf-8")

    def events() -> None:
        parser = yaml.CSafeLoader(text)
        while parser.get_event() is not None:
            pass
        parser.dispose()

    return best(events)


def durable_insert(folder: Path) -> float:
    """Median seconds of the least durable write: one row inserted and committed from
    Python's sqlite3 in a WAL file with ``synchronous=FULL`` (as Anki's collection and
    our store are), the floor of recording an answer."""
    db = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, card TEXT, rating INTEGER)")
    times = []
    for n in range(200):
        start = time.perf_counter()
        db.execute("BEGIN")
        db.execute("INSERT INTO answers (card, rating) VALUES (?, 3)", (f"card-{n}",))
        db.execute("COMMIT")
        times.append(time.perf_counter() - start)
    db.close()
    return statistics.median(times)


def least_answer(folder: Path) -> float:
    """Median seconds of the least answer the chosen parts allow, whatever the code
    around them: in one durable transaction, read the card's py-fsrs state, schedule it
    with py-fsrs, write it back, log the answer and add it to the day's sums (the
    issue asks for the sums in the answer's transaction). Nothing else: no learner,
    no undo state, no leech or recall marks."""
    db = sqlite3.connect(folder / "least.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY, memory TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE log (id INTEGER PRIMARY KEY, card INTEGER, at INTEGER, rating INTEGER)"
    )
    db.execute("CREATE TABLE days (day INTEGER PRIMARY KEY, answers INTEGER NOT NULL)")
    scheduler = FsrsScheduler(enable_fuzzing=False)
    times = []
    for n in range(200):
        start = time.perf_counter()
        now = datetime.now(UTC)
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT memory FROM cards WHERE id = ?", (n,)).fetchone()
        # A card id given: without one py-fsrs sleeps a millisecond to make one unique.
        card = FsrsCard(card_id=n + 1) if row is None else FsrsCard.from_json(row[0])
        card, _log = scheduler.review_card(card, FsrsRating.Good, now)
        db.execute(
            "INSERT INTO cards (id, memory) VALUES (?, ?) "
            "ON CONFLICT (id) DO UPDATE SET memory = excluded.memory",
            (n, card.to_json()),
        )
        at_ms = int(now.timestamp() * 1000)
        db.execute("INSERT INTO log (card, at, rating) VALUES (?, ?, 3)", (n, at_ms))
        db.execute(
            "INSERT INTO days (day, answers) VALUES (?, 1) "
            "ON CONFLICT (day) DO UPDATE SET answers = answers + 1",
            (at_ms // 86_400_000,),
        )
        db.execute("COMMIT")
        times.append(time.perf_counter() - start)
    db.close()
    return statistics.median(times)


def answering(folder: Path) -> dict[str, tuple[float, float]]:
    _yaml, apkg, deck = write_deck(folder, 2_000)
    store = Store.open(folder / "progress.sqlite3", clock=SystemClock())
    store.ensure_user("bench")
    cards = [(deck.id, card.id) for card in deck.cards]
    col = anki_collection(folder, apkg)

    ours: list[float] = []
    theirs: list[float] = []
    for n in range(200):
        key = cards[n]
        start = time.perf_counter()
        store.record_answer("bench", *key, rating=Rating.Good, outcome="correct", mode="typed")
        ours.append(time.perf_counter() - start)
        queued = col.sched.get_queued_cards(fetch_limit=1).cards[0]
        card = Card(col)
        card._load_from_backend_card(queued.card)
        card.start_timer()
        start = time.perf_counter()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD)
        )
        theirs.append(time.perf_counter() - start)
    answer = (statistics.median(ours), statistics.median(theirs))
    floor = durable_insert(folder)
    least = least_answer(folder)
    selection = {deck.id: deck.cards_by_id}  # as a session passes it
    queue_ours = best(lambda: build_queue(store, "bench", selection, new_per_deck=9999), 5)
    queue_theirs = anki_fresh_queue(col)
    store.close()
    return {
        "answer": answer,
        "floor": (floor, answer[1]),
        "least": (least, answer[1]),
        "queue": (queue_ours, max(queue_theirs, 1e-6)),
    }


def queue_at_scale(folder: Path) -> tuple[float, float]:
    """Today's queue over 100,000 cards in review, maliquiz's learner with 1,000,000
    answers, against Anki's queue on a collection of the same cards and due days."""
    paths, data = imported_learner(folder, cards=10_000, answers=1_000_000)
    decks = [load_deck(path) for path in paths]
    # The selection as a session passes it: each deck's own index of its cards.
    selection = {deck.id: deck.cards_by_id for deck in decks}

    def ours_open() -> Store:
        return Store.open(progress_path(data), clock=SystemClock())

    def our_queue() -> None:
        with ours_open() as store:
            build_queue(store, "veteran", selection)

    def our_open_only() -> None:
        with ours_open():
            pass

    ours = best(our_queue, 5) - best(our_open_only, 5)

    # Anki: the same decks from our own export, each card put in review with our due day.
    col = Collection(str(folder / "scale.anki2"))
    for deck in decks:
        apkg = folder / f"{deck.id}.apkg"
        export_apkg(deck, apkg)
        col.import_anki_package(import_export_pb2.ImportAnkiPackageRequest(package_path=str(apkg)))
    with ours_open() as store:
        calendar = store.calendar
        today = calendar.day(store.clock.now())
        guid_days: dict[str, tuple[int, int]] = {}
        for record in store.cards("veteran"):
            day = (calendar.day(record.state.due) - today).days
            interval = max(1, round(record.state.stability or 1))
            guid_days[guid_for(record.deck_id, record.card_id)] = (day, interval)
    rows = col.db.all("SELECT c.id, n.guid FROM cards c JOIN notes n ON c.nid = n.id")
    base = col.sched.today
    col.db.executemany(
        "UPDATE cards SET type = 2, queue = 2, due = ?, ivl = ?, factor = 2500, reps = 10 "
        "WHERE id = ?",
        [(base + guid_days[guid][0], guid_days[guid][1], cid) for cid, guid in rows],
    )
    # One parent over the ten decks, selected: Anki's queue is that of a deck and its
    # children. No daily review limit: maliquiz asks every due review.
    for named in col.decks.all_names_and_ids():
        if named.name != "Default":
            col.decks.rename(named.id, f"Scale::{named.name}")
    parent = col.decks.id("Scale")
    assert parent is not None
    config = col.decks.config_dict_for_deck_id(parent)
    config["new"]["perDay"] = 9999
    config["rev"]["perDay"] = 99999
    col.decks.save(config)
    col.decks.select(parent)
    return ours, max(anki_fresh_queue(col), 1e-6)


def _ms(seconds: float) -> str:
    """A time in milliseconds, with two decimals below 10 ms (an answer is a fraction)."""
    ms = seconds * 1000
    return f"{ms:>8.2f}ms" if ms < 10 else f"{ms:>8.1f}ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="leave out the queue at scale")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        load = loading(folder)
        rest = answering(folder)
        scale = None if args.quick else queue_at_scale(folder / "scale")
    rows = [
        ("load a 10,000-card deck (net of 1 card)", load[0], load[2], "<= 1x"),
        ("the same deck read before (kept data)", load[1], load[2], "(every later start)"),
        ("floor: libyaml's events alone", load[3], load[2], "(any PyYAML reader)"),
        ("today's queue, 2,000 cards, fresh", *rest["queue"], "<= 0.8x"),
        ("answer a card (median of 200)", *rest["answer"], "<= 1x"),
        ("floor: one durable one-row insert", *rest["floor"], "(any sqlite3 write)"),
        ("floor: the least answer on this stack", *rest["least"], "(read, py-fsrs, write, sums)"),
    ]
    if scale is not None:
        rows.append(("today's queue, 100k cards / 1M answers", *scale, "<= 0.8x, <= 100 ms"))
    print(f"{'figure':42} {'maliquiz':>10} {'Anki':>10} {'ratio':>7}  target")
    for name, ours, theirs, target in rows:
        print(f"{name:42} {_ms(ours)} {_ms(theirs)} {ours / theirs:>6.2f}x  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
