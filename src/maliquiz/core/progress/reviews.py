"""The answer log: recording an answer with its new schedule, undo, and reading the log."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from typing import Any, Final, NamedTuple

from fsrs import Rating

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import from_ms, to_ms
from maliquiz.core.learning.records import (
    CardRecord,
    RecordedAnswer,
    UndoneAnswer,
)
from maliquiz.core.learning.scheduling import CardState
from maliquiz.core.progress import answer_log, daily
from maliquiz.core.progress.cards import CardQueries, card_record, check_ids, state_values


class ReviewRecord(NamedTuple):
    """One row of the review log."""

    uid: str
    deck_id: str
    card_id: str
    reviewed_at: datetime
    mode: str
    answer: str | None
    outcome: str
    rating: Rating
    duration: timedelta | None
    scheduled: bool
    imported: bool


_RATINGS: Final = {int(rating): rating for rating in Rating}
"""Ratings by their number (an enum call per row was the slowest part of reading the log)."""


class ReviewQueries(CardQueries):
    """Answers: record one (scheduling its card), undo the last, read them back."""

    _codes_known: answer_log.KnownCodes | None = None
    """The mode and outcome codes as the last committed answer saw them."""

    # --- answers --------------------------------------------------------------------

    def record_answer(
        self,
        user: str,
        deck_id: str,
        card_id: str,
        *,
        rating: Rating,
        outcome: Outcome | str,
        mode: str,
        answer: str | None = None,
        duration: timedelta | None = None,
        schedule: bool = True,
    ) -> RecordedAnswer:
        """Schedule the card after an answer and log the answer, in one transaction
        committed before this returns.

        The card's state is read inside the transaction, so two processes answering
        for the same learner never lose each other's answers. With ``schedule=False``
        (practice ahead) the answer is logged and the card left as it was.
        """
        check_ids(deck_id, card_id)
        if not mode:
            raise ValueError("mode must name how the card was asked (choice, typed, ...)")
        rating = Rating(rating)
        now = self.clock.now()
        now_ms = to_ms(now)
        review_uid = uuid.uuid4().hex
        duration_ms = None if duration is None else max(0, duration // timedelta(milliseconds=1))
        with self._write() as db:
            user_id = self._user(db, user).id
            before = self._card_row(db, user_id, deck_id, card_id)
            if before is None:
                record_before = None
                state = CardState.new(deck_id, card_id, now)
                values = state_values(state, introduced_ms=None)
            else:
                record_before = card_record(deck_id, card_id, before)
                state = record_before.state
                values = dict(before)
            became_leech = False
            if schedule:
                state, _ = self.scheduler.review(state, rating, now, duration)
                leech = bool(values["leech"]) or self.scheduler.is_leech(state)
                became_leech = leech and not values["leech"]
                right = str(outcome) in (Outcome.CORRECT, Outcome.TYPO)
                values.update(
                    state_values(state, introduced_ms=values["introduced_ms"] or now_ms),
                    buried_until_ms=values["buried_until_ms"],
                    suspended=values["suspended"],
                    leech=int(leech),
                    recognised_ms=values.get("recognised_ms")
                    or (now_ms if right and mode == "choice" else None),
                    recalled_ms=values.get("recalled_ms")
                    or (now_ms if right and mode == "typed" else None),
                )
                self._put_card(db, user_id, deck_id, card_id, values)
            codes = answer_log.Codes(db, self._codes_known)
            card = codes.card(deck_id, card_id)
            previous = daily.previous_answer_ms(db, user_id, card, now_ms)
            daily.add(
                db,
                user_id,
                self.calendar.day(now),
                daily.counts_of(int(rating), schedule, now_ms, previous),
            )
            answer_log.insert_answer(
                db,
                codes,
                user_id,
                (
                    review_uid,
                    deck_id,
                    card_id,
                    now_ms,
                    mode,
                    answer,
                    str(outcome),
                    int(rating),
                    duration_ms,
                    int(schedule),
                    None if before is None else json.dumps(before),
                ),
                imported=0,
                fresh=True,
            )
        self._codes_known = answer_log.KnownCodes(codes.modes, codes.outcomes)  # committed
        return RecordedAnswer(
            uid=review_uid,
            deck_id=deck_id,
            card_id=card_id,
            before=record_before,
            after=card_record(deck_id, card_id, values, state=state),
            reviewed_at=now,
            rating=rating,
            became_leech=became_leech,
        )

    def undo_last(self, user: str) -> UndoneAnswer | None:
        """Take back the learner's last answer recorded here: the card gets back exactly
        the row it had before (or none, if it had none) and the log row is deleted.
        Returns None when there is nothing to undo. Call again to undo further back."""
        with self._write() as db:
            user_id = self._user(db, user).id
            row = db.execute(
                "SELECT l.id, l.uid, l.card, k.deck_id, k.card_id, l.scheduled, u.state_before, "
                "l.reviewed_ms, l.rating FROM review_log AS l "
                "JOIN card_keys AS k ON k.id = l.card "
                "LEFT JOIN review_undo AS u ON u.review = l.id "
                "WHERE l.user_id = ? AND l.imported = 0 "
                "ORDER BY l.reviewed_ms DESC, l.id DESC LIMIT 1",
                (user_id,),
            ).fetchone()
            if row is None:
                return None
            review_id, stored_uid, card, deck_id, card_id, scheduled, packed, at_ms, rating = row
            previous = daily.previous_answer_ms(db, user_id, card, at_ms, row_id=review_id)
            counts = daily.counts_of(rating, bool(scheduled), at_ms, previous)
            daily.add(db, user_id, self.calendar.day(from_ms(at_ms)), counts, sign=-1)
            restored: CardRecord | None = None
            if scheduled:
                if packed is None:
                    db.execute(
                        "DELETE FROM card_states WHERE user_id = ? AND deck_id = ? AND card_id = ?",
                        (user_id, deck_id, card_id),
                    )
                else:
                    values = json.loads(answer_log.unpack_state(packed))
                    self._put_card(db, user_id, deck_id, card_id, values)
                    restored = card_record(deck_id, card_id, values)
            else:
                current = self._card_row(db, user_id, deck_id, card_id)
                restored = None if current is None else card_record(deck_id, card_id, current)
            db.execute("DELETE FROM review_undo WHERE review = ?", (review_id,))
            db.execute("DELETE FROM review_log WHERE id = ?", (review_id,))
        return UndoneAnswer(answer_log.decode_uid(stored_uid), deck_id, card_id, restored)

    def reviews(
        self,
        user: str,
        *,
        deck_id: str | None = None,
        card_id: str | None = None,
        since: datetime | None = None,
    ) -> list[ReviewRecord]:
        """The learner's answers, oldest first, optionally of one deck or card or since
        an instant."""
        uid = self._user(self._db, user).id
        where = ["l.user_id = ?"]
        params: list[Any] = [uid]
        if deck_id is not None or card_id is not None:
            # The card's number first, so that its answers are read by the card's index.
            keys = self._db.execute(
                "SELECT id FROM card_keys WHERE deck_id = coalesce(?, deck_id) "
                "AND card_id = coalesce(?, card_id)",
                (deck_id, card_id),
            ).fetchall()
            where.append(f"l.card IN ({', '.join(str(key) for (key,) in keys)})")
        if since is not None:
            where.append("l.reviewed_ms >= ?")
            params.append(to_ms(since))
        rows = self._db.execute(
            "SELECT CASE WHEN typeof(l.uid) = 'blob' THEN lower(hex(l.uid)) ELSE l.uid END, "
            "k.deck_id, k.card_id, l.reviewed_ms, m.name, a.text, o.name, l.rating, "
            "l.duration_ms, l.scheduled, l.imported FROM review_log AS l "
            "JOIN card_keys AS k ON k.id = l.card "
            "LEFT JOIN review_modes AS m ON m.code = l.mode "
            "LEFT JOIN review_answers AS a ON a.id = l.answer "
            "LEFT JOIN review_outcomes AS o ON o.code = l.outcome WHERE "
            + " AND ".join(where)
            + " ORDER BY l.reviewed_ms, l.id",
            params,
        )
        # Built by position from unpacked rows: the stats screen reads hundreds of
        # thousands of them on a long history.
        return [
            ReviewRecord(
                uid,
                deck_id,
                card_id,
                from_ms(at_ms),
                mode,
                answer,
                outcome,
                _RATINGS[rating],
                None if duration_ms is None else timedelta(milliseconds=duration_ms),
                bool(scheduled),
                bool(imported),
            )
            for (
                uid,
                deck_id,
                card_id,
                at_ms,
                mode,
                answer,
                outcome,
                rating,
                duration_ms,
                scheduled,
                imported,
            ) in rows
        ]

    def daily_sums(self, user: str, since: date) -> list[daily.Day]:
        """The learner's answers summed per study day from ``since`` on (days with
        answers only), oldest first."""
        return daily.read(self._db, self._user(self._db, user).id, since)

    def study_days_before(self, user: str, day: date, limit: int) -> list[date]:
        """Up to ``limit`` study days with answers before ``day``, latest first."""
        return daily.study_days_before(self._db, self._user(self._db, user).id, day, limit)

    def has_answer(self, user: str, uid: str) -> bool:
        """Whether the learner has the answer ``uid`` already."""
        uid_of = self._user(self._db, user).id
        return answer_log.has_uid(self._db, uid_of, answer_log.encode_uid(uid))

    def review_count(self, user: str) -> int:
        """How many answers the learner has given."""
        uid = self._user(self._db, user).id
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM review_log WHERE user_id = ?", (uid,)
            ).fetchone()[0]
        )
