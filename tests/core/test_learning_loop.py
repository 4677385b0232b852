"""The learning loop: recognition then recall, siblings and giveaways, today's counts,
options stable for a day, "don't know" without a guess. Real decks written as YAML, a
real store, a manual clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_session import answer_right, right_answer, wrong_answer

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.giveaways import deck_giveaways
from maliquiz.core.deck.loader import check_deck_file, load_deck
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.questions import Mode, asks_typed
from maliquiz.core.learning.queue import build_queue, day_counts
from maliquiz.core.learning.records import CardRecord
from maliquiz.core.learning.scheduling import CardState, Rating
from maliquiz.core.learning.session import Phase, SessionError, StudySession
from maliquiz.core.progress.store import Store

WriteDeck = Callable[..., Path]

HEADER = """\
id: boucle
title: Boucle
language: fr
cards:
"""

NUMBER_CARD = """\
  - id: renforts
    type: number
    prompt: Combien de renforts le Mali a-t-il refusés ?
    answer: "2000"
"""

# "depart" shows the answer of "annee"; "jour" and "lieu" share a group.
GIVEAWAY_CARDS = """\
  - id: depart
    type: text
    prompt: Quelle mission de l'ONU est partie en 2024 ?
    answer: MINUSMA
  - id: annee
    type: date
    prompt: En quelle année la mission de l'ONU a-t-elle quitté le pays ?
    answer: "2024"
  - id: jour
    type: date
    prompt: Quel jour la mission de l'ONU est-elle partie ?
    answer: "2024-11-15"
    group: depart-mission
  - id: lieu
    type: text
    prompt: Quel pays la mission a-t-elle quitté ?
    answer: Mali
    group: depart-mission
