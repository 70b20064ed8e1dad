"""CSV and TSV input, as Excel and WPS write them: a header row, then one row per request.

The bytes are cut into rows first (`csvsplit`, also what `--jobs` cuts on),
then each row is decoded and its cells read by `csv`. The row number is the
spreadsheet's: the header is row 1, and a row with line breaks in a quoted
cell is one row.
"""

from __future__ import annotations

import csv
import io
import re
from collections import deque
from collections.abc import Callable, Iterator
from itertools import chain
from typing import BinaryIO

from bizops.core.errors import RowError
from bizops.core.i18n import Text, msg
from bizops.core.readers.csvsplit import splitter
from bizops.core.readers.encodings import BOM, NUL_BYTE, encoding_hint
from bizops.core.readers.pieces import Oversized, OversizedReader, pieces, too_long
from bizops.core.readers.table import Header, HeaderSearch, Layout, read_header


class CsvReader:
    """CSV with a header row; `header` is given for a piece of data rows (`for_block`).

    The header is the first row that is not a title above it (`Layout.is_title`),
    or the row `--header-row` names; `header_row` is its number once read.
    """

    delimiter = ","
    CHUNK = 1 << 15  # bytes read at a time

    def __init__(
        self, stream: BinaryIO, encoding: str | None, header: Header | None = None, layout: Layout | None = None
    ):
        self.stream = stream
        self.encoding = encoding or "utf-8"
        self.header = header
        self.layout = layout or Layout()
        self.header_row = 0
        self.header_error: RowError | None = None
        self._search = HeaderSearch(self.layout)  # until the header is found
        self.rows_read = 0
        self._split = splitter(self.delimiter)
        self._texts: deque[str] = deque()  # the row `csv` reads next (one at a time: it must not run on)
        self._cells = csv.reader(iter(self._texts.popleft, None), delimiter=self.delimiter)

    def blocks(self, size: int) -> Iterator[bytes | Oversized]:
        """The data rows in pieces of whole rows, for `--jobs`; reads the header first."""
        blocks = pieces(_LoneCrAsLf(self.stream.read), size, self._split.cut)
        first = next(blocks, None)
        if isinstance(first, Oversized):
            self._header_too_long()
            return blocks
        first = (first or b"").removeprefix(BOM)
        if not first:
            return blocks
        row, scanned, header_end, held_end, titles_end = 0, 0, None, 0, 0
        while header_end is None:
            for start, end, _ in self._split.rows(first[scanned:]):  # title rows, then the header
                for _ in self._rows(first[scanned + start : scanned + end], row):  # only the header's error counts
                    pass
                row += 1
                held, titles = self._search.held, self._search.titles
                if held and held[0][0] == row:
                    held_end = scanned + end
                if titles and titles[0][0] == row:
                    titles_end = scanned + end
                if self.header is not None:  # this row, or a held row above it (then the rows after are data)
                    header_end = scanned + end if self.header_row == row else held_end
                    break
            else:
                scanned = len(first)
                after = next(blocks, None)
                if type(after) is bytes:  # the header is further down (small pieces, held rows waiting)
                    first += after
                    continue
                if after is not None:  # an oversized row: wider than the held ones, which were titles
                    blocks = chain((after,), blocks)
                    self._search.held.clear()
                header_end = len(first)
                if self._search.unsettled():
                    first_end = held_end if self._search.held else titles_end
                    self._search.end()  # the rows below the first held (or title) row are data: read again
                    self._take_found()
                    header_end = first_end
                if self.header is None:  # nothing but empty rows: no header, no rows
                    self.header, self.header_row = Header([]), row
        data = first[header_end:]
        return chain((data,), blocks) if data else blocks

    def for_block(self, block: bytes | Oversized):
        """A reader of one piece of data rows (no header), numbering them from 1."""
        if isinstance(block, Oversized):
            return OversizedReader()
        return type(self)(io.BytesIO(block), self.encoding, header=self.header, layout=self.layout)

    def __iter__(self):
        row = 0
        for block in pieces(_LoneCrAsLf(self.stream.read1), self.CHUNK, self._split.cut):
            if type(block) is Oversized:
                row += 1
                self.rows_read = row
                self._search.held.clear()  # wider than the held rows: those were titles
                yield self._header_too_long() if self.header is None else too_long(row)
                continue
            if row == 0 and self.header is None:
                block = block.removeprefix(BOM)
            yield from self._rows(block, row)
            row = self.rows_read
        if self.header is None and self._search.unsettled():
            yield from self._found(self._search.end())

    def _rows(self, block: bytes, row: int) -> Iterator:
        """The rows of `block`, numbered after `row`: `(row, dict)` or `RowError` (the header sets `self.header`)."""
        header = self.header
        if header is not None and b'"' not in block:  # no quoted cell: each line is a row
            try:
                text = block.decode(self.encoding)
            except UnicodeDecodeError:
                text = "\x00"  # each line is decoded alone below, to say which
            if "\x00" not in text:
                return self._lines(text, row, header)
        return self._split_rows(block, row)

    def _lines(self, text: str, row: int, header: Header) -> Iterator:
        """The rows of a block without quotes, decoded and good: its lines, read by `csv` in one go."""
        lines = text.split("\n")
        if not lines[-1]:
            lines.pop()  # after the last line break
        cells_of = csv.reader(lines, delimiter=self.delimiter)
        self.rows_read = row + len(lines)
        for row in range(row + 1, row + 1 + len(lines)):  # noqa: B020 - numbered on from the argument
            try:
                cells = next(cells_of)
            except csv.Error as exc:  # a cell longer than `csv` takes
                yield RowError(_not_csv(exc), row)
                continue
            if "".join(cells).strip():  # a fully empty row is skipped (its number still counts)
                yield header.row(row, cells)

    def _split_rows(self, block: bytes, row: int) -> Iterator:
        """The rows of `block` as `csvsplit` finds them, each decoded and read alone."""
        header, decode, encoding, texts, cells_of = self.header, bytes.decode, self.encoding, self._texts, self._cells
        for start, end, broken in self._split.rows(block):
            row += 1
            self.rows_read = row
            try:
                text, problem = decode(block[start:end], encoding), None
            except UnicodeDecodeError:
                text, problem = decode(block[start:end], encoding, "replace"), encoding_hint(encoding)
            if "\x00" in text:
                text, problem = text.replace("\x00", ""), NUL_BYTE
            if broken:
                problem = problem or self._unclosed(text)
            if header is None:
                yield from self._read_header(row, text, problem)
                header = self.header
                continue
            if problem is not None:
                yield RowError(problem, row)
                continue
            texts.append(text)
            try:
                cells = next(cells_of)
            except csv.Error as exc:
                yield RowError(_not_csv(exc), row)
                continue
            if "".join(cells).strip():  # a fully empty row is skipped (its number still counts)
                yield header.row(row, cells)

    def _read_header(self, row: int, text: str, problem: Text | None) -> Iterator:
        """Row `row` while no header is known: a title, the header, or (below held rows) data."""
        try:
            cells = self._cells_alone(text)
        except csv.Error as exc:
            cells, problem = [], problem or _not_csv(exc)
        yield from self._found(self._search.feed(row, cells, problem))

    def _found(self, data: list) -> Iterator:
        """The header, if the search has found it, then the rows it showed to be data."""
        if self._search.found is None:
            return
        yield from self._take_found()
        for row, cells, problem in data:
            if problem is not None:
                yield RowError(problem, row)
            elif "".join(cells).strip():
                yield self.header.row(row, cells)  # type: ignore[union-attr]

    def _take_found(self) -> list[RowError]:
        found, self._search.found = self._search.found, None
        assert found is not None
        return self._take_header(*found)

    def _take_header(self, row: int, cells: list[str], problem: Text | None) -> list[RowError]:
        """Row `row` is the header; its error, if it has one."""
        self.header, self.header_error = read_header(cells, self.layout.names, row, problem)
        self.header_row = row
        return [] if self.header_error is None else [self.header_error]

    def _cells_alone(self, text: str) -> list[str]:
        """The cells of one row read on its own (of a broken row, its open cell runs to the end)."""
        return next(csv.reader([text], delimiter=self.delimiter), [])

    def _header_too_long(self) -> RowError:
        self.header = Header([])
        self.header_row = 1
        self.header_error = RowError(Text("the header row ", "表头行") + too_long(1).message, 1)
        return self.header_error

    def _unclosed(self, text: str) -> Text:
        """What to say of a row whose quote is never closed (see `csvsplit`)."""
        try:
            cell = len(self._cells_alone(text))
        except csv.Error:
            cell = 1
        name = self.header.name(cell) if self.header is not None else None
        column = f" ({name})" if name else ""
        return msg(
            "has a quote that opens cell {n}{c} and is never closed; "
            "the row is not read, and the next line is read as the next row",
            "第 {n} 个单元格{c}的引号没有闭合；该行未读取，下一行照常作为下一行读取",
            n=cell,
            c=column,
        )


def _not_csv(exc: csv.Error) -> Text:
    return msg("cannot be read as CSV: {e}", "无法按 CSV 读取：{e}", e=exc)


class _LoneCrAsLf:
    """`read`, with a CR that ends a line alone (old Mac files) read as LF, as Excel reads it.

    Only LF then ends a row (see `csvsplit`). A CR at the end of what is
    read waits for the next byte: a CRLF must stay one line end.
    """

    def __init__(self, read: Callable[[int], bytes]):
        self._read = read
        self._cr = False  # a CR held back

    def __call__(self, size: int) -> bytes:
        while True:
            chunk = self._read(size)
            data = b"\r" + chunk if self._cr else chunk
            self._cr = bool(chunk) and data.endswith(b"\r")
            if self._cr:
                data = data[:-1]
            if data.count(b"\r") != data.count(b"\r\n"):
                data = _LONE_CR.sub(b"\n", data)
            if data or not chunk:
                return data


_LONE_CR = re.compile(b"\r(?!\n)")


class TsvReader(CsvReader):
    """Tab-separated, as Excel's "Unicode Text" and many exports write it."""

    delimiter = "\t"
