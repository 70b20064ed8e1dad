"""CSV and TSV input, as Excel and WPS write it (see `bizops.core.readers` for the common ground)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from bizops.core.errors import RowError
from bizops.core.i18n import Text, msg
from bizops.core.readers import _blocks, _encoding_hint


class CsvReader:
    """CSV (or TSV) with a header row, as Excel and WPS write it.

    Header names are matched loosely (`Guide Price` is `guide_price`). Fully
    empty rows are skipped; a row with more cells than the header is an error;
    missing trailing cells are empty.
    """

    def __init__(self, stream: BinaryIO, encoding: str | None, delimiter: str = ",", header: list[str] | None = None):
        self.stream = stream
        self.encoding = encoding or "utf-8"
        self.delimiter = delimiter
        self.header = header
        self.header_error: RowError | None = None
        self.repeated = _repeated(header)
        self.rows_read = 0
        self._bad_lines: dict[int, Text] = {}

    def blocks(self, size: int) -> Iterator[bytes]:
        """The data rows in pieces of whole records, for `--jobs`; reads the header first.

        A line break inside quotes does not end a record: a piece ends at the
        last line break with an even number of quotes before it.
        """
        header = b""
        for line in self.stream:
            header += line
            if header.count(b'"') % 2 == 0:
                break
        head_reader = CsvReader(io.BytesIO(header), self.encoding, self.delimiter)
        for _ in head_reader.records():  # only the header's own error can come out
            pass
        self.header = head_reader.header
        self.header_error = head_reader.header_error

        def boundary(data: bytes) -> int:
            cut = data.rfind(b"\n") + 1
            while cut > 0 and data.count(b'"', 0, cut) % 2:
                cut = data.rfind(b"\n", 0, cut - 1) + 1
            return cut

        return _blocks(self.stream, size, boundary)

    def for_block(self, block: bytes) -> CsvReader:
        """A reader of one piece of data rows (no header), numbering them from 1."""
        return CsvReader(io.BytesIO(block), self.encoding, self.delimiter, header=self.header)

    def _lines(self) -> Iterator[str]:
        encoding, bad = self.encoding, self._bad_lines
        for lineno, raw in enumerate(self.stream, 1):
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError:
                bad[lineno] = _encoding_hint(None if encoding == "utf-8" else encoding)
                line = raw.decode(encoding, "replace")
            if "\x00" in line:
                bad[lineno] = msg("contains a NUL byte", "含有 NUL 字节")
                line = line.replace("\x00", "")
            yield line

    def records(self) -> Iterator:
        """`(row, cells)` per data row, or a `RowError` for a row that cannot be read."""
        reader = csv.reader(self._lines(), delimiter=self.delimiter)
        bad = self._bad_lines
        last_line = 0
        row = 0  # the header is row 1; in a piece given its header, the first data row is 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row += 1
                self.rows_read = row
                last_line = reader.line_num
                yield RowError(msg("cannot be read as CSV: {e}", "无法按 CSV 读取：{e}", e=exc), row)
                continue
            row += 1
            self.rows_read = row
            first_line, last_line = last_line + 1, reader.line_num
            problem = next((bad.pop(n) for n in range(first_line, last_line + 1) if n in bad), None)
            if self.header is None:
                self.header = [normalise_header(c) for c in cells]
                self.repeated = _repeated(self.header)
                if problem is None and self.repeated is not None:
                    problem = msg(
                        "names column {c!r} twice (after ignoring case and spaces)",
                        "列 {c!r} 出现了两次（不区分大小写和空格）",
                        c=self.repeated,
                    )
                if problem is not None:
                    self.header_error = RowError(Text("the header row ", "表头行") + problem, row)
                    yield self.header_error
                continue
            if problem is not None:
                yield RowError(problem, row)
                continue
            if not any(c.strip() for c in cells):
                continue
            yield row, cells

    def parse(self, row: int, cells: list[str]):
        """One row's cells to `(row, dict)` by the header, or a `RowError`."""
        header = self.header
        if self.repeated is not None:  # which of the two cells is meant cannot be known
            return RowError(
                msg(
                    "not read: the header names column {c!r} twice",
                    "未读取：表头中列 {c!r} 出现了两次",
                    c=self.repeated,
                ),
                row,
            )
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            return RowError(
                msg(
                    "has {n} cells but the header has {h} columns",
                    "有 {n} 个单元格，但表头只有 {h} 列",
                    n=len(cells),
                    h=len(header),
                ),
                row,
            )
        return row, dict(zip(header, cells))

    def __iter__(self):
        parse = self.parse
        for item in self.records():
            yield parse(*item) if type(item) is tuple else item


def _repeated(header: list[str] | None) -> str | None:
    """The first column name a header gives twice (empty names do not count), or None."""
    seen: set[str] = set()
    for name in header or ():
        if name in seen and name:
            return name
        seen.add(name)
    return None


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())
