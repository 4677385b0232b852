"""The app driven by keys, as a learner would: home, a whole session with every card
type, undo/override/bury/suspend, exams, stats, browse, user switch, help.

Each test builds the app with ``make_app`` (the CLI's factory) on a temporary data dir
and a manual clock. Keys cost ~70 ms each under Pilot, so the logic itself is tested in
the core; these tests check the wiring.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from maliquiz.core.deck.models import (
    ClozeCard,
    DateCard,
    MatchCard,
    NumberCard,
    OrderCard,
    TextCard,
)
from maliquiz.core.learning.questions import Mode, Question
from maliquiz.core.learning.session import Phase
from maliquiz.core.progress.connection import progress_path
from maliquiz.core.progress.store import Store
from maliquiz.ui.dialogs.confirm import ConfirmDialog
from maliquiz.ui.dialogs.history import CardHistoryDialog
from maliquiz.ui.dialogs.user import UserDialog
from maliquiz.ui.screens.browse import BrowseScreen
from maliquiz.ui.screens.exam import ExamResultsScreen, ExamScreen, ExamSetupScreen
from maliquiz.ui.screens.help import HelpScreen
from maliquiz.ui.screens.home import HomeScreen
from maliquiz.ui.screens.stats import StatsScreen
from maliquiz.ui.screens.study import StudyScreen, SummaryScreen
from maliquiz.ui.widgets.answer_lists import OrderAnswer
from maliquiz.ui.widgets.decklist import DeckList

from .conftest import USER, open_study, populate, screen_text

DECK = "test-every-type"


def reviews(data_dir: Path) -> list[Any]:
    with Store.open(progress_path(data_dir)) as store:
        return store.reviews(USER)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


async def answer_right(pilot: Pilot[Any], question: Question) -> None:
    """Press the keys that answer ``question`` correctly."""
    card = question.card
    mode = question.mode
    if mode == Mode.FLASHCARD:
        await pilot.press("space", "3")
    elif mode == Mode.TYPED:
        if isinstance(card, TextCard):
            text = card.answer
        elif isinstance(card, NumberCard):
            text = card.answer.replace(".", "")
        else:
            assert isinstance(card, DateCard)
            text = card.answer
        await type_text(pilot, text)
        await pilot.press("enter")
    elif mode == Mode.CHOICE:
        for option in question.correct_options:
            await pilot.press(str(question.options.index(option) + 1))
        if question.multiple:
            await pilot.press("enter")
    elif mode == Mode.TRUEFALSE:
        await pilot.press("1" if card.answer else "2")  # type: ignore[attr-defined]
    elif mode == Mode.ORDER:
        assert isinstance(card, OrderCard)
        widget = pilot.app.screen.query_one(OrderAnswer)
        for target, item in enumerate(card.items):
            here = widget.items.index(item)
            await pilot.press(
                *(["down"] * (here - widget.cursor) or ["up"] * (widget.cursor - here))
            )
            await pilot.press("space", *(["up"] * (here - target)), "space")
        await pilot.press("enter")
    elif mode == Mode.MATCH:
        assert isinstance(card, MatchCard)
        for pair in card.pairs:
            await pilot.press("abcdefgh"[question.options.index(pair.right)])
        await pilot.press("enter")
    elif mode == Mode.CLOZE:
        assert isinstance(card, ClozeCard)
        for gap in card.gaps:
            await type_text(pilot, gap[0])
            await pilot.press("enter")
    await pilot.pause()


async def test_home_lists_the_decks_with_their_counts(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Deck de test" in text
        assert "tester" in text
        decks = app.screen.query_one("#decks", DeckList)
        assert decks.option_count == 1
        assert decks.highlighted_deck == "test-every-type"
        lines = screen_text(app).splitlines()
        heading = next(n for n, text in enumerate(lines) if text.split()[:1] == ["Deck"])
        assert lines[heading].split()[:3] == ["Deck", "Cards", "New"]
        row = lines[heading + 1].split()
        assert row[:3] == ["Deck", "de", "test"]
        assert row[-5:] == ["9", "9", "0", "0", "never"]  # cards, new, learning, due
        assert "Due today: 0" in text


def deck_row(app: Any, title_start: str) -> list[str]:
    """The words of the home screen's line for the deck whose title starts so."""
    return next(t.split() for t in screen_text(app).splitlines() if title_start in t)


