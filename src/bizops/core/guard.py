"""The print guard: plugin code never writes into the data on stdout.

While a command runs, `sys.stdout` is a `StdoutGuard`: a `print` goes to
stderr and the module that printed is remembered, so the command can name the
plugin and exit 70 (results go to the real stdout's binary stream, which the
guard does not touch). While a plugin loads, `printing_to_stderr` does the
same for one plugin. `--jobs` workers are forked inside the command's guard:
`printed()` is what a worker caught, `note_printed` adds it to the parent's.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO


class StdoutGuard:
    """Stands in for sys.stdout while a command runs: a plugin's print goes to stderr, its module noted."""

    def __init__(self, err: TextIO):
        self.err = err
        self.culprits: list[str] = []

    def write(self, text: str) -> int:
        module = sys._getframe(1).f_globals.get("__name__", "?")
        if module not in self.culprits:
            self.culprits.append(module)
        return self.err.write(text)

    def flush(self) -> None:
        self.err.flush()

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def guarding_stdout() -> Iterator[StdoutGuard]:
    """Install a `StdoutGuard` for the duration of a command; the real stdout comes back after."""
    real = sys.stdout
    guard = StdoutGuard(sys.stderr)
    sys.stdout = guard  # type: ignore[assignment]  # only write/flush/isatty are used on it
    try:
        yield guard
    finally:
        sys.stdout = real


def printed() -> list[str]:
    """Modules that printed under the current guard (none without one)."""
    guard = sys.stdout
    return list(guard.culprits) if isinstance(guard, StdoutGuard) else []


def note_printed(modules: list[str]) -> None:
    """Count prints caught elsewhere (a `--jobs` worker) as printed under the current guard."""
    guard = sys.stdout
    if isinstance(guard, StdoutGuard):
        guard.culprits.extend(m for m in modules if m not in guard.culprits)


class _Printed:
    """sys.stdout while plugin code loads: passes text on to stderr and notes that there was some."""

    def __init__(self, err: TextIO | None):
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


@contextlib.contextmanager
def printing_to_stderr(printers: list[str], name: str) -> Iterator[None]:
    """Run plugin code outside a command's guard: its `print` goes to stderr and `name` joins `printers`.

    A plugin printing while it loads would otherwise write into the data on stdout.
    """
    real = sys.stdout
    stand_in = _Printed(sys.stderr)
    sys.stdout = stand_in  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout = real
        if stand_in.used and name not in printers:
            printers.append(name)
