"""Every card with its state, searchable and filterable by deck, tag and state; Enter
shows a card's review history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from maliquiz.core.learning.scheduling import State
from maliquiz.core.text.normalize import normalize
from maliquiz.i18n import N_, _
from maliquiz.ui.base import PROGRESS_CSS, Dialog, Page
from maliquiz.ui.text import cell, line, plain

if TYPE_CHECKING:
    from maliquiz.core.deck.models import CardBase, Deck
    from maliquiz.core.learning.records import CardRecord
    from maliquiz.core.progress.reviews import ReviewRecord

SHOWN_AT_MOST = 500
"""Rows put in the table at once; the count line says how many matched."""

STATE_NAMES = {
    "new": N_("new"),
    "learning": N_("learning"),
    "review": N_("review"),
    "relearning": N_("relearning"),
    "suspended": N_("suspended"),
    "buried": N_("buried"),
    "leech": N_("leech"),
}


@dataclass(frozen=True)
class CardRow:
    """One card and the learner's record of it, as the browser lists it."""

    deck: Deck
    card: CardBase
    record: CardRecord | None
    state: str
    """new, learning, review, relearning, suspended or buried."""
    text: str
    """Prompt and answers, normalised, for the search."""

    @property
    def key(self) -> str:
        """A table row key: deck id and card id."""
        return f"{self.deck.id}\x1f{self.card.id}"


def card_state_name(record: CardRecord | None, now: datetime) -> str:
    """The state word shown for a card."""
    if record is None or record.state.is_new:
        return "suspended" if record is not None and record.suspended else "new"
    if record.suspended:
        return "suspended"
    if record.is_buried(now):
        return "buried"
    return {State.Learning: "learning", State.Relearning: "relearning"}.get(
        record.state.state, "review"
    )


def searchable_text(card: CardBase) -> str:
    """Everything of a card the search looks in: prompt, answers, options, back."""
    parts = [card.prompt]
    for name in ("answer", "back", "options", "items", "accept", "explanation"):
        value = getattr(card, name, None)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(str(v) for v in value)
    for pair in getattr(card, "pairs", []) or []:
        parts.extend((pair.left, pair.right))
    return normalize(" ".join(str(p) for p in parts))


@dataclass(frozen=True)
class Query:
    """A search line read as words and ``deck:`` / ``tag:`` / ``state:`` filters."""

    words: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    states: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Query:
        """Read ``text``: ``deck:ID``, ``tag:T``, ``state:S`` filters, other words searched."""
        words: list[str] = []
        decks: list[str] = []
        tags: list[str] = []
        states: list[str] = []
        targets = {"deck": decks, "tag": tags, "state": states, "etat": states, "état": states}
        for token in text.split():
            name, sep, value = token.partition(":")
            if sep and name.casefold() in targets and value:
                targets[name.casefold()].append(value.casefold())
            else:
                words.append(normalize(token))
        return cls(tuple(words), tuple(decks), tuple(tags), tuple(states))

    def matches(self, row: CardRow) -> bool:
        """True when ``row`` passes every filter and contains every word."""
        if self.decks and not any(d in row.deck.id.casefold() for d in self.decks):
            return False
        if self.tags:
            card_tags = {t.casefold() for t in row.deck.card_tags(row.card)}
            if not any(t in card_tags for t in self.tags):
                return False
        if self.states:
            names = {row.state, _(STATE_NAMES[row.state]).casefold()}
            if row.record is not None and row.record.leech:
                names |= {"leech", _("leech").casefold()}
            if not any(any(n.startswith(s) for n in names) for s in self.states):
                return False
        return all(word in row.text for word in self.words)


