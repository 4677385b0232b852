"""Words and figures shown to the learner, shared by the plain mode and the app.

Only formatting lives here (no terminal, no widgets): intervals ("in 4 days"), due
dates, outcome and rating labels, a source line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from maliquiz.core.answers.verdict import Outcome, PartKind, PartResult, Verdict
from maliquiz.core.learning.questions import Mode, SourceInfo
from maliquiz.i18n import N_, _, count, current_language, ngettext

if TYPE_CHECKING:
    from maliquiz.core.learning.reports import Feedback

OUTCOME_LABELS = {
    Outcome.CORRECT: N_("Correct"),
    Outcome.TYPO: N_("Correct, with a typo"),
    Outcome.PARTIAL: N_("Partly correct"),
    Outcome.WRONG: N_("Wrong"),
    Outcome.SKIPPED: N_("Not answered"),
}

OUTCOME_MARKS = {
    Outcome.CORRECT: "✓",
    Outcome.TYPO: "✓",
    Outcome.PARTIAL: "±",
    Outcome.WRONG: "✗",
    Outcome.SKIPPED: "✗",
}

RATING_LABELS = (N_("Again"), N_("Hard"), N_("Good"), N_("Easy"))
"""A flashcard's ratings from 1 to 4, as its buttons name them."""


CARD_TYPE_LABELS = {
    "text": N_("name"),
    "number": N_("number"),
    "date": N_("date"),
    "choice": N_("choice"),
    "truefalse": N_("true/false"),
    "order": N_("order"),
    "match": N_("match"),
    "cloze": N_("cloze"),
    "flashcard": N_("flashcard"),
}


MODE_LABELS = {"typed": N_("typed")} | {
    mode: CARD_TYPE_LABELS[mode]
    for mode in ("choice", "truefalse", "order", "match", "cloze", "flashcard")
}
"""How an answer was given, as the card's history shows it: typed, or as the card type
of the same name is asked."""


def mode_label(mode: str) -> str:
    """How an answer was given (``choice``) in the interface language ("choix")."""
    label = MODE_LABELS.get(mode)
    return _(label) if label else mode


def card_type_label(card_type: str) -> str:
    """A card type (``truefalse``) in the interface language ("vrai/faux")."""
    label = CARD_TYPE_LABELS.get(card_type)
    return _(label) if label else card_type


def outcome_label(outcome: Outcome | str) -> str:
    """The outcome in the interface language."""
    return _(OUTCOME_LABELS.get(Outcome(outcome), str(outcome)))


def rating_label(rating: int) -> str:
    """A flashcard's rating (1–4) in the interface language: "Again" … "Easy"."""
    return _(RATING_LABELS[rating - 1])


def feedback_outcome(feedback: Feedback) -> Outcome:
    """The outcome the feedback on an answer shows: the one the answer was recorded
    with, as the session's summary and the card's history name it ("I don't know" is
    recorded as not answered, ``skipped``, while its verdict says wrong: what the
    schedule reads)."""
    return Outcome(feedback.outcome or feedback.verdict.outcome)


def verdict_label(outcome: Outcome | str, mode: str, rating: int) -> str:
    """What the feedback's first line says: the checker's verdict ("Partly correct"), or
    for a flashcard, which no checker grades, the learner's own rating ("Your rating:
    Hard")."""
    if mode == Mode.FLASHCARD:
        return _("Your rating: {rating}").format(rating=rating_label(rating))
    return outcome_label(outcome)


def studied_line(answers: int, cards: int) -> str:
    """A session's summary: "18 cards studied (25 answers)", the answers said only when a
    card was asked more than once (again after a lapse, or typed once picked)."""
    text = ngettext("{n} card studied", "{n} cards studied", cards).format(n=count(cards))
    if answers != cards:
        text += " " + ngettext("({n} answer)", "({n} answers)", answers).format(n=count(answers))
    return text


def left_line(left: int) -> str:
    """A summary's line for a session ended early: how many cards are still due today,
    which the next session asks at once."""
    return ngettext(
        "{n} card is still due today: study again to see it.",
        "{n} cards are still due today: study again to see them.",
        left,
    ).format(n=count(left))


def new_left_line(left: int) -> str:
    """A summary's line when the learner's daily limit allows new cards the session
    did not hold (it was given a lower ``--new``)."""
    return ngettext(
        "{n} more new card is allowed today by your daily limit: study without --new to see it.",
        "{n} more new cards are allowed today by your daily limit: study without --new to "
        "see them.",
        left,
    ).format(n=count(left))


