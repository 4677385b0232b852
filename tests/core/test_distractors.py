"""Multiple-choice options drawn from the deck: fair, varied, never a second key.

Every statistical test runs over fixed seeds, so it gives the same answer on every run;
the bounds are loose enough that a change of draw order would still pass them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maliquiz.core.answers.distractors import ChoiceQuestion, make_choices
from maliquiz.core.deck.loader import load_deck, parse_deck
from maliquiz.core.deck.models import (
    CardBase,
    ChoiceCard,
    DateCard,
    Deck,
    NumberCard,
    TextCard,
)
from maliquiz.core.text.dates import PartialDate, format_date, parse_date
from maliquiz.core.text.normalize import loose
from maliquiz.core.text.numbers import format_number, number_matches, parse_number

TODAY = date(2026, 11, 22)
DECKS = Path(__file__).resolve().parents[2] / "decks"
SEEDS = range(1000)
# Chi-square with 3 degrees of freedom: exceeded by chance once in a thousand.
CHI2_3DOF_P001 = 16.27


def deck(*cards: dict[str, Any]) -> Deck:
    filler = {"id": "filler", "type": "truefalse", "prompt": "filler", "answer": True}
    return Deck.model_validate({"id": "d", "title": "D", "cards": [*cards, filler]})


def text(card_id: str, answer: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": card_id, "type": "text", "prompt": "?", "answer": answer, "kind": kind, **extra}


def card(d: Deck, card_id: str) -> CardBase:
    found = d.card(card_id)
    assert found is not None
    return found


def choose(c: CardBase, d: Deck, seed: int, n: int = 4) -> ChoiceQuestion:
    question = make_choices(c, d, random.Random(seed), n, today=TODAY)
    assert question is not None, (c.id, seed)
    return question


def chi_square(counts: Counter[int], cells: int) -> float:
    total = sum(counts.values())
    expected = total / cells
    return sum((counts[i] - expected) ** 2 / expected for i in range(cells))


def assert_key_once(question: ChoiceQuestion, key: str) -> None:
    assert question.options.count(key) == 1
    assert question.options[question.correct] == key
    assert question.answer == key


# --- names -------------------------------------------------------------------------

PEOPLE = deck(
    text("goita", "Assimi Goïta", "person", accept=["Goïta", "Goita"]),
    text("colonel", "Colonel Goïta", "person", accept=["Goïta", "le colonel Goïta"]),
    text("diop", "Abdoulaye Diop", "person", accept=["Diop"]),
    text("miller", "Matthew Miller", "person", accept=["Miller"]),
    text("wane", "El-Ghassim Wane", "person", accept=["Wane"]),
    text("macron", "Emmanuel Macron", "person", accept=["Macron"]),
    text("maiga", "Choguel Maïga", "person"),
    text("mali", "Mali", "country"),
    text("niger", "Niger", "country", confusables=["Nigeria"]),
    text(
        "mission",
        "MINUSMA",
        "organisation",
        confusables=["MINUSCA", "MONUSCO", "MINURSO", "minusca"],
    ),
    text("onu", "ONU", "organisation", accept=["Nations unies"]),
    text("vague", "la saison des pluies", "other"),
    text("vague2", "la transition", "other"),
    text("vague3", "le référendum", "other"),
    text("vague4", "les sanctions", "other", confusables=["l'embargo"]),
)
PERSONS = {"Assimi Goïta", "Colonel Goïta", "Abdoulaye Diop", "Matthew Miller"} | {
    "El-Ghassim Wane",
    "Emmanuel Macron",
    "Choguel Maïga",
}


def test_name_options_are_of_the_keys_kind_and_distinct() -> None:
    key = card(PEOPLE, "diop")
    for seed in range(300):
        question = choose(key, PEOPLE, seed)
        assert question.kind == "name" and len(question.options) == 4
        assert_key_once(question, "Abdoulaye Diop")
        assert set(question.options) <= PERSONS
        assert len({loose(o) for o in question.options}) == 4


def test_never_the_key_under_another_name() -> None:
    # "Colonel Goïta" shares the variant "Goïta" with the key: the same person.
    key = card(PEOPLE, "goita")
    offered: set[str] = set()
    for seed in range(300):
        question = choose(key, PEOPLE, seed)
        assert_key_once(question, "Assimi Goïta")
        offered |= set(question.options) - {"Assimi Goïta"}
    assert "Colonel Goïta" not in offered and "Goïta" not in offered
    assert offered == PERSONS - {"Assimi Goïta", "Colonel Goïta"}


def test_one_person_is_one_option() -> None:
    key = card(PEOPLE, "miller")
    for seed in range(300):
        others = set(choose(key, PEOPLE, seed).options) - {"Matthew Miller"}
        assert not {"Assimi Goïta", "Colonel Goïta"} <= others


def test_a_spelling_typed_recall_would_accept_is_not_offered() -> None:
    d = deck(
        text("a", "Abdoulaye Diop", "person"),
        text("b", "Abdoulaye Diopp", "person"),  # a typo of the key, entered as a card
        text("c", "Matthew Miller", "person"),
        text("e", "El-Ghassim Wane", "person"),
        text("f", "Emmanuel Macron", "person"),
    )
    for seed in range(50):
        question = choose(card(d, "a"), d, seed)
        assert "Abdoulaye Diopp" not in question.options


def test_confusables_come_first_and_fold_together() -> None:
    key = card(PEOPLE, "mission")
    for seed in range(50):
        question = choose(key, PEOPLE, seed)
        assert {o.upper() for o in question.options} == {"MINUSMA", "MINUSCA", "MONUSCO", "MINURSO"}


def test_confusables_of_same_kind_cards_are_names_of_that_kind() -> None:
    d = deck(
        text("mali", "Mali", "country"),
        text("niger", "Niger", "country", confusables=["Nigeria"]),
        text("tchad", "Tchad", "country"),
        text("onu", "ONU", "organisation"),
    )
    for seed in range(50):
        assert set(choose(card(d, "mali"), d, seed).options) == {
            "Mali",
            "Niger",
            "Nigeria",
            "Tchad",
        }


def test_kind_other_is_not_a_class() -> None:
    # Four "other" answers, but only one has a confusable: not enough for a choice.
    assert make_choices(card(PEOPLE, "vague"), PEOPLE, random.Random(1), today=TODAY) is None
    assert make_choices(card(PEOPLE, "vague4"), PEOPLE, random.Random(1), today=TODAY) is None


def test_too_few_names_is_typed_and_two_make_three_options() -> None:
    d = deck(
        text("mali", "Mali", "country"),
        text("niger", "Niger", "country"),
        text("tchad", "Tchad", "country"),
        text("bamako", "Bamako", "place"),
        text("gao", "Gao", "place"),
    )
    assert make_choices(card(d, "bamako"), d, random.Random(1), today=TODAY) is None
    for seed in range(50):
        question = choose(card(d, "mali"), d, seed)
        assert sorted(question.options) == ["Mali", "Niger", "Tchad"]
        assert_key_once(question, "Mali")
    # ONU has no confusable of its own, but the other organisation and what its card
    # says is confusable with it are organisations too.
    for seed in range(50):
        question = choose(card(PEOPLE, "onu"), PEOPLE, seed)
        assert {o.upper() for o in question.options} <= {
            "ONU",
            "MINUSMA",
            "MINUSCA",
            "MONUSCO",
            "MINURSO",
        }


def test_name_key_rank_is_uniform() -> None:
    key = card(PEOPLE, "wane")
    ranks: Counter[int] = Counter(choose(key, PEOPLE, seed).correct for seed in SEEDS)
    assert chi_square(ranks, 4) < CHI2_3DOF_P001, ranks


def test_a_deck_read_from_yaml() -> None:
    yaml_text = """
