"""Rows of cells under a header row (CSV, TSV): column names matched loosely, each row to a dict of its cells."""

from __future__ import annotations

from bizops.core.errors import RowError
from bizops.core.i18n import Text, msg


def normalise_header(name: str) -> str:
    """A column name as fields are named: `Guide Price` and `guide-price` are `guide_price`."""
    return "_".join(name.strip().lower().replace("-", " ").split())


class Header:
    """A header row's column names. Fully empty rows are skipped; a row with more cells than
    the header is an error; missing trailing cells are empty."""

    def __init__(self, cells: list[str]):
        self.names = [normalise_header(c) for c in cells]
        self.repeated = _repeated(self.names)

    def problem(self) -> Text | None:
        """What is wrong with the header itself, if anything."""
        if self.repeated is None:
            return None
        return msg(
            "names column {c!r} twice (after ignoring case and spaces)",
            "列 {c!r} 出现了两次（不区分大小写和空格）",
            c=self.repeated,
        )

    def name(self, cell: int) -> str | None:
        """The name of cell `cell` (from 1), if the header has one."""
        return self.names[cell - 1] if 0 < cell <= len(self.names) and self.names[cell - 1] else None

    def row(self, row: int, cells: list[str]):
        """One row's cells to `(row, dict)` by the header, or a `RowError`."""
        names = self.names
        if self.repeated is not None:  # which of the two cells is meant cannot be known
            return RowError(
                msg(
                    "not read: the header names column {c!r} twice",
                    "未读取：表头中列 {c!r} 出现了两次",
                    c=self.repeated,
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
        return row, dict(zip(names, cells))


def _repeated(names: list[str]) -> str | None:
    """The first column name given twice (empty names do not count), or None."""
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            return name
        seen.add(name)
    return None
