"""The embedded ledger: one SQLite file, no server.

Writers take the file's write lock with `BEGIN IMMEDIATE` and wait for it up
to the busy timeout; readers never wait (WAL journal). `synchronous=FULL`:
a decision reported as recorded survives a power cut, and a killed process
leaves either the whole decision or none of it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from bizops.core.errors import BizopsError, LedgerBusy, LedgerError
from bizops.core.i18n import msg
from bizops.core.ledger.location import Location

# Primary result codes (https://sqlite.org/rescode.html).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


class SqliteBackend:
    dialect = "sqlite"
    driver_errors = (sqlite3.Error,)

    def __init__(self, location: Location, conn: sqlite3.Connection, timeout: float):
        self.location, self.conn, self.timeout = location, conn, timeout

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
                            e=exc.strerror or exc,
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
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        backend = cls._connect(location, uri, uri=True, timeout=timeout, write=False)
        try:
            backend.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            if _code(exc) not in (_CANTOPEN, _READONLY):
                raise backend.translate(exc) from None
            # A WAL ledger in a read-only place (a backup on a stick): no one can be writing it.
            backend.conn.close()
            backend = cls._connect(location, uri + "&immutable=1", uri=True, timeout=timeout, write=False)
        return backend

    @classmethod
    def _connect(cls, location, target, *, uri, timeout, write) -> SqliteBackend:
        try:
            conn = sqlite3.connect(target, uri=uri, timeout=timeout, isolation_level=None, check_same_thread=False)
            backend = cls(location, conn, timeout)
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

    def begin_write(self, company: str | None) -> None:
        """Take the file's write lock (every company shares one file), waiting up to the busy timeout."""
        _patiently(lambda: self.conn.execute("BEGIN IMMEDIATE"), self.timeout)

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def has_table(self, name: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        return row is not None

    def sum_amounts(self, where: str, params) -> Decimal:
        # SQLite's SUM would turn the exact texts into floats: add them here.
        total = Decimal(0)
        for (amount,) in self.conn.execute(
            f"SELECT amount FROM bizops_entries WHERE amount IS NOT NULL AND {where}", params
        ):
            total += Decimal(amount)
        return total

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
