"""The plain line mode's `:o` command and the lines it prints after an answer, driven
in-process over a real store, a manual clock and text streams."""

from __future__ import annotations

import io

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.display import verdict_label
from maliquiz.core.learning.questions import Mode
from maliquiz.core.learning.session import StudySession
from maliquiz.core.progress.store import Store
from maliquiz.i18n import set_language
from maliquiz.plain.study import PlainStudy


def run(store: Store, deck: Deck, lines: list[str]) -> list[str]:
    """What the plain mode prints for ``lines`` typed, cut at each prompt: the text
    printed after each line read (the first piece is what came before any)."""
    out = io.StringIO()
    PlainStudy(StudySession(store, "awa", [deck]), io.StringIO("\n".join(lines) + "\n"), out).run()
    return out.getvalue().split("> ")


def test_a_rated_flashcard_says_its_rating(store: Store, deck: Deck) -> None:
    pieces = run(store, deck, ["", "2", ":q"])
    assert pieces[2].startswith("± Your rating: Hard\n")
    assert "Partly correct" not in "".join(pieces)


def test_the_verdict_line_of_a_flashcard_is_its_rating() -> None:
    assert verdict_label(Outcome.WRONG, Mode.FLASHCARD, 1) == "Your rating: Again"
    assert verdict_label(Outcome.CORRECT, Mode.FLASHCARD, 4) == "Your rating: Easy"
    # A checked answer keeps the checker's verdict.
    assert verdict_label(Outcome.PARTIAL, Mode.TYPED, 2) == "Partly correct"
    set_language("fr")
    assert verdict_label(Outcome.WRONG, Mode.FLASHCARD, 1) == "Votre note : À revoir"
    assert verdict_label(Outcome.TYPO, Mode.CHOICE, 3) == "Correct, avec une faute de frappe"