"""


def load(write_deck: WriteDeck, cards: str) -> Deck:
    return load_deck(write_deck(HEADER + cards))


def grouped_flashcards(grouped: int, others: int) -> str:
    """Flashcards g0, g1... of one group ``fait``, then c0, c1... of none."""
    return "".join(
        f"  - id: g{i}\n    type: flashcard\n    prompt: Groupe {i} ?\n"
        f"    back: Réponse g{i}\n    group: fait\n"
        for i in range(grouped)
    ) + "".join(
        f"  - id: c{i}\n    type: flashcard\n    prompt: Carte {i} ?\n    back: Dos {i}\n"
        for i in range(others)
    )


def session_of(store: Store, deck: Deck, **kwargs: object) -> StudySession:
    return StudySession(store, "awa", [deck], **kwargs)  # type: ignore[arg-type]


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def record(recognised: bool) -> CardRecord:
    return CardRecord(
        "d", "c", CardState.new("d", "c", NOW), NOW, None, False, False, NOW if recognised else None
    )


# --- recognition, then recall ------------------------------------------------------


def test_typed_after_zero_types_every_card(store: Store, write_deck: WriteDeck) -> None:
    deck = load(write_deck, NUMBER_CARD)
    store.update_settings("awa", typed_recall_days=0)
    session = session_of(store, deck)
    assert session.question is not None and session.question.mode == Mode.TYPED


def test_a_right_choice_comes_back_typed_in_the_same_session(
    store: Store, write_deck: WriteDeck
) -> None:
    deck = load(write_deck, NUMBER_CARD)
    session = session_of(store, deck)
    question = session.question
    assert question is not None and question.mode == Mode.CHOICE
    session.answer(right_answer(question))
    session.next()
    assert session.question is not None and session.question.mode == Mode.TYPED
    session.answer("2 000")
    stored = store.card("awa", deck.id, "renforts")
    assert stored is not None and stored.recognised is not None and stored.recalled is not None


def test_a_failed_recall_goes_back_to_a_choice(store: Store, write_deck: WriteDeck) -> None:
    deck = load(write_deck, NUMBER_CARD)
    session = session_of(store, deck)
    assert session.question is not None
    session.answer(right_answer(session.question))
    session.next()
    assert session.question is not None and session.question.mode == Mode.TYPED
    session.answer(wrong_answer(session.question))
    session.next()
    assert session.question is not None and session.question.mode == Mode.CHOICE


def test_asks_typed_rules() -> None:
    now = NOW
    week = timedelta(days=7)
    assert asks_typed(None, now, timedelta(0), recall_failed=False)
    assert not asks_typed(None, now, week, recall_failed=False)
    assert not asks_typed(record(False), now, week, recall_failed=False)
    assert asks_typed(record(True), now, week, recall_failed=False)
    assert not asks_typed(record(True), now, week, recall_failed=True)
    # A week after the recognition, a failed recall no longer brings the choices back.
    assert asks_typed(record(True), now + week, week, recall_failed=True)
    # Typed right once (never seen among choices): typed, and a failed recall within a
    # week of it brings the choices back as after a recognition.
    recalled = record(False)._replace(recalled=NOW)
    assert asks_typed(recalled, now, week, recall_failed=False)
    assert not asks_typed(recalled, now, week, recall_failed=True)
    assert asks_typed(recalled, now + week, week, recall_failed=True)


def test_a_card_typed_right_is_never_asked_as_a_choice_again(
    store: Store, write_deck: WriteDeck, clock: ManualClock
) -> None:
    """Typed right while every card was typed (``--typed-after 0``), a card is typed
    when choices come back for new cards: recalling it is more than recognising it."""
    deck = load(write_deck, NUMBER_CARD)
    store.update_settings("awa", typed_recall_days=0)
    session = session_of(store, deck)
    assert session.question is not None and session.question.mode == Mode.TYPED
    session.answer("2 000")
    store.update_settings("awa", typed_recall_days=7)
    clock.advance(days=30)
    again = session_of(store, deck)
    assert again.question is not None and again.question.mode == Mode.TYPED


# --- siblings and giveaways --------------------------------------------------------


def test_the_card_whose_answer_another_shows_is_asked_first(
    store: Store, write_deck: WriteDeck
) -> None:
    deck = load(write_deck, GIVEAWAY_CARDS)
    session = session_of(store, deck)
    asked = []
    while session.phase != Phase.FINISHED and len(asked) < 10:
        assert session.question is not None
        asked.append(session.question.card.id)
        answer_right(session)
    assert asked.index("annee") < asked.index("depart")


def test_only_one_card_of_a_group_a_day(
    store: Store, write_deck: WriteDeck, clock: ManualClock
) -> None:
    deck = load(write_deck, GIVEAWAY_CARDS)
    session = session_of(store, deck)
    seen = set()
    while session.phase != Phase.FINISHED:
        assert session.question is not None
        seen.add(session.question.card.id)
        answer_right(session)
    assert len(seen & {"jour", "lieu"}) == 1
    held = {card_id for _deck, card_id in session.held_back}
    assert held == {"jour", "lieu"} - seen
    # Held back until tomorrow: another session today does not ask it...
    again = session_of(store, deck)
    while again.phase != Phase.FINISHED:
        assert again.question is not None and again.question.card.id not in held
        answer_right(again)
    # ...and tomorrow it comes first among the new cards.
    clock.advance(days=1)
    tomorrow = session_of(store, deck)
    assert tomorrow.question is not None and tomorrow.question.card.id in held


def test_new_cards_held_back_leave_their_place_to_the_next_ones(
    store: Store, write_deck: WriteDeck
) -> None:
    """Three new cards of one group among the day's four: once one is answered, the
    other two are held back and the next new cards of the deck take their place, so
    that the session's counter and today's counts (home screen, `decks`) agree, and the
    day brings its four new cards (it brought two: trial finding)."""
    deck = load(write_deck, grouped_flashcards(3, 6))
    selection = [(deck.id, card.id) for card in deck.cards]
    session = session_of(store, deck, new_per_deck=4)
    assert session.counts().new == 4
    answered: set[str] = set()
    while session.phase != Phase.FINISHED:
        assert session.question is not None
        answered.add(session.question.card.id)
        answer_right(session)
        if len(answered) == 1:
            today = day_counts(build_queue(store, "awa", selection, new_per_deck=4))[deck.id]
            assert session.counts().new == today.new == 3
    assert answered == {"g0", "c0", "c1", "c2"}
    assert {card_id for _deck, card_id in session.held_back} == {"g1", "g2"}
    done = day_counts(build_queue(store, "awa", selection, new_per_deck=4)).get(deck.id)
    assert done is None or done.new == 0


def test_overriding_the_last_answer_holds_back_nothing_of_the_question_on_screen(
    store: Store, write_deck: WriteDeck
) -> None:
    """Saying "I was right" once the next question is on screen writes the last answer
    again; the siblings of the question on screen are held back when it is answered,
    not then (the counter dropped by its siblings at the override: trial finding)."""
    group = GIVEAWAY_CARDS[GIVEAWAY_CARDS.index("  - id: jour") :]  # "jour" and "lieu"
    capital = """\
  - id: capitale
    type: text
    prompt: Quelle est la capitale du pays ?
    answer: Bamako
