"""Finding, loading and guarding plugins.

Three sources, as the contract's "Plugins and trust" says:

- built-in company plugins, registered by name from `BUILTIN_PLUGINS` and
  imported only when their company is selected (or all are listed);
- packages installed under the entry-point group `bizops`, all loaded unless
  `BIZOPS_PLUGINS` (a comma list of names; empty for none) or `--no-plugins`
  says otherwise;
- a file or module named with `--plugin`, for a plugin under development.

Each plugin is imported and registered inside its own try/except: a broken one
is remembered in `PluginHost.failures` under its name and the others still
work. A config file cannot add plugins.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pluggy

from bizops.core import hookspecs
from bizops.core.errors import PluginFailure, UsageError
from bizops.core.i18n import msg
from bizops.core.schema import Company, problems

ENTRY_POINT_GROUP = "bizops"

#: Built-in company plugins: (name, module). Imported lazily.
BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("cable", "bizops.plugins.cable"),
    ("pv", "bizops.plugins.pv"),
    ("pile", "bizops.plugins.pile"),
    ("airline", "bizops.plugins.airline"),
)


class _Manager(pluggy.PluginManager):
    """Treats any `bizops_*` function of a plugin as a hook, marked or not (as pytest does).

    A misspelt hook (`bizops_quoet`) then has no spec and fails registration
    by name instead of being silently ignored.
    """

    def parse_hookimpl_opts(self, plugin, name):
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name.startswith("bizops_"):
            attr = inspect.getattr_static(plugin, name, None)
            if inspect.isfunction(attr):
                opts = {
                    "wrapper": False,
                    "hookwrapper": False,
                    "optionalhook": False,
                    "tryfirst": False,
                    "trylast": False,
                    "specname": None,
                }
        return opts


class Loaded:
    """A plugin that is registered: its name, where it came from, its company."""

    def __init__(self, name: str, source: str, module: ModuleType | object, company: Company | None = None):
        self.name = name
        self.source = source  # "builtin", "entry point (dist)", or a path
        self.module = module
        self.company = company


class Failure(NamedTuple):
    name: str
    source: str
    hook: str
    error: str
    traceback: str = ""


class PluginHost:
    """The plugin manager and what was loaded into it (or failed to load)."""

    def __init__(self, pm: pluggy.PluginManager, pending_builtins: dict[str, str]):
        self.pm = pm
        self.loaded: dict[str, Loaded] = {}
        self.failures: list[Failure] = []
        self.pending_builtins = pending_builtins
        self.printed: list[str] = []  # plugins that wrote to stdout while loading (see `stdout_to_stderr`)

    @contextlib.contextmanager
    def stdout_to_stderr(self, name: str):
        """Run plugin code outside a command's guard: its `print` goes to stderr and `name` is remembered.

        A plugin printing while it loads would otherwise write into the data on stdout.
        """
        real = sys.stdout
        stand_in = _Printed(sys.stderr)
        sys.stdout = stand_in
        try:
            yield
        finally:
            sys.stdout = real
            if stand_in.used and name not in self.printed:
                self.printed.append(name)

    # -- loading ---------------------------------------------------------
    def register(self, name: str, source: str, obj) -> None:
        """Register one plugin object, remembering a failure instead of raising."""
        try:
            self.pm.register(obj, name=name)
            self.pm.check_pending()
        except Exception as exc:  # a misspelt hook, a wrong signature
            self._forget(obj)
            detail = _one_line(exc)
            if isinstance(exc, pluggy.PluginValidationError) and detail.startswith(
                "PluginValidationError: unknown hook"
            ):
                known = ", ".join(sorted(n for n, c in vars(self.pm.hook).items() if c.has_spec()))
                detail = detail.split(" in plugin ")[0].split(": ", 1)[1] + f" (the hooks are: {known})"
            self.failures.append(Failure(name, source, "register", detail, traceback.format_exc()))
            return
        loaded = Loaded(name, source, obj)
        self.loaded[name] = loaded
        try:
            results = self.pm.subset_hook_caller(
                "bizops_company", remove_plugins=[p for p in self.pm.get_plugins() if p is not obj]
            )()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            self._forget(obj)
            del self.loaded[name]
            self.failures.append(Failure(name, source, "bizops_company", _one_line(exc), traceback.format_exc()))
            return
        companies = [r for r in results if r is not None]
        if companies:
            company = companies[0]
            wrong = (
                [f"returned {type(company).__name__}, not a Company"]
                if not isinstance(company, Company)
                else problems(company)
            )
            if wrong:
                self._forget(obj)
                del self.loaded[name]
                self.failures.append(Failure(name, source, "bizops_company", "; ".join(wrong)))
                return
            loaded.company = company

    def _forget(self, obj) -> None:
        with contextlib.suppress(Exception):
            self.pm.unregister(obj)

    def import_and_register(self, name: str, source: str, load) -> None:
        with self.stdout_to_stderr(name):
            try:
                obj = load()
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                self.failures.append(Failure(name, source, "import", _one_line(exc), traceback.format_exc()))
                return
            self.register(name, source, obj)

    def load_builtin(self, name: str) -> None:
        module = self.pending_builtins.pop(name, None)
        if module is not None:
            self.import_and_register(name, "builtin", lambda: importlib.import_module(module))

    def load_all(self) -> None:
        for name in list(self.pending_builtins):
            self.load_builtin(name)

    # -- looking up ------------------------------------------------------
    def companies(self) -> dict[str, Loaded]:
        """Loaded plugins that bring a company, by company name."""
        return {p.company.name: p for p in self.loaded.values() if p.company is not None}

    def company(self, name: str) -> Company:
        """The company called `name`, loading its plugin if it is a built-in.

        Unknown names are a usage error (exit 2) listing what is installed; a
        name whose plugin failed to load is a plugin failure (exit 70).
        """
        if name in self.pending_builtins:
            self.load_builtin(name)
        found = self.companies().get(name)
        if found is None:
            self.load_all()
            found = self.companies().get(name)
        if found is not None:
            return found.company
        for failure in self.failures:
            if failure.name == name:
                raise PluginFailure(failure.name, failure.hook, failure.error)
        installed = ", ".join(sorted(self.companies())) or "-"
        raise UsageError(
            msg(
                "unknown company {n!r}; installed: {i}",
                "未知公司 {n!r}；已安装：{i}",
                n=name,
                i=installed,
            )
        )

    def plugin_of(self, company: str) -> str:
        found = self.companies().get(company)
        return found.name if found else company


def get_plugin_manager(
    *,
    extra: tuple[str, ...] = (),
    no_plugins: bool = False,
    environ=os.environ,
    builtins: tuple[tuple[str, str], ...] = BUILTIN_PLUGINS,
) -> PluginHost:
    """A fresh plugin host: built-ins pending, installed and `--plugin` ones loaded.

    `extra` are `--plugin` values (a .py path, a package directory or a module
    name). `no_plugins` or `BIZOPS_PLUGINS` limit the installed plugins;
    built-ins are part of bizops and always available.
    """
    pm = _Manager("bizops")
    pm.add_hookspecs(hookspecs)
    host = PluginHost(pm, pending_builtins=dict(builtins))
    if not no_plugins:
        allowed = environ.get("BIZOPS_PLUGINS")
        wanted = None if allowed is None else {n.strip() for n in allowed.split(",") if n.strip()}
        for entry in entry_points(ENTRY_POINT_GROUP):
            if wanted is not None and entry.name not in wanted:
                continue
            if entry.name in host.loaded or entry.name in host.pending_builtins:
                continue
            host.import_and_register(entry.name, f"entry point ({entry.dist})", entry.load)
    for spec in extra:
        name, load = _dev_plugin(spec)
        host.import_and_register(name, spec, load)
    return host


def _dev_plugin(spec: str):
    """A `--plugin` value: a .py file, a package directory, or an importable module."""
    path = Path(spec)
    if spec.endswith(".py") or path.is_dir():
        target = path / "__init__.py" if path.is_dir() else path
        name = path.stem if not path.is_dir() else path.name

        def load():
            import importlib.util

            if not target.is_file():
                raise FileNotFoundError(f"no such plugin file: {target}")
            module_name = f"bizops_dev_plugin_{name}"
            spec_ = importlib.util.spec_from_file_location(
                module_name, target, submodule_search_locations=[str(path)] if path.is_dir() else None
            )
            module = importlib.util.module_from_spec(spec_)
            sys.modules[module_name] = module
            spec_.loader.exec_module(module)
            return module

        return name, load
    return spec, lambda: importlib.import_module(spec)


class _Printed:
    """sys.stdout while plugin code loads: passes text on to stderr and notes that there was some."""

    def __init__(self, err):
        self.err = err
        self.used = False

    def write(self, text: str) -> int:
        self.used = self.used or bool(text)
        return self.err.write(text) if self.err is not None else len(text)

    def flush(self) -> None:
        if self.err is not None:
            self.err.flush()

    def isatty(self) -> bool:
        return False


class EntryPoint(NamedTuple):
    name: str
    value: str
    dist: str

    def load(self):
        module_name, _, attr = self.value.partition(":")
        obj = importlib.import_module(module_name.strip())
        for part in filter(None, attr.strip().split(".")):
            obj = getattr(obj, part)
        return obj


def entry_points(group: str) -> list[EntryPoint]:
    """Entry points of `group`, read straight from `*.dist-info/entry_points.txt`.

    `importlib.metadata` costs about 40 ms to import (it parses e-mail headers);
    bizops starts in about as much in all, so it reads the same files itself.
    The first distribution of a name on `sys.path` wins, as with importlib.
    """
    found: list[EntryPoint] = []
    seen_dists: set[str] = set()
    for directory in sys.path:
        try:
            entries = os.scandir(directory or ".")
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not entry.name.endswith((".dist-info", ".egg-info")):
                    continue
                dist = entry.name.rsplit(".", 1)[0]
                project = dist.split("-")[0].lower().replace("_", "-")
                if project in seen_dists:
                    continue
                seen_dists.add(project)
                try:
                    with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8") as handle:
                        text = handle.read()
                except OSError:
                    continue
                found.extend(_parse_entry_points(text, group, dist))
    return found


def _parse_entry_points(text: str, group: str, dist: str) -> list[EntryPoint]:
    points, section = [], None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            points.append(EntryPoint(name.strip(), value.strip(), dist))
    return points


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r})"
    text = f"{type(exc).__name__}: {exc}".strip()
    return text.splitlines()[0] if text else type(exc).__name__
