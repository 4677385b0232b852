"""People's names typed surname first: only the key's own parts (and its variants'), with
the usual typo budget, never another name of the deck."""

from __future__ import annotations

import pytest

from maliquiz.core.answers.checking import check_answer, names_a_person
from maliquiz.core.answers.textmatch import (
    MatchKind,
    TextMatch,
    looks_like_a_name,
    match_text,
    name_orders,
)
from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import EntityKind, TextCard
from maliquiz.core.text.normalize import loose
from maliquiz.i18n import set_language

EXACT, TYPO, WRONG = MatchKind.EXACT, MatchKind.TYPO, MatchKind.WRONG
C, T, W = Outcome.CORRECT, Outcome.TYPO, Outcome.WRONG


@pytest.mark.parametrize(
    ("name", "orders"),
    [
        ("Assimi Goïta", ["Goïta Assimi"]),
        ("Jean-Yves Le Drian", ["Le Drian Jean-Yves"]),
        ("Pierre de la Fontaine", ["de la Fontaine Pierre"]),
        ("Iyad Ag Ghaly", ["Ag Ghaly Iyad"]),
        ("Binta Sidibe Gascon", ["Sidibe Gascon Binta", "Gascon Binta Sidibe"]),
        ("Ibrahim Boubacar Keïta", ["Boubacar Keïta Ibrahim", "Keïta Ibrahim Boubacar"]),
        ("El-Ghassim Wane", ["Wane El-Ghassim"]),
        ("Wagner", []),
        ("MINUSMA", []),
        ("IBK", []),
        ("Résolution 2100", []),
    ],
)
def test_name_orders(name: str, orders: list[str]) -> None:
    assert name_orders(name) == orders


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Assimi Goïta", True),
        ("Jean-Yves Le Drian", True),
        ("Iyad Ag Ghaly", True),
        ("Côte d'Ivoire", False),
        ("État islamique", False),
        ("Conseil de sécurité", False),
        ("Le Figaro", False),  # one part
        ("Wagner", False),
        ("MINUSMA", False),
        ("G5 Sahel", False),
    ],
)
def test_looks_like_a_name(text: str, name: bool) -> None:
    assert looks_like_a_name(text) is name


CASES = [
    # typed, answer, accepted, confusables, others, kind
    ("Goïta Assimi", "Assimi Goïta", (), (), (), EXACT),
    ("Goita Assimi", "Assimi Goïta", (), (), (), EXACT),
    ("GOITA, Assimi", "Assimi Goïta", (), (), (), EXACT),
    ("Diop Abdoulaye", "Abdoulaye Diop", (), (), (), EXACT),
    ("Le Drian Jean-Yves", "Jean-Yves Le Drian", (), (), (), EXACT),
    ("le drian jean yves", "Jean-Yves Le Drian", (), (), (), EXACT),
    ("Macron Emmanuel", "Emmanuel Macron", ("Macron",), (), (), EXACT),
    ("Keïta Ibrahim Boubacar", "Ibrahim Boubacar Keïta", (), (), (), EXACT),
    ("Gascon Sidibe", "Binta Sidibe Gascon", ("Sidibe Gascon",), (), (), EXACT),  # a variant
    # The typo budget is the whole answer's, as in the written order.
    ("Goita Asimi", "Assimi Goïta", (), (), (), TYPO),
    ("Gotia Asimi", "Assimi Goïta", (), (), (), TYPO),
    ("Gota Asmi", "Assimi Goïta", (), (), (), WRONG),
    ("Drian Jean-Yves", "Jean-Yves Le Drian", (), (), (), WRONG),  # the particle is the name
    # Only the key's own parts: a surname or a given name alone is what it was.
    ("Goïta", "Assimi Goïta", (), (), (), WRONG),
    ("Le Drian", "Jean-Yves Le Drian", (), (), (), WRONG),
    ("Emmanuel", "Emmanuel Macron", (), (), (), WRONG),
    ("Drian Le Jean-Yves", "Jean-Yves Le Drian", (), (), (), WRONG),
    ("Diop Assimi", "Abdoulaye Diop", (), (), (), WRONG),
    ("Ghaly Iyad Ag", "Iyad Ag Ghaly", (), (), (), WRONG),
    # Another name of the deck, in any order, still wins when as close.
    ("Goïta Assimi", "Abdoulaye Diop", (), (), ("Assimi Goïta",), WRONG),
    ("Mohamed Ahmed", "Ahmed Mohamed", (), (), ("Mohamed Ahmed",), WRONG),
    ("Ahmed Mohamed", "Ahmed Mohamed", (), (), ("Mohamed Ahmed",), EXACT),
    ("Keita Moussa", "Moussa Keïta", (), (), ("Moussa Kéita",), EXACT),  # the key again
    ("Traore Mousa", "Moussa Traoré", (), (), ("Traoré Moussa",), WRONG),
    ("Traore Mousa", "Moussa Traoré", (), (), ("Moussa Traoré",), TYPO),
    ("Diarra Moussa", "Moussa Traoré", (), ("Moussa Diarra",), (), WRONG),  # a confusable
    # Acronyms and digits are unchanged.
    ("MINUSCA", "MINUSMA", (), (), (), WRONG),
    ("Minusca", "MINUSMA", (), (), (), WRONG),
    ("2100 Résolution", "Résolution 2100", (), (), (), WRONG),
]