"""
    deck = load(write_deck, capital + group)
    session = session_of(store, deck)
    assert session.question is not None and session.question.card.id == "capitale"
    session.answer("Tombouctou")
    session.next()
    assert session.question is not None and session.question.card.id == "jour"
    before = session.counts()
    session.override(True)
    assert session.counts() == before and session.held_back == []
    answer_right(session)
    assert session.held_back == [(deck.id, "lieu")]


def test_undoing_an_answer_brings_back_what_it_held_back(
    store: Store, write_deck: WriteDeck
) -> None:
    """Undo takes back an answer and what it did: the siblings it held back (buried)
    come back, and the new cards queued in their place go (a sibling stayed buried for
    the day: trial finding); answered again, the card holds them back again."""
    deck = load(write_deck, grouped_flashcards(2, 4))
    session = session_of(store, deck, new_per_deck=3)
    start = session.counts()
    answer_right(session)  # g0: g1 held back, c1 queued in its place
    assert session.held_back == [(deck.id, "g1")]
    record = store.card("awa", deck.id, "g1")
    assert record is not None and record.buried_until is not None
    session.undo()
    assert session.question is not None and session.question.card.id == "g0"
    assert session.held_back == [] and session.counts() == start
    record = store.card("awa", deck.id, "g1")
    assert record is None or record.buried_until is None
    answer_right(session)
    assert session.held_back == [(deck.id, "g1")]


def test_an_override_keeps_held_back_what_the_answer_held_back(
    store: Store, write_deck: WriteDeck
) -> None:
    group = GIVEAWAY_CARDS[GIVEAWAY_CARDS.index("  - id: jour") :]  # "jour" and "lieu"
    deck = load(write_deck, group)
    session = session_of(store, deck)
    assert session.question is not None and session.question.card.id == "jour"
    session.answer(wrong_answer(session.question))
    assert session.held_back == [(deck.id, "lieu")]
    session.override(True)
    assert session.held_back == [(deck.id, "lieu")]
    record = store.card("awa", deck.id, "lieu")
    assert record is not None and record.buried_until is not None


def test_check_warns_about_cards_that_show_each_others_answer(write_deck: WriteDeck) -> None:
    cards = """\
  - id: qui
    type: text
    prompt: Qui a demandé le départ en juin 2023 ?
    answer: Abdoulaye Diop
  - id: quand
    type: date
    prompt: Quand Abdoulaye Diop a-t-il demandé le départ ?
    answer: "2023-06"
  - id: jour
    type: choice
    prompt: Quel jour ?
    options: [vendredi, lundi]
    answer: vendredi
    shuffle: false
