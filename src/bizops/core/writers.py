"""One output emitter for every format: table, markdown, json, jsonl, csv, tsv.

Results are dicts of typed values (`Decimal`, `datetime`, `Text`…). First the
`Encoder` turns one into its JSON form by the declared `Column` kinds, checking
what the plugin returned: money must be a `Decimal` with at most two decimals,
no value may be a float. Then a writer prints it:

- `jsonl` one object a line; `json` one document (an object for one result,
  an array for a stream); both keep English keys and enum values.
- `csv`/`tsv` English keys as the header, lists joined with `; `, records as
  JSON; a text cell starting with `= + - @` gets a `'` so Excel shows it
  instead of running it.
- `table` rich on a terminal, tabulate plain text elsewhere; `markdown` a
  tabulate pipe table. Labels and enum values in `--lang`; `--explain` prints
  the trace under the table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from typing import Any, BinaryIO

from bizops.core.formats import OUTPUT_FORMATS, STREAMING_FORMATS  # noqa: F401 - re-exported
from bizops.core.i18n import render
from bizops.core.money import decimal_text, money_text, price_text
from bizops.core.schema import Column
from bizops.core.values import format_datetime

try:
    from orjson import OPT_APPEND_NEWLINE
    from orjson import dumps

    dumps_line = partial(dumps, option=OPT_APPEND_NEWLINE)  # C all the way down
except ImportError:  # pragma: no cover - orjson is a dependency; keep working without it
    import json

    def dumps(obj) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()

    def dumps_line(obj) -> bytes:
        return dumps(obj) + b"\n"



#: Labels for enum values every company shares; a company's `labels` add to them.
CORE_LABELS: dict[str, tuple[str, str]] = {
    "ok": ("通过", "ok"),
    "refused": ("拒绝", "refused"),
    "approved": ("批准", "approved"),
    "needs_approval": ("需审批", "needs approval"),
}


class BadOutput(ValueError):
    """A plugin returned a value its column cannot hold (a float, unrounded money…)."""


def _bad(column: Column, value: Any, why: str) -> BadOutput:
    shown = repr(value)
    if not shown.startswith(type(value).__name__ + "("):  # Decimal('-2.50') names its type already
        shown = f"{type(value).__name__} {shown}"
    return BadOutput(f"column {column.name!r} ({column.kind}) got {shown}: {why}")


def _plain(value: Any) -> Any:
    """A nested value in its JSON form: Decimals as exact text, no floats."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is Decimal:
        return decimal_text(value)
    if isinstance(value, str):
        return str(value)
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    if kind is datetime:
        return format_datetime(value)
    if kind is date:
        return value.isoformat()
    if kind is time:
        return value.strftime("%H:%M")
    raise TypeError(f"{kind.__name__} {value!r} cannot be written (floats never are)")


def _column_encoder(column: Column) -> Callable[[Any], Any]:
    kind = column.kind

    if kind == "money":
        def encode(value):
            if value is None:
                return None
            if type(value) is not Decimal:
                raise _bad(column, value, "money must be a Decimal")
            try:
                return money_text(value)
            except ValueError as exc:
                raise _bad(column, value, str(exc)) from None
    elif kind == "price":
        def encode(value):
            if value is None:
                return None
            if type(value) is not Decimal:
                raise _bad(column, value, "a price must be a Decimal")
            try:
                return price_text(value)
            except ValueError as exc:
                raise _bad(column, value, str(exc)) from None
    elif kind == "decimal":
        def encode(value):
            if type(value) is Decimal:
                return decimal_text(value)
            if type(value) is int:
                return str(value)
            if value is None:
                return None
            raise _bad(column, value, "must be a Decimal")
    elif kind == "int":
        def encode(value):
            if (type(value) is int) or value is None:
                return value
            raise _bad(column, value, "must be an int")
    elif kind == "bool":
        def encode(value):
            if value is True or value is False or value is None:
                return value
            raise _bad(column, value, "must be a bool")
    elif kind in ("text", "enum"):
        def encode(value):
            if value is None or isinstance(value, str):
                return value
            raise _bad(column, value, "must be text")
    elif kind == "datetime":
        def encode(value):
            if value is None:
                return None
            if isinstance(value, datetime):
                return format_datetime(value)
            raise _bad(column, value, "must be a datetime")
    elif kind == "date":
        def encode(value):
            if value is None:
                return None
            if isinstance(value, date):
                return value.isoformat()
            raise _bad(column, value, "must be a date")
    else:  # texts, records, json
        def encode(value):
            try:
                return _plain(value)
            except TypeError as exc:
                raise _bad(column, value, str(exc)) from None
    if column.ge is not None:
        return _at_least(column, encode)
    return encode


