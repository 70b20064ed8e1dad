"""Where the rows of a CSV end, found on its bytes, as Python's `csv` module (and Excel) read quotes.

A row ends at a line break (LF, or CRLF) outside quotes. A quote opens a
quoted cell only at the start of a cell (`12"` is an inch mark), `""` inside
one is a quote, and a quoted cell may hold line breaks: then its row runs on
over several lines, and is still one row, as in Excel.

A row must end within MAX_ROW_BYTES. When it does not (a quote that opens a
cell and is never closed), the row is its first line only and is reported as
broken, and reading goes on at the next line: every later row keeps its
number, and nothing is swallowed. The decision looks at no more than the row's
own MAX_ROW_BYTES, so it is the same however the input is cut into pieces.

Regular expressions do the scanning (in C, linear time); the cells of each
row are then read by `csv`, one row at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from bizops.core.readers.pieces import MAX_ROW_BYTES, cut_lines


@cache
def splitter(delimiter: str) -> CsvSplit:
    return CsvSplit(delimiter)


class CsvSplit:
    """The rows of CSV bytes with one delimiter."""

    def __init__(self, delimiter: str):
        other = b"[^" + re.escape(delimiter.encode("ascii")) + b"\n]*+"  # text up to the next cell or line end
        quoted = b'"[^"]*+(?:""[^"]*+)*+"'  # a closing quote followed by text joins it to the cell (as csv does)
        cell = b"(?:" + quoted + b'|(?!"))' + other
        cells = cell + b"(?:" + re.escape(delimiter.encode("ascii")) + cell + b")*+"
        # `end` is True when nothing follows the data: then a last line needs no line break.
        row = {end: cells + (b"(?:\n|\\Z)" if end else b"\n") for end in (False, True)}
        self._row = {end: re.compile(pattern) for end, pattern in row.items()}
        self._rows = {end: re.compile(b"(?:" + pattern + b")*+") for end, pattern in row.items()}

    def cut(self, data: bytes, final: bool) -> tuple[int, bool]:
        """Where the whole rows of `data` end (see `pieces.Cut`): the rows found in C, a broken row in Python."""
        if b'"' not in data:  # no quoted cell: each line is a row (most files, found without a regular expression)
            return cut_lines(data, final)
        pos, size = 0, len(data)
        while pos < size:
            limit = pos + MAX_ROW_BYTES  # no row found from here reaches past this
            rows = self._rows[final and limit >= size].match(data, pos, limit)
            end = rows.end() if rows else pos
            if end > pos:
                pos = end
            elif limit >= size and not final:
                return pos, False  # more of the input decides
            else:
                broken = self._broken(data, pos, final)
                if broken is None:
                    return pos, True
                pos = broken
        return pos, False

    def rows(self, block: bytes) -> Iterator[tuple[int, int, bool]]:
        """`(start, end, broken)` for each row of `block`, which is whole rows (a piece `cut` gave)."""
        pos, size = 0, len(block)
        match = self._row
        while pos < size:
            limit = pos + MAX_ROW_BYTES
            found = match[limit >= size].match(block, pos, limit)
            if found is not None:
                yield pos, found.end(), False
                pos = found.end()
            else:
                end = self._broken(block, pos, True) or size  # (a piece never holds a row too long to read)
                yield pos, end, True
                pos = end

    @staticmethod
    def _broken(data: bytes, pos: int, final: bool) -> int | None:
        """The end of the broken row at `pos`, its first line; None when that line is itself too long."""
        line_end = data.find(b"\n", pos, pos + MAX_ROW_BYTES)
        if line_end >= 0:
            return line_end + 1
        if final and len(data) - pos <= MAX_ROW_BYTES:
            return len(data)
        return None
