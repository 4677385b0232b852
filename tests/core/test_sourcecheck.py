"""The check of answers against made-up articles: forms compared, misses located."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from maliquiz.core.deck.loader import parse_deck
from maliquiz.core.deck.sources import check_sources, dates_in, names_in, numbers_in, paragraphs
from maliquiz.core.text.dates import PartialDate

ARTICLE = """\
 date 2021-12 Le gouvernement a refusé plus de 2.000 soldats supplémentaires.

Quarante-six soldats ont été arrêtés le 29 juin ; dix ans de présence onusienne.
Le 15 novembre 2024, la mission a quitté le pays, selon Abdoulaye Diop.
Environ 2,5 millions de personnes déplacées.
"""

DECK = """\
id: d
title: T
sources:
  - {id: a, title: A, date: "2022", file: article.txt}
cards:
  - {id: n1, type: number, prompt: Combien ?, answer: "2 000", source: {ref: a, paragraph: 1}}
  - {id: n2, type: number, prompt: Combien donc ?, answer: "46", source: {ref: a, paragraph: 2}}
  - {id: n3, type: number, prompt: Combien encore ?, answer: "47", source: {ref: a, paragraph: 2}}
  - {id: d1, type: date, prompt: Quand ?, answer: "2024-11-15", source: {ref: a, paragraph: 3}}
  - {id: d2, type: date, prompt: Quand donc ?, answer: "2022-06-29", source: {ref: a, paragraph: 2}}
  - {id: d3, type: date, prompt: Quand encore ?, answer: "2023", source: {ref: a, paragraph: 3}}
  - {id: t1, type: text, prompt: Qui ?, answer: Abdoulaye Diop, source: {ref: a, paragraph: 3}}
  - {id: t2, type: text, prompt: Qui donc ?, answer: Matthew Miller, source: {ref: a, paragraph: 3}}
  - {id: c1, type: cloze, prompt: "{{2,5}} millions de {{déplacés|personnes déplacées}}", source: {ref: a, paragraph: 4}}
  - {id: p9, type: truefalse, prompt: P, answer: true, source: {ref: a, paragraph: 9}}
"""


def run(tmp_path: Path, deck: str = DECK) -> list[tuple[int, str]]:
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    result = parse_deck(deck, "deck.yaml")
    assert result.deck is not None, result.findings
    return [(f.line, f.message) for f in check_sources(result, tmp_path)]


def test_paragraphs_are_non_empty_lines() -> None:
    assert len(paragraphs(ARTICLE)) == 4


def test_numbers_in_any_form() -> None:
    found = numbers_in(ARTICLE)
    assert {Decimal(2000), Decimal(46), Decimal(10), Decimal(2500000)} <= found


def test_dates_take_the_sources_year() -> None:
    found = dates_in("le 29 juin ; 2021-12 ; 15 novembre 2024", 2022)
    assert {PartialDate(2022, 6, 29), PartialDate(2021, 12), PartialDate(2024, 11, 15)} <= found


def test_only_the_wrong_answers_are_warned(tmp_path: Path) -> None:
    warnings = run(tmp_path)
    messages = [m for _, m in warnings]
    assert messages == [
        "the number 47 is not in the cited paragraph",
        "the date 2023 is not in the cited paragraph",
        "“Matthew Miller” is not in the cited paragraph",
        "paragraph 9 does not exist: the article has 4",
    ]
    assert [line for line, _ in warnings] == [8, 11, 13, 15]


def test_missing_article_file(tmp_path: Path) -> None:
    result = parse_deck(DECK, "deck.yaml")
    [finding] = check_sources(result, tmp_path)
    assert "cannot read the source file" in finding.message


def test_names_are_whole_words(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Les soldats venus du Nigeria.\nLe Niger voisin.\n")
    deck = """\
id: d
title: T
sources: [{id: a, title: A, file: a.txt}]
cards:
  - {id: t1, type: text, prompt: Où ?, answer: Niger, source: {ref: a, paragraph: 1}}
  - {id: t2, type: text, prompt: Où donc ?, answer: Niger, source: {ref: a, paragraph: 2}}
