"""SIGTERM ends a run the way Ctrl-C does: exit 130, nothing half-written.

Both arrive as `KeyboardInterrupt` in the main thread, so an open ledger
transaction rolls back and the CLI reports "interrupted" with exit 130 (the
contract has no other code for being stopped).

Under `--record` a few steps must not be cut in two, or the count the run
ends with would not be the ledger's: a commit and the count of the rows it
committed (a signal during the COMMIT's fsync was raised the moment COMMIT
returned, before the count), and a recorded result handed to the writer and
its count (a table prints what it was handed). Between `hold()` and
`release()` a signal waits; `release()` raises it once nothing is held. A
second signal while one waits is raised at once: a step stuck writing to a
pipe nobody reads, or committing to a server that went away, still stops.
"""

from __future__ import annotations

import contextlib
import signal


class _Holding:
    depth = 0
    pending = False


_HOLDING = _Holding()


def _interrupt(signum, frame):
    if _HOLDING.depth and not _HOLDING.pending:
        _HOLDING.pending = True  # a second one stops at once: a held step stuck on a dead server or a full pipe
        return
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM raise `KeyboardInterrupt`, except inside `hold()` … `release()`."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signum == signal.SIGINT and signal.getsignal(signum) is not signal.default_int_handler:
            continue  # Ctrl-C ignored where bizops was started (a background job): it stays ignored
        with contextlib.suppress(ValueError, OSError):  # not the main thread (tests), or no such signal
            signal.signal(signum, _interrupt)


def hold() -> None:
    _HOLDING.depth += 1


def release() -> None:
    """The end of a held step: a signal that came during it is raised now."""
    _HOLDING.depth -= 1
    if not _HOLDING.depth and _HOLDING.pending:
        _HOLDING.pending = False
        raise KeyboardInterrupt


def reset() -> None:
    """Nothing held any more (a run that ended inside a held step: it is over anyway)."""
    _HOLDING.depth, _HOLDING.pending = 0, False


@contextlib.contextmanager
def held():
    """The block runs whole: Ctrl-C and SIGTERM wait for its end (`hold`, `release`)."""
    hold()
    try:
        yield
    except BaseException:
        _HOLDING.depth -= 1  # the run ends by what the block raised
        raise
    release()
