"""JSON Lines: one object per line, read a block of lines at a time."""

from __future__ import annotations

import io
from collections.abc import Iterator
from itertools import chain
from typing import BinaryIO

from bizops.core.errors import RowError
from bizops.core.i18n import Text
from bizops.core.readers.encodings import BOM, NUL_BYTE, UTF8, encoding_hint
from bizops.core.readers.jsontext import (
    RepeatedKey,
    exact_json,
    json_row_error,
    may_be_unreadable,
    not_an_object,
    unreadable_text,
)
from bizops.core.readers.pieces import Oversized, OversizedReader, cut_lines, pieces, too_long

try:  # orjson parses JSON Lines about 3.5x faster than json (see bench/)
    from orjson import JSONDecodeError as _OrjsonError
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency; keep working without it
    from json import loads as _fast_loads  # type: ignore[assignment]

    _OrjsonError = ValueError  # type: ignore[assignment,misc]


class JsonLinesReader:
    """One JSON object per line. Blank lines are skipped (their numbers still count)."""

    CHUNK = 1 << 15  # bytes read and parsed at a time (a few hundred rows: they stay in cache)

    def __init__(self, stream: BinaryIO, encoding: str | None):
        self.stream = stream
        self.encoding = None if encoding in UTF8 else encoding
        self.rows_read = 0
        self._lines: dict[int, bytes | str] | None = None  # the lines of the rows last given out, for `exact`
        self._block: tuple[int, bytes] | None = None  # or the block they came from, with its first line's number

    def blocks(self, size: int) -> Iterator[bytes | Oversized]:
        """The input in pieces of whole lines, for `--jobs` (see `bizops.core.parallel`)."""
        return pieces(self.stream.read, size, cut_lines)

    def for_block(self, block: bytes | Oversized):
        """A reader of one piece, numbering its lines from 1."""
        if isinstance(block, Oversized):
            return OversizedReader()
        return JsonLinesReader(io.BytesIO(block), self.encoding)

    def parse(self, row: int, line: bytes | str):
        """One line to `(row, dict)`, or a `RowError` (one escaping a NUL as a CSV's NUL byte, or half a character)."""
        parsed = self._parse(row, line)
        if type(parsed) is tuple and may_be_unreadable(line) and (why := unreadable_text(parsed[1])) is not None:
            return RowError(why, row)
        return parsed

    def _parse(self, row: int, line: bytes | str):
        if self.encoding is not None:
            try:
                line = line.decode(self.encoding)  # type: ignore[union-attr]
            except UnicodeDecodeError:
                return RowError(Text("line ", "该行") + encoding_hint(self.encoding), row)
        try:
            obj = _fast_loads(line)
        except _OrjsonError as exc:
            if b"\x00" in line if isinstance(line, bytes) else "\x00" in line:
                return RowError(NUL_BYTE, row)
            if isinstance(line, bytes):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return RowError(Text("line ", "该行") + encoding_hint(None), row)
            try:  # orjson refuses numbers no double holds (a 400-digit amount, 1e999): read exactly
                obj = exact_json(line)
            except (ValueError, RecursionError) as exact:
                return json_row_error(
                    row, exact if isinstance(exact, RepeatedKey) or "is not a number" in str(exact) else exc
                )
            if type(obj) is not dict:
                return not_an_object(row)
            return row, obj
        if type(obj) is not dict:
            return not_an_object(row)
        # orjson keeps the last of repeated keys: counting `":` finds every repeat
        # (and every nested object), and such rows are read again exactly.
        colons = line.count(b'":') if isinstance(line, bytes) else line.count('":')
        if colons != len(obj):
            try:
                obj = exact_json(line)
            except (ValueError, RecursionError) as exc:
                return json_row_error(row, exc)
        self._block, self._lines = None, {row: line}
        return row, obj

    def exact(self, row: int, raw: dict) -> dict | None:
        """The row just parsed, read again with decimals exact, if orjson gave it a float.

        orjson reads `1.5` as a float. No field accepts a float, so such a row
        fails validation and the pipeline asks for it again here (rare rows pay,
        not every row). None when there is nothing to re-read.
        """
        line = self._line_of(row)
        if line is None or float not in set(map(type, raw.values())):
            return None
        try:
            exact = exact_json(line)
        except (ValueError, RecursionError):
            return None
        for name, value in raw.items():  # keep what flags filled in (`_with_defaults`)
            exact.setdefault(name, value)
        return exact

    def _line_of(self, row: int) -> bytes | str | None:
        if self._block is not None:  # the rows came from one read of a whole block: cut it only now
            first, block = self._block
            self._block = None
            self._lines = dict(enumerate(block.split(b"\n"), first))
        return self._lines.get(row) if self._lines is not None else None

    def __iter__(self):
        # Rows pass from a block's iterator to the caller through C only (chain, zip): no generator frame per row.
        return chain.from_iterable(self._row_batches())

    def _row_batches(self):
        """For each block of whole lines read, an iterator of its rows."""
        lineno = 0
        # read1: what has arrived, so rows typed or piped slowly are decided at once
        for block in pieces(self.stream.read1, self.CHUNK, cut_lines):
            if type(block) is Oversized:
                lineno += 1
                self.rows_read = lineno
                yield (too_long(lineno),)
                continue
            if not block.endswith(b"\n"):  # the last line, unterminated
                block += b"\n"
            lines = block.count(b"\n")
            yield self._rows(block, lineno, lines)
            lineno += lines
            self.rows_read = lineno

    def _rows(self, block: bytes, lineno: int, lines: int) -> Iterator:
        """The `lines` rows of `block`, after line `lineno`: one call to orjson when all are plain objects.

        One call for a block saves a third of the reading; any line that is
        not one plain object (blank, broken, nested, a repeated key…) sends
        the block to `parse`, line by line, which says what is wrong with which row.
        """
        if lineno == 0 and block.startswith(BOM):
            block = block[3:]
        if self.encoding is None and b"\\u0000" not in block:  # a NUL, perhaps: `parse` looks (orjson refuses
            # a lone surrogate: its block goes to `parse` anyway)
            joined = b"[" + block[:-1].replace(b"\n", b",") + b"]"
            try:
                objects = _fast_loads(joined)
            except _OrjsonError:
                objects = None
            if (
                objects is not None
                and len(objects) == lines
                and set(map(type, objects)) == {dict}
                and joined.count(b'":') == sum(map(len, objects))
            ):
                self._block, self._lines = (lineno + 1, block), None
                return zip(range(lineno + 1, lineno + 1 + len(objects)), objects)
        parse = self.parse
        return (
            parse(row, line)
            for row, line in enumerate(block[:-1].split(b"\n"), lineno + 1)
            if line and not line.isspace()
        )
