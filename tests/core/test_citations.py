"""A card citing several paragraphs or articles: `source` as a list of {ref, paragraph}."""

from __future__ import annotations

from pathlib import Path

from maliquiz.core.deck.loader import parse_deck
from maliquiz.core.deck.models import Deck
from maliquiz.core.deck.sources import check_sources
from maliquiz.core.interchange.gift_export import export_gift
from maliquiz.core.interchange.gift_import import import_gift
from maliquiz.core.interchange.labels import source_line as export_source_line
from maliquiz.core.learning.display import source_line
from maliquiz.core.learning.questions import SourceInfo, sources_info
from maliquiz.i18n import set_language

DECK = """\
id: d
title: T
language: fr
sources:
  - {id: a, title: Premier, date: "2023-06", file: a.txt}
  - {id: b, title: Second, outlet: Agence, file: b.txt}
cards:
  - id: one
    type: text
    prompt: Qui ?
    answer: Abdoulaye Diop
    source: {ref: a, paragraph: 1}
  - id: both
    type: text
    prompt: Qui a parlé à Bamako ?
    answer: Abdoulaye Diop
    source:
      - {ref: a, paragraph: 1}
      - {ref: b, paragraph: [1, 2]}
  - {id: none, type: flashcard, prompt: Q, back: R}
"""


def deck() -> Deck:
    result = parse_deck(DECK, "d.yaml")
    assert result.deck is not None, result.findings
    return result.deck


def test_sources_lists_every_citation() -> None:
    one, both, none = deck().cards
    assert [(s.ref, s.paragraphs) for s in one.sources] == [("a", [1])]
    assert [(s.ref, s.paragraphs) for s in both.sources] == [("a", [1]), ("b", [1, 2])]
    assert none.sources == []
    assert [(s.title, n) for s, n in deck().citations(both)] == [
        ("Premier", [1]),
        ("Second", [1, 2]),
    ]


def test_loader_locates_errors_inside_a_list() -> None:
    text = """\
id: d
title: T
sources: [{id: a, title: A}, {id: b, title: B}]
cards:
  - id: c1
    type: text
    prompt: Q
    answer: A
    source:
      - {ref: a, paragraph: 1}
      - {ref: bb, paragraph: 2}
  - {id: c2, type: text, prompt: Q2, answer: A, source: []}
  - {id: c3, type: text, prompt: Q3, answer: A, source: a}
  - {id: c4, type: text, prompt: Q4, answer: A, source: [{ref: a, paragraf: 1}, {ref: b, paragraph: 0}]}
"""
    findings = [(f.line, f.col, f.message, f.hint) for f in parse_deck(text, "d.yaml").findings]
    assert findings == [
        (11, 15, "the source `bb` is not in the deck's `sources`", "did you mean `b`?"),
        (12, 57, "`source` has 0 items; it needs 1 to ∞", None),
        (13, 57, "`source` should be a mapping, not a", None),
        (14, 67, "unknown key `paragraf`", "did you mean `paragraph`?"),
        (14, 101, "paragraphs are counted from 1", None),
    ]


def test_study_screen_and_plain_mode_show_every_source() -> None:
    set_language("en")
    one, both, _none = deck().cards
    infos = sources_info(deck(), both)
    assert [i.title for i in infos] == ["Premier", "Second"]
    assert (
        source_line(infos) == "Premier (juin 2023), paragraph 1; Second (Agence), paragraphs 1, 2"
    )
    # One source reads as before.
    assert source_line(sources_info(deck(), one)) == "Premier (juin 2023), paragraph 1"
    assert source_line(SourceInfo("T", None, ())) == "T"
    assert source_line(()) is None


def test_exports_print_every_citation() -> None:
    one, both, none = deck().cards
    assert export_source_line(deck(), one) == "Source : Premier (juin 2023), § 1"
    assert (
        export_source_line(deck(), both)
        == "Sources : Premier (juin 2023), § 1 ; Second (Agence), § 1, 2"
    )
    assert export_source_line(deck(), none) is None


def test_gift_round_trip_keeps_the_list() -> None:
    text, _warnings = export_gift(deck())
    cards = {c["id"]: c for c in import_gift(text, "d").deck["cards"]}
    assert cards["both"]["source"] == [
        {"ref": "a", "paragraph": 1},
        {"ref": "b", "paragraph": [1, 2]},
    ]
    assert cards["one"]["source"] == {"ref": "a", "paragraph": 1}


def test_source_check_reads_every_cited_paragraph(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Abdoulaye Diop a demandé le départ.\nAutre chose.\n")
    (tmp_path / "b.txt").write_text("À Bamako, le ministre a parlé.\nIl a parlé vendredi.\n")
    assert check_sources(parse_deck(DECK, "d.yaml"), tmp_path) == []
    beyond = DECK.replace("{ref: b, paragraph: [1, 2]}", "{ref: b, paragraph: [1, 7]}")
    [finding] = check_sources(parse_deck(beyond, "d.yaml"), tmp_path)
    assert (finding.line, finding.col) == (19, 29)
    assert finding.message == "paragraph 7 does not exist: the article has 2"
    # Without the second article, Bamako is in none of the cited paragraphs.
    alone = DECK.replace("      - {ref: b, paragraph: [1, 2]}\n", "")
    [finding] = check_sources(parse_deck(alone, "d.yaml"), tmp_path)
    assert finding.line == 15
    assert finding.message == "the name “Bamako” is in none of the cited paragraphs"
