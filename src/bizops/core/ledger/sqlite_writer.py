"""`--record` on SQLite: the statements run in a second process, while this one decides the next rows.

Recording is serial (a row sees every row before it), so it ran on one core
while reading runs on all (`--jobs`); storing a row (its checksum, five
B-trees, the commit's fsync) took as long as deciding it. `SqliteWriter` is
the backend `Books` writes through: a forked process owns the ledger's one
connection and runs every statement, in the order given. What returns rows,
and the transaction's steps (begin, commit, rollback, savepoints), wait for
the child's answer; what `Books.flush` hands on (`submit`: the decisions,
entries, reads, identities, and at a batch's end its balances) is sent
without waiting, 256 rows at a time while the batch runs (`pending`); a
lookup can be asked now and its answer taken when a row needs it (`ask`).
An error in something sent is raised at the next call that waits, the
commit at the latest, as the same driver error the in-process backend would
raise, so `Ledger.guard` tells the user the same, and nothing of the batch
is counted as recorded. When the child falls behind (more than
`BEHIND_BYTES` unread), the decider seals the next rows' checksums itself.

Nothing else changes: the write lock, the ids, what a row reads, when a
batch commits and when its rows are printed are those of the in-process
backend; the transaction is the child's, and dies with it.
- The child ignores Ctrl-C and SIGTERM: the parent decides when to stop
  (its commit is held, `signals`), and a call cut short by a signal leaves
  the channel half-written, so the parent kills the child, and with it a
  transaction that was never committed.
- If the parent dies (kill -9), the child reads the end of its socket and
  exits; SQLite drops what was not committed.
- A child that dies during a commit leaves the parent unsure whether it
  happened: that is exit 69, as for a PostgreSQL server lost then (`tally`).

Used when rows come from a file or a pipe on a platform with fork, unless
`--jobs 1` asks for one process.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
import select
import signal
import socket
import sqlite3
import struct
import termios
from collections import deque
from collections.abc import Callable
from typing import Any, NoReturn

from bizops.core.errors import LedgerError, Unavailable
from bizops.core.i18n import msg, os_reason
from bizops.core.ledger.sqlite_backend import SqliteBackend, _translate

_SIZE = struct.Struct("!I")
#: Bytes of rows the socket holds on their way to the writer process.
BUFFER_BYTES = 4 << 20
#: Unread bytes beyond which the writer counts as behind: the deciding process then seals the next chunk's
#: checksums itself (about one chunk of 256 rows is in flight when the two keep pace).
BEHIND_BYTES = 256 << 10
_QUEUED = struct.Struct("i")


class SqliteWriter:
    """A `SqliteBackend` in a forked child, as `Books` and `Ledger` use one."""

    dialect = "sqlite"
    driver_errors = (sqlite3.Error,)
    streams = True  # `Books.keep_row` hands rows on while a batch runs

    def __init__(self, backend: SqliteBackend):
        """Take over `backend`'s ledger: its connection is closed here and opened again in the child."""
        self.location, self.timeout, self.writer = backend.location, backend.timeout, True
        self._next_id = 0
        ours, theirs = socket.socketpair()
        for end, option in ((ours, socket.SO_SNDBUF), (theirs, socket.SO_RCVBUF)):
            # Room for a few chunks of rows in flight: the deciding process waits only when the writer
            # is that far behind (the system caps it at net.core.wmem_max, often 4 MiB, sometimes 208 KiB).
            with contextlib.suppress(OSError):
                end.setsockopt(socket.SOL_SOCKET, option, BUFFER_BYTES)
        backend.conn.close()  # before the fork: a SQLite connection must not cross one
        try:
            pid = os.fork()
        except OSError as exc:  # no room for a process: nothing was recorded yet
            ours.close()
            theirs.close()
            raise LedgerError(
                msg(
                    "ledger {p}: cannot start the process that writes it ({e}); --jobs 1 records in one process",
                    "账本 {p}：无法启动写入它的进程（{e}）；--jobs 1 可在单个进程中记录",
                    p=self.location.shown,
                    e=os_reason(exc),
                )
            ) from None
        if pid == 0:  # pragma: no cover - the child: measured through the parent (coverage does not follow a fork)
            ours.close()
            _child(theirs, backend.location, backend.timeout)
        theirs.close()
        self._socket: socket.socket | None = ours
        self._pid = pid
        self._asked: deque[_Answer] = deque()  # calls sent whose answers are not taken yet, oldest first

    # -- the backend's calls -------------------------------------------------------
    def execute(self, sql: str, params=()):
        return _Rows(self._call("execute", sql, tuple(params)))

    def execute_many(self, sql: str, rows) -> None:
        self._send(("submit", SqliteBackend.execute_many, (sql, list(rows))))

    def insert_rows(self, table: str, columns: tuple[str, ...], rows) -> None:
        self._send(("submit", SqliteBackend.insert_rows, (table, columns, list(rows))))

    def upsert(self, table: str, columns: tuple, keys: int, rows) -> None:
        self._send(("submit", SqliteBackend.upsert, (table, columns, keys, list(rows))))

    def submit(self, function, *args) -> None:
        """`function(backend, *args)` run in the child, not waited for (a module-level function: it is pickled)."""
        self._send(("submit", function, args))

    def behind(self) -> bool:
        """Whether more than `BEHIND_BYTES` sent are still unread by the child (Linux says; elsewhere: no)."""
        if self._socket is None:
            return False
        try:
            return _QUEUED.unpack(fcntl.ioctl(self._socket, termios.TIOCOUTQ, bytes(_QUEUED.size)))[0] > BEHIND_BYTES
        except OSError:
            return False

    def identities(self, company: str, command: str, request_ids: list[str]) -> list[tuple]:
        return self._call("identities", company, command, request_ids)

    def ask(self, name: str, *args) -> _Answer:
        """Send a call whose answer is taken later (`_Answer.get`): the rows go on being decided meanwhile.

        Answers come back in the order asked; all are taken before more rows
        are sent, so neither process waits on a full socket for the other.
        """
        self._send(("call", name, args))
        answer = _Answer(self, name)
        self._asked.append(answer)
        return answer

    def begin_write(self, company: str | None) -> None:
        self._next_id = self._call("begin_write", company)

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def real_ids(self, count: int) -> list[int]:
        raise AssertionError("SQLite ids are real from the start")

    def commit(self, meanwhile: Callable[[Callable[[], bool]], None] | None = None) -> None:
        """Commit; `meanwhile(answered)` runs while the child does (the next rows read), then its answer is taken."""
        self._call("commit", meanwhile=meanwhile)

    def rollback(self) -> None:
        if self._socket is not None:
            self._call("rollback")

    def has_table(self, name: str) -> bool:
        return self._call("has_table", name)

    def retryable(self, exc: BaseException) -> bool:
        return False

    def translate(self, exc: BaseException):
        return _translate(exc, self.location, self.timeout)

    def close(self) -> None:
        """The child closes the ledger (folding its WAL back when nobody else has it open) and ends."""
        if self._socket is None:
            return
        try:
            self._call("close")
        finally:
            self._end(kill=False)

    # -- the channel ---------------------------------------------------------------
    def _send(self, message: tuple) -> None:
        if self._socket is None:
            raise LedgerError(_ENDED(self.location.shown))
        if message[0] == "submit":
            while self._asked:
                self._take()
        try:
            _write(self._socket, message)
        except BaseException as exc:
            self._broken(exc, message[1])

    def _call(self, name: str, *args, meanwhile: Callable | None = None) -> Any:
        answer = self.ask(name, *args)
        if meanwhile is not None:
            meanwhile(self._answered)
        return answer.get()

    def _take(self) -> None:
        """Take the oldest answer not yet taken."""
        answer = self._asked[0]
        if self._socket is None:
            raise LedgerError(_ENDED(self.location.shown))
        try:
            answer.status, answer.value = _receive(self._socket)
        except BaseException as exc:
            self._broken(exc, answer.name)
        self._asked.popleft()

    def _answered(self) -> bool:
        """Whether the child's answer is there to read (without waiting)."""
        return bool(self._socket is not None and select.select([self._socket], [], [], 0)[0])

    def _broken(self, exc: BaseException, during: Any) -> NoReturn:
        """The channel cannot be trusted (a signal cut a message, the child died): the child and its transaction end."""
        self._end(kill=True)
        if not isinstance(exc, Exception):
            raise exc  # Ctrl-C, SIGTERM: the run ends as interrupted
        if during == "commit":  # it may have committed before it died
            raise Unavailable(_ENDED(self.location.shown)) from None
        raise LedgerError(_ENDED(self.location.shown)) from None

    def _end(self, *, kill: bool) -> None:
        self._asked.clear()
        sock, self._socket = self._socket, None
        if sock is None:
            return
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        sock.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)


