"""The plugin test kit: run bizops in-process and read what it wrote.

Installed as a pytest plugin (entry point `pytest11`), so in any project with
bizops installed these fixtures exist:

- `bizops_run(*args, input=None, env=None)` runs `bizops ARGS` with an isolated
  environment (no user config, no user ledger, `./` a temporary directory)
  and returns a `Run`: `exit_code`, `stdout`, `stderr`, `.json()`, `.rows()`.
- `bizops_plugin(plugin)` returns a `bizops_run` that loads the plugin under
  test (a package directory, a `.py` file, a module name or a module) with
  `--plugin`, in a fresh plugin manager each call, and no other installed
  plugin (the built-in companies stay available).
- `bizops_history` is a `MemoryHistory` standing in for the ledger a plugin
  reads and writes through `context.history`: seed what it should find, run
  bizops with `bizops_history.run(...)`, and read what the plugin wrote.

`check_plugin(plugin)` checks a plugin's hooks against the specs (names,
arguments), its company declaration and that the two agree; it returns a list
of problems, empty when there are none. `case_names(file)` and
`run_cases(file, plugin=...)` run a rule-cases file with `bizops check`, for
a test per case.

Everything heavier than pytest is imported inside the functions: this module
is loaded by pytest in every project that has bizops installed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
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

    def csv_rows(self) -> list[dict]:
        """stdout as a CSV reader reads it (`--format csv`): one dict a row, keyed by the header."""
        import csv
        import io

        return list(csv.DictReader(io.StringIO(self.stdout)))

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
            with contextlib.suppress(ValueError):
                stream.flush()
        sys.stdin, sys.stdout, sys.stderr = saved
    return Run(code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"))


def isolated_env(tmp: Path) -> dict[str, str | None]:
    """An environment with no user config, a private ledger and English messages."""
    return {
        "BIZOPS_COMPANY": None,
        "BIZOPS_CONFIG": None,
        "BIZOPS_DB": None,
        "BIZOPS_PLUGINS": None,
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "LC_ALL": None,
        "LC_MESSAGES": None,
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
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
    """`bizops_plugin(plugin)(*args)`: `bizops_run` with only this plugin loaded besides the built-ins.

    `plugin` is a package directory or `.py` file (the source under test, not
    installed), a module name, or an imported module.
    """

    def with_plugin(plugin):
        spec = plugin_spec(plugin)

        def invoke(*args, env=None, **kwargs):
            # BIZOPS_PLUGINS empty: no installed plugin, so an installed copy of the same one cannot interfere
            return bizops_run("--plugin", spec, *args, env={"BIZOPS_PLUGINS": "", **(env or {})}, **kwargs)

        return invoke

    return with_plugin


class MemoryHistory:
    """The `History` a plugin sees (`bizops.core.context`), in memory.

    Seed `totals`, `values`, `counts`, `customers` and `owners` (customer ->
    the salesperson who filed it first) with what the ledger should hold. Every write is appended to `writes` as `("add", kind, key,
    amount)` or `("set", kind, key, value)`; as in the real ledger, writes
    change what later rows read only in a run with `--record` (each row in its
    own transaction), and `count` counts the recorded adds.
    """

    exists = True

    def __init__(self):
        self.totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.values: dict[tuple[str, str], object] = {}
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.customers: set[str] = set()
        self.owners: dict[str, str] = {}
        self.writes: list[tuple] = []
        self.record = False

    def total(self, kind, key):
        return self.totals.get((kind, key), Decimal(0))

    def latest(self, kind, key):
        return self.values.get((kind, key))

    def count(self, kind, key):
        return self.counts.get((kind, key), 0)

    def known_customer(self, customer):
        return customer in self.customers or customer in self.owners

    def owner(self, customer):
        return self.owners.get(customer)

    def add(self, kind, key, amount):
        assert type(amount) is Decimal, f"history amounts are Decimals, got {amount!r}"
        self.writes.append(("add", kind, key, amount))
        if self.record:
            self.totals[(kind, key)] += amount
            self.counts[(kind, key)] += 1

    def set(self, kind, key, value):
        assert not isinstance(value, float), f"history values are never floats, got {value!r}"
        self.writes.append(("set", kind, key, value))
        if self.record:
            self.values[(kind, key)] = value


@pytest.fixture
def bizops_history(bizops_run, monkeypatch):
    """A `MemoryHistory` standing in for `context.history`; `bizops_history.run(...)` runs bizops with it."""
    from bizops.core.context import Context

    history = MemoryHistory()
    monkeypatch.setattr(Context, "history", property(lambda self: history))

    def run(*args, **kwargs):
        history.record = "--record" in args
        return bizops_run(*args, **kwargs)

    history.run = run
    return history


def plugin_spec(plugin) -> str:
    """What `--plugin` takes for a path, a module name or a module."""
    if isinstance(plugin, str | os.PathLike):
        return str(plugin)
    return plugin.__name__


def load_plugin(plugin):
    """The plugin object for a path, a module name or a module (as `--plugin` loads it)."""
    if not isinstance(plugin, str | os.PathLike):
        return plugin
    from bizops.core.plugins import _dev_plugin

    return _dev_plugin(str(plugin))[1]()


def check_plugin(plugin) -> list[str]:
    """Problems with a plugin (module, path or module name); empty when it is sound.

    Reports a `bizops_*` function that is no hook (a misspelling, with the
    likely name; a hook plugin API 1.0 removed, with what replaces it), a hook
    taking an argument its spec does not pass, a declaration that fails
    `bizops.core.schema.problems` or is neither a `Company` nor an
    `Extension`, and a declaration its hooks disagree with (a declared
    `quote` with no `bizops_price`, a `bizops_price` with no `quote`; hooks
    with nothing declared, which bizops never asks). An `Extension` must
    extend an installed company, with defaults its settings accept, and answer
    only commands that company declares. When a `pyproject.toml` beside the
    package names its entry point, the name must say what the plugin is about
    (the company's name; `<company>-<name>` for an extension). Finally the
    plugin is registered in a fresh plugin manager, as bizops would register it.
    """
    import difflib
    import inspect

    from bizops.core import hookspecs
    from bizops.core.plugins import REMOVED_HOOKS
    from bizops.core.schema import CORE_COMMANDS

    obj = load_plugin(plugin)
    specs = {name: fn for name, fn in vars(hookspecs).items() if hasattr(fn, "bizops_spec")}
    found: list[str] = []
    hooks = {}
    for name in dir(obj):
        attr = inspect.getattr_static(obj, name, None)
        if not name.startswith("bizops_") or not inspect.isfunction(attr):
            continue
        if name in REMOVED_HOOKS:
            found.append(f"{name}: {REMOVED_HOOKS[name]}")
            continue
        if name not in specs:
            # a hook is often misnamed after its command: bizops_quote for bizops_price
            names = {
                **{f"bizops_{c.split()[0].replace('-', '_')}": h for c, h in CORE_COMMANDS.items()},
                **{n: n for n in specs},
            }
            near = difflib.get_close_matches(name, names, n=1)
            hint = f" (did you mean {names[near[0]]}?)" if near else ""
            found.append(f"{name}: not a bizops hook{hint}; the hooks are: {', '.join(specs)}")
            continue
        hooks[name] = attr
        passed = list(inspect.signature(specs[name]).parameters)
        extra = [a for a in inspect.signature(attr).parameters if a not in passed]
        if extra:
            found.append(f"{name}: argument {extra[0]!r} is not passed to this hook; it passes: {', '.join(passed)}")
    declared = _declared(hooks, found)
    found += _declaration_problems(declared, set(hooks) - {"bizops_company"}, plugin)
    if not found:
        found += _registered(obj, declared)
    return found


def _declared(hooks: dict, found: list[str]):
    """What `bizops_company` returns (None when absent, raising or not a declaration: `found` says why)."""
    from bizops.core.schema import Company, Extension

    if "bizops_company" not in hooks or any(p.startswith("bizops_company:") for p in found):
        return None
    try:
        declared = hooks["bizops_company"]()
    except Exception as exc:
        found.append(f"bizops_company: raised {type(exc).__name__}: {exc}")
        return None
    if declared is not None and not isinstance(declared, Company | Extension):
        found.append(
            f"bizops_company: returned {type(declared).__name__}, not a bizops.api.Company or bizops.api.Extension"
        )
        return None
    return declared


def _declaration_problems(declared, hooks: set[str], plugin) -> list[str]:
    """The declaration's own problems, and where it and the hooks disagree."""
    from bizops.core.plugins import get_plugin_manager
    from bizops.core.schema import CORE_COMMANDS, Extension, problems

    if declared is None:
        return [f"{h}: bizops never asks it: bizops_company declares no Company or Extension" for h in sorted(hooks)]
    found = [f"bizops_company: {p}" for p in problems(declared)]
    found += _entry_point_problems(declared, plugin)
    if isinstance(declared, Extension):
        try:
            company = get_plugin_manager(no_plugins=False).company(declared.extends)
        except Exception as exc:
            return found + [f"extends {declared.extends!r}: {getattr(exc, 'message', exc)}"]
        commands, name = company.commands, declared.extends
    else:
        commands, name = declared.commands, declared.name
        for command in commands:
            hook = CORE_COMMANDS.get(command)
            if hook is not None and hook not in hooks and not _defaulted(hook):
                found.append(f"{name}: declares the command {command!r} but implements no {hook}")
    for hook in sorted(set(CORE_COMMANDS.values()) & hooks):
        if not any(CORE_COMMANDS.get(c) == hook for c in commands):
            wanted = " or ".join(repr(c) for c, h in CORE_COMMANDS.items() if h == hook)
            found.append(f"{name}: implements {hook} but declares no {wanted} command in Company.commands")
    return found


def _defaulted(hook: str) -> bool:
    """Whether the core answers `hook` for a company whose plugin does not (`bizops.core.defaults`)."""
    import bizops.core.defaults

    return callable(getattr(bizops.core.defaults, hook, None))


def _entry_point_problems(declared, plugin) -> list[str]:
    """The entry point the package's pyproject.toml gives it must be named for what it is about."""
    import tomllib

    from bizops.core.schema import Extension

    if not isinstance(plugin, str | os.PathLike) or not Path(plugin).is_dir():
        return []
    project = Path(plugin).resolve().parent / "pyproject.toml"
    try:
        points = tomllib.loads(project.read_text(encoding="utf-8"))["project"]["entry-points"]["bizops"]
    except (OSError, ValueError, KeyError):
        return []
    names = [n for n, module in points.items() if module.split(":")[0] == Path(plugin).resolve().name]
    if isinstance(declared, Extension):
        return [
            f"entry point {n!r}: an extension of {declared.extends!r} is named {declared.extends}-<name>"
            for n in names
            if not n.startswith(declared.extends + "-")
        ]
    return [f"entry point {n!r}: name it after its company, {declared.name!r}" for n in names if n != declared.name]


def _registered(obj, declared) -> list[str]:
    """What bizops says registering the plugin (and, for an extension, applying it to its company)."""
    from bizops.core.errors import BizopsError
    from bizops.core.plugins import BUILTIN_PLUGINS, Pending, get_plugin_manager
    from bizops.core.schema import Extension

    extension = isinstance(declared, Extension)  # checked against its company: the others load too
    host = get_plugin_manager(no_plugins=not extension, builtins=BUILTIN_PLUGINS if extension else ())
    name = getattr(obj, "__name__", "plugin")
    host.register(Pending(name, "check", lambda: obj, None, None), obj)
    found = [f"{f.hook}: {f.error}" for f in host.failures if f.name == name]
    if extension and not found:
        try:
            host.company(declared.extends)
        except BizopsError as exc:
            found.append(str(exc.message))
    return found


def case_names(cases_file) -> list[str]:
    """The names of the cases in a rule-cases file, to parametrize a test per case."""
    from bizops.core.cases import load

    return [case.name for case in load(cases_file).cases]


def run_cases(cases_file, *args: str, plugin=None) -> dict[str, dict]:
    """Run `bizops check` on a cases file (the plugin's defaults, no user config); results by case name.

    `plugin` loads the plugin under test as `bizops_plugin` does. Raises when
    the file itself is refused (exit 2, 65, 78…), so a test sees why.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bizops-cases-") as tmp:
        env = isolated_env(Path(tmp))
        extra: tuple[str, ...] = ()
        if plugin is not None:
            extra, env = ("--plugin", plugin_spec(plugin)), {**env, "BIZOPS_PLUGINS": ""}
        result = run(*extra, "check", str(cases_file), "--defaults", "--format", "json", *args, env=env)
    if result.exit_code not in (0, 1):
        raise AssertionError(f"bizops check {cases_file} failed: {result!r}")
    return {row["case"]: row for row in result.json()}
