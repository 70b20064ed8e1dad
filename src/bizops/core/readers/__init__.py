"""Input rows from JSON Lines, a JSON array, CSV or TSV, streamed.

A reader yields `(row, raw)` pairs: `raw` is the row's dict of untyped values
and `row` the number the user sees: the line of a JSON Lines file, the element
of a JSON array (from 1), the spreadsheet row of a CSV (the header is row 1).
A row that cannot be read at all (broken JSON, invalid UTF-8, a NUL byte, an
unclosed quote, longer than `pieces.MAX_ROW_BYTES`) is yielded as a `RowError`
in its place, and reading goes on.

The modules, each importing only modules listed before it (none imports this one):

- `encodings`: BOM, UTF-16, what to say of undecodable bytes; `sniff`: which format an input is;
- `pieces`: reading in pieces of whole rows, bounded and linear, shared by one process and `--jobs`;
- `jsontext`: exact JSON; `jsonlines`, `jsonarray`: their readers;
- `csvsplit`: where CSV rows end; `table`: header rows; `csvrows`: the CSV and TSV readers.

A reader that `--jobs` can split has `blocks(size)` (the input in pieces of
whole rows) and `for_block(piece)` (a reader of one piece, its rows numbered
from 1, with `rows_read` after it); see `bizops.core.parallel`.

A new format (a spreadsheet's `.xlsx`) is a module here, a line in
`READERS`, its extension and first bytes in `sniff` and its name in
`bizops.core.formats`; a table reads its header row with `table.Header`
(where column names are matched). A rule about encodings goes to `encodings`.
"""

from __future__ import annotations

from importlib import import_module
from typing import BinaryIO

from bizops.core.errors import UsageError
from bizops.core.i18n import msg
from bizops.core.readers.encodings import is_utf16, utf16_as_utf8
from bizops.core.readers.jsontext import exact_json
from bizops.core.readers.sniff import format_for

__all__ = ["READERS", "exact_json", "format_for", "is_utf16", "open_reader", "utf16_as_utf8"]

#: Each input format's reader: module of this package, class. Imported when used
#: (`csv` is not needed to quote from JSON Lines).
READERS = {
    "jsonl": ("jsonlines", "JsonLinesReader"),
    "json": ("jsonarray", "JsonArrayReader"),
    "csv": ("csvrows", "CsvReader"),
    "tsv": ("csvrows", "TsvReader"),
}


def open_reader(stream: BinaryIO, fmt: str, encoding: str | None):
    """The reader for a format; `encoding` None means UTF-8 with or without BOM."""
    if fmt not in READERS:
        raise UsageError(msg("unknown input format {f}", "未知输入格式 {f}", f=fmt))
    module, name = READERS[fmt]
    return getattr(import_module(f"{__name__}.{module}"), name)(stream, encoding)
