"""The claims inventory: its format, located errors, and coverage by the decks."""

from __future__ import annotations

from pathlib import Path

from maliquiz.core.deck.claims import (
    ClaimKind,
    check_against_articles,
    coverage,
    parse_claims,
)
from maliquiz.core.deck.files import deck_files
from maliquiz.core.deck.loader import parse_deck
from maliquiz.core.deck.models import Deck

DATA = Path(__file__).resolve().parents[1] / "data"

DECK = """\
id: d
title: T
sources:
  - {id: a, title: A, file: a.txt}
  - {id: b, title: B, file: b.txt}
cards:
  - {id: c1, type: text, prompt: Q1, answer: A, source: {ref: a, paragraph: 1}}
  - {id: c2, type: text, prompt: Q2, answer: A, source: [{ref: a, paragraph: 3}, {ref: b}]}
"""

CLAIMS = """\
articles:
  - file: a.txt
    paragraphs:
      - paragraph: 1
        claims:
          - {text: Un fait, kind: fact, cards: [d/c1]}
          - {text: Un chiffre, kind: figure, cards: [d/absent]}
      - paragraph: 2
        claims:
          - {text: Une opinion, kind: opinion, who: Quelqu'un}
      - paragraph: 3
        claims: []
      - paragraph: 4
        claims:
          - {text: Une date, kind: date, cards: [d/c2, x/y]}
  - file: b.txt
    paragraphs:
      - paragraph: 1
        claims:
          - {text: Un acteur, kind: actor, cards: [d/c2]}
"""


def deck() -> Deck:
    result = parse_deck(DECK, "d.yaml")
    assert result.deck is not None, result.findings
    return result.deck


def test_the_tests_claims_file_is_valid() -> None:
    claims = parse_claims((DATA / "claims.yaml").read_text(encoding="utf-8"), "claims.yaml")
    assert claims.findings == []
    assert claims.inventory is not None
    kinds = {c.kind for a in claims.inventory.articles for p in a.paragraphs for c in p.claims}
    assert kinds == set(ClaimKind)


def test_coverage_reports_claims_cards_and_paragraphs() -> None:
    claims = parse_claims(CLAIMS, "claims.yaml")
    assert claims.inventory is not None, claims.findings
    report = coverage(claims, [deck()])
    assert (report.claims, report.covered, report.percent) == (5, 3, 60.0)
    assert [(u.file, u.paragraph, u.text, u.kind, u.line) for u in report.uncovered] == [
        ("a.txt", 1, "Un chiffre", "figure", 7),
        ("a.txt", 2, "Une opinion", "opinion", 10),
    ]
    assert [(u.card, u.line, u.col) for u in report.unknown_cards] == [
        ("d/absent", 7, 54),
        ("x/y", 15, 56),
    ]
    # c2 cites the whole of b.txt: none of its paragraphs is left uncited.
    assert report.uncited_paragraphs == {"a.txt": [2, 4]}
    assert report.paragraphs == 5
    # With the articles read, their real length counts.
    longer = coverage(claims, [deck()], {"a.txt": 6, "b.txt": 2})
    assert longer.uncited_paragraphs == {"a.txt": [2, 4, 5, 6]}
    assert longer.to_dict()["coverage_percent"] == 60.0


def test_format_errors_are_located() -> None:
    text = """\
articles:
  - file: a.txt
    paragraphs:
      - paragraph: 0
        claims:
          - {text: X, kind: rumour, cards: [c1]}
          - {text: Y, kind: opinion, sayer: Z}
      - paragraph: 2
      - paragraph: 2
  - file: a.txt
"""
    findings = [(f.line, f.col, f.severity, f.message) for f in parse_claims(text, "c").findings]
    assert findings == [
        (4, 20, "error", "`paragraph`: Input should be greater than or equal to 1"),
        (6, 29, "error", "`kind`: Input should be 'fact', 'figure', 'date', 'actor' or 'opinion'"),
        (6, 45, "error", "'c1' is not a card, written `deck_id/card_id`"),
        (7, 38, "error", "unknown key `sayer`"),
    ]
    text = text.replace("0", "1").replace("rumour", "fact").replace("[c1]", "[d/c1]")
    text = text.replace(", sayer: Z", "")
    findings = [(f.line, f.severity, f.message) for f in parse_claims(text, "c").findings]
    assert findings == [
        (7, "warning", "an opinion says whose it is"),
        (9, "error", "paragraph 2 is listed twice"),
        (10, "error", "the article a.txt is listed twice"),
    ]
    assert [f.message for f in parse_claims("- a\n", "c").findings] == [
        "a claims file is a mapping with an `articles` list"
    ]
    assert parse_claims("articles: [\n", "c").findings[0].message.startswith("invalid YAML")


def test_inventory_against_the_articles() -> None:
    claims = parse_claims(CLAIMS, "claims.yaml")
    findings = check_against_articles(claims, {"a.txt": 3, "b.txt": None})
    assert [(f.line, f.message) for f in findings] == [
        (13, "paragraph 4 does not exist: the article has 3"),
        (16, "cannot read the article b.txt"),
    ]
    findings = check_against_articles(claims, {"a.txt": 5, "b.txt": 2})
    assert [f.message for f in findings] == [
        "paragraphs left out of the inventory: 5",
        "paragraphs left out of the inventory: 2",
    ]


def test_a_sources_folder_holds_no_decks(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "claims.yaml").write_text(CLAIMS)
    (tmp_path / "deck.yaml").write_text(DECK)
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "other.yaml").write_text(DECK)
    assert [p.relative_to(tmp_path).as_posix() for p in deck_files(tmp_path)] == [
        "deck.yaml",
        "more/other.yaml",
    ]
