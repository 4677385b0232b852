"""The plain line mode's `:o` command and the lines it prints after an answer, driven
in-process over a real store, a manual clock and text streams."""

from __future__ import annotations

import io
from typing import Any

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.display import studied_line, verdict_label
from maliquiz.core.learning.questions import Mode
from maliquiz.core.learning.session import StudySession
from maliquiz.core.progress.store import Store
from maliquiz.i18n import set_language
from maliquiz.plain.study import PlainStudy


def run(store: Store, deck: Deck, lines: list[str], **options: Any) -> list[str]:
    """What the plain mode prints for ``lines`` typed, cut at each prompt: the text
    printed after each line read (the first piece is what came before any)."""
    out = io.StringIO()
    session = StudySession(store, "awa", [deck], **options)
    PlainStudy(session, io.StringIO("\n".join(lines) + "\n"), out).run()
    return out.getvalue().split("> ")


def test_override_after_dont_know_says_to_undo(store: Store, deck: Deck) -> None:
    pieces = run(store, deck, [":o", "", "3", "", ":o", ":q"])
    assert pieces[1].strip() == "Nothing to override."  # nothing answered yet
    # The flashcard rated, then "I don't know" on the next card: no verdict to change.
    assert pieces[5].split("\n")[0].strip() == (
        "Nothing to override: the last answer was \"I don't know\" or a flashcard's rating."
    )
    assert pieces[5].split("\n")[1].strip() == "Type :u to undo it and answer again."


def test_override_prints_the_question_again(store: Store, deck: Deck) -> None:
    pieces = run(store, deck, ["", "3", "Zorro", ":o", ":q"])
    text = pieces[4]
    assert "Verdict changed:\n✓ Correct\n" in text
    # The override's feedback is about the card before: the question on screen (the
    # third card) is printed again under it, so the prompt is not a bare "> ".
    third = deck.cards[2].prompt
    assert third in pieces[3]
    after = text.split("Next review:")[-1]
    assert third in after and after.rstrip("\n").endswith(pieces[3].rstrip("\n").split("\n")[-1])


def test_override_at_a_rating_prompt_shows_the_flashcard_again(store: Store, deck: Deck) -> None:
    # The flashcard forgotten, a name answered wrong, then the flashcard again (its
    # step is the first due): `:o` at its rating prompt changes the name's verdict.
    only = [(deck.id, "flash-minusma"), (deck.id, "text-wagner")]
    pieces = run(store, deck, ["", "1", "Zorro", "", ":o", "3", ":q"], only=only)
    assert "Zorro" in pieces[3] and "Que signifie MINUSMA ?" in pieces[3]
    text = pieces[5]
    assert text.startswith("  Verdict changed:\n✓ Correct\n")
    # Under it, the flashcard on screen: its front, its back and the ratings.
    reminder = text.split("Que signifie MINUSMA ?")[-1]
    assert "Mission multidimensionnelle" in reminder and "1) Again" in reminder
    assert "press Enter" not in reminder  # the back is on screen already
    assert text.endswith("rate 1-4")  # the prompt that follows is the rating's
    assert pieces[6].startswith("✓ Your rating: Good")


def test_a_rated_flashcard_says_its_rating(store: Store, deck: Deck) -> None:
    pieces = run(store, deck, ["", "2", ":q"])
    assert pieces[2].startswith("± Your rating: Hard\n")
    assert "Partly correct" not in pieces[2]  # the summary counts it under its outcome


def test_the_verdict_line_of_a_flashcard_is_its_rating() -> None:
    assert verdict_label(Outcome.WRONG, Mode.FLASHCARD, 1) == "Your rating: Again"
    assert verdict_label(Outcome.CORRECT, Mode.FLASHCARD, 4) == "Your rating: Easy"
    # A checked answer keeps the checker's verdict.
    assert verdict_label(Outcome.PARTIAL, Mode.TYPED, 2) == "Partly correct"
    set_language("fr")
    assert verdict_label(Outcome.WRONG, Mode.FLASHCARD, 1) == "Votre note : À revoir"
    assert verdict_label(Outcome.TYPO, Mode.CHOICE, 3) == "Correct, avec une faute de frappe"


