"""Interface language: gettext catalogs for French and English.

English is the source language of every message; French comes from the catalog in
``maliquiz/locale/fr/LC_MESSAGES/maliquiz.mo``. The language is chosen once at start-up
(``--lang``, ``MALIQUIZ_LANG``, then the locale) and every ``_()`` call after that
follows it, in the CLI and in the app alike.
"""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "maliquiz"
LANGUAGES = ("en", "fr")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language(environ: dict[str, str] | None = None) -> str:
    """The interface language from ``MALIQUIZ_LANG``, then the usual locale variables."""
    env = os.environ if environ is None else environ
    wanted = env.get("MALIQUIZ_LANG", "").strip().lower()
    if wanted in LANGUAGES:
        return wanted
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].lower()
            return code if code in LANGUAGES else "en"
    try:
        code = (locale.getlocale()[0] or "en").split("_")[0].lower()
    except ValueError:
        code = "en"
    return code if code in LANGUAGES else "en"


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` (``en`` or ``fr``)."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language
    if language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])


def current_language() -> str:
    """The language ``_()`` currently translates to."""
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current interface language."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (for tables)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the count ``n``."""
    return _translation.ngettext(singular, plural, n)


def decimal(value: float, places: int | None = 1) -> str:
    """A number as the interface language writes it: ``36.3`` and ``1,250.5`` in
    English, ``36,3`` and ``1 250,5`` (a narrow no-break space) in French. ``places``
    digits after the point, or as few as needed (like ``:g``) when None."""
    shown = f"{value:,.{places}f}" if places is not None else f"{value:,}"
    if places is None and "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    if _language != "fr":
        return shown
    return shown.replace(",", "\u202f").replace(".", ",")


def count(n: int) -> str:
    """A whole number with its thousands grouped as the interface language writes them:
    ``12,152`` in English, ``12 152`` (a narrow no-break space) in French, where
    ``12,152`` would read as a decimal."""
    grouped = f"{n:,}"
    return grouped.replace(",", "\u202f") if _language == "fr" else grouped