"""
    result = parse_deck(deck, "deck.yaml")
    assert [(f.line, f.message) for f in check_sources(result, tmp_path)] == [
        (5, "“Niger” is not in the cited paragraph")
    ]


def test_relative_years_and_slashed_dates() -> None:
    found = dates_in("L’année dernière, puis le 15/11/2024 et en 11/2023.", 2022)
    assert {PartialDate(2021), PartialDate(2024, 11, 15), PartialDate(2023, 11)} <= found
    # Without the article's date, "l'année dernière" is no year at all.
    assert PartialDate(2021) not in dates_in("l'an dernier", None)
    # A day and a month never read as a year or a month across other digits.
    assert dates_in("les 300 juin", 2022) == set()


def test_names_in_a_phrase() -> None:
    assert names_in("Burkina Faso et Niger") == ["Burkina", "Faso", "Niger"]
    assert names_in("l'ONU") == ["ONU"]
    assert names_in("La France et les États-Unis") == ["France", "États-Unis"]
    assert names_in("une société de sécurité russe") == []


def test_choices_and_cloze_gaps(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Le Burkina Faso et le Niger redoutent la contagion.\n"
        "Des instructeurs sont arrivés l'année dernière, le 15 novembre 2021.\n"
    )
    deck = """\
id: d
title: T
sources: [{id: a, title: A, date: "2022-02", file: a.txt}]
cards:
  - id: c1
    type: choice
    prompt: Quels voisins ?
    options: [Burkina Faso et Niger, Sénégal et Guinée, Algérie et Mauritanie]
    answer: Burkina Faso et Niger
    source: {ref: a, paragraph: 1}
  - id: c2
    type: choice
    prompt: Quels voisins donc ?
    options: [Burkina Faso et Niger, Sénégal et Guinée, Algérie et Mauritanie]
    answer: Sénégal et Guinée
    source: {ref: a, paragraph: 1}
  - id: c3
    type: choice
    prompt: Quelle année ?
    options: ["2020", "2021", "2022"]
    answer: "2021"
    source: {ref: a, paragraph: 2}
  - id: c4
    type: choice
    prompt: Quelle année donc ?
    options: ["2020", "2021", "2022"]
    answer: "2020"
    source: {ref: a, paragraph: 2}
  - id: z1
    type: cloze
    prompt: Arrivés le {{15 novembre 2021|15/11/2021}}.
    source: {ref: a, paragraph: 2}
  - id: z2
    type: cloze
    prompt: Arrivés le {{16 novembre 2021}}.
    source: {ref: a, paragraph: 2}
"""
    result = parse_deck(deck, "deck.yaml")
    assert result.deck is not None, result.findings
    assert [(f.line, f.message) for f in check_sources(result, tmp_path)] == [
        (15, "“Sénégal” is not in the cited paragraph"),
        (27, "the number 2020 is not in the cited paragraph"),
        (35, "the gap “16 novembre 2021” is not in the cited paragraph"),
    ]


def test_windows_articles_with_a_byte_order_mark(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(
        "\ufeffAbdoulaye Diop a parlé.\r\n\r\nIl y avait 300 soldats.\r\n".encode()
    )
    deck = """\
id: d
title: T
sources: [{id: a, title: A, file: a.txt}]
cards:
  - {id: t1, type: text, prompt: Qui ?, answer: Abdoulaye Diop, source: {ref: a, paragraph: 1}}
  - {id: n1, type: number, prompt: Combien ?, answer: "300", source: {ref: a, paragraph: 2}}
"""
    assert check_sources(parse_deck(deck, "deck.yaml"), tmp_path) == []


def test_a_variant_does_not_vouch_for_a_different_answer(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Le ministre Abdoulaye Diop et le président Keita.\n")
    deck = """\
id: d
title: T
sources: [{id: a, title: A, file: a.txt}]
cards:
  - {id: t1, type: text, prompt: Qui ?, answer: Abdoulaye Traoré, accept: [Diop], source: {ref: a, paragraph: 1}}
  - {id: t2, type: text, prompt: Qui donc ?, answer: IBK, accept: [Keita], source: {ref: a, paragraph: 1}}
  - {id: t3, type: text, prompt: Qui encore ?, answer: Diop Abdoulaye, accept: [Abdoulaye Diop], source: {ref: a, paragraph: 1}}
"""
    warnings = [(f.line, f.message) for f in check_sources(parse_deck(deck, "deck.yaml"), tmp_path)]
    # A short form the article never uses is flagged too: the answer shown to learners
    # should be the article's own form.
    assert warnings == [
        (5, "“Abdoulaye Traoré” is not in the cited paragraph"),
        (6, "“IBK” is not in the cited paragraph"),
    ]


PLANTED_ARTICLE = """\
 date 2021-12 Le Mali a refusé 2.000 soldats supplémentaires de la MINUSMA, selon le département d'Etat.
