"""Progress of a long run on stderr: how much of the input is read, for a person waiting at a terminal.

Shown only when stderr is a terminal and the results do not go to that
terminal too (rows appearing are progress enough, and a progress line among
them would be mixed into the output), and only once a run has taken
`BIZOPS_PROGRESS_AFTER` seconds (default 2): a quick run shows nothing.

One line, redrawn in place four times a second by a thread that reads how far
the input file has been read (its file offset) against its size, so the rows
pay nothing for it, in one process or across `--jobs` workers. From a pipe
the size is unknown: the line says how much was read so far. A message
written to stderr meanwhile (a row error, a warning) first clears the line,
so messages never mix with it; the line is cleared when the run ends.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import threading
import time
from typing import Any

#: Seconds a run takes before its progress is shown.
AFTER = 2.0
#: Seconds between redraws.
EVERY = 0.25
_CLEAR = "\r\x1b[K"
#: The progress shown now, if any: a `--jobs` worker is forked while it is, and must not inherit a held lock.
_shown: list[Progress] = []


def _before_fork() -> None:
    for progress in _shown:
        progress.lock.acquire()


def _after_fork_in_parent() -> None:
    for progress in _shown:
        progress.lock.release()


def _after_fork_in_child() -> None:
    for progress in _shown:  # the child has no drawing thread: its messages go straight out
        progress.lock = threading.Lock()
        progress.drawn = False


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)


class Progress:
    """Shows the progress of reading `stream` on stderr while the run lasts (a context manager).

    `sink.err`, and `sys.stderr` for bizops' other messages, go through it while it is shown.
    """

    def __init__(self, stream: Any, sink: Any, lang: str):
        self.sink, self.lang = sink, lang
        self.real = sys.stderr
        self.lock = threading.Lock()
        self.drawn = False
        self.stopped = threading.Event()
        try:
            self.fd: int | None = stream.fileno()
            info = os.fstat(self.fd)
            self.total = info.st_size if stat.S_ISREG(info.st_mode) and info.st_size else None
        except (AttributeError, OSError, ValueError):
            self.fd, self.total = None, None
        after = os.environ.get("BIZOPS_PROGRESS_AFTER", "")
        self.after = float(after) if after.replace(".", "", 1).isdigit() else AFTER
        self.thread = threading.Thread(target=self._run, name="bizops-progress", daemon=True)

    def __enter__(self) -> Progress:
        self.started = time.monotonic()
        self.saved_err, self.sink.err, sys.stderr = self.sink.err, self, self
        _shown.append(self)
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopped.set()
        self.thread.join()
        with self.lock:
            self._clear()
        _shown.remove(self)
        self.sink.err, sys.stderr = self.saved_err, self.real

    # -- the stream messages go through while the line is shown ---------------------------------------------
    def write(self, text: str) -> int:
        with self.lock:
            self._clear()
            return self.real.write(text)

    def flush(self) -> None:
        self.real.flush()

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:  # encoding, errors, fileno…: the real stderr's
        return getattr(self.real, name)

    # -- the line ------------------------------------------------------------------------------------------
    def _run(self) -> None:
        if self.stopped.wait(self.after):
            return
        while True:
            line = self.line(time.monotonic() - self.started)
            with self.lock:
                try:
                    self.real.write(_CLEAR + line)
                    self.real.flush()
                    self.drawn = True
                except (OSError, ValueError):  # the terminal went away: the run goes on without its progress
                    return
            if self.stopped.wait(EVERY):
                return

    def line(self, elapsed: float) -> str:
        """`reading: 12.3 of 40.0 MB (31 %), 0:07` (in the run's language)."""
        done = self._offset()
        zh = self.lang == "zh"
        clock = f"{int(elapsed) // 60}:{int(elapsed) % 60:02d}"
        if done is None:
            return f"处理中… {clock}" if zh else f"working… {clock}"
        read = f"{done / 1e6:.1f}"
        if self.total:
            share = min(100, done * 100 // self.total)
            bar = "█" * (share // 5) + "░" * (20 - share // 5)
            of = f"{read} / {self.total / 1e6:.1f} MB"
            return f"已读取 {bar} {of}（{share}%），{clock}" if zh else f"reading {bar} {of} ({share} %), {clock}"
        return f"已读取 {read} MB，{clock}" if zh else f"read {read} MB, {clock}"

    def _offset(self) -> int | None:
        if self.fd is None:
            return None
        try:
            return os.lseek(self.fd, 0, os.SEEK_CUR)
        except OSError:  # a pipe: no offset
            return None

    def _clear(self) -> None:
        if self.drawn:
            with contextlib.suppress(OSError, ValueError):
                self.real.write(_CLEAR)
            self.drawn = False
