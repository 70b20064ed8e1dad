"""The embedded ledger: one SQLite file, no server.

Writers take the file's write lock with `BEGIN IMMEDIATE` and wait for it up
to the busy timeout; readers never wait (WAL journal). `synchronous=FULL`:
a decision reported as recorded survives a power cut, and a killed process
leaves either the whole decision or none of it.

Nothing is left beside the file when nobody uses it: a writer puts the
ledger back in rollback-journal mode when it closes (if no one else has it
open), so readers, including `--jobs` workers that never close, create no
`-wal` or `-shm`; while a writer works it is in WAL mode, and readers open
it read-write with `query_only` when they may, so the last connection to
close folds the WAL back and removes both files (a read-only SQLite
connection would leave them behind). A ledger in a read-only place is opened
read-only; if it is a WAL ledger copied without its `-shm` (a backup on a
stick), SQLite could only open it while ignoring the `-wal` and with it the
newest decisions, so it is read from a private copy of the two files instead.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bizops.core.errors import BizopsError, LedgerBusy, LedgerError
from bizops.core.i18n import msg, os_reason
from bizops.core.ledger.location import Location

# A None parameter is bound as NULL either way; without an adapter of its own, the driver first asks the
# protocol type for `__adapt__` and builds an AttributeError each time (a recorded row binds about seven
# Nones: 4% of the writer process's instructions). `{}.get` answers None in C.
sqlite3.register_adapter(type(None), {}.get)  # type: ignore[arg-type]

# Primary result codes (https://sqlite.org/rescode.html).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


class SqliteBackend:
    dialect = "sqlite"
    driver_errors = (sqlite3.Error,)
    streams = False  # statements run as they are given (`sqlite_writer.SqliteWriter` streams them)

    def __init__(self, location: Location, conn: sqlite3.Connection, timeout: float, writer: bool = False):
        self.location, self.conn, self.timeout, self.writer = location, conn, timeout, writer
        self._next_id = 0
        self._private: str | None = None  # a private copy read instead of the file (see `_private_copy`)

    # -- opening ---------------------------------------------------------------
    @classmethod
    def open(cls, location: Location, *, write: bool, timeout: float) -> SqliteBackend | None:
        """The ledger file for reading (None when it does not exist) or for writing (created if need be)."""
        path = location.path
        where = location.shown
        if path.is_dir():
            raise LedgerError(
                msg("ledger {p} is a directory, not a ledger file", "账本 {p} 是目录，不是账本文件", p=where)
            )
        if not path.exists():
            parent = path.parent
            if not parent.is_dir():
                if location.explicit:  # a typo in --db must not pass for "no history yet"
                    raise LedgerError(
                        msg("ledger {p}: directory {d} does not exist", "账本 {p}：目录 {d} 不存在", p=where, d=parent)
                    )
                if not write:
                    return None
                try:
                    parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise LedgerError(
                        msg(
                            "cannot create the ledger directory {d}: {e}",
                            "无法创建账本目录 {d}：{e}",
                            d=parent,
                            e=os_reason(exc),
                        )
                    ) from None
            elif not write:
                return None
        if write:
            _check_writable(path, where)
            return cls._connect(location, str(path), uri=False, timeout=timeout, write=True)
        if not os.access(path, os.R_OK):
            raise LedgerError(
                msg("ledger {p} is not readable (permission denied)", "账本 {p} 不可读（权限不足）", p=where)
            )
        if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK):
            backend = cls._connect(location, str(path), uri=False, timeout=timeout, write=False)
            backend.conn.execute("PRAGMA query_only = ON")
            return backend._readable()
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        backend = cls._connect(location, uri, uri=True, timeout=timeout, write=False)
        try:
            backend.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            if _code(exc) not in (_CANTOPEN, _READONLY):
                raise backend.translate(exc) from None
            backend.conn.close()
            wal = Path(str(path) + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                return cls._private_copy(location, path, timeout)
            # A WAL ledger in a read-only place whose -wal holds nothing: the file alone is the whole ledger.
            backend = cls._connect(location, uri + "&immutable=1", uri=True, timeout=timeout, write=False)
        return backend

    def _readable(self) -> SqliteBackend:
        try:
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            self.conn.close()
            raise self.translate(exc) from None
        return self

    @classmethod
    def _private_copy(cls, location: Location, path: Path, timeout: float) -> SqliteBackend:
        """A WAL ledger without its `-shm` in a read-only place, read from a copy that SQLite can recover."""
        place = tempfile.mkdtemp(prefix="bizops-ledger-")
        try:
            for suffix in ("", "-wal"):
                shutil.copyfile(str(path) + suffix, os.path.join(place, "ledger.db" + suffix))
        except OSError as exc:
            shutil.rmtree(place, ignore_errors=True)
            raise LedgerError(
                msg(
                    "ledger {p} is a WAL ledger without its -shm file in a read-only place, and copying it "
                    "to read it failed: {e}",
                    "账本 {p} 是缺少 -shm 文件的 WAL 账本且位于只读位置，复制以读取时失败：{e}",
                    p=location.shown,
                    e=os_reason(exc),
                )
            ) from None
        backend = cls._connect(location, os.path.join(place, "ledger.db"), uri=False, timeout=timeout, write=False)
        backend._private = place
        atexit.register(shutil.rmtree, place, True)
        backend.conn.execute("PRAGMA query_only = ON")
        return backend._readable()

    @classmethod
    def _connect(cls, location, target, *, uri, timeout, write) -> SqliteBackend:
        try:
            conn = sqlite3.connect(target, uri=uri, timeout=timeout, isolation_level=None, check_same_thread=False)
            backend = cls(location, conn, timeout, writer=write)
            if write:
                _patiently(lambda: conn.execute("PRAGMA journal_mode=WAL"), timeout)
                conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            return backend
        except sqlite3.Error as exc:
            raise _translate(exc, location, timeout) from None

    # -- statements ------------------------------------------------------------
    def execute(self, sql: str, params=()):
        return self.conn.execute(sql, params)

    def execute_many(self, sql: str, rows) -> None:
        self.conn.executemany(sql, rows)

    def identities(self, company: str, command: str, request_ids: list[str]) -> list[tuple]:
        """The identity rows of these request ids with their decisions' outputs (one statement per 500 ids).

        SQLite's planner looks each id of the IN list up on the primary key, whatever the table's size.
        """
        return self._in_chunks(
            "SELECT i.request_id, i.decision_id, i.digest, d.outputs, d.outputs_zh, d.decided_at, d.user_name, "
            "d.request_id FROM bizops_identities i JOIN bizops_decisions d ON d.id = i.decision_id "
            "WHERE i.company = ? AND i.command = ? AND i.request_id IN ({ids})",
            (company, command),
            request_ids,
        )

    def _in_chunks(self, sql: str, params: tuple, ids: list[str]) -> list[tuple]:
        """`sql` with `{ids}` for a list of ids, run once per 500 (SQLite's parameters are limited); at least once."""
        found: list[tuple] = []
        for start in range(0, max(len(ids), 1), 500):
            chunk = ids[start : start + 500]
            found += self.conn.execute(sql.format(ids=", ".join("?" * len(chunk))), (*params, *chunk)).fetchall()
        return found

    def upsert(self, table: str, columns: tuple, keys: int, rows) -> None:
        """Insert `rows`, or update the row with the same first `keys` columns."""
        names = [name for name, _ in columns]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[keys:])
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT ({', '.join(names[:keys])}) DO UPDATE SET {updates}",
            rows,
        )

    def submit(self, function, *args) -> None:
        """Run `function(self, *args)`: what a writer process runs on its side (`pending.write_pending`)."""
        function(self, *args)

    def insert_rows(self, table: str, columns: tuple[str, ...], rows) -> None:
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows
        )

    def begin_write(self, company: str | None) -> None:
        """Take the file's write lock (every company shares one file), waiting up to the busy timeout."""
        _patiently(lambda: self.conn.execute("BEGIN IMMEDIATE"), self.timeout)
        # Under the write lock the next ids are ours: decisions are numbered in the order they are recorded.
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'bizops_decisions'").fetchone()
        self._next_id = int(row[0]) if row else 0

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def real_ids(self, count: int) -> list[int]:
        raise AssertionError("SQLite ids are real from the start")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        if self.writer:  # back to a rollback journal, unless someone else has the ledger open (then they will)
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA busy_timeout = 0")
                self.conn.execute("PRAGMA journal_mode = DELETE")
        self.conn.close()
        if self._private:
            shutil.rmtree(self._private, ignore_errors=True)

    def has_table(self, name: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        return row is not None

    def retryable(self, exc: BaseException) -> bool:
        return False  # busy means the lock was waited for up to the timeout already

    def taken(self, exc: BaseException) -> bool:
        """Whether `exc` refused an identity row because the ledger holds that request id already."""
        return isinstance(exc, sqlite3.IntegrityError) and "bizops_identities." in str(exc)

    def lock_for_migration(self) -> None:
        _patiently(lambda: self.conn.execute("BEGIN IMMEDIATE"), self.timeout)

    def translate(self, exc: BaseException) -> BizopsError:
        return _translate(exc, self.location, self.timeout)

    # -- maintenance -------------------------------------------------------------
    def integrity(self) -> list[str]:
        """Problems SQLite itself finds in the file (pages, indexes, foreign keys)."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r[0]} row {r[1]} -> {r[2]}" for r in self.conn.execute("PRAGMA foreign_key_check")]
        return problems

    def backup(self, dest: Path) -> None:
        """Copy the ledger with SQLite's online backup (writers may go on meanwhile)."""
        try:
            target = sqlite3.connect(str(dest))
        except sqlite3.Error as exc:
            raise LedgerError(msg("cannot write the backup {d}: {e}", "无法写入备份 {d}：{e}", d=dest, e=exc)) from None
        try:
            self.conn.backup(target)
            # One self-contained file: no -wal beside it to forget.
            target.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as exc:
            if _code(exc) in (_BUSY, _LOCKED) or exc.__class__ is not sqlite3.OperationalError:
                raise
            raise LedgerError(msg("cannot write the backup {d}: {e}", "无法写入备份 {d}：{e}", d=dest, e=exc)) from None
        finally:
            target.close()


def _patiently(call, timeout: float):
    """`call()`, retried while SQLite answers busy without waiting.

    Two processes creating a ledger at once both hold a shared lock while
    switching it to WAL; SQLite then fails one of them at once rather than
    let them deadlock, so the busy timeout alone does not help.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            if _code(exc) not in (_BUSY, _LOCKED) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _check_writable(path: Path, where: str) -> None:
    """A read-only file or directory is refused up front, with a message saying which."""
    if path.exists() and not os.access(path, os.W_OK):
        raise LedgerError(msg("ledger {p} is read-only: cannot record", "账本 {p} 只读：无法记录", p=where))
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise LedgerError(
            msg(
                "ledger {p}: directory {d} is read-only: cannot record",
                "账本 {p}：目录 {d} 只读：无法记录",
                p=where,
                d=path.parent,
            )
        )


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _translate(exc: BaseException, location: Location, timeout: float) -> BizopsError:
    """A SQLite error as the contract's exit code: busy 75, anything else about the file 74."""
    where = location.shown
    code = _code(exc)
    if code in (_BUSY, _LOCKED):
        return LedgerBusy(
            msg(
                "ledger {p} is busy: another bizops is writing it (waited {s} s); try again",
                "账本 {p} 正忙：另一个 bizops 正在写入（已等待 {s} 秒）；请重试",
                p=where,
                s=f"{timeout:g}",
            )
        )
    if code == _FULL:
        return LedgerError(
            msg(
                "ledger {p}: the disk is full; nothing was recorded for this row",
                "账本 {p}：磁盘已满；本行未记录",
                p=where,
            )
        )
    if code == _READONLY:
        return LedgerError(msg("ledger {p} is read-only: cannot record", "账本 {p} 只读：无法记录", p=where))
    if code == _CANTOPEN:
        return LedgerError(msg("cannot open ledger {p}", "无法打开账本 {p}", p=where))
    if code == _NOTADB:
        return LedgerError(
            msg(
                "{p} is not a bizops ledger (not a SQLite database)",
                "{p} 不是 bizops 账本（不是 SQLite 数据库）",
                p=where,
            )
        )
    if code == _CORRUPT:
        return LedgerError(
            msg(
                "ledger {p} is damaged; restore it from a backup (bizops ledger backup)",
                "账本 {p} 已损坏；请从备份恢复（bizops ledger backup）",
                p=where,
            )
        )
    if code == _IOERR:
        return LedgerError(
            msg(
                "ledger {p}: I/O error ({e}); is the disk full or gone?",
                "账本 {p}：读写错误（{e}）；磁盘是否已满或已断开？",
                p=where,
                e=exc,
            )
        )
    return LedgerError(msg("ledger {p}: {e}", "账本 {p}：{e}", p=where, e=exc))