class _Answer:
    """The answer to a call sent to the child (`SqliteWriter.ask`), taken when needed."""

    __slots__ = ("name", "status", "value", "writer")

    def __init__(self, writer: SqliteWriter, name: str):
        self.writer, self.name = writer, name
        self.status: str | None = None
        self.value: Any = None

    def get(self) -> Any:
        while self.status is None:
            if not self.writer._asked:  # the channel ended before it came
                raise LedgerError(_ENDED(self.writer.location.shown))
            self.writer._take()
        if self.status == "error":
            raise self.value
        return self.value


def _ENDED(where: str):
    return msg(
        "ledger {p}: the process writing it ended unexpectedly; the rows of this batch were not recorded",
        "账本 {p}：写入它的进程意外结束；本批次的行未记录",
        p=where,
    )


class _Rows:
    """A statement's rows, read as a cursor is."""

    __slots__ = ("_next", "_rows")

    def __init__(self, rows: list):
        self._rows, self._next = rows, 0

    def fetchone(self):
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    def __iter__(self):
        return iter(self.fetchall())


def _write(sock: socket.socket, message: tuple) -> None:
    """One message, framed by its size: what `_receive` reads at the other end."""
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    sock.sendall(_SIZE.pack(len(data)) + data)


def _receive(sock: socket.socket) -> Any:
    (size,) = _SIZE.unpack(_exactly(sock, _SIZE.size))
    return pickle.loads(_exactly(sock, size))


