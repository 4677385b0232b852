"""The stats screen writes large counts as the rest of the app does: digits grouped
(98,837 in English, 98 837 in French), columns still lined up."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from maliquiz.core.progress.stats import DeckStats, LearnerStats, TagMastery
from maliquiz.ui.screens.stats import StatsScreen

from .conftest import USER, screen_text

TODAY = date(2025, 3, 1)


def big_stats(*_args: Any) -> LearnerStats:
    """A learner of a 100,000-card deck, as ``learner_stats`` would count them."""
    deck = DeckStats("big", "Big", 100_000, 98_837, 1_063, 100, 20, 0, 0, 2_345, 1_234, 1_001, None)
    return LearnerStats(
        user=USER,
        decks=[deck],
        reviews_today=1_250,
        correct_today=1_100,
        true_retention=0.9,
        retention_reviews=12_000,
        streak_days=1_000,
        reviews_per_day={TODAY - timedelta(days=n): 1_250 for n in range(3)},
        due_forecast={TODAY + timedelta(days=n): 1_500 * (n % 2) for n in range(30)},
        tags=[TagMastery("histoire", 100_000, 1_163, 1_020, 0.9), TagMastery("x", 5, 1, 0, None)],
    )


async def test_the_stats_screen_groups_its_figures(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("maliquiz.core.progress.stats.learner_stats", big_stats)
    app = make()
    async with app.run_test(size=(100, 80)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        lines = screen_text(app).splitlines()
        text = "\n".join(lines)
        assert "Answers today: 1,250  right: 1,100  days in a row: 1,000" in text
        assert "■ new 98,837  ■ learning 1,063  ■ review 100" in text
        assert "suspended 2,345 · buried 1,234 · leeches 1,001" in text
        # The forecast's scale, and the first day's label under the first column.
        scale = next(line for line in lines if "1,500" in line)
        axis = next(line for line in lines if "today" in line and "+29 days" in line)
        assert scale.index("1,500") + len("1,500 ") == axis.index("today")
        # Mastery by tag: the figures grouped, the columns under their headings.
        heading = next(line for line in lines if "seen" in line and "mature" in line)
        big = next(line for line in lines if line.strip().startswith("histoire"))
        small = next(line for line in lines if line.strip().startswith("x "))
        assert "1,163/100,000 1,020" in big
        assert big.index("/") == small.index("/")
        assert big.index("%") == small.index("–") + 21  # the meter: 16 cells, then " 90 %"
        assert heading.index("recall") == big.index("█")
