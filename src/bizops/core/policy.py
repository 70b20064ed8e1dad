"""The effective policy: a plugin's defaults overridden by the company's TOML.

The config file is `--config PATH`, else `BIZOPS_CONFIG`, else `./bizops.toml`,
else `bizops/config.toml` in the user config dir. Its layout:

    company = "cable"            # or, with tables below: [company] name = "cable"
    [company.cable]
    cod_min_amount = 2000

Top-level `company = "..."` and `[company.NAME]` tables cannot share one TOML
file (a key is either a string or a table), so with tables the selection is
`name` inside `[company]`. Unknown keys, wrong types and out-of-range values are
`ConfigError` (exit 78) naming the file, the key and what is allowed; so are
two settings that contradict a bound the plugin declared between them
(`credit_gm_over` below `credit_manager_over`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bizops.core.errors import ConfigError
from bizops.core.i18n import Text, msg, os_reason
from bizops.core.schema import Company, Setting, holds, setting_bounds
from bizops.core.values import BadValue, converter

TOP_LEVEL_KEYS = ("company", "lang", "format", "db", "columns")


def user_config_dir(environ=os.environ) -> Path:
    """`$XDG_CONFIG_HOME/bizops` (Linux), `~/Library/Application Support/bizops`, `%APPDATA%\\bizops`."""
    return _user_dir("XDG_CONFIG_HOME", ".config", "APPDATA", environ)


def user_data_dir(environ=os.environ) -> Path:
    """`$XDG_DATA_HOME/bizops` (Linux), `~/Library/Application Support/bizops`, `%LOCALAPPDATA%\\bizops`."""
    return _user_dir("XDG_DATA_HOME", ".local/share", "LOCALAPPDATA", environ)


def _user_dir(xdg: str, fallback: str, windows: str, environ) -> Path:
    import sys

    if sys.platform == "win32":
        return Path(environ.get(windows) or Path.home() / "AppData" / "Local") / "bizops"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "bizops"
    return Path(environ.get(xdg) or Path.home() / fallback) / "bizops"


def find_config(explicit: str | None, environ=os.environ) -> Path | None:
    """The config file to use, or None. An explicit file that is missing is an error."""
    named = explicit or environ.get("BIZOPS_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(msg("{f}: config file not found", "{f}：找不到配置文件", f=path))
        return path
    for candidate in (Path("bizops.toml"), user_config_dir(environ) / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


class ConfigFile:
    """A parsed config file: the selected company and the company tables.

    `path` is the file (relative paths in it are relative to its directory);
    `label` is how messages name it, the file unless given. A rule case's
    policy is named by the case, and `bases` says which of its values came
    from another file (the user's config), whose directory they are relative to.
    """

    def __init__(
        self, path: Path | None, data: dict, label: str | None = None, bases: dict[str, Path | None] | None = None
    ):
        self.path = path
        self.data = data
        self.label = label or (None if path is None else str(path))
        self.bases = bases or {}

    @property
    def company(self) -> str | None:
        value = self.data.get("company")
        if isinstance(value, dict):
            value = value.get("name")
        return value

    def table(self, company: str) -> dict:
        tables = self.data.get("company")
        if isinstance(tables, dict):
            table = tables.get(company, {})
            return table if isinstance(table, dict) else {}
        return {}

    def tables(self) -> dict[str, dict]:
        tables = self.data.get("company")
        if not isinstance(tables, dict):
            return {}
        return {k: v for k, v in tables.items() if k != "name"}

    def top(self, key: str) -> Any:
        return self.data.get(key)


def read_config(path: Path | None) -> ConfigFile:
    """Parse and shape-check a config file (company tables are checked later)."""
    if path is None:
        return ConfigFile(None, {})
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(msg("{f}: not valid TOML: {e}", "{f}：TOML 格式错误：{e}", f=path, e=exc)) from None
    except UnicodeDecodeError:
        raise ConfigError(
            msg(
                "{f}: not valid TOML: a TOML file is UTF-8 text (save it as UTF-8)",
                "{f}：TOML 格式错误：TOML 文件须为 UTF-8 文本（请另存为 UTF-8）",
                f=path,
            )
        ) from None
    except OSError as exc:
        raise ConfigError(msg("{f}: cannot read: {e}", "{f}：无法读取：{e}", f=path, e=os_reason(exc))) from None
    for key, value in data.items():
        if key not in TOP_LEVEL_KEYS:
            raise ConfigError(
                msg(
                    "{f}: unknown key {k!r}; allowed at the top: {a} (plugins are not loaded from a config file)",
                    "{f}：未知键 {k!r}；顶层允许：{a}（配置文件不能加载插件）",
                    f=path,
                    k=key,
                    a=", ".join(TOP_LEVEL_KEYS),
                )
            )
        if key == "company":
            bad = not isinstance(value, (str, dict)) or (
                isinstance(value, dict) and any(not isinstance(v, dict) for k, v in value.items() if k != "name")
            )
            if bad:
                raise ConfigError(
                    msg(
                        "{f}: 'company' must be a company name, or a table of [company.NAME] tables",
                        "{f}：'company' 必须是公司名，或 [company.NAME] 表",
                        f=path,
                    )
                )
        elif key == "columns":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(
                    msg(
                        '{f}: [columns] maps a column name to a field name: "货号" = "sku"',
                        '{f}：[columns] 把列名对应到字段名，例如 "货号" = "sku"',
                        f=path,
                    )
                )
        elif not isinstance(value, str):
            raise ConfigError(msg("{f}: {k!r} must be text", "{f}：{k!r} 必须是文本", f=path, k=key))
    return ConfigFile(path, data)


def column_names(config: ConfigFile, company: Company) -> dict[str, str]:
    """The config's `[columns]` table (a column name -> an input field), each field checked to exist.

    A field that no command of the company reads is a config error (78), not
    a mapping silently unused.
    """
    table = config.top("columns") or {}
    fields = {f.name for spec in company.commands.values() for f in _all_fields(spec.inputs)}
    for header, field in table.items():
        if field not in fields:
            raise ConfigError(
                msg(
                    "{f}: [columns] {h!r} = {v!r}: {c} has no input field {v!r}; its fields: {a}",
                    "{f}：[columns] {h!r} = {v!r}：{c} 没有输入字段 {v!r}；现有字段：{a}",
                    f=config.label,
                    h=header,
                    v=field,
                    c=company.name,
                    a=", ".join(sorted(fields)),
                )
            )
    return dict(table)


def _all_fields(fields) -> Iterator:
    for f in fields:
        yield f
        if f.kind == "records":
            yield from _all_fields(f.fields)


class Policy(Mapping):
    """The effective values of a company's settings; read as `policy.name` or `policy["name"]`.

    `sources[name]` says where each came from (`default` or the config file);
    `fingerprint` identifies the whole policy in the ledger.
    """

    def __init__(self, company: str, values: dict[str, Any], sources: dict[str, str], settings=()):
        self._company = company
        self._values = values
        self.sources = sources
        self.settings = tuple(settings)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"policy of {self._company} has no value {name!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getstate__(self):
        return self.__dict__

    def __setstate__(self, state):
        self.__dict__.update(state)

    @property
    def company(self) -> str:
        return self._company

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self._company, {k: toml_value(v) for k, v in self._values.items()})

    def settings_text(self) -> str:
        """Every value as the ledger keeps it (`bizops_policies`): JSON of what a config file would say."""
        import json

        return json.dumps({k: toml_value(v) for k, v in sorted(self._values.items())}, ensure_ascii=False)


def fingerprint_of(company: str, settings: dict[str, Any]) -> str:
    """A policy's fingerprint from its values as a config file writes them (`toml_value`; `settings_text`)."""
    import hashlib

    canon = "\n".join(f"{k}={v!r}" for k, v in sorted(settings.items()))
    return hashlib.sha256(f"{company}\n{canon}".encode()).hexdigest()[:16]


def policy_from_settings(company: Company, text: str) -> Policy:
    """The policy kept in the ledger as `settings_text`, typed again by the company's settings.

    A setting the plugin added since takes its default; one it dropped is left out.
    """
    import json

    kept = json.loads(text)
    where = f"[company.{company.name}]"
    values, sources = {}, {}
    for setting in company.settings:
        if setting.name in kept:
            raw = kept[setting.name]  # None: a setting left unset (a price list not given)
            values[setting.name] = None if raw is None else setting_value(setting, raw, None, where)
            sources[setting.name] = "ledger"
        else:
            values[setting.name] = setting.default
            sources[setting.name] = "default"
    return Policy(company.name, values, sources, company.settings)


def build_policy(company: Company, config: ConfigFile) -> Policy:
    """Defaults from the plugin, overridden and checked against the config file."""
    table = config.table(company.name)
    where = f"[company.{company.name}]"
    known = {s.name: s for s in company.settings}
    for key in table:
        if key not in known:
            raise ConfigError(
                msg(
                    "{f}: {w} unknown key {k!r}; known keys: {a}",
                    "{f}：{w} 未知键 {k!r}；可用的键：{a}",
                    f=config.label,
                    w=where,
                    k=key,
                    a=", ".join(known) or "-",
                )
            )
    values, sources = {}, {}
    for setting in company.settings:
        if setting.name in table:
            values[setting.name] = setting_value(setting, table[setting.name], config, where)
            sources[setting.name] = str(config.label)
        else:
            values[setting.name] = setting.default
            sources[setting.name] = "default"
    for setting in company.settings:
        for bound, other in setting_bounds(setting):
            if not holds(values[setting.name], bound, values[other]):
                raise ConfigError(_contradiction(setting.name, bound, other, values, sources, where))
    return Policy(company.name, values, sources, company.settings)


def _contradiction(name: str, bound: str, other: str, values: dict, sources: dict, where: str) -> Text:
    """Two settings that contradict each other, naming the file that set them (a plugin's defaults never do)."""
    path = next(sources[n] for n in (name, other) if sources[n] != "default")
    sign = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}[bound]
    a, b = toml_text(values[name]), toml_text(values[other])
    return Text(
        f"{path}: {where} {name} must be {sign} {other}, got {name} = {a} and {other} = {b}",
        f"{path}：{where} {name} 必须 {sign} {other}，实际 {name} = {a}，{other} = {b}",
    )