def test_the_summary_counts_cards_and_answers(store: Store, deck: Deck) -> None:
    only = [(deck.id, "flash-minusma"), (deck.id, "text-wagner")]
    # The flashcard forgotten, a name answered wrong, the flashcard again (Good).
    pieces = run(store, deck, ["", "1", "Zorro", "", "3", ":q"], only=only)
    assert "\n2 cards studied (3 answers), 33% right in 0 s.\n" in pieces[-1]
    # Then the answers by outcome, as the app's summary lists them.
    assert "\n  Correct 1 · Wrong 2\n" in pieces[-1]
    # Each card answered once: the answers go without saying.
    pieces = run(store, deck, ["2", ":q"], only=[(deck.id, "tf-frais")])
    assert "\n1 card studied, 100% right in 0 s.\n" in pieces[-1]
    set_language("fr")
    assert studied_line(3, 2) == "2 cartes révisées (3 réponses)"
    assert studied_line(1_500, 1_200) == "1\u202f200 cartes révisées (1\u202f500 réponses)"


def test_dont_know_says_not_answered_as_the_summary_does(store: Store, deck: Deck) -> None:
    # Each checked card left with an empty line: recorded as not answered (the app's
    # summary lists it so), its feedback says so too, and shows the answer.
    checked = [card.id for card in deck.cards if card.type != "flashcard"]  # graded ones
    for card in checked:
        pieces = run(store, deck, ["", ":q"], only=[(deck.id, card)])
        lines = pieces[1].splitlines()
        assert lines[0] == "✗ Not answered", (card, lines)
        assert any(line.startswith("  Answer: ") for line in lines), (card, lines)
        assert "Your answer" not in pieces[1]
    outcomes = [row.outcome for row in store.reviews("awa")]
    assert len(checked) == 8 and outcomes == [Outcome.SKIPPED] * len(checked)


def test_a_wrong_answer_still_says_wrong(store: Store, deck: Deck) -> None:
    pieces = run(store, deck, ["Zorro", ":q"], only=[(deck.id, "text-wagner")])
    assert pieces[1].startswith("✗ Wrong\n  Your answer: Zorro\n")


def test_dont_know_says_not_answered_in_french(store: Store, deck: Deck) -> None:
    set_language("fr")
    pieces = run(store, deck, ["", ":q"], only=[(deck.id, "text-wagner")])
    lines = pieces[1].splitlines()
    assert lines[0] == "✗ Sans réponse"
    assert lines[1].startswith("  Réponse : ")


def test_a_bury_is_undone_and_its_card_asked_again(store: Store, deck: Deck) -> None:
    pieces = run(store, deck, [":b", ":u", ":q"])
    first = deck.cards[0].prompt
    assert first in pieces[0] and first not in pieces[1]  # buried: the next card
    assert "Bury undone; here is the card again." in pieces[2] and first in pieces[2]
    record = store.card("awa", deck.id, deck.cards[0].id)
    assert record is None or record.buried_until is None


def test_an_empty_session_under_a_lower_new_limit_says_so(store: Store, deck: Deck) -> None:
    """`--new 1` once its card is done: nothing to study in that session, and the new
    cards the daily limit still allows are named (it said none were left, then that
    some were: trial finding)."""
    run(store, deck, ["", "4", ":q"], new_per_deck=1)  # Easy: due in days
    text = "".join(run(store, deck, [":q"], new_per_deck=1))
    assert "no card is due and this session's new cards are done" in text
    assert "more new cards are allowed today by your daily limit" in text
    assert "no new card is left today" not in text


def test_override_after_a_bury_says_to_undo_the_bury(store: Store, deck: Deck) -> None:
    pieces = run(store, deck, ["", "3", "Zorro", ":b", ":o", ":q"])
    said = pieces[5].split("\n")
    assert said[0].strip() == (
        "Nothing to override now: a card was buried or suspended since the last answer."
    )
    assert said[1].strip() == "Type :u to take that back first."
