"""One invocation's resolved state: plugins, config, company, policy, language, output.

Everything is resolved on first use, so `bizops --help` loads no plugin and a
quote loads only its own company's plugin. The company is `--company`, else
`BIZOPS_COMPANY`, else the config's; none is exit 2 listing what is installed.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from functools import cached_property, partial
from typing import Any, BinaryIO, NamedTuple

from bizops.core.errors import ConfigError, Unavailable, UsageError
from bizops.core.formats import BINARY_FORMATS, OUTPUT_EXTENSIONS, OUTPUT_FORMATS
from bizops.core.i18n import LANGS, default_lang, msg
from bizops.core.names import with_labels
from bizops.core.plugins import PluginHost, get_plugin_manager
from bizops.core.policy import (
    ConfigFile,
    Policy,
    build_policy,
    column_names,
    find_config,
    read_config,
    user_data_dir,
)
from bizops.core.schema import CORE_COMMANDS, CommandSpec, Company

__all__ = ["CORE_COMMANDS", "PluginSelection", "Session"]


class PluginSelection(NamedTuple):
    """What `--plugin`, `--no-plugins` and the environment ask to load."""

    extra: tuple[str, ...] = ()
    no_plugins: bool = False


class Session:
    def __init__(
        self,
        options,
        selection: PluginSelection | None = None,
        environ=None,
        stdout: BinaryIO | None = None,
        host: PluginHost | None = None,
    ):
        self.options = options
        self.selection = selection or PluginSelection()
        self.environ = os.environ if environ is None else environ
        self._stdout = stdout
        self._host = host
        self._specs: dict[str, CommandSpec] = {}

    # -- plugins, config, company ------------------------------------------
    @property
    def host(self) -> PluginHost:
        if self._host is None:
            self._host = get_plugin_manager(
                extra=self.selection.extra, no_plugins=self.selection.no_plugins, environ=self.environ
            )
        return self._host

    @cached_property
    def config(self) -> ConfigFile:
        return read_config(find_config(self.options.config, self.environ))

    @cached_property
    def company_name(self) -> str:
        name = self.options.company or self.environ.get("BIZOPS_COMPANY") or self.config.company
        if not name:
            self.host.load_all()
            installed = ", ".join(sorted(self.host.companies())) or "-"
            raise UsageError(
                msg(
                    "no company selected: give --company NAME, BIZOPS_COMPANY or company in bizops.toml; installed: {i}",
                    "未选择公司：请用 --company NAME、BIZOPS_COMPANY 或 bizops.toml 中的 company 指定；已安装：{i}",
                    i=installed,
                )
            )
        return name

    @cached_property
    def company(self) -> Company:
        return self.host.company(self.company_name)

    @cached_property
    def policy(self) -> Policy:
        return build_policy(self.company, self.config)

    @cached_property
    def column_names(self) -> dict[str, str]:
        """The config's `[columns]`: a company's own column names for input fields (`"货号" = "sku"`)."""
        return column_names(self.config, self.company)

    def command_spec(self, command: str) -> CommandSpec:
        """The company's spec for a command (its own, or the core's: `PluginHost.with_core`), or exit 69 saying what it supports."""
        known = self._specs.get(command)
        if known is not None:
            return known
        spec = self.company.commands.get(command)
        if spec is None:
            raise self.unavailable(command)
        # Its choices also read as the company's tables print them (`帐期` is `credit`).
        self._specs[command] = spec = with_labels(spec, self.company.labels)
        return spec

    def unavailable(self, command: str) -> Unavailable:
        supported = ", ".join(self.company.commands) or "-"
        return Unavailable(
            msg(
                "{c} has no rules for {m}; it supports: {s}",
                "{c} 没有 {m} 的规则；支持的命令：{s}",
                c=self.company.name,
                m=command,
                s=supported,
            )
        )

    @cached_property
    def ledger_source(self) -> tuple:
        """What says where the ledger is, in order: `--db`, BIZOPS_DB, the config's `db`, the user data dir.

        Plain values (no ledger code is imported until history is read), as
        `bizops.core.ledger.location_of` and `timeout_of` take them.
        """
        config = self.config
        db = config.top("db")
        return (
            self.options.db,
            self.environ.get("BIZOPS_DB"),
            db if isinstance(db, str) else None,
            str(config.path) if config.path else None,
            str(user_data_dir(self.environ)),
            self.environ.get("BIZOPS_LEDGER_TIMEOUT"),
        )

    @property
    def history_factory(self):
        """Opens the ledger when a plugin first reads history (see `bizops.core.ledger`)."""
        return partial(_open_history, self.ledger_source, self.company.name)

    # -- language and output -----------------------------------------------
    @cached_property
    def lang(self) -> str:
        if not self.options.lang and self._config_top("lang"):
            return self._config_choice("lang", LANGS)
        lang = self.options.lang or default_lang(self.environ)
        if lang not in LANGS:
            raise UsageError(msg("--lang must be zh or en, got {v!r}", "--lang 只能是 zh 或 en，实际为 {v!r}", v=lang))
        return lang

    @property
    def stdout(self) -> BinaryIO:
        if self._stdout is None:
            self._stdout = sys.stdout.buffer
        return self._stdout

    @property
    def output_path(self) -> str | None:
        """`-o FILE`: where the results go instead of stdout."""
        return getattr(self.options, "output", None)

    @cached_property
    def tty(self) -> bool:
        if self.output_path:
            return False
        try:
            return self.stdout.isatty()
        except (AttributeError, ValueError):
            return False

    @cached_property
    def width(self) -> int | None:
        """The terminal's width, for tables (`COLUMNS` overrides it, as everywhere); None off a terminal."""
        if not self.tty:
            return None
        columns = self.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        try:
            return os.get_terminal_size(self.stdout.fileno()).columns or 80
        except (AttributeError, OSError, ValueError):
            return 80

    @cached_property
    def output_format(self) -> str:
        # --format, else the extension of -o FILE, else the config's, else by where the output goes
        fmt = self.options.format or self._format_of_output()
        if not fmt and self._config_top("format"):
            fmt = self._config_choice("format", OUTPUT_FORMATS)
        fmt = fmt or ("table" if self.tty else "jsonl")
        if fmt not in OUTPUT_FORMATS:
            raise UsageError(
                msg(
                    "--format must be one of {a}, got {v!r}",
                    "--format 必须是 {a} 之一，实际为 {v!r}",
                    a=", ".join(OUTPUT_FORMATS),
                    v=fmt,
                )
            )
        if fmt in BINARY_FORMATS and self.tty:
            raise UsageError(
                msg(
                    "--format {f} writes a workbook, which a terminal cannot show: give -o FILE.{f}",
                    "--format {f} 写出的是工作簿，终端无法显示：请用 -o 文件名.{f}",
                    f=fmt,
                )
            )
        return fmt

    def _format_of_output(self) -> str | None:
        """The format `-o FILE`'s extension names, if it names one."""
        path = self.output_path
        if not path:
            return None
        return OUTPUT_EXTENSIONS.get(os.path.splitext(path)[1].lower())

    @property
    def explain(self) -> bool:
        return bool(self.options.explain)

    @property
    def debug(self) -> bool:
        return bool(self.options.debug)

    def _config_choice(self, key: str, allowed: tuple[str, ...]) -> str:
        """A top-level config value that must be one of `allowed`: a wrong one is the config's error (78)."""
        value = self.config.top(key)
        if value not in allowed:
            raise ConfigError(
                msg(
                    "{f}: {k} must be one of {a}, got {v!r}",
                    "{f}：{k} 必须是 {a} 之一，实际为 {v!r}",
                    f=self.config.path,
                    k=key,
                    a=", ".join(allowed),
                    v=value,
                )
            )
        return value

    def _config_top(self, key: str) -> Any:
        try:
            return self.config.top(key)
        except Exception:
            return None

    # -- time -----------------------------------------------------------------
    def now(self, given: str | None = None) -> datetime:
        """`--now` when given (tests, re-running a day), else the wall clock to the minute."""
        if given:
            from bizops.core.values import BadValue, parse_datetime

            try:
                return parse_datetime(given)
            except BadValue as exc:
                raise UsageError(msg("--now {r}", "--now {r}", r=exc.reason)) from None
        return datetime.now().replace(second=0, microsecond=0)


def _open_history(ledger_source: tuple, company: str):
    """The read-only history of one company (a module function: `--jobs` workers can pickle it)."""
    from bizops.core.ledger import open_history

    return open_history(ledger_source, company)
