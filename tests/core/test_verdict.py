"""Verdicts and the graders on plain values: order, match, choice, true/false, cloze."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maliquiz.core.answers.checking import (
    ResponseTypeError,
    check_choice,
    check_cloze,
    check_match,
    check_order,
    check_truefalse,
    longest_in_order,
)
from maliquiz.core.answers.verdict import DiffOp, DiffPart, Outcome, Verdict, diff_parts

C, T, P, W = Outcome.CORRECT, Outcome.TYPO, Outcome.PARTIAL, Outcome.WRONG

# --- the verdict itself ---------------------------------------------------------------


@pytest.mark.parametrize(("outcome", "right"), [(C, True), (T, True), (P, False), (W, False)])
def test_right(outcome: Outcome, right: bool) -> None:
    assert Verdict(outcome, "Wagner").right is right


@pytest.mark.parametrize(
    ("start", "outcome", "score"),
    [
        (Verdict(W, "Wagner", "Poutine", 0.0), C, 1.0),  # "I was right" override
        (Verdict(C, "Wagner", "Wagner", 1.0), W, 0.0),
        (Verdict(P, "2024-11", "2024", 0.5), P, 0.5),
        (Verdict(P, "a → b", "b → a", 0.5), W, 0.0),
        (Verdict(T, "Wagner", "Wagnr", 1.0), T, 1.0),
    ],
)
def test_with_outcome(start: Verdict, outcome: Outcome, score: float) -> None:
    changed = start.with_outcome(outcome)
    assert (changed.outcome, changed.score) == (outcome, score)
    assert (changed.expected, changed.given) == (start.expected, start.given)


@pytest.mark.parametrize(("outcome", "score"), [(C, 1.0), (P, 0.5), (W, 0.0)])
def test_self_rated(outcome: Outcome, score: float) -> None:
    verdict = Verdict.self_rated(outcome, "Assimi Goïta")
    assert (verdict.outcome, verdict.score, verdict.expected) == (outcome, score, "Assimi Goïta")


def test_read_as_is_optional_and_kept() -> None:
    assert Verdict(C, "Wagner").read_as is None
    verdict = Verdict(C, "1 400", "mille quatre cents", 1.0, read_as="read as 1 400")
    assert verdict.with_outcome(W).read_as == "read as 1 400"


def test_verdict_is_frozen() -> None:
    verdict = Verdict(C, "Wagner")
    with pytest.raises(AttributeError):
        verdict.score = 0.5  # type: ignore[misc]


# --- character differences --------------------------------------------------------------

S, X, M = DiffOp.SAME, DiffOp.WRONG, DiffOp.MISSING


@pytest.mark.parametrize(
    ("typed", "expected", "parts"),
    [
        ("Wagner", "Wagner", [(S, "Wagner", "Wagner")]),
        ("wagner", "Wagner", [(S, "wagner", "Wagner")]),  # case is no difference
        ("Wagnr", "Wagner", [(S, "Wagn", "Wagn"), (M, "", "e"), (S, "r", "r")]),
        ("Bamaco", "Bamako", [(S, "Bama", "Bama"), (X, "c", "k"), (S, "o", "o")]),
        ("Barkhanne", "Barkhane", [(S, "Barkhan", "Barkhan"), (X, "n", ""), (S, "e", "e")]),
        ("", "Takuba", [(M, "", "Takuba")]),
        ("Takuba", "", [(X, "Takuba", "")]),
    ],
)
def test_diff_parts(typed: str, expected: str, parts: list[tuple[DiffOp, str, str]]) -> None:
    assert diff_parts(typed, expected) == tuple(DiffPart(*p) for p in parts)


@given(st.text(max_size=20), st.text(max_size=20))
def test_diff_parts_rebuild_both_texts(typed: str, expected: str) -> None:
    parts = diff_parts(typed, expected)
    assert "".join(p.typed for p in parts) == typed
    assert "".join(p.expected for p in parts) == expected


# --- order: longest run in the right relative order ----------------------------------------

EVENTS = ["Serval", "MINUSMA", "Barkhane", "Takuba", "Wagner"]  # 2013 → 2021


@pytest.mark.parametrize(
    ("given_order", "outcome", "score"),
    [
        (["Serval", "MINUSMA", "Barkhane", "Takuba", "Wagner"], C, 1.0),
        (["MINUSMA", "Serval", "Barkhane", "Takuba", "Wagner"], P, 0.8),
        (["Wagner", "Serval", "MINUSMA", "Barkhane", "Takuba"], P, 0.8),  # one moved
        (["Serval", "MINUSMA", "Barkhane", "Wagner", "Takuba"], P, 0.8),
        (["Barkhane", "Takuba", "Wagner", "Serval", "MINUSMA"], P, 0.6),
        (["Serval", "Barkhane", "MINUSMA", "Wagner", "Takuba"], P, 0.6),
        (["Takuba", "Wagner", "Barkhane", "Serval", "MINUSMA"], P, 0.4),
        (["Wagner", "Takuba", "Barkhane", "MINUSMA", "Serval"], W, 0.0),  # reversed
    ],
)
def test_order(given_order: list[str], outcome: Outcome, score: float) -> None:
    verdict = check_order(EVENTS, given_order)
    assert verdict.outcome == outcome
    assert verdict.score == pytest.approx(score)


def test_order_says_how_many_are_in_order() -> None:
    verdict = check_order(EVENTS, ["MINUSMA", "Serval", "Barkhane", "Takuba", "Wagner"])
    assert verdict.detail == "4 of 5 in the right order"
    assert verdict.expected == "Serval → MINUSMA → Barkhane → Takuba → Wagner"


def test_two_items_swapped_is_wrong() -> None:
    assert check_order(["a", "b"], ["b", "a"]).outcome == W


@pytest.mark.parametrize("given_order", [["Serval"], [*EVENTS, "Serval"], ["x", *EVENTS[1:]]])
def test_order_needs_each_item_once(given_order: list[str]) -> None:
    with pytest.raises(ResponseTypeError):
        check_order(EVENTS, given_order)


@pytest.mark.parametrize(
    ("positions", "length"),
    [([], 0), ([0], 1), ([0, 1, 2], 3), ([2, 1, 0], 1), ([1, 0, 2, 3], 3), ([4, 0, 1, 2, 3], 4)],
)
def test_longest_in_order(positions: list[int], length: int) -> None:
    assert longest_in_order(positions) == length


def _brute_force_longest(positions: list[int]) -> int:
    for size in range(len(positions), 0, -1):
        for picked in itertools.combinations(positions, size):
            if list(picked) == sorted(picked):
                return size
    return 0


@given(st.permutations(list(range(7))))
def test_longest_in_order_agrees_with_brute_force(positions: list[int]) -> None:
    assert longest_in_order(positions) == _brute_force_longest(positions)


# --- match: pairs right over pairs ------------------------------------------------------------

PAIRS = [
    ("Abdoulaye Diop", "ministre des Affaires étrangères"),
    ("El-Ghassim Wane", "chef de la MINUSMA"),
    ("Assimi Goïta", "président de la transition"),
    ("Ibrahim Boubacar Keïta", "président renversé en 2020"),
]
RIGHT = dict(PAIRS)


@pytest.mark.parametrize(
    ("changes", "outcome", "score", "detail"),
    [
        ({}, C, 1.0, None),
        (
            {"Abdoulaye Diop": "chef de la MINUSMA", "El-Ghassim Wane": RIGHT["Abdoulaye Diop"]},
            P,
            0.5,
            "2 of 4 pairs right",
        ),
        ({"Assimi Goïta": RIGHT["Ibrahim Boubacar Keïta"]}, P, 0.75, "3 of 4 pairs right"),
        ({name: "ministre de la Défense" for name in RIGHT}, W, 0.0, "0 of 4 pairs right"),
    ],
)
def test_match(changes: dict[str, str], outcome: Outcome, score: float, detail: str | None) -> None:
    verdict = check_match(PAIRS, RIGHT | changes)
    assert (verdict.outcome, verdict.score, verdict.detail) == (outcome, score, detail)


def test_match_missing_pairs_are_wrong() -> None:
    verdict = check_match(PAIRS, {"Abdoulaye Diop": RIGHT["Abdoulaye Diop"]})
    assert (verdict.outcome, verdict.score) == (P, 0.25)
    assert check_match(PAIRS, {}).outcome == W


def test_match_needs_a_mapping() -> None:
    with pytest.raises(ResponseTypeError):
        check_match(PAIRS, ["Abdoulaye Diop"])


# --- choice: several right options, partial credit ------------------------------------------

MISSIONS = ["MINUSMA", "Barkhane", "Takuba", "EUTM Mali"]


@pytest.mark.parametrize(
    ("chosen", "answers", "outcome", "score"),
    [
        (["Barkhane"], ["Barkhane"], C, 1.0),
        (["Takuba"], ["Barkhane"], W, 0.0),
        ([], ["Barkhane"], W, 0.0),
        (["Barkhane", "Takuba"], ["Barkhane"], W, 0.0),  # one answer: no partial credit
        (["Barkhane", "Takuba"], ["Barkhane", "Takuba"], C, 1.0),
        (["Takuba", "Barkhane"], ["Barkhane", "Takuba"], C, 1.0),
        (["Barkhane"], ["Barkhane", "Takuba"], P, 0.5),
        (["Barkhane", "MINUSMA"], ["Barkhane", "Takuba"], W, 0.0),  # one right, one wrong
        (MISSIONS, ["Barkhane", "Takuba"], W, 0.0),  # ticking everything earns nothing
        (["Barkhane", "Takuba"], ["Barkhane", "Takuba", "EUTM Mali"], P, 2 / 3),
        (["Barkhane", "Takuba", "MINUSMA"], ["Barkhane", "Takuba", "EUTM Mali"], P, 1 / 3),
    ],
)
def test_choice(chosen: list[str], answers: list[str], outcome: Outcome, score: float) -> None:
    verdict = check_choice(chosen, answers)
    assert verdict.outcome == outcome
    assert verdict.score == pytest.approx(score)


@given(st.sets(st.sampled_from(MISSIONS)), st.sets(st.sampled_from(MISSIONS), min_size=1))
def test_choice_score_is_a_fraction_and_full_only_when_exact(
    chosen: set[str], answers: set[str]
) -> None:
    verdict = check_choice(sorted(chosen), sorted(answers))
    assert 0.0 <= verdict.score <= 1.0
    assert (verdict.outcome == C) == (chosen == answers) == (verdict.score == 1.0)


# --- true / false -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "response", "outcome", "expected"),
    [(True, True, C, "True"), (True, False, W, "True"), (False, False, C, "False"),
     (False, True, W, "False")],
)  # fmt: skip
def test_truefalse(answer: bool, response: bool, outcome: Outcome, expected: str) -> None:
    verdict = check_truefalse(answer, response)
    assert (verdict.outcome, verdict.expected) == (outcome, expected)


@pytest.mark.parametrize("response", ["vrai", 1, None])
def test_truefalse_needs_a_bool(response: object) -> None:
    with pytest.raises(ResponseTypeError):
        check_truefalse(True, response)


# --- cloze: each gap a typed name, a number or a date -----------------------------------------

SENTENCE = "La MINUSMA a quitté le Mali le 31 décembre 2023 après 10 ans ; 15 000 casques bleus."
GAPS = [["MINUSMA"], ["31 décembre 2023"], ["10", "dix"], ["15 000"]]


@pytest.mark.parametrize(
    ("given_gaps", "outcome", "score"),
    [
        (["MINUSMA", "31 décembre 2023", "10", "15 000"], C, 1.0),
        (["minusma", "31/12/2023", "dix", "15.000"], C, 1.0),
        (["la MINUSMA", "le 31 decembre 2023", "10 ans", "15000 casques bleus"], C, 1.0),
        (["MINUSCA", "31 décembre 2023", "10", "15 000"], P, 0.75),
        (["MINUSMA", "décembre 2023", "10", "15 000"], P, 0.75),  # a gap is all or nothing
        (["MINUSMA", "30 décembre 2023", "11", "15 000"], P, 0.5),
        (["MINUSMA", "31 décembre 2023", "10", "15 001"], P, 0.75),
        (["MINUSCA", "2024", "9", "12 000"], W, 0.0),
        (["", "", "", ""], W, 0.0),
    ],
)
def test_cloze(given_gaps: list[str], outcome: Outcome, score: float) -> None:
    verdict = check_cloze(GAPS, given_gaps, SENTENCE)
    assert (verdict.outcome, verdict.score) == (outcome, score)
    assert verdict.expected == SENTENCE


def test_cloze_with_a_typo_is_a_typo() -> None:
    verdict = check_cloze([["Wagner"], ["Barkhane"]], ["Wagnr", "Barkhane"], "…")
    assert (verdict.outcome, verdict.score) == (T, 1.0)


def test_cloze_typo_refused_when_another_name_is_as_close() -> None:
    assert check_cloze([["Diop"]], ["Diap"], "…", others=["Diab"]).outcome == W


def test_cloze_counts_its_gaps() -> None:
    with pytest.raises(ResponseTypeError):
        check_cloze(GAPS, ["MINUSMA"], SENTENCE)
