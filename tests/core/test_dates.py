"""Dates at the precision written: deck keys (ISO), learner input, display, grading."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maliquiz.core.text.dates import (
    DateGrade,
    PartialDate,
    Precision,
    format_date,
    grade_date,
    parse_date,
    parse_iso,
    written_forms,
)

PD = PartialDate


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2013", PD(2013)),
        ("2024-11", PD(2024, 11)),
        ("2024-11-15", PD(2024, 11, 15)),
        ("2020-08-18", PD(2020, 8, 18)),
        ("2022-02-17", PD(2022, 2, 17)),
        ("2024-02-29", PD(2024, 2, 29)),
        (" 2013 ", PD(2013)),
    ],
)
def test_parse_iso(text: str, value: PartialDate) -> None:
    assert parse_iso(text) == value


@pytest.mark.parametrize(
    "text",
    ["", "13", "2024-1", "2024-11-5", "2024-13", "2024-00", "2024-11-00", "2023-02-29", "2024-04-31",
     "15/11/2024", "novembre 2024", "2024-11-15T10:00"],
)  # fmt: skip
def test_parse_iso_refuses(text: str) -> None:
    assert parse_iso(text) is None


LEARNER = [
    ("2024", PD(2024)),
    ("en 2013", PD(2013)),
    ("depuis 2013", PD(2013)),
    ("novembre 2024", PD(2024, 11)),
    ("Novembre 2024", PD(2024, 11)),
    ("NOVEMBRE 2024", PD(2024, 11)),
    ("nov. 2024", PD(2024, 11)),
    ("nov 2024", PD(2024, 11)),
    ("15 novembre 2024", PD(2024, 11, 15)),
    ("le 15 novembre 2024", PD(2024, 11, 15)),
    ("15 nov. 2024", PD(2024, 11, 15)),
    ("1er août 2020", PD(2020, 8, 1)),
    ("1ᵉʳ août 2020", PD(2020, 8, 1)),
    ("le 1er août 2020", PD(2020, 8, 1)),
    ("samedi 1er août 2020", PD(2020, 8, 1)),
    ("Samedi, 1er août 2020", PD(2020, 8, 1)),
    ("1 août 2020", PD(2020, 8, 1)),
    ("aout 2020", PD(2020, 8)),
    ("Août 2020", PD(2020, 8)),
    ("en août 2020", PD(2020, 8)),
    ("18 août 2020", PD(2020, 8, 18)),
    ("17 février 2022", PD(2022, 2, 17)),
    ("17 fevrier 2022", PD(2022, 2, 17)),
    ("17 févr. 2022", PD(2022, 2, 17)),
    ("17 fév 2022", PD(2022, 2, 17)),
    ("jeudi 17 février 2022", PD(2022, 2, 17)),
    ("janvier 2013", PD(2013, 1)),
    ("janv. 2013", PD(2013, 1)),
    ("11 janvier 2013", PD(2013, 1, 11)),
    ("mars 2012", PD(2012, 3)),
    ("22 mars 2012", PD(2012, 3, 22)),
    ("avril 2012", PD(2012, 4)),
    ("avr. 2012", PD(2012, 4)),
    ("mai 2021", PD(2021, 5)),
    ("24 mai 2021", PD(2021, 5, 24)),
    ("juin 2023", PD(2023, 6)),
    ("30 juin 2023", PD(2023, 6, 30)),
    ("juillet 2013", PD(2013, 7)),
    ("juil. 2013", PD(2013, 7)),
    ("sept. 2013", PD(2013, 9)),
    ("septembre 2013", PD(2013, 9)),
    ("4 septembre 2013", PD(2013, 9, 4)),
    ("oct. 2022", PD(2022, 10)),
    ("décembre 2021", PD(2021, 12)),
    ("decembre 2021", PD(2021, 12)),
    ("déc. 2023", PD(2023, 12)),
    ("31 décembre 2023", PD(2023, 12, 31)),
    ("15/11/2024", PD(2024, 11, 15)),
    ("1/8/2020", PD(2020, 8, 1)),
    ("01/08/2020", PD(2020, 8, 1)),
    ("15.11.2024", PD(2024, 11, 15)),
    ("15-11-2024", PD(2024, 11, 15)),
    ("le 15/11/2024", PD(2024, 11, 15)),
    ("11/2024", PD(2024, 11)),
    ("08/2020", PD(2020, 8)),
    ("2024-11-15", PD(2024, 11, 15)),
    ("2024-11", PD(2024, 11)),
    ("2020-8-1", PD(2020, 8, 1)),
    ("29/02/2024", PD(2024, 2, 29)),
    ("17 February 2022", PD(2022, 2, 17)),
    ("February 17, 2022", PD(2022, 2, 17)),
    ("Feb 17 2022", PD(2022, 2, 17)),
    ("on 1st August 2020", PD(2020, 8, 1)),
    ("August 2020", PD(2020, 8)),
    ("15 novembre 2024.", PD(2024, 11, 15)),
]


@pytest.mark.parametrize(("text", "value"), LEARNER)
def test_parse_date(text: str, value: PartialDate) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hier",
        "novembre",  # no year: nothing may be invented
        "15 novembre",
        "31/02/2020",
        "29/02/2023",
        "31 avril 2021",
        "32 janvier 2020",
        "2024-13",
        "13/2024",
        "00/11/2024",
        "0 novembre 2024",
        "00/2024",
        "15/11/24",  # two-digit years are refused
        "jui 2020",  # juin or juillet?
        "mi-2013",  # vague dates are refused, not graded on the year
        "mi 2013",
        "vers 2013",
        "fin 2022",
        "début 2022",
        "courant 2013",
        "2013-2014",
        "2013 ou 2014",
        "15/11-2024",  # mixed separators
        "Barkhane 2014",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        (PD(2013), Precision.YEAR),
        (PD(2024, 11), Precision.MONTH),
        (PD(2024, 11, 15), Precision.DAY),
    ],
)
def test_precision(value: PartialDate, precision: Precision) -> None:
    assert value.precision == precision


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (PD(2013), "2013", "2013"),
        (PD(2024, 11), "novembre 2024", "November 2024"),
        (PD(2024, 11, 15), "15 novembre 2024", "15 November 2024"),
        (PD(2020, 8, 1), "1er août 2020", "1 August 2020"),
        (PD(2020, 8, 18), "18 août 2020", "18 August 2020"),
        (PD(2022, 2, 17), "17 février 2022", "17 February 2022"),
        (PD(2021, 12), "décembre 2021", "December 2021"),
    ],
)
def test_format_date(value: PartialDate, fr: str, en: str) -> None:
    assert format_date(value) == fr
    assert format_date(value, lang="fr") == fr
    assert format_date(value, lang="en") == en


def test_iso() -> None:
    assert [PD(2013).iso(), PD(2024, 11).iso(), PD(2020, 8, 1).iso()] == [
        "2013",
        "2024-11",
        "2020-08-01",
    ]


def test_written_forms_all_read_back() -> None:
    value = PD(2020, 8, 1)
    forms = written_forms(value)
    assert "1er août 2020" in forms and "01/08/2020" in forms
    assert len(forms) == len(set(forms))
    assert all(parse_date(form) == value for form in forms)


GRADES = [
    # answer, key, grade
    ("2024", "2024", DateGrade.RIGHT),
    ("en 2013", "2013", DateGrade.RIGHT),
    ("novembre 2024", "2024", DateGrade.RIGHT),  # more precise than asked: fine
    ("15 novembre 2024", "2024", DateGrade.RIGHT),
    ("2023", "2024", DateGrade.WRONG),
    ("novembre 2023", "2024", DateGrade.WRONG),
    ("novembre 2024", "2024-11", DateGrade.RIGHT),
    ("11/2024", "2024-11", DateGrade.RIGHT),
    ("15 novembre 2024", "2024-11", DateGrade.RIGHT),
    ("2024", "2024-11", DateGrade.PARTIAL),  # right as far as it goes
    ("octobre 2024", "2024-11", DateGrade.WRONG),
    ("15 octobre 2024", "2024-11", DateGrade.WRONG),  # extra precision, wrong month
    ("novembre 2023", "2024-11", DateGrade.WRONG),
    ("15 novembre 2024", "2024-11-15", DateGrade.RIGHT),
    ("15/11/2024", "2024-11-15", DateGrade.RIGHT),
    ("16 novembre 2024", "2024-11-15", DateGrade.WRONG),
    ("novembre 2024", "2024-11-15", DateGrade.PARTIAL),
    ("2024", "2024-11-15", DateGrade.PARTIAL),
    ("2023", "2024-11-15", DateGrade.WRONG),
    ("1er août 2020", "2020-08-18", DateGrade.WRONG),
    ("18 août 2020", "2020-08-18", DateGrade.RIGHT),
    ("août 2020", "2020-08-18", DateGrade.PARTIAL),
    ("17 février 2022", "2022-02-17", DateGrade.RIGHT),
    ("février 2022", "2022-02", DateGrade.RIGHT),
    ("mars 2022", "2022-02", DateGrade.WRONG),
    ("janvier 2013", "2013-01", DateGrade.RIGHT),
]


@pytest.mark.parametrize(("answer", "key", "grade"), GRADES)
def test_grade_date(answer: str, key: str, grade: DateGrade) -> None:
    parsed, iso = parse_date(answer), parse_iso(key)
    assert parsed is not None and iso is not None
    assert grade_date(parsed, iso) == grade


dates = st.dates().map(lambda d: PD(d.year, d.month, d.day))
partial_dates = st.one_of(
    dates, dates.map(lambda d: PD(d.year, d.month)), dates.map(lambda d: PD(d.year))
).filter(lambda d: d.year >= 1000)


@given(partial_dates, st.sampled_from(["fr", "en"]))
def test_format_then_parse_round_trips(value: PartialDate, lang: str) -> None:
    assert parse_date(format_date(value, lang)) == value


@given(partial_dates)
def test_iso_round_trips(value: PartialDate) -> None:
    assert parse_iso(value.iso()) == value


@given(partial_dates)
def test_a_date_is_right_against_itself(value: PartialDate) -> None:
    assert grade_date(value, value) == DateGrade.RIGHT
