"""Holding cards back to the next day, for :class:`~.session.StudySession`; and the
cards the learner buries or suspends during a session, which an undo puts back.

Only one card of a ``group`` is asked a day, and a card whose answer a question showed
waits for the next day (:mod:`.siblings`). A session holds back the cards of its queue
(buried in the store, so that no other session asks them today either), puts the next
new cards of their deck in the place of new cards held back, and buries as well the
cards of the group that the session does not hold (left out by ``--tag`` or beyond the
day's ``--new`` cards), which another session today would otherwise ask.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from maliquiz.core.deck.models import CardBase, Deck
from maliquiz.core.learning.questions import Question
from maliquiz.core.learning.queue import ITEM_KEY, QueueItem, QueueKind, new_cards_today
from maliquiz.core.learning.records import CardRecord, ProgressStore
from maliquiz.core.learning.reports import Phase
from maliquiz.core.learning.scheduling import State
from maliquiz.core.learning.siblings import Key, Siblings


@dataclass
class SetAside:
    """A card buried or suspended in this session: what an undo puts back."""

    question: Question
    kind: Literal["bury", "suspend"]
    steps: list[tuple[datetime, int, str, str]]  # its learning steps taken out
    added: list[QueueItem]  # the new cards queued in its place
    answers: int  # answers given in the session when it was set aside
    answered: bool  # set aside once answered (the answer stands)


class _Asked(Protocol):
    question: Question


class HoldingBack:
    """The part of a study session that holds cards back (see the module)."""

    store: ProgressStore
    user: str
    cram: bool
    decks: dict[str, Deck]
    held_back: list[Key]
    _queue: list[QueueItem]
    _unordered: set[Key]
    _siblings: Siblings
    _selected: Mapping[str, Mapping[str, object]]
    _new_per_deck: int
    _deck_groups: dict[str, dict[str, list[str]]]
    _hold_after_answer: set[Key]
    _history: Sequence[_Asked]
    _rewriting: Key | None
    question: Question | None
    phase: Phase
    _asked: int
    _learning: list[tuple[datetime, int, str, str]]
    _set_asides: list[SetAside]

    @property
    def can_undo(self) -> bool:
        """Whether an undo has an answer, a bury or a suspension to take back."""
        return bool(self._history or self._set_asides)

    @property
    def set_aside_last(self) -> bool:
        """Whether a bury or suspension came after the last answer (undo takes it first)."""
        return bool(self._set_asides) and self._set_asides[-1].answers == len(self._history)

    def _ask(self, deck: Deck, card: CardBase, kind: QueueKind) -> None:
        raise NotImplementedError

    def _advance(self) -> None:
        raise NotImplementedError

    def _asked_keys(self) -> set[Key]:
        """The cards asked in this session, the one on screen included (and the one an
        override is writing again)."""
        asked = {done.question.key for done in self._history}
        asked.update(q.key for q in (self.question,) if q is not None)
        asked.update(k for k in (self._rewriting,) if k is not None)
        return asked

    def _card(self, key: Key) -> CardBase | None:
        raise NotImplementedError

    def _hold_back(
        self, keys: set[Key], *, refill: bool = True
    ) -> tuple[list[QueueItem], list[QueueItem]]:
        """Take ``keys`` out of today's session; scheduled cards are buried until the
        next study day, so another session today does not ask them either. The learning
        steps of a card asked today are not held back (their answer was just shown); a
        step left from an earlier day is, as a review is.
        New cards held back leave room among the day's new cards: the next new cards of
        their deck take it (as the home screen counts them, and as Anki does). Returns
        the cards held back and those queued in their place."""
        held: list[QueueItem] = []
        kept: list[QueueItem] = []
        decks: dict[str, None] = {}
        # Looked up in C first: most answers hold nothing back, and a backlog's queue
        # holds 100,000 cards (a Python pass over it was most of a question's time).
        hits = list(map(keys.__contains__, map(ITEM_KEY, self._queue))) if keys else []
        if not any(hits):
            return held, []
        for item, hit in zip(self._queue, hits, strict=True):
            if hit and self._holdable(item):
                if not self.cram:
                    self.store.bury(self.user, *item.key)
                    if item.kind == QueueKind.NEW:
                        decks[item.deck_id] = None
                self.held_back.append(item.key)
                held.append(item)
            else:
                kept.append(item)
        self._queue = kept
        added: list[QueueItem] = []
        for deck_id in decks if refill else ():
            more, buried = self._refill_new(deck_id)
            added += more
            held += buried
        return held, added

    def _refill_new(self, deck_id: str) -> tuple[list[QueueItem], list[QueueItem]]:
        """Queue the new cards of ``deck_id`` today's queue now holds and this session
        does not (those after the ones held back), but those of a group one of whose
        cards was asked in this session: they are held back in turn. Returns the cards
        queued, and those held back."""
        buried: list[QueueItem] = []
        asked = self._asked_keys()
        chosen = {deck_id: self._selected.get(deck_id, {})}
        while True:
            queued = asked | set(map(ITEM_KEY, self._queue))
            # Today's new cards only (a backlog's due cards are not read again).
            today = new_cards_today(self.store, self.user, chosen, new_per_deck=self._new_per_deck)
            more = [QueueItem(*key, QueueKind.NEW) for key in today if key not in queued]
            self._siblings.add((ITEM_KEY(i), card) for i in more if (card := self._card(i.key)))
            grouped = [i for i in more if asked.intersection(self._siblings.group_of(i.key))]
            if not grouped:
                self._queue += more
                self._unordered.update(map(ITEM_KEY, more))
                return more, buried
            for item in grouped:  # buried: the next build of today's queue leaves them out
                self.store.bury(self.user, *item.key)
                self.held_back.append(item.key)
                buried.append(item)

    def _hold_back_outside(self, key: Key) -> list[Key]:
        """Bury the cards of ``key``'s group that this session does not hold and that
        another session would ask today: new ones (not suspended), reviews due today and
        steps left from an earlier day. Returns those buried (an undo unburies them)."""
        deck = self.decks.get(key[0])
        card = self._card(key)
        if self.cram or deck is None or card is None or card.group is None:
            return []
        groups = self._deck_groups.get(deck.id)
        if groups is None:
            groups = self._deck_groups[deck.id] = {}
            for other in deck.cards:
                if other.group is not None:
                    groups.setdefault(other.group, []).append(other.id)
        # Outside: neither held back by this answer (those of the queue are) nor asked.
        inside = {key, *self._hold_after_answer, *self._asked_keys()}
        outside = [(deck.id, i) for i in groups[card.group] if (deck.id, i) not in inside]
        buried = [k for k in outside if self._askable_today(k)]
        for sibling in buried:
            self.store.bury(self.user, *sibling)
        self.held_back += buried
        return buried

    def _askable_today(self, key: Key) -> bool:
        """Whether another session today would ask the card (this one does not hold it)."""
        record = self.store.card(self.user, *key)
        if record is None:
            return True
        if record.suspended:
            return False
        tomorrow = self.store.calendar.start_of_tomorrow(self.store.clock.now())
        if record.buried_until is not None and record.buried_until >= tomorrow:
            return False
        if record.state.is_new:
            return True
        if record.state.due >= tomorrow:
            return False
        return record.state.state == State.Review or self._from_before_today(record)

    def _holdable(self, item: QueueItem) -> bool:
        """Whether a card of the queue may be held back: any but a learning step of a
        card asked today."""
        if item.kind != QueueKind.LEARNING:
            return True
        return self._from_before_today(self.store.card(self.user, *item.key))

    def _from_before_today(self, record: CardRecord | None) -> bool:
        """Whether the card, in learning, was last answered before today (a step left
        from an earlier day: held back as a review would be, unlike the steps of a card
        asked today, whose answer was just shown)."""
        if record is None or record.state.memory.last_review is None:
            return False
        now = self.store.clock.now()
        return record.state.memory.last_review < self.store.calendar.start_of_today(now)

    def _undo_set_aside(self) -> Question | None:
        """Put back the card last buried or suspended: asked again if it was set aside
        before its answer; otherwise its answer stands and the question on screen stays."""
        last = self._set_asides.pop()
        undo = self.store.unbury if last.kind == "bury" else self.store.unsuspend
        undo(self.user, *last.question.key)
        gone = set(map(ITEM_KEY, last.added))
        self._queue = [item for item in self._queue if ITEM_KEY(item) not in gone]
        for step in last.steps:
            heapq.heappush(self._learning, step)
        if last.answered:
            if self.phase == Phase.FINISHED:
                self._advance()
            return self.question
        return self._ask_again(last.question, gone)

    def _ask_again(self, question: Question, gone: set[Key]) -> Question | None:
        """Ask ``question`` again at once; the question on screen goes back to the front
        of the queue, untouched, unless it is one of ``gone``."""
        current = self.question if self.phase in (Phase.ASKING, Phase.REVEALED) else None
        if current is not None:
            if current.key not in gone:
                self._queue.insert(0, QueueItem(*current.key, current.kind))
            self._asked -= 1
        self._asked -= 1
        self._ask(question.deck, question.card, question.kind)
        return self.question
