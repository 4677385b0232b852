"""Statistics of one learner's progress, for ``maliquiz stats`` and the stats screen.

Everything here is computed from the store's public reads; nothing is cached, so the
figures are always those of the file as it is.

Definitions:

* a card is *new* until its first answer; *learning* while in its learning or
  relearning steps; *review* once it has a day interval;
* today's counts, as Anki shows them and as a study session asks them
  (:func:`~maliquiz.core.learning.queue.day_counts`): *new today*, the new cards the
  daily limit still allows; *learn today*, learning and relearning cards due now or
  later today; *due today*, review cards due before the next study day begins (4 am
  local). Suspended and buried cards are left out;
* *recognised*: cards once answered right among choices; *recalled*: cards once
  answered right by typing;
* *true retention* (last 30 days): the share of passed answers (not rated Again) among
  the answers given at least 12 hours after the card's previous answer. Answers
  inside the same-day learning steps are left out: they measure short-term memory,
  not what the schedule is for. Practice-ahead answers are left out too;
* *streak*: study days in a row with at least one answer, ending today (or yesterday,
  when today has none yet).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from maliquiz.core.learning.clock import from_ms, to_ms
from maliquiz.core.learning.queue import DayCounts, build_queue, day_counts
from maliquiz.core.learning.scheduling import Rating, State

if TYPE_CHECKING:
    from maliquiz.core.deck.outline import TaggedCards
    from maliquiz.core.progress.cards import CardFigures
    from maliquiz.core.progress.reviews import ReviewRecord
    from maliquiz.core.progress.store import Store

RETENTION_DAYS = 30
_SPACED = timedelta(hours=12)


class DeckStats(NamedTuple):
    """Card counts of one deck for one learner."""

    deck_id: str
    title: str
    cards: int
    new: int
    learning: int
    review: int
    new_today: int
    learn_today: int
    due_today: int
    suspended: int
    buried: int
    leeches: int
    last_studied: datetime | None
    recognised: int = 0
    recalled: int = 0


class TagMastery(NamedTuple):
    """How well the cards of one tag are known."""

    tag: str
    cards: int
    seen: int
    mature: int
    """Cards with a stability of three weeks or more."""
    mean_retrievability: float | None


class LearnerStats(NamedTuple):
    """Everything the stats screen and ``maliquiz stats`` show."""

    user: str
    decks: list[DeckStats]
    reviews_today: int
    correct_today: int
    true_retention: float | None
    retention_reviews: int
    streak_days: int
    reviews_per_day: dict[date, int]
    due_forecast: dict[date, int]
    tags: list[TagMastery]

    def to_json(self) -> dict[str, Any]:
        """The stats as plain data (dates as ISO strings)."""
        return {
            **self._asdict(),
            "decks": [
                {
                    **d._asdict(),
                    "last_studied": d.last_studied.isoformat() if d.last_studied else None,
                }
                for d in self.decks
            ],
            "reviews_per_day": {k.isoformat(): v for k, v in self.reviews_per_day.items()},
            "due_forecast": {k.isoformat(): v for k, v in self.due_forecast.items()},
            "tags": [t._asdict() for t in self.tags],
        }


def learner_stats(
    store: Store,
    user: str,
    decks: Sequence[TaggedCards],
    *,
    history_days: int = 90,
    forecast_days: int = 30,
) -> LearnerStats:
    """Compute the learner's statistics over ``decks`` (full decks or outlines)."""
    store.ensure_user(user)
    now = store.clock.now()
    calendar = store.calendar
    today_start = calendar.start_of_today(now)
    today = calendar.day(now)

    records = store.card_figures(user)
    # Today's answers only (for each deck's last study): every other figure comes from
    # the daily sums, whatever the length of the history.
    todays = store.reviews(user, since=today_start)
    deck_rows, forecast, tag_cards = _count_decks(
        store,
        decks,
        records,
        todays,
        _today(store, user, decks),
        forecast_days=forecast_days,
        mastery=True,
    )
    first_day = today - timedelta(days=max(history_days, RETENTION_DAYS) - 1)
    days = {row.day: row for row in store.daily_sums(user, since=first_day)}
    shown = [today - timedelta(days=n) for n in range(history_days - 1, -1, -1)]
    history = {day: days[day].answers if day in days else 0 for day in shown}
    window = [row for day, row in days.items() if (today - day).days < RETENTION_DAYS]
    passed = sum(row.spaced_passed for row in window)
    counted = sum(row.spaced for row in window)
    today_sums = days.get(today)
    tags = [
        TagMastery(
            tag=tag,
            cards=len(values),
            seen=sum(1 for s, _, _ in values if s),
            mature=sum(1 for _, m, _ in values if m),
            mean_retrievability=(
                sum(r for _, _, r in values if r is not None)
                / max(1, sum(1 for _, _, r in values if r is not None))
                if any(r is not None for _, _, r in values)
                else None
            ),
        )
        for tag, values in sorted(tag_cards.items())
    ]
    return LearnerStats(
        user=user,
        decks=deck_rows,
        reviews_today=today_sums.answers if today_sums else 0,
        correct_today=today_sums.passed if today_sums else 0,
        true_retention=passed / counted if counted else None,
        retention_reviews=counted,
        streak_days=_streak(store, user, today),
        reviews_per_day=history,
        due_forecast={
            today + timedelta(days=n): forecast.get(today + timedelta(days=n), 0)
            for n in range(forecast_days)
        },
        tags=tags,
    )


