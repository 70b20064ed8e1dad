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
- `csvsplit`: where CSV rows end; `table`: header rows; `csvrows`: the CSV and TSV readers;
- `workbook`: a sheet of an `.xlsx`/`.xls`/`.ods` workbook (python-calamine, imported when used).

`open_input` decides how an input is read: its format (`sniff`), its
encoding (a BOM decides; UTF-16 with or without one; a CSV that is not UTF-8
is read as GB18030, said once) and its table layout (`table.Layout`: which
names a header cell may have, `--header-row`, `--sheet`).

A reader that `--jobs` can split has `blocks(size)` (the input in pieces of
whole rows) and `for_block(piece)` (a reader of one piece, its rows numbered
from 1, with `rows_read` after it); see `bizops.core.parallel`.

A new format is a module here, a line in `READERS`, its extension and
first bytes in `sniff` and its name in `bizops.core.formats`; a table reads
its header row with `table.Header` (the names a column may have are
`bizops.core.names`). A rule about encodings goes to `encodings`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import BinaryIO

from bizops.core.errors import UsageError
from bizops.core.i18n import Text, msg
from bizops.core.readers.encodings import guess, is_utf16, sniff_utf16, utf16_as_utf8
from bizops.core.readers.jsontext import exact_json
from bizops.core.readers.sniff import format_for
from bizops.core.readers.table import Layout

__all__ = [
    "READERS",
    "Layout",
    "exact_json",
    "format_for",
    "is_utf16",
    "open_input",
    "open_reader",
    "utf16_as_utf8",
]

#: Each input format's reader: module of this package, class. Imported when used
#: (`csv` is not needed to quote from JSON Lines).
READERS = {
    "jsonl": ("jsonlines", "JsonLinesReader"),
    "json": ("jsonarray", "JsonArrayReader"),
    "csv": ("csvrows", "CsvReader"),
    "tsv": ("csvrows", "TsvReader"),
    "xlsx": ("workbook", "WorkbookReader"),
    "xls": ("workbook", "WorkbookReader"),
    "ods": ("workbook", "WorkbookReader"),
}
#: Formats read as tables under a header row (they take a `Layout`).
TABLES = ("csv", "tsv", "xlsx", "xls", "ods")


def open_reader(stream: BinaryIO, fmt: str, encoding: str | None, layout: Layout | None = None):
    """The reader for a format; `encoding` None means UTF-8 with or without BOM."""
    if fmt not in READERS:
        raise UsageError(msg("unknown input format {f}", "未知输入格式 {f}", f=fmt))
    module, name = READERS[fmt]
    reader = getattr(import_module(f"{__name__}.{module}"), name)
    return reader(stream, encoding, layout=layout) if fmt in TABLES else reader(stream, encoding)


def open_input(
    stream: BinaryIO,
    path: str | None,
    fmt: str | None,
    encoding: str | None,
    layout: Layout | None = None,
    warn: Callable[[Text], None] | None = None,
):
    """The reader of an input stream (`path` names it, `-` for stdin), its format and encoding decided.

    `fmt` and `encoding` are the options (None: decide). `warn` is told once
    when a CSV is read as GB18030 because it is not UTF-8, or when a
    workbook's sheet has hidden rows (read like the others).
    """
    head = stream.peek(1 << 16)[: 1 << 16] if hasattr(stream, "peek") else b""
    if is_utf16(head, encoding):
        recoded = utf16_as_utf8(stream, encoding or sniff_utf16(head))
        stream, encoding, head = recoded, None, recoded.peek(1 << 16)[: 1 << 16]
    fmt = format_for(path, fmt, head)
    if fmt in ("csv", "tsv"):
        guessed = guess(head, encoding)
        if guessed != encoding and warn is not None:
            warn(
                msg(
                    "{f} is not UTF-8: read as GB18030 (as Chinese Excel and WPS save a CSV); "
                    "give --encoding to read it otherwise",
                    "{f} 不是 UTF-8：已按 GB18030 读取（中文版 Excel 和 WPS 保存的 CSV）；如需其他编码请加 --encoding",
                    f="standard input" if path in (None, "-") else path,
                )
            )
        encoding = guessed
    reader = open_reader(stream, fmt, encoding, layout)
    if hasattr(reader, "warn"):
        reader.warn = warn
    return reader
