"""Answer checking, table-driven: French names, numbers, dates, and every card type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maliquiz.core.answers.checking import check_answer, check_choice_presentation, longest_in_order
from maliquiz.core.answers.textmatch import MatchKind, match_text, typo_budget
from maliquiz.core.answers.verdict import DiffOp, Outcome, diff_parts
from maliquiz.core.deck.models import (
    ChoiceCard,
    ClozeCard,
    DateCard,
    MatchCard,
    NumberCard,
    OrderCard,
    TextCard,
    TrueFalseCard,
)
from maliquiz.core.text.dates import DateGrade, PartialDate, grade_date, parse_date, parse_iso
from maliquiz.core.text.normalize import is_acronym, loose, normalize
from maliquiz.core.text.numbers import format_number, parse_number

C, T, P, W = Outcome.CORRECT, Outcome.TYPO, Outcome.PARTIAL, Outcome.WRONG


def text_card(
    answer: str, accept: tuple[str, ...] = (), confusables: tuple[str, ...] = ()
) -> TextCard:
    return TextCard(
        id="c",
        type="text",
        prompt="?",
        answer=answer,
        accept=list(accept),
        confusables=list(confusables),
    )


# --- normalisation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("CÔTE D'IVOIRE", "cote d'ivoire"),
        ("Goïta", "goita"),
        ("Keïta", "keita"),
        ("Œuvre", "oeuvre"),
        ("cœur", "coeur"),
        ("Lætitia", "laetitia"),
        ("El‑Ghassim Wane", "el-ghassim wane"),
        ("Abdoulaye\u00a0Diop", "abdoulaye diop"),
        ("2\u202f000", "2 000"),
        ("  Bamako  ", "bamako"),
        ("Jean—Yves", "jean-yves"),
        ("Al-Qaïda", "al-qaida"),
        ("État islamique", "etat islamique"),
        ("l`ONU", "l'onu"),
        ("a\tb\n c", "a b c"),
    ],
)
def test_normalize(raw: str, folded: str) -> None:
    assert normalize(raw) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("États-Unis", "etats unis"),
        ("l'ONU", "ONU"),
        ("le groupe Wagner", "groupe Wagner"),
        ("la France", "France"),
        ("au Mali", "Mali"),
        ("Al-Qaïda", "al qaida"),
        ("Nations unies", "Nations-Unies"),
    ],
)
def test_loose_equal(a: str, b: str) -> None:
    assert loose(a) == loose(b)


@pytest.mark.parametrize("word", ["MINUSMA", "ONU", "CEDEAO", "ACLED", "HRW", "MINUSCA"])
def test_acronyms(word: str) -> None:
    assert is_acronym(word)


@pytest.mark.parametrize("word", ["Wagner", "Mali", "A", "Barkhane"])
def test_not_acronyms(word: str) -> None:
    assert not is_acronym(word)


@given(st.text(max_size=40))
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


# --- typed names --------------------------------------------------------------------

NAMES = [
    # typed, answer, accepted variants, confusables, expected outcome
    ("Assimi Goïta", "Assimi Goïta", (), (), C),
    ("assimi goita", "Assimi Goïta", (), (), C),
    ("ASSIMI GOÏTA", "Assimi Goïta", (), (), C),
    ("Goïta", "Assimi Goïta", ("Goïta",), (), C),
    ("Goita", "Assimi Goïta", ("Goïta",), (), C),
    ("Goïta", "Assimi Goïta", (), (), W),  # an incomplete name is not a typo
    ("Assimi Goitta", "Assimi Goïta", (), (), T),
    ("Asimi Goïta", "Assimi Goïta", (), (), T),
    ("Assmi Gota", "Assimi Goïta", (), (), T),  # 2 edits allowed from 10 letters
    ("Asmi Gta", "Assimi Goïta", (), (), W),
    ("Ibrahim Boubacar Keïta", "Ibrahim Boubacar Keïta", ("IBK", "Keïta"), (), C),
    ("Ibrahim Boubacar Keita", "Ibrahim Boubacar Keïta", (), (), C),
    ("IBK", "Ibrahim Boubacar Keïta", ("IBK",), (), C),
    ("ibk", "Ibrahim Boubacar Keïta", ("IBK",), (), C),
    ("Ibrahim Boubakar Keita", "Ibrahim Boubacar Keïta", (), (), T),
    ("Keita", "Ibrahim Boubacar Keïta", ("Keïta",), (), C),
    ("Abdoulaye Diop", "Abdoulaye Diop", ("Diop",), (), C),
    ("Diop", "Abdoulaye Diop", ("Diop",), (), C),
    ("Abdoulay Diop", "Abdoulaye Diop", (), (), T),
    ("Diopp", "Abdoulaye Diop", ("Diop",), (), T),
    ("El-Ghassim Wane", "El-Ghassim Wane", (), (), C),
    ("El Ghassim Wane", "El-Ghassim Wane", (), (), C),
    ("el ghassim wan", "El-Ghassim Wane", (), (), T),
    ("Matthew Miller", "Matthew Miller", ("Miller",), (), C),
    ("Mathew Miller", "Matthew Miller", (), (), T),
    ("James Heappey", "James Heappey", ("Heappey",), (), C),
    ("James Heapey", "James Heappey", (), (), T),
    ("Emmanuel Macron", "Emmanuel Macron", ("Macron",), (), C),
    ("Macorn", "Emmanuel Macron", ("Macron",), (), T),  # a swap is one edit
    ("Wagner", "Wagner", ("groupe Wagner",), (), C),
    ("le groupe Wagner", "Wagner", ("groupe Wagner",), (), C),
    ("Wagnr", "Wagner", (), (), T),
    ("Vagner", "Wagner", (), (), T),
    ("Wag", "Wagner", (), (), W),
    ("MINUSMA", "MINUSMA", (), ("MINUSCA", "MONUSCO"), C),
    ("minusma", "MINUSMA", (), (), C),
    ("MINUSCA", "MINUSMA", (), ("MINUSCA",), W),
    ("MINUSMAA", "MINUSMA", (), (), W),  # acronyms are never fuzzy
    ("MINSUMA", "MINUSMA", (), (), W),
    ("ONU", "ONU", ("Nations unies", "Organisation des Nations unies"), (), C),
    ("l'ONU", "ONU", (), (), C),
    ("les Nations unies", "ONU", ("Nations unies",), (), C),
    ("Nations-Unies", "ONU", ("Nations unies",), (), C),
    ("OTAN", "ONU", (), (), W),
    ("Barkhane", "Barkhane", ("opération Barkhane",), ("Serval",), C),
    ("Barkane", "Barkhane", (), (), T),
    ("Serval", "Barkhane", (), ("Serval",), W),
    ("Takuba", "Takuba", ("task force Takuba",), (), C),
    ("Task Force Takuba", "Takuba", ("task force Takuba",), (), C),
    ("Takouba", "Takuba", (), (), T),
    ("Côte d'Ivoire", "Côte d'Ivoire", (), (), C),
    ("cote divoire", "Côte d'Ivoire", (), (), T),
    ("Cote d Ivoire", "Côte d'Ivoire", (), (), C),
    ("États-Unis", "États-Unis", ("USA", "Washington"), (), C),
    ("Etats Unis", "États-Unis", (), (), C),
    ("Etat-Unis", "États-Unis", (), (), T),
    ("Allemagne", "Allemagne", (), (), C),
    ("Allemange", "Allemagne", (), (), T),
    ("Royaume-Uni", "Royaume-Uni", ("Grande-Bretagne",), (), C),
    ("royaume uni", "Royaume-Uni", (), (), C),
    ("Russie", "Russie", ("Moscou",), (), C),
    ("Rusie", "Russie", (), (), T),
    ("Moscou", "Russie", ("Moscou",), (), C),
    ("Bamako", "Bamako", (), (), C),
    ("Bamko", "Bamako", (), (), T),
    ("Mali", "Mali", (), (), C),
    ("Mal", "Mali", (), (), T),  # four letters: one edit allowed
    ("Niger", "Mali", (), (), W),
    ("Kremlin", "Kremlin", (), (), C),
    ("Al-Qaïda", "Al-Qaïda", ("Al Qaeda",), (), C),
    ("al qaida", "Al-Qaïda", (), (), C),
    ("Al-Qaeda", "Al-Qaïda", (), (), T),
    ("État islamique", "État islamique", ("EI", "Daech"), (), C),
    ("etat islamiqe", "État islamique", (), (), T),
    ("etat islamic", "État islamique", (), (), W),  # three edits: too far
    ("Daech", "État islamique", ("Daech",), (), C),
    ("", "Wagner", (), (), W),
    ("   ", "Wagner", (), (), W),
    ("2020", "2021", (), (), W),
    ("Résolution 2100", "Résolution 2100", (), (), C),
    ("Résolution 2101", "Résolution 2100", (), (), W),  # digits are never fuzzy
]


@pytest.mark.parametrize(("typed", "answer", "accept", "confusables", "outcome"), NAMES)
def test_typed_names(
    typed: str, answer: str, accept: tuple[str, ...], confusables: tuple[str, ...], outcome: Outcome
) -> None:
    card = text_card(answer, accept, confusables)
    verdict = check_answer(card, typed)
    assert verdict.outcome == outcome, (typed, answer, verdict)
    assert verdict.expected == answer


@pytest.mark.parametrize(
    ("key", "budget"),
    [("ONU", 0), ("Mali", 1), ("Barkhane", 1), ("Assimi Goïta", 2), ("Côte d'Ivoire", 2)],
)
def test_typo_budget_grows_with_the_key(key: str, budget: int) -> None:
    assert typo_budget(key) == budget


@pytest.mark.parametrize(
    ("typed", "answer", "others", "kind"),
    [
        ("Diap", "Diop", ("Diap",), MatchKind.WRONG),  # another deck name is exact
        ("Mal", "Mali", ("Mal",), MatchKind.WRONG),
        ("Kieta", "Keïta", ("Kita",), MatchKind.WRONG),  # as close to another name
        ("Keitta", "Keïta", ("Kita",), MatchKind.TYPO),
        ("Miller", "Mille", (), MatchKind.TYPO),
        ("Macron", "Macron", ("Macron",), MatchKind.EXACT),
    ],
)
def test_other_names_of_the_deck_block_typos(
    typed: str, answer: str, others: tuple[str, ...], kind: MatchKind
) -> None:
    assert match_text(typed, answer, others=others).kind == kind


def test_typo_verdict_shows_the_difference() -> None:
    verdict = check_answer(text_card("Wagner"), "Wagnr")
    assert verdict.outcome == T
    assert [p.op for p in verdict.diff] == [DiffOp.SAME, DiffOp.MISSING, DiffOp.SAME]
    assert "".join(p.expected for p in verdict.diff) == "Wagner"


def test_diff_parts_of_a_wrong_answer() -> None:
    parts = diff_parts("Bamaco", "Bamako")
    assert [(p.op, p.typed, p.expected) for p in parts] == [
        (DiffOp.SAME, "Bamak"[:4], "Bama"),
        (DiffOp.WRONG, "c", "k"),
        (DiffOp.SAME, "o", "o"),
    ]


# --- numbers ------------------------------------------------------------------------

NUMBERS = [
    ("2000", 2000),
    ("2 000", 2000),
    ("2\u00a0000", 2000),
    ("2\u202f000", 2000),
    ("2.000", 2000),
    ("2.000.000", 2000000),
    ("17 557", 17557),
    ("17557", 17557),
    ("1,5", Decimal("1.5")),
    ("1.5", Decimal("1.5")),
    ("0,25", Decimal("0.25")),
    ("1,5 million", 1500000),
    ("1,5 millions", 1500000),
    ("3 millions", 3000000),
    ("2 milliards", 2000000000),
    ("2 mille", 2000),
    ("plus de 2 000", 2000),
    ("près de 15 000", 15000),
    ("pres de 15000", 15000),
    ("environ 1 000", 1000),
    ("au moins 300", 300),
    ("~20.000", 20000),
    ("15 000 casques bleus", 15000),
    ("300 soldats britanniques", 300),
    ("1 000 combattants", 1000),
    ("12 000", 12000),
    ("13 000", 13000),
    ("2.000,5", Decimal("2000.5")),
    ("-5", -5),
    ("1 500 000", 1500000),
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_parse_number(text: str, value: int | Decimal) -> None:
    parsed = parse_number(text)
    assert parsed is not None, text
    assert parsed.value == Decimal(value)


@pytest.mark.parametrize("text", ["beaucoup", "", "deux mille", "12 34", "2.000.5", "millions"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_qualifier_is_kept() -> None:
    parsed = parse_number("Plus de 2 000 soldats")
    assert parsed is not None and parsed.qualifier == "plus de"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2000, "2\u202f000"),
        (17557, "17\u202f557"),
        (Decimal("1.5"), "1,5"),
        (300, "300"),
        (1500000, "1\u202f500\u202f000"),
    ],
)
def test_format_number(value: int | Decimal, shown: str) -> None:
    assert format_number(Decimal(value)) == shown


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_format_then_parse_round_trips(value: Decimal) -> None:
    parsed = parse_number(format_number(value))
    assert parsed is not None and parsed.value == value


def number_card(answer: str, **extra: str) -> NumberCard:
    return NumberCard(id="n", type="number", prompt="?", answer=answer, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "answer", "extra", "outcome"),
    [
        ("2000", "2.000", {}, C),
        ("2 000", "2.000", {}, C),
        ("2.000", "2 000", {}, C),
        ("plus de 2000", "2 000", {}, C),
        ("2", "2.000", {}, W),
        ("1999", "2 000", {}, W),
        ("1999", "2 000", {"tolerance": "1"}, C),
        ("1900", "2 000", {"tolerance": "5%"}, C),
        ("1899", "2 000", {"tolerance": "5%"}, W),
        ("14 000", "15 000", {"min": "12 000", "max": "16 000"}, C),
        ("17 000", "15 000", {"min": "12 000", "max": "16 000"}, W),
        ("17 557", "17557", {}, C),
        ("17 556", "17557", {}, W),
        ("1,5 million", "1 500 000", {}, C),
        ("un million et demi", "1 500 000", {}, C),
        ("un million", "1 500 000", {}, W),
        ("", "300", {}, W),
        ("300 soldats", "300", {"unit": "soldats"}, C),
        ("trois cents", "300", {}, C),  # numbers in words are read
        ("20.000", "20 000", {}, C),
        ("20,000", "20 000", {}, W),  # a comma is a decimal mark in French: 20
    ],
)
def test_number_answers(typed: str, answer: str, extra: dict[str, str], outcome: Outcome) -> None:
    verdict = check_answer(number_card(answer, **extra), typed)
    assert verdict.outcome == outcome, (typed, answer, verdict)


def test_number_expected_shows_tolerance() -> None:
    verdict = check_answer(number_card("2 000", tolerance="10%", unit="soldats"), "5")
    assert verdict.expected == "2\u202f000 soldats (± 10 %)"


# --- dates --------------------------------------------------------------------------

DATES = [
    ("2024", PartialDate(2024)),
    ("novembre 2024", PartialDate(2024, 11)),
    ("Novembre 2024", PartialDate(2024, 11)),
    ("nov. 2024", PartialDate(2024, 11)),
    ("nov 2024", PartialDate(2024, 11)),
    ("15 novembre 2024", PartialDate(2024, 11, 15)),
    ("le 15 novembre 2024", PartialDate(2024, 11, 15)),
    ("1er août 2020", PartialDate(2020, 8, 1)),
    ("1 aout 2020", PartialDate(2020, 8, 1)),
    ("18 août 2020", PartialDate(2020, 8, 18)),
    ("aout 2020", PartialDate(2020, 8)),
    ("en août 2020", PartialDate(2020, 8)),
    ("17 février 2022", PartialDate(2022, 2, 17)),
    ("17 fevrier 2022", PartialDate(2022, 2, 17)),
    ("17 févr. 2022", PartialDate(2022, 2, 17)),
    ("15/11/2024", PartialDate(2024, 11, 15)),
    ("15.11.2024", PartialDate(2024, 11, 15)),
    ("11/2024", PartialDate(2024, 11)),
    ("2024-11-15", PartialDate(2024, 11, 15)),
    ("2024-11", PartialDate(2024, 11)),
    ("juin 2023", PartialDate(2023, 6)),
    ("juillet 2013", PartialDate(2013, 7)),
    ("juil. 2013", PartialDate(2013, 7)),
    ("décembre 2021", PartialDate(2021, 12)),
    ("decembre 2021", PartialDate(2021, 12)),
    ("February 17, 2022", PartialDate(2022, 2, 17)),
    ("17 February 2022", PartialDate(2022, 2, 17)),
    ("mai 2021", PartialDate(2021, 5)),
]


@pytest.mark.parametrize(("text", "value"), DATES)
def test_parse_date(text: str, value: PartialDate) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize(
    "text", ["hier", "", "31/02/2020", "mi-2013", "jui 2020", "2024-13", "fin 2022"]
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("answer", "key", "grade"),
    [
        ("2024", "2024", DateGrade.RIGHT),
        ("novembre 2024", "2024", DateGrade.RIGHT),
        ("2023", "2024", DateGrade.WRONG),
        ("novembre 2024", "2024-11", DateGrade.RIGHT),
        ("15 novembre 2024", "2024-11", DateGrade.RIGHT),
        ("2024", "2024-11", DateGrade.PARTIAL),
        ("octobre 2024", "2024-11", DateGrade.WRONG),
        ("15 novembre 2024", "2024-11-15", DateGrade.RIGHT),
        ("16 novembre 2024", "2024-11-15", DateGrade.WRONG),
        ("novembre 2024", "2024-11-15", DateGrade.PARTIAL),
    ],
)
def test_grade_date(answer: str, key: str, grade: DateGrade) -> None:
    parsed, iso = parse_date(answer), parse_iso(key)
    assert parsed is not None and iso is not None
    assert grade_date(parsed, iso) == grade


@pytest.mark.parametrize(
    ("typed", "key", "outcome"),
    [
        ("15 novembre 2024", "2024-11-15", C),
        ("15/11/2024", "2024-11-15", C),
        ("novembre 2024", "2024-11-15", P),
        ("2013", "2013", C),
        ("2012", "2013", W),
        ("août 2020", "2020-08", C),
        ("demain", "2020-08", W),
    ],
)
def test_date_answers(typed: str, key: str, outcome: Outcome) -> None:
    card = DateCard(id="d", type="date", prompt="?", answer=key)
    assert check_answer(card, typed).outcome == outcome


def test_date_expected_in_french() -> None:
    card = DateCard(id="d", type="date", prompt="?", answer="2020-08-01")
    assert check_answer(card, "x").expected == "1er août 2020"


# --- the other card types -----------------------------------------------------------


def test_choice() -> None:
    card = ChoiceCard(
        id="c", type="choice", prompt="?", options=["a", "b", "c", "d"], answer=["a", "c"]
    )
    assert check_answer(card, ("a", "c")).outcome == C
    assert check_answer(card, ("c", "a")).outcome == C
    partial = check_answer(card, ("a",))
    assert partial.outcome == P and partial.score == 0.5
    assert check_answer(card, ("a", "b")).outcome == W  # one right, one wrong: nothing
    assert check_answer(card, ("b",)).outcome == W
    single = ChoiceCard(id="s", type="choice", prompt="?", options=["a", "b"], answer="b")
    assert check_answer(single, ("b",)).outcome == C
    assert check_answer(single, "b").outcome == C


def test_choice_presentation_of_a_typed_card() -> None:
    assert check_choice_presentation(("2 000",), ("2 000",)).outcome == C
    assert check_choice_presentation(("3 000",), ("2 000",)).outcome == W


def test_truefalse() -> None:
    card = TrueFalseCard(id="t", type="truefalse", prompt="?", answer=False)
    assert check_answer(card, False).outcome == C
    verdict = check_answer(card, True)
    assert verdict.outcome == W and verdict.expected == "False"


@pytest.mark.parametrize(
    ("given_order", "outcome", "score"),
    [
        (("a", "b", "c", "d", "e"), C, 1.0),
        (("b", "a", "c", "d", "e"), P, 0.8),
        (("e", "a", "b", "c", "d"), P, 0.8),  # one item moved: 4 of 5 still in order
        (("a", "b", "c", "e", "d"), P, 0.8),
        (("c", "d", "e", "a", "b"), P, 0.6),
        (("e", "d", "c", "b", "a"), W, 0.0),
    ],
)
def test_order(given_order: tuple[str, ...], outcome: Outcome, score: float) -> None:
    card = OrderCard(id="o", type="order", prompt="?", items=["a", "b", "c", "d", "e"])
    verdict = check_answer(card, given_order)
    assert (verdict.outcome, verdict.score) == (outcome, score)


def test_longest_in_order() -> None:
    assert longest_in_order([0, 1, 2]) == 3
    assert longest_in_order([2, 1, 0]) == 1
    assert longest_in_order([1, 0, 2, 3]) == 3


def test_match() -> None:
    card = MatchCard.model_validate(
        {
            "id": "m",
            "type": "match",
            "prompt": "?",
            "pairs": [
                {"left": "Diop", "right": "ministre"},
                {"left": "Miller", "right": "porte-parole"},
                {"left": "Wane", "right": "représentant de l'ONU"},
            ],
        }
    )
    right = {"Diop": "ministre", "Miller": "porte-parole", "Wane": "représentant de l'ONU"}
    assert check_answer(card, right).outcome == C
    swapped = {"Diop": "porte-parole", "Miller": "ministre", "Wane": "représentant de l'ONU"}
    verdict = check_answer(card, swapped)
    assert verdict.outcome == P and verdict.detail == "1 of 3 pairs right"
    assert check_answer(card, {}).outcome == W


def test_cloze() -> None:
    card = ClozeCard(
        id="z",
        type="cloze",
        prompt="La {{MINUSMA}} a quitté le Mali le {{15|15e}} novembre {{2024}}.",
    )
    assert check_answer(card, ("MINUSMA", "15", "2024")).outcome == C
    assert check_answer(card, ("minusma", "15e", "2024")).outcome == C
    partial = check_answer(card, ("MINUSMA", "14", "2024"))
    assert partial.outcome == P and partial.detail == "2 of 3 gaps right"
    assert check_answer(card, ("MINUSCA", "14", "2023")).outcome == W
    typo = ClozeCard(id="y", type="cloze", prompt="Le groupe {{Wagner}} est russe.")
    assert check_answer(typo, ("Wagnr",)).outcome == T


def test_cloze_numbers_in_any_form() -> None:
    card = ClozeCard(id="z", type="cloze", prompt="Environ {{15 000|15000}} casques bleus.")
    assert check_answer(card, ("15.000",)).outcome == C
    assert check_answer(card, ("15 001",)).outcome == W


def test_overrides_keep_the_expected_answer() -> None:
    verdict = check_answer(text_card("Wagner"), "Poutine")
    flipped = verdict.with_outcome(Outcome.CORRECT)
    assert flipped.score == 1.0 and flipped.expected == "Wagner"
