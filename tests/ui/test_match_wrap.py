"""A match card's long items wrap under themselves instead of being cut."""

from __future__ import annotations

from textual.app import App, ComposeResult

from maliquiz.core.deck.models import Deck, MatchCard
from maliquiz.core.learning.questions import Mode, Question
from maliquiz.core.learning.queue import QueueKind
from maliquiz.ui.widgets.answer_match import MatchAnswer

LONG_LEFT = (
    "Le Conseil de sécurité des Nations unies, qui vote chaque année le mandat de la mission"
)
LONG_RIGHT = "la résolution 2690 qui met fin au mandat de la MINUSMA le 30 juin 2023 à la demande"


async def test_long_match_items_wrap(deck: Deck) -> None:
    card = MatchCard.model_validate(
        {
            "id": "m",
            "type": "match",
            "prompt": "?",
            "pairs": [
                {"left": LONG_LEFT, "right": LONG_RIGHT},
                {"left": "Wagner", "right": "x"},
                {"left": "MINUSMA", "right": "y"},
            ],
        }
    )
    question = Question(deck, card, Mode.MATCH, QueueKind.NEW, 1, options=(LONG_RIGHT, "x", "y"))

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield MatchAnswer(question)

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(MatchAnswer)
        await pilot.press("a")
        await pilot.pause()
        lines = widget.render().plain.splitlines()
        text = " ".join(" ".join(lines).split())
        assert LONG_LEFT in text and "…" not in text
        assert text.count(LONG_RIGHT) == 2  # paired, and among the choices
        assert all(len(row) <= 80 for row in lines)
