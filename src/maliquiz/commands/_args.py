"""Arguments that several commands declare alike, declared once so that their help and
their checks cannot drift apart from one command to the next.

These run while the parser is built, for ``maliquiz --help`` too: nothing heavy here.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from maliquiz.i18n import _, decimal


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def non_negative(text: str) -> int:
    """An argparse type: a whole number of at least 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a whole number").format(text=text)
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("cannot be negative"))
    return value


_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def decimal_number(
    example: float, low: float, high: float, places: int | None = None
) -> Callable[[str], float]:
    """An argparse type: a number from ``low`` to ``high``, written with a decimal
    point or a decimal comma (``0.85``, ``0,85``). Its errors show ``example`` and the
    bounds as the interface language writes them, with ``places`` decimals."""

    def read(text: str) -> float:
        written = text.strip()
        if not _DECIMAL.fullmatch(written):
            raise argparse.ArgumentTypeError(
                _("{text!r} is not a number such as {example}").format(
                    text=text, example=decimal(example, places)
                )
            )
        value = float(written.replace(",", "."))
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("must be from {low} to {high}, not {text}").format(
                    low=decimal(low, places), high=decimal(high, places), text=written
                )
            )
        return value

    return read


def add_decks_argument(parser: argparse.ArgumentParser) -> None:
    """DECK ...: deck ids or files, every deck when none is named."""
    parser.add_argument(
        "decks",
        nargs="*",
        metavar=_("DECK"),
        help=_("deck ids or deck files (default: every deck)"),
    )


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """DECK ... and --tag: the cards a study session or an exam draws from."""
    add_decks_argument(parser)
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar=_("TAG"),
        help=_("only cards with this tag (repeatable)"),
    )


def add_plain_flag(parser: argparse.ArgumentParser) -> None:
    """--plain: the line-by-line mode instead of the app."""
    parser.add_argument(
        "--plain",
        action="store_true",
        help=_("line-by-line mode for scripts, ssh and screen readers"),
    )


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """--json: output for tools instead of a table."""
    parser.add_argument("--json", action="store_true", help=_("print JSON for tools"))


def add_paths_argument(parser: argparse.ArgumentParser, help_text: str) -> None:
    """PATH ...: deck files or folders, any number of them."""
    parser.add_argument("paths", nargs="*", type=Path, metavar=_("PATH"), help=help_text)


def add_output_argument(
    parser: argparse.ArgumentParser,
    help_text: str,
    *,
    required: bool,
    metavar: str | None = "FILE",
) -> None:
    """-o/--output: the file the command writes."""
    parser.add_argument(
        "-o", "--output", type=Path, required=required, metavar=metavar, help=help_text
    )


def add_actions(
    parser: argparse.ArgumentParser, actions: dict[str, tuple[str, str]]
) -> dict[str, argparse.ArgumentParser]:
    """A required ACTION (``users add``, ``progress export``...), one for each ``name:
    (summary, description)`` in order; their parsers by name, for their own arguments."""
    subparsers = parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    return {
        name: subparsers.add_parser(name, help=summary, description=description)
        for name, (summary, description) in actions.items()
    }


def add_new_per_deck_option(
    parser: argparse.ArgumentParser, flag: str, value_type: Callable[[str], int]
) -> None:
    """How many new cards a deck brings in a day: ``study --new`` for one session,
    ``settings --new-per-deck`` to keep (where the store checks the value)."""
    parser.add_argument(
        flag,
        type=value_type,
        metavar="N",
        dest="new_per_deck",
        help=_("new cards per deck and day (default 20)"),
    )
