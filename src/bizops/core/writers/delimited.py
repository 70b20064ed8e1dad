"""CSV and TSV output: English keys as the header, lists joined with `; `, records as JSON.

A text cell starting with `= + - @` gets a `'` so Excel shows it instead of
running it. `--bom` starts the file with a UTF-8 byte order mark: without one
Excel on a Chinese Windows reads a CSV as GBK and shows UTF-8 Chinese as
mojibake (a `.xlsx`, `-o orders.xlsx`, needs no such care).
"""

from __future__ import annotations

import csv
from typing import Any, BinaryIO

from bizops.core.writers.base import Writer, dumps

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_KINDS = ("text", "enum", "texts", "records", "json")
BOM = b"\xef\xbb\xbf"


def cell_text(value: Any) -> str:
    """A JSON-form value as one CSV cell."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return dumps(value).decode()
    if isinstance(value, dict):
        return dumps(value).decode()
    return str(value)


class _Utf8:
    """A text file over the binary output, as csv.writer wants one.

    Not an io.TextIOWrapper: one left behind by a failed run would close the
    output when it is collected.
    """

    def __init__(self, out: BinaryIO):
        self._write = out.write

    def write(self, text: str) -> int:
        return self._write(text.encode("utf-8"))


class CsvWriter(Writer):
    """`header=False` for a piece written by a `--jobs` worker after the header."""

    def __init__(self, *args, delimiter=",", header=True, bom=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.csv = csv.writer(_Utf8(self.out), delimiter=delimiter, lineterminator="\r\n" if delimiter == "," else "\n")
        self.guarded = tuple(i for i, c in enumerate(self.shown) if c.kind in _TEXT_KINDS)
        if bom and header:
            self.out.write(BOM)
        if header:
            self.csv.writerow(self.names)

    def write(self, encoded, original):
        cells = [cell_text(v) for v in self.pick(encoded)]
        for i in self.guarded:
            if cells[i].startswith(_FORMULA_START):
                cells[i] = "'" + cells[i]
        if self.explain and cells[-1].startswith(_FORMULA_START):
            cells[-1] = "'" + cells[-1]
        self.csv.writerow(cells)
