"""What the card browser does to many cards at once, and its undo.

Each action (suspend, unsuspend, bury, unbury, forget, set the due date) runs in one
transaction and is written in the ``card_actions`` journal with every changed card's
row before and after it. :meth:`CardActions.undo_card_action` takes back the latest
action of a learner, even after a restart: each card gets its row back as it was
before, unless the card changed since the action (an answer, another action not
journaled): such a card is left as it is, so that undo never loses an answer.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Final, NamedTuple

from fsrs import Card

from maliquiz.core.learning.clock import from_ms, start_of_study_day, to_ms
from maliquiz.core.learning.scheduling import CardState
from maliquiz.core.progress.cards import CardQueries, check_ids, state_values
from maliquiz.i18n import N_, _, ngettext

JOURNAL_LENGTH: Final = 50
"""Actions a learner can take back, latest first; older ones are forgotten."""

ACTIONS: Final = ("suspend", "unsuspend", "bury", "unbury", "forget", "set-due")

ACTION_NAMES: Final = {
    "suspend": N_("suspend"),
    "unsuspend": N_("unsuspend"),
    "bury": N_("bury"),
    "unbury": N_("unbury"),
    "forget": N_("forget"),
    "set-due": N_("set due date"),
}
"""Each action as undo names it."""

_DAYS: Final = re.compile(r"(\d{1,5})(?:-(\d{1,5}))?")

Row = dict[str, Any]
Change = Callable[[str, str, Row | None], Row | None]


class UndoneAction(NamedTuple):
    """The action :meth:`CardActions.undo_card_action` took back."""

    action: str
    done_at: datetime
    restored: int
    """Cards given back the row they had before the action."""
    kept: int
    """Cards changed since the action (answered, say), left as they are."""


class LastAction(NamedTuple):
    """The action that undo would take back next."""

    action: str
    done_at: datetime
    cards: int


class CardActions(CardQueries):
    """Actions on many cards at once, journaled so that the last can be undone."""

    def suspend_cards(self, user: str, cards: Iterable[tuple[str, str]]) -> int:
        """Keep the cards out of every queue; returns how many changed."""

        def change(deck_id: str, card_id: str, row: Row | None) -> Row | None:
            if row is not None and row["suspended"]:
                return None
            return {**(row or self._new_row(deck_id, card_id)), "suspended": 1}

        return self._act(user, "suspend", cards, change)

    def unsuspend_cards(self, user: str, cards: Iterable[tuple[str, str]]) -> int:
        """Let suspended cards come back on their schedule; returns how many changed."""

        def change(deck_id: str, card_id: str, row: Row | None) -> Row | None:
            return None if row is None or not row["suspended"] else {**row, "suspended": 0}

        return self._act(user, "unsuspend", cards, change)

    def bury_cards(self, user: str, cards: Iterable[tuple[str, str]]) -> int:
        """Hide the cards until the next study day; returns how many changed."""
        until = to_ms(self.calendar.start_of_tomorrow(self.clock.now()))

        def change(deck_id: str, card_id: str, row: Row | None) -> Row | None:
            if row is not None and row["buried_until_ms"] == until:
                return None
            return {**(row or self._new_row(deck_id, card_id)), "buried_until_ms": until}

        return self._act(user, "bury", cards, change)

    def unbury_cards(self, user: str, cards: Iterable[tuple[str, str]]) -> int:
        """Show buried cards again today; returns how many changed."""
        now = to_ms(self.clock.now())

        def change(deck_id: str, card_id: str, row: Row | None) -> Row | None:
            if row is None or row["buried_until_ms"] is None or row["buried_until_ms"] <= now:
                return None
            return {**row, "buried_until_ms": None}

        return self._act(user, "unbury", cards, change)

    def forget_cards(self, user: str, cards: Iterable[tuple[str, str]]) -> int:
        """Make the cards new again, as if never answered: their schedule, counts and
        first-answer times are cleared (so the daily new-card limit counts them again);
        their answers stay in the log, and suspended or buried cards stay so. Returns
        how many changed (cards already new are left alone)."""

        def change(deck_id: str, card_id: str, row: Row | None) -> Row | None:
            if row is None or (row["last_review_ms"] is None and row["introduced_ms"] is None):
                return None
            return {
                **self._new_row(deck_id, card_id),
                "suspended": row["suspended"],
                "buried_until_ms": row["buried_until_ms"],
            }

        return self._act(user, "forget", cards, change)

    def set_due(
        self,
        user: str,
        cards: Iterable[tuple[str, str]],
        days: int | tuple[int, int],
        *,
        rng: random.Random | None = None,
    ) -> int:
        """Make the cards due at the start of the study day ``days`` from today (0:
        today), or of a day drawn for each card in the range ``(low, high)``, as Anki's
        "set due date" does. Cards never answered have no schedule to move and are
        left alone. Returns how many changed."""
        low, high = (days, days) if isinstance(days, int) else days
        if low < 0 or high < low:
            raise ValueError(f"a due date is 0 or more days from today, low to high: {days}")
        draw = rng or random.Random()
        today = self.calendar.day(self.clock.now())

        def change(deck_id: str, card_id: str, row: Row | None) -> Row | None:
            if row is None or row["last_review_ms"] is None:
                return None
            day = today + timedelta(days=low if low == high else draw.randint(low, high))
            due = start_of_study_day(day, self.calendar.tz, self.calendar.rollover_hour)
            if row["due_ms"] == to_ms(due):
                return None
            memory = Card.from_json(row["memory"])
            memory.due = due
            return {**row, "memory": memory.to_json(), "due_ms": to_ms(due)}

        return self._act(user, "set-due", cards, change)

    def apply_card_action(
        self,
        user: str,
        action: str,
        cards: Iterable[tuple[str, str]],
        days: int | tuple[int, int] | None = None,
    ) -> int:
        """Run one of :data:`ACTIONS` by its name (``days`` for ``set-due``), as the
        command line and the browser both ask; returns how many cards changed."""
        if action == "set-due":
            if days is None:
                raise ValueError("set-due needs a number of days")
            return self.set_due(user, cards, days)
        method = {
            "suspend": self.suspend_cards,
            "unsuspend": self.unsuspend_cards,
            "bury": self.bury_cards,
            "unbury": self.unbury_cards,
            "forget": self.forget_cards,
        }.get(action)
        if method is None:
            raise ValueError(f"unknown card action {action!r}; one of {', '.join(ACTIONS)}")
        return method(user, cards)

    def last_card_action(self, user: str) -> LastAction | None:
        """The action undo would take back next, or None."""
        uid = self._user(self._db, user).id
        row = self._db.execute(
            "SELECT action, done_ms, json_array_length(cards) FROM card_actions "
            "WHERE user_id = ? ORDER BY id DESC LIMIT 1",
            (uid,),
        ).fetchone()
        return None if row is None else LastAction(row[0], from_ms(row[1]), row[2])

    def undo_card_action(self, user: str) -> UndoneAction | None:
        """Take back the learner's latest action on cards (None when there is none).
        Call again to go further back."""
        with self._write() as db:
            uid = self._user(db, user).id
            found = db.execute(
                "SELECT id, action, done_ms, cards FROM card_actions "
                "WHERE user_id = ? ORDER BY id DESC LIMIT 1",
                (uid,),
            ).fetchone()
            if found is None:
                return None
            action_id, action, done_ms, journal = found
            restored = kept = 0
            for deck_id, card_id, before, after in json.loads(journal):
                if self._card_row(db, uid, deck_id, card_id) != after:
                    kept += 1
                    continue
                if before is None:
                    db.execute(
                        "DELETE FROM card_states WHERE user_id = ? AND deck_id = ? AND card_id = ?",
                        (uid, deck_id, card_id),
                    )
                else:
                    self._put_card(db, uid, deck_id, card_id, before)
                restored += 1
            db.execute("DELETE FROM card_actions WHERE id = ?", (action_id,))
        return UndoneAction(action, from_ms(done_ms), restored, kept)

    def answered_since(
        self, user: str, since: datetime, rating: int | None = None
    ) -> set[tuple[str, str]]:
        """The (deck id, card id) of the cards the learner answered at or after
        ``since`` (rated ``rating`` if given). Read by time through the log's
        ``(user_id, reviewed_ms)`` index: the cost follows the answers since then, not
        the length of the log."""
        uid = self._user(self._db, user).id
        sql = "SELECT DISTINCT deck_id, card_id FROM reviews WHERE user_id = ? AND reviewed_ms >= ?"
        params: list[Any] = [uid, to_ms(since)]
        if rating is not None:
            sql += " AND rating = ?"
            params.append(rating)
        return {(row[0], row[1]) for row in self._db.execute(sql, params)}

    # --- the journal ----------------------------------------------------------------

    def _new_row(self, deck_id: str, card_id: str) -> Row:
        return state_values(CardState.new(deck_id, card_id, self.clock.now()), introduced_ms=None)

    def _act(self, user: str, action: str, cards: Iterable[tuple[str, str]], change: Change) -> int:
        """Apply ``change`` to each card's row (None: leave it) in one transaction, and
        journal the changed rows; returns how many changed."""
        wanted = list(dict.fromkeys(cards))
        for deck_id, card_id in wanted:
            check_ids(deck_id, card_id)
        journal: list[tuple[str, str, Row | None, Row]] = []
        with self._write() as db:
            uid = self._user(db, user).id
            for deck_id, card_id in wanted:
                before = self._card_row(db, uid, deck_id, card_id)
                after = change(deck_id, card_id, before)
                if after is None or after == before:
                    continue
                self._put_card(db, uid, deck_id, card_id, after)
                journal.append((deck_id, card_id, before, after))
            if journal:
                db.execute(
                    "INSERT INTO card_actions (user_id, done_ms, action, cards) "
                    "VALUES (?, ?, ?, ?)",
                    (uid, to_ms(self.clock.now()), action, json.dumps(journal)),
                )
                db.execute(
                    "DELETE FROM card_actions WHERE user_id = ? AND id <= (SELECT id FROM "
                    "card_actions WHERE user_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                    (uid, uid, JOURNAL_LENGTH),
                )
        return len(journal)


def parse_days(text: str) -> int | tuple[int, int] | None:
    """What :meth:`CardActions.set_due` takes, read as Anki writes it: ``0`` (today),
    ``3`` (in 3 days) or ``1-7`` (a day drawn in that range); None for anything else."""
    found = _DAYS.fullmatch(text.strip())
    if found is None:
        return None
    low = int(found.group(1))
    if found.group(2) is None:
        return low
    high = int(found.group(2))
    return (low, high) if low <= high else None


# --- in words ---------------------------------------------------------------------


def done_message(action: str, n: int) -> str:
    """What an action did to ``n`` cards, in the interface language."""
    if action == "suspend":
        text = ngettext("{n} card suspended.", "{n} cards suspended.", n)
    elif action == "unsuspend":
        text = ngettext("{n} card unsuspended.", "{n} cards unsuspended.", n)
    elif action == "bury":
        text = ngettext("{n} card buried until tomorrow.", "{n} cards buried until tomorrow.", n)
    elif action == "unbury":
        text = ngettext("{n} card unburied.", "{n} cards unburied.", n)
    elif action == "forget":
        text = ngettext("{n} card made new again.", "{n} cards made new again.", n)
    else:
        text = ngettext("{n} card rescheduled.", "{n} cards rescheduled.", n)
    return text.format(n=n)


def undo_message(undone: UndoneAction | None) -> str:
    """What undo took back (None: nothing), in the interface language."""
    if undone is None:
        return _("Nothing to undo.")
    text = ngettext(
        "Undone: {action} ({n} card back as it was).",
        "Undone: {action} ({n} cards back as they were).",
        undone.restored,
    ).format(action=_(ACTION_NAMES.get(undone.action, undone.action)), n=undone.restored)
    if undone.kept:
        text += " " + ngettext(
            "{n} card changed since (answered) was left as it is.",
            "{n} cards changed since (answered) were left as they are.",
            undone.kept,
        ).format(n=undone.kept)
    return text
