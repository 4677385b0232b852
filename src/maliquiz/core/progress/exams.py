"""The exams a learner sat, with their results question by question."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from maliquiz.core.learning.clock import from_ms, to_ms
from maliquiz.core.learning.records import (
    ExamRecord,
)
from maliquiz.core.progress.connection import EXAM_COLUMNS
from maliquiz.core.progress.users import UserQueries


class ExamQueries(UserQueries):
    """Exams: keep one, list them."""

    # --- exams ----------------------------------------------------------------------

    def record_exam(
        self,
        user: str,
        *,
        decks: Sequence[str],
        tags: Sequence[str] = (),
        score: float,
        max_score: float,
        results: Sequence[dict[str, Any]],
        duration: timedelta | None = None,
    ) -> ExamRecord:
        """Keep the result of an exam; ``results`` holds one JSON-able object per
        question (the session decides its fields)."""
        if not 0 <= score <= max_score:
            raise ValueError(f"score {score} is not between 0 and {max_score}")
        record = ExamRecord(
            uid=uuid.uuid4().hex,
            taken_at=self.clock.now(),
            decks=list(decks),
            tags=list(tags),
            score=float(score),
            max_score=float(max_score),
            duration=duration,
            results=[dict(result) for result in results],
        )
        with self._write() as db:
            user_id = self._user(db, user).id
            db.execute(
                "INSERT INTO exams (uid, user_id, taken_ms, decks, tags, score, max_score, "
                "duration_ms, results) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.uid,
                    user_id,
                    to_ms(record.taken_at),
                    json.dumps(record.decks),
                    json.dumps(record.tags),
                    record.score,
                    record.max_score,
                    None if duration is None else duration // timedelta(milliseconds=1),
                    json.dumps(record.results, ensure_ascii=False),
                ),
            )
        return record

    def exams(self, user: str) -> list[ExamRecord]:
        """The learner's exams, oldest first."""
        uid = self._user(self._db, user).id
        rows = self._db.execute(
            f"SELECT {', '.join(EXAM_COLUMNS)} FROM exams WHERE user_id = ? ORDER BY taken_ms, id",
            (uid,),
        )
        return [
            ExamRecord(
                uid=r[0],
                taken_at=from_ms(r[1]),
                decks=json.loads(r[2]),
                tags=json.loads(r[3]),
                score=r[4],
                max_score=r[5],
                duration=None if r[6] is None else timedelta(milliseconds=r[6]),
                results=json.loads(r[7]),
            )
            for r in rows
        ]
