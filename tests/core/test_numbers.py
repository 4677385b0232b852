"""French numbers: reading what teachers and learners write, showing values, tolerance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maliquiz.core.text.numbers import ParsedNumber, format_number, number_matches, parse_number

D = Decimal

READ = [
    # text, value, qualifier
    ("2000", D(2000), None),
    ("2 000", D(2000), None),
    ("2\u00a0000", D(2000), None),
    ("2\u202f000", D(2000), None),
    ("2\u2009000", D(2000), None),
    ("2.000", D(2000), None),  # YAML 1.1 would say 2.0: a French writer means 2000
    ("2.000 soldats", D(2000), None),
    ("2.000.000", D(2_000_000), None),
    ("17 557", D(17557), None),
    ("17.557", D(17557), None),
    ("15 000 casques bleus", D(15000), None),
    ("13\u202f000 militaires", D(13000), None),
    ("5 100 soldats français", D(5100), None),
    ("1,5", D("1.5"), None),
    ("1.5", D("1.5"), None),
    ("0,25", D("0.25"), None),
    ("0.500", D("0.5"), None),  # a group never starts with 0: this is a half
    ("3,14", D("3.14"), None),
    ("1.50", D("1.5"), None),
    ("2.000,5", D("2000.5"), None),
    ("1 000,75", D("1000.75"), None),
    ("12.", D(12), None),
    ("mille", D(1000), None),
    ("mille soldats", D(1000), None),
    ("2 mille", D(2000), None),
    ("un million", D(1_000_000), None),
    ("un milliard", D(1_000_000_000), None),
    ("1 million", D(1_000_000), None),
    ("1,5 million", D(1_500_000), None),
    ("1,5 millions de déplacés", D(1_500_000), None),
    ("3 millions", D(3_000_000), None),
    ("2 milliards", D(2_000_000_000), None),
    ("2,4 milliards de dollars", D(2_400_000_000), None),
    ("2 millions et demi", D(2_500_000), None),
    ("un million et demi", D(1_500_000), None),
    ("plus de 2 000", D(2000), "plus de"),
    ("Plus de 2.000 soldats", D(2000), "plus de"),
    ("moins de 300", D(300), "moins de"),
    ("près de 15 000", D(15000), "pres de"),
    ("pres de 15000", D(15000), "pres de"),
    ("environ 1 000", D(1000), "environ"),
    ("Environ 4 500 hommes", D(4500), "environ"),
    ("au moins 300", D(300), "au moins"),
    ("au plus 50", D(50), "au plus"),
    ("quelque 15 000 casques bleus", D(15000), "quelque"),
    ("quelques 1 000", D(1000), "quelque"),
    ("autour de 1 200", D(1200), "autour de"),
    ("jusqu’à 3 000", D(3000), "jusqu'a"),
    ("~20.000", D(20000), "~"),
    ("~ 20 000", D(20000), "~"),
    ("≈ 300", D(300), "≈"),
    ("plus de mille", D(1000), "plus de"),
    ("environ un million", D(1_000_000), "environ"),
    ("-5", D(-5), None),
    ("\u22125", D(-5), None),  # the minus sign of a copied table
    ("+3", D(3), None),
    ("2024", D(2024), None),
    ("  300  ", D(300), None),
]


@pytest.mark.parametrize(("text", "value", "qualifier"), READ)
def test_parse_number(text: str, value: Decimal, qualifier: str | None) -> None:
    assert parse_number(text) == ParsedNumber(value, qualifier, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "beaucoup",
        "deux mille",  # numbers in words are not read
        "quinze mille",
        "millions",
        "des milliers",
        "12 34",
        "2000 000",  # a group of four digits then three: not French grouping
        "2.000.5",  # the same mark cannot group and separate decimals
        "2 000.000",  # one more group, or three decimals?
        "1.5.3",
        "1,5,3",
        "2 000 à 3 000",  # two values: not graded on the first
        "entre 2 000 et 3 000",
        "2000-3000",
        "2 000 - 3 000",
        "2 000 ou 3 000",
        "2 000/3 000",
        "plus de",
        "environ",
        "soldats 300",
    ],
)
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_a_unit_after_a_slash_is_not_a_second_number() -> None:
    parsed = parse_number("2 000/an")
    assert parsed is not None and parsed.value == 2000


def test_values_have_one_spelling() -> None:
    # 2000, not 2E+3: callers show and compare these values.
    for text in ("2 mille", "2.000", "2 000,0"):
        parsed = parse_number(text)
        assert parsed is not None and str(parsed.value) == "2000"


def test_parsed_number_is_frozen() -> None:
    parsed = parse_number("300")
    assert parsed is not None
    with pytest.raises(AttributeError):
        parsed.value = D(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (D(2000), None, "2\u202f000"),
        (D(17557), None, "17\u202f557"),
        (D(15000), "casques bleus", "15\u202f000 casques bleus"),
        (D("1.5"), None, "1,5"),
        (D("1.50"), None, "1,5"),
        (D("0.25"), None, "0,25"),
        (D(300), None, "300"),
        (D(1_500_000), None, "1\u202f500\u202f000"),
        (D("2E+3"), None, "2\u202f000"),
        (D(-1200), None, "-1\u202f200"),
        (D("-0.5"), None, "-0,5"),
        (D(0), None, "0"),
        (D("2000.5"), "km", "2\u202f000,5 km"),
    ],
)
def test_format_number(value: Decimal, unit: str | None, shown: str) -> None:
    assert format_number(value, unit) == shown


def test_format_number_takes_ints() -> None:
    assert format_number(13000) == "13\u202f000"


MATCHES = [
    # answer, key, keyword arguments, right?
    (D(2000), D(2000), {}, True),
    (D(1999), D(2000), {}, False),
    (D("2000.0"), D(2000), {}, True),
    (D(1999), D(2000), {"tolerance": D(1)}, True),
    (D(2001), D(2000), {"tolerance": D(1)}, True),
    (D(1998), D(2000), {"tolerance": D(1)}, False),
    (D(1900), D(2000), {"tolerance_pct": D(5)}, True),
    (D(2100), D(2000), {"tolerance_pct": D(5)}, True),
    (D(1899), D(2000), {"tolerance_pct": D(5)}, False),
    (D(-105), D(-100), {"tolerance_pct": D(5)}, True),  # a percentage of a negative key
    (D(14000), D(15000), {"low": D(12000), "high": D(16000)}, True),
    (D(12000), D(15000), {"low": D(12000), "high": D(16000)}, True),
    (D(16000), D(15000), {"low": D(12000), "high": D(16000)}, True),
    (D(17000), D(15000), {"low": D(12000), "high": D(16000)}, False),
    (D(11999), D(15000), {"low": D(12000), "high": D(16000)}, False),
    (D(99999), D(15000), {"low": D(12000)}, True),  # at least
    (D(11000), D(15000), {"low": D(12000)}, False),
    (D(1), D(15000), {"high": D(16000)}, True),  # at most
    # A range wins over a tolerance: the teacher's bounds are the rule.
    (D(15500), D(15000), {"tolerance": D(1), "low": D(15000), "high": D(16000)}, True),
]


@pytest.mark.parametrize(("answer", "key", "kwargs", "right"), MATCHES)
def test_number_matches(
    answer: Decimal, key: Decimal, kwargs: dict[str, Decimal], right: bool
) -> None:
    assert number_matches(answer, key, **kwargs) is right


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False),
    st.sampled_from([None, "soldats", "casques bleus", "km"]),
)
def test_format_then_parse_round_trips(value: Decimal, unit: str | None) -> None:
    parsed = parse_number(format_number(value, unit))
    assert parsed is not None and parsed.value == value


@given(st.integers(min_value=1000, max_value=10**15), st.sampled_from([" ", ".", "\u00a0"]))
def test_any_thousands_separator_reads_the_same(value: int, separator: str) -> None:
    grouped = f"{value:,}".replace(",", separator)
    parsed = parse_number(grouped)
    assert parsed is not None and parsed.value == value