class DeckOverview(NamedTuple):
    """What the home screen shows: each deck's counts and today's answers."""

    decks: list[DeckStats]
    reviews_today: int


def deck_overview(store: Store, user: str, decks: Sequence[TaggedCards]) -> DeckOverview:
    """The decks' card counts and the answers given today, as :func:`learner_stats`
    counts them, without reading the history that its other figures need (on a store
    of a million answers, that history is what takes time)."""
    store.ensure_user(user)
    today_start = store.calendar.start_of_today(store.clock.now())
    records = store.card_figures(user)
    reviews = store.reviews(user, since=today_start)
    deck_rows, _forecast, _tags = _count_decks(
        store, decks, records, reviews, _today(store, user, decks), forecast_days=0, mastery=False
    )
    return DeckOverview(deck_rows, len(reviews))


def _today(store: Store, user: str, decks: Sequence[TaggedCards]) -> dict[str, DayCounts]:
    """Today's new, learn and due counts per deck, as a session would ask them."""
    cards = [(deck.id, card_id) for deck in decks for card_id, _tags in deck.tagged_card_ids()]
    queue = build_queue(store, user, cards, new_per_deck=store.settings(user).new_per_deck)
    return day_counts(queue)


def _count_decks(
    store: Store,
    decks: Sequence[TaggedCards],
    records: Mapping[tuple[str, str], CardFigures],
    reviews: Sequence[ReviewRecord],
    today_counts: Mapping[str, DayCounts],
    *,
    forecast_days: int,
    mastery: bool,
) -> tuple[list[DeckStats], Counter[date], dict[str, list[tuple[bool, bool, float | None]]]]:
    """Each deck's counts, the cards due on each of the next ``forecast_days`` days and,
    with ``mastery``, each tag's cards as (seen, mature, retrievability).

    Works on the rows' epoch milliseconds: on tens of thousands of cards, a datetime
    and a calendar conversion per card were most of the time."""
    now = store.clock.now()
    now_ms = to_ms(now)
    calendar = store.calendar
    today = calendar.day(now)
    # Where today and each of the next days begin: a card's forecast day is found by
    # bisecting these instead of converting its due instant to a local day.
    starts = [calendar.start_of_today(now)]
    for _ in range(max(forecast_days, 1)):
        starts.append(calendar.start_of_tomorrow(starts[-1]))
    bounds = [to_ms(start) for start in starts]
    tomorrow_ms = bounds[1]
    days = [today + timedelta(days=n) for n in range(forecast_days)]
    forgetting = store.scheduler.retrievability_from_ms

    # The last answer per deck: the review log read covers only today, so the cards'
    # own last-review instants stand in for decks not studied since.
    last_by_deck: dict[str, int] = {}
    for (deck_id, _card_id), figures in records.items():
        last = figures.last_review_ms
        if last is not None and last > last_by_deck.get(deck_id, last - 1):
            last_by_deck[deck_id] = last
    for review in reviews:
        at = to_ms(review.reviewed_at)
        last_by_deck[review.deck_id] = max(at, last_by_deck.get(review.deck_id, at))

    deck_rows: list[DeckStats] = []
    forecast: Counter[date] = Counter()
    tag_cards: dict[str, list[tuple[bool, bool, float | None]]] = {}
    in_review = int(State.Review)
    for deck in decks:
        # Plain counters and the row unpacked once: this loop runs for every card.
        cards = new_cards = learning_cards = review_cards = 0
        recognised = recalled = suspended = buried = leeches = 0
        deck_id = deck.id
        for card_id, card_tags in deck.tagged_card_ids():
            cards += 1
            row = records.get((deck_id, card_id))
            seen = mature = False
            r_value: float | None = None
            if row is None:
                new_cards += 1
            else:
                state, due_ms, stability, last_ms, buried_ms, held, leech, shown_ms, typed_ms = row
                seen = last_ms is not None
                if last_ms is None:
                    new_cards += 1
                elif state == in_review:
                    review_cards += 1
                else:
                    learning_cards += 1
                recognised += shown_ms is not None
                recalled += typed_ms is not None
                suspended += bool(held)
                leeches += bool(leech)
                if buried_ms is not None and buried_ms > now_ms:
                    buried += 1
                    # Not due today, but back when the bury ends (the next day).
                    due_ms = max(due_ms, buried_ms)
                if seen and not held:
                    if due_ms >= tomorrow_ms or state != in_review:
                        index = bisect_right(bounds, max(due_ms, now_ms)) - 1
                        if 0 <= index < forecast_days:
                            forecast[days[index]] += 1
                    else:
                        forecast[today] += 1
                if mastery and last_ms is not None:
                    r_value = 0.0 if stability is None else forgetting(stability, last_ms, now_ms)
                    mature = (stability or 0.0) >= 21.0
            if mastery:
                for tag in card_tags:
                    tag_cards.setdefault(tag, []).append((seen, mature, r_value))
        counts = today_counts.get(deck_id, DayCounts(0, 0, 0))
        deck_rows.append(
            DeckStats(
                deck_id=deck_id,
                title=deck.title,
                cards=cards,
                new=new_cards,
                learning=learning_cards,
                review=review_cards,
                new_today=counts.new,
                learn_today=counts.learn,
                due_today=counts.due,
                suspended=suspended,
                buried=buried,
                leeches=leeches,
                last_studied=(from_ms(last_by_deck[deck_id]) if deck_id in last_by_deck else None),
                recognised=recognised,
                recalled=recalled,
            )
        )
    return deck_rows, forecast, tag_cards