@pytest.mark.parametrize(("typed", "answer", "accepted", "confusables", "others", "kind"), CASES)
def test_match_in_any_order(
    typed: str,
    answer: str,
    accepted: tuple[str, ...],
    confusables: tuple[str, ...],
    others: tuple[str, ...],
    kind: MatchKind,
) -> None:
    match = match_text(typed, answer, accepted, confusables, others, any_order=True)
    assert match.kind == kind, match


def test_a_match_turned_round_names_the_order() -> None:
    match = match_text("Goïta Assimi", "Assimi Goïta", any_order=True)
    assert match == TextMatch(EXACT, "Assimi Goïta", 0, "Goïta Assimi")
    assert match_text("Assimi Goïta", "Assimi Goïta", any_order=True).order is None


def test_the_order_matters_unless_asked() -> None:
    assert match_text("Goïta Assimi", "Assimi Goïta").kind == WRONG


def card(
    answer: str, kind: EntityKind = EntityKind.OTHER, accept: tuple[str, ...] = ()
) -> TextCard:
    return TextCard(id="t", type="text", prompt="?", answer=answer, kind=kind, accept=list(accept))


@pytest.mark.parametrize(
    ("answer", "kind", "person"),
    [
        ("Assimi Goïta", EntityKind.PERSON, True),
        ("Assimi Goïta", EntityKind.OTHER, True),  # written like a name
        ("Jean d'Ormesson", EntityKind.PERSON, True),
        ("Burkina Faso", EntityKind.COUNTRY, False),
        ("Human Rights Watch", EntityKind.ORGANISATION, False),
        ("Côte d'Ivoire", EntityKind.OTHER, False),
        ("État islamique", EntityKind.OTHER, False),
    ],
)
def test_names_a_person(answer: str, kind: EntityKind, person: bool) -> None:
    assert names_a_person(card(answer, kind)) is person


@pytest.mark.parametrize(
    ("typed", "answer", "kind", "outcome"),
    [
        ("Goïta Assimi", "Assimi Goïta", EntityKind.PERSON, C),
        ("Goïta Assimi", "Assimi Goïta", EntityKind.OTHER, C),
        ("Goita Asimi", "Assimi Goïta", EntityKind.PERSON, T),
        ("Faso Burkina", "Burkina Faso", EntityKind.COUNTRY, W),  # places keep their order
        ("Watch Human Rights", "Human Rights Watch", EntityKind.ORGANISATION, W),
        ("Goïta", "Assimi Goïta", EntityKind.PERSON, W),
    ],
)
def test_text_answers_in_any_order(
    typed: str, answer: str, kind: EntityKind, outcome: Outcome
) -> None:
    assert check_answer(card(answer, kind), typed).outcome == outcome


def test_deck_names_block_a_name_turned_round() -> None:
    key = card("Abdoulaye Diop", EntityKind.PERSON)
    others = ["Assimi Goïta", "Abdoulaye Diop"]
    assert check_answer(key, "Goïta Assimi", others=others).outcome == W
    assert check_answer(key, "Diop Abdoulaye", others=others).outcome == C


def test_a_name_turned_round_is_shown_as_read() -> None:
    verdict = check_answer(card("Assimi Goïta", EntityKind.PERSON), "Goïta Assimi")
    assert verdict.read_as == "read as Assimi Goïta"
    assert verdict.detail is None
    typo = check_answer(card("Assimi Goïta", EntityKind.PERSON), "Goita Asimi")
    assert typo.outcome == T and typo.read_as == "read as Assimi Goïta"
    assert "".join(p.expected for p in typo.diff) == "Goïta Assimi"
    set_language("fr")
    verdict = check_answer(card("Jean-Yves Le Drian", EntityKind.PERSON), "Le Drian Jean-Yves")
    assert verdict.read_as == "lu comme Jean-Yves Le Drian"


def test_a_name_in_its_order_is_not_shown_again() -> None:
    assert check_answer(card("Assimi Goïta", EntityKind.PERSON), "assimi goita").read_as is None
    assert check_answer(card("Assimi Goïta", EntityKind.PERSON), "Asimi Goïta").read_as is None


def test_loose_may_keep_the_leading_particle() -> None:
    assert loose("Le Drian Jean-Yves") == "drian jean yves"
    assert loose("Le Drian Jean-Yves", keep_articles=True) == "le drian jean yves"
