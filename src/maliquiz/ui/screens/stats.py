"""The learner's statistics: reviews per day, true retention, the due forecast, card
states, mastery by tag and exam history, all computed by :mod:`maliquiz.core.progress.stats`."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from maliquiz.i18n import _, count, decimal, ngettext
from maliquiz.ui import keymap
from maliquiz.ui.base import PROGRESS_CSS, Page
from maliquiz.ui.text import line, pad, shorten
from maliquiz.ui.widgets.charts import Chart, forecast_chart, heatmap, meter, stacked_bar

if TYPE_CHECKING:
    from maliquiz.core.learning.records import ExamRecord, SchedulerFit
    from maliquiz.core.progress.stats import LearnerStats


class StatsScreen(Page):
    """Charts of the current learner's progress over every deck."""

    CSS_PATH = PROGRESS_CSS

    HELP = keymap.help_text("stats")
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("stats")

    def body(self) -> ComposeResult:
        with VerticalScroll(id="stats"):
            yield Static(id="stats-summary")
            yield Static(_("Answers per day (90 days)"), classes="stats-title")
            yield Chart(id="stats-heatmap")
            yield Static(_("Due in the next 30 days"), classes="stats-title")
            yield Chart(id="stats-forecast")
            yield Static(_("Card states"), classes="stats-title")
            yield Chart(id="stats-states")
            yield Static(_("Mastery by tag"), classes="stats-title")
            yield Chart(id="stats-tags")
            yield Static(_("Exams"), classes="stats-title")
            yield Chart(id="stats-exams")

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one("#stats", VerticalScroll).focus()

    def action_reload(self) -> None:
        """Compute the statistics again."""
        from maliquiz.core.progress.stats import learner_stats

        app = self.services
        stats = learner_stats(app.store, app.user, app.library.outlines)
        fit = app.store.settings(app.user).fit
        self.query_one("#stats-summary", Static).update(self._summary(stats, fit))
        self.query_one("#stats-heatmap", Chart).update(heatmap(stats.reviews_per_day))
        self.query_one("#stats-forecast", Chart).update(forecast_chart(stats.due_forecast))
        self.query_one("#stats-states", Chart).update(self._states(stats))
        self.query_one("#stats-tags", Chart).update(self._tags(stats))
        self.query_one("#stats-exams", Chart).update(self._exams(app.store.exams(app.user)))

    def _summary(self, stats: LearnerStats, fit: SchedulerFit | None) -> Content:
        if stats.true_retention is None:
            retention = _("not enough answers yet")
        else:
            retention = ngettext(
                "{pct} % of {n} answer", "{pct} % of {n} answers", stats.retention_reviews
            ).format(pct=round(stats.true_retention * 100), n=count(stats.retention_reviews))
        return Content("\n").join(
            [
                Content.assemble((_("Learner: "), "dim"), line(stats.user, "bold")),
                Content.assemble(
                    (_("Answers today: "), "dim"),
                    (count(stats.reviews_today), "bold"),
                    (_("  right: "), "dim"),
                    (count(stats.correct_today), "bold"),
                    (_("  days in a row: "), "dim"),
                    (count(stats.streak_days), "bold"),
                ),
                Content.assemble((_("True retention (30 days): "), "dim"), (retention, "bold")),
                Content.assemble((_("Scheduler: "), "dim"), (self._scheduler(fit), "bold")),
            ]
        )

    def _scheduler(self, fit: SchedulerFit | None) -> str:
        """Which FSRS-6 weights schedule the learner (``maliquiz optimize`` fits them)."""
        if fit is None:
            return _("FSRS-6 default weights")
        return _("fitted on {date} to {n} answers (log loss {before} → {after})").format(
            date=fit.fitted_at.astimezone(self.services.store.calendar.tz).strftime(_("%Y-%m-%d")),
            n=count(fit.answers),
            before=decimal(fit.log_loss_before, 3),
            after=decimal(fit.log_loss_after, 3),
        )

    def _states(self, stats: LearnerStats) -> Content:
        decks = stats.decks
        parts = [
            (_("new"), sum(d.new for d in decks), "$primary"),
            (_("learning"), sum(d.learning for d in decks), "$warning"),
            (_("review"), sum(d.review for d in decks), "$success"),
        ]
        extra = Content.styled(
            _("suspended {s} · buried {b} · leeches {l}").format(
                s=count(sum(d.suspended for d in decks)),
                b=count(sum(d.buried for d in decks)),
                l=count(sum(d.leeches for d in decks)),
            ),
            "dim",
        )
        return stacked_bar(parts, width=50) + Content("\n") + extra

    def _tags(self, stats: LearnerStats) -> Content:
        if not stats.tags:
            return Content.styled(_("No tags."), "dim")
        width = min(22, max(cell_len(t.tag) for t in stats.tags))
        # The counts grouped (1,200), each column as wide as its widest figure.
        figures = [(count(t.seen), count(t.cards), count(t.mature)) for t in stats.tags]
        seen, cards, mature = (
            max(least, *(len(row[i]) for row in figures)) for i, least in enumerate((3, 3, 4))
        )
        heading = ((_("seen"), seen + 1 + cards), (_("mature"), 1 + mature + 3), (_("recall"), 0))
        header = "".join(pad(word, max(room, cell_len(word) + 1)) for word, room in heading)
        rows = [Content.styled(" " * (width + 2) + header.rstrip(), "dim")]
        for tag, (n_seen, n_cards, n_mature) in zip(stats.tags, figures, strict=True):
            rows.append(
                line(pad(shorten(tag.tag, width), width) + "  ")
                + Content(f"{n_seen:>{seen}}/{n_cards:<{cards}} {n_mature:>{mature}}   ")
                + meter(tag.mean_retrievability, 16)
                + Content(
                    f" {round(tag.mean_retrievability * 100):>3} %"
                    if tag.mean_retrievability is not None
                    else ""
                )
            )
        return Content("\n").join(rows)

    def _exams(self, exams: list[ExamRecord]) -> Content:
        if not exams:
            return Content.styled(_("No exams yet."), "dim")
        tz = self.services.store.calendar.tz
        rows = []
        for exam in exams[-10:][::-1]:
            rows.append(
                Content(exam.taken_at.astimezone(tz).strftime(_("%Y-%m-%d %H:%M")) + "  ")
                + meter(exam.percent / 100, 12)
                + Content(f" {exam.percent:>3} %  ")
                + line(
                    f"{decimal(round(exam.score, 2), None)}/{decimal(exam.max_score, None)}  ",
                    "dim",
                )
                + line(", ".join(exam.decks + exam.tags), "dim")
            )
        return Content("\n").join(rows)