def setting_value(setting: Setting, raw: Any, config: ConfigFile | None, where: str) -> Any:
    """A config value checked against its setting (lists item by item); a relative path is the file's."""
    path = None if config is None else config.bases.get(setting.name, config.path)
    convert = converter(setting)
    try:
        if setting.many:
            if not isinstance(raw, list):
                raise BadValue(msg("must be a list", "必须是列表"))
            return tuple(_setting_item(convert, setting, item) for item in raw)
        value = _setting_item(convert, setting, raw)
        if setting.kind == "path" and path is not None and not Path(value).is_absolute():
            value = str(path.parent / value)
        return value
    except BadValue as exc:
        allowed = describe_allowed(setting)
        got = toml_text(raw)
        # Without a config file (an extension's defaults) the message names no file.
        en, zh = ("", "") if config is None else (f"{config.label}: ", f"{config.label}：")
        raise ConfigError(
            Text(
                f"{en}{where} {setting.name} {exc.reason}, got {got} (allowed: {allowed})",
                f"{zh}{where} {setting.name} {getattr(exc.reason, 'zh', exc.reason)}，实际为 {got}（允许：{allowed}）",
            )
        ) from None


def toml_text(value: Any) -> str:
    """A value read from TOML, written back as it looks in the file (`true`, `"abc"`, `nan`), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        import json

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        if value.is_nan():
            return "nan"
        if value.is_infinite():
            return "-inf" if value < 0 else "inf"
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_text(v)}" for k, v in value.items()) + "}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _setting_item(convert, setting: Setting, raw: Any) -> Any:
    if isinstance(raw, time) and setting.kind == "time":
        return raw
    if isinstance(raw, bool) and setting.kind != "bool":
        raise BadValue(msg("must not be true/false", "不能是布尔值"))
    if setting.kind in ("text", "path") and not isinstance(raw, str):  # `home_city = [1, 2]` names no city
        raise BadValue(msg("must be text (in quotes)", "必须是文本（加引号）"))
    return convert(raw)


def describe_allowed(setting: Setting) -> str:
    """What a setting accepts, for `policy show` and config errors."""
    parts = [setting.kind + (" list" if setting.many else "")]
    if setting.choices:
        parts = [" | ".join(setting.choices)]
    for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
        bound = getattr(setting, attr)
        if bound is not None:
            parts.append(f"{sign} {bound}")
    return ", ".join(parts)


def toml_value(value: Any) -> Any:
    """A policy value as tomli-w can write it, exactly (decimals as text when not whole)."""
    if isinstance(value, tuple | list):
        return [toml_value(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value