id: acteurs
title: Acteurs
cards:
  - {id: barkhane, type: text, prompt: "Opération française ?", answer: Barkhane,
     accept: [opération Barkhane], confusables: [Serval, Takuba], kind: operation}
  - {id: takuba, type: text, prompt: "Task force européenne ?", answer: Takuba,
     accept: [Task Force Takuba], confusables: [Barkhane, Serval], kind: operation}
"""
    result = parse_deck(yaml_text)
    assert result.deck is not None, result.findings
    d = result.deck
    for seed in range(20):
        question = choose(card(d, "barkhane"), d, seed)
        assert sorted(question.options) == ["Barkhane", "Serval", "Takuba"]


# --- numbers -----------------------------------------------------------------------


def number_card(answer: str, **extra: str) -> NumberCard:
    return NumberCard.model_validate(
        {"id": "n", "type": "number", "prompt": "?", "answer": answer, **extra}
    )


NO_DECK = deck()


def values(options: Iterable[str]) -> list[Decimal]:
    parsed = [parse_number(o) for o in options]
    assert all(p is not None for p in parsed), options
    return [p.value for p in parsed if p is not None]


def check_numbers(question: ChoiceQuestion, c: NumberCard, n: int = 4) -> list[Decimal]:
    shown = values(question.options)
    assert question.kind == "number" and len(shown) == n
    assert shown == sorted(shown) and len(set(shown)) == n, shown
    assert shown.count(c.value) == 1 and shown[question.correct] == c.value
    assert min(shown) > 0
    assert question.options == tuple(format_number(v, c.unit) for v in shown)
    return shown


@pytest.mark.parametrize("answer", ["15 000", "17 557", "2 000", "1 000", "10", "2,5", "46"])
def test_number_key_rank_is_uniform(answer: str) -> None:
    c = number_card(answer)
    ranks: Counter[int] = Counter()
    for seed in SEEDS:
        question = choose(c, NO_DECK, seed)
        check_numbers(question, c)
        ranks[question.correct] += 1
    assert chi_square(ranks, 4) < CHI2_3DOF_P001, ranks


@pytest.mark.parametrize(
    ("answer", "grid", "tail"),
    [
        ("15 000", 1000, 0),
        ("5 000", 1000, 0),
        ("17 557", 1000, 557),
        ("1 400", 100, 0),
        ("2,5", Decimal("0.1"), 0),
        ("2 000", 500, 0),  # one digit and little room below: half steps (1 500, 2 500)
        ("10", 2, 0),
    ],
)
def test_numbers_keep_the_keys_roundness(answer: str, grid: Decimal, tail: int) -> None:
    c = number_card(answer)
    for seed in range(200):
        shown = check_numbers(choose(c, NO_DECK, seed), c)
        # Far below a key its own grid would round options to 0: only the options on
        # the key's scale are held to it.
        for v in shown:
            if v >= 2 * grid:
                assert v % grid == tail, (answer, shown)


def test_the_notes_example_keeps_its_last_digits() -> None:
    c = number_card("17 557")
    for seed in range(200):
        assert all(v % 1000 == 557 for v in check_numbers(choose(c, NO_DECK, seed), c))


def test_integer_keys_never_get_decimal_options() -> None:
    for answer in ("1", "2", "3", "7", "10", "20", "1 000"):
        c = number_card(answer)
        for seed in range(100):
            shown = check_numbers(choose(c, NO_DECK, seed), c)
            assert all(v == v.to_integral_value() for v in shown), shown


def test_options_are_french_with_the_unit() -> None:
    c = number_card("15.000", unit="casques bleus")
    question = choose(c, NO_DECK, 3)
    assert "15\u202f000 casques bleus" in question.options
    assert all(o.endswith(" casques bleus") for o in question.options)


@pytest.mark.parametrize(
    "extra",
    [
        {"tolerance": "10%"},
        {"tolerance": "40%"},
        {"tolerance": "150"},
        {"min": "800", "max": "1 300"},
        {"max": "1 500"},
        {"tolerance": "100%"},
    ],
)
def test_no_option_would_also_be_right(extra: dict[str, str]) -> None:
    c = number_card("1 000", **extra)
    tolerance = c.tolerance_value
    for seed in range(300):
        shown = check_numbers(choose(c, NO_DECK, seed), c)
        for v in shown:
            right = number_matches(
                v,
                c.value,
                tolerance=tolerance[0] if tolerance and not tolerance[1] else None,
                tolerance_pct=tolerance[0] if tolerance and tolerance[1] else None,
                low=c.min_value,
                high=c.max_value,
            )
            assert right == (v == c.value), (extra, shown)


def test_a_small_tolerance_leaves_the_rank_uniform() -> None:
    c = number_card("20 000", tolerance="10%")
    ranks: Counter[int] = Counter(choose(c, NO_DECK, seed).correct for seed in SEEDS)
    assert chi_square(ranks, 4) < CHI2_3DOF_P001, ranks


def test_non_positive_keys_are_asked_typed() -> None:
    assert make_choices(number_card("0"), NO_DECK, random.Random(1)) is None
    assert make_choices(number_card("-3"), NO_DECK, random.Random(1)) is None


def test_a_key_of_one_can_only_be_the_smallest() -> None:
    c = number_card("1")
    for seed in range(50):
        question = choose(c, NO_DECK, seed)
        assert question.correct == 0 and check_numbers(question, c)[0] == 1


@settings(max_examples=300, deadline=None)
@given(
    key=st.one_of(
        st.integers(min_value=1, max_value=10**12).map(str),
        st.decimals(
            min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3, allow_nan=False
        ).map(lambda d: format(d.normalize(), "f").replace(".", ",")),
    ),
    tolerance=st.one_of(st.none(), st.integers(min_value=0, max_value=95).map(lambda p: f"{p}%")),
    seed=st.integers(min_value=0, max_value=2**32),
    n=st.integers(min_value=2, max_value=6),
)
def test_any_positive_key_gets_valid_options(
    key: str, tolerance: str | None, seed: int, n: int
) -> None:
    extra = {"tolerance": tolerance} if tolerance else {}
    c = number_card(key, **extra)
    question = make_choices(c, NO_DECK, random.Random(seed), n)
    assert question is not None
    shown = check_numbers(question, c, n)
    pct = c.tolerance_value[0] if c.tolerance_value else None
    for v in shown:
        assert v == c.value or not number_matches(v, c.value, tolerance_pct=pct)


# --- dates -------------------------------------------------------------------------


def date_card(answer: str) -> DateCard:
    return DateCard.model_validate({"id": "t", "type": "date", "prompt": "?", "answer": answer})


def shown_dates(question: ChoiceQuestion) -> list[PartialDate]:
    parsed = [parse_date(o) for o in question.options]
    assert all(p is not None for p in parsed), question.options
    return [p for p in parsed if p is not None]


def as_tuple(value: PartialDate) -> tuple[int, int, int]:
    return value.year, value.month or 0, value.day or 0


def check_dates(question: ChoiceQuestion, c: DateCard) -> list[PartialDate]:
    shown = shown_dates(question)
    assert question.kind == "date"
    assert [as_tuple(v) for v in shown] == sorted({as_tuple(v) for v in shown})
    assert shown.count(c.date) == 1 and shown[question.correct] == c.date
    assert all(v.precision == c.date.precision for v in shown)
    assert question.options == tuple(format_date(v) for v in shown)
    return shown


def test_year_rank_is_uniform_and_years_are_close() -> None:
    c = date_card("2013")
    ranks: Counter[int] = Counter()
    for seed in SEEDS:
        question = choose(c, NO_DECK, seed)
        years = [v.year for v in check_dates(question, c)]
        assert years == list(range(years[0], years[0] + 4))  # neighbouring years
        ranks[question.correct] += 1
    assert chi_square(ranks, 4) < CHI2_3DOF_P001, ranks


@pytest.mark.parametrize(
    "answer", ["2024", "2026", "2026-10", "2026-11", "2026-11-20", "2026-11-22"]
)
def test_no_option_after_today_for_a_past_event(answer: str) -> None:
    c = date_card(answer)
    limit = (TODAY.year, TODAY.month, TODAY.day)
    for seed in range(300):
        for v in check_dates(choose(c, NO_DECK, seed), c):
            start = (v.year, v.month or 1, v.day or 1)
            assert start <= limit, (answer, v)


def test_a_key_two_years_ago_is_never_first() -> None:
    c = date_card("2024")
    ranks = Counter(choose(c, NO_DECK, seed).correct for seed in range(300))
    assert set(ranks) == {1, 2, 3}


def test_a_planned_event_may_have_later_options() -> None:
    c = date_card("2030")
    ranks = Counter(choose(c, NO_DECK, seed).correct for seed in range(300))
    assert set(ranks) == {0, 1, 2, 3}


def test_months_at_month_precision() -> None:
    c = date_card("2022-02")
    for seed in range(200):
        question = choose(c, NO_DECK, seed)
        assert question.options[question.correct] == "février 2022"
        for v in check_dates(question, c):
            # The question asks the month: the options are other months of that year.
            assert v.day is None and v.year == 2022
            assert abs((v.month or 0) - 2) <= 3


def test_days_at_day_precision() -> None:
    c = date_card("2024-11-15")
    key_day = date(2024, 11, 15)
    for seed in range(200):
        question = choose(c, NO_DECK, seed)
        assert question.options[question.correct] == "15 novembre 2024"
        for v in check_dates(question, c):
            # The question asks the day: the options are other days of that month.
            assert (v.year, v.month) == (2024, 11) and v.day is not None, question.options
            assert abs((date(v.year, v.month, v.day) - key_day).days) <= 21


@pytest.mark.parametrize(
    "answer", ["2024-11-01", "2024-11-16", "2024-11-30", "2022-02-28", "2023-06", "2023-12"]
)
def test_options_stay_inside_the_unit_above_the_one_asked(answer: str) -> None:
    c = date_card(answer)
    ranks = set()
    for seed in range(100):
        question = choose(c, NO_DECK, seed)
        ranks.add(question.correct)
        for v in check_dates(question, c):
            assert v.year == int(answer[:4]) and v.month is not None
            if answer.count("-") == 2:
                assert v.month == int(answer[5:7])
    if answer in ("2024-11-16", "2023-06"):
        assert ranks == {0, 1, 2, 3}  # in mid-month or mid-year the key goes anywhere


def test_a_leap_day_gets_days_that_exist() -> None:
    c = date_card("2024-02-29")
    for seed in range(200):
        check_dates(choose(c, NO_DECK, seed), c)


def test_dates_are_displayed_in_french() -> None:
    c = date_card("2020-08-01")
    question = choose(c, NO_DECK, 0)
    assert question.options[question.correct] == "1er août 2020"


# --- other card types ----------------------------------------------------------------

CHOICES = deck(
    {"id": "c", "type": "choice", "prompt": "?", "options": ["a", "b", "c", "d"], "answer": "c"},
    {
        "id": "fixed",
        "type": "choice",
        "prompt": "?",
        "options": ["a", "b", "c"],
        "answer": "b",
        "shuffle": False,
    },
    {
        "id": "multi",
        "type": "choice",
        "prompt": "?",
        "options": ["a", "b", "c"],
        "answer": ["a", "b"],
    },
    {"id": "o", "type": "order", "prompt": "?", "items": ["x", "y", "z"]},
    {"id": "f", "type": "flashcard", "prompt": "?", "back": "b"},
    {"id": "z", "type": "cloze", "prompt": "En {{2013}}."},
    {
        "id": "m",
        "type": "match",
        "prompt": "?",
        "pairs": [{"left": str(i), "right": f"r{i}"} for i in range(3)],
    },
)


def test_choice_cards_use_their_own_options() -> None:
    c = card(CHOICES, "c")
    assert isinstance(c, ChoiceCard)
    orders = set()
    for seed in range(50):
        question = choose(c, CHOICES, seed)
        assert sorted(question.options) == ["a", "b", "c", "d"] and question.answer == "c"
        orders.add(question.options)
    assert len(orders) > 1
    fixed = choose(card(CHOICES, "fixed"), CHOICES, 1)
    assert fixed.options == ("a", "b", "c") and fixed.correct == 1
    assert make_choices(card(CHOICES, "multi"), CHOICES, random.Random(1)) is None


@pytest.mark.parametrize("card_id", ["o", "f", "z", "m", "filler"])
def test_other_card_types_have_no_generated_choice(card_id: str) -> None:
    assert make_choices(card(CHOICES, card_id), CHOICES, random.Random(1), today=TODAY) is None


def test_n_options() -> None:
    c = number_card("15 000")
    assert len(choose(c, NO_DECK, 1, n=3).options) == 3
    assert len(choose(c, NO_DECK, 1, n=6).options) == 6
    assert len(choose(date_card("2013"), NO_DECK, 1, n=5).options) == 5
    with pytest.raises(ValueError):
        make_choices(c, NO_DECK, random.Random(1), 1)


def test_same_seed_same_question() -> None:
    for c in (card(PEOPLE, "diop"), number_card("17 557"), date_card("2022-02-17")):
        assert choose(c, PEOPLE, 7) == choose(c, PEOPLE, 7)


# --- the shipped decks ---------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DECKS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_cards_get_fair_choices(path: Path) -> None:
    d = load_deck(path)
    for c in d.cards:
        for seed in range(20):
            question = make_choices(c, d, random.Random(seed), today=TODAY)
            if question is None:
                continue
            assert 3 <= len(question.options) <= 4 or isinstance(c, ChoiceCard)
            assert len({loose(o) for o in question.options}) == len(question.options)
            if isinstance(c, TextCard):
                assert_key_once(question, c.answer)
                variants = {loose(v) for v in (c.answer, *c.accept)}
                others = [o for o in question.options if o != c.answer]
                assert not variants & {loose(o) for o in others}
            elif isinstance(c, NumberCard):
                check_numbers(question, c)
            elif isinstance(c, DateCard):
                check_dates(question, c)


def test_a_deck_index_lives_as_long_as_its_deck() -> None:
    """Every deck of a session keeps its name index while it lives (ten decks asked in
    turn rebuilt an index at nearly every question when only the last eight were kept),
    and the index goes with its deck."""
    import gc

    from maliquiz.core.answers import distractors

    decks = [
        deck(*(text(f"p{i}", f"Personne {n}-{i}", "person") for i in range(6))) for n in range(12)
    ]
    for d in decks:
        choose(card(d, "p0"), d, 1)
    built = {id(d): distractors._INDEXES[id(d)][1] for d in decks}
    for d in decks:  # each deck in turn again: the same index, not a new one
        choose(card(d, "p1"), d, 2)
        assert distractors._INDEXES[id(d)][1] is built[id(d)]
    gone = id(decks[0])
    del decks[0], d
    gc.collect()
    assert gone not in distractors._INDEXES


def test_names_of_a_kind_come_in_a_random_order_drawn_lazily() -> None:
    """The other names of a kind are drawn in a uniformly random order: over many
    seeds each of the six orders of three names is as likely."""
    from maliquiz.core.answers.distractors import _random_order

    orders = Counter(tuple(_random_order("abc", random.Random(seed))) for seed in range(1200))
    assert set(orders) == {("a", "b", "c"), ("a", "c", "b"), ("b", "a", "c"),
                           ("b", "c", "a"), ("c", "a", "b"), ("c", "b", "a")}  # fmt: skip
    assert chi_square(Counter({i: n for i, n in enumerate(orders.values())}), 6) < 20.5
