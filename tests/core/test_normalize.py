"""Folding text for comparison: `normalize` for every answer, `loose` for names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maliquiz.core.text.normalize import has_digit, is_acronym, loose, normalize

# Every apostrophe, dash and space kind a keyboard, a phone or a copied article produces.
APOSTROPHES = ["'", "\u2019", "\u2018", "\u02bc", "`", "\u00b4", "\uff07"]
DASHES = ["-", "\u2013", "\u2014", "\u2011", "\u2012", "\u2212", "\u2010"]
SPACES = [" ", "\u00a0", "\u202f", "\u2009", "\t", "\u3000", "  ", " \n "]


@pytest.mark.parametrize("mark", APOSTROPHES)
def test_every_apostrophe_is_the_plain_one(mark: str) -> None:
    assert normalize(f"Côte d{mark}Ivoire") == "cote d'ivoire"


@pytest.mark.parametrize("dash", DASHES)
def test_every_dash_is_the_plain_one(dash: str) -> None:
    assert normalize(f"El{dash}Ghassim Wane") == "el-ghassim wane"


@pytest.mark.parametrize("space", SPACES)
def test_every_space_is_one_plain_space(space: str) -> None:
    assert normalize(f"15{space}000 casques{space}bleus") == "15 000 casques bleus"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Assimi Goïta", "assimi goita"),
        ("Ibrahim Boubacar Keïta", "ibrahim boubacar keita"),
        ("ÉTATS-UNIS", "etats-unis"),
        ("Sœur", "soeur"),
        ("ŒUVRE", "oeuvre"),
        ("Cæsar", "caesar"),
        ("Æ", "ae"),
        ("Straße", "strasse"),
        ("Ségou", "segou"),
        ("Tombouctou ", "tombouctou"),
        ("Kidal\n", "kidal"),
        ("Ménaka", "menaka"),
        ("Gao", "gao"),
        ("Mopti", "mopti"),
        ("Niamey", "niamey"),
        ("N’Djamena", "n'djamena"),
        ("Ouagadougou", "ouagadougou"),
        ("l´ONU", "l'onu"),  # an acute accent typed as an apostrophe stays one
        ("1ᵉʳ août 2020", "1er aout 2020"),  # superscripts fold to letters
        ("Ø", "o"),
        ("Łódź", "lodz"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize(raw: str, folded: str) -> None:
    assert normalize(raw) == folded


def test_normalize_keeps_punctuation_that_numbers_need() -> None:
    # The number parser reads normalized text: dots and commas must survive.
    assert normalize("2.000") == "2.000"
    assert normalize("1,5 million") == "1,5 million"
    assert normalize("nov. 2024") == "nov. 2024"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("États-Unis", "Etats Unis"),
        ("États-Unis", "etats-unis"),
        ("l'ONU", "ONU"),
        ("l’ONU", "onu"),
        ("O.N.U.", "ONU"),
        ("la CEDEAO", "CEDEAO"),
        ("le groupe Wagner", "groupe Wagner"),
        ("l'opération Barkhane", "opération Barkhane"),
        ("la task force Takuba", "Task Force Takuba"),
        ("au Mali", "Mali"),
        ("en Côte d'Ivoire", "Côte d’Ivoire"),
        ("El-Ghassim Wane", "El Ghassim Wane"),
        ("Al-Qaïda", "Al Qaida"),
        ("les Nations unies", "Nations-Unies"),
        ("Jean-Yves Le Drian", "Jean Yves Le Drian"),
        ("Burkina-Faso", "Burkina Faso"),
        ("Wagner !", "Wagner"),
        ("« Barkhane »", "Barkhane"),
    ],
)
def test_loose_equal(a: str, b: str) -> None:
    assert loose(a) == loose(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("MINUSMA", "MINUSCA"),
        ("Mali", "Malte"),
        ("Al-Qaïda", "Qaïda"),  # "Al" is part of the name, not a French article
        ("Côte d'Ivoire", "Côte Ivoire"),  # only a leading article goes
        ("Assimi Goïta", "Goïta"),
        ("Niger", "Nigeria"),
    ],
)
def test_loose_still_tells_names_apart(a: str, b: str) -> None:
    assert loose(a) != loose(b)


@pytest.mark.parametrize("text", ["Le", "la", "les", "l'", "Des"])
def test_loose_never_empties_a_lone_article(text: str) -> None:
    assert loose(text) == normalize(text).rstrip("'")


@pytest.mark.parametrize(
    "word", ["MINUSMA", "ONU", "CEDEAO", "ACLED", "HRW", "MINUSCA", "UE", "FAMa", "JNIM", "IBK"]
)
def test_acronyms(word: str) -> None:
    assert is_acronym(word)


@pytest.mark.parametrize(
    "word", ["Wagner", "Mali", "A", "Barkhane", "Minusma", "2020", "", "McDonald", "Le Drian"]
)
def test_not_acronyms(word: str) -> None:
    assert not is_acronym(word)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Résolution 2100", True), ("G5 Sahel", True), ("2020", True), ("Barkhane", False)],
)
def test_has_digit(text: str, expected: bool) -> None:
    assert has_digit(text) is expected


@given(st.text(max_size=40))
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


@given(st.text(max_size=40))
def test_loose_is_idempotent(text: str) -> None:
    assert loose(loose(text)) == loose(text)


@given(st.text(max_size=40))
def test_normalize_leaves_no_capital_mark_or_odd_space(text: str) -> None:
    folded = normalize(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert not any(c in folded for c in "\u00a0\u202f\u2009\t\n’‘ʼ–—")
    assert folded == folded.casefold()
