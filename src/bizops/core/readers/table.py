"""Rows of cells under a header row (CSV, TSV, a workbook's sheet): which row is the header,
what its columns name, each row to a dict of its cells."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from bizops.core.errors import RowError
from bizops.core.i18n import Text, msg
from bizops.core.names import header_key

#: How far down a sheet the header row is looked for, past title rows (see `Layout.is_title`).
TITLE_ROWS = 10


def normalise_header(name: str) -> str:
    """A column name as fields are named: `Guide Price` and `guide-price` are `guide_price`."""
    return header_key(name)


class Layout(NamedTuple):
    """What the user said, or bizops knows, about a table's shape.

    `names` turns a header cell into the field it names (`bizops.core.names.InputNames`);
    `header_row` is the spreadsheet row of the header (`--header-row`), None to find it;
    `sheet` the workbook sheet to read (`--sheet`), None for the first.
    """

    names: Callable[[str], str] | None = None
    header_row: int | None = None
    sheet: str | None = None

    def is_title(self, row: int, cells: list[str]) -> bool:
        """Whether `row`, before the header, is skipped without looking further.

        With `--header-row N`, every row above N. Otherwise an empty row, or a
        row of several cells of which one is filled and names no field (a
        title merged across the columns: `2026年11月 报价单,,,`), within the
        first `TITLE_ROWS` rows. Other rows naming no field may be titles too
        (`may_be_title`): the rows below decide (`HeaderSearch`).
        """
        if self.header_row is not None:
            return row < self.header_row
        if row > TITLE_ROWS:
            return False
        filled = [c for c in cells if c.strip()]
        if not filled:
            return True
        knows = getattr(self.names, "knows", None)
        return len(filled) == 1 and len(cells) > 1 and knows is not None and not knows(filled[0])

    def may_be_title(self, row: int, cells: list[str]) -> bool:
        """Whether `row`, within the first `TITLE_ROWS`, names no field: a title if a row below shows one."""
        knows = getattr(self.names, "knows", None)
        if self.header_row is not None or row > TITLE_ROWS or knows is None:
            return False
        filled = [c for c in cells if c.strip()]
        return bool(filled) and not any(knows(c) for c in filled)

    def ends_titles(self, first: list[str], cells: list[str]) -> bool:
        """Whether `cells`, below rows naming no field (the first of them `first`), shows those to be titles.

        It does when it names a field (a title typed on a line of its own,
        `应收账款账龄表`, or a row grouping the columns, `订单信息,,,付款信息`, above
        the header), or when it is wider than a lone cell above it.
        """
        knows = getattr(self.names, "knows", None)
        if knows is not None and any(knows(c) for c in cells if c.strip()):
            return True
        return len(first) == 1 and len(cells) > 1


class HeaderSearch:
    """The header among a table's first rows, as they come: titles above it are skipped.

    A row naming no field is held (`Layout.may_be_title`) until a row below
    decides (`Layout.ends_titles`): then the held rows were titles. When no
    row decides so (within `TITLE_ROWS`, or before the table ends), the first
    held row is the header after all, as in a table whose header names no
    field bizops knows (a one-column list, say), and the rows held below it
    are data: no row is ever lost. So too rows taken for titles at once
    (`Layout.is_title`: one filled cell of several) when no header follows
    them: `unknown,` then `,0` ended the file with nothing said, exit 0.
    """

    def __init__(self, layout: Layout):
        self.layout = layout
        self.held: list[tuple[int, list[str]]] = []
        #: Rows taken for titles at once, with a cell filled: the header and data after all if none follows.
        self.titles: list[tuple[int, list[str]]] = []
        #: (row, cells, problem) of the header once known.
        self.found: tuple[int, list[str], Text | None] | None = None

    def feed(self, row: int, cells: list[str], problem: Text | None = None) -> list[tuple[int, list[str], Any]]:
        """Take one more row; returns the rows now known to be data under the header (in order)."""
        layout, held = self.layout, self.held
        if held:
            if problem is None and not any(c.strip() for c in cells):
                return []
            if problem is None and layout.ends_titles(held[0][1], cells):
                held.clear()
            elif problem is None and layout.may_be_title(row, cells):
                held.append((row, cells))
                return []
            else:
                return [*self.end(), (row, cells, problem)]
        if problem is None and layout.is_title(row, cells):
            if any(c.strip() for c in cells):
                self.titles.append((row, cells))
            return []
        if problem is None and layout.may_be_title(row, cells):
            held.append((row, cells))
            return []
        self.found, self.titles = (row, cells, problem), []
        return []

    def unsettled(self) -> bool:
        """Whether rows wait for a header that may not come (`end` settles them): held rows, or titles alone."""
        return bool(self.held or self.titles)

    def end(self) -> list[tuple[int, list[str], Any]]:
        """The table ended (or no row will decide): the first held row is the header, the others data.

        A header naming no field is said to be one (a header error, exit 65):
        with no row under it, the file would otherwise vanish without a word.
        """
        if not self.held:
            self.held = self.titles
        self.titles = []  # below held rows they were titles; alone, they are the header and data
        if not self.held:
            return []
        (row, cells), *rest = self.held
        self.held.clear()
        known = getattr(self.layout.names, "known", None)
        self.found = (
            row,
            cells,
            msg("names no field (known: {k})", "没有一列是字段（可用的列：{k}）", k=known("en")) if known else None,
        )
        return [(r, c, None) for r, c in rest]


def read_header(cells: list[str], names: Callable[[str], str] | None, row: int, problem: Text | None):
    """The header row's columns, and its error if it has one (found reading the row, or in its names)."""
    header = Header(cells, names)
    problem = problem or header.problem()
    return header, None if problem is None else RowError(Text("the header row ", "表头行") + problem, row)


