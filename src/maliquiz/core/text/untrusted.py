"""Files from outside read within bounds: a size checked before anything is parsed, and
for JSON a nesting depth checked without recursing.

A progress export, a class report's input, a GIFT or TSV file to import, an article or
a claims file may come from anyone. A 100,000-deep ``[[[[...`` makes ``json.loads``
recurse until it fails with ``RecursionError``; a file of several gigabytes fills the
memory before any check runs. So the size is bounded first (read at most one byte more
than allowed, so a growing file or a pipe is bounded too), then the depth, by a scan
that uses the ``re`` module only: strings are taken out, then the innermost bracket
pairs removed one level at a time, at most ``max_depth`` times. Measured on a 135 MB
export (a million answers): the scan takes about as long as ``json.loads`` itself
(1.7 s each), a 100,000-deep file is refused in 0.05 s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from maliquiz.i18n import _

MAX_JSON_DEPTH: Final = 32
"""No file of ours nests deeper than 5; far below where ``json`` would recurse out."""
MAX_TEXT_BYTES: Final = 16 * 1024 * 1024
"""GIFT, TSV, articles, claims: as for decks."""

_ESCAPES: Final = ("\\\\", '\\"')
_STRING: Final = re.compile(r'"[^"]*"')
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]+")
_PAIR: Final = re.compile(r"\[\]|\{\}")


class UntrustedFileError(ValueError):
    """A file that is not read: too large, not text, nested too deep, or not JSON.
    The message is in the interface language and does not name the file: the caller
    says which file it was reading. ``too_big`` is true for a file refused for its
    size or depth alone (it may be of the right kind, only out of bounds)."""

    def __init__(self, message: str, *, too_big: bool = False) -> None:
        super().__init__(message)
        self.too_big = too_big


def read_text(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The UTF-8 text of ``path`` (a BOM dropped), or :class:`UntrustedFileError` for a
    file larger than ``max_bytes``, binary, or not UTF-8. ``OSError`` passes through."""
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    if b"\x00" in data:
        raise UntrustedFileError(_("this is a binary file, not text"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UntrustedFileError(
            _("the file is not UTF-8 text (byte {offset})").format(offset=error.start)
        ) from None


def too_large(max_bytes: int) -> UntrustedFileError:
    """The refusal of a file larger than ``max_bytes``."""
    return UntrustedFileError(
        _("the file is larger than {cap} MiB, the most maliquiz reads").format(
            cap=max_bytes // 2**20
        ),
        too_big=True,
    )


def nested_deeper_than(text: str, max_depth: int) -> bool:
    """Whether the JSON ``text`` nests arrays and objects more than ``max_depth`` deep
    (brackets inside strings do not count). Text that is not JSON may answer either
    way: the parser says what is wrong with it."""
    for escape in _ESCAPES:  # an escaped quote or backslash never ends a string
        text = text.replace(escape, "")
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for level in range(max_depth):
        if not brackets:
            return False
        inner = _PAIR.sub("", brackets)
        if inner == brackets:
            # Unbalanced, so not JSON; still never handed deep to the parser: what is
            # left holds no pair, its own depth is counted (it is short but for a bomb).
            depth = peak = 0
            for char in brackets:
                depth += 1 if char in "[{" else -1
                peak = max(peak, depth)
            return level + peak > max_depth
        brackets = inner
    return bool(brackets)


def load_json(path: Path, *, max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The JSON value in ``path``, read within bounds: :class:`UntrustedFileError` for a
    file too large, too deep, or not JSON (``NaN`` and ``Infinity`` included, which
    are not JSON). ``OSError`` passes through."""
    text = read_text(path, max_bytes)
    if nested_deeper_than(text, max_depth):
        raise UntrustedFileError(
            _("lists and objects nest more than {n} levels deep").format(n=max_depth),
            too_big=True,
        )
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, 5,000-digit numbers
        raise UntrustedFileError(
            _("this is not valid JSON ({reason})").format(reason=error)
        ) from None


def strict_scanner() -> Callable[[str, int], tuple[Any, int]]:
    """How :func:`load_json` reads a value (``NaN`` and ``Infinity`` refused), as a
    function of a text and where in it the value starts, giving the value and where it
    ends (``StopIteration`` or ``ValueError`` when there is none): for a file read a
    piece at a time."""
    scan: Callable[[str, int], tuple[Any, int]]
    scan = json.JSONDecoder(parse_constant=_no_constant).scan_once  # type: ignore[attr-defined]
    return scan


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