async def test_home_counts_follow_a_session(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert deck_row(app, "Deck de test")[-5:] == ["9", "9", "0", "0", "never"]
        await pilot.press("s", "space", "1", "escape")  # one flashcard, forgotten
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        row = deck_row(app, "Deck de test")
        assert row[-5:-1] == ["9", "8", "1", "0"]  # cards, new, learning, due
        assert row[-1] == "2025-03-01"
        assert "Answers today: 1" in screen_text(app)


async def test_a_long_list_of_decks_scrolls_under_the_counts(make: Any, decks_dir: Path) -> None:
    for n in range(30):
        (decks_dir / f"d{n:02}.yaml").write_text(
            f"id: d{n:02}\ntitle: Deck {n:02}\ncards:\n"
            "  - {id: c, type: truefalse, prompt: Vrai ?, answer: vrai}\n",
            encoding="utf-8",
        )
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert "Due today: 0" in lines[3]
        assert lines[-1].split()[:2] == ["s", "Study"]  # the key bar stays at the bottom
        assert all(len(line.rstrip()) <= 80 for line in lines)
        await pilot.press("end")
        await pilot.pause()
        assert deck_row(app, "Deck de test")  # the last deck, scrolled into view
        assert app.screen.query_one("#decks", DeckList).highlighted_deck == "test-every-type"


async def test_a_whole_session_with_every_card_type(make: Any, data_dir: Path) -> None:
    app = make(start="study", limit=9)
    seen: set[Mode] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        for _step in range(20):  # bounded: a stuck screen fails instead of hanging
            if not isinstance(app.screen, StudyScreen):
                break
            session = app.screen.session
            assert session.question is not None and session.phase == Phase.ASKING
            seen.add(session.question.mode)
            await answer_right(pilot, session.question)
            assert session.phase == Phase.ANSWERED, session.question
            feedback = session.feedback
            assert feedback is not None and feedback.verdict.right, feedback.verdict
            text = screen_text(app)
            # A flashcard's line says the learner's rating, a checked answer the verdict.
            flashcard = session.question.mode == Mode.FLASHCARD
            assert ("Your rating: Good" if flashcard else "Correct") in text
            assert "Source:" in text and "Comes back:" in text
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.pause()
        assert "9 cards studied" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert len(reviews(data_dir)) == 9
    # Flashcard, the auto-graded ways of asking (choice or typed), and the rest.
    assert {Mode.FLASHCARD, Mode.TRUEFALSE, Mode.ORDER, Mode.MATCH, Mode.CLOZE} <= seen
    assert Mode.CHOICE in seen or Mode.TYPED in seen


async def test_undo_override_bury_and_suspend(make: Any, data_dir: Path) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_study(app, pilot)
        session = screen.session
        first = session.question
        assert first is not None
        await pilot.press("space", "1")  # Again
        assert session.phase == Phase.ANSWERED
        # Undo: the same card is asked again, the answer is gone from the store.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert session.question is not None and session.question.key == first.key
        assert session.phase == Phase.ASKING
        assert reviews(data_dir) == []
        await pilot.press("space", "3", "enter")
        await pilot.pause()
        # A wrong answer, then override: "I was right". ("Don't know" cannot be
        # overridden: nothing was answered.)
        question = session.question
        assert question is not None and question.mode == Mode.TYPED
        await pilot.press(*"Zorro", "enter")
        await pilot.pause()
        assert session.feedback is not None and not session.feedback.verdict.right
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert session.feedback is not None and session.feedback.verdict.right
        assert "changed by you" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        # Bury: the card goes away until tomorrow.
        buried = session.question
        assert buried is not None
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert session.question is not None and session.question.key != buried.key
        # Suspend asks first; "n" keeps the card, "y" suspends it.
        suspended = session.question
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert session.question is suspended
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert session.question is not None and session.question.key != suspended.key
    with Store.open(progress_path(data_dir)) as store:
        assert store.card(USER, *buried.key).buried_until is not None  # type: ignore[union-attr]
        assert store.card(USER, *suspended.key).suspended  # type: ignore[union-attr]
        assert [r.card_id for r in store.reviews(USER)] == [first.card.id, question.card.id]


async def test_typing_never_triggers_a_binding(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "space", "3", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.question is not None
        assert screen.session.question.mode == Mode.TYPED
        await type_text(pilot, "q s b e u t ? 1 2 j k a")
        await pilot.pause()
        box = screen.query_one("#typed-input", Input)
        assert box.value == "q s b e u t ? 1 2 j k a"
        assert app.screen is screen and screen.session.phase == Phase.ASKING


async def test_quitting_mid_session_keeps_every_answer(make: Any, data_dir: Path) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "space", "4", "enter")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert [r.card_id for r in reviews(data_dir)] == ["flash-minusma"]


async def test_end_of_session_summary(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "space", "3", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "1 card studied" in text and "Right: 100%" in text


async def test_nothing_due_offers_practice_ahead(make: Any, data_dir: Path) -> None:
    app = make(start="study", limit=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "4", "enter")  # Easy: due in days
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.cram


async def test_exam_with_a_changed_answer(make: Any, data_dir: Path) -> None:
    app = make(start="exam", questions=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        exam = screen.exam
        assert len(exam.questions) == 3
        # Answer the first question wrong (Don't-know-like: a blank-ish answer).
        first = exam.questions[0]
        if first.mode in (Mode.TYPED, Mode.CLOZE):
            await type_text(pilot, "zzz")
            await pilot.press("enter", *(["enter"] * max(0, first.gap_count - 1)))
        else:
            await answer_right(pilot, first)
        await pilot.pause()
        assert exam.responses[0] is not None
        assert exam.index == 1
        # Go back and answer it right this time.
        await pilot.press("pageup")
        await pilot.pause()
        assert exam.index == 0
        if first.mode in (Mode.TYPED, Mode.CLOZE):
            for _box in range(max(1, first.gap_count)):
                await pilot.press("ctrl+u")
                await pilot.press("tab") if first.gap_count > 1 else None
            await pilot.press("shift+tab") if first.gap_count > 1 else None
        await answer_right(pilot, first)
        for question in exam.questions[1:]:
            await answer_right(pilot, question)
        await pilot.pause()
        # All answered: hand-in is offered.
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        result = app.screen.result
        assert result.score.points == 3
        assert "Score: 3 / 3" in screen_text(app)
    with Store.open(progress_path(data_dir)) as store:
        assert len(store.exams(USER)) == 1
        assert store.reviews(USER) == []  # an exam leaves the schedule alone


async def test_exam_time_limit_hands_in(make: Any, clock: Any, data_dir: Path) -> None:
    app = make(start="exam", questions=4, time_limit=timedelta(minutes=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert "Time left: 5:00" in screen_text(app)
        await answer_right(pilot, screen.exam.question)
        clock.advance(minutes=6)
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        result = app.screen.result
        assert result.timed_out
        assert result.score.points == 1
        # Study my mistakes: a practice session over the three unanswered.
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.cram
        assert app.screen.session.selection_size == 3
    with Store.open(progress_path(data_dir)) as store:
        assert len(store.exams(USER)) == 1


async def test_exam_setup_from_home(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        await pilot.press("tab", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert len(app.screen.exam.questions) == 2


async def test_stats_with_a_populated_store(make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        text = screen_text(app)
        assert "True retention (30 days):" in text
        assert "▓" in text or "█" in text  # the heatmap has busy days
        app.screen.query_one("#stats-exams").scroll_visible(animate=False)
        await pilot.pause()
        assert "6.5/8" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_browse_filters_and_shows_history(make: Any, data_dir: Path, clock: Any) -> None:
    populate(data_dir, clock)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one("#cards", DataTable)
        assert table.row_count == 9
        await pilot.press("slash")
        await type_text(pilot, "state:suspended")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "wagner")
        await pilot.pause()
        # The text card, and the match card that also names Wagner.
        assert table.row_count == 2
        await pilot.press("enter")  # to the table
        await pilot.press("enter")  # the history of the first card
        await pilot.pause()
        assert isinstance(app.screen, CardHistoryDialog)
        assert "réponse" in screen_text(app)
        assert "When" in screen_text(app) and "typed" in screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_switch_and_create_a_learner(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, UserDialog)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "a/b")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UserDialog)
        assert "cannot contain /" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "Awa")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.user == "Awa"
        assert "Awa" in screen_text(app)
        # Back to the first learner with the arrows.
        await pilot.press("u", "up")
        await pilot.pause()
        assert app.screen.query_one("#user-name", Input).value == USER
        await pilot.press("enter")
        await pilot.pause()
        assert app.user == USER


async def test_help_lists_the_keys_of_the_screen(make: Any) -> None:
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).render())
        for words in ("Show answer", "Undo", "Bury", "Suspend", "End"):
            assert words in text, words
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)


async def test_command_palette_offers_the_main_actions(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Study all decks", "Exam", "Statistics", "Browse cards", "Switch learner"):
            assert title in titles


async def test_light_theme(make: Any) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        assert app.theme == "textual-light"
        await pilot.press("f2")
        assert app.theme == "textual-dark"


async def test_command_line_options_reach_the_app(make: Any, data_dir: Path) -> None:
    """`study --new N` limits the new cards; `exam --apply` counts the answers at once."""
    app = make(start="study", new_per_deck=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.counts().new == 2
    exam_app = make(start="exam", questions=2, apply=True)
    async with exam_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(exam_app.screen, ExamScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(exam_app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(exam_app.screen, ExamResultsScreen)
    with Store.open(progress_path(data_dir)) as store:
        assert store.review_count(USER) == 2
        assert len(store.exams(USER)) == 1


async def test_a_cards_history_in_french_has_headings_and_french_words(
    make: Any, data_dir: Path, clock: Any
) -> None:
    populate(data_dir, clock)
    app = make(lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "card:text-wagner")
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CardHistoryDialog)
        text = screen_text(app)
    assert "Quand" in text and "Verdict" in text
    assert "tapée" in text and "typed" not in text
    assert " jours" in text or " jour " in text
