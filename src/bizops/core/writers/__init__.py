"""One output emitter for every format: table, markdown, json, jsonl, csv, tsv.

Results are dicts of typed values (`Decimal`, `datetime`, `Text`…). First
`bizops.core.encoder.Encoder` turns one into its JSON form, checking what the
plugin returned; then a writer prints it:

- `jsonl` one object a line; `json` one document (an object for one result,
  an array for a stream); both keep English keys and enum values.
- `csv`/`tsv` English keys as the header, lists joined with `; `, records as
  JSON; a text cell starting with `= + - @` gets a `'` so Excel shows it
  instead of running it.
- `table` rich on a terminal, tabulate plain text elsewhere; `markdown` a
  tabulate pipe table. Labels and enum values in `--lang`; `--explain` prints
  the trace under the table. Text is shown safe for a screen or a report
  (`bizops.core.display`): no control character reaches the terminal, no
  line break or `|` makes a row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO

from bizops.core.display import has_surrogate, shown
from bizops.core.display import markdown as markdown_cell
from bizops.core.formats import OUTPUT_FORMATS, STREAMING_FORMATS  # noqa: F401 - re-exported
from bizops.core.i18n import render
from bizops.core.money import decimal_text, money_text, price_text
from bizops.core.schema import Column
from bizops.core.values import format_datetime

try:
    from orjson import OPT_APPEND_NEWLINE as LINE
    from orjson import (
        JSONEncodeError,
        dumps,  # dumps(obj, None, LINE) is obj's JSON line, C all the way down
    )
except ImportError:  # pragma: no cover - orjson is a dependency; keep working without it
    import json

    LINE = 1
    JSONEncodeError = TypeError  # type: ignore[misc,assignment]

    def dumps(obj, default=None, option=None) -> bytes:  # type: ignore[misc]
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
        return text + b"\n" if option == LINE else text


#: What a writer raises for an encoded result it cannot write: text that is not Unicode
#: (a lone surrogate) or an int JSON cannot hold. A result's failure, never the output's.
UNWRITABLE = (JSONEncodeError, UnicodeEncodeError)


def unwritable(exc: Exception) -> str:
    """What was wrong with a result a writer could not write (one of `UNWRITABLE`)."""
    if isinstance(exc, UnicodeEncodeError) or "surrogate" in str(exc):
        return "text that is not valid Unicode (a lone surrogate)"
    return f"a value that cannot be written: {exc}"


#: Labels for enum values every company shares; a company's `labels` add to them.
CORE_LABELS: dict[str, tuple[str, str]] = {
    "ok": ("通过", "ok"),
    "refused": ("拒绝", "refused"),
    "approved": ("批准", "approved"),
    "needs_approval": ("需审批", "needs approval"),
}


# -- writers -----------------------------------------------------------------


class Writer:
    """Base: `write(encoded, original)` per result, `close()` at the end."""

    streaming = True

    def __init__(
        self,
        out: BinaryIO,
        columns: Sequence[Column],
        *,
        lang: str,
        explain: bool,
        labels: dict[str, tuple[str, str]],
        single: bool = False,
        tty: bool = False,
    ):
        self.out, self.columns, self.lang, self.explain = out, tuple(columns), lang, explain
        self.labels = {**CORE_LABELS, **labels}
        self.single, self.tty = single, tty

    def write(self, encoded: dict, original: dict) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


class JsonLinesWriter(Writer):
    #: A row's line is `dumps(encoded, None, LINE)`: the row pipeline writes it itself (see `Sink.settle`).
    lines = True

    def write(self, encoded, original):
        self.out.write(dumps(encoded, None, LINE))


class JsonWriter(Writer):
    """One JSON document: an array, streamed element by element.

    For a single request from flags, an object instead, as long as exactly
    one result comes out (a filter may give none, an aggregate several:
    those stay an array).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = 0
        self.held: bytes | None = None

    def write(self, encoded, original):
        element = dumps(encoded)
        if self.single and self.count == 0:
            self.held = element
        else:
            if self.held is not None:
                self.out.write(b"[\n" + self.held)
                self.held = None
            self.out.write((b"[\n" if self.count == 0 else b",\n") + element)
        self.count += 1

    def close(self):
        if self.held is not None:
            self.out.write(self.held + b"\n")
        elif self.count == 0:
            self.out.write(b"[]\n")
        else:
            self.out.write(b"\n]\n")
        super().close()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_KINDS = ("text", "enum", "texts", "records", "json")


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
    def __init__(self, *args, delimiter=",", header=True, **kwargs):
        super().__init__(*args, **kwargs)
        import csv  # only for CSV/TSV output: not on the start-up path

        self.csv = csv.writer(_Utf8(self.out), delimiter=delimiter, lineterminator="\r\n" if delimiter == "," else "\n")
        self.guarded = tuple(i for i, c in enumerate(self.columns) if c.kind in _TEXT_KINDS)
        names = [c.name for c in self.columns] + (["trace"] if self.explain else [])
        if header:
            self.csv.writerow(names)

    def write(self, encoded, original):
        cells = [cell_text(v) for v in encoded.values()]
        for i in self.guarded:
            if cells[i].startswith(_FORMULA_START):
                cells[i] = "'" + cells[i]
        if self.explain and cells[-1].startswith(_FORMULA_START):
            cells[-1] = "'" + cells[-1]
        self.csv.writerow(cells)