class Header:
    """A header row's column names. Fully empty rows are skipped; a row with more cells than
    the header is an error; missing trailing cells are empty."""

    def __init__(self, cells: list[str], names: Callable[[str], str] | None = None):
        self.cells = cells
        name = names or normalise_header
        self.names = [name(c) if c.strip() else "" for c in cells]
        self.repeated = _repeated(self.names, cells)
        unit_column = getattr(names, "unit_column", None)
        #: (field, unit) a header's note gives every row (`数量（米）`: qty_unit 米), unless the row's 单位 does.
        self.units = [u for c in cells if unit_column is not None and (u := unit_column(c)) is not None]
        companion = getattr(names, "companion", None)
        #: (cell, field, its unit's field) of a column whose cells may carry their unit (`2卷` under 数量).
        self.counted = [
            (i, n, unit) for i, n in enumerate(self.names) if companion is not None and (unit := companion(n))
        ]
        unread = getattr(names, "unread", None)
        #: Why a column naming a field is not read as it (`金额（万元）`, `指导价（不含税）`, `桩长（厘米）`): 1200 cm is
        #: not 1200 m, and a field left to its default (`账期（月）`: 30 days; `已收（万元）`: nothing paid) is no
        #: better. No row is read.
        self.unread = next((why for c in cells if unread is not None and c.strip() and (why := unread(c))), None)
        unmapped = getattr(names, "unmapped", None)
        if self.unread is None and unmapped is not None:
            self.unread = unmapped(cells)

    def problem(self) -> Text | None:
        """What is wrong with the header itself, if anything."""
        if self.unread is not None:
            return self.unread
        if self.repeated is None:
            return None
        name, first, second = self.repeated
        if header_key(first) == header_key(second):
            return msg(
                "names column {c!r} twice (after ignoring case and spaces)",
                "列 {c!r} 出现了两次（不区分大小写和空格）",
                c=name,
            )
        return msg(
            "names {c!r} twice: columns {a!r} and {b!r}",
            "两列都是 {c!r}：{a!r} 与 {b!r}",
            c=name,
            a=first.strip(),
            b=second.strip(),
        )

    def name(self, cell: int) -> str | None:
        """The name of cell `cell` (from 1), if the header has one."""
        return self.names[cell - 1] if 0 < cell <= len(self.names) and self.names[cell - 1] else None

    def row(self, row: int, cells: list[str]):
        """One row's cells to `(row, dict)` by the header, or a `RowError`."""
        names = self.names
        if self.unread is not None:
            return RowError(Text("not read: the header ", "未读取：表头") + self.unread, row)
        if self.repeated is not None:  # which of the two cells is meant cannot be known
            return RowError(
                msg(
                    "not read: the header names column {c!r} twice",
                    "未读取：表头中列 {c!r} 出现了两次",
                    c=self.repeated[0],
                ),
                row,
            )
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            return RowError(
                msg(
                    "has {n} cells but the header has {h} columns",
                    "有 {n} 个单元格，但表头只有 {h} 列",
                    n=len(cells),
                    h=len(names),
                ),
                row,
            )
        if len(cells) < len(names):  # a row cut short (a workbook drops empty trailing cells): the rest are empty
            cells = cells + [""] * (len(names) - len(cells))
        fields = dict(zip(names, cells))
        for name, unit in self.units:
            if not fields.get(name):
                fields[name] = unit
        for i, name, unit_field in self.counted:
            cell = cells[i]
            if cell and not cell[-1].isdigit():
                clash = _split_unit(fields, cell, name, unit_field)
                if clash is not None:
                    return RowError(clash, row)
        return row, fields


def _split_unit(fields: dict, cell: str, name: str, unit_field: str) -> Text | None:
    """`2卷` under 数量: the number is the field's, the unit its unit field's; what is wrong if the row's 单位
    or the header names another unit (`200米` beside 卷 cannot be both)."""
    from bizops.core.units import same_unit, split_unit

    split = split_unit(cell)
    if split is None:
        return None
    number, unit = split
    given = fields.get(unit_field)
    if given and not same_unit(unit, given):
        return msg(
            "{f} {c!r} is in {u}, but {uf} says {g}",
            "{f} {c!r} 的单位是{u}，而 {uf} 为{g}",
            f=name,
            c=cell,
            u=unit,
            uf=unit_field,
            g=given,
        )
    fields[name] = number
    if not given:
        fields[unit_field] = unit
    return None


def _repeated(names: list[str], cells: list[str]) -> tuple[str, str, str] | None:
    """The first column name given twice (empty names do not count) and the two cells naming it, or None."""
    seen: dict[str, str] = {}
    for name, cell in zip(names, cells):
        if name in seen and name:
            return name, seen[name], cell
        seen[name] = cell
    return None
