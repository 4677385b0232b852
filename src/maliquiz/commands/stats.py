"""``maliquiz stats``: the current learner's progress per deck, without the app."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from maliquiz.commands._args import add_decks_argument, add_json_flag
from maliquiz.i18n import N_, _, count, decimal, ngettext

if TYPE_CHECKING:
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.learning.records import ExamRecord
    from maliquiz.core.progress.stats import LearnerStats
    from maliquiz.core.progress.store import Store

# Column headers of the text table, translated when printed.
_COLUMNS = (
    ("deck_id", N_("DECK")),
    ("cards", N_("CARDS")),
    # Today's counts, as `maliquiz decks` and the home screen show them, then the cards
    # in review.
    ("new_today", N_("NEW")),
    ("learn_today", N_("LEARN")),
    ("due_today", N_("DUE")),
    ("review", N_("REVIEW")),
    ("suspended", N_("SUSPENDED")),
    ("leeches", N_("LEECHES")),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help=_("show the current learner's progress per deck"),
        description=_(
            "Show the current learner's progress (--user): per deck the new, learning "
            "and review cards, the cards due today, suspended cards and leeches; the "
            "answers given today, the true retention of the last 30 days and the days "
            "in a row studied, and the exams sat with the last one's Right %. Without DECK, "
            "every deck."
        ),
    )
    add_decks_argument(parser)
    add_json_flag(parser)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import resolve_decks, with_store

    decks = resolve_decks(ctx, args.decks)
    if decks is None:
        return 1
    return with_store(ctx, lambda store: _show(store, decks, args.json, ctx), for_user=True)


def _show(store: Store, decks: list[Deck], as_json: bool, ctx: Any) -> int:
    from maliquiz.core.progress.stats import learner_stats

    stats = learner_stats(store, ctx.user, decks)
    exams = store.exams(ctx.user)
    if as_json:
        document = stats.to_json()
        document["exams"] = [
            {
                "taken_at": exam.taken_at.isoformat(),
                "decks": exam.decks,
                "tags": exam.tags,
                "score": exam.score,
                "max_score": exam.max_score,
                "right_percent": exam.percent,
            }
            for exam in exams
        ]
        print(json.dumps(document, ensure_ascii=False, indent=2), file=ctx.stdout)
    else:
        print_text(stats, ctx)
        print_exams(exams, store, ctx)
        hint = refit_hint(store, ctx.user)
        if hint:
            print(hint, file=ctx.stdout)
    return 0


REFIT_GROWTH = 2
"""The history has grown "a lot" since the scheduler's fit once the learner's answers
(practice ones too: a cheap count) are this many times those the fit read."""


def refit_hint(store: Store, user: str) -> str | None:
    """A line suggesting ``maliquiz optimize`` again once the learner has given many more
    answers than their fit read."""
    fit = store.settings(user).fit
    if fit is None:
        return None
    answers = store.review_count(user)
    if answers < REFIT_GROWTH * max(fit.answers, 1):
        return None
    return _(
        "Your history has more than doubled since the scheduler was fitted to it: "
        "`maliquiz optimize` fits it again."
    )


def print_text(stats: LearnerStats, ctx: Any) -> None:
    """The table of decks, then the summary lines."""
    out = ctx.stdout
    if stats.decks:
        headers = [_(title) for _key, title in _COLUMNS]
        # Counts grouped as everywhere in the app (1,654; 1 654 in French); --json keeps
        # plain numbers.
        rows = [
            [deck.deck_id] + [count(getattr(deck, key)) for key, _title in _COLUMNS[1:]]
            for deck in stats.decks
        ]
        if len(stats.decks) > 1:
            total = [_("total")] + [
                count(sum(getattr(deck, key) for deck in stats.decks)) for key, _t in _COLUMNS[1:]
            ]
            rows.append(total)
        from rich.cells import cell_len  # terminal columns, not characters

        widths = [max(cell_len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells: list[str]) -> str:
            # The deck id reads left to right; the counts line up on their last digit.
            first = cells[0] + " " * (widths[0] - cell_len(cells[0]))
            rest = (
                " " * (width - cell_len(cell)) + cell
                for cell, width in zip(cells[1:], widths[1:], strict=True)
            )
            return "  ".join([first, *rest]).rstrip()

        print(line(headers), file=out)
        for row in rows:
            print(line(row), file=out)
        print(file=out)
    else:
        print(_("No decks found."), file=out)

    print(_("Learner: {user}").format(user=stats.user), file=out)
    print(
        _("Reviews today: {n} ({correct} correct)").format(
            n=count(stats.reviews_today), correct=count(stats.correct_today)
        ),
        file=out,
    )
    if stats.true_retention is None:
        retention = _("not enough answers yet")
    else:
        retention = _("{percent} % of {answers}").format(
            percent=decimal(100 * stats.true_retention),
            answers=ngettext("{n} answer", "{n} answers", stats.retention_reviews).format(
                n=count(stats.retention_reviews)
            ),
        )
    print(_("True retention (last 30 days): {value}").format(value=retention), file=out)
    print(
        _("Days in a row studied: {n}").format(n=count(stats.streak_days)),
        file=out,
    )


def print_exams(exams: list[ExamRecord], store: Store, ctx: Any) -> None:
    """One line on the exams sat: how many, and the last one's "Right %" (the same
    figure as its results screen)."""
    if not exams:
        print(_("Exams sat: none yet"), file=ctx.stdout)
        return
    last = exams[-1]
    when = last.taken_at.astimezone(store.calendar.tz).strftime(_("%Y-%m-%d %H:%M"))
    print(
        _("Exams sat: {n}; the last, on {when}: {percent} % right ({score}/{out_of})").format(
            n=count(len(exams)),
            when=when,
            percent=last.percent,
            score=decimal(round(last.score, 2), None),
            out_of=decimal(last.max_score, None),
        ),
        file=ctx.stdout,
    )
