"""The ledger's records: decisions, their history entries, imported customers.

One `Ledger` wraps one backend (SQLite or PostgreSQL) and speaks plain SQL
both understand (`?` placeholders; the PostgreSQL backend rewrites them).
Every driver error leaves as a `LedgerError` (74), `LedgerBusy` (75) or
`Unavailable` (69) through `guard`, never as a traceback.

History semantics, over one company's entries under (kind, key):
- `total` is the sum of the amounts (a reversal adds the negated amounts);
- `count` is the number of entries, a reversal's entries counting -1 each;
- `latest` is the value of the newest `set` entry whose decision stands (not reversed);
- a customer is known when imported, or named by a standing decision.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from bizops.core.errors import BizopsError, LedgerError
from bizops.core.i18n import msg
from bizops.core.ledger import codec
from bizops.core.ledger.location import Location
from bizops.core.ledger.schema import META_TABLE, MIGRATIONS, SCHEMA_VERSION

DECISION_FIELDS = (
    "id",
    "company",
    "command",
    "row_label",
    "customer",
    "status",
    "decided_at",
    "recorded_at",
    "user_name",
    "host",
    "plugin",
    "plugin_version",
    "bizops_version",
    "policy_fingerprint",
    "inputs",
    "outputs",
    "outputs_zh",
    "reverses",
    "entry_count",
    "checksum",
)
ENTRY_FIELDS = ("id", "decision_id", "seq", "company", "kind", "key", "amount", "value", "sign")
CUSTOMER_FIELDS = ("id", "company", "name", "fields", "source", "imported_at", "user_name")

_STANDING = "NOT EXISTS (SELECT 1 FROM bizops_decisions r WHERE r.reverses = {d})"


def open_backend(location: Location, *, write: bool, timeout: float):
    if location.kind == "postgres":
        from bizops.core.ledger.postgres_backend import PostgresBackend

        return PostgresBackend.open(location, write=write, timeout=timeout)
    from bizops.core.ledger.sqlite_backend import SqliteBackend

    return SqliteBackend.open(location, write=write, timeout=timeout)


class Ledger:
    def __init__(self, backend):
        self.backend = backend
        self.location: Location = backend.location
        self.version: int | None = None

    @classmethod
    def open(cls, location: Location, *, write: bool, timeout: float = 20.0) -> Ledger | None:
        """The ledger at `location`, migrated to this program's schema when writing.

        Reading a ledger that does not exist gives None (no history) and
        creates nothing; writing creates it.
        """
        backend = open_backend(location, write=write, timeout=timeout)
        if backend is None:
            return None
        ledger = cls(backend)
        try:
            with ledger.guard():
                ledger.version = ledger._version()
                if ledger.version is None and not write:
                    return ledger  # an empty database: no history yet
                ledger._refuse_newer()
                if ledger.version is None or ledger.version < SCHEMA_VERSION:
                    if not write and backend.dialect == "sqlite":
                        backend.close()  # the reading connection cannot migrate: upgrade, then read
                        cls._upgrade(location, timeout)
                        return cls.open(location, write=False, timeout=timeout)
                    ledger._migrate()
        except BaseException:
            backend.close()
            raise
        return ledger

    @classmethod
    def _upgrade(cls, location: Location, timeout: float) -> None:
        try:
            cls.open(location, write=True, timeout=timeout).close()
        except LedgerError as exc:
            raise LedgerError(
                msg(
                    "ledger {p} has an older schema and must be upgraded once by a bizops that may write it: {e}",
                    "账本 {p} 的结构较旧，需要由有写权限的 bizops 升级一次：{e}",
                    p=location.shown,
                    e=exc.message,
                ),
                exit_code=exc.exit_code,
            ) from None

    @property
    def exists(self) -> bool:
        """Whether the ledger holds bizops tables (reading a fresh database: no)."""
        return self.version is not None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.backend.rollback()
        with contextlib.suppress(Exception):
            self.backend.close()

    # -- errors ------------------------------------------------------------------
    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Turn a driver error into the contract's exit code."""
        try:
            yield
        except BizopsError:
            raise
        except self.backend.driver_errors as exc:
            raise self.backend.translate(exc) from None
        except OSError as exc:
            raise LedgerError(
                msg("ledger {p}: {e}", "账本 {p}：{e}", p=self.location.shown, e=exc.strerror or exc)
            ) from None

    def _q(self, sql: str, params=()) -> list[tuple]:
        with self.guard():
            return self.backend.execute(sql, params).fetchall()

    def _one(self, sql: str, params=()):
        with self.guard():
            return self.backend.execute(sql, params).fetchone()

    # -- schema ------------------------------------------------------------------
    def _version(self) -> int | None:
        if not self.backend.has_table("bizops_meta"):
            return None
        row = self.backend.execute("SELECT value FROM bizops_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _migrate(self) -> None:
        """Bring the ledger to `SCHEMA_VERSION`, one version per transaction, under the migration lock."""
        backend = self.backend
        while True:
            backend.lock_for_migration()
            try:
                backend.execute(META_TABLE)
                current = self._version() or 0
                if current >= SCHEMA_VERSION:
                    backend.commit()
                    break
                for statement in MIGRATIONS[current + 1](backend.dialect):
                    backend.execute(statement)
                sql = (
                    "INSERT INTO bizops_meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                )
                backend.execute(sql, (str(current + 1),))
                backend.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    backend.rollback()
                raise
        self.version = self._version()

    def _refuse_newer(self) -> None:
        if self.version is not None and self.version > SCHEMA_VERSION:
            raise LedgerError(
                msg(
                    "ledger {p} has schema version {v}, newer than this bizops understands ({m}): "
                    "upgrade bizops, or give --db another ledger",
                    "账本 {p} 的结构版本为 {v}，比本程序支持的（{m}）更新：请升级 bizops，或用 --db 指定其他账本",
                    p=self.location.shown,
                    v=self.version,
                    m=SCHEMA_VERSION,
                ),
                exit_code=78,
            )

    # -- history reads -------------------------------------------------------------
    def total(self, company: str, kind: str, key: str) -> Decimal:
        if not self.exists:
            return Decimal(0)
        with self.guard():
            return self.backend.sum_amounts("company = ? AND kind = ? AND key = ?", (company, kind, key))

    def count(self, company: str, kind: str, key: str) -> int:
        if not self.exists:
            return 0
        row = self._one(
            "SELECT COALESCE(SUM(sign), 0) FROM bizops_entries WHERE company = ? AND kind = ? AND key = ?",
            (company, kind, key),
        )
        return int(row[0])

    def latest(self, company: str, kind: str, key: str) -> Any:
        if not self.exists:
            return None
        row = self._one(
            "SELECT e.value FROM bizops_entries e WHERE e.company = ? AND e.kind = ? AND e.key = ? "
            "AND e.value IS NOT NULL AND e.sign = 1 AND "
            + _STANDING.format(d="e.decision_id")
            + " ORDER BY e.id DESC LIMIT 1",
            (company, kind, key),
        )
        return None if row is None else codec.loads(row[0])

    def known_customer(self, company: str, name: str) -> bool:
        if not self.exists:
            return False
        row = self._one(
            "SELECT 1 FROM bizops_customers WHERE company = ? AND name = ? UNION ALL "
            "SELECT 1 FROM bizops_decisions d WHERE d.company = ? AND d.customer = ? AND d.reverses IS NULL AND "
            + _STANDING.format(d="d.id")
            + " LIMIT 1",
            (company, name, company, name),
        )
        return row is not None

    # -- writing -------------------------------------------------------------------
    def begin(self, company: str | None) -> None:
        with self.guard():
            self.backend.begin_write(company)

    def commit(self) -> None:
        with self.guard():
            self.backend.commit()

    def rollback(self) -> None:
        with contextlib.suppress(Exception):  # the transaction may already be gone with the connection
            self.backend.rollback()

    def insert_decision(self, decision: dict, entries: list[dict]) -> int:
        """Store one decision and its entries (inside the caller's transaction); returns its id."""
        decision = dict(decision, entry_count=len(entries))
        for seq, entry in enumerate(entries, 1):
            entry["seq"] = seq
        decision["checksum"] = codec.checksum(decision, entries)
        names = [f for f in DECISION_FIELDS if f != "id"]
        sql = f"INSERT INTO bizops_decisions ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) RETURNING id"
        with self.guard():
            decision_id = self.backend.execute(sql, tuple(decision[f] for f in names)).fetchone()[0]
            if entries:
                insert = (
                    "INSERT INTO bizops_entries (decision_id, seq, company, kind, key, amount, value, sign) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                )
                rows = [
                    (
                        decision_id,
                        e["seq"],
                        decision["company"],
                        e["kind"],
                        e["key"],
                        _amount_param(self.backend.dialect, e["amount"]),
                        e["value"],
                        e["sign"],
                    )
                    for e in entries
                ]
                if self.backend.dialect == "sqlite":
                    self.backend.conn.executemany(insert, rows)
                else:
                    with self.backend.conn.cursor() as cursor:
                        cursor.executemany(insert.replace("?", "%s"), rows)
        return int(decision_id)

    def add_customer(
        self, company: str, name: str, fields: dict, source: str | None, imported_at: str, user: str
    ) -> bool:
        """Import one customer; False when the company already has one of that name."""
        row = self._one(
            "INSERT INTO bizops_customers (company, name, fields, source, imported_at, user_name) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (company, name) DO NOTHING RETURNING id",
            (company, name, codec.dumps(fields), source, imported_at, user),
        )
        return row is not None

    # -- reading records -------------------------------------------------------------
    def decisions(
        self,
        *,
        company: str | None = None,
        command: str | None = None,
        since: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
        after_id: int = 0,
    ) -> list[dict]:
        if not self.exists:
            return []
        where, params = ["d.id > ?"], [after_id]
        for column, value in (("d.company", company), ("d.command", command)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if since:
            where.append("d.decided_at >= ?")
            params.append(since)
        sql = (
            f"SELECT {', '.join('d.' + f for f in DECISION_FIELDS)}, "
            "(SELECT r.id FROM bizops_decisions r WHERE r.reverses = d.id) AS reversed_by "
            f"FROM bizops_decisions d WHERE {' AND '.join(where)} ORDER BY d.id {'DESC' if newest_first else 'ASC'}"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [dict(zip(DECISION_FIELDS + ("reversed_by",), row)) for row in self._q(sql, params)]

    def decision(self, decision_id: int) -> dict | None:
        found = self.decisions(after_id=decision_id - 1, limit=1)
        return found[0] if found and found[0]["id"] == decision_id else None

    def entries(self, decision_id: int | None = None, *, company: str | None = None) -> list[dict]:
        if not self.exists:
            return []
        where, params = ["1 = 1"], []
        if decision_id is not None:
            where.append("decision_id = ?")
            params.append(decision_id)
        if company:
            where.append("company = ?")
            params.append(company)
        rows = self._q(
            f"SELECT {', '.join(ENTRY_FIELDS)} FROM bizops_entries WHERE {' AND '.join(where)} "
            "ORDER BY decision_id, seq",
            params,
        )
        return [_entry(dict(zip(ENTRY_FIELDS, row))) for row in rows]

    def customers(self, company: str | None = None) -> list[dict]:
        if not self.exists:
            return []
        where, params = ("WHERE company = ?", (company,)) if company else ("", ())
        rows = self._q(f"SELECT {', '.join(CUSTOMER_FIELDS)} FROM bizops_customers {where} ORDER BY id", params)
        return [dict(zip(CUSTOMER_FIELDS, row)) for row in rows]

    def counts(self) -> dict[str, int]:
        if not self.exists:
            return {"decisions": 0, "entries": 0, "customers": 0}
        return {
            table: int(self._one(f"SELECT count(*) FROM bizops_{table}")[0])
            for table in ("decisions", "entries", "customers")
        }


def _amount_param(dialect: str, amount: str | None):
    if amount is None:
        return None
    return amount if dialect == "sqlite" else Decimal(amount)


def _entry(row: dict) -> dict:
    """An entry as read back: the amount as canonical text, whichever the backend."""
    if row["amount"] is not None:
        row["amount"] = codec.amount_text(Decimal(str(row["amount"])))
    return row
