"""Learner profiles and each learner's own scheduling settings."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from dataclasses import replace
from typing import Any, Final

from maliquiz.core.learning.clock import from_ms, to_ms
from maliquiz.core.learning.records import (
    LearnerSettings,
    User,
)
from maliquiz.core.progress.connection import StoreConnection, StoreError

USER_NAME_MAX: Final = 64


class UserNameError(StoreError, ValueError):
    """A user name that cannot be used."""


class UnknownUserError(StoreError, LookupError):
    """No user of that name in this store."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no user named {name!r}")


class UserExistsError(StoreError):
    """Another user already has that name."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"a user named {name!r} already exists")


def validate_user_name(name: str) -> str:
    """``name`` in NFC without surrounding spaces, or :class:`UserNameError` saying why
    it cannot name a profile (names may one day name files, so no path tricks)."""
    if not isinstance(name, str):
        raise UserNameError(f"a user name is text, not {type(name).__name__}")
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise UserNameError("a user name cannot be empty")
    if len(cleaned) > USER_NAME_MAX:
        raise UserNameError(
            f"a user name has at most {USER_NAME_MAX} characters ({len(cleaned)} given)"
        )
    if "/" in cleaned or "\\" in cleaned:
        raise UserNameError(f"a user name cannot contain / or \\: {cleaned!r}")
    if ".." in cleaned or cleaned == ".":
        raise UserNameError(f"a user name cannot contain '..' or be '.': {cleaned!r}")
    for char in cleaned:
        # C*: control, format (bidi overrides), surrogates, private, unassigned;
        # Zl/Zp: line and paragraph separators. None of them displays as itself.
        if unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp"):
            raise UserNameError(
                f"a user name cannot contain control characters (U+{ord(char):04X})"
            )
    return cleaned


class UserQueries(StoreConnection):
    """Profiles: add, find, rename, remove; read and change their settings."""

    # --- users ----------------------------------------------------------------------

    def ensure_user(self, name: str) -> User:
        """The user called ``name``, created now if there is none."""
        name = validate_user_name(name)
        with self._write() as db:
            db.execute(
                "INSERT INTO users (name, created_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, to_ms(self.clock.now())),
            )
            return self._user(db, name)

    def add_user(self, name: str) -> User:
        """Create a user; :class:`UserExistsError` if the name is taken."""
        name = validate_user_name(name)
        with self._write() as db:
            try:
                db.execute(
                    "INSERT INTO users (name, created_ms) VALUES (?, ?)",
                    (name, to_ms(self.clock.now())),
                )
            except sqlite3.IntegrityError:
                raise UserExistsError(name) from None
            return self._user(db, name)

    def users(self) -> list[User]:
        """Every user, by name."""
        rows = self._db.execute(
            "SELECT id, name, created_ms FROM users ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [User(row[0], row[1], from_ms(row[2])) for row in rows]

    def user(self, name: str) -> User:
        """The user called ``name``; :class:`UnknownUserError` if none."""
        return self._user(self._db, name)

    def rename_user(self, old: str, new: str) -> User:
        """Give a user a new name; their progress follows."""
        new = validate_user_name(new)
        with self._write() as db:
            user = self._user(db, old)
            try:
                db.execute("UPDATE users SET name = ? WHERE id = ?", (new, user.id))
            except sqlite3.IntegrityError:
                raise UserExistsError(new) from None
            return User(user.id, new, user.created)

    def remove_user(self, name: str) -> None:
        """Delete a user with all their progress, answers and exams."""
        with self._write() as db:
            user = self._user(db, name)
            db.execute("DELETE FROM users WHERE id = ?", (user.id,))

    @staticmethod
    def _user(db: sqlite3.Connection, name: str) -> User:
        cleaned = unicodedata.normalize("NFC", name).strip() if isinstance(name, str) else name
        row = db.execute(
            "SELECT id, name, created_ms FROM users WHERE name = ?", (cleaned,)
        ).fetchone()
        if row is None:
            raise UnknownUserError(name)
        return User(row[0], row[1], from_ms(row[2]))

    # --- learner settings -----------------------------------------------------------

    def settings(self, user: str) -> LearnerSettings:
        """The learner's settings (the defaults for those never changed)."""
        uid = self._user(self._db, user).id
        raw = self._db.execute("SELECT settings FROM users WHERE id = ?", (uid,)).fetchone()[0]
        try:
            return LearnerSettings.from_json(json.loads(raw))
        except (ValueError, TypeError, AttributeError):
            return LearnerSettings()  # a damaged value falls back to the defaults

    def update_settings(self, user: str, **changes: Any) -> LearnerSettings:
        """Change some of the learner's settings; raises :class:`SettingsError` for a value
        out of range (nothing is written then)."""
        updated = replace(self.settings(user), **changes)
        with self._write() as db:
            uid = self._user(db, user).id
            db.execute(
                "UPDATE users SET settings = ? WHERE id = ?", (json.dumps(updated.to_json()), uid)
            )
        return updated

    def use_settings_of(self, user: str) -> LearnerSettings:
        """Schedule with ``user``'s settings from now on (a store serves one learner at a
        time in a session)."""
        settings = self.settings(user)
        self.scheduler = settings.apply(self.scheduler)
        return settings
