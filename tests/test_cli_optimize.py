"""``maliquiz optimize``, run as a learner would, on a simulated history brought in with
``maliquiz progress import``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CliRunner
from maliquiz.core.learning.scheduling import DEFAULT_PARAMETERS
from simulated_learner import simulate, write_export


def ok(done: object) -> None:
    assert done.returncode == 0, done.stdout + done.stderr  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 12,000 answers over four months, of cards of a deck that is not installed,
    and a few practice answers a day."""
    folder = tmp_path_factory.mktemp("history")
    return write_export(folder / "awa.json", "awa", simulate(120, 11, practice_per_day=3))


def test_json_on_twelve_thousand_answers(
    run_cli: CliRunner, long_history: Path, data_dir: Path
) -> None:
    ok(run_cli("progress", "import", str(long_history)))
    done = run_cli("optimize", "--json", "--user", "awa")
    ok(done)
    report = json.loads(done.stdout)
    assert 11_000 < report["reviews"] < 13_000
    assert report["kept"] is True and report["outcome"] == "kept"
    assert report["log_loss_after"] < report["log_loss_before"]
    assert report["rmse_bins_after"] < report["rmse_bins_before"]
    assert report["parameters_before"] == list(DEFAULT_PARAMETERS)
    assert len(report["parameters_fitted"]) == 21
    assert report["test_answers"] > 1000
    assert report["seconds"] < 20

    # The fit is the learner's now: settings show it, and a second run starts from it.
    settings = run_cli("--user", "awa", "settings")
    ok(settings)
    assert "fitted on" in settings.stdout
    assert f"{report['log_loss_after']:.4f} fitted" in settings.stdout
    again = json.loads(run_cli("--user", "awa", "optimize", "--json").stdout)
    assert again["parameters_before"] == report["parameters_fitted"]
    assert again["log_loss_before"] == pytest.approx(report["log_loss_after"])

    # Another learner's weights are untouched.
    ok(run_cli("--user", "bakary", "settings"))
    assert "default weights" in run_cli("--user", "bakary", "settings").stdout

    # --reset: the defaults again.
    done = run_cli("--user", "awa", "optimize", "--reset")
    ok(done)
    assert "default weights again" in done.stdout
    settings = run_cli("--user", "awa", "settings").stdout
    assert "default weights" in settings and "fitted on" not in settings
    assert " ".join(f"{w:g}" for w in DEFAULT_PARAMETERS) in settings


def test_text_table(run_cli: CliRunner, long_history: Path) -> None:
    ok(run_cli("progress", "import", str(long_history)))
    done = run_cli("--user", "awa", "optimize")
    ok(done)
    lines = done.stdout.splitlines()
    assert "scheduled answers over" in lines[0] and "practice answers left out" in lines[0]
    header = next(n for n, text in enumerate(lines) if "LOG LOSS" in text)
    assert lines[header + 1].startswith("weights in use")
    assert lines[header + 2].startswith("fitted weights")
    # Figures right-aligned under their headers.
    assert len({len(lines[n]) for n in range(header, header + 3)}) == 1
    assert "schedule your answers from now on" in done.stdout


def test_too_little_history_says_why_and_exits_0(run_cli: CliRunner, tmp_path: Path) -> None:
    ok(
        run_cli(
            "progress", "import", str(write_export(tmp_path / "a.json", "awa", simulate(30, 3)))
        )
    )
    done = run_cli("--user", "awa", "optimize")
    ok(done)
    assert "Not fitted yet" in done.stdout and "at least 1,000" in done.stdout
    report = json.loads(run_cli("--user", "awa", "optimize", "--json").stdout)
    assert report["kept"] is False and report["outcome"] == "too_few_answers"
    assert report["log_loss_before"] is None and report["log_loss_after"] is None
    assert isinstance(report["seconds"], float)

    # Enough answers, not enough days.
    short = write_export(tmp_path / "b.json", "bintou", simulate(10, 40))
    ok(run_cli("progress", "import", str(short)))
    report = json.loads(run_cli("--user", "bintou", "optimize", "--json").stdout)
    assert report["reviews"] >= 1000 and report["outcome"] == "too_short"

    # A learner with no answer at all.
    done = run_cli("--user", "nouveau", "optimize")
    ok(done)
    assert "0 scheduled answers" in done.stdout


def test_in_french(run_cli: CliRunner, tmp_path: Path) -> None:
    ok(
        run_cli(
            "progress", "import", str(write_export(tmp_path / "a.json", "awa", simulate(30, 3)))
        )
    )
    done = run_cli("--lang", "fr", "--user", "awa", "optimize")
    ok(done)
    assert "Pas encore" in done.stdout


def test_stats_suggests_a_new_fit_once_the_history_has_doubled(
    run_cli: CliRunner, tmp_path: Path, data_dir: Path
) -> None:
    from datetime import UTC, datetime

    from maliquiz.core.learning.records import SchedulerFit
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.store import Store

    ok(
        run_cli(
            "progress", "import", str(write_export(tmp_path / "a.json", "awa", simulate(30, 3)))
        )
    )
    with Store.open(progress_path(data_dir)) as store:
        answers = store.review_count("awa")
        fit = SchedulerFit(
            DEFAULT_PARAMETERS, datetime.now(UTC), answers // 2 + 1, 0.4, 0.3, 0.1, 0.1
        )
        store.update_settings("awa", fit=fit)
    hint = "history has more than doubled"
    assert hint not in run_cli("--user", "awa", "stats").stdout
    with Store.open(progress_path(data_dir)) as store:
        store.update_settings("awa", fit=fit._replace(answers=answers // 2))
    assert hint in run_cli("--user", "awa", "stats").stdout
    assert hint not in run_cli("--user", "bakary", "stats").stdout  # never fitted
