"""argparse's own words ("usage:", "options", "show this help message and exit", its
error messages) in the interface language.

argparse translates them with the module-level ``_`` and ``ngettext`` it imported from
:mod:`gettext`, in the process-wide default domain; :func:`install` points those two
names at maliquiz's catalog instead, which holds the French for the messages below (so
``scripts/i18n.py extract`` keeps them). Python's own wording is the msgid: a message
argparse changes in a later Python is simply shown in English until added here.

argparse writes a colon straight after each heading of the help ("options:"): French,
which puts a space before a colon, translates "options" and "positional arguments" with
a trailing space ("options :"), as "usage: " is translated "utilisation : ".
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from maliquiz.i18n import N_, _, current_language, ngettext

MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _plural_marks() -> None:
    ngettext("expected %s argument", "expected %s arguments", 1)


def install() -> None:
    """Make argparse speak the interface language of every later ``_()`` call, and wrap
    French help without starting a line with the ``;``, ``:``, ``?`` or ``!`` that French
    spaces from its word."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    formatter: Any = argparse.HelpFormatter
    if getattr(formatter, "_maliquiz_wraps_french", False):
        return
    split_lines, fill_text = formatter._split_lines, formatter._fill_text

    def _split_lines(self: argparse.HelpFormatter, text: str, width: int) -> list[str]:
        return [_unbind(line) for line in split_lines(self, _bind(text), width)]

    def _fill_text(self: argparse.HelpFormatter, text: str, width: int, indent: str) -> str:
        return _unbind(fill_text(self, _bind(text), width, indent))

    formatter._split_lines, formatter._fill_text = _split_lines, _fill_text
    formatter._maliquiz_wraps_french = True


# argparse wraps at ASCII spaces only: a no-break space holds the sign to its word while
# the text is wrapped, and is a plain space again in what is printed.
_NO_BREAK = "\u00a0"
_SPACED_SIGN = re.compile(r" (?=[;:?!»])|(?<=«) ")


def _bind(text: str) -> str:
    return _SPACED_SIGN.sub(_NO_BREAK, text) if current_language() == "fr" else text


def _unbind(text: str) -> str:
    return text.replace(_NO_BREAK, " ")
