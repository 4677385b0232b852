"""What the screens read from the app, typed without importing the app.

:class:`Services` lists the app's attributes a screen may use (the store, the decks,
the learner...); :func:`services` hands a screen the running app as that type. The
session factories live here too, so that the app and the exam set-up screen build
sessions the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:
    import random
    from pathlib import Path

    from textual.dom import DOMNode

    from maliquiz.core.deck.library import Library
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.learning.exam import ExamSession
    from maliquiz.core.learning.session import StudySession
    from maliquiz.core.progress.store import Store
    from maliquiz.ui.messages import OpenExam, OpenStudy

Start = Literal["home", "study", "exam"]


class StartRequest(NamedTuple):
    """What the app opens on: the home screen, or straight into study or an exam."""

    start: Start = "home"
    decks: Sequence[Deck] | None = None
    tags: Sequence[str] = ()
    cram: bool = False
    limit: int | None = None
    new_per_deck: int | None = None
    questions: int = 20
    time_limit: timedelta | None = None
    apply: bool = False
    """Count the exam's answers as reviews as soon as it is handed in (``exam --apply``)."""


@runtime_checkable
class Services(Protocol):
    """The app as the screens see it."""

    store: Store
    library: Library
    data_dir: Path
    user: str
    request: StartRequest

    def rng(self) -> random.Random:
        """A random source for a new session."""
        ...


def services(node: DOMNode) -> Services:
    """The app running ``node``, typed as :class:`Services`."""
    app = node.app
    assert isinstance(app, Services)
    return app


def new_study_session(app: Services, request: OpenStudy) -> StudySession:
    """A study session for the current learner, as ``request`` asks."""
    from maliquiz.core.learning.session import StudySession

    return StudySession(
        app.store,
        app.user,
        request.decks,
        tags=request.tags,
        cram=request.cram,
        limit=request.limit,
        only=request.only,
        new_per_deck=request.new_per_deck,
    )


def new_exam(app: Services, request: OpenExam) -> ExamSession:
    """An exam for the current learner, as ``request`` asks."""
    from maliquiz.core.learning.exam import ExamSession

    return ExamSession(
        request.decks,
        app.store.clock,
        tags=request.tags,
        count=request.count,
        time_limit=request.time_limit,
        rng=app.rng(),
    )
