"""``maliquiz preview``: a teacher flips through a deck, card by card, recording nothing.

Each card shows what a learner would see (the question, its options, items or pairs)
and what comes after (the answer with the variants accepted, the explanation and the
source). No progress file is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from maliquiz.core.answers.checking import expected_text
from maliquiz.core.deck.models import (
    CardBase,
    ChoiceCard,
    ClozeCard,
    Deck,
    MatchCard,
    NumberCard,
    OrderCard,
    TextCard,
)
from maliquiz.core.learning.display import card_type_label, source_line
from maliquiz.core.learning.questions import sources_info
from maliquiz.i18n import _, ngettext, set_language
from maliquiz.ui import keymap
from maliquiz.ui.app import STYLESHEET
from maliquiz.ui.base import SESSION_CSS, HelpfulScreen
from maliquiz.ui.text import line, plain
from maliquiz.ui.widgets.titlebar import TitleBar


def card_view(deck: Deck, card: CardBase, index: int, total: int) -> Content:
    """Everything about one card, as plain content (deck text is never markup)."""
    parts: list[Content] = [
        line(f"{deck.title} · {index}/{total} · {card_type_label(card.type)} · {card.id}", "dim"),  # type: ignore[attr-defined]
        Content(""),
        line(_("Question"), "bold"),
        plain(card.masked("____") if isinstance(card, ClozeCard) else card.prompt),
    ]
    if isinstance(card, ChoiceCard):
        parts += [line(f"  {'✓' if o in card.answers else '·'} {o}") for o in card.options]
    elif isinstance(card, OrderCard):
        parts.append(line(_("Items, in the right order:"), "dim"))
        parts += [line(f"  {n}. {item}") for n, item in enumerate(card.items, start=1)]
    elif isinstance(card, MatchCard):
        parts += [line(f"  {p.left}  →  {p.right}") for p in card.pairs]
    parts += [Content(""), line(_("Answer"), "bold"), plain(expected_text(card))]
    if isinstance(card, TextCard) and card.accept:
        parts.append(line(_("Also accepted: {forms}").format(forms=", ".join(card.accept)), "dim"))
    if isinstance(card, TextCard) and card.confusables:
        parts.append(
            line(_("Never accepted: {forms}").format(forms=", ".join(card.confusables)), "dim")
        )
    if isinstance(card, NumberCard) and (card.tolerance or card.min or card.max):
        accepted = card.tolerance or f"{card.min or '…'} – {card.max or '…'}"
        parts.append(line(_("Accepted: {range}").format(range=accepted), "dim"))
    if isinstance(card, ClozeCard):
        parts.append(
            line(_("Gaps: {gaps}").format(gaps=" ; ".join(" | ".join(g) for g in card.gaps)), "dim")
        )
    if card.explanation:
        parts += [Content(""), line(_("Explanation"), "bold"), plain(card.explanation)]
    sources = sources_info(deck, card)
    if sources:
        heading = ngettext("Source", "Sources", len(sources))
        parts += [Content(""), line(heading, "bold")]
        parts += [plain(source_line(source) or "") for source in sources]
    tags = deck.card_tags(card)
    if tags:
        parts += [Content(""), line(_("Tags: {tags}").format(tags=", ".join(tags)), "dim")]
    return Content("\n").join(parts)


class PreviewScreen(HelpfulScreen):
    """One card at a time, everything shown."""

    CSS_PATH = SESSION_CSS

    HELP = keymap.help_text("preview")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("preview")

    def __init__(self, cards: Sequence[tuple[Deck, CardBase]]) -> None:
        super().__init__()
        self.cards = list(cards)
        self.index = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="preview"):
            yield Static(id="preview-card")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        """Draw the current card."""
        deck, card = self.cards[self.index]
        self.query_one("#preview-card", Static).update(
            card_view(deck, card, self.index + 1, len(self.cards))
        )
        self.query_one("#preview", VerticalScroll).scroll_home(animate=False)

    def action_move(self, step: int) -> None:
        """Next or previous card (stays at the ends)."""
        self.index = max(0, min(len(self.cards) - 1, self.index + step))
        self.show()

    def action_jump(self, where: int) -> None:
        """First or last card."""
        self.index = where % len(self.cards)
        self.show()


class PreviewApp(App[None]):
    """Flip through the cards of some decks."""

    CSS_PATH = STYLESHEET
    TITLE = "maliquiz"

    def __init__(self, decks: Sequence[Deck], lang: str = "en") -> None:
        set_language(lang)
        super().__init__()
        self.cards = [(deck, card) for deck in decks for card in deck.cards]
        self.sub_title = _("Preview: nothing is recorded")

    def on_mount(self) -> None:
        self.push_screen(PreviewScreen(self.cards))


def run_preview(decks: Sequence[Deck], lang: str) -> int:
    """Open the preview; the exit code."""
    PreviewApp(decks, lang).run()
    return 0
