"""The store's side of syncing with a class server: which answers to send, taking in
answers made on other machines, and rebuilding card states from the merged answers.

Answers are immutable events, each with its ``uid``: an answer received twice is stored
once (the log's ``UNIQUE (user_id, uid)``), answers received are marked ``imported`` as
coming from the server (never undone here, never sent back); answers brought in from a
file are the learner's own and are sent like those given here. A card's state is not
sent: after every sync, each card that received or sent answers is rebuilt by replaying
all its scheduled answers through the scheduler in time order (ties broken by uid), so
two machines holding the same answers hold the same due dates. The learner's own flags
(buried, suspended) stay as they are on each machine, but a card that received answers
from another machine is unburied (its new due date says when it comes back), and the
cards of the same group, or whose answer it shows, are buried until tomorrow when that
answer was given today, as the machine that asked it buried them: once, at the sync, so
that unburying one here afterwards holds.

What a sync remembers (the server, the learner's token, how far answers were sent
and received) is kept per learner in ``<data_dir>/sync.json``, readable by its owner
only (mode 0600): the token is a password. Nothing here touches the network.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final, NamedTuple

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.deck.giveaways import shown_texts
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import from_ms, to_ms
from maliquiz.core.learning.scheduling import CardState, Rating, State
from maliquiz.core.learning.siblings import Siblings
from maliquiz.core.progress import answer_log
from maliquiz.core.progress.cards import state_values
from maliquiz.core.progress.connection import EXAM_COLUMNS, REVIEW_COLUMNS, StoreError
from maliquiz.core.progress.store import Store
from maliquiz.core.progress.transfer import check_tables

STATE_FILE: Final = "sync.json"
STATE_FORMAT: Final = "maliquiz-sync"
RIGHT: Final = (str(Outcome.CORRECT), str(Outcome.TYPO))

__all__ = [
    "Outgoing",
    "Received",
    "SyncError",
    "SyncState",
    "bury_siblings",
    "forget_state",
    "last_sync",
    "load_state",
    "rebuild_cards",
    "receive",
    "rename_state",
    "save_state",
    "unsent",
]


class SyncError(StoreError):
    """Answers from a server that cannot be taken in (``problems`` lists bad values
    as :mod:`.rows` finds them; nothing was stored)."""

    def __init__(self, message: str, problems: list[Any] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


# --- what a sync remembers ------------------------------------------------------------


@dataclass(frozen=True)
class SyncState:
    """One local learner's link to a server learner."""

    server: str
    token: str
    learner_id: int
    class_id: int
    learner: str = ""
    class_name: str = ""
    sent_review_id: int = 0
    """The highest local row id of the answers sent (with ``sent_review_ms``: a row id
    freed by undo may be given again to a later answer)."""
    sent_review_ms: int = 0
    sent_exam_id: int = 0
    cursor: int = 0
    """How far the server's log of this learner was received."""
    last_sync: str | None = None
    """ISO 8601 time of the last sync that completed."""
    decks: dict[str, str] = field(default_factory=dict)
    """Deck id → SHA-256 of the published version received."""


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def _read_all(data_dir: Path) -> dict[str, Any]:
    try:
        document = json.loads(state_path(data_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise StoreError(f"cannot read {state_path(data_dir)}: {error}") from error
    learners = document.get("learners") if isinstance(document, dict) else None
    return learners if isinstance(learners, dict) else {}


def load_state(data_dir: Path, user: str) -> SyncState | None:
    """The sync link of the local learner ``user``, or None when they never synced."""
    for name, values in _read_all(data_dir).items():
        if name.casefold() == user.casefold() and isinstance(values, dict):
            try:
                return SyncState(**values)
            except TypeError as error:
                raise StoreError(f"{state_path(data_dir)} is damaged: {error}") from error
    return None


def save_state(data_dir: Path, user: str, state: SyncState) -> None:
    """Keep ``state`` for ``user``: written whole to a new file (mode 0600, the token
    is a password) then moved in place, so a crash leaves the old file or the new."""
    learners = _others(data_dir, user)
    learners[user] = asdict(state)
    _write_all(data_dir, learners)


def forget_state(data_dir: Path, user: str) -> bool:
    """Drop ``user``'s sync link (the learner leaves the class on this machine, or is
    removed); whether there was one. The server keeps that learner and their answers."""
    learners = _read_all(data_dir)
    kept = _others(data_dir, user)
    if len(kept) == len(learners):
        return False
    _write_all(data_dir, kept)
    return True


def rename_state(data_dir: Path, old: str, new: str) -> bool:
    """Carry ``old``'s sync link over to the local learner renamed ``new`` (the link is
    kept by local name); whether there was one."""
    state = load_state(data_dir, old)
    if state is None:
        return False
    learners = _others(data_dir, old)
    learners[new] = asdict(state)
    _write_all(data_dir, learners)
    return True


def _others(data_dir: Path, user: str) -> dict[str, Any]:
    return {
        name: values
        for name, values in _read_all(data_dir).items()
        if name.casefold() != user.casefold()
    }


def _write_all(data_dir: Path, learners: dict[str, Any]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = state_path(data_dir)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"format": STATE_FORMAT, "learners": learners}, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(partial, 0o600)  # in case the file existed with wider rights
    os.replace(partial, path)


def last_sync(data_dir: Path, user: str) -> datetime | None:
    """When ``user``'s last sync completed, or None (never, or the file is unreadable:
    the home screen shows this and must never fail because of it)."""
    try:
        state = load_state(data_dir, user)
    except StoreError:
        return None
    if state is None or state.last_sync is None:
        return None
    try:
        return datetime.fromisoformat(state.last_sync)
    except ValueError:
        return None


# --- answers out ----------------------------------------------------------------------


class Outgoing(NamedTuple):
    """Rows to send, in the export's column order, and the state once they are sent."""

    reviews: list[list[Any]]
    exams: list[list[Any]]
    state: SyncState


def unsent(store: Store, user: str, state: SyncState, *, limit: int = 1000) -> Outgoing:
    """Up to ``limit`` of ``user``'s own answers (and their exams) not sent yet. Sending
    one twice is harmless (the server keeps each uid once), so when in doubt, send."""
    # Undo's snapshot of the card stays on this machine: it is sent empty.
    at = REVIEW_COLUMNS.index("state_before")
    columns = ", ".join(c for c in REVIEW_COLUMNS if c != "state_before")
    with store.snapshot() as db:
        user_id = store._user(db, user).id
        rows = db.execute(
            f"SELECT id, {columns} FROM reviews WHERE user_id = ? AND imported != ? "
            "AND (id > ? OR reviewed_ms > ?) ORDER BY id LIMIT ?",
            (user_id, answer_log.FROM_SERVER, state.sent_review_id, state.sent_review_ms, limit),
        ).fetchall()
        exams = db.execute(
            f"SELECT id, {', '.join(EXAM_COLUMNS)} FROM exams WHERE user_id = ? AND id > ? "
            "ORDER BY id LIMIT ?",
            (user_id, state.sent_exam_id, limit),
        ).fetchall()
    reviews = [[*row[1 : at + 1], None, *row[at + 1 :]] for row in rows]
    after = replace(
        state,
        sent_review_id=max([state.sent_review_id, *(row[0] for row in rows)]),
        sent_review_ms=max([state.sent_review_ms, *(row[4] for row in rows)]),
        sent_exam_id=max([state.sent_exam_id, *(row[0] for row in exams)]),
    )
    return Outgoing(reviews, [list(row[1:]) for row in exams], after)


# --- answers in -----------------------------------------------------------------------


class Received(NamedTuple):
    """What :func:`receive` added."""

    reviews_added: int
    exams_added: int
    cards_rebuilt: int


def receive(
    store: Store,
    user: str,
    reviews: list[list[Any]],
    exams: list[list[Any]],
    deck_of: Callable[[str], Deck | None] | None = None,
) -> Received:
    """Take in answers and exams from the server (export column order): each row is
    checked as an import checks it (a bad one refuses them all), those whose uid is
    new are stored, and the cards they touch rebuilt (:func:`rebuild_cards`). With
    ``deck_of`` (a deck by its id), the siblings of the cards answered today are buried
    (:func:`bury_siblings`)."""
    problems = check_tables({"reviews": reviews, "exams": exams}, store.clock.now())
    if problems:
        first = problems[0]
        raise SyncError(
            f"the server sent {len(problems)} bad values, the first in the {first.table!r} "
            f"table, row {first.row}, column {first.column!r}: {first.value}",
            problems,
        )
    today_ms = to_ms(store.calendar.start_of_today(store.clock.now()))
    # New answers given today (scheduled): known ones had their siblings seen to already.
    today = [
        (row[1], row[2])
        for row in reviews
        if row[9] and row[3] >= today_ms and not store.has_answer(user, row[0])
    ]
    report = store.merge_tables(
        user,
        {"cards": [], "reviews": reviews, "exams": exams},
        source=Path("server"),
        origin=answer_log.FROM_SERVER,
    )
    keys = {(row[1], row[2]) for row in reviews}
    rebuilt = rebuild_cards(store, user, keys, unbury=keys)
    if deck_of is not None and today:
        bury_siblings(store, user, today, deck_of)
    return Received(report.reviews_added, report.exams_added, rebuilt)


def bury_siblings(
    store: Store,
    user: str,
    answered: Iterable[tuple[str, str]],
    deck_of: Callable[[str], Deck | None],
) -> int:
    """Bury until tomorrow what the cards ``answered`` today on another machine hold
    back (:meth:`Siblings.held_back_by` with their own texts: their group, the cards
    whose answer they show), as a session there did; never a card answered today nor one in its
    learning steps. Returns how many were buried."""
    answered = set(answered)
    buried = 0
    for deck_id in sorted({deck_id for deck_id, _card_id in answered}):
        deck = deck_of(deck_id)
        if deck is None:
            continue  # a deck this machine does not have
        siblings = Siblings(((deck.id, card.id), card) for card in deck.cards)
        held: set[tuple[str, str]] = set()
        for key in sorted(k for k in answered if k[0] == deck_id):
            card = deck.card(key[1])
            if card is not None:
                held |= siblings.held_back_by(key, *shown_texts(card))
        for key in sorted(held - answered):
            record = store.card(user, *key)
            if (
                record is not None
                and not record.state.is_new
                and record.state.state != State.Review
            ):
                continue  # a learning step: its answer was shown when it was last asked
            store.bury(user, *key)
            buried += 1
    return buried


def rebuild_cards(
    store: Store,
    user: str,
    cards: Iterable[tuple[str, str]],
    *,
    unbury: Iterable[tuple[str, str]] = (),
) -> int:
    """Set each card's state to what its scheduled answers give, replayed in time order
    (ties by uid) with the learner's scheduler; suspended stays as it is, and so does
    buried, but for the cards in ``unbury`` (answered on another machine: a bury made
    here for a sibling answered here no longer holds, the card's new due date does).
    The same answers give the same state on every machine. Returns the cards rebuilt."""
    keys = sorted(set(cards))
    freed = set(unbury)
    scheduler = store.scheduler
    leech_of = scheduler.is_leech
    count = 0
    with store._write() as db:
        user_id = store._user(db, user).id
        for deck_id, card_id in keys:
            answers = sorted(
                db.execute(
                    "SELECT reviewed_ms, uid, mode, outcome, rating, duration_ms FROM reviews "
                    "WHERE user_id = ? AND deck_id = ? AND card_id = ? AND scheduled = 1",
                    (user_id, deck_id, card_id),
                ).fetchall()
            )
            current = store._card_row(db, user_id, deck_id, card_id)
            if not answers:
                continue
            state = CardState.new(deck_id, card_id, from_ms(answers[0][0]))
            recognised: int | None = None
            recalled: int | None = None
            for at_ms, _uid, mode, outcome, rating, duration_ms in answers:
                duration = None if duration_ms is None else timedelta(milliseconds=duration_ms)
                state, _ = scheduler.review(state, Rating(rating), from_ms(at_ms), duration)
                if outcome in RIGHT:
                    if mode == "choice" and recognised is None:
                        recognised = at_ms
                    if mode == "typed" and recalled is None:
                        recalled = at_ms
            values = state_values(state, introduced_ms=answers[0][0])
            values.update(
                buried_until_ms=None
                if current is None or (deck_id, card_id) in freed
                else current["buried_until_ms"],
                suspended=0 if current is None else current["suspended"],
                leech=int(leech_of(state)),
                recognised_ms=recognised,
                recalled_ms=recalled,
            )
            store._put_card(db, user_id, deck_id, card_id, values)
            count += 1
    return count
