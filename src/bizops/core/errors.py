"""Errors a user meets, each with the exit code the CLI contract gives it.

Every failure that can reach a user is one of these; `bizops.cli.main` turns it
into one line on stderr and its exit code. Only `--debug` shows a traceback.
"""

from __future__ import annotations

from bizops.core.i18n import Text


class Exit:
    """The exit codes of the contract (plain ints: an IntEnum costs a millisecond at start)."""

    OK = 0
    REFUSED = 1
    USAGE = 2
    DATA = 65
    NO_INPUT = 66
    UNAVAILABLE = 69
    SOFTWARE = 70
    IO = 74
    TEMPFAIL = 75
    CONFIG = 78
    INTERRUPTED = 130


class BizopsError(Exception):
    """A failure with its exit code; `message` is a `Text` (English, with `.zh`)."""

    exit_code: int = Exit.SOFTWARE

    def __init__(self, message: str | Text, exit_code: int | None = None):
        super().__init__(str(message))
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(BizopsError):
    exit_code = Exit.USAGE


class InputMissing(BizopsError):
    exit_code = Exit.NO_INPUT


class Unavailable(BizopsError):
    exit_code = Exit.UNAVAILABLE


class PluginFailure(BizopsError):
    """A plugin failed to import, raised in a hook, or returned something invalid."""

    exit_code = Exit.SOFTWARE

    def __init__(self, plugin: str, hook: str, detail: str):
        self.plugin, self.hook, self.detail = plugin, hook, detail
        super().__init__(
            Text(
                f"plugin {plugin!r} failed in {hook}: {detail}",
                zh=f"插件 {plugin!r} 在 {hook} 中出错：{detail}",
            )
        )


class OutputError(BizopsError):
    exit_code = Exit.IO


class LedgerError(BizopsError):
    exit_code = Exit.IO


class LedgerBusy(BizopsError):
    exit_code = Exit.TEMPFAIL


class ConfigError(BizopsError):
    exit_code = Exit.CONFIG


class RowError(Exception):
    """One input row is invalid. The core adds the row number and goes on.

    Raise it from a plugin's per-row function (see `bizops.core.outcomes.map_rows`)
    or from a value parser; `message` says what is wrong in the user's terms.
    """

    def __init__(self, message: str | Text, row: int | str | None = None):
        super().__init__(str(message))
        self.message = message
        self.row = row

    def at(self, row: int | str) -> RowError:
        self.row = row
        return self


class KeyTooLong(RowError):
    """A row naming something the ledger keys by (a customer, a request id, a history key) with more characters
    than it can index (`bizops.core.ledger.codec.KEY_LIMIT`): that row's error; outside any row (an aggregate's
    history), the run's (exit 65)."""
