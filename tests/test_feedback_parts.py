"""The feedback marks each wrong pair of a match, each misplaced item of an order with
its right position and each wrong gap of a cloze, in the app and in plain mode."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from maliquiz.core.answers.checking import check_answer
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.questions import Mode, Question
from maliquiz.core.learning.queue import QueueKind
from maliquiz.core.learning.scheduling import Rating
from maliquiz.core.learning.session import Feedback
from maliquiz.plain.study import PlainStudy
from maliquiz.ui.widgets.feedback import feedback_content

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _feedback(deck: Deck, card_id: str, mode: Mode, response: Any) -> Feedback:
    card = next(c for c in deck.cards if c.id == card_id)
    question = Question(deck, card, mode, QueueKind.NEW, 1)
    verdict = check_answer(card, response)
    return Feedback(question, verdict, Rating.Again, NOW + timedelta(minutes=1), None, True)


def _plain(feedback: Feedback) -> str:
    out = io.StringIO()
    plain = PlainStudy.__new__(PlainStudy)
    plain.out = out
    plain.session = SimpleNamespace(store=SimpleNamespace(clock=SimpleNamespace(now=lambda: NOW)))  # type: ignore[assignment]
    plain.show_feedback(feedback)
    return out.getvalue()


def _shown(deck: Deck) -> dict[str, Feedback]:
    return {
        "match": _feedback(
            deck,
            "match-acteurs",
            Mode.MATCH,
            {
                "Wagner": "mission de l'ONU",
                "MINUSMA": "groupe russe",
                "département d'État": "diplomatie américaine",
            },
        ),
        "order": _feedback(
            deck,
            "order-evenements",
            Mode.ORDER,
            ("Refus des renforts", "Création de la MINUSMA", "Départ de la MINUSMA"),
        ),
        "cloze": _feedback(deck, "cloze-effectif", Mode.CLOZE, ("12 000",)),
    }


def test_feedback_marks_each_part(deck: Deck) -> None:
    shown = _shown(deck)
    for feedback in shown.values():
        for text in (feedback_content(feedback, NOW).plain, _plain(feedback)):
            assert "✗" in text
    for text in (feedback_content(shown["match"], NOW).plain, _plain(shown["match"])):
        assert "✗ Wagner → mission de l'ONU  (right: groupe russe)" in text
        assert "✓ département d'État → diplomatie américaine" in text
    for text in (feedback_content(shown["order"], NOW).plain, _plain(shown["order"])):
        # Two of three in the right order, as the score says: the marks add up to it.
        assert "✗ 1. Refus des renforts  (belongs in position 2)" in text
        assert "✓ 2. Création de la MINUSMA" in text
        assert "✓ 3. Départ de la MINUSMA" in text
        assert "2 of 3 in the right order" in text
    for text in (feedback_content(shown["cloze"], NOW).plain, _plain(shown["cloze"])):
        assert "✗ gap 1: 12 000  (right: 15 000)" in text
