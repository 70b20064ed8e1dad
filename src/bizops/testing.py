"""The plugin test kit: run bizops in-process and read what it wrote.

Installed as a pytest plugin (entry point `pytest11`), so in any project with
bizops installed these fixtures exist:

- `bizops_run(*args, input=None, env=None)` runs `bizops ARGS` with an isolated
  environment (no user config, no user ledger, `./` a temporary directory)
  and returns a `Run`: `exit_code`, `stdout`, `stderr`, `.json()`, `.rows()`.
- `bizops_plugin(path_or_module)` returns a `bizops_run` that loads one more
  plugin with `--plugin`, in a fresh plugin manager each call.

`check_plugin(module)` checks a plugin module's hooks against the specs
(names, arguments) and its company declaration; it returns a list of problems.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        """stdout parsed as one JSON document (`--format json`)."""
        return json.loads(self.stdout)

    def rows(self) -> list[dict]:
        """stdout parsed as JSON Lines (the default off a terminal)."""
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"Run(exit_code={self.exit_code}, stdout={self.stdout[:500]!r}, stderr={self.stderr[:500]!r})"


class _Stream(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _patched_env(env: dict[str, str | None]) -> Iterator[None]:
    saved = dict(os.environ)
    try:
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(*args: str, input: str | bytes | None = None, env: dict[str, str | None] | None = None) -> Run:
    """Run `bizops ARGS` in this process and capture exit code, stdout and stderr."""
    from bizops.cli import main

    stdin_bytes = input.encode() if isinstance(input, str) else (input or b"")
    stdin = _Stream(io.BufferedReader(io.BytesIO(stdin_bytes)), encoding="utf-8")  # peek, as a real stdin
    out, err = io.BytesIO(), io.BytesIO()
    stdout = _Stream(out, encoding="utf-8", write_through=True)
    stderr = _Stream(err, encoding="utf-8", write_through=True)
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    code = 0
    try:
        with _patched_env(env or {}):
            try:
                main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        for stream in (stdout, stderr):
            try:
                stream.flush()
            except ValueError:
                pass
        sys.stdin, sys.stdout, sys.stderr = saved
    return Run(code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"))


def isolated_env(tmp: Path) -> dict[str, str | None]:
    """An environment with no user config, a private ledger and English messages."""
    return {
        "BIZOPS_COMPANY": None, "BIZOPS_CONFIG": None, "BIZOPS_DB": None, "BIZOPS_PLUGINS": None,
        "XDG_CONFIG_HOME": str(tmp / "config"), "XDG_DATA_HOME": str(tmp / "data"),
        "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "NO_COLOR": "1",
    }


@pytest.fixture
def bizops_run(tmp_path, monkeypatch):
    """Run bizops in-process in an isolated environment; returns a `Run`."""
    monkeypatch.chdir(tmp_path)
    base = isolated_env(tmp_path)

    def invoke(*args, input=None, env=None):
        return run(*args, input=input, env={**base, **(env or {})})

    return invoke


@pytest.fixture
def bizops_plugin(bizops_run):
    """`bizops_plugin(path)(*args)`: like `bizops_run`, with one more plugin loaded."""

    def with_plugin(plugin):
        def invoke(*args, **kwargs):
            return bizops_run("--plugin", str(plugin), *args, **kwargs)

        return invoke

    return with_plugin


def check_plugin(plugin) -> list[str]:
    """Problems with a plugin object/module: unknown hooks, wrong arguments, a bad company."""
    from bizops.core.plugins import get_plugin_manager

    host = get_plugin_manager(no_plugins=True, builtins=())
    host.register(getattr(plugin, "__name__", "plugin"), "check", plugin)
    return [f"{f.hook}: {f.error}" for f in host.failures]
