"""Workbooks: `.xlsx`, `.xlsm`, `.xlsb`, `.xls` and `.ods`, read with python-calamine.

One sheet (the first visible one, or `--sheet NAME|N`) is a table as a CSV
is: title rows, a header row, one row per request, numbered as the
spreadsheet numbers them. Each cell becomes the text a person sees in it, so
a workbook's rows go through the same parsing as a CSV's:

- a number as Excel shows it in its General format, to 15 significant
  digits: the float `96.84000000000001` a formula left is `96.84`, the
  `20.0` of a quantity `20`; money with more than two decimals there (a
  cell formatted `0.00` over `96.845`) is refused as from a CSV, never
  rounded here;
- a number formatted as a percentage as it shows: `5%`, not `0.05`; one formatted in another
  currency than 元 with its sign (`$1000`, which the money parser refuses rather than read 1,000
  dollars as yuan); python-calamine gives no formats, so an `.xlsx` whose styles show either is
  read with openpyxl (`_shown_styles`);
- a date `2026-11-23`, a date and time `2026-11-23T09:30`, a time `09:30`;
- a formula's value as the workbook last saved it (its cached value);
- `true`/`false` for a logical cell, an error cell (`#DIV/0!`) as its text;
- a cell merged down over several rows (a customer's name beside each of its
  orders, a day over a day's orders) as its text in each of those rows, as a
  person reads it (`_merges_filled`); a number merged so is not repeated (one
  payment beside three invoices is not three payments), nor a title merged
  across one row.

python-calamine is imported only here, when a workbook is read. It reads a
sheet whole (in its own compact form, not as Python objects); the rows are
then turned into requests one by one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, BinaryIO

from bizops.core.errors import InputMissing, RowError, UsageError
from bizops.core.i18n import Text, msg
from bizops.core.money import FOREIGN_CURRENCY
from bizops.core.readers.encodings import NUL_BYTE
from bizops.core.readers.table import Header, HeaderSearch, Layout, read_header
from bizops.core.values import format_datetime


class WorkbookReader:
    """The rows of one sheet of a workbook, under its header row."""

    exact = None  # cells are read as text: nothing to read again

    def __init__(self, stream: BinaryIO, encoding: str | None, layout: Layout | None = None):
        self.stream = stream
        self.layout = layout or Layout()
        self.header: Header | None = None
        self.header_row = 0
        self.header_error = None
        self.rows_read = 0
        self.total_rows: int | None = None  # known once the sheet is open (for progress)
        self.warn: Any = None  # told of hidden rows (`open_input` sets it)

    def __iter__(self) -> Iterator:
        seekable = getattr(self.stream, "seekable", None)
        if seekable is None or not seekable():  # stdin: read whole, as either library reads it anyway
            self.stream = io.BytesIO(self.stream.read())
        sheet = self._sheet()
        _refuse_uncalculated(self.stream, sheet.name)
        if self.warn is not None:
            _say_hidden(self.stream, sheet.name, self.warn)
        first_row, first_column = sheet.start if sheet.height else (0, 0)
        self.total_rows = first_row + sheet.height
        rows: Iterator[list[str]] = ([""] * first_column + [_text(v) for v in values] for values in sheet.iter_rows())
        if _shown_styles(self.stream):
            first_row, rows = 0, _rows_as_shown(self.stream, sheet.name)
        rows = _merges_filled(rows, getattr(sheet, "merged_cell_ranges", None) or (), first_row)
        search = HeaderSearch(self.layout)
        header = None
        for number, cells in enumerate(rows, first_row + 1):
            self.rows_read = number
            if header is None:
                data = search.feed(number, _trimmed(cells))
                if search.found is None:
                    continue
                yield from self._header(*search.found)
                header = self.header
                yield from self._data(data)
                continue
            if any(c.strip() for c in cells):  # a fully empty row is skipped (its number still counts)
                yield self._row(number, _trimmed(cells))
        if header is None and search.unsettled():
            data = search.end()
            yield from self._header(*search.found)  # type: ignore[misc]
            yield from self._data(data)

    def _header(self, number: int, cells: list[str], problem: Text | None) -> Iterator[RowError]:
        self.header, error = read_header(cells, self.layout.names, number, problem)
        self.header_row = number
        if error is not None:
            yield error

    def _data(self, rows: list) -> Iterator:
        """Rows held while the header was looked for, now known to be data under it."""
        for number, cells, _ in rows:
            if any(c.strip() for c in cells):
                yield self._row(number, cells)

    def _row(self, number: int, cells: list[str]):
        """A data row by the header; one holding a NUL (a cell's `_x0000_`) as a CSV's NUL byte."""
        if any("\x00" in c for c in cells):
            return RowError(NUL_BYTE, number)
        return self.header.row(number, cells)  # type: ignore[union-attr]

    def _sheet(self) -> Any:
        """The sheet to read: `--sheet` by name or number (from 1), else the first visible worksheet."""
        from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        try:
            book = CalamineWorkbook.from_filelike(self.stream)
        except (CalamineError, OSError, ValueError) as exc:
            raise InputMissing(
                msg(
                    "cannot read the workbook: {e}; save it again in Excel or WPS, or as CSV UTF-8",
                    "无法读取工作簿：{e}；请在 Excel 或 WPS 中重新保存，或另存为 CSV UTF-8",
                    e=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                )
            ) from None
        names = list(book.sheet_names)
        wanted = self.layout.sheet
        try:
            if wanted is None:
                visible = [
                    m.name
                    for m in book.sheets_metadata
                    if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
                ]
                return book.get_sheet_by_name((visible or names)[0])
            if wanted in names:
                return book.get_sheet_by_name(wanted)
            if wanted.isdigit() and 1 <= int(wanted) <= len(names):
                return book.get_sheet_by_index(int(wanted) - 1)
        except (CalamineError, IndexError) as exc:
            raise InputMissing(msg("cannot read the sheet: {e}", "无法读取工作表：{e}", e=exc)) from None
        raise UsageError(
            msg(
                "--sheet {s!r}: the workbook has no such sheet; its sheets: {a}",
                "--sheet {s!r}：工作簿中没有这个工作表；现有工作表：{a}",
                s=wanted,
                a=", ".join(names) or "-",
            )
        )


def _refuse_uncalculated(stream: BinaryIO, sheet_name: str) -> None:
    """Refuse (66) a sheet whose formulas were never calculated: its saved values are not what Excel shows.

    A workbook written by a program (openpyxl, xlsxwriter, a web system's
    export) and not saved since by Excel or WPS holds its formulas with no
    value, or with 0 (xlsxwriter), and asks to be calculated when opened
    (`fullCalcOnLoad`). Read as saved, an amount `=C2*D2` would be missing or
    0.00, a payment column all 0: money wrong without a word. Excel and WPS
    save the values they show and drop the request.
    """
    cells = _uncalculated_formulas(stream, sheet_name)
    if cells:
        raise InputMissing(
            msg(
                "the workbook's formulas were never calculated (cells {c}): it was written by a program and not "
                "saved by Excel or WPS since, so it holds no values for them; open it in Excel or WPS and save it "
                "(or save it as CSV UTF-8 there)",
                "工作簿中的公式从未计算过（单元格 {c}）：它由程序生成，之后没有在 Excel 或 WPS 中保存过，公式没有保存的值；"
                "请在 Excel 或 WPS 中打开并保存（或在其中另存为 CSV UTF-8）",
                c=", ".join(cells[:5]) + (" …" if len(cells) > 5 else ""),
            )
        )


def _say_hidden(stream: BinaryIO, sheet_name: str, warn) -> None:
    """Warn of a sheet's hidden rows (filtered out, or hidden by hand): they are read like every other row.

    A sales admin filters a sheet to the month she works on and saves it;
    the rows out of view are still the book's, and bizops reads the file,
    not the view. Said once, so that nobody takes the output for the view's.
    """
    hidden = _hidden_rows(stream, sheet_name)
    if hidden:
        rows = ", ".join(str(r) for r in hidden[:5]) + (" …" if len(hidden) > 5 else "")
        warn(
            msg(
                "sheet {s} has {n} hidden row(s) ({r}), filtered out or hidden by hand: they are read like every "
                "other row; to leave them out, delete them or copy the rows you see to a sheet of their own",
                "工作表 {s} 有 {n} 行被隐藏（{r}），被筛选掉或手动隐藏：它们与其他行一样被读取；"
                "如不需要，请删除这些行，或把看得见的行复制到另一张工作表",
                s=sheet_name,
                n=len(hidden),
                r=rows,
            )
        )


def _hidden_rows(stream: BinaryIO, sheet_name: str) -> list[int]:
    """The numbers of an `.xlsx` sheet's hidden rows; [] for a workbook of another kind."""
    import re
    import zipfile

    hidden_row = re.compile(rb'<(?:\w+:)?row\b[^>]*\bhidden="(?:1|true)"[^>]*>')
    number = re.compile(rb'\br="([0-9]+)"')
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as book:
            part = _sheet_part(book, book.read("xl/workbook.xml"), sheet_name)
            if part is None:
                return []
            found: list[int] = []
            tail = b""
            with book.open(part) as sheet:
                while True:
                    chunk = sheet.read(1 << 20)
                    text = tail + chunk
                    # a row tag cut in two is found whole in the next chunk; the last chunk is read to its end
                    cut = text.rfind(b"<") if chunk else len(text)
                    if text.find(b"hidden", 0, cut) >= 0:  # most sheets hide nothing: no regex over them
                        found += [int(n[1]) for t in hidden_row.finditer(text, 0, cut) if (n := number.search(t[0]))]
                    if not chunk:
                        return found
                    tail = text[cut:]
    except (zipfile.BadZipFile, KeyError, OSError):
        return []
    finally:
        stream.seek(0)


def _uncalculated_formulas(stream: BinaryIO, sheet_name: str) -> list[str]:
    """The cells (up to six) holding a formula, when an `.xlsx` asks to be calculated on opening; else []."""
    import re
    import zipfile

    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as book:
            workbook = book.read("xl/workbook.xml")
            if not re.search(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad=\"(?:1|true)\"", workbook):
                return []
            part = _sheet_part(book, workbook, sheet_name)
            if part is None:
                return []
            cells: list[str] = []
            formula = re.compile(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b')
            tail = b""
            with book.open(part) as sheet:
                while len(cells) < 6:
                    chunk = sheet.read(1 << 20)
                    if not chunk:
                        break
                    text = tail + chunk
                    cells += [m.group(1).decode() for m in formula.finditer(text) if m.group(1).decode() not in cells]
                    tail = text[-512:]  # a cell cut in two by the chunk is found whole in the next one
            return cells[:6]
    except (zipfile.BadZipFile, KeyError, OSError):
        return []  # not an .xlsx (an .xls, an .ods): calamine reads the values they hold
    finally:
        stream.seek(0)


def _sheet_part(book, workbook: bytes, sheet_name: str) -> str | None:
    """The zip member holding the sheet named `sheet_name` (through workbook.xml and its relationships)."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        sheets = ElementTree.fromstring(workbook).iter(f"{main}sheet")
        wanted = next((s.get(rel) for s in sheets if s.get("name") == sheet_name), None)
        links = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except (ElementTree.ParseError, KeyError):
        return None
    for link in links:
        if link.get("Id") == wanted:
            target = link.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _shown_styles(stream: BinaryIO) -> bool:
    """Whether an `.xlsx` has cell styles showing numbers as percentages (`0%`) or in a foreign currency.

    python-calamine gives a cell's value, not its format: a discount shown
    as `5%` is the number 0.05, which read as a percentage would be 0.05 %,
    a price wrong without a word; an amount shown as `$1,000.00` would be
    1,000 yuan. Such workbooks are read with openpyxl instead
    (`_rows_as_shown`), which knows each cell's format. (Excel's built-in
    currency formats show the sign of the computer's locale, ¥ in China:
    only a workbook's own formats name a currency.)
    """
    import zipfile
    from xml.etree import ElementTree

    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as book:
            styles = ElementTree.fromstring(book.read("xl/styles.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return False  # not an .xlsx (an .xls, an .ods), or one without styles
    finally:
        stream.seek(0)
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    shown = {"9", "10"} | {  # Excel's built-in 0% and 0.00%, and any format of the workbook's own with a % or $
        f.get("numFmtId")
        for f in styles.iter(f"{main}numFmt")
        if "%" in (code := f.get("formatCode") or "") or foreign_currency(code)
    }
    cell_formats = styles.find(f"{main}cellXfs")
    return cell_formats is not None and any(xf.get("numFmtId") in shown for xf in cell_formats)


def _rows_as_shown(stream: BinaryIO, sheet_name: str) -> Iterator[list[str]]:
    """The sheet's rows from row 1, each cell as `_text`: a percentage (`0.05` as `5%`) and a foreign
    currency (`$1000`) as shown."""
    import openpyxl
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    builtin = set(BUILTIN_FORMATS.values())
    book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    try:
        for row in book[sheet_name].iter_rows():
            cells = []
            for cell in row:
                value = getattr(cell, "value", None)
                code = getattr(cell, "number_format", None) or ""
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    cells.append(_text(value))
                elif "%" in code:
                    shown = Decimal(number_text(value)) if type(value) is float else Decimal(value)
                    cells.append(_digits(shown * 100) + "%")
                elif code not in builtin and (sign := foreign_currency(code)):
                    cells.append(sign + _text(value))
                else:
                    cells.append(_text(value))
            yield cells
    finally:
        book.close()


#: A currency in a number format: `[$US$-409]` (its sign and locale), a quoted `"US$"`, a bare `$`, `€`, `£`.
_FORMAT_CURRENCY = r'\[\$([^\]-]*)(?:-([0-9A-Fa-f]+))?\]|"([^"]*)"|([$€£₩₽])'
_YUAN_SIGNS = frozenset({"¥", "￥", "元", "RMB", "CNY", "人民币"})


def foreign_currency(code: str) -> str | None:
    """The sign of a currency other than 元 a number format shows (`[$$-409]#,##0.00`: `$`), else None.

    `[$¥-804]` is 元 (China's locale), `[$¥-411]` yen (Japan's).
    """
    import re

    for bracket, locale, quoted, bare in re.findall(_FORMAT_CURRENCY, code):
        if bare:
            return bare
        sign = (bracket or quoted).strip()
        if bracket and sign in ("¥", "￥") and locale.lower() == "411":
            return "JPY "
        if sign and sign.upper() not in _YUAN_SIGNS and re.search(FOREIGN_CURRENCY, sign, re.IGNORECASE):
            return sign
    return None


#: A cell's text that is a number (`1500`, `-1,500.50`, `5%`): never repeated down a merged range.
_NUMBER = r"[+-]?[\d,]*\.?\d+%?"


def _merges_filled(rows: Iterator[list[str]], merges, first_row: int) -> Iterator[list[str]]:
    """`rows` (from sheet row `first_row`, 0-based) with each range merged over several rows filled with its text.

    `merges` are the sheet's merged ranges, `((first row, first column), (last
    row, last column))`, 0-based. A range within one row (a title, a group of
    header columns) is left as it is, and so is one holding a number. A sheet
    with no range merged down gets its rows as they are, with nothing between.
    """
    down: dict[int, list[tuple[int, int, int]]] = {}
    for (r0, c0), (r1, c1) in merges:
        if r1 > r0:
            down.setdefault(r0, []).append((c0, c1, r1))
    return _filled(rows, down, first_row) if down else rows


def _filled(rows: Iterator[list[str]], down: dict, first_row: int) -> Iterator[list[str]]:
    import re

    number = re.compile(_NUMBER)
    carried: dict[int, tuple[int, str]] = {}  # column -> (last row of its range, the text it shows)
    for index, cells in enumerate(rows, first_row):
        for c0, c1, r1 in down.get(index, ()):
            text = cells[c0].strip() if c0 < len(cells) else ""
            if text and not number.fullmatch(text):
                for column in range(c0, c1 + 1):
                    carried[column] = (r1, text)
        for column, (last, text) in list(carried.items()):
            if index > last:
                del carried[column]
                continue
            if column >= len(cells):
                cells.extend([""] * (column + 1 - len(cells)))
            if not cells[column]:
                cells[column] = text
        yield cells


def _trimmed(cells: list[str]) -> list[str]:
    """A row without the empty cells at its end (a sheet's used range is wider than some rows)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _text(value: Any) -> str:
    """A cell as the text a person reads in it (see the module's docstring)."""
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        return number_text(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is datetime:
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return format_datetime(value.replace(microsecond=0))
    if kind is date:
        return value.isoformat()
    if kind is time:
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if kind is timedelta:
        return str(value)
    return "" if value is None else str(value)


def number_text(value: float) -> str:
    """A float as Excel's General format shows it: 15 significant digits, in plain digits.

    `0.1 + 0.2` is `0.3`, `96.84000000000001` is `96.84`, `20.0` is `20`;
    never an exponent (`1e-05` is `0.00001`), so the parsers that follow
    judge the number by what it says (too many decimals, too many digits).
    """
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    return _digits(Decimal(format(value, ".15g")))


def _digits(number: Decimal) -> str:
    """A number in plain digits, without trailing zeros after the point (`5.00` is `5`, never `5E+0`)."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
