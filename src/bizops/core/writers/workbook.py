"""`--format xlsx`: an Excel workbook a sales admin opens as it is, written with openpyxl.

A real table, not text in cells: money as numbers formatted `0.00` (the
exact decimal is written, never a float bizops made), prices `0.00##`,
counts as integers, dates and times as Excel dates, yes/no as logical
cells; choices as the labels a table prints in `--lang` (`帐期`, which bizops
reads back as `credit`). The header row is in `--lang`, bold and frozen;
each column as wide as what its first rows hold. Under `--explain` a second
sheet holds each result's rules, one a line, with the result's row.

openpyxl's write-only mode streams rows to a temporary file, so memory stays
flat however many rows; openpyxl is imported only here. A text is always a
text cell (a customer called `=HYPERLINK(…)` is not a formula), with control
characters shown as escapes (`bizops.core.display`), as a table shows them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bizops.core.display import shown
from bizops.core.i18n import render
from bizops.core.writers.base import Writer
from bizops.core.writers.human import Human
from bizops.core.writers.layout import cell_width

#: Rows held to measure the columns before the first is written (write-only sheets take widths first).
MEASURED = 200
_FORMATS = {"money": "0.00", "price": "0.00##", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


class XlsxWriter(Writer):
    streaming = False

    def __init__(self, *args: Any, sheet: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self._cell, self._bold = WriteOnlyCell, Font(bold=True)
        zh = self.lang == "zh"
        self.human = Human(self.lang, self.labels, lines="; ")
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet((sheet or ("结果" if zh else "results"))[:31])
        self.sheet.freeze_panes = "A2"
        self.why = self.book.create_sheet("依据" if zh else "why") if self.explain else None
        self.held: list[list[Any]] = []
        self.traces: list[tuple[int, list]] = []
        self.rows = 0
        self.started = False

    def write(self, encoded: dict, original: dict) -> None:
        values = [self._value(c, original.get(c.name)) for c in self.shown]
        self.rows += 1
        if self.why is not None:
            self.traces.append((self.rows + 1, original.get("trace") or []))  # its row on the sheet (header is 1)
        if self.started:
            self._append(values)
            return
        self.held.append(values)
        if len(self.held) >= MEASURED:
            self._start()

    def _value(self, column: Any, value: Any) -> Any:
        """A cell's value: typed for numbers, dates and yes/no; the text a table shows otherwise."""
        if value is None or value == []:
            return None
        kind = column.kind
        if kind in ("money", "price", "decimal") and isinstance(value, Decimal):
            return value
        if kind == "int" and type(value) is int:
            return value
        if value is True or value is False:
            return value
        if isinstance(value, (datetime, date)):
            return value
        return self.human.cell(column, value)

    def _start(self) -> None:
        """Widths from the header and the rows held, then the header and those rows."""
        labels = [c.label(self.lang) for c in self.shown]
        for index, (label, column) in enumerate(zip(labels, self.shown)):
            widest = max([cell_width(label)] + [cell_width(_shown_text(row[index])) for row in self.held])
            letter = _letter(index + 1)
            self.sheet.column_dimensions[letter].width = min(60, max(8, widest + 2))
            if column.kind == "datetime":
                self.sheet.column_dimensions[letter].width = max(17, self.sheet.column_dimensions[letter].width)
        header = []
        for label in labels:
            cell = self._cell(self.sheet, shown(label))
            cell.font = self._bold
            header.append(cell)
        self.sheet.append(header)
        self.started = True
        if self.why is not None:
            self._why_header()
        for values in self.held:
            self._append(values)
        self.held = []

    def _append(self, values: list[Any]) -> None:
        cells = []
        for column, value in zip(self.shown, values):
            cell = self._cell(self.sheet, shown(value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with `=`: never a formula
            number_format = _FORMATS.get(column.kind)
            if number_format is not None and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        self.sheet.append(cells)
        if self.why is not None:
            self._why_rows()

    def _why_header(self) -> None:
        assert self.why is not None
        zh = self.lang == "zh"
        labels = ("结果行", "规则", "条款", "作用") if zh else ("result row", "rule", "clause", "effect")
        for letter, width in zip("ABCD", (10, 28, 24, 80)):
            self.why.column_dimensions[letter].width = width
        row = []
        for label in labels:
            cell = self._cell(self.why, label)
            cell.font = self._bold
            row.append(cell)
        self.why.append(row)
        self.why.freeze_panes = "A2"

    def _why_rows(self) -> None:
        assert self.why is not None
        for number, trace in self.traces:
            for step in trace:
                texts = [shown(str(step.get(k, ""))) for k in ("rule", "clause")]
                effect = shown(render(step.get("effect", ""), self.lang))
                cells = [number] + texts + [effect]
                row = []
                for value in cells:
                    cell = self._cell(self.why, value)
                    if isinstance(value, str):
                        cell.data_type = "s"
                    row.append(cell)
                self.why.append(row)
        self.traces = []

    def close(self) -> None:
        if not self.started:
            self._start()
        self.book.save(self.out)
        super().close()


def _shown_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return "2026-11-23 09:30"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _letter(index: int) -> str:
    """A column's letter: 1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
