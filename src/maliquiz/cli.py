"""The one entry point: ``maliquiz`` and ``python -m maliquiz``.

Each subcommand lives in ``maliquiz/commands/<name>.py`` with ``register(subparsers)``
and ``run(args, ctx) -> int``. Registering only builds argparse options; every heavy
import (pydantic, YAML, SQLite, Textual) waits inside ``run`` so that ``maliquiz check``
and ``maliquiz --help`` start fast and never load Textual.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import getpass
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, cast

from maliquiz import __version__
from maliquiz.argparse_i18n import install as install_argparse_messages
from maliquiz.i18n import LANGUAGES, _, detect_language, set_language

# Order here is the order in `maliquiz --help`.
COMMANDS = (
    "study",
    "exam",
    "decks",
    "check",
    "schema",
    "stats",
    "cards",
    "settings",
    "optimize",
    "users",
    "progress",
    "new",
    "preview",
    "export",
    "import",
    "draft",
    "report",
    "sync",
    "serve",
    "server",
)


@dataclass
class Context:
    """What every command receives besides its own arguments."""

    data_dir: Path
    user: str
    lang: str
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)


def default_user() -> str:
    """``MALIQUIZ_USER`` if set, else the login name of the OS account."""
    env = os.environ.get("MALIQUIZ_USER", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "learner"


def _available_commands() -> list[str]:
    here = Path(__file__).parent / "commands"
    return [name for name in COMMANDS if (here / f"{_module_name(name)}.py").exists()]


def _module_name(command: str) -> str:
    return "import_" if command == "import" else command


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full argument parser, with one subparser per available command (or only
    the subparser of the command ``only``)."""
    parser = argparse.ArgumentParser(
        prog="maliquiz",
        description=_(
            "Study decks of facts in the terminal with spaced repetition. "
            "Without a command, opens the app."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"maliquiz {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help=_("where progress and your own decks are kept (env MALIQUIZ_DATA_DIR)"),
    )
    parser.add_argument(
        "--user",
        help=_("whose progress to use (env MALIQUIZ_USER, default: your login name)"),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_("interface language (env MALIQUIZ_LANG, default: from the locale)"),
    )
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for name in [only] if only else _available_commands():
        module = importlib.import_module(f"maliquiz.commands.{_module_name(name)}")
        module.register(subparsers)
    return parser


_GLOBAL_OPTIONS_WITH_VALUE = ("--data-dir", "--user", "--lang")


def _command_named(argv: list[str]) -> str | None:
    """The command ``argv`` runs, when it plainly names one: then only that command's
    module is imported and its options built (the others cost ~15 ms, a tenth of
    `maliquiz check`). None when anything else comes first (``--help``, an abbreviated
    option, a typo), so that argparse sees every command and lists them."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not any(arg.startswith(f"{option}=") for option in _GLOBAL_OPTIONS_WITH_VALUE):
            return arg if arg in _available_commands() else None
    return None


def _pre_scan_lang(argv: list[str]) -> str | None:
    """The ``--lang`` value, read before argparse so that --help is translated too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


_exit_prepared = False


def _prepare_exit() -> None:
    """Spare the interpreter's last collections when it exits: they look at every object
    left (pydantic's validators, the decks read) only to free memory the end of the
    process frees anyway, and took 15-20 ms of `maliquiz check`'s 230. Freezing moves
    those objects out of the collector's sight; it runs as the last exit handler, after
    every other, and changes nothing while the program runs (in tests, when their process
    ends)."""
    global _exit_prepared
    if not _exit_prepared:
        _exit_prepared = True
        atexit.register(gc.freeze)


def _skip_pydantic_plugins(command: str | None) -> None:
    """Tell pydantic not to look for plugins, unless the user said otherwise. The first
    time it builds a validator, pydantic reads the entry points of every installed
    distribution to find plugins (5-7 ms of `maliquiz check`); the deck models want
    none. The class server (`serve`) is left alone: observability plugins are made for
    servers. A user who wants plugins anyway sets PYDANTIC_DISABLE_PLUGINS to an empty
    value. Set here, in the program's entry point, never by the domain (a library
    must not decide that for the program that uses it)."""
    if command != "serve":
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main(argv: list[str] | None = None) -> int:
    """Run maliquiz with ``argv`` (default: the process arguments); return the exit code."""
    _prepare_exit()
    args_list = sys.argv[1:] if argv is None else argv
    lang = _pre_scan_lang(args_list)
    set_language(lang if lang in LANGUAGES else detect_language())
    install_argparse_messages()
    parser = build_parser(_command_named(args_list))
    args = parser.parse_args(args_list)
    _skip_pydantic_plugins(args.command)

    from maliquiz.core.paths import default_data_dir
    from maliquiz.core.text.visible import VisibleStream

    # Everything a command prints goes through these: deck text, file names and what a
    # learner typed are shown with their control characters as signs (␛, ␇), so no
    # message can clear, recolour or link the terminal.
    ctx = Context(
        data_dir=(args.data_dir or default_data_dir()).expanduser(),
        user=args.user or default_user(),
        lang=args.lang or detect_language(),
        stdout=cast(TextIO, VisibleStream(sys.stdout)),
        stderr=cast(TextIO, VisibleStream(sys.stderr)),
    )
    command = args.command
    if command is None:
        if ctx.stdin.isatty() and ctx.stdout.isatty():
            from maliquiz.ui.app import run_app  # Textual loads only when the app opens

            return run_app(ctx, start="home")
        # No terminal to draw in: study line by line, as `maliquiz study` would.
        if "study" not in _available_commands():
            parser.print_help()
            return 0
        command = "study"
        args = parser.parse_args([*args_list, "study"])
    module = importlib.import_module(f"maliquiz.commands.{_module_name(command)}")
    try:
        code: int = module.run(args, ctx)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`maliquiz preview x | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":
    raise SystemExit(main())
