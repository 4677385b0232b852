"""Multiple-choice options drawn from the deck: fair, varied, never a second key."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from maliquiz.core.dates import parse_date
from maliquiz.core.deck import Deck, NumberCard, TextCard
from maliquiz.core.distractors import make_choices
from maliquiz.core.normalize import loose
from maliquiz.core.numbers import parse_number

TODAY = date(2026, 11, 22)


def deck(*cards: dict[str, object]) -> Deck:
    filler = {"id": "filler", "type": "truefalse", "prompt": "filler", "answer": True}
    return Deck.model_validate({"id": "d", "title": "D", "cards": [*cards, filler]})


PEOPLE = deck(
    {"id": "goita", "type": "text", "prompt": "?", "answer": "Assimi Goïta", "accept": ["Goïta"],
     "kind": "person"},
    {"id": "diop", "type": "text", "prompt": "?", "answer": "Abdoulaye Diop", "kind": "person"},
    {"id": "miller", "type": "text", "prompt": "?", "answer": "Matthew Miller", "kind": "person"},
    {"id": "wane", "type": "text", "prompt": "?", "answer": "El-Ghassim Wane", "kind": "person"},
    {"id": "macron", "type": "text", "prompt": "?", "answer": "Emmanuel Macron", "kind": "person"},
    {"id": "goita-bis", "type": "text", "prompt": "?!", "answer": "Goïta", "kind": "person"},
    {"id": "mali", "type": "text", "prompt": "?", "answer": "Mali", "kind": "country"},
    {"id": "niger", "type": "text", "prompt": "?", "answer": "Niger", "kind": "country"},
    {"id": "mission", "type": "text", "prompt": "?", "answer": "MINUSMA", "kind": "organisation",
     "confusables": ["MINUSCA", "MONUSCO", "MINURSO"]},
)


def test_names_of_the_same_kind_never_a_variant() -> None:
    card = PEOPLE.card("goita")
    assert isinstance(card, TextCard)
    for seed in range(200):
        choice = make_choices(card, PEOPLE, random.Random(seed), today=TODAY)
        assert choice is not None
        assert choice.options[choice.correct] == "Assimi Goïta"
        assert len(choice.options) == 4
        others = [o for i, o in enumerate(choice.options) if i != choice.correct]
        assert "Goïta" not in others and "Mali" not in others
        assert len({loose(o) for o in choice.options}) == 4


def test_confusables_make_the_options() -> None:
    card = PEOPLE.card("mission")
    choice = make_choices(card, PEOPLE, random.Random(1), today=TODAY)  # type: ignore[arg-type]
    assert choice is not None
    assert set(choice.options) == {"MINUSMA", "MINUSCA", "MONUSCO", "MINURSO"}


def test_too_few_names_means_typed() -> None:
    card = PEOPLE.card("mali")
    assert make_choices(card, PEOPLE, random.Random(1), today=TODAY) is None  # type: ignore[arg-type]


def number_card(answer: str, **extra: str) -> NumberCard:
    return NumberCard(id="n", type="number", prompt="?", answer=answer, **extra)  # type: ignore[arg-type]


def values(options: tuple[str, ...]) -> list[Decimal]:
    parsed = [parse_number(o) for o in options]
    assert all(parsed)
    return [p.value for p in parsed if p]


def test_number_key_rank_is_uniform() -> None:
    card = number_card("15 000")
    ranks = Counter()
    for seed in range(1000):
        choice = make_choices(card, deck(), random.Random(seed), today=TODAY)
        assert choice is not None
        shown = values(choice.options)
        assert shown == sorted(shown)
        assert shown[choice.correct] == 15000
        ranks[choice.correct] += 1
    assert set(ranks) == {0, 1, 2, 3}
    assert all(150 <= count <= 350 for count in ranks.values()), ranks


def test_numbers_keep_the_keys_roundness() -> None:
    for answer, step in (("2 000", 1000), ("15 000", 1000), ("300", 100)):
        for seed in range(50):
            choice = make_choices(number_card(answer), deck(), random.Random(seed), today=TODAY)
            assert choice is not None
            assert all(v % step == 0 for v in values(choice.options)), (answer, choice)
    ending = make_choices(number_card("17 557"), deck(), random.Random(4), today=TODAY)
    assert ending is not None
    assert all(v % 1000 == 557 for v in values(ending.options))


def test_no_number_option_inside_the_tolerance() -> None:
    card = number_card("1 000", tolerance="40%")
    for seed in range(100):
        choice = make_choices(card, deck(), random.Random(seed), today=TODAY)
        if choice is None:
            continue
        for i, value in enumerate(values(choice.options)):
            if i != choice.correct:
                assert abs(value - 1000) > 400


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=0, max_value=10**6))
def test_any_positive_number_gets_distinct_options(key: int, seed: int) -> None:
    choice = make_choices(number_card(str(key)), deck(), random.Random(seed), today=TODAY)
    assert choice is not None
    shown = values(choice.options)
    assert len(set(shown)) == 4 and shown[choice.correct] == key and min(shown) > 0


def test_years_never_in_the_future_and_rank_varies() -> None:
    card_recent = {"id": "y", "type": "date", "prompt": "?", "answer": "2024"}
    card_old = {"id": "z", "type": "date", "prompt": "?", "answer": "2013"}
    d = deck(card_recent, card_old)
    ranks: Counter[int] = Counter()
    for seed in range(400):
        for card in d.cards[:2]:
            choice = make_choices(card, d, random.Random(seed), today=TODAY)
            assert choice is not None
            years = [int(o) for o in choice.options]
            assert max(years) <= 2026 and years == sorted(years)
            if card.id == "z":
                ranks[choice.correct] += 1
    assert set(ranks) == {0, 1, 2, 3}


def test_dates_at_the_keys_precision() -> None:
    d = deck({"id": "m", "type": "date", "prompt": "?", "answer": "2022-02"},
             {"id": "j", "type": "date", "prompt": "?", "answer": "2024-11-15"})
    month = make_choices(d.cards[0], d, random.Random(2), today=TODAY)
    day = make_choices(d.cards[1], d, random.Random(2), today=TODAY)
    assert month is not None and day is not None
    assert all((p := parse_date(o)) and p.day is None and p.month for o in month.options)
    assert all((p := parse_date(o)) and p.day for o in day.options)
    assert month.options[month.correct] == "février 2022"
    assert day.options[day.correct] == "15 novembre 2024"


def test_other_card_types_have_no_generated_choice() -> None:
    d = deck({"id": "t", "type": "truefalse", "prompt": "?", "answer": True})
    assert make_choices(d.cards[0], d, random.Random(1), today=TODAY) is None
