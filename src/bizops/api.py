"""The plugin API: everything a bizops plugin imports, and nothing else of bizops is.

    from bizops.api import Column, CommandSpec, Company, Field, Rule, Setting   # declarations
    from bizops.api import RowError, hookimpl, map_rows, msg, round_fen         # hooks and rules

`API_VERSION` is this surface's version: a minor release adds names, a major
one may change or remove them (1.0 routes each hook to its company's plugins
and declares commands as data; docs/plugin-guide.md has the migration from
0.1). The built-in companies import from here only, as any plugin does.
Importing it loads no command-line code: a quote pays only for what it uses.
"""

from __future__ import annotations

import typing as _typing

from bizops.core.context import Context, EmptyHistory, History
from bizops.core.errors import ConfigError, RowError, UsageError
from bizops.core.hookspecs import hookimpl
from bizops.core.i18n import Text, msg, os_reason, render
from bizops.core.money import (
    CENT,
    HUNDRED,
    ZERO,
    NotANumber,
    decimal_text,
    places,
    quantize_half_up,
    round_fen,
    round_to,
    to_decimal,
)
from bizops.core.outcomes import map_rows
from bizops.core.policy import Policy
from bizops.core.schema import (
    NOW,
    Column,
    CommandSpec,
    Company,
    Extension,
    Field,
    Outcome,
    Request,
    Rule,
    Runner,
    Setting,
)
from bizops.core.values import BadValue, format_datetime, name_key, parse_bool, parse_date, parse_datetime, parse_time

#: The version of the plugin API: major.minor.
API_VERSION = "1.2"

__all__ = [
    "API_VERSION",
    "CENT",
    "HUNDRED",
    "NOW",
    "ZERO",
    "BadValue",
    "Column",
    "CommandSpec",
    "Company",
    "ConfigError",
    "Context",
    "EmptyHistory",
    "Extension",
    "Field",
    "History",
    "NotANumber",
    "Outcome",
    "Policy",
    "Request",
    "RowError",
    "Rule",
    "Runner",
    "Setting",
    "Spool",
    "Text",
    "UsageError",
    "decimal_text",
    "format_datetime",
    "hookimpl",
    "map_rows",
    "msg",
    "name_key",
    "os_reason",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_time",
    "places",
    "quantize_half_up",
    "read_table",
    "render",
    "round_fen",
    "round_to",
    "same_unit",
    "to_decimal",
    "typed_rows",
    "unit_key",
]


if _typing.TYPE_CHECKING:
    from bizops.core.spool import Spool
    from bizops.core.tables import read_table, typed_rows
    from bizops.core.units import same_unit, unit_key

#: Names loaded on first use: only a command that needs them pays for their imports (`Spool`: a command
#: that needs two passes, as receivables does; the tables: a plugin reading one, as a price list; units:
#: a plugin comparing the unit an order book counts in).
_LAZY = {
    "Spool": "bizops.core.spool",
    "read_table": "bizops.core.tables",
    "typed_rows": "bizops.core.tables",
    "same_unit": "bizops.core.units",
    "unit_key": "bizops.core.units",
}


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'bizops.api' has no attribute {name!r}")
