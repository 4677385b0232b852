"""Searching cards with Anki's syntax: reading queries, matching each kind of term, the
errors that name the term and list what is valid. A real store, a manual clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.loader import load_deck
from maliquiz.core.deck.models import CARD_TYPES as MODEL_TYPES
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.progress.search import (
    CARD_TYPES,
    SearchContext,
    SearchError,
    card_entries,
    find_cards,
    parse_query,
)
from maliquiz.core.progress.store import Store

USER = "awa"
ALL = [
    "flash-minusma",
    "text-wagner",
    "number-renforts",
    "date-note",
    "choice-pays",
    "tf-frais",
    "order-evenements",
    "match-acteurs",
    "cloze-effectif",
]


def ids(store: Store, decks: Sequence[Deck], query: str) -> list[str]:
    return [entry.card_id for entry in find_cards(store, USER, decks, query)]


def answer(store: Store, deck: Deck, card: str, rating: Rating = Rating.Good) -> None:
    store.record_answer(
        USER,
        deck.id,
        card,
        rating=rating,
        outcome=Outcome.WRONG if rating == Rating.Again else Outcome.CORRECT,
        mode="typed",
    )


# --- words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("   ", ALL),
        ("wagner", ["text-wagner", "match-acteurs"]),
        ("WAGNER", ["text-wagner", "match-acteurs"]),
        ("groupe wagner", ["text-wagner", "match-acteurs"]),  # both words, anywhere
        ('"groupe wagner"', ["text-wagner"]),  # the phrase: the text card's variant
        ("allemagne", ["choice-pays"]),  # an option
        ("Etats Unis", ["choice-pays"]),  # accents, case and hyphen folded
        ("états-unis", ["choice-pays"]),
        ("etat*unis", ["choice-pays"]),  # a wildcard
        ("diplomatie", ["match-acteurs"]),  # a pair
        ("mission multidimensionnelle", ["flash-minusma"]),  # a flashcard's back
        ("15000", ["cloze-effectif"]),  # a cloze gap's variant
        ("depart de la minusma", ["order-evenements"]),  # an item to order
        ("département d’État", ["text-wagner", "date-note", "match-acteurs"]),  # curly '
        ("nothing-like-this", []),
        ("wagner or allemagne", ["text-wagner", "choice-pays", "match-acteurs"]),
        ("wagner OR allemagne", ["text-wagner", "choice-pays", "match-acteurs"]),
        ("wagner and diplomatie", ["match-acteurs"]),
        ("wagner -diplomatie", ["text-wagner"]),
        ("-(wagner or minusma) type:text", []),
        ("(wagner or minusma) -type:match", ["flash-minusma", "text-wagner", "order-evenements"]),
        ("((wagner))", ["text-wagner", "match-acteurs"]),
        ('"or" type:truefalse', ["tf-frais"]),  # quoted: text (in "renforts"), not `or`
    ],
)
def test_words_and_combinations(store: Store, deck: Deck, query: str, expected: list[str]) -> None:
    assert ids(store, [deck], query) == expected


def test_an_escaped_star_is_a_star(store: Store, deck: Deck) -> None:
    assert ids(store, [deck], r"etat\*unis") == []
    assert ids(store, [deck], "etats*") == ["choice-pays"]
    assert ids(store, [deck], r"etats\*") == []


# --- deck, card, tag, type -------------------------------------------------------------


@pytest.fixture
def other(tmp_path: Path) -> Deck:
    path = tmp_path / "other.yaml"
    path.write_text(
        "id: mali-coups\ntitle: Coups\ncards:\n"
        "  - {id: q1, type: text, prompt: Qui ?, answer: Goïta, tags: [putsch, chefs]}\n"
        "  - {id: q2, type: flashcard, prompt: Quand ?, back: En 2020}\n"
        "  - {id: text-wagner, type: text, prompt: Quel groupe ?, answer: Wagner, "
        "tags: [wagner]}\n",
        encoding="utf-8",
    )
    return load_deck(path)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("deck:mali-coups", ["q1", "q2", "text-wagner"]),
        ("deck:MALI-COUPS", ["q1", "q2", "text-wagner"]),
        ("deck:mali-*", ["q1", "q2", "text-wagner"]),
        ("deck:*every*", ALL),
        ("deck:*", [*ALL, "q1", "q2", "text-wagner"]),
        ("deck:nothing*", []),
        ('deck:"mali-coups" wagner', ["text-wagner"]),
        ("card:text-wagner", ["text-wagner", "text-wagner"]),  # one in each deck
        ("card:text-wagner -deck:test-every-type", ["text-wagner"]),
        ("card:q*", ["q1", "q2"]),
        ("card:*-pays", ["choice-pays"]),
        ("tag:putsch", ["q1"]),
        ("tag:PUTSCH", ["q1"]),
        ("tag:chef", []),  # whole tags
        ("tag:chef*", ["q1"]),
        ("tag:test", ALL),  # the deck's own tag, on every card of it
        ("tag:none", ["q2"]),
        ("-tag:none deck:mali-coups", ["q1", "text-wagner"]),
        ("type:flashcard", ["flash-minusma", "q2"]),
        ("type:TEXT deck:mali-coups", ["q1", "text-wagner"]),
        ("is:new deck:mali-coups", ["q1", "q2", "text-wagner"]),  # Anki's is: too
    ],
)
def test_deck_card_tag_and_type(
    store: Store, deck: Deck, other: Deck, query: str, expected: list[str]
) -> None:
    assert ids(store, [deck, other], query) == expected


@pytest.mark.parametrize("card_type", CARD_TYPES)
def test_every_card_type_is_searchable(store: Store, deck: Deck, card_type: str) -> None:
    found = find_cards(store, USER, [deck], f"type:{card_type}")
    assert [entry.card_type for entry in found] == [card_type]


def test_the_card_types_are_the_decks_card_types() -> None:
    assert list(CARD_TYPES) == list(MODEL_TYPES)


# --- states and properties ---------------------------------------------------------------


@pytest.fixture
def studied(store: Store, deck: Deck, clock: ManualClock) -> Store:
    """Five days on: text-wagner in review and due, number-renforts lapsed once
    (relearning), date-note learning, choice-pays learning and suspended, tf-frais
    learning and buried, flash-minusma suspended while new; the rest new."""
    answer(store, deck, "text-wagner")
    answer(store, deck, "number-renforts")
    clock.advance(minutes=15)
    answer(store, deck, "text-wagner")
    answer(store, deck, "number-renforts")
    clock.advance(days=5)
    answer(store, deck, "number-renforts", Rating.Again)
    answer(store, deck, "date-note")
    answer(store, deck, "choice-pays")
    answer(store, deck, "tf-frais")
    store.suspend_cards(USER, [(deck.id, "choice-pays"), (deck.id, "flash-minusma")])
    store.bury_cards(USER, [(deck.id, "tf-frais")])
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state:new", ["flash-minusma", "order-evenements", "match-acteurs", "cloze-effectif"]),
        ("state:learn", ["number-renforts", "date-note", "choice-pays", "tf-frais"]),
        ("state:review", ["text-wagner", "number-renforts"]),  # relearning is both
        ("state:suspended", ["flash-minusma", "choice-pays"]),
        ("state:buried", ["tf-frais"]),
        # Due today, neither suspended nor buried.
        ("state:due", ["text-wagner", "number-renforts", "date-note"]),
        ("state:DUE or state:new", [c for c in ALL if c not in ("choice-pays", "tf-frais")]),
        ("state:leech", []),
        ("state:new -state:suspended", ["order-evenements", "match-acteurs", "cloze-effectif"]),
    ],
)
def test_states(studied: Store, deck: Deck, query: str, expected: list[str]) -> None:
    assert ids(studied, [deck], query) == expected


def test_what_a_list_shows_as_state(studied: Store, deck: Deck, clock: ManualClock) -> None:
    entries = {e.card_id: e for e in card_entries(studied, USER, [deck])}
    shown = {card: entry.state(clock.now()) for card, entry in entries.items()}
    assert shown == {
        "flash-minusma": "suspended",
        "text-wagner": "review",
        "number-renforts": "relearning",
        "date-note": "learning",
        "choice-pays": "suspended",
        "tf-frais": "buried",  # buried, not learning
        "order-evenements": "new",
        "match-acteurs": "new",
        "cloze-effectif": "new",
    }
    clock.advance(days=1)
    assert entries["tf-frais"].state(clock.now()) == "learning"  # the next day


def test_properties(studied: Store, deck: Deck, clock: ManualClock) -> None:
    wagner = next(e for e in card_entries(studied, USER, [deck]) if e.card_id == "text-wagner")
    interval = wagner.interval()
    assert interval is not None and interval >= 1
    due = wagner.due_in_days(studied.calendar, studied.calendar.day(clock.now()))
    assert due is not None
    assert ids(studied, [deck], f"prop:ivl={interval}") == ["text-wagner"]
    assert ids(studied, [deck], f"prop:ivl>={interval + 1}") == []
    assert "text-wagner" in ids(studied, [deck], f"prop:due={due}")
    assert ids(studied, [deck], "prop:lapses>=1") == ["number-renforts"]
    assert ids(studied, [deck], "prop:lapses=1 prop:reps=3") == ["number-renforts"]
    # New cards have no due date, interval, stability or difficulty; 0 lapses and reps.
    new = ["order-evenements", "match-acteurs", "cloze-effectif"]
    assert not set(new) & set(ids(studied, [deck], "prop:due<100 or prop:ivl<100"))
    assert not set(new) & set(ids(studied, [deck], "prop:stability>=0 or prop:difficulty>=0"))
    assert set(new) <= set(ids(studied, [deck], "prop:lapses=0 prop:reps=0"))
    assert ids(studied, [deck], "prop:difficulty>10 or prop:difficulty<1") == []


def test_due_in_days_counts_study_days(studied: Store, deck: Deck) -> None:
    studied.set_due(USER, [(deck.id, "text-wagner")], 3)
    studied.set_due(USER, [(deck.id, "date-note")], 0)
    assert ids(studied, [deck], "prop:due=3") == ["text-wagner"]
    assert ids(studied, [deck], "prop:due>0 prop:due<=3") == ["text-wagner"]
    assert "date-note" in ids(studied, [deck], "prop:due=0")
    assert "date-note" in ids(studied, [deck], "prop:due!=3")
    assert "text-wagner" not in ids(studied, [deck], "prop:due!=3")
    assert "text-wagner" not in ids(studied, [deck], "state:due")


# --- rated ------------------------------------------------------------------------------


def test_rated_counts_study_days_back_from_today(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    answer(store, deck, "text-wagner")
    clock.advance(days=1)
    answer(store, deck, "date-note", Rating.Again)
    clock.advance(days=1)
    answer(store, deck, "choice-pays", Rating.Hard)
    assert ids(store, [deck], "rated:1") == ["choice-pays"]
    assert ids(store, [deck], "rated:2") == ["date-note", "choice-pays"]
    assert ids(store, [deck], "rated:3") == ["text-wagner", "date-note", "choice-pays"]
    assert ids(store, [deck], "rated:3:1") == ["date-note"]
    assert ids(store, [deck], "rated:3:2") == ["choice-pays"]
    assert ids(store, [deck], "-rated:2 rated:7") == ["text-wagner"]
    assert ids(store, [deck], "rated:1 or rated:3:3") == ["text-wagner", "choice-pays"]


def test_rated_reads_the_log_by_time(store: Store) -> None:
    """One query through the (user_id, reviewed_ms) index, never a scan of the log."""
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        store.answered_since(USER, store.clock.now() - timedelta(days=7), 3)
    finally:
        store._db.set_trace_callback(None)
    reads = [s for s in statements if "FROM reviews" in s]
    assert len(reads) == 1
    sql = reads[0]
    plan = " ".join(
        str(row[3]) for row in store._db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    )
    assert "USING INDEX reviews_user_time (user_id=? AND reviewed_ms>?)" in plan, plan
    assert "SCAN reviews" not in plan


def test_only_rated_terms_read_the_log(store: Store, deck: Deck) -> None:
    assert parse_query("wagner (rated:2 or rated:7:1) -rated:2").rated_terms == {
        (2, None),
        (7, 1),
    }
    assert parse_query("wagner state:due").rated_terms == set()


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fragments"),
    [
        ("foo:bar", ["`foo:`", "`foo:bar`", "deck:, card:, tag:, type:, state:, prop:, rated:"]),
        ("state:sleeping", ["`sleeping`", "`state:sleeping`", "new, learn, review, due"]),
        ("is:sleeping", ["`is:sleeping`", "suspended, buried"]),
        ("type:quiz", ["`type:quiz`", "flashcard, text, number, date, choice, truefalse"]),
        ("prop:ivl", ["`prop:ivl`", "prop:ivl>=10"]),
        ("prop:ease>2", ["`ease`", "`prop:ease>2`", "due, ivl, lapses, reps"]),
        ("prop:ivl>=ten", ["`ten`", "`prop:ivl>=ten`"]),
        ("prop:ivl=>3", ["`>3`"]),
        ("rated:0", ["`rated:0`", "at least 1"]),
        ("rated:week", ["`rated:week`"]),
        ("rated:7:5", ["`rated:7:5`", "1, 2, 3 or 4"]),
        ("deck:", ["`deck:`", "deck:minusma"]),
        ("deck:nope", ["`nope`", "test-every-type"]),
        ("(wagner", ["parenthesis is not closed"]),
        ("wagner)", ["closing parenthesis"]),
        ("()", ["empty parentheses"]),
        ("or wagner", ["`or`"]),
        ("wagner or", ["`or`"]),
        ("wagner or or minusma", ["`or`"]),
        ("and wagner", ["`and`"]),
        ('"wagner', ["quote is not closed"]),
        ("-)", ["`-`"]),
    ],
)
def test_errors_name_the_term_and_what_is_valid(
    store: Store, deck: Deck, query: str, fragments: list[str]
) -> None:
    with pytest.raises(SearchError) as caught:
        find_cards(store, USER, [deck], query)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message


def test_words_that_only_look_like_fields(store: Store, deck: Deck) -> None:
    # A time or a number with a colon is text; an escaped colon too.
    assert ids(store, [deck], "12:30") == []
    assert ids(store, [deck], r"foo\:bar") == []


def test_a_context_without_rated_answers_matches_no_rated_card(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    answer(store, deck, "text-wagner")
    entries = card_entries(store, USER, [deck])
    query = parse_query("rated:1")
    bare = SearchContext(clock.now(), store.calendar)
    assert not [e for e in entries if query.matches(e, bare)]