La MINUSMA comptait 15.000 casques bleus. Le Mali reste au cœur de la crise.
Le président Ibrahim Boubacar Keita a été renversé en août 2020 par des officiers.
Les soldats français quittent le Mali ; l'opération Barkhane s'achève le 17 février 2022.
"""

PLANTED = """\
id: d
title: T
sources: [{id: a, title: A, date: "2021-12", file: a.txt}]
cards:
  - id: m1
    type: match
    prompt: Associez chaque chiffre à ce qu'il compte.
    pairs:
      - {left: "2 000", right: soldats refusés}
      - {left: "16 000", right: casques bleus}
      - {left: août 2020, right: renversement de Keita}
    source: {ref: a, paragraph: [1, 2, 3]}
  - id: o1
    type: order
    prompt: Classez du plus ancien au plus récent.
    items:
      - Renversement d'Ibrahim Boubacar Keita (août 2021)
      - Refus des renforts
      - Fin de l'opération Serval
    source: {ref: a, paragraph: [1, 3, 4]}
  - id: f1
    type: flashcard
    prompt: Que dit le paragraphe 2 de l'article de décembre 2021 ?
    back: Selon Washington, la MINUSMA comptait 15 000 casques bleus.
    explanation: Wagner est cité plus loin ; Emmanuel Macron aussi.
    source: {ref: a, paragraph: 2}
  - id: t1
    type: truefalse
    prompt: "En 2021, le Mali a refusé 3 000 soldats ; la France n'a rien dit."
    answer: false
    source: {ref: a, paragraph: 1}
  - id: x1
    type: text
    prompt: Quelle opération française s'achève en février 2022 ?
    answer: Barkhane
    accept: [opération Barkhane, Barkhane 2, BKN, Operation Lumière]
    source: {ref: a, paragraph: 4}
  - id: n1
    type: number
    prompt: Combien de soldats la MINUSMA a-t-elle demandés en plus ?
    answer: "2 000"
    unit: soldats de la CEDEAO
    source: {ref: a, paragraph: 1}
"""


def test_every_string_is_read_and_planted_figures_are_found(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLANTED_ARTICLE, encoding="utf-8")
    result = parse_deck(PLANTED, "deck.yaml")
    assert result.deck is not None, result.findings
    warnings = [(f.line, f.col, f.message) for f in check_sources(result, tmp_path)]
    assert warnings == [
        # The planted figure of a match, not its right figures nor the date in words.
        (10, 16, "the number 16 000 is in none of the cited paragraphs"),
        # An order item: a wrong year, a name the paragraphs never give.
        (17, 9, "the date “août 2021” is in none of the cited paragraphs"),
        (19, 9, "the name “Serval” is in none of the cited paragraphs"),
        # A flashcard: back and explanation; "Que", "Selon", the article's own date and
        # the paragraph number are no claims; "Wagner" opens a sentence and no article
        # uses it as a name.
        (24, 11, "the name “Washington” is in none of the cited paragraphs"),
        (25, 18, "the name “Emmanuel Macron” is in none of the cited paragraphs"),
        # A true/false statement is read like any other ("France" is not "français":
        # paragraph 1 names no French).
        (29, 13, "the number 3 000 is in none of the cited paragraphs"),
        (29, 13, "the name “France” is in none of the cited paragraphs"),
        # Accepted variants: a number is a claim; an acronym (BKN) is a short form; a
        # name that no article knows is reported.
        (36, 34, "the number 2 is in none of the cited paragraphs"),
        (36, 51, "the name “Lumière” is in none of the cited paragraphs"),
        # A unit that brings its own actor.
        (42, 11, "the name “CEDEAO” is in none of the cited paragraphs"),
    ]


def test_mentions_leave_out_sentence_starts_common_words_and_paragraph_numbers() -> None:
    from maliquiz.core.deck.mentions import mentions_in

    shown = [
        (m.kind, m.shown)
        for m in mentions_in(
            "Quel ministre de la Défense ? Selon M. Diop, l'ONU et le G5 Sahel (paragraphe 3), "
            "le 1er mars et le 29 juin. Wagner aussi.",
            frozenset({"wagner"}),
        )
    ]
    assert shown == [
        ("date", "1er mars"),
        ("date", "29 juin"),
        ("name", "Diop"),
        ("name", "ONU"),
        ("name", "G5 Sahel"),
        ("name", "Wagner"),
    ]
