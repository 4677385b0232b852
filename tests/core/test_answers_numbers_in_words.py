"""Numbers as a French reader writes them: in words (text2num), with short scales, and
graded through the checker with the value shown as read."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from maliquiz.core.answers.checking import check_answer, check_cloze
from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import NumberCard
from maliquiz.core.text.numbers import ParsedNumber, parse_number, spelled_number

D = Decimal
C, W = Outcome.CORRECT, Outcome.WRONG


def number_card(answer: str, **extra: str) -> NumberCard:
    return NumberCard(id="n", type="number", prompt="?", answer=answer, **extra)  # type: ignore[arg-type]


WORDS = [
    # text, value, qualifier
    ("dix-sept mille cinq cent cinquante-sept", D(17557), None),
    ("dix sept mille cinq cent cinquante sept", D(17557), None),
    ("dix-sept-mille-cinq-cent-cinquante-sept", D(17557), None),  # 1990 spelling
    ("quatre-vingt-douze", D(92), None),
    ("soixante-dix", D(70), None),
    ("soixante et onze", D(71), None),
    ("vingt et un", D(21), None),
    ("quatre-vingts", D(80), None),
    ("mille quatre cents", D(1400), None),
    ("mille cinq cents", D(1500), None),  # not "mille" then a unit
    ("trois cents", D(300), None),
    ("deux mille", D(2000), None),
    ("Deux Mille", D(2000), None),
    ("treize mille", D(13000), None),
    ("quinze mille", D(15000), None),
    ("quinze mille soldats", D(15000), None),
    ("environ quinze mille casques bleus", D(15000), "environ"),
    ("plus de deux mille", D(2000), "plus de"),
    ("près de deux mille", D(2000), "pres de"),
    ("deux millions", D(2_000_000), None),
    ("deux millions et demi", D(2_500_000), None),
    ("un million et demi", D(1_500_000), None),
    ("deux milliards cinq cents millions", D(2_500_000_000), None),
    ("zéro", D(0), None),
    ("zero", D(0), None),
    ("mille", D(1000), None),
    ("un million", D(1_000_000), None),
    # Digits still read first, and words after a scale written in digits.
    ("2 millions", D(2_000_000), None),
    ("1,5 million", D(1_500_000), None),
    ("2 millions et demi", D(2_500_000), None),
    ("2 millions cinq cent mille", D(2_500_000), None),
    ("2 mille cinq cents", D(2500), None),
    ("17 557", D(17557), None),
]


@pytest.mark.parametrize(("text", "value", "qualifier"), WORDS)
def test_numbers_in_words(text: str, value: Decimal, qualifier: str | None) -> None:
    assert parse_number(text, words=True) == ParsedNumber(value, qualifier, text)


SHORT = [
    ("1,5 k", D(1500)),
    ("15k", D(15000)),
    ("15 K", D(15000)),
    ("2,5 M", D(2_500_000)),
    ("2,5M", D(2_500_000)),
    ("2 M€", D(2_000_000)),
    ("3 Md", D(3_000_000_000)),
    ("3 Mds", D(3_000_000_000)),
    ("3 md", D(3_000_000_000)),
    ("3 mds de dollars", D(3_000_000_000)),
    ("1,2 Md", D(1_200_000_000)),
    ("environ 2,5 M", D(2_500_000)),
]


@pytest.mark.parametrize(("text", "value"), SHORT)
@pytest.mark.parametrize("words", [False, True])
def test_short_scales_after_digits(text: str, value: Decimal, words: bool) -> None:
    parsed = parse_number(text, words=words)
    assert parsed is not None and parsed.value == value and parsed.worded


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("300 m", D(300)),  # metres: only a capital M is a million
        ("2,5 m", D("2.5")),
        ("300 MW", D(300)),  # a unit, not a short scale
        ("15 km", D(15)),
        ("3 mdr", D(3)),
    ],
)
def test_letters_that_are_not_short_scales(text: str, value: Decimal) -> None:
    parsed = parse_number(text, words=True)
    assert parsed is not None and parsed.value == value and not parsed.worded


@pytest.mark.parametrize(
    "text",
    [
        "beaucoup",
        "millions",  # how many?
        "des milliers",
        "quelques milliers",
        "trois milliers",  # round figures are no values
        "3 milliers",
        "une vingtaine",
        "deux et demi",  # "et demi" only after a scale
        "2 et demi",
        "deux ou trois mille",  # hedges and ranges in words too
        "deux mille à trois mille",
        "deux mille ou trois mille",
        "2 000 à trois mille",
        "deux-trois",
        "deux mille trois mille",
        "2 mille trois millions",  # words below the scale must be less than it
        "un peu plus de mille",  # "un" is an article here
        "entre deux mille et trois mille",
        "soldats deux mille",
        "M",
        "Md",
        "k",
    ],
)
def test_not_numbers_in_words(text: str) -> None:
    assert parse_number(text, words=True) is None


@pytest.mark.parametrize("text", ["deux mille", "quinze mille", "quatre-vingts", "trois cents"])
def test_deck_keys_stay_in_digits(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "worded"),
    [
        ("2 000", False),
        ("2.000 soldats", False),
        ("plus de 2 000", False),
        ("2 mille", True),
        ("1,5 million", True),
        ("mille", True),
        ("deux mille", True),
    ],
)
def test_worded_says_letters_made_the_value(text: str, worded: bool) -> None:
    parsed = parse_number(text, words=True)
    assert parsed is not None and parsed.worded is worded


def test_spelled_number() -> None:
    assert spelled_number("quatre-vingt-dix-sept") == 97
    assert spelled_number("trente et un") == 31
    assert spelled_number("premier") is None
    assert spelled_number("soldats") is None


def test_digits_never_load_text2num() -> None:
    # Decks validate every number key on load (the default): that path, and digits
    # typed by a learner, never load text2num.
    code = (
        "import sys\n"
        "from maliquiz.core.text.numbers import parse_number\n"
        "for t in ('2 000', '17 557', '1,5 million', '2,5 M', 'plus de 300 soldats'):\n"
        "    parse_number(t)\n"
        "for t in ('2 000', '17 557', '1,5', '2.000', '-5', '1,5 million', '2,5 M'):\n"
        "    parse_number(t, words=True)\n"
        "parse_number('deux mille')\n"
        "print('text_to_num' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


ANSWERS = [
    # typed, key, extra, outcome
    ("dix-sept mille cinq cent cinquante-sept", "17557", {}, C),
    ("dix-sept mille", "17557", {}, W),
    ("quatre-vingt-douze", "92", {}, C),
    ("quatre-vingt-douze", "82", {}, W),
    ("soixante-dix", "70", {}, C),
    ("soixante et onze", "71", {}, C),
    ("soixante et onze", "70", {}, W),
    ("quatre-vingts", "80", {}, C),
    ("deux millions et demi", "2 500 000", {}, C),
    ("2 millions et demi", "2 500 000", {}, C),
    ("2,5 M", "2 500 000", {}, C),
    ("2 millions", "2 500 000", {}, W),
    ("1,5 k", "1 500", {}, C),
    ("mille cinq cents", "1 500", {}, C),
    ("mille quatre cents", "1 400", {}, C),
    ("mille quatre cents", "1 500", {}, W),
    ("plus de deux mille", "2 000", {}, C),
    ("deux mille", "2 000", {}, C),
    ("trois mille", "2 000", {}, W),  # 2 000 is not 3 000
    ("2 000", "3 000", {}, W),
    ("3 Md", "3 000 000 000", {}, C),
    ("3 M", "3 000 000 000", {}, W),
    ("quinze mille soldats", "15 000", {"unit": "soldats"}, C),
    ("cinquante mille", "15 000", {}, W),
    ("quatorze mille", "15 000", {"tolerance": "1 000"}, C),
    ("douze mille", "15 000", {"min": "12 000", "max": "16 000"}, C),
    ("dix-sept mille", "15 000", {"min": "12 000", "max": "16 000"}, W),
    ("deux ou trois mille", "2 000", {}, W),  # a hedge is not graded on its first value
    ("trois milliers", "3 000", {}, W),
]


@pytest.mark.parametrize(("typed", "key", "extra", "outcome"), ANSWERS)
def test_number_answers_in_words(
    typed: str, key: str, extra: dict[str, str], outcome: Outcome
) -> None:
    verdict = check_answer(number_card(key, **extra), typed)
    assert verdict.outcome == outcome, (typed, key, verdict)


def test_a_number_in_words_is_shown_as_read() -> None:
    verdict = check_answer(number_card("1 400"), "mille quatre cents")
    assert verdict.read_as == "read as 1\u202f400"
    assert verdict.detail is None
    verdict = check_answer(number_card("2 500 000"), "2,5 M")
    assert verdict.read_as == "read as 2\u202f500\u202f000"


def test_a_number_written_as_displayed_is_not_shown_again() -> None:
    assert check_answer(number_card("2 000"), "2 000").read_as is None
    assert check_answer(number_card("2 000"), "2000").read_as is None


def test_a_number_written_otherwise_says_how_it_was_read() -> None:
    # A dot between digit groups could be a decimal point: say it was read as thousands.
    assert check_answer(number_card("17 557"), "17.557").read_as == "read as 17\u202f557"
    assert check_answer(number_card("2 000"), "plus de 2000 soldats").read_as is not None


def test_a_wrong_number_in_words_says_how_it_was_read() -> None:
    verdict = check_answer(number_card("17 557"), "dix-sept mille")
    assert verdict.outcome == W
    assert verdict.detail == "read as 17\u202f000"
    assert verdict.read_as is None


def test_a_numeric_cloze_gap_takes_words() -> None:
    verdict = check_cloze([["15 000"]], ["quinze mille"], "15 000 soldats")
    assert verdict.outcome == C
    verdict = check_cloze([["15 000"]], ["cinquante mille"], "15 000 soldats")
    assert verdict.outcome == W
