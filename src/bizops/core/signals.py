"""SIGTERM ends a run the way Ctrl-C does: exit 130, nothing half-written.

Both arrive as `KeyboardInterrupt` in the main thread, so an open ledger
transaction rolls back and the CLI reports "interrupted" with exit 130 (the
contract has no other code for being stopped).
"""

from __future__ import annotations

import contextlib
import signal


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def exit_on_sigterm() -> None:
    with contextlib.suppress(ValueError, OSError):  # not the main thread (tests), or no such signal
        signal.signal(signal.SIGTERM, _interrupt)