_UNDONE = {
    "answer": N_("Last answer undone; here is its card again."),
    "bury": N_("Bury undone; here is the card again."),
    "bury-answered": N_("Bury undone: the card comes back today, its answer kept."),
    "suspend": N_("Suspension undone; here is the card again."),
    "suspend-answered": N_("Suspension undone: the card comes back, its answer kept."),
}


def undone_line(undone: str) -> str:
    """What an undo took back (:attr:`~.session.StudySession.undone`), said to the learner."""
    return _(_UNDONE[undone])


def format_interval(interval: timedelta) -> str:
    """A short, rounded delay: "1 min", "10 min", "3 h", "4 days", "2 months", "1.5 years"."""
    seconds = max(0, round(interval.total_seconds()))
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return _("{n} min").format(n=minutes)
    if seconds < 86400:
        hours = round(seconds / 3600)
        return _("{n} h").format(n=hours)
    days = round(seconds / 86400)
    if days < 31:
        return ngettext("{n} day", "{n} days", days).format(n=days)
    if days < 365:
        months = round(days / 30.4)
        return ngettext("{n} month", "{n} months", months).format(n=months)
    years = round(days / 365.25, 1)
    shown = f"{years:g}"
    if current_language() == "fr":
        shown = shown.replace(".", ",")
    return ngettext("{n} year", "{n} years", 1 if years < 2 else 2).format(n=shown)


def format_duration(duration: timedelta) -> str:
    """How long a session or an exam lasted, to the second: "12 s", "4 min 12 s",
    "1 h 05 min" (never "1 min" for a few seconds, as :func:`format_interval` rounds)."""
    seconds = max(0, int(duration.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return _("{h} h {m:02d} min").format(h=hours, m=minutes)
    if minutes:
        return _("{m} min {s:02d} s").format(m=minutes, s=seconds)
    return _("{s} s").format(s=seconds)


def format_due(due: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """When a card comes back: "in 10 min", or "in 4 days (26/11/2026)"."""
    delay = due - now
    if delay < timedelta(days=1):
        return _("in {delay}").format(delay=format_interval(delay))
    local = due.astimezone(tz) if tz else due.astimezone()
    return _("in {delay} ({date})").format(
        delay=format_interval(delay), date=local.strftime(_("%Y-%m-%d"))
    )


def source_line(sources: SourceInfo | Sequence[SourceInfo] | None) -> str | None:
    """ "Title (outlet, date), paragraph 3" in the interface language; several sources
    are joined with "; " (" ; " in French, which spaces its semicolons)."""
    if sources is None:
        return None
    every = [sources] if isinstance(sources, SourceInfo) else list(sources)
    return _("; ").join(_one_source(source) for source in every) or None


def _one_source(source: SourceInfo) -> str:
    details = ", ".join(p for p in (source.outlet, source.date) if p)
    text = f"{source.title} ({details})" if details else source.title
    if source.paragraphs:
        numbers = ", ".join(str(n) for n in source.paragraphs)
        text += ngettext(", paragraph {n}", ", paragraphs {n}", len(source.paragraphs)).format(
            n=numbers
        )
    return text


def part_lines(verdict: Verdict) -> list[tuple[bool, str]]:
    """One line for each pair of a match, item of an order (in the learner's order) or
    gap of a cloze, with whether it was right; a wrong one says what was right: the
    right match, the item's right position, the gap's answer. Empty for other cards."""
    parts: list[PartResult] = list(verdict.parts)
    if parts and parts[0].kind == PartKind.ITEM:
        parts.sort(key=lambda part: int(part.given))
    return [(part.right, _part_line(part)) for part in parts]


def _part_line(part: PartResult) -> str:
    mark = "✓" if part.right else "✗"
    given = part.given or "—"
    if part.kind == PartKind.ITEM:
        line = f"{mark} {part.given}. {part.label}"
        if not part.right:
            line += "  " + _("(belongs in position {n})").format(n=part.expected)
        return line
    if part.kind == PartKind.GAP:
        line = f"{mark} " + _("gap {n}: {answer}").format(n=part.label, answer=given)
    else:
        line = f"{mark} {part.label} → {given}"
    if not part.right:
        line += "  " + _("(right: {answer})").format(answer=part.expected)
    return line
