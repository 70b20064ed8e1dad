"""Where the ledger is, and how to name it without leaking a password.

The location is `--db`, else `BIZOPS_DB`, else `db` in the config file (a
relative path is relative to that file), else `ledger.db` in the user data
dir. A value starting with `postgresql://` or `postgres://` (or a libpq
`key=value` string with `dbname=`) is a PostgreSQL server; anything else is a
SQLite file, optionally written `sqlite:PATH`.

No part of a password is ever printed. In a URL the password runs from the
first `:` of the user part to the last `@` before the host, so a raw `@` in
it (`postgresql://u:p@ssw0rd@host/db`) is masked whole, and the URL handed
to libpq has it percent-encoded (`libpq_target`), so the server's messages
cannot quote a piece of it as a host name either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

_URL = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<rest>[^\s'\"]*)", re.I)
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


def _url_parts(rest: str) -> tuple[str, str, str] | None:
    """A URL's text after `scheme://` as (user, password, from the host on); None without a password."""
    end = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    at = rest.rfind("@", 0, end)
    if at < 0 or ":" not in rest[:at]:
        return None
    user, password = rest[:at].split(":", 1)
    return user, password, rest[at:]


def _masked_url(found: re.Match) -> str:
    parts = _url_parts(found["rest"])
    if parts is None:
        return found[0]
    return f"{found['scheme']}{parts[0]}:***{parts[2]}"


def mask(text: str) -> str:
    """`text` with every password in a URL, query or `password=` pair replaced by `***`."""
    text = _URL.sub(_masked_url, str(text))
    text = _QUERY_PASSWORD.sub(lambda m: m["head"] + "***", text)
    return _KV_PASSWORD.sub(lambda m: m["head"] + "***", text)


def password_of(target: str) -> str | None:
    """The password written in `target`, to scrub it from a driver's messages too."""
    found = _URL.search(target)
    parts = _url_parts(found["rest"]) if found else None
    if parts and parts[1]:
        return parts[1]
    for pattern in (_QUERY_PASSWORD, _KV_PASSWORD):
        match = pattern.search(target)
        if match and match["pw"]:
            return match["pw"]
    return None


def scrub(text: str, target: str) -> str:
    """A driver message about `target` with its password masked wherever it appears, whole or in pieces."""
    text = mask(text)
    secret = password_of(target)
    if secret:
        for piece in sorted({secret, unquote(secret), *re.split(r"[@:/%]", secret)}, key=len, reverse=True):
            if len(piece) > 2:
                text = text.replace(piece, "***")
    return text


def libpq_target(target: str) -> str:
    """`target` as libpq must read it: a URL's password percent-encoded (a raw `@` in it is the password's)."""
    found = _URL.match(target.strip())
    parts = _url_parts(found["rest"]) if found else None
    if found is None or parts is None:
        return target
    user, password, rest = parts
    return f"{found['scheme']}{user}:{quote(unquote(password), safe='')}{rest}"


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
