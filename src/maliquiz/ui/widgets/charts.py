"""Charts drawn with text: a calendar heatmap, a column chart, a stacked bar and
horizontal bars. Each one is a pure function to :class:`Content` plus a thin widget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from maliquiz.i18n import N_, _
from maliquiz.i18n import count as grouped
from maliquiz.ui.text import pad

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
SHADES = "░▒▓█"
EIGHTHS = " ▁▂▃▄▅▆▇█"


def _level(value: int, top: int) -> int:
    """0 for nothing, then 1–4 by quarters of the busiest day."""
    if value <= 0 or top <= 0:
        return 0
    return min(4, 1 + (value * 4 - 1) // top)


def heatmap(per_day: Mapping[date, int]) -> Content:
    """Days as a calendar: one column per week, one row per weekday, darker when more
    reviews were made that day."""
    if not per_day:
        return Content(_("No reviews yet."))
    days = sorted(per_day)
    first = days[0] - timedelta(days=days[0].weekday())  # the Monday of the first week
    weeks = (days[-1] - first).days // 7 + 1
    top = max(per_day.values())
    label_width = max(cell_len(_(d)) for d in WEEKDAYS)
    rows: list[Content] = []
    for weekday in range(7):
        row = Content.styled(pad(_(WEEKDAYS[weekday]), label_width) + " ", "dim")
        for week in range(weeks):
            day = first + timedelta(days=week * 7 + weekday)
            if day not in per_day:
                row += Content("  ")
                continue
            level = _level(per_day[day], top)
            if level == 0:
                row += Content.styled("· ", "dim")
            else:
                row += Content.styled(SHADES[level - 1] + " ", "$text-success")
        rows.append(row)
    legend = Content.styled(
        _("{first} to {last} · busiest day: {top}").format(
            first=days[0].strftime(_("%Y-%m-%d")),
            last=days[-1].strftime(_("%Y-%m-%d")),
            top=grouped(top),
        ),
        "dim",
    )
    rows.append(legend + Content.styled("   · " + SHADES, "$text-success"))
    return Content("\n").join(rows)


def _axis_width(top: int) -> int:
    """Cells of a column chart's scale: its top value grouped ("1,200"), at least 4."""
    return max(4, cell_len(grouped(top)))


def column_chart(values: Sequence[int], height: int = 6) -> Content:
    """One column per value (two cells wide), ``height`` rows tall, in eighths, beside
    a scale of :func:`_axis_width` cells and a space."""
    if not values:
        return Content("")
    top = max(values)
    width = _axis_width(top)
    rows: list[Content] = []
    for level in range(height, 0, -1):
        cells = []
        for value in values:
            eighths = round(value / top * height * 8) if top else 0
            here = max(0, min(8, eighths - (level - 1) * 8))
            cells.append(EIGHTHS[here] + " ")
        label = grouped(top) if level == height else ("0" if level == 1 else "")
        rows.append(
            Content.styled(label.rjust(width) + " ", "dim")
            + Content.styled("".join(cells), "$text-primary")
        )
    return Content("\n").join(rows)


def forecast_chart(forecast: Mapping[date, int], height: int = 6) -> Content:
    """Cards due each coming day, with the first and last day below."""
    days = sorted(forecast)
    if not days or not any(forecast.values()):
        return Content.styled(_("Nothing due in these days."), "dim")
    values = [forecast[d] for d in days]
    chart = column_chart(values, height)
    axis = _("today")
    end = _("+{n} days").format(n=len(days) - 1)
    span = len(days) * 2 - 1
    gap = max(1, span - cell_len(axis)) - cell_len(end)
    margin = " " * (_axis_width(max(values)) + 1)  # under the first column, past the scale
    footer = Content.styled(margin + axis + " " * max(0, gap) + end, "dim")
    return chart + Content("\n") + footer


def stacked_bar(parts: Sequence[tuple[str, int, str]], width: int = 50) -> Content:
    """One bar split in proportion to ``parts`` (label, count, style), then a legend."""
    total = sum(count for _label, count, _style in parts)
    if total == 0:
        return Content.styled(_("No cards."), "dim")
    bar = Content()
    used = 0
    for n, (_label, count, style) in enumerate(parts):
        cells = round(count / total * width) if n < len(parts) - 1 else width - used
        cells = max(0, min(cells, width - used))
        used += cells
        bar += Content.styled("█" * cells, style)
    legend = Content("  ").join(
        Content.styled("■ ", style) + Content(f"{label} {grouped(count)}")
        for label, count, style in parts
    )
    return bar + Content("\n") + legend


def meter(share: float | None, width: int = 16) -> Content:
    """A bar filled to ``share`` (0–1), or a dim dash without a value."""
    if share is None:
        return Content.styled("–".ljust(width), "dim")
    filled = round(max(0.0, min(1.0, share)) * width)
    style = "$text-success" if share >= 0.8 else "$text-warning" if share >= 0.5 else "$text-error"
    return Content.styled("█" * filled, style) + Content.styled("░" * (width - filled), "dim")


class Chart(Static):
    """A chart drawn as text (the content is set by its screen)."""