def _exactly(sock: socket.socket, count: int) -> bytearray:
    data = bytearray(count)
    view, got = memoryview(data), 0
    while got < count:
        read = sock.recv_into(view[got:], count - got)
        if not read:
            raise EOFError("the other end closed")
        got += read
    return data


# -- the child -------------------------------------------------------------------------
def _child(sock: socket.socket, location, timeout: float) -> None:  # pragma: no cover - runs after the fork
    """Serve the parent's calls until it closes; never returns (`os._exit`: no atexit, no buffers flushed twice)."""
    code = 0
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        gc.disable()  # the parent's objects stay shared pages; nothing here makes cycles
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # a reader of the parent's output waits for no child to close it
            os.dup2(null, fd)
        _serve(sock, location, timeout)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _serve(sock: socket.socket, location, timeout: float) -> None:  # pragma: no cover - runs after the fork
    backend: SqliteBackend | None = None
    opening: BaseException | None = None
    try:
        opened = SqliteBackend.open(location, write=True, timeout=timeout)
        assert opened is not None  # writing makes the file
        # The WAL is folded back after each commit's answer (below), not inside the COMMIT the parent waits for.
        opened.conn.execute("PRAGMA wal_autocheckpoint = 0")
        backend = opened
    except BaseException as exc:
        opening = exc
    failed: BaseException | None = None  # a submitted step that failed: told at the next call that waits
    while True:
        try:
            kind, what, args = _receive(sock)
        except (EOFError, OSError):
            break  # the parent is gone: what was not committed is not
        if kind == "submit":
            if failed is None and backend is not None:
                try:
                    what(backend, *args)
                except Exception as exc:
                    failed = exc
            continue
        if what == "close":
            if backend is not None:
                with contextlib.suppress(Exception):
                    backend.rollback()
                    backend.close()
            _write(sock, ("ok", None))
            return
        try:
            if opening is not None:
                raise opening
            assert backend is not None
            if what == "rollback":
                failed = None  # undone with everything else of the transaction
            elif failed is not None:
                raise failed
            reply: tuple = ("ok", _run(backend, what, args))
        except Exception as exc:
            failed = None
            reply = ("error", _portable(exc))
        _write(sock, reply)
        if what == "commit" and reply[0] == "ok" and backend is not None:
            with contextlib.suppress(sqlite3.Error):  # as SQLite's own automatic checkpoint, never an error
                backend.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    if backend is not None:
        with contextlib.suppress(Exception):
            backend.rollback()
            backend.close()


def _run(backend: SqliteBackend, name: str, args: tuple) -> Any:  # pragma: no cover - runs after the fork
    if name == "execute":
        return backend.execute(*args).fetchall()
    if name == "begin_write":
        backend.begin_write(*args)
        return backend._next_id
    return getattr(backend, name)(*args)


def _portable(exc: BaseException) -> BaseException:  # pragma: no cover - runs after the fork
    """`exc` if it survives pickling (sqlite3's errors keep their codes), else its text as a LedgerError."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return LedgerError(f"{type(exc).__name__}: {exc}")
