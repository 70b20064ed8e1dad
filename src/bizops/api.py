"""What a plugin imports: everything it needs from bizops, in one place.

    from bizops.api import hookimpl, Company, CommandSpec, Field, Column, Setting, Rule
    from bizops.api import map_rows, RowError, msg, round_fen

`rows_command` (for plugin commands) is imported on first use, so a plugin that
imports this module at load time does not pull typer into a quote's startup.
"""

from __future__ import annotations

from bizops.core.context import Context, EmptyHistory, History
from bizops.core.errors import ConfigError, RowError, UsageError
from bizops.core.hookspecs import hookimpl
from bizops.core.i18n import Text, msg
from bizops.core.money import CENT, HUNDRED, ZERO, decimal_text, round_fen, round_to, to_decimal
from bizops.core.outcomes import map_rows
from bizops.core.policy import Policy
from bizops.core.schema import NOW, Column, CommandSpec, Company, Field, Rule, Setting
from bizops.core.values import BadValue, format_datetime, parse_bool, parse_date, parse_datetime, parse_time

__all__ = [
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
    "Field",
    "History",
    "Policy",
    "RowError",
    "Rule",
    "Setting",
    "Text",
    "UsageError",
    "decimal_text",
    "format_datetime",
    "hookimpl",
    "map_rows",
    "msg",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_time",
    "round_fen",
    "round_to",
    "rows_command",  # noqa: F822 - imported on first use by __getattr__ below
    "to_decimal",
]


def __getattr__(name: str):
    if name == "rows_command":
        from bizops.commands.rows import rows_command

        return rows_command
    raise AttributeError(name)
