"""A deck file read again after an edit: where a card is written, and the library's
deck replaced when the file loads, kept when it does not."""

from __future__ import annotations

from pathlib import Path

from maliquiz.core.deck.library import Library
from maliquiz.core.deck.loader import card_line

DECK = "test-every-type"


def test_the_line_of_a_card_is_that_of_its_id(deck_file: Path) -> None:
    lines = deck_file.read_text(encoding="utf-8").splitlines()
    line = card_line(deck_file, "text-wagner")
    assert line is not None and lines[line - 1].strip() == "- id: text-wagner"
    assert card_line(deck_file, "no-such-card") is None
    assert card_line(deck_file.with_name("missing.yaml"), "text-wagner") is None
    # A deck with a schema error still has lines.
    deck_file.write_text(deck_file.read_text().replace("type: text\n", "type: txet\n"))
    assert card_line(deck_file, "text-wagner") == line


def test_reload_replaces_the_deck_or_keeps_it_and_says_why(deck_file: Path, data_dir: Path) -> None:
    library = Library.scan(data_dir)
    before = library.decks[0]
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("type: text\n", "type: txet\n"), encoding="utf-8")
    deck, errors = library.reload(DECK)
    assert deck is None and library.decks[0] is before
    assert [(e.line, e.col) for e in errors] == [(21, 11)]
    assert "unknown card type `txet`" in errors[0].format()

    edited = text.replace("id: tf-frais", "id: tf-vrai").replace(
        'title: "Deck de test', 'title: "Paquet de test'
    )
    deck_file.write_text(edited, encoding="utf-8")
    deck, errors = library.reload(DECK)
    assert errors == [] and deck is not None
    assert library.decks == [deck] and library.get(DECK) is deck
    assert "tf-vrai" in [card.id for card in deck.cards]
    assert library.outlines[0].title.startswith("Paquet de test")
