"""A progress export read a piece at a time, so that importing a long history takes
about the same memory as a short one.

Reading a 175 MB export (a million answers) whole took 936 MB: the text, the copies
the depth scan makes, and a Python list for every row. Here the file is decoded half a
megabyte at a time and the JSON parsed one value at a time with the standard library's
own scanner (the one ``json.loads`` uses, so every value is read exactly as it would
be), and :func:`pieces` yields the header, then table by table each table's columns
and its rows a few thousand at a time.

Only the layout :meth:`ProgressTransfer.export_user` writes is read this way: one
object whose other keys (``format``, ``version``, ``user``...) come before its tables,
then ``cards``, ``reviews`` and ``exams`` in that order, each ``{"columns": [...],
"rows": [...]}``, nothing after them. Anything else (a file written by hand in another
order, a key twice, a value nested too deep, text that is not JSON or not UTF-8, a
single value of more than :data:`MAX_VALUE_CHARS`) raises :class:`Unstreamable`, and
the caller reads the file whole as before, which accepts or refuses it exactly as it
always did, with the same messages. A file larger than the bound is refused as soon
as that is known.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from typing import IO, Any, Final, NamedTuple

from maliquiz.core.text.untrusted import strict_scanner, too_large

TABLE_KEYS: Final = ("cards", "reviews", "exams")
"""The tables, in the order the export writes them."""
READ_BYTES: Final = 512 << 10
"""How much of the file is read at a time."""
ROWS_PER_PIECE: Final = 5_000
MAX_VALUE_CHARS: Final = 64 << 20
"""A single value (a row, a header value) longer than this is left to the whole-file
path: no value of ours comes near (an exam's results are at most 4 MB)."""

_SPACE: Final = " \t\n\r"
_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")


class Unstreamable(Exception):
    """The file is not laid out as the export writes it, or is not JSON: read it whole."""


class Header(NamedTuple):
    """The values of the keys before the tables (``format``, ``version``, ``user``...)."""

    values: dict[str, Any]


class Columns(NamedTuple):
    """A table begins: its key and its ``columns`` value, as written."""

    table: str
    columns: Any


class Rows(NamedTuple):
    """Rows of ``table`` as written (not checked), the first of them row ``first`` of
    the table (counted from 1)."""

    table: str
    first: int
    rows: list[Any]


def pieces(
    handle: IO[bytes], *, max_bytes: int, max_depth: int, rows_per_piece: int = ROWS_PER_PIECE
) -> Iterator[Header | Columns | Rows]:
    """The export in ``handle`` piece by piece: one :class:`Header`, then for each table
    its :class:`Columns` and its :class:`Rows` (none for a table without rows).

    Raises :class:`Unstreamable` (see the module), ``OSError``, or ``UntrustedFileError``
    for a file larger than ``max_bytes``. A row is not checked for its depth (each row
    maliquiz accepts holds plain values only): :func:`deeper_than` says, for rows that
    are refused."""
    reader = _Reader(handle, max_bytes)
    reader.expect("{")
    header: dict[str, Any] = {}
    key = reader.key()
    while key not in TABLE_KEYS:
        if key in header:  # the last one counts in json.loads
            raise Unstreamable
        value = reader.value()
        if deeper_than(value, max_depth - 1):
            raise Unstreamable
        header[key] = value
        reader.expect(",")
        key = reader.key()
    yield Header(header)
    for number, expected in enumerate(TABLE_KEYS):
        if number:
            reader.expect(",")
            key = reader.key()
        if key != expected:
            raise Unstreamable
        reader.expect("{")
        if reader.key() != "columns":
            raise Unstreamable
        columns = reader.value()
        if deeper_than(columns, max_depth - 2):
            raise Unstreamable
        yield Columns(key, columns)
        reader.expect(",")
        if reader.key() != "rows":
            raise Unstreamable
        reader.expect("[")
        first, ended = 1, reader.peek() == "]"
        if ended:
            reader.pos += 1
        while not ended:
            rows, ended = reader.items(rows_per_piece)
            first += len(rows)
            yield Rows(key, first - len(rows), rows)
            del rows  # not held while the next ones are read
        reader.expect("}")
    reader.expect("}")
    if reader.peek():  # anything but white space after the object
        raise Unstreamable


def deeper_than(value: Any, depth: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``depth`` levels deep."""
    if not isinstance(value, list | dict):
        return False
    level = [value]
    for _ in range(depth):
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, list | dict)
        ]
        if not level:
            return False
    return True


class _Reader:
    """JSON text read from a binary file a piece at a time: ``buffer`` holds what was
    read and not consumed yet, from ``pos`` on."""

    def __init__(self, handle: IO[bytes], max_bytes: int) -> None:
        self.handle = handle
        self.max_bytes = max_bytes
        self.read_bytes = 0
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self.scan = strict_scanner()
        self.buffer = ""
        self.pos = 0
        self.ended = False
        if _size(handle) > max_bytes:
            raise too_large(max_bytes)

    def refill(self) -> bool:
        """Read more of the file (at least as much as is left unconsumed, so that a
        long value is read in a few steps); False at the end of the file."""
        if self.ended:
            return False
        data = self.handle.read(max(READ_BYTES, len(self.buffer) - self.pos))
        self.read_bytes += len(data)
        if self.read_bytes > self.max_bytes:  # a file that grew, or a pipe
            raise too_large(self.max_bytes)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise Unstreamable from None
        self.ended = not data
        self.buffer = self.buffer[self.pos :] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space, not consumed ("" at the end)."""
        while True:
            self.pos = _WHITESPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.refill():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise Unstreamable
        self.pos += 1

    def key(self) -> str:
        """An object's next key, and its colon."""
        if self.peek() != '"':
            raise Unstreamable
        key = self.value()
        self.expect(":")
        assert isinstance(key, str)
        return key

    def value(self) -> Any:
        """The next JSON value, read as ``json.loads`` reads it."""
        if not self.peek():
            raise Unstreamable
        while True:
            try:
                value, end = self.scan(self.buffer, self.pos)
            except (StopIteration, ValueError, RecursionError):
                # Cut by the end of what was read, or not JSON: read on, up to a bound.
                if len(self.buffer) - self.pos > MAX_VALUE_CHARS or not self.refill():
                    raise Unstreamable from None
                continue
            # A number at the end of what was read may go on in the file.
            if end < len(self.buffer) or not self.refill():
                self.pos = end
                return value

    def items(self, limit: int) -> tuple[list[Any], bool]:
        """Up to ``limit`` items of the array being read (its ``[`` consumed, and each
        item before with its comma), and whether its ``]`` was reached (and consumed).

        The quick way first: an item scanned where it starts and followed by its comma,
        within what was read; at the end of what was read, at white space, or for
        anything unusual, :meth:`value` and :meth:`peek` do it carefully."""
        items: list[Any] = []
        append, scan, space = items.append, self.scan, _WHITESPACE.match
        buffer, pos, count = self.buffer, self.pos, 0
        while count < limit:
            try:
                if buffer[pos] in _SPACE:
                    pos = space(buffer, pos).end()  # type: ignore[union-attr]
                item, end = scan(buffer, pos)
                after = buffer[end]
                if after in _SPACE:
                    end = space(buffer, end).end()  # type: ignore[union-attr]
                    after = buffer[end]
            except (IndexError, StopIteration, ValueError, RecursionError):
                self.pos = pos
                item = self.value()
                after = self.peek()
                buffer, end = self.buffer, self.pos
            append(item)
            count += 1
            pos = end + 1
            if after == "]":
                self.pos = pos
                return items, True
            if after != ",":
                raise Unstreamable
        self.pos = pos
        return items, False


def _size(handle: IO[bytes]) -> int:
    """The size of the file behind ``handle`` (0 when it is not a plain file)."""
    try:
        status = os.fstat(handle.fileno())
    except (OSError, ValueError):
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else 0
