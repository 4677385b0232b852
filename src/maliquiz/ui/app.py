"""The maliquiz app and the one factory that builds it, for the CLI and the tests alike.

``make_app`` opens the learner's progress store and finds the decks; the screens read
the core's objects (sessions, stats, the store's reads) and send them the learner's
actions. ``run_app`` is what ``maliquiz``, ``maliquiz study`` and ``maliquiz exam`` call
when they open the app.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from maliquiz.i18n import N_, _, set_language
from maliquiz.ui import keymap
from maliquiz.ui.messages import (
    OpenBrowse,
    OpenExam,
    OpenExamSetup,
    OpenStats,
    OpenStudy,
    OpenUserDialog,
    Request,
)
from maliquiz.ui.services import Start, StartRequest, new_exam, new_study_session

if TYPE_CHECKING:
    from textual.message import Message

    from maliquiz.core.deck.library import Library
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.learning.clock import Clock
    from maliquiz.core.progress.store import Store

STYLESHEET = Path(__file__).parent / "maliquiz.tcss"
PRELOAD_DELAY = 0.3
"""Seconds after the home screen opens before the full decks load in the background."""
KEY_WORDS = frozenset(
    {
        N_("space"),
        N_("esc"),
        N_("pgdn"),
        N_("pgup"),
        N_("home"),
        N_("end"),
        N_("del"),
        N_("shift"),
        N_("tab"),
    }
)
"""The names Textual writes on keys that are words, translated on the key bar and in F1
(Espace, Échap, Pg suiv... in French)."""


RequestType = TypeVar("RequestType", bound=Request)


def _if_still_asked(
    handler: Callable[[MaliquizApp, RequestType], None],
) -> Callable[[MaliquizApp, RequestType], None]:
    """Let a request drop when the screen that asked is no longer on top: a key pressed
    twice before the app gets to the first request queues a second one, which must not
    open a second screen (as when screens were opened at once)."""

    @functools.wraps(handler)
    def handle(app: MaliquizApp, request: RequestType) -> None:
        if request.asker is None or request.asker is app.screen:
            handler(app, request)

    return handle


class MaliquizApp(App[int]):
    """The study app. Build it with :func:`make_app`."""

    CSS_PATH = STYLESHEET
    TITLE = "maliquiz"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("app")

    def __init__(
        self,
        *,
        store: Store,
        library: Library,
        data_dir: Path,
        user: str,
        lang: str,
        request: StartRequest,
        rng_seed: int | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.library = library
        self.data_dir = data_dir
        self.user = user
        self.lang = lang
        self.request = request
        self.rng_seed = rng_seed
        self.store_failure: Exception | None = None
        """What went wrong with the progress file, when that ended the app."""
        self.theme = "textual-dark"
        self.sub_title = self._learner_line()

    # --- wiring -------------------------------------------------------------------

    def _learner_line(self) -> str:
        return _("Learner: {user}").format(user=self.user)

    def rng(self) -> random.Random:
        """A random source for a new session (seeded in tests, for stable screens)."""
        return random.Random(self.rng_seed)

    def switch_user(self, name: str) -> None:
        """Study as ``name`` from now on (created if new)."""
        self.store.ensure_user(name)
        self.user = self.store.user(name).name
        self.store.use_settings_of(self.user)
        self.sub_title = self._learner_line()

    # --- lifecycle ----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The home screen is the bottom of the stack, drawn as the app opens (pushing it
        # over an empty default screen would lay out and draw both).
        from maliquiz.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(self.check_size)
        from maliquiz.ui.keymap import user_keymap

        own_keys, problems = user_keymap(self.data_dir)
        if own_keys:
            self.set_keymap(own_keys)
        for problem in problems:
            self.notify(problem, title=_("Your keys"), severity="warning", timeout=8, markup=False)
        for problem in self.library.problems:
            self.notify(
                problem,
                title=_("A deck did not load"),
                severity="warning",
                timeout=8,
                markup=False,
            )
        request = self.request
        if request.start == "home":
            if not self.library.loaded:
                # Load the full decks in the background once the home screen is up, so
                # that the first Enter opens a session at once; a deck asked for before
                # then is loaded on the spot (the library's lock makes both safe).
                self.set_timer(PRELOAD_DELAY, self._preload_decks)
            return
        decks = list(request.decks) if request.decks else self.library.decks
        # Opened at once rather than posted, so the first screen drawn is the session's.
        if request.start == "study":
            self.on_open_study(
                OpenStudy(
                    decks,
                    tags=request.tags,
                    cram=request.cram,
                    limit=request.limit,
                    new_per_deck=request.new_per_deck,
                )
            )
        elif request.start == "exam":
            self.on_open_exam(
                OpenExam(
                    decks, tags=request.tags, count=request.questions, time_limit=request.time_limit
                )
            )

    def on_resize(self, event: events.Resize) -> None:
        # Called before the app's own handler records the new size: use the event's.
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int | None = None, height: int | None = None) -> None:
        """Cover the app with a message while the terminal is smaller than 80×24, and
        take it away once it is large enough."""
        from maliquiz.ui.screens.too_small import TooSmallScreen, too_small

        small = too_small(width or self.size.width, height or self.size.height)
        covered = isinstance(self.screen, TooSmallScreen)
        if small and not covered:
            self.push_screen(TooSmallScreen())
        elif not small and covered:
            self.pop_screen()

    def _preload_decks(self) -> None:
        self.run_worker(self.library.load, thread=True, exit_on_error=False, name="decks")

    def on_unmount(self) -> None:
        self.store.close()

    def _handle_exception(self, error: Exception) -> None:
        # Textual has no public hook for an error no handler caught, and its own prints
        # a traceback. A failing progress file (damage met by a query, a full disk
        # outside an answer) ends the app instead, and run_app says what happened once
        # the store is closed (damage is moved aside then).
        import sqlite3

        from maliquiz.core.progress.failures import StoreError, classify

        about_store = isinstance(error, StoreError) or (
            isinstance(error, sqlite3.DatabaseError)
            and classify(error, self.store.path) is not None
        )
        if about_store and self.store_failure is None:
            self.store_failure = error
            self.exit(1)
            return
        super()._handle_exception(error)

    # --- navigation: what the screens ask for (see maliquiz.ui.messages) ------------

    @_if_still_asked
    def on_open_study(self, request: OpenStudy) -> None:
        from maliquiz.ui.screens.study import StudyScreen

        self.push_screen(StudyScreen(new_study_session(self, request)))

    @_if_still_asked
    def on_open_exam(self, request: OpenExam) -> None:
        from maliquiz.ui.screens.exam import ExamScreen

        exam = new_exam(self, request)
        if not exam.questions:
            self.notify(_("These decks have no card an exam can grade."), severity="warning")
            return
        self.push_screen(ExamScreen(exam))

    @_if_still_asked
    def on_open_exam_setup(self, request: OpenExamSetup) -> None:
        from maliquiz.ui.screens.exam import ExamSetupScreen

        self.push_screen(ExamSetupScreen(preselected=[d.id for d in request.decks]))

    @_if_still_asked
    def on_open_stats(self, request: OpenStats) -> None:
        from maliquiz.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    @_if_still_asked
    def on_open_browse(self, request: OpenBrowse) -> None:
        from maliquiz.ui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())

    @_if_still_asked
    def on_open_user_dialog(self, request: OpenUserDialog) -> None:
        from maliquiz.commands._common import user_name_problem
        from maliquiz.ui.dialogs.user import UserDialog

        def done(name: str | None) -> None:
            if name and name != self.user:
                self.switch_user(name)
                self.notify(_("Now studying as {user}.").format(user=self.user))
                refresh = getattr(self.screen, "refresh_data", None)
                if refresh is not None:
                    refresh()

        users = [user.name for user in self.store.users()]
        self.push_screen(UserDialog(users, self.user, user_name_problem), done)

    # --- actions ------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        from maliquiz.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_key_display(self, binding: Binding) -> str:
        """The key as Textual shows it, its word-names in the interface language."""
        shown = super().get_key_display(binding)
        return "+".join(_(part) if part in KEY_WORDS else part for part in shown.split("+"))

    def action_command_palette(self) -> None:
        """Open the command palette, in the interface language."""
        from textual.command import CommandPalette

        from maliquiz.ui.palette import Palette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette())

    def action_toggle_theme(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def _asks(self, message: type[Message]) -> Callable[[], object]:
        """A palette command that posts a new ``message`` to the app."""
        return lambda: self.post_message(message())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from maliquiz.ui.screens.home import HomeScreen

        home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
        if home is not None and screen is home:
            yield SystemCommand(
                _("Study all decks"), _("Today's cards of every deck"), home.action_study_all
            )
            yield SystemCommand(
                _("Study the highlighted deck"), _("Today's cards of this deck"), home.action_study
            )
            yield SystemCommand(
                _("Exam"), _("A self-assessment exam, scored by topic"), home.action_exam
            )
        yield SystemCommand(_("Statistics"), _("Your progress over time"), self._asks(OpenStats))
        yield SystemCommand(
            _("Browse cards"), _("Every card with its state"), self._asks(OpenBrowse)
        )
        yield SystemCommand(
            _("Switch learner"), _("Study as someone else"), self._asks(OpenUserDialog)
        )
        yield SystemCommand(_("Help"), _("The keys of this screen"), self.action_help)
        yield SystemCommand(
            _("Light or dark theme"), _("Switch the colours"), self.action_toggle_theme
        )
        yield SystemCommand(_("Quit"), _("Leave maliquiz (answers are saved)"), self.exit)


def make_app(
    data_dir: Path,
    user: str,
    lang: str = "en",
    clock: Clock | None = None,
    *,
    library: Library | None = None,
    rng_seed: int | None = None,
    **start: Any,
) -> MaliquizApp:
    """Build the app for ``user`` on the data in ``data_dir``, in ``lang``.

    ``clock`` defaults to the system clock (tests pass a manual one). ``start`` holds the
    fields of :class:`~maliquiz.ui.services.StartRequest`: what to open on (``start``)
    and how; its ``decks`` are the decks asked for on the command line, without them
    the catalog's decks are used. Raises
    :class:`~maliquiz.core.progress.connection.StoreError` when the progress file cannot
    be opened or the user name cannot be used.
    """
    from maliquiz.core.deck.library import Library
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.store import Store

    request = StartRequest(**start)  # an unknown option is a TypeError, as before
    set_language(lang)
    store = Store.open(progress_path(data_dir), clock=clock)
    try:
        store.ensure_user(user)
        user = store.user(user).name
        store.use_settings_of(user)
        if library is None:
            library = Library.scan(data_dir, request.decks or ())
    except BaseException:
        store.close()
        raise
    return MaliquizApp(
        store=store,
        library=library,
        data_dir=data_dir,
        user=user,
        lang=lang,
        request=request,
        rng_seed=rng_seed,
    )


def run_app(
    ctx: Any,
    start: Start = "home",
    decks: Sequence[Deck] | None = None,
    tags: Sequence[str] = (),
    **options: Any,
) -> int:
    """Open the app from the CLI (``ctx`` is the CLI's context); return the exit code."""
    import sqlite3

    from maliquiz.commands._common import report_store_error, user_name_problem
    from maliquiz.core.progress.connection import StoreError, progress_path
    from maliquiz.core.progress.failures import settle

    problem = user_name_problem(ctx.user)
    if problem:
        print(_("maliquiz: {error}").format(error=problem), file=ctx.stderr)
        return 1
    known = {*StartRequest._fields, "clock", "rng_seed"}
    try:
        app = make_app(
            ctx.data_dir,
            ctx.user,
            ctx.lang,
            start=start,
            decks=decks,
            tags=tags,
            **{k: v for k, v in options.items() if k in known and v is not None},
        )
    except StoreError as error:
        return report_store_error(ctx, error)
    except sqlite3.DatabaseError as error:
        failure = settle(error, progress_path(ctx.data_dir))
        if failure is None:
            raise
        return report_store_error(ctx, failure)
    try:
        code = app.run()
    finally:
        app.store.close()
    if app.store_failure is not None:
        failure = settle(app.store_failure, app.store.path)
        if failure is not None:
            return report_store_error(ctx, failure)
    return code or 0