class TableWriter(Writer):
    """Collects the results, then draws them: rich on a terminal, tabulate elsewhere.

    Tables are for people: every text is shown through `bizops.core.display`
    (a line break, a terminal escape or a bidi override in a name becomes a
    visible escape), and markdown cells also escape what a pipe table reads
    as structure. The lines of a list (warnings) are the only line breaks in
    a cell, `<br>` in markdown.
    """

    streaming = False

    def __init__(self, *args, markdown=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.markdown = markdown
        self.rows: list[list[str]] = []
        self.traces: list[tuple[int, list]] = []
        self._lines = "<br>" if markdown else "\n"

    def _text(self, text: Any) -> str:
        """A text as the table shows it; a lone surrogate is refused (no UTF-8 table can hold it)."""
        text = str(text)
        if has_surrogate(text):
            raise UnicodeEncodeError("utf-8", text, 0, len(text), "surrogates not allowed")
        return markdown_cell(text) if self.markdown else shown(text)

    def _cell(self, column: Column, value: Any) -> str:
        if value is None or value == []:
            return ""
        if value is True or value is False:
            return ("是" if value else "否") if self.lang == "zh" else ("yes" if value else "no")
        if column.kind in ("enum", "texts") or (column.kind == "text" and value in self.labels):
            if isinstance(value, list):
                return self._lines.join(self._label(v) for v in value)
            return self._label(value)
        if isinstance(value, list):
            return self._lines.join(self._item(v) for v in value)
        if isinstance(value, datetime):
            return format_datetime(value)
        if isinstance(value, Decimal):
            if column.kind == "money":
                return money_text(value)
            return price_text(value) if column.kind == "price" else decimal_text(value)
        return self._text(render(value, self.lang))

    def _label(self, value: Any) -> str:
        if isinstance(value, str) and value in self.labels:
            zh, en = self.labels[value]
            return self._text(zh if self.lang == "zh" else en)
        return self._text(render(value, self.lang))

    def _item(self, item: Any) -> str:
        if isinstance(item, dict):
            parts = []
            for value in item.values():
                if value is None or value == "":
                    continue
                if isinstance(value, Decimal):
                    parts.append(decimal_text(value))
                else:
                    parts.append(self._label(value))
            return " ".join(parts)
        return self._label(item)

    def write(self, encoded, original):
        self.rows.append([self._cell(c, original.get(c.name)) for c in self.columns])
        if self.explain:
            self.traces.append((len(self.rows), original.get("trace") or []))

    def close(self):
        headers = [self._text(c.label(self.lang)) for c in self.columns]
        if self.tty and not self.markdown:
            self._rich(headers)
        else:
            from tabulate import tabulate  # type: ignore[import-untyped]

            table = tabulate(
                self.rows, headers=headers, tablefmt="pipe" if self.markdown else "simple", disable_numparse=True
            )
            self.out.write((table + "\n").encode())
        if self.explain and self.traces:
            self.out.write(self._trace_text().encode())
        super().close()

    def _rich(self, headers):
        import os

        from rich.console import Console
        from rich.table import Table
        from rich.text import Text as Plain

        # Cells as rich Text, never markup: `[red]` or `:smile:` in a name is shown as typed.
        # NO_COLOR (no-color.org): rich already drops colours; drop the bold headers too, no escapes at all.
        table = Table(show_lines=False, header_style="" if os.environ.get("NO_COLOR") else "bold")
        for header in headers:
            table.add_column(Plain(header))
        for row in self.rows:
            table.add_row(*(Plain(cell) for cell in row))
        console = Console(file=io.TextIOWrapper(self.out, encoding="utf-8", write_through=True))
        console.print(table)
        console.file.detach()

    def _trace_text(self) -> str:
        lines = ["", "依据：" if self.lang == "zh" else "Why:"]
        for number, trace in self.traces:
            for step in trace:
                effect = self._text(render(step.get("effect", ""), self.lang))
                lines.append(f"  {number}. {self._text(step['rule'])} ({self._text(step['clause'])}): {effect}")
        return "\n".join(lines) + "\n"


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
) -> Writer:
    options: dict[str, Any] = {"lang": lang, "explain": explain, "labels": labels, "single": single, "tty": tty}
    if fmt == "jsonl":
        return JsonLinesWriter(out, columns, **options)
    if fmt == "json":
        return JsonWriter(out, columns, **options)
    if fmt == "csv":
        return CsvWriter(out, columns, header=header, **options)
    if fmt == "tsv":
        return CsvWriter(out, columns, delimiter="\t", header=header, **options)
    if fmt == "markdown":
        return TableWriter(out, columns, markdown=True, **options)
    return TableWriter(out, columns, **options)
