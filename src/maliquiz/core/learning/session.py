"""A study session: the state machine that the plain line mode and the app both drive.

The session owns what happens between two cards; the screens only show its state and
send it what the learner did. One question is asked at a time:

    ASKING ──answer()/skip()──▶ ANSWERED ──next()──▶ ASKING … ──▶ FINISHED
    ASKING ──reveal()──▶ REVEALED ──rate(1..4)──▶ ANSWERED           (flashcards)

Every answer is checked (:mod:`maliquiz.core.answers.checking`), rated, scheduled and committed
to the store before :meth:`StudySession.answer` returns, so quitting at any point loses
nothing. ``override`` replaces the verdict of the answer just given ("I was right" /
"I was wrong"); ``undo`` takes back the last answer (and what it held back), asks it again.

How a card is asked grows with the memory of it (:func:`.questions.asks_typed`): a new text,
number or date card is first asked as multiple choice with options drawn from the deck
(recognition); once picked right it comes back in the same session to be typed
(recall), and is typed from then on. A typed answer that fails soon after (within the
learner's ``typed_recall_days``) sends the card back to a choice first; at 0 every card
is typed. The store keeps when a card was first recognised and first recalled.

Options are drawn from a generator seeded by the card and the study day, so a card
asked twice in a day shows the same options in the same order.

Siblings (:mod:`.siblings`): today's cards are ordered so that a card comes before
those whose text shows its answer, and once a card is on screen, the cards still to
come of its group or whose answer it shows are held back to the next day (buried).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from maliquiz.core.answers.verdict import NOT_RECALLED, Outcome, Verdict
from maliquiz.core.deck.giveaways import GiveawayIndex
from maliquiz.core.deck.models import CardBase, Deck
from maliquiz.core.learning.holding import HoldingBack, SetAside
from maliquiz.core.learning.questions import (
    Mode,
    Question,
    Response,
    asks_typed,
    deck_names,
    empty_response,
    grade,
    present,
    response_text,
    select_cards,
)
from maliquiz.core.learning.queue import (
    ITEM_KEY,
    QueueItem,
    QueueKind,
    build_queue,
    coming_back,
    count_kinds,
    cram_queue,
    new_cards_today,
)
from maliquiz.core.learning.records import ProgressStore, RecordedAnswer
from maliquiz.core.learning.reports import (
    Counts,
    Feedback,
    Phase,
    SessionError,
    Summary,
    outcome_for_rating,
)
from maliquiz.core.learning.scheduling import Rating, State, rating_for, self_rating
from maliquiz.core.learning.siblings import Key, Siblings

LEARN_AHEAD = timedelta(minutes=20)
"""When nothing else is left, a learning step due within this delay is asked early."""

PRESENTATION_TRIES = 3
"""Draws of options tried for a card, keeping the one that shows the fewest answers of
cards still to come."""


@dataclass
class _Answered:
    question: Question
    recorded: RecordedAnswer
    feedback: Feedback
    response: Response | None
    duration: timedelta
    recall_failed_before: bool
    """Whether a failed typed answer was pending for the card before this answer."""
    outcome: Outcome  # as recorded: skipped for "I don't know", whose verdict says wrong
    held: list[QueueItem]  # the cards this answer held back (an undo brings them back)
    added: list[QueueItem]  # the new cards queued in their place (an undo takes them out)
    outside: list[Key]  # cards of the group outside the session, buried (an undo unburies)


class StudySession(HoldingBack):
    """Today's cards of some decks for one learner, asked one at a time.

    ``cram=True`` practises ahead: every card of the selection, answers logged but the
    schedule left alone. ``only`` restricts the selection to some (deck id, card id)
    pairs (used by "study my mistakes" after an exam).
    """

    def __init__(
        self,
        store: ProgressStore,
        user: str,
        decks: Sequence[Deck],
        *,
        tags: Sequence[str] = (),
        limit: int | None = None,
        cram: bool = False,
        new_per_deck: int | None = None,
        only: Iterable[tuple[str, str]] | None = None,
    ) -> None:
        self.store = store
        self.user = user
        self.decks = {deck.id: deck for deck in decks}
        self.cram = cram
        self.limit = limit
        self.tags = tuple(tags)
        store.ensure_user(user)
        settings = store.settings(user)
        self._typed_after = timedelta(days=settings.typed_recall_days)
        self._selection, self._selected = select_cards(decks, self.tags, only)
        self._names_by_deck = {deck.id: deck_names(deck) for deck in decks}
        now = store.clock.now()
        self.started_at = now
        if cram:
            queue = cram_queue(store, user, self._selection, now=now, limit=limit)
        else:
            if new_per_deck is None:
                new_per_deck = settings.new_per_deck
            queue = build_queue(store, user, self._selected, now=now, new_per_deck=new_per_deck)
        self._new_per_deck = new_per_deck or 0
        by_key = dict(zip(map(ITEM_KEY, queue.items), queue.items, strict=True))
        keys = (*by_key, *map(ITEM_KEY, queue.upcoming))
        self._siblings = Siblings(
            ((k, card) for k in keys if (card := self._card(k)) is not None), lazily=True
        )
        self._queue: list[QueueItem] = list(by_key.values())
        self._unordered: set[Key] = set(by_key)  # put in sibling order as they come near
        # Nothing was shown yet, so nothing of the first window is given away.
        self._siblings.order_window(self._queue, ITEM_KEY, self._unordered)
        self._learning: list[tuple[datetime, int, str, str]] = []  # heap of steps due
        self._tiebreak = 0
        for item in queue.upcoming:
            assert item.due is not None
            self._push_learning(item.due, item.key)
        self._recall_failed: set[Key] = set()
        self._hold_after_answer: set[Key] = set()
        self._deck_indexes: dict[str, GiveawayIndex[str]] = {}
        self.held_back: list[Key] = []
        """Cards held back to the next day in this session (a sibling was asked, or
        their answer was on screen)."""
        self._history: list[_Answered] = []
        self._set_asides: list[SetAside] = []
        self._rewriting: Key | None = None  # the card whose answer an override rewrites
        self.undone: str | None = None
        """What the last :meth:`undo` took back: ``answer``, ``bury`` or ``suspend``
        (``bury-answered``, ``suspend-answered``: set aside once answered, the answer
        kept); see :func:`.display.undone_line`."""
        self.phase = Phase.ASKING
        self.question: Question | None = None
        self.feedback: Feedback | None = None
        self._shown_at = now
        self._asked = 0
        self._deck_groups: dict[str, dict[str, list[str]]] = {}
        self._advance()

    # --- what the screens read --------------------------------------------------

    @property
    def selection_size(self) -> int:
        """How many cards the decks and tags selected."""
        return len(self._selection)

    @property
    def answered(self) -> int:
        """Answers given so far in this session (undone ones excluded)."""
        return len(self._history)

    def counts(self) -> Counts:
        """Cards left, by kind; the current question counts until it is answered. With
        a ``limit``, those the session will still ask, in its order: the learning steps
        due now, the queue, then the steps due later."""
        learning, queue = len(self._learning), self._queue
        if self.limit is not None:
            room = max(0, self.limit - self._asked)  # the question on screen is asked
            now = self.store.clock.now()
            due = min(room, sum(1 for step in self._learning if step[0] <= now))
            queue = queue[: room - due]
            learning = due + min(learning - due, room - due - len(queue))
        kinds = count_kinds(queue)
        if self.question is not None and self.phase in (Phase.ASKING, Phase.REVEALED):
            kinds[self.question.kind] += 1
        review = kinds[QueueKind.REVIEW] + kinds[QueueKind.CRAM]
        return Counts(kinds[QueueKind.NEW], learning + kinds[QueueKind.LEARNING], review)

    def progress(self, counts: Counts | None = None) -> tuple[int, int]:
        """(answered, answered + left) for a progress bar; ``counts`` just read spares
        counting a long queue twice."""
        return self.answered, self.answered + (counts or self.counts()).total

    def preview_intervals(self) -> dict[int, timedelta]:
        """For a flashcard: the interval each rating 1–4 would give, as on Anki's buttons."""
        question = self._require(Phase.ASKING, Phase.REVEALED)
        state = self.store.card_state(self.user, *question.key)
        now = self.store.clock.now()
        return {int(r): d for r, d in self.store.scheduler.preview(state, now).items()}

    # --- what the learner does --------------------------------------------------

    def answer(self, response: Response) -> Feedback:
        """Check, rate, schedule and record an answer to the current question."""
        question = self._require(Phase.ASKING)
        if question.mode == Mode.FLASHCARD:
            raise SessionError("a flashcard is revealed, then rated")
        verdict = self._check(question, response)
        return self._record(question, verdict, response)

    def skip(self) -> Feedback:
        """ "I don't know": recorded as a wrong answer, and the right one is shown."""
        question = self._require(Phase.ASKING, Phase.REVEALED)
        if question.mode == Mode.FLASHCARD:
            self.phase = Phase.REVEALED
            return self.rate(1)
        # No answer given: the right one is shown, nothing is graded as a guess (an
        # order left as shown, a true/false left unset).
        shown = self._check(question, empty_response(question))
        verdict = replace(shown, outcome=Outcome.WRONG, given="", score=0.0, detail=None, diff=())
        return self._record(question, verdict, None, outcome=Outcome.SKIPPED)

    def reveal(self) -> str:
        """Show a flashcard's back; the learner then rates it with :meth:`rate`."""
        question = self._require(Phase.ASKING)
        if question.mode != Mode.FLASHCARD or question.back is None:
            raise SessionError("only a flashcard has a back to reveal")
        self.phase = Phase.REVEALED
        return question.back

    def rate(self, value: int) -> Feedback:
        """Rate a revealed flashcard: 1 Again, 2 Hard, 3 Good, 4 Easy."""
        question = self._require(Phase.REVEALED)
        rating = self_rating(value)
        assert question.back is not None
        verdict = Verdict.self_rated(outcome_for_rating(rating), question.back)
        return self._record(question, verdict, None, rating=rating)

    def override(self, correct: bool) -> Feedback:
        """Replace the verdict of the last answer: "I was right" / "I was wrong".

        Allowed while its feedback is shown and, as in the plain mode, once the next
        question is on screen (that question stays where it is)."""
        if not self.overridable:
            raise SessionError("no checked answer to override: undo it and answer instead")
        last = self._history[-1]
        keep = (self.phase, self.question, self._shown_at) if self.phase != Phase.ANSWERED else None
        # What the question on screen will hold back once answered is its own: kept
        # aside while the last answer is written again, holding back what it held back.
        pending = self._hold_after_answer
        self._hold_after_answer = set(map(ITEM_KEY, self._take_back().held))
        outcome = Outcome.CORRECT if correct else Outcome.WRONG
        verdict = last.feedback.verdict.with_outcome(outcome)
        # Asked, while it is written again: the new cards queued in the place of those
        # it holds back are others (it came back as a new card: trial finding).
        self._rewriting = last.question.key
        try:
            feedback = self._record(
                last.question, verdict, last.response, duration=last.duration, overridden=True
            )
        finally:
            self._rewriting = None
        self._hold_after_answer = pending
        if keep is not None and keep[1] is not None and keep[1].key == last.question.key:
            self._asked -= 1  # a step of the card rewritten: its new schedule decides
            self._advance()
        elif keep is not None:
            self.phase, self.question, self._shown_at = keep
            self.feedback = None
        return feedback

    @property
    def overridable(self) -> bool:
        """Whether :meth:`override` can turn the last answer around (not a rating nor a
        skip, nor a card buried or suspended since: undo that first)."""
        last = self._history[-1] if self._history else None
        return last is not None and last.response is not None and not self.set_aside_last

    def override_last(self) -> Feedback:
        """Flip the last verdict: a wrong answer becomes right, a right one wrong."""
        if not self.overridable:
            raise SessionError("no checked answer to override")
        outcome = self._history[-1].feedback.verdict.outcome
        return self.override(outcome not in (Outcome.CORRECT, Outcome.TYPO))

    def undo(self) -> Question | None:
        """Take back the last answer of this session and ask its card again, or the last
        bury or suspension (see :mod:`.holding`), whichever came last; None when there is
        nothing to undo."""
        if self.set_aside_last:
            aside = self._set_asides[-1]
            self.undone = f"{aside.kind}-answered" if aside.answered else aside.kind
            return self._undo_set_aside()
        if not self._history:
            return None
        self.undone = "answer"
        last = self._take_back()
        # The card taken back is asked again (a step of it on screen included); the new
        # cards queued in place of what it held back go with the answer.
        return self._ask_again(last.question, {last.question.key, *map(ITEM_KEY, last.added)})

    def bury(self) -> None:
        """Hide the current card until tomorrow and move on."""
        self._set_aside("bury")

    def suspend(self) -> None:
        """Take the current card out of every queue until it is unsuspended; move on."""
        self._set_aside("suspend")

    def _set_aside(self, kind: Literal["bury", "suspend"]) -> None:
        """Bury or suspend the current card and move on. A new card set aside before
        its answer leaves its place among the day's new cards to the next one (as a
        card held back does); unanswered, it holds none of its siblings back."""
        question = self._require(Phase.ASKING, Phase.REVEALED, Phase.ANSWERED)
        (self.store.bury if kind == "bury" else self.store.suspend)(self.user, *question.key)
        steps = [step for step in self._learning if (step[2], step[3]) == question.key]
        self._forget_learning(question.key)
        answered = self.phase == Phase.ANSWERED
        added: list[QueueItem] = []
        if not answered and question.kind == QueueKind.NEW and not self.cram:
            self.question = None
            added = self._refill_new(question.deck.id)[0]
        aside = SetAside(question, kind, steps, added, len(self._history), answered)
        self._set_asides.append(aside)
        self._advance()

    def next(self) -> Question | None:
        """Move on after the feedback; None when the session is over."""
        self._require(Phase.ANSWERED)
        self._advance()
        return self.question

    def finish(self) -> Summary:
        """End the session (answers are already saved) and sum it up."""
        # Cards of windows never reached whose answer an answered question showed: held
        # back now (buried, so no session today asks them), as at that question's answer.
        self._hold_back(self._siblings.given_away_later(map(ITEM_KEY, self._queue)), refill=False)
        now = self.store.clock.now()
        on_screen = self.question is not None and self.phase in (Phase.ASKING, Phase.REVEALED)
        left = len(self._queue) + on_screen + len(self._learning)  # steps due later today too
        new_left = 0 if self.cram else self._new_left()
        self.phase = Phase.FINISHED
        self.question = None
        outcomes: dict[str, int] = {}
        for item in self._history:
            key = str(item.outcome)
            outcomes[key] = outcomes.get(key, 0) + 1
        correct = len(self._history) - sum(outcomes.get(str(o), 0) for o in NOT_RECALLED)
        due_tomorrow, next_due = coming_back(self.store, self.user, self._selection, now)
        return Summary(
            answered=len(self._history),
            cards=len({item.question.key for item in self._history}),
            correct=correct,
            by_outcome=outcomes,
            duration=now - self.started_at,
            due_tomorrow=due_tomorrow,
            next_due=next_due,
            left=left,
            new_left=new_left,
        )

    def _new_left(self) -> int:
        """New cards today's queue (the learner's daily limit) still has for the
        session's decks, beyond those the session held."""
        per_deck = self.store.settings(self.user).new_per_deck
        today = new_cards_today(self.store, self.user, self._selected, new_per_deck=per_deck)
        mine = set(map(ITEM_KEY, self._queue))
        if self.question is not None and self.phase in (Phase.ASKING, Phase.REVEALED):
            mine.add(self.question.key)  # counted among the cards left
        return sum(1 for key in today if key not in mine)

    # --- inside -----------------------------------------------------------------

    def _take_back(self) -> _Answered:
        """Undo the last answer in the store and in the session's memory of it."""
        last = self._history.pop()
        self.store.undo_last(self.user)
        self._forget_learning(last.question.key)
        if last.recall_failed_before:
            self._recall_failed.add(last.question.key)
        else:
            self._recall_failed.discard(last.question.key)
        # What the answer held back comes back, what took its place goes, and so does
        # any step of the card taken back left in the queue (an undo put it there).
        gone = {*map(ITEM_KEY, last.added), last.question.key}
        self._queue = [*last.held, *(i for i in self._queue if ITEM_KEY(i) not in gone)]
        for item in last.held:
            if not self.cram:
                self.store.unbury(self.user, *item.key)
            self.held_back.remove(item.key)
        for key in last.outside:
            self.store.unbury(self.user, *key)
            self.held_back.remove(key)
        return last

    def _card(self, key: Key) -> CardBase | None:
        deck = self.decks.get(key[0])
        return deck.card(key[1]) if deck is not None else None

    def _push_learning(self, due: datetime, key: Key) -> None:
        self._tiebreak += 1
        heapq.heappush(self._learning, (due, self._tiebreak, *key))

    def _require(self, *phases: Phase) -> Question:
        if self.phase not in phases or self.question is None:
            raise SessionError(f"not possible while {self.phase}")
        return self.question

    def _check(self, question: Question, response: Response) -> Verdict:
        return grade(question, response, others=self._names_by_deck.get(question.deck.id, ()))

    def _record(
        self,
        question: Question,
        verdict: Verdict,
        response: Response | None,
        *,
        rating: Rating | None = None,
        outcome: Outcome | None = None,
        duration: timedelta | None = None,
        overridden: bool = False,
    ) -> Feedback:
        now = self.store.clock.now()
        outcome = outcome or verdict.outcome
        took = duration if duration is not None else now - self._shown_at
        if rating is None:
            slow = verdict.outcome == Outcome.CORRECT and self.store.scheduler.is_slow(took)
            rating = rating_for(verdict.outcome, slow=slow)
        # What this question showed is now seen: hold back what it gave away. Before the
        # answer is written, so that a write failing here leaves it unrecorded, and said so.
        held, added = self._hold_back(self._hold_after_answer)
        outside = self._hold_back_outside(question.key)
        self._siblings.seen([question.prompt, *question.lefts], question.options)
        recorded = self.store.record_answer(
            self.user,
            *question.key,
            rating=rating,
            outcome=outcome,
            mode=str(question.mode),
            answer=response_text(response),
            duration=took,
            schedule=not self.cram,
        )
        after = recorded.after.state
        scheduled = not self.cram
        due = after.due if scheduled else None
        feedback = Feedback(
            question=question,
            verdict=verdict,
            rating=rating,
            due=due,
            interval=(due - now) if due is not None else None,
            scheduled=scheduled,
            became_leech=recorded.became_leech,
            overridden=overridden,
            outcome=Outcome(outcome),
        )
        self._hold_after_answer = set()
        failed_before = question.key in self._recall_failed
        answered = _Answered(
            question,
            recorded,
            feedback,
            response,
            took,
            failed_before,
            outcome,
            held,
            added,
            outside,
        )
        self._history.append(answered)
        if question.mode == Mode.CHOICE and verdict.right:
            self._recall_failed.discard(question.key)
        elif question.mode == Mode.TYPED and not verdict.right:
            self._recall_failed.add(question.key)
        learning = after.state in (State.Learning, State.Relearning)
        if learning and due is not None and due < self.store.calendar.start_of_tomorrow(now):
            # A same-day step: the card comes back in this session once it is due.
            self._push_learning(due, question.key)
        self.feedback = feedback
        self.phase = Phase.ANSWERED
        return feedback

    def _forget_learning(self, key: tuple[str, str]) -> None:
        kept = [item for item in self._learning if (item[2], item[3]) != key]
        if len(kept) != len(self._learning):
            heapq.heapify(kept)
            self._learning = kept

    def _advance(self) -> None:
        self.feedback = None
        if self.limit is not None and self._asked >= self.limit:
            self._end()
            return
        now = self.store.clock.now()
        if self._learning and self._learning[0][0] <= now:
            _due, _, deck_id, card_id = heapq.heappop(self._learning)
            self._ask_key(deck_id, card_id, QueueKind.LEARNING)
            return
        while self._queue:
            given_away = self._siblings.order_window(self._queue, ITEM_KEY, self._unordered)
            self._hold_back(given_away)  # by questions answered before their window came
            if not self._queue:
                break
            item = self._queue.pop(0)
            if self._ask_key(item.deck_id, item.card_id, item.kind):
                return
        if self._learning and self._learning[0][0] <= now + LEARN_AHEAD:
            _due, _, deck_id, card_id = heapq.heappop(self._learning)
            self._ask_key(deck_id, card_id, QueueKind.LEARNING)
            return
        self._end()

    def _end(self) -> None:
        self.phase = Phase.FINISHED
        self.question = None

    def _ask_key(self, deck_id: str, card_id: str, kind: QueueKind) -> bool:
        deck = self.decks.get(deck_id)
        card = deck.card(card_id) if deck else None
        if deck is None or card is None:
            return False
        self._ask(deck, card, kind)
        return True

    def _ask(self, deck: Deck, card: CardBase, kind: QueueKind) -> None:
        self._asked += 1
        now = self.store.clock.now()
        today = self.store.calendar.day(now)
        key = (deck.id, card.id)
        typed = asks_typed(
            self.store.card(self.user, *key),
            now,
            self._typed_after,
            recall_failed=key in self._recall_failed,
        )
        # Options come from a generator seeded by the card and the day, and of a few
        # draws the one naming the fewest answers of other cards of its deck is kept:
        # the same question looks the same all day, in any session.
        index = self._deck_index(deck)
        best: tuple[int, Question] | None = None
        for attempt in range(PRESENTATION_TRIES):
            rng = random.Random(f"{deck.id}|{card.id}|{today.isoformat()}|{attempt}")
            question = present(deck, card, kind, self._asked, rng=rng, typed=typed, today=today)
            shown = len(index.revealed_by((), question.options) - {card.id})
            if best is None or shown < best[0]:
                best = (shown, question)
            if not question.options or not shown:
                break  # nothing drawn, or nothing given away
        assert best is not None
        self.question = best[1]
        # Held back once the question is answered: the cards still to come of the same
        # group, or whose answer this question shows.
        statements = [self.question.prompt, *self.question.lefts]
        held = self._siblings.held_back_by(key, statements, self.question.options)
        # Those still to come: the queue read only when some are held (most questions).
        self._hold_after_answer = held & set(map(ITEM_KEY, self._queue)) if held else set()
        self.phase = Phase.ASKING
        self.feedback = None
        self._shown_at = now

    def _deck_index(self, deck: Deck) -> GiveawayIndex[str]:
        index = self._deck_indexes.get(deck.id)
        if index is None:
            index = self._deck_indexes[deck.id] = GiveawayIndex((c.id, c) for c in deck.cards)
        return index


__all__ = ["Counts", "Feedback", "Phase", "SessionError", "StudySession", "Summary"]
