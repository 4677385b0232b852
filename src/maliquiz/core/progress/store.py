"""Progress: every learner's card states, answers and exams, in one SQLite file.

The file is ``<data_dir>/progress.sqlite3`` (:func:`progress_path`) and holds several
user profiles. Progress is keyed on the deck's ``id`` and the card's ``id`` strings, as
written in the deck, so a card removed from a deck keeps its rows and finds them again
if it comes back.

Schema (version 8; ``PRAGMA user_version`` holds the version, ``application_id`` marks
the file as ours):

``users``
    ``id``, ``name`` (unique, ASCII letters compared without case, SQLite's NOCASE:
    "Awa" and "awa" are one learner; names are stored in NFC),
    ``created_ms``, ``settings`` (JSON).
``card_states`` — one row per (user, deck, card) that was ever answered, buried or
suspended; a card with no row is new.
    ``memory`` is py-fsrs's card as JSON (the exact state). Copies of the fields the
    queue filters and sorts on sit in columns: ``state`` (1 learning, 2 review,
    3 relearning), ``due_ms``, ``stability``, ``difficulty``, ``last_review_ms``; plus
    ``reps``, ``lapses``, ``introduced_ms`` (first answer; NULL while new, and what the
    daily new-card limit counts), ``buried_until_ms``, ``suspended``, ``leech`` (set
    once ``lapses`` reaches the scheduler's ``leech_lapses``, 8 by default),
    ``recognised_ms``, ``recalled_ms``.
``review_log`` and its tables — every answer, compact (schema 6, :mod:`.answer_log`).
    Read through the view ``reviews``, which shows the columns of schema 5:
    ``id`` (the order of writing), ``uid`` (stable, unique for its user: import
    deduplicates on it), ``user_id``, ``deck_id``, ``card_id``, ``reviewed_ms``,
    ``mode`` (choice, typed, flashcard, order, ...), ``answer`` (what the learner typed
    or chose), ``outcome``, ``rating`` (1–4), ``duration_ms``, ``scheduled`` (0 for
    practice-ahead answers that left the schedule alone), ``imported`` (1 for rows that
    came from a file, 2 for rows received from the class server: never undone from
    here; those from the server are never sent back to it). ``review_undo`` keeps, deflated,
    the card's whole row as JSON before each answer that had one (undo restores it
    exactly; the export writes it as ``state_before``).
``daily`` — each learner's answers summed per study day (:mod:`.daily`).
``exams`` — one row per exam sat.
    ``uid``, ``user_id``, ``taken_ms``, ``decks`` and ``tags`` (JSON lists), ``score``,
    ``max_score``, ``duration_ms``, ``results`` (JSON: one object per question).
``card_actions`` — the card browser's undo journal (schema 5), the latest 50 actions
    of each learner: ``user_id``, ``done_ms``, ``action`` (suspend, bury, forget,
    set-due...), ``cards`` (JSON: ``[deck_id, card_id, row before or null, row after]``
    for each card the action changed). Local to this file: never exported.
``new_cards_kept`` and ``card_rows_changed`` — the queue's last search for each deck's
    new cards, dropped by triggers whenever a card row of the deck is added or deleted
    (schema 8, :mod:`.newcards`). Local to this file: never exported.

Instants are integer milliseconds since the Unix epoch, UTC.

The code is split by concern, one mixin a module, composed into :class:`Store` here:
:mod:`.connection` (opening, schema, migrations, damage), :mod:`.users` (profiles and
settings), :mod:`.cards` (card rows and what the queue reads), :mod:`.reviews` (the
answer log, stored by :mod:`.answer_log`), :mod:`.exams`, :mod:`.transfer` (JSON export
and import) and :mod:`.actions` (the card browser's actions on many cards, and their undo).
"""

from __future__ import annotations

from maliquiz.core.progress.actions import CardActions
from maliquiz.core.progress.exams import ExamQueries
from maliquiz.core.progress.reviews import ReviewQueries
from maliquiz.core.progress.transfer import ProgressTransfer

__all__ = ["Store"]


class Store(ReviewQueries, ExamQueries, ProgressTransfer, CardActions):
    """The progress file of one data directory, open.

    Build it with :meth:`open`; close it (or use it as a context manager) when done.
    ``clock`` tells the time of every answer, ``calendar`` where the study day
    ends (for burying), ``scheduler`` how answers move cards. One store is one
    connection: use it from one thread.
    """