def _at_least(column: Column, encode: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`encode`, refusing a number below the column's declared `ge` (a negative price, say)."""
    bound = Decimal(column.ge)

    def bounded(value):
        text = encode(value)
        if value is not None and value < bound:
            raise _bad(column, value, f"must be ≥ {bound}")
        return text

    return bounded


_INLINE = {
    # The common cases inline; anything else goes to the column's encoder, which
    # formats it or raises BadOutput. str(Decimal) is exact; a money string is
    # accepted as is only when it already has exactly two decimals.
    "text": "    if v is not None and v.__class__ is not str:\n        v = e{i}(v)\n",
    "enum": "    if v is not None and v.__class__ is not str:\n        v = e{i}(v)\n",
    "int": "    if v is not None and v.__class__ is not int:\n        v = e{i}(v)\n",
    "bool": "    if v is not None and v is not True and v is not False:\n        v = e{i}(v)\n",
    "money": (
        "    if v is not None:\n"
        "        s = str(v) if v.__class__ is Decimal else ''\n"
        "        v = s if s[-3:-2] == '.' and 'E' not in s else e{i}(v)\n"
    ),
    "decimal": (
        "    if v is not None:\n"
        "        s = str(v) if v.__class__ is Decimal else ''\n"
        "        v = s if s and 'E' not in s else e{i}(v)\n"
    ),
    "price": (
        "    if v is not None:\n"
        "        s = str(v) if v.__class__ is Decimal else ''\n"
        "        v = s if (s[-3:-2] == '.' or s[-5:-4] == '.' or s[-4:-3] == '.') and 'E' not in s else e{i}(v)\n"
    ),
    "texts": "    if v:\n        v = e{i}(v)\n    else:\n        v = []\n",
}


#: The inline cases of `ge=0` columns (prices, totals): as above, and no minus sign.
_NOT_NEGATIVE = {
    kind: _INLINE[kind].replace("and 'E' not in s", "and 'E' not in s and s[0] != '-'")
    for kind in ("money", "price")
}


class Encoder:
    """Result dicts to their JSON form, column by column, checking each value.

    The encoding function is generated once per stream as straight-line code
    (one block per column), as `requests.compile_fields` is, for the same
    reason: it runs once per output row.
    """

    def __init__(self, columns: Sequence[Column], explain: bool):
        self.columns = tuple(columns)
        self.explain = explain
        namespace: dict[str, Any] = {"Decimal": Decimal, "_trace": _trace}
        body = ["def encode(r):", "    get = r.get"]
        keys = []
        for i, column in enumerate(self.columns):
            namespace[f"e{i}"] = _column_encoder(column)
            body.append(f"    v = get({column.name!r})")
            inline = _INLINE.get(column.kind)
            if column.ge is not None:  # a bound is checked in e{i}; `ge=0` inline: no minus sign
                inline = _NOT_NEGATIVE.get(column.kind) if Decimal(column.ge) == 0 else None
            body.append((inline or "    v = e{i}(v)\n").format(i=i).rstrip("\n"))
            body.append(f"    o{i} = v")
            keys.append(f"{column.name!r}: o{i}")
        if explain:
            keys.append("'trace': _trace(get('trace'))")
        body.append("    return {" + ", ".join(keys) + "}")
        exec("\n".join(body), namespace)  # noqa: S102 - our own template, names repr()-quoted
        #: The generated function itself: the hot path calls it without this object in between.
        self.encode = namespace["encode"]

    def __call__(self, result: dict) -> dict:
        return self.encode(result)


def _trace(trace) -> list:
    try:
        return _plain(trace or [])
    except TypeError as exc:
        raise BadOutput(f"trace: {exc}") from None


# -- writers -----------------------------------------------------------------


class Writer:
    """Base: `write(encoded, original)` per result, `close()` at the end."""

    streaming = True

    def __init__(self, out: BinaryIO, columns: Sequence[Column], *, lang: str, explain: bool,
                 labels: dict[str, tuple[str, str]], single: bool = False, tty: bool = False):
        self.out, self.columns, self.lang, self.explain = out, tuple(columns), lang, explain
        self.labels = {**CORE_LABELS, **labels}
        self.single, self.tty = single, tty

    def write(self, encoded: dict, original: dict) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


class JsonLinesWriter(Writer):
    #: encoded row -> its line, for the row pipeline to call directly (see `Sink.result`)
    line = staticmethod(dumps_line)

    def write(self, encoded, original):
        self.out.write(dumps_line(encoded))


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
        self.csv = csv.writer(_Utf8(self.out), delimiter=delimiter,
                              lineterminator="\r\n" if delimiter == "," else "\n")
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
    """Collects the results, then draws them: rich on a terminal, tabulate elsewhere."""

    streaming = False

    def __init__(self, *args, markdown=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.markdown = markdown
        self.rows: list[list[str]] = []
        self.traces: list[tuple[int, list]] = []

    def _cell(self, column: Column, value: Any) -> str:
        if value is None or value == []:
            return ""
        if value is True or value is False:
            return ("是" if value else "否") if self.lang == "zh" else ("yes" if value else "no")
        if column.kind in ("enum", "texts") or (column.kind == "text" and value in self.labels):
            if isinstance(value, list):
                return "\n".join(self._label(v) for v in value)
            return self._label(value)
        if isinstance(value, list):
            return "\n".join(self._item(v) for v in value)
        if isinstance(value, datetime):
            return format_datetime(value)
        if isinstance(value, Decimal):
            if column.kind == "money":
                return money_text(value)
            return price_text(value) if column.kind == "price" else decimal_text(value)
        return str(render(value, self.lang))

    def _label(self, value: Any) -> str:
        if isinstance(value, str) and value in self.labels:
            zh, en = self.labels[value]
            return zh if self.lang == "zh" else en
        return str(render(value, self.lang))

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
        headers = [c.label(self.lang) for c in self.columns]
        if self.tty and not self.markdown:
            self._rich(headers)
        else:
            from tabulate import tabulate

            table = tabulate(self.rows, headers=headers, tablefmt="pipe" if self.markdown else "simple",
                             disable_numparse=True)
            self.out.write((table + "\n").encode())
        if self.explain and self.traces:
            self.out.write(self._trace_text().encode())
        super().close()

    def _rich(self, headers):
        from rich.console import Console
        from rich.table import Table

        import os

        # NO_COLOR (no-color.org): rich already drops colours; drop the bold headers too, no escapes at all.
        table = Table(*headers, show_lines=False, header_style="" if os.environ.get("NO_COLOR") else "bold")
        for row in self.rows:
            table.add_row(*row)
        console = Console(file=io.TextIOWrapper(self.out, encoding="utf-8", write_through=True))
        console.print(table)
        console.file.detach()

    def _trace_text(self) -> str:
        lines = ["", "依据：" if self.lang == "zh" else "Why:"]
        for number, trace in self.traces:
            for step in trace:
                effect = render(step.get("effect", ""), self.lang)
                lines.append(f"  {number}. {step['rule']} ({step['clause']}): {effect}")
        return "\n".join(lines) + "\n"


def make_writer(fmt: str, out: BinaryIO, columns: Sequence[Column], *, lang: str, explain: bool,
                labels: dict[str, tuple[str, str]], single: bool, tty: bool, header: bool = True) -> Writer:
    options = dict(lang=lang, explain=explain, labels=labels, single=single, tty=tty)
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
