"""What learning reads and writes about a learner, and the storage it needs.

The records are plain named tuples and one frozen dataclass; :class:`ProgressStore`
names every call the queue, the study session and the exam make on storage.
:mod:`maliquiz.core.progress` implements it with SQLite, so learning never imports
progress: the dependency points from the store to the learning rules it keeps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from fsrs import Rating
from fsrs import Scheduler as FsrsScheduler

from maliquiz.core.answers.verdict import Outcome
from maliquiz.core.learning.clock import Clock, StudyCalendar
from maliquiz.core.learning.scheduling import DEFAULT_PARAMETERS, CardState, Scheduler


class SettingsError(ValueError):
    """A learner setting out of its range."""


class User(NamedTuple):
    """A learner's profile."""

    id: int
    name: str
    created: datetime


class SchedulerFit(NamedTuple):
    """FSRS-6 weights fitted to one learner's answers (``maliquiz optimize``), with what
    the fit was judged on: the scores of the weights used before and of these, on the
    latest fifth of the answers, which the fit did not see."""

    parameters: tuple[float, ...]
    """The 21 weights, as py-fsrs's ``Scheduler(parameters=...)`` takes them."""
    fitted_at: datetime
    """When the fit was made (UTC)."""
    answers: int
    """Scheduled answers the fit and its test read."""
    log_loss_before: float
    log_loss_after: float
    rmse_bins_before: float
    rmse_bins_after: float

    def to_json(self) -> dict[str, Any]:
        """The fit as a JSON object (the instant in ISO 8601)."""
        data = self._asdict()
        data.update(parameters=list(self.parameters), fitted_at=self.fitted_at.isoformat())
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SchedulerFit:
        """Read :meth:`to_json`'s object back; :class:`SettingsError` when it is not one."""
        try:
            fit = cls(
                parameters=tuple(float(w) for w in data["parameters"]),
                fitted_at=datetime.fromisoformat(data["fitted_at"]),
                answers=int(data["answers"]),
                **{key: float(data[key]) for key in cls._fields[3:]},
            )
        except (KeyError, TypeError, ValueError) as error:
            raise SettingsError(f"a scheduler fit must be an object of {cls._fields}") from error
        fit.check()
        return fit

    def check(self) -> None:
        """:class:`SettingsError` unless py-fsrs takes the weights and the figures make sense."""
        if len(self.parameters) != len(DEFAULT_PARAMETERS) or not all(
            isinstance(w, float) and math.isfinite(w) for w in self.parameters
        ):
            raise SettingsError(
                f"FSRS-6 takes {len(DEFAULT_PARAMETERS)} finite weights, not {self.parameters!r}"
            )
        try:
            FsrsScheduler(parameters=self.parameters)  # its own bounds, weight by weight
        except ValueError as error:
            raise SettingsError(f"weights out of FSRS-6's bounds: {error}") from None
        if self.fitted_at.utcoffset() is None:
            raise SettingsError("the instant of a fit must be aware (UTC)")
        if self.answers < 0:
            raise SettingsError(f"a fit reads a number of answers, not {self.answers}")
        scores = self[3:]
        if not all(isinstance(x, float) and math.isfinite(x) and x >= 0 for x in scores):
            raise SettingsError(f"scores of a fit are finite and not negative: {scores}")


@dataclass(frozen=True)
class LearnerSettings:
    """What each learner may tune about their own schedule."""

    desired_retention: float = 0.90
    """Probability of still knowing a card when it comes due (0.70 to 0.97): higher
    means more reviews."""
    new_per_deck: int = 20
    """New cards a deck introduces a day."""
    typed_recall_days: float = 7.0
    """Days after a card was first recognised among choices from which it is always
    typed, even after a failed typed answer (0: every card is typed from the start)."""
    fit: SchedulerFit | None = None
    """FSRS-6 weights fitted to this learner's answers; None: py-fsrs's defaults."""

    def __post_init__(self) -> None:
        if not 0.70 <= self.desired_retention <= 0.97:
            raise SettingsError(
                f"desired retention must be between 0.70 and 0.97, not {self.desired_retention}"
            )
        if not 0 <= self.new_per_deck <= 9999:
            raise SettingsError(f"new cards a day must be 0 to 9999, not {self.new_per_deck}")
        if not 0 <= self.typed_recall_days <= 3650:
            raise SettingsError(
                f"typed recall must start between 0 and 3650 days, not {self.typed_recall_days}"
            )
        if self.fit is not None:
            if not isinstance(self.fit, SchedulerFit):
                raise SettingsError(f"a scheduler fit is a SchedulerFit, not {self.fit!r}")
            self.fit.check()

    @property
    def parameters(self) -> tuple[float, ...]:
        """The FSRS-6 weights this learner is scheduled with."""
        return DEFAULT_PARAMETERS if self.fit is None else self.fit.parameters

    def apply(self, scheduler: Scheduler) -> Scheduler:
        """A scheduler like ``scheduler`` with this learner's desired retention and
        weights (fitted ones, or the defaults again after a reset)."""
        return Scheduler(
            replace(
                scheduler.settings,
                desired_retention=self.desired_retention,
                parameters=None if self.fit is None else self.fit.parameters,
            )
        )

    def to_json(self) -> dict[str, Any]:
        """The settings as the JSON object the store keeps."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["fit"] = None if self.fit is None else self.fit.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LearnerSettings:
        """Settings from :meth:`to_json`'s object (unknown keys ignored, missing ones
        default); :class:`SettingsError` for a value out of range."""
        known = {f.name for f in fields(cls)} - {"fit"}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        fit = data.get("fit")
        if fit is not None:
            if not isinstance(fit, Mapping):
                raise SettingsError(f"a scheduler fit must be an object, not {fit!r}")
            values["fit"] = SchedulerFit.from_json(fit)
        try:
            return cls(**values)
        except TypeError as error:
            raise SettingsError(str(error)) from None


class CardRecord(NamedTuple):
    """One learner's progress on one card."""

    deck_id: str
    card_id: str
    state: CardState
    introduced: datetime | None
    buried_until: datetime | None
    suspended: bool
    leech: bool
    recognised: datetime | None = None
    """The card's first right answer among choices."""
    recalled: datetime | None = None
    """The card's first right answer typed."""

    def is_buried(self, now: datetime) -> bool:
        """True while a bury is in force at ``now``."""
        return self.buried_until is not None and self.buried_until > now