def true_retention(
    reviews: Sequence[ReviewRecord],
    since: datetime,
    *,
    previous: Mapping[tuple[str, str], datetime] | None = None,
) -> tuple[int, int]:
    """(passed, counted) among the spaced, scheduled answers given since ``since``.

    ``reviews`` must be in time order. An answer counts only when the one before it
    (of the same card) is known: from ``reviews`` itself, or from ``previous``, the
    instant of each card's last answer before ``reviews`` begins."""
    previous = dict(previous or {})
    passed = counted = 0
    for review in reviews:
        key = (review.deck_id, review.card_id)
        before = previous.get(key)
        previous[key] = review.reviewed_at
        if not review.scheduled or review.reviewed_at < since or before is None:
            continue
        if review.reviewed_at - before < _SPACED:
            continue
        counted += 1
        passed += review.rating != Rating.Again
    return passed, counted


def streak(study_days: set[date], today: date) -> int:
    """Study days in a row with answers, ending today, or yesterday when today has none
    yet (the streak is not lost before the day is over)."""
    day = today if today in study_days else today - timedelta(days=1)
    count = 0
    while day in study_days:
        count += 1
        day -= timedelta(days=1)
    return count


def _streak(store: Store, user: str, today: date) -> int:
    """:func:`streak` over the learner's study days, read from the daily sums a few
    hundred days at a time while they run without a gap."""
    days: set[date] = set()
    before = today + timedelta(days=1)
    while True:
        chunk = store.study_days_before(user, before, 400)
        days.update(chunk)
        unbroken = bool(chunk) and (chunk[0] - chunk[-1]).days == len(chunk) - 1
        if len(chunk) < 400 or not unbroken:
            return streak(days, today)
        before = chunk[-1]
