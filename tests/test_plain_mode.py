"""What the plain line mode prints around the questions (its session header and
summaries), driven in-process over a real store, a manual clock and text streams."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta
from pathlib import Path

import pytest

from maliquiz.core.deck.loader import load_deck
from maliquiz.core.deck.models import Deck
from maliquiz.core.learning.clock import ManualClock
from maliquiz.core.learning.display import format_duration
from maliquiz.core.learning.exam import ExamSession
from maliquiz.core.learning.session import StudySession
from maliquiz.core.progress.store import Store
from maliquiz.i18n import set_language
from maliquiz.plain.exam import PlainExam
from maliquiz.plain.study import PlainStudy


@pytest.mark.parametrize(
    ("seconds", "english", "french"),
    [
        (12, "12 s", "12 s"),
        (252, "4 min 12 s", "4 min 12 s"),
        (3900, "1 h 05 min", "1 h 05 min"),
    ],
)
def test_a_duration_is_said_to_the_second(seconds: int, english: str, french: str) -> None:
    assert format_duration(timedelta(seconds=seconds)) == english
    set_language("fr")
    assert format_duration(timedelta(seconds=seconds)) == french


def test_a_short_study_session_says_seconds_not_a_minute(
    deck: Deck, clock: ManualClock, store: Store
) -> None:
    session = StudySession(store, "awa", [deck])
    clock.advance(seconds=12)
    out = io.StringIO()
    PlainStudy(session, io.StringIO(":q\n"), out).run()
    assert "0 cards studied in 12 s." in out.getvalue()


def test_a_short_exam_says_seconds_not_a_minute(
    deck: Deck, clock: ManualClock, store: Store
) -> None:
    exam = ExamSession([deck], clock, count=1, rng=random.Random(5))
    clock.advance(seconds=12)
    out = io.StringIO()
    PlainExam(exam, store, "awa", io.StringIO("\n\n"), out).run()
    assert "(0%) in 12 s." in out.getvalue()
    set_language("fr")
    exam = ExamSession([deck], clock, count=1, rng=random.Random(5))
    clock.advance(seconds=252)
    out = io.StringIO()
    PlainExam(exam, store, "awa", io.StringIO("\n\n"), out).run()
    assert "en 4 min 12 s." in out.getvalue()


def test_a_short_study_session_says_seconds_in_french(
    deck: Deck, clock: ManualClock, store: Store
) -> None:
    set_language("fr")
    session = StudySession(store, "awa", [deck])
    clock.advance(seconds=12)
    out = io.StringIO()
    PlainStudy(session, io.StringIO(":q\n"), out).run()
    assert "0 carte révisée en 12 s." in out.getvalue()


def _header(session: StudySession) -> str:
    out = io.StringIO()
    PlainStudy(session, io.StringIO(":q\n"), out).run()
    found = re.search(r"^\[1/\d+\] .*$", out.getvalue(), re.MULTILINE)
    assert found is not None, out.getvalue()
    return found[0]


def test_the_header_names_the_deck_or_counts_the_decks(
    deck: Deck, store: Store, tmp_path: Path
) -> None:
    other = load_deck(Path(__file__).resolve().parent / "data" / "one_choice.yaml")
    # One deck: its title beside its counts.
    assert (
        _header(StudySession(store, "awa", [other])) == "[1/1] Un choix · new 1 · learn 0 · due 0"
    )
    # Several: the counts are every deck's, so the header says how many decks, not the
    # title of the deck the first card comes from.
    both = StudySession(store, "awa", [deck, other])
    total = both.counts().new
    assert _header(both) == f"[1/{total}] 2 decks · new {total} · learn 0 · due 0"
    set_language("fr")
    both = StudySession(store, "awa", [deck, other])
    assert _header(both).startswith(f"[1/{total}] 2 paquets · nouvelles {total} ·")


def test_answers_counted_as_reviews_agree_with_their_number(
    deck: Deck, clock: ManualClock, store: Store
) -> None:
    exam = ExamSession([deck], clock, count=1, rng=random.Random(5))
    out = io.StringIO()
    PlainExam(exam, store, "awa", io.StringIO("\n\n"), out, apply=True).run()
    assert "1 answer counted as a review in your schedule." in out.getvalue()