"""
    path = write_deck(HEADER + cards)
    result = check_deck_file(path)
    warnings = [f.message for f in result.findings if f.severity == "warning"]
    assert any("`quand` and `qui`" in w for w in warnings), warnings
    assert any("never shuffled" in w and "option 1" in w for w in warnings), warnings
    grouped = cards.replace(
        "    answer: Abdoulaye Diop\n", "    answer: Abdoulaye Diop\n    group: demande\n"
    )
    grouped = grouped.replace(
        '    answer: "2023-06"\n', '    answer: "2023-06"\n    group: demande\n'
    )
    result = check_deck_file(write_deck(HEADER + grouped, "grouped.yaml"))
    assert not any("each other" in f.message for f in result.findings)
    assert result.deck is not None and deck_giveaways(result.deck) == []


def test_answers_sharing_their_first_words_are_each_found_whole() -> None:
    from maliquiz.core.deck.giveaways import GiveawayIndex
    from maliquiz.core.deck.models import TextCard

    answers = {
        "serval": "Opération Serval",
        "barkhane": "Opération Barkhane",
        "seule": "Opération",
        "longue": "Opération Serval au Mali",
        "nom": "Serval",
    }
    index = GiveawayIndex(
        (key, TextCard(id=key, type="text", prompt="Laquelle ?", answer=answer))
        for key, answer in answers.items()
    )
    shown = index.revealed_by(["Après l'opération Serval, que fit la France ?"])
    assert shown == {"serval", "seule", "nom"}
    assert index.revealed_by(["L'opération Serval au Mali"]) == {"serval", "seule", "nom", "longue"}
    assert index.revealed_by(["Une autre question"]) == set()


# --- counts, options, don't know ---------------------------------------------------


def test_counts_agree_with_the_session_and_go_down(store: Store, deck: Deck) -> None:
    selection = [(deck.id, card.id) for card in deck.cards]
    counts = day_counts(build_queue(store, "awa", selection))[deck.id]
    session = session_of(store, deck)
    assert (session.counts().new, session.counts().learning, session.counts().review) == (
        counts.new,
        counts.learn,
        counts.due,
    )
    question = session.question
    assert question is not None
    session.skip() if question.mode != Mode.FLASHCARD else (session.reveal(), session.rate(1))
    after = day_counts(build_queue(store, "awa", selection))[deck.id]
    assert (after.new, after.learn) == (counts.new - 1, counts.learn + 1)
    assert session.counts().new == counts.new - 1


def test_learning_steps_due_later_today_join_the_session(
    store: Store, deck: Deck, clock: ManualClock
) -> None:
    only = [(deck.id, "number-renforts")]
    session = session_of(store, deck, only=only)
    assert session.question is not None
    session.answer(wrong_answer(session.question))  # again: back in a minute
    session.finish()
    clock.advance(seconds=5)
    later = session_of(store, deck, only=only)
    assert later.counts().learning == 1
    assert later.question is not None and later.question.card.id == "number-renforts"


def test_options_are_stable_for_a_card_and_a_day(store: Store, deck: Deck) -> None:
    only = [(deck.id, "number-renforts")]
    first = StudySession(store, "awa", [deck], only=only, cram=True)
    second = StudySession(store, "awa", [deck], only=only, cram=True)
    assert first.question is not None and second.question is not None
    assert first.question.mode == Mode.CHOICE
    assert first.question.options == second.question.options


def test_dont_know_is_wrong_without_a_guess(store: Store, deck: Deck) -> None:
    for card_id in ("tf-frais", "order-evenements"):
        session = session_of(store, deck, only=[(deck.id, card_id)], cram=True)
        feedback = session.skip()
        assert feedback.rating == Rating.Again
        assert feedback.verdict.given == "" and feedback.verdict.score == 0
        assert feedback.verdict.outcome == Outcome.WRONG
        [review] = store.reviews("awa", card_id=card_id)
        assert review.outcome == Outcome.SKIPPED and review.answer is None


def test_old_exports_without_recognition_columns_import(store: Store, tmp_path: Path) -> None:
    import json

    store.record_answer("awa", "d", "c", rating=Rating.Good, outcome="correct", mode="choice")
    path = tmp_path / "export.json"
    store.export_user("awa", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    columns = document["cards"]["columns"]
    keep = [i for i, c in enumerate(columns) if c not in ("recognised_ms", "recalled_ms")]
    document["cards"]["columns"] = [columns[i] for i in keep]
    document["cards"]["rows"] = [[row[i] for i in keep] for row in document["cards"]["rows"]]
    path.write_text(json.dumps(document), encoding="utf-8")
    report = store.import_user(path, as_user="old")
    assert report.cards_updated == 1
    imported = store.card("old", "d", "c")
    assert imported is not None and imported.recognised is None
    assert store.card("awa", "d", "c").recognised is not None  # type: ignore[union-attr]


def test_undoing_a_failed_recall_asks_it_typed_again_once(
    store: Store, write_deck: WriteDeck
) -> None:
    deck = load(write_deck, NUMBER_CARD)
    session = session_of(store, deck)
    assert session.question is not None
    session.answer(right_answer(session.question))  # recognised among choices
    session.next()
    assert session.question is not None and session.question.mode == Mode.TYPED
    session.answer("3 000")  # recall fails: the card comes back as choices
    session.next()
    assert session.question is not None and session.question.mode == Mode.CHOICE
    again = session.undo()
    assert again is not None and again.mode == Mode.TYPED
    # The card is asked once, not also kept in the queue from before the undo.
    assert session.counts().total == 1


def test_counts_before_any_answer_agree_with_todays_counts(
    store: Store, write_deck: WriteDeck
) -> None:
    deck = load(write_deck, GIVEAWAY_CARDS)
    selection = [(deck.id, card.id) for card in deck.cards]
    before = day_counts(build_queue(store, "awa", selection))[deck.id]
    session = session_of(store, deck)
    assert session.counts().new == before.new
    # Opening a session holds nothing back yet: the counts elsewhere do not move.
    assert day_counts(build_queue(store, "awa", selection))[deck.id] == before


def test_the_same_card_looks_the_same_in_any_session_of_the_day(store: Store, deck: Deck) -> None:
    only = [(deck.id, "number-renforts")]
    alone = StudySession(store, "awa", [deck], only=only, cram=True)
    among_all = StudySession(store, "awa", [deck], cram=True)
    while among_all.question is not None and among_all.question.card.id != "number-renforts":
        among_all.skip()
        among_all.next()
    assert alone.question is not None and among_all.question is not None
    assert alone.question.options == among_all.question.options


def test_dont_know_cannot_be_overridden_into_right(store: Store, deck: Deck) -> None:
    session = session_of(store, deck, only=[(deck.id, "text-wagner")], cram=True)
    session.skip()
    with pytest.raises(SessionError):
        session.override(True)
