"""Tables a plugin keeps beside its policy (a price list), read the way a command's input is read.

A company's office keeps such a table in Excel or WPS, with its own Chinese
headers and a title above them, as it keeps its order books. `read_table`
reads it with the desk's readers (CSV or TSV in UTF-8 or GB18030, `.xlsx`,
`.xls`, `.ods`, JSON Lines, a JSON array): titles above the header skipped,
a column named by its field's name, an alias or its Chinese label, values
typed by the fields (`¥1,500.00`, `是`). `typed_rows` types rows the plugin
read itself (a TOML table), with the same messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bizops.core.errors import BizopsError, ConfigError, RowError
from bizops.core.i18n import Text, msg, os_reason
from bizops.core.names import InputNames
from bizops.core.requests import compile_fields
from bizops.core.schema import Field
from bizops.core.values import BadValue

#: What a table yields: (its row, the typed values by field name), or a `RowError` naming a row it could not type.
TableRow = tuple[Any, dict[str, Any]] | RowError


def typed_rows(
    rows: Iterable[tuple[Any, dict] | RowError], fields: Sequence[Field], warn: Callable[[Text], None] | None = None
) -> Iterator[TableRow]:
    """Each `(row, raw values)` typed by `fields`: `(row, values)`, or a `RowError` saying what is wrong in it.

    A `RowError` among `rows` (a row its reader could not read) is passed on in its place. `warn`, when
    given, is told once of the columns no field reads (`是否标准品` is not `是否国标`).
    """
    build = compile_fields(fields)
    known = {f.name for f in fields}
    for item in rows:
        if type(item) is not tuple:
            yield item
            continue
        row, raw = item
        if warn is not None:
            unread = [key for key in raw if key and key not in known]
            if unread:
                warn(msg("columns not read: {c}", "未读取的列：{c}", c=", ".join(unread)))
            warn = None
        try:
            yield row, build(raw)
        except BadValue as exc:
            yield RowError(exc.reason, row)


def read_table(
    path: str | Path, fields: Sequence[Field], warn: Callable[[Text], None] | None = None
) -> Iterator[TableRow]:
    """The rows of the table in `path`, typed by `fields`, numbered as the spreadsheet numbers them.

    A row that cannot be read or typed is a `RowError` in its place (the
    header's own error too). A file that cannot be read at all (missing,
    unreadable) is a `ConfigError` naming it: such a table belongs to the
    company's setup, not to the input. Columns no field names are left out, and
    `warn` (when given) is told which, once, naming the file.
    """
    from bizops.core.readers import Layout, open_input

    try:
        with open(path, "rb", buffering=1 << 16) as stream:
            rows = open_input(stream, str(path), None, None, Layout(InputNames(fields)))
            told = None if warn is None else (lambda text: warn(Text(f"{path}: ", f"{path}：") + text))
            yield from typed_rows(rows, fields, told)
    except OSError as exc:
        raise ConfigError(msg("{f}: cannot read: {e}", "{f}：无法读取：{e}", f=path, e=os_reason(exc))) from None
    except ConfigError:
        raise
    except BizopsError as exc:
        raise ConfigError(msg("{f}: {e}", "{f}：{e}", f=path, e=exc.message)) from None