class RecordedAnswer(NamedTuple):
    """An answer as committed: its uid, and the card before and after it."""

    uid: str
    deck_id: str
    card_id: str
    reviewed_at: datetime
    rating: Rating
    before: CardRecord | None
    after: CardRecord
    became_leech: bool


class UndoneAnswer(NamedTuple):
    """The answer :meth:`Store.undo_last` took back and the card as it now is again."""

    uid: str
    deck_id: str
    card_id: str
    restored: CardRecord | None


class ExamRecord(NamedTuple):
    """One exam a learner sat."""

    uid: str
    taken_at: datetime
    decks: list[str]
    tags: list[str]
    score: float
    max_score: float
    duration: timedelta | None
    results: list[dict[str, Any]]

    @property
    def percent(self) -> int:
        """The exam's "Right %" (:func:`right_percent`), as its results screen showed it."""
        return right_percent(self.score, self.max_score)


def right_percent(points: float, out_of: float) -> int:
    """The one "Right %" of the exam results and the exam history: ``points`` (partial
    credit included) over ``out_of`` questions, rounded to a whole percentage."""
    return round(100 * points / out_of) if out_of else 0


class ScheduledCard(NamedTuple):
    """The columns the queue ranks a card on, without rebuilding its state (a named
    tuple: the queue makes thousands of them and a tuple is built fastest)."""

    deck_id: str
    card_id: str
    state: int
    due_ms: int
    stability: float | None
    last_review_ms: int | None


class ProgressStore(Protocol):
    """The storage a study session, today's queue and an exam work with.

    Every write is committed before the call returns. ``clock`` tells the time of
    every answer, ``calendar`` where the study day ends, ``scheduler`` how an answer
    moves a card (with the learner's own settings applied).
    """

    clock: Clock
    calendar: StudyCalendar
    scheduler: Scheduler

    def ensure_user(self, name: str) -> User:
        """The learner called ``name``, created if there is none."""
        ...

    def user(self, name: str) -> User:
        """The learner called ``name``."""
        ...

    def settings(self, user: str) -> LearnerSettings:
        """The learner's own settings."""
        ...

    def card(self, user: str, deck_id: str, card_id: str) -> CardRecord | None:
        """The learner's progress on a card, None if it never had any."""
        ...

    def card_state(self, user: str, deck_id: str, card_id: str) -> CardState:
        """The card's scheduling state (a new one if never answered)."""
        ...

    def cards(self, user: str, deck_id: str | None = None) -> list[CardRecord]:
        """Every card row of the learner, or of one deck."""
        ...

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
        """Log an answer and reschedule its card, in one transaction."""
        ...

    def undo_last(self, user: str) -> UndoneAnswer | None:
        """Take back the learner's last answer."""
        ...

    def bury(self, user: str, deck_id: str, card_id: str) -> datetime:
        """Hide a card until the next study day; returns when it shows again."""
        ...

    def unbury(self, user: str, deck_id: str, card_id: str) -> None:
        """Show a buried card again today."""
        ...

    def unsuspend(self, user: str, deck_id: str, card_id: str) -> None:
        """Let a suspended card come back, on its old schedule."""
        ...

    def suspend(self, user: str, deck_id: str, card_id: str) -> None:
        """Keep a card out of every queue."""
        ...

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
        """Keep the result of an exam."""
        ...

    def snapshot(self) -> AbstractContextManager[Any]:
        """A read transaction: the queries inside it see one state."""
        ...

    def scheduled_cards(
        self, user_id: int, deck_ids: Sequence[str], *, due_before: datetime, now: datetime
    ) -> list[ScheduledCard]:
        """Introduced, unsuspended, unburied cards of these decks due before ``due_before``."""
        ...

    def first_due_at_or_after(
        self,
        user_id: int,
        deck_id: str,
        wanted: Callable[[str], bool],
        *,
        after: datetime,
        now: datetime,
    ) -> tuple[int, int] | None:
        """The soonest due time (ms) at or after ``after`` among the introduced,
        unsuspended cards of a deck not buried at ``now`` whose id ``wanted`` accepts,
        with that card's state."""
        ...

    def introduced_since(self, user_id: int, since: datetime) -> dict[str, int]:
        """Per deck, how many cards had their first answer at or after ``since``."""
        ...

    def card_ids_with_rows(self, user_id: int, deck_id: str) -> set[str]:
        """Card ids of a deck that have a row."""
        ...

    def new_cards(
        self, user_id: int, deck_id: str, selected: Mapping[str, object], room: int, now: datetime
    ) -> list[str]:
        """The first ``room`` new cards among ``selected`` (ids in deck order): those
        with a row never answered and free at ``now`` first, then those without a row."""
        ...

    def unanswered_available(self, user_id: int, deck_id: str, now: datetime) -> set[str]:
        """Cards with a row but never answered, neither suspended nor buried at ``now``."""
        ...
