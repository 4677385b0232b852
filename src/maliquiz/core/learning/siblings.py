"""Siblings: cards that should not be asked on the same day as one another.

Two kinds. Cards of one ``group`` test the same fact, so only one of them is asked a
day (Anki buries a note's other cards the same way). And a card whose answer another
card shows (its prompt, its options: :mod:`maliquiz.core.deck.giveaways`) would be
answered from the screen rather than from memory if it came after it.

A session over today's cards therefore asks each card before the cards that would
give its answer away (:meth:`Siblings.order`, a window of cards at a time as the
session reaches them), and once a card is on screen it holds
back to the next day the cards still to come of its group or whose answer it shows
(:meth:`Siblings.held_back_by`). Two cards that give each other away cannot both be
ordered first: the one asked holds the other back, and ``maliquiz check`` asks the
teacher to group them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from maliquiz.core.deck.giveaways import GiveawayIndex, shown_texts
from maliquiz.core.deck.models import CardBase

Key = tuple[str, str]
"""A card as (deck id, card id)."""

T = TypeVar("T")

ORDER_WINDOW = 500
"""Cards put in order at a time (:meth:`Siblings.order_window`), the next ones when a
session reaches them: a backlog of 10,000 due cards took 0.2 s to order at start, for a
session that asks a few hundred. A card of a later window whose answer an earlier card
shows is held back when that card is asked, as any card still to come."""


class Siblings:
    """The cards of one session that may hold each other back."""

    def __init__(self, cards: Iterable[tuple[Key, CardBase]], *, lazily: bool = False) -> None:
        """``lazily``: the cards' answers are indexed a window at a time, as a session
        orders them (:meth:`order_window`), rather than all at once: a backlog of
        70,000 due cards took half a second to index at the start of a session that
        asks a few hundred. Cards not indexed yet are checked against the texts shown
        meanwhile when their window comes (:meth:`index`)."""
        self._cards = dict(cards)
        self._index: GiveawayIndex[Key] = GiveawayIndex(() if lazily else self._cards.items())
        self._unindexed: set[Key] = set(self._cards) if lazily else set()
        self._shown: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self._groups: dict[tuple[str, str], list[Key]] = {}
        for key, card in self._cards.items():
            if card.group is not None:
                self._groups.setdefault((key[0], card.group), []).append(key)

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is one of the session's cards."""
        return key in self._cards

    def group_of(self, key: Key) -> list[Key]:
        """The other cards of ``key``'s group (a group lives inside one deck)."""
        card = self._cards.get(key)
        if card is None or card.group is None:
            return []
        return [k for k in self._groups[(key[0], card.group)] if k != key]

    def held_back_by(
        self, key: Key, statements: Sequence[str], options: Sequence[str] = ()
    ) -> set[Key]:
        """What asking ``key`` with these texts on screen makes unfit for today: the other
        cards of its group and those indexed whose answer the texts show (built lazily:
        the cards indexed later are checked against the texts :meth:`seen` keeps)."""
        return ({*self.group_of(key)} | self._index.revealed_by(statements, options)) - {key}

    def seen(self, statements: Sequence[str], options: Sequence[str] = ()) -> None:
        """The learner answered a question showing these texts: the cards not indexed
        yet whose answer they give are held back when indexed (see :meth:`index`). A
        question only shown (buried, suspended) holds nothing back, as before. Kept
        even when every card is indexed: cards :meth:`add` brings later are checked
        against them too."""
        self._shown.append((tuple(statements), tuple(options)))

    def add(self, cards: Iterable[tuple[Key, CardBase]]) -> None:
        """More cards for the session (new cards taking the place of new cards held
        back), indexed when their window comes, as a lazy start's are."""
        for key, card in cards:
            if key not in self._cards:
                self._cards[key] = card
                self._unindexed.add(key)
                if card.group is not None:
                    self._groups.setdefault((key[0], card.group), []).append(key)

    def index(self, keys: Iterable[Key]) -> set[Key]:
        """Index those of ``keys`` not indexed yet; returns those of them whose answer a
        text answered before (:meth:`seen`) gives away, for the caller to hold
        back as it would have when that text was shown."""
        new = self._unindexed_of(keys)
        if not new:
            return set()
        self._unindexed.difference_update(k for k, _card in new)
        revealed = self._given_away(new)
        self._index.add(new)
        return revealed

    def given_away_later(self, keys: Iterable[Key]) -> set[Key]:
        """Those of ``keys`` not indexed yet whose answer a text :meth:`seen` gives
        away, found without indexing them: for a session ending before it reached them,
        to hold them back as it would have when the text was answered."""
        return self._given_away(self._unindexed_of(keys)) if self._shown else set()

    def _unindexed_of(self, keys: Iterable[Key]) -> list[tuple[Key, CardBase]]:
        return [(k, self._cards[k]) for k in dict.fromkeys(keys) if k in self._unindexed]

    def _given_away(self, cards: list[tuple[Key, CardBase]]) -> set[Key]:
        """Those of ``cards`` whose answer a text :meth:`seen` gives away."""
        if not cards or not self._shown:
            return set()
        fresh = GiveawayIndex(cards)
        found: set[Key] = set()
        for statements, options in self._shown:
            found |= fresh.revealed_by(statements, options)
        return found

    def order_window(self, items: list[T], key: Callable[[T], Key], pending: set[Key]) -> set[Key]:
        """Put the first :data:`ORDER_WINDOW` of ``items`` in :meth:`order`, in place, if
        the first item is still ``pending`` (not ordered yet); they are then no longer.
        Returns the cards of the window that texts shown before it was indexed give
        away (see :meth:`index`): the caller holds them back."""
        if not items or key(items[0]) not in pending:
            return set()
        by_key = {key(item): item for item in items[:ORDER_WINDOW]}
        revealed = self.index(by_key)
        items[: len(by_key)] = [by_key[k] for k in self.order(list(by_key))]
        pending.difference_update(by_key)
        return revealed

    def order(self, keys: Sequence[Key]) -> list[Key]:
        """``keys`` reordered so that a card comes before the cards whose text gives its
        answer away, otherwise in the given order. Cards that give each other away keep
        their given order (one will hold the other back). The keys are indexed
        already (:meth:`order_window` indexes them first)."""
        position = {key: i for i, key in enumerate(keys)}
        reveals: dict[Key, list[Key]] = {}
        for key in keys:
            card = self._cards.get(key)
            found = self._index.revealed_by(*shown_texts(card)) if card is not None else set()
            reveals[key] = sorted(
                (k for k in found if k in position and k != key), key=position.__getitem__
            )
        ordered: list[Key] = []
        done: set[Key] = set()
        for root in keys:
            if root in done:
                continue
            # Depth first, a card after everything it reveals (an explicit stack: a
            # chain of reveals may be longer than Python's recursion limit).
            path = {root}
            stack: list[tuple[Key, Iterator[Key]]] = [(root, iter(reveals[root]))]
            while stack:
                node, pending = stack[-1]
                step = next((k for k in pending if k not in done and k not in path), None)
                if step is None:
                    stack.pop()
                    path.discard(node)
                    done.add(node)
                    ordered.append(node)
                else:
                    path.add(step)
                    stack.append((step, iter(reveals[step])))
        return ordered
