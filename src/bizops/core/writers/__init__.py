"""One output emitter for every format: table, markdown, json, jsonl, csv, tsv, xlsx.

Results are dicts of typed values (`Decimal`, `datetime`, `Text`…). First
`bizops.core.encoder.Encoder` turns one into its JSON form, checking what the
plugin returned; then a writer prints it:

- `jsonl` one object a line; `json` one document (an object for one result,
  an array for a stream); both keep English keys and enum values. Here,
  with the base `Writer`: the pipeline's hot path imports nothing else.
- `csv`/`tsv` (`delimited`), `table`/`markdown` (`tables`, laid out by
  `layout`, values shown by `human`), `xlsx` (`workbook`): imported when used.

Every writer writes the columns `shown` (by default all; `--columns` picks,
and a table's default is the command's essential columns).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from bizops.core.formats import OUTPUT_FORMATS, STREAMING_FORMATS  # noqa: F401 - re-exported
from bizops.core.names import pick_columns
from bizops.core.schema import Column
from bizops.core.writers.base import (  # noqa: F401 - the pipeline's names, re-exported
    LINE,
    UNWRITABLE,
    JsonLinesWriter,
    JsonWriter,
    Writer,
    dumps,
    unwritable,
)


def make_writer(
    fmt: str,
    out: BinaryIO,
    columns: Sequence[Column],
    *,
    lang: str,
    explain: bool,
    labels: dict[str, tuple[str, str]],
    single: bool,
    tty: bool,
    header: bool = True,
    select: str | None = None,
    essential: Sequence[str] = (),
    titled: tuple[str, ...] = (),
    bom: bool = False,
    width: int | None = None,
    sheet: str | None = None,
) -> Writer:
    """The writer of a format. `select` is `--columns` (None: all, or `essential` for a table);
    `titled` columns hold one value by construction (a table shows it in its title);
    `width` is a terminal's (None: no limit); `sheet` names a workbook's sheet."""
    people = fmt in ("table", "markdown")
    shown = pick_columns(columns, select, essential if people else (), lang)
    options: dict[str, Any] = {
        "lang": lang,
        "explain": explain,
        "labels": labels,
        "single": single,
        "tty": tty,
        "shown": shown,
    }
    if fmt == "jsonl":
        return JsonLinesWriter(out, columns, **options)
    if fmt == "json":
        return JsonWriter(out, columns, **options)
    if fmt in ("csv", "tsv"):
        from bizops.core.writers.delimited import CsvWriter

        return CsvWriter(out, columns, delimiter="," if fmt == "csv" else "\t", header=header, bom=bom, **options)
    if fmt == "xlsx":
        from bizops.core.writers.workbook import XlsxWriter

        return XlsxWriter(out, columns, sheet=sheet, **options)
    from bizops.core.writers.tables import MarkdownWriter, TableWriter

    table = MarkdownWriter if fmt == "markdown" else TableWriter
    return table(out, columns, chosen=select is not None, titled=titled, width=width, **options)
