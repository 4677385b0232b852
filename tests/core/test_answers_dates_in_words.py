"""Dates as a French reader writes them: ordinal and spelled-out days, ISO and dotted
forms, month names with or without accents; vague dates still refused."""

from __future__ import annotations

import pytest

from maliquiz.core.answers.checking import check_answer
from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import DateCard
from maliquiz.core.text.dates import PartialDate, day_in_words, parse_date
from maliquiz.i18n import set_language

PD = PartialDate
C, P, W = Outcome.CORRECT, Outcome.PARTIAL, Outcome.WRONG


@pytest.mark.parametrize(
    ("text", "value", "in_words"),
    [
        ("1er août 2020", PD(2020, 8, 1), False),
        ("1 er août 2020", PD(2020, 8, 1), False),
        ("1er aout 2020", PD(2020, 8, 1), False),
        ("premier août 2020", PD(2020, 8, 1), True),
        ("le premier août 2020", PD(2020, 8, 1), True),
        ("samedi premier août 2020", PD(2020, 8, 1), True),
        ("dix-sept février 2022", PD(2022, 2, 17), True),
        ("le dix-sept fevrier 2022", PD(2022, 2, 17), True),
        ("dix sept févr. 2022", PD(2022, 2, 17), True),
        ("jeudi dix-sept février 2022", PD(2022, 2, 17), True),
        ("vingt et un juin 2023", PD(2023, 6, 21), True),
        ("trente et un décembre 2023", PD(2023, 12, 31), True),
        ("deux août 2020", PD(2020, 8, 2), True),
        ("2020-08-18", PD(2020, 8, 18), False),
        ("18.08.2020", PD(2020, 8, 18), False),
        ("18/08/2020", PD(2020, 8, 18), False),
        ("11.2024", PD(2024, 11), False),
        ("18 août 2020", PD(2020, 8, 18), False),
        ("18 aout 2020", PD(2020, 8, 18), False),
        ("17 fevrier 2022", PD(2022, 2, 17), False),
        ("décembre 2024", PD(2024, 12), False),
        ("decembre 2024", PD(2024, 12), False),
        ("novembre 2024", PD(2024, 11), False),
    ],
)
def test_dates_as_written(text: str, value: PartialDate, in_words: bool) -> None:
    assert parse_date(text) == value
    assert day_in_words(text) is in_words


@pytest.mark.parametrize(
    "text",
    [
        "1ère août 2020",  # days are masculine: le premier, le 1er
        "1ere aout 2020",
        "1re août 2020",
        "première août 2020",
        "un août 2020",  # "premier", not "un"
        "zéro août 2020",
        "trente-deux janvier 2020",
        "trente et un avril 2021",  # no such day
        "deux mille août 2020",
        "fin novembre 2024",  # vague dates are still refused
        "mi novembre 2024",
        "début novembre 2024",
        "courant novembre 2024",
        "vers 2013",
        "mi-2013",
        "dix-sept février",  # no year: nothing invented
        "premier 2020",
        "dix-sept Barkhane 2022",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None
    assert not day_in_words(text)


def date_card(key: str) -> DateCard:
    return DateCard(id="d", type="date", prompt="?", answer=key)


@pytest.mark.parametrize(
    ("typed", "key", "outcome"),
    [
        ("1er août 2020", "2020-08-01", C),
        ("premier août 2020", "2020-08-01", C),
        ("le premier août 2020", "2020-08-01", C),
        ("1 er août 2020", "2020-08-01", C),
        ("premier août 2021", "2020-08-01", W),  # 2020 is not 2021
        ("deux août 2020", "2020-08-01", W),
        ("2020-08-18", "2020-08-18", C),
        ("18.08.2020", "2020-08-18", C),
        ("18 aout 2020", "2020-08-18", C),
        ("19 août 2020", "2020-08-18", W),
        ("dix-sept fevrier 2022", "2022-02-17", C),
        ("le dix-sept février 2022", "2022-02-17", C),
        ("dix-huit février 2022", "2022-02-17", W),
        ("11.2024", "2024-11", C),
        ("novembre 2024", "2024-11", C),
        ("décembre 2024", "2024-11", W),
        ("24/05/2021", "2021-05-24", C),
        ("2021-05-25", "2021-05-24", W),
        ("2020", "2021", W),
        ("fin 2021", "2021", W),  # vague: not read, so not right
    ],
)
def test_date_answers(typed: str, key: str, outcome: Outcome) -> None:
    assert check_answer(date_card(key), typed).outcome == outcome


def test_a_day_in_words_is_shown_as_read() -> None:
    verdict = check_answer(date_card("2022-02-17"), "dix-sept février 2022")
    assert verdict.outcome == C
    # The date as read is written as the expected answer is (the deck's French form).
    assert verdict.read_as == "read as 17 février 2022"
    set_language("fr")
    verdict = check_answer(date_card("2020-08-01"), "le premier août 2020")
    assert verdict.read_as == "lu comme 1er août 2020"


def test_a_wrong_day_in_words_says_how_it_was_read() -> None:
    verdict = check_answer(date_card("2022-02-17"), "dix-huit février 2022")
    assert verdict.outcome == W
    assert verdict.detail == "read as 18 février 2022"


def test_a_date_written_as_displayed_is_not_shown_again() -> None:
    for typed in ("17 février 2022", "17 fevrier 2022", "17  Février 2022"):
        assert check_answer(date_card("2022-02-17"), typed).read_as is None


def test_a_date_in_figures_says_how_it_was_read() -> None:
    for typed in ("17/02/2022", "2022-02-17", "17.02.2022"):
        assert check_answer(date_card("2022-02-17"), typed).read_as == "read as 17 février 2022"
