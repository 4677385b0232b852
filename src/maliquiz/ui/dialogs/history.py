"""A card's history: every answer given to it, oldest first, with its state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from maliquiz.core.learning.display import mode_label, outcome_label
from maliquiz.i18n import _, decimal, ngettext
from maliquiz.ui import keymap
from maliquiz.ui.base import PROGRESS_CSS, Dialog
from maliquiz.ui.text import line, plain

if TYPE_CHECKING:
    from maliquiz.core.progress.search import CardEntry


class CardHistoryDialog(Dialog[None]):
    """One card: its text, its state and every answer given to it (read from the
    learner's progress when shown)."""

    CSS_PATH = PROGRESS_CSS

    HELP = keymap.help_text("history")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("history")

    def __init__(self, entry: CardEntry, deck_title: str) -> None:
        super().__init__()
        self.entry = entry
        self.deck_title = deck_title

    def compose(self) -> ComposeResult:
        entry = self.entry
        with Vertical(classes="dialog", id="history"):
            yield Static(
                line(self.deck_title, "dim") + Content("  ") + line(entry.card_id, "dim"),
            )
            yield Static(plain(entry.card.prompt, "bold"), classes="dialog-question")
            with VerticalScroll(id="history-body"):
                yield Static(self._table(), id="history-text")
            yield Static(_("Esc: close"), classes="hint")

    def _table(self) -> Content:
        entry = self.entry
        app = self.services
        reviews = app.store.reviews(app.user, deck_id=entry.deck_id, card_id=entry.card_id)
        tz = app.store.calendar.tz
        record = entry.record
        rows: list[Content] = []
        if record is not None and not record.state.is_new:
            state = record.state
            stability = state.stability or 0.0
            rows.append(
                Content.styled(
                    ngettext(
                        "Stability {s} day · difficulty {d} · lapses {n}",
                        "Stability {s} days · difficulty {d} · lapses {n}",
                        2 if stability >= 2 else 1,
                    ).format(
                        s=decimal(stability), d=decimal(state.difficulty or 0.0), n=state.lapses
                    ),
                    "dim",
                )
            )
        if not reviews:
            rows.append(Content(_("Never answered yet.")))
            return Content("\n").join(rows)
        headings = (_("When"), _("How"), _("Verdict"), _("Rating"), _("Time"), _("Answer"))
        cells = [
            (
                review.reviewed_at.astimezone(tz).strftime(_("%Y-%m-%d %H:%M")),
                mode_label(review.mode),
                _outcome(review.outcome),
                str(int(review.rating)),
                _("{n} s").format(n=round(review.duration.total_seconds()))
                if review.duration
                else "",
            )
            for review in reviews
        ]
        widths = [max(cell_len(row[i]) for row in [headings[:5], *cells]) for i in range(5)]
        rows.append(Content.styled(_columns(headings[:5], widths) + headings[5], "bold"))
        for review, row in zip(reviews, cells, strict=True):
            rows.append(Content(_columns(row, widths)) + line(review.answer or "", "dim"))
        return Content("\n").join(rows)


def _outcome(outcome: str) -> str:
    try:
        return outcome_label(outcome)
    except ValueError:  # an outcome of an older or newer maliquiz
        return outcome


def _columns(cells: Sequence[str], widths: Sequence[int]) -> str:
    """The cells padded to ``widths`` (terminal columns), two spaces apart."""
    return "".join(
        cell + " " * (width - cell_len(cell) + 2) for cell, width in zip(cells, widths, strict=True)
    )
