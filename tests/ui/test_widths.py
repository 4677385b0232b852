"""Text lined up in columns is measured in terminal cells, not characters: a CJK
character or an emoji takes two cells, a combining accent none."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len

from maliquiz.commands.report import _table
from maliquiz.plain.exam import _short
from maliquiz.ui.text import pad, shorten
from maliquiz.ui.widgets.charts import heatmap

WIDE = "東京都の写真展"  # 7 characters, 14 cells
COMBINING = "Goi\u0308ta"  # 6 characters, 5 cells


@pytest.mark.parametrize("width", [3, 6, 7, 10, 13])
def test_shorten_cuts_to_cells(width: int) -> None:
    cut = shorten(WIDE, width)
    assert cell_len(cut) == width and cut.endswith("…")
    assert shorten(WIDE, 14) == WIDE
    assert shorten(COMBINING, 5) == COMBINING  # fits, though it has 6 characters


def test_pad_fills_to_cells() -> None:
    assert cell_len(pad(WIDE, 20)) == 20
    assert pad(COMBINING, 8) == COMBINING + "   "
    assert pad(WIDE, 3) == WIDE  # never cut


def test_plain_exam_shortens_to_cells() -> None:
    assert cell_len(_short(WIDE * 10, 20)) == 20
    assert _short(COMBINING, 5) == COMBINING


def test_report_columns_line_up_with_wide_names() -> None:
    out = io.StringIO()
    _table(out, ["LEARNER", "ANSWERS"], [[WIDE, "3"], ["awa", "12"], [COMBINING, "7"]])
    lines = out.getvalue().splitlines()
    # The second column starts at the same cell on every line.
    starts = {cell_len(line[: line.rindex("  ") + 2]) for line in lines}
    assert starts == {cell_len(WIDE) + 2}


def test_heatmap_weekday_labels_line_up() -> None:
    from datetime import date

    from maliquiz.i18n import set_language

    set_language("fr")
    try:
        rows = heatmap({date(2024, 5, 6): 3, date(2024, 5, 12): 1}).plain.splitlines()[:7]
    finally:
        set_language("en")
    assert len({cell_len(row) for row in rows}) == 1
