"""Typed names against a key, its variants, its confusables and the deck's other names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maliquiz.core.answers.textmatch import MatchKind, TextMatch, match_text, typo_budget

EXACT, TYPO, WRONG = MatchKind.EXACT, MatchKind.TYPO, MatchKind.WRONG

CASES = [
    # typed, answer, accepted, confusables, others, kind
    # Exact once folded: case, accents, apostrophes, spaces, articles, punctuation.
    ("Assimi Goïta", "Assimi Goïta", (), (), (), EXACT),
    ("assimi goita", "Assimi Goïta", (), (), (), EXACT),
    ("Assimi\u00a0Goïta", "Assimi Goïta", (), (), (), EXACT),
    ("Kéita", "Keïta", (), (), (), EXACT),
    ("Côte d’Ivoire", "Côte d'Ivoire", (), (), (), EXACT),
    ("la Côte d'Ivoire", "Côte d'Ivoire", (), (), (), EXACT),
    ("el ghassim wane", "El-Ghassim Wane", (), (), (), EXACT),
    ("O.N.U.", "ONU", (), (), (), EXACT),
    ("l'ONU", "ONU", (), (), (), EXACT),
    ("l’opération Barkhane", "Barkhane", ("opération Barkhane",), (), (), EXACT),
    ("IBK", "Ibrahim Boubacar Keïta", ("IBK",), (), (), EXACT),
    ("la CEDEAO", "CEDEAO", (), (), (), EXACT),
    ("Africa Corps", "Wagner", ("Africa Corps",), (), (), EXACT),
    # Incomplete answers are not typos (a partial-ratio score would accept them).
    ("Goïta", "Assimi Goïta", (), (), (), WRONG),
    ("Assimi", "Assimi Goïta", (), (), (), WRONG),
    ("Keïta", "Ibrahim Boubacar Keïta", (), (), (), WRONG),
    ("Diop", "Abdoulaye Diop", (), (), (), WRONG),
    ("Wane", "El-Ghassim Wane", (), (), (), WRONG),
    ("Goïta Assimi", "Assimi Goïta", (), (), (), WRONG),  # word order matters
    # Typo budget: nothing up to 3 letters, 1 edit for 4 to 9, 2 from 10.
    ("Goa", "Gao", (), (), (), WRONG),
    ("Mail", "Mali", (), (), (), TYPO),  # a swap is one edit
    ("Wagnre", "Wagner", (), (), (), TYPO),
    ("Wangre", "Wagner", (), (), (), WRONG),  # two swaps in a six-letter name
    ("Takouba", "Takuba", (), (), (), TYPO),
    ("Barkane", "Barkhane", (), (), (), TYPO),
    ("Brakhnae", "Barkhane", (), (), (), WRONG),
    ("Tombuctou", "Tombouctou", (), (), (), TYPO),
    ("Tombuctu", "Tombouctou", (), (), (), TYPO),  # ten letters: two edits
    ("Tmbuctu", "Tombouctou", (), (), (), WRONG),
    ("Asimi Goïta", "Assimi Goïta", (), (), (), TYPO),
    ("Assmi Gota", "Assimi Goïta", (), (), (), TYPO),
    ("Asmi Gta", "Assimi Goïta", (), (), (), WRONG),
    ("Abdoulaye Diopp", "Abdoulaye Diop", (), (), (), TYPO),
    ("Ibrahim Boubakar Keita", "Ibrahim Boubacar Keïta", (), (), (), TYPO),
    ("El-Gassim Wan", "El-Ghassim Wane", (), (), (), TYPO),
    ("Macorn", "Emmanuel Macron", ("Macron",), (), (), TYPO),  # a typo of a variant
    ("Ouagadougo", "Ouagadougou", (), (), (), TYPO),
    # Acronyms are never fuzzy: one letter makes another organisation.
    ("MINUSCA", "MINUSMA", (), (), (), WRONG),
    ("Minusca", "MINUSMA", (), (), (), WRONG),
    ("MINSUMA", "MINUSMA", (), (), (), WRONG),
    ("MINUSM", "MINUSMA", (), (), (), WRONG),
    ("CEDAO", "CEDEAO", (), (), (), WRONG),
    ("ACLDE", "ACLED", (), (), (), WRONG),
    ("HWR", "HRW", (), (), (), WRONG),
    ("FAM", "FAMa", (), (), (), WRONG),
    ("IBJ", "Ibrahim Boubacar Keïta", ("IBK",), (), (), WRONG),
    # Digits are never fuzzy: 2020 is not 2021.
    ("2021", "2020", (), (), (), WRONG),
    ("Résolution 2101", "Résolution 2100", (), (), (), WRONG),
    ("G5 Sahell", "G5 Sahel", (), (), (), WRONG),
    ("Barkhane 2", "Barkhane", (), (), (), WRONG),
    # A confusable written out is wrong, however close it is.
    ("MINUSCA", "MINUSMA", (), ("MINUSCA", "MONUSCO"), (), WRONG),
    ("Serval", "Barkhane", (), ("Serval",), (), WRONG),
    ("Moussa Mara", "Moctar Ouane", (), ("Moussa Mara",), (), WRONG),
    ("Niger", "Mali", (), ("Niger",), (), WRONG),
    # A typo as close to a confusable or another name of the deck is refused.
    ("Barkhan", "Barkhane", (), ("Barkhana",), (), WRONG),
    ("Diap", "Diop", (), (), ("Diab",), WRONG),
    ("Kieta", "Keïta", (), (), ("Kita",), WRONG),
    ("Keitta", "Keïta", (), (), ("Kita",), TYPO),  # nearer the key than Kita
    ("Mal", "Mali", (), (), ("Mal",), WRONG),
    ("Goïta", "Goïta", (), (), ("Goïta",), EXACT),  # the key itself among the others
    ("Wagnr", "Wagner", ("groupe Wagner",), (), ("Wagner",), TYPO),
    # Nothing typed.
    ("", "Wagner", (), (), (), WRONG),
    ("   ", "Wagner", (), (), (), WRONG),
    ("?", "Wagner", (), (), (), WRONG),
]


@pytest.mark.parametrize(("typed", "answer", "accepted", "confusables", "others", "kind"), CASES)
def test_match_text(
    typed: str,
    answer: str,
    accepted: tuple[str, ...],
    confusables: tuple[str, ...],
    others: tuple[str, ...],
    kind: MatchKind,
) -> None:
    assert match_text(typed, answer, accepted, confusables, others).kind == kind


def test_exact_names_the_form_matched() -> None:
    assert match_text("ibk", "Ibrahim Boubacar Keïta", ["IBK"]) == TextMatch(EXACT, "IBK", 0)


def test_typo_names_the_nearest_form_and_the_edits() -> None:
    match = match_text("Macorn", "Emmanuel Macron", ["Macron"])
    assert (match.kind, match.form, match.distance) == (TYPO, "Macron", 1)
    match = match_text("Assmi Gota", "Assimi Goïta")
    assert (match.kind, match.form, match.distance) == (TYPO, "Assimi Goïta", 2)


def test_wrong_names_no_form() -> None:
    assert match_text("Poutine", "Wagner") == TextMatch(WRONG)


@pytest.mark.parametrize(
    ("key", "budget"),
    [
        ("ONU", 0),
        ("Gao", 0),
        ("l'UE", 0),
        ("Mali", 1),
        ("Wagner", 1),
        ("Barkhane", 1),
        ("Takuba", 1),
        ("Kremlin", 1),
        ("Bamakoise", 1),
        ("Tombouctou", 2),
        ("Assimi Goïta", 2),  # spaces do not count
        ("Côte d'Ivoire", 2),
        ("El-Ghassim Wane", 2),
    ],
)
def test_typo_budget(key: str, budget: int) -> None:
    assert typo_budget(key) == budget


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèïô -'", min_size=1, max_size=20)


@given(names)
def test_every_name_matches_itself(name: str) -> None:
    assert match_text(name, name).kind == (EXACT if name.strip() else WRONG)


@given(names, names)
def test_a_typo_is_within_the_budget(typed: str, key: str) -> None:
    match = match_text(typed, key)
    if match.kind == TYPO:
        assert 0 < match.distance <= typo_budget(key)


@given(st.from_regex(r"[A-Z]{2,8}", fullmatch=True), st.from_regex(r"[A-Z]{2,8}", fullmatch=True))
def test_acronyms_match_exactly_or_not_at_all(typed: str, key: str) -> None:
    assert match_text(typed, key).kind == (EXACT if typed == key else WRONG)