class BrowseScreen(Page):
    """The table of every card."""

    CSS_PATH = PROGRESS_CSS

    HELP = N_(
        "Every card of every deck with its state: when it is due, its stability (days), "
        "difficulty (1-10) and lapses. Type in the search box to filter: words are "
        "looked for in the cards' text, and deck:ID, tag:TAG, state:new|learning|review|"
        "suspended|buried|leech keep only those cards. Enter on a card shows its review "
        "history; / goes to the search box, Esc back."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="browse.back"),
        Binding("slash", "search", N_("Search"), id="browse.search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CardRow] = []
        self.shown: dict[str, CardRow] = {}

    def body(self) -> ComposeResult:
        yield Input(
            placeholder=_("search · deck:ID tag:TAG state:new|learning|review|suspended"),
            id="browse-search",
            compact=True,
        )
        yield Static(id="browse-count")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.load()
        self.build_columns()
        self.fill()
        self.query_one("#cards", DataTable).focus()

    def load(self) -> None:
        """Read every card's record from the store."""
        app = self.services
        now = app.store.clock.now()
        records = {(r.deck_id, r.card_id): r for r in app.store.cards(app.user)}
        self.rows = []
        for deck in app.library.decks:
            for card in deck.cards:
                record = records.get((deck.id, card.id))
                self.rows.append(
                    CardRow(deck, card, record, card_state_name(record, now), searchable_text(card))
                )

    def build_columns(self) -> None:
        """The table's columns, each as wide as its heading; the prompt takes the width
        left, so the table never scrolls sideways."""
        table = self.query_one("#cards", DataTable)
        table.clear(columns=True)
        others = [
            ("type", _("Type"), 9),
            ("state", _("State"), 10),
            ("due", _("Due"), 10),
            ("stability", _("Stab."), 5),
            ("difficulty", _("Diff."), 4),
            ("lapses", _("Lapses"), 2),
        ]
        widths = [max(cell_len(label), least) for _key, label, least in others]
        left = self.app.size.width - sum(w + 2 for w in widths) - 2 - 2
        table.add_column(_("Prompt"), key="prompt", width=max(12, left))
        for (key, label, _least), width in zip(others, widths, strict=True):
            table.add_column(label, key=key, width=width)

    def fill(self) -> None:
        """Put the cards that match the search in the table."""
        query = Query.parse(self.query_one("#browse-search", Input).value)
        table = self.query_one("#cards", DataTable)
        table.clear()
        matching = [row for row in self.rows if query.matches(row)]
        tz = self.services.store.calendar.tz
        self.shown = {}
        for row in matching[:SHOWN_AT_MOST]:
            record = row.record
            seen = record is not None and not record.state.is_new
            state = record.state if record is not None else None
            style = {
                "new": "cyan",
                "learning": "yellow",
                "relearning": "yellow",
                "review": "green",
            }.get(row.state, "dim")
            table.add_row(
                cell(row.card.prompt),
                cell(getattr(row.card, "type", "")),
                cell(_(STATE_NAMES[row.state]) + (" ⚑" if record and record.leech else ""), style),
                cell(state.due.astimezone(tz).strftime("%Y-%m-%d") if seen and state else "–"),
                cell(f"{state.stability:.1f}" if state and state.stability else "–"),
                cell(f"{state.difficulty:.1f}" if state and state.difficulty else "–"),
                cell(str(state.lapses) if state and seen else "–"),
                key=row.key,
            )
            self.shown[row.key] = row
        count = _("{shown} of {total} cards").format(shown=len(matching), total=len(self.rows))
        if len(matching) > SHOWN_AT_MOST:
            count += " " + _("(the first {n} shown)").format(n=SHOWN_AT_MOST)
        self.query_one("#browse-count", Static).update(count)

    def on_resize(self) -> None:
        if self.rows:
            self.build_columns()
            self.fill()

    @on(Input.Changed, "#browse-search")
    def _search(self, event: Input.Changed) -> None:
        self.fill()

    @on(Input.Submitted, "#browse-search")
    def _go_to_table(self, event: Input.Submitted) -> None:
        self.query_one("#cards", DataTable).focus()

    @on(DataTable.RowSelected, "#cards")
    def _history(self, event: DataTable.RowSelected) -> None:
        row = self.shown.get(str(event.row_key.value))
        if row is None:
            return
        app = self.services
        reviews = app.store.reviews(app.user, deck_id=row.deck.id, card_id=row.card.id)
        self.app.push_screen(CardHistoryDialog(row, reviews, app.store.calendar.tz))

    def action_search(self) -> None:
        """Go to the search box."""
        self.query_one("#browse-search", Input).focus()

    def action_back(self) -> None:
        """Leave the search box, or go back."""
        search = self.query_one("#browse-search", Input)
        if search.has_focus:
            self.query_one("#cards", DataTable).focus()
            return
        self.dismiss()


class CardHistoryDialog(Dialog[None]):
    """One card: its text, its state and every answer given to it."""

    CSS_PATH = PROGRESS_CSS

    HELP = N_("Every answer given to this card, oldest first. Esc closes.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", N_("Close"), id="history.close")
    ]

    def __init__(self, row: CardRow, reviews: list[ReviewRecord], tz: object) -> None:
        super().__init__()
        self.row = row
        self.reviews = reviews
        self.tz = tz

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(classes="dialog", id="history"):
            yield Static(
                line(row.deck.title, "dim") + Content("  ") + line(row.card.id, "dim"),
            )
            yield Static(plain(row.card.prompt, "bold"), classes="dialog-question")
            with VerticalScroll(id="history-body"):
                yield Static(self._table(), id="history-text")
            yield Static(_("Esc: close"), classes="hint")

    def _table(self) -> Content:
        from datetime import tzinfo

        from maliquiz.core.learning.display import outcome_label

        tz = self.tz if isinstance(self.tz, tzinfo) else None
        record = self.row.record
        rows: list[Content] = []
        if record is not None and not record.state.is_new:
            state = record.state
            rows.append(
                Content.styled(
                    _("Stability {s:.1f} days · difficulty {d:.1f} · lapses {n}").format(
                        s=state.stability or 0.0, d=state.difficulty or 0.0, n=state.lapses
                    ),
                    "dim",
                )
            )
        if not self.reviews:
            rows.append(Content(_("Never answered yet.")))
        for review in self.reviews:
            when = review.reviewed_at.astimezone(tz).strftime(_("%Y-%m-%d %H:%M"))
            seconds = f"{review.duration.total_seconds():.0f}s" if review.duration else ""
            try:
                outcome = outcome_label(review.outcome)
            except ValueError:
                outcome = review.outcome
            rows.append(
                Content(f"{when}  {review.mode:<9} ")
                + Content.styled(f"{outcome:<14}", "bold")
                + Content(f" {int(review.rating)} {seconds:>4}  ")
                + line(review.answer or "", "dim")
            )
        return Content("\n").join(rows)
