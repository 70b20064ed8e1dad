"""Where the ledger is, and how to name it without leaking a password.

The location is `--db`, else `BIZOPS_DB`, else `db` in the config file (a
relative path is relative to that file), else `ledger.db` in the user data
dir. A value starting with `postgresql://` or `postgres://` (or a libpq
`key=value` string with `dbname=`) is a PostgreSQL server; anything else is a
SQLite file, optionally written `sqlite:PATH`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_URL_PASSWORD = re.compile(r"^(?P<head>[a-z][a-z0-9+.-]*://[^/@:]*:)(?P<pw>[^@/]*)(?P<tail>@)", re.I)
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)(?P<pw>[^&#]*)", re.I)
_KV_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\S+)", re.I)


@dataclass(frozen=True)
class Location:
    """A ledger's address: `kind` is `sqlite` or `postgres`; `explicit` unless it is the default."""

    kind: str
    target: str
    source: str = "default"

    @property
    def explicit(self) -> bool:
        return self.source != "default"

    @property
    def shown(self) -> str:
        """The address as messages print it: any password masked."""
        return mask(self.target)

    @property
    def path(self) -> Path:
        return Path(self.target)


def mask(text: str) -> str:
    """`text` with every password in a URL, query or `password=` pair replaced by `***`."""
    text = _URL_PASSWORD.sub(lambda m: m["head"] + "***" + m["tail"], str(text))
    text = _QUERY_PASSWORD.sub(lambda m: m["head"] + "***", text)
    return _KV_PASSWORD.sub(lambda m: m["head"] + "***", text)


def password_of(target: str) -> str | None:
    """The password written in `target`, to scrub it from a driver's messages too."""
    for pattern in (_URL_PASSWORD, _QUERY_PASSWORD, _KV_PASSWORD):
        found = pattern.search(target)
        if found and found["pw"]:
            return found["pw"]
    return None


def scrub(text: str, target: str) -> str:
    """A driver message about `target` with its password masked wherever it appears."""
    text = mask(text)
    secret = password_of(target)
    if secret and len(secret) > 2:
        text = text.replace(secret, "***")
    return text


def locate(option: str | None, env: str | None, config: str | None, config_path: str | None, data_dir: str) -> Location:
    """The location from `--db`, `BIZOPS_DB`, the config's `db` and the user data dir, in that order."""
    for value, source in ((option, "--db"), (env, "BIZOPS_DB"), (config, "config")):
        if value:
            return parse(value, source, config_path if source == "config" else None)
    return Location("sqlite", str(Path(data_dir) / "ledger.db"), "default")


def parse(value: str, source: str = "--db", relative_to: str | None = None) -> Location:
    value = value.strip()
    lowered = value.lower()
    if lowered.startswith(("postgresql://", "postgres://")) or (
        "=" in value and re.search(r"\b(dbname|host)\s*=", value) and not lowered.startswith("sqlite:")
    ):
        return Location("postgres", value, source)
    if lowered.startswith("sqlite:"):
        value = value[len("sqlite:") :]
        if value.startswith("///"):
            value = value[2:]
    path = Path(value).expanduser()
    if relative_to and not path.is_absolute():
        path = Path(relative_to).parent / path
    return Location("sqlite", str(path), source)
