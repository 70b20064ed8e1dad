"""The ledger's records as bizops reads them: history, decisions, entries, customers, identities.

One `Ledger` wraps one backend (SQLite or PostgreSQL) and speaks plain SQL
both understand (`?` placeholders; the PostgreSQL backend rewrites them).
Every driver error leaves as a `LedgerError` (74), `LedgerBusy` (75) or
`Unavailable` (69) through `guard`, never as a traceback; so does a value
bizops did not write (a hand-edited `NaN`, a schema version `abc`), which is
the ledger's fault and not the plugin's that happened to read it.

History reads one row of `bizops_balances` per (company, kind, key), kept by
`books` in the same transaction as the entries it sums: the same cost with
ten decisions as with ten million.
- `total` is the sum of the amounts (reversals included);
- `count` is the number of entries, a reversal's counting -1 each;
- `latest` is the value of the newest `set` entry whose decision stands;
- a customer is known when imported, or named by a standing decision.
Writing is `books.Books`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from bizops.core.errors import BizopsError, LedgerBusy, LedgerError
from bizops.core.i18n import msg, os_reason
from bizops.core.ledger import codec
from bizops.core.ledger.location import Location
from bizops.core.ledger.schema import META_TABLE, MIGRATIONS, MOVES, RUN_PREFIX, SCHEMA_VERSION

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
    "request_id",
)
ENTRY_FIELDS = ("id", "decision_id", "seq", "company", "kind", "key", "amount", "value", "sign")
CUSTOMER_FIELDS = ("id", "company", "name", "fields", "source", "imported_at", "user_name")
FILING_FIELDS = ("id", "company", "customer", "owner", "filed_on", "source", "imported_at", "user_name")
BALANCE_FIELDS = ("company", "kind", "key", "total", "entries", "value", "value_decision", "value_seq")
#: The columns bizops keeps up to date (`Books.flush`), with their PostgreSQL types; the key columns first.
BALANCE_COLUMNS = (
    ("company", "text"),
    ("kind", "text"),
    ("key", "text"),
    ("total", "numeric"),
    ("entries", "bigint"),
    ("value", "text"),
    ("value_decision", "bigint"),
    ("value_seq", "integer"),
    ("changed", "bigint"),
)
IDENTITY_COLUMNS = (
    ("company", "text"),
    ("command", "text"),
    ("request_id", "text"),
    ("decision_id", "bigint"),
    ("digest", "text"),
)

#: The balance kind under which bizops counts the standing decisions naming a customer (plugins cannot write it).
CUSTOMER_KIND = "bizops:customer"
#: The largest id either backend stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1

#: A customer's key and the spellings of it that records made before schema 4 hold; binds (key, company, key).
_SPELLED = f"SELECT ? UNION ALL SELECT written FROM bizops_key_aliases WHERE company = ? AND kind = '{CUSTOMER_KIND}' AND key = ?"

_STANDING = "NOT EXISTS (SELECT 1 FROM bizops_decisions r WHERE r.reverses = {d})"


class Conflict(LedgerBusy):
    """A serialisation failure or deadlock: the transaction can simply run again (the recorder does)."""


class Balance:
    """One (kind, key) of a company: total, standing entries, latest standing value and the entry that set it."""

    __slots__ = ("dirty", "entries", "ref", "total", "value")

    def __init__(self, total: Decimal, entries: int, value: str | None, ref: tuple | None):
        self.total, self.entries, self.value, self.ref = total, entries, value, ref
        self.dirty = False

    def copy(self) -> Balance:
        twin = Balance(self.total, self.entries, self.value, self.ref)
        twin.dirty = self.dirty
        return twin

    def fields(self) -> tuple:
        """What `restore` puts back: cheaper to keep than a `copy` (a recorded row's undo keeps one per change)."""
        return self.total, self.entries, self.value, self.ref, self.dirty

    def restore(self, fields: tuple) -> None:
        self.total, self.entries, self.value, self.ref, self.dirty = fields


EMPTY = Balance(Decimal(0), 0, None, None)


class Known:
    """A request id the ledger holds: the standing decision recorded for it, as replaying it needs.

    `digest` is None for a request recorded earlier in the same transaction, until a row with its id
    asks (`inputs` is then its inputs' JSON text): most never are, and the writer works it out.
    """

    __slots__ = ("decided_at", "decision_id", "digest", "inputs", "outputs", "outputs_zh", "run", "user")

    def __init__(self, decision_id, digest, outputs, outputs_zh, decided_at, user, run=None, inputs=None):
        self.decision_id, self.digest, self.inputs = decision_id, digest, inputs
        self.outputs, self.outputs_zh, self.decided_at, self.user, self.run = (
            outputs,
            outputs_zh,
            decided_at,
            user,
            run,
        )


class _Guard:
    __slots__ = ("ledger",)

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> None:
        if exc is None or isinstance(exc, BizopsError) or not isinstance(exc, Exception):
            return
        ledger = self.ledger
        backend = ledger.backend
        if isinstance(exc, backend.driver_errors):
            error = backend.translate(exc)
            if backend.retryable(exc):
                raise Conflict(error.message) from None
            raise error from None
        if isinstance(exc, OSError):
            raise LedgerError(
                msg("ledger {p}: {e}", "账本 {p}：{e}", p=ledger.location.shown, e=os_reason(exc))
            ) from None
        if isinstance(exc, (ValueError, ArithmeticError, TypeError, KeyError)):
            raise ledger.damaged(exc) from None


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
            upgraded = cls.open(location, write=True, timeout=timeout)
            if upgraded is not None:
                upgraded.close()
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
    def guard(self) -> _Guard:
        """Turn a driver error, or a value bizops did not write, into the contract's exit code.

        A class, not a generator-based context manager: it wraps every
        history read of a recorded stream, where the difference shows.
        """
        return _Guard(self)

    def damaged(self, what: Any) -> LedgerError:
        return LedgerError(
            msg(
                "ledger {p} holds something bizops did not write ({e}); run bizops ledger check",
                "账本 {p} 含有非 bizops 写入的内容（{e}）；请运行 bizops ledger check",
                p=self.location.shown,
                e=what,
            )
        )

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
        if row is None:
            return None
        text = str(row[0]).strip()
        if not text.isdigit():  # edited by hand: the ledger's fault, named as such
            raise self.damaged(f"schema_version {row[0]!r}")
        return int(text)

    def _migrate(self) -> None:
        """Bring the ledger to `SCHEMA_VERSION` in one transaction, under the migration lock.

        Every step from the ledger's version on, and the version bump, or
        none of them (a new ledger is created with one commit, not one a
        version).
        """
        backend = self.backend
        backend.lock_for_migration()
        try:
            backend.execute(META_TABLE)
            current = self._version() or 0
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for step in MIGRATIONS[version](backend.dialect):
                    if callable(step):
                        step(self)
                    else:
                        backend.execute(step)
            if current < SCHEMA_VERSION:
                sql = (
                    "INSERT INTO bizops_meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                )
                backend.execute(sql, (str(SCHEMA_VERSION),))
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
    def balance(self, company: str, kind: str, key: str) -> Balance:
        """One balance as committed (EMPTY when nothing was ever recorded under it)."""
        if not self.exists:
            return EMPTY
        row = self._one(
            "SELECT total, entries, value, value_decision, value_seq FROM bizops_balances "
            "WHERE company = ? AND kind = ? AND key = ?",
            (company, kind, key),
        )
        return EMPTY if row is None else self.balance_of(row)

    def balance_of(self, row: tuple) -> Balance:
        """A `bizops_balances` row (total, entries, value, value_decision, value_seq), checked."""
        total = self.amount(row[0])
        ref = None if row[3] is None else (int(row[3]), int(row[4]))
        return Balance(total, int(row[1]), row[2], ref)

    def amount(self, stored: Any) -> Decimal:
        """An amount as stored (text in SQLite, NUMERIC in PostgreSQL); anything not exact is damage."""
        try:
            value = Decimal(str(stored))
        except InvalidOperation:
            raise self.damaged(f"amount {stored!r}") from None
        if not value.is_finite():
            raise self.damaged(f"amount {stored!r}")
        return value

    def value(self, balance: Balance) -> Any:
        if balance.value is None:
            return None
        with self.guard():
            return codec.loads(balance.value)

    def imported(self, company: str, name: str) -> bool:
        if not self.exists:
            return False
        sql = f"SELECT 1 FROM bizops_customers WHERE company = ? AND name IN ({_SPELLED})"
        return self._one(sql, (company, name, company, name)) is not None

    def spellings(self, company: str, kind: str, key: str) -> list[str]:
        """`key` and the other spellings records hold for it (`bizops_key_aliases`: written before schema 2 or 4)."""
        rows = self.backend.execute(
            "SELECT written FROM bizops_key_aliases WHERE company = ? AND kind = ? AND key = ?", (company, kind, key)
        ).fetchall()
        return [key] + [r[0] for r in rows]

    # -- identities ------------------------------------------------------------------
    def known(self, company: str, command: str, request_ids: list[str]) -> dict[str, Known]:
        """The standing decisions recorded for these request ids, with what replaying them needs.

        A point lookup per id (`backend.identities`), so the cost does not
        depend on how a server estimates a table that grew since it last
        counted it.
        """
        if not self.exists or not request_ids:
            return {}
        with self.guard():
            rows = self.backend.identities(company, command, request_ids)
        return {request_id: Known(*rest) for request_id, *rest in rows}

    def moved_since(self, company: str, since: int) -> bool:
        """Whether a decision recorded after decision `since` freed request ids or took them over (`MOVES`: a
        reversal, an aggregate run's decisions). One lookup in the partial index on those decisions alone."""
        with self.guard():
            row = self.backend.execute(
                f"SELECT 1 FROM bizops_decisions WHERE company = ? AND id > ? AND ({MOVES}) LIMIT 1", (company, since)
            ).fetchone()
        return row is not None

    def known_soon(self, company: str, command: str, request_ids: list[str]) -> Callable[[], dict[str, Known]]:
        """`known`, asked now and answered when called: a writer process looks them up while rows are decided."""
        if not self.exists or not request_ids:
            return dict
        with self.guard():
            answer = self.backend.ask("identities", company, command, request_ids)

        def answered() -> dict[str, Known]:
            with self.guard():
                rows = answer.get()
            return {request_id: Known(*rest) for request_id, *rest in rows}

        return answered

    def run_decisions(self, company: str, command: str, run: str) -> list[dict]:
        """The standing decisions of one recorded aggregate run (they share its `request_id`)."""
        rows = self._q(
            f"SELECT {', '.join('d.' + f for f in DECISION_FIELDS)} FROM bizops_decisions d "
            "WHERE d.company = ? AND d.command = ? AND d.request_id = ? AND d.request_id LIKE ? AND "
            + _STANDING.format(d="d.id")
            + " ORDER BY d.id",
            (company, command, run, RUN_PREFIX + "%"),
        )
        return [dict(zip(DECISION_FIELDS, row)) for row in rows]

    def used_by(self, decision: dict, limit: int = 50) -> list[int]:
        """Later decisions that read a balance `decision` wrote, before it was reversed (all of them if it stands)."""
        keys = {(e["kind"], codec.normal(e["key"])) for e in self.entries(decision["id"])}
        if decision["customer"] and decision["reverses"] is None:
            keys.add((CUSTOMER_KIND, decision["customer"]))
        until = decision.get("reversed_by") or MAX_ID
        found: set[int] = set()
        for kind, key in sorted(keys):
            with self.guard():
                spellings = self.spellings(decision["company"], kind, key)
            rows = self._q(
                "SELECT decision_id FROM bizops_reads WHERE company = ? AND kind = ? "
                f"AND key IN ({', '.join('?' * len(spellings))}) "
                "AND decision_id > ? AND decision_id < ? ORDER BY decision_id LIMIT ?",
                (decision["company"], kind, *spellings, decision["id"], until, limit + 1),
            )
            found.update(r[0] for r in rows)
        return sorted(found)[: limit + 1]

    # -- writing -------------------------------------------------------------------
    def begin(self, company: str | None) -> None:
        with self.guard():
            self.backend.begin_write(company)

    def commit(self, meanwhile=None) -> None:
        """Commit; a backend committing in another process runs `meanwhile(answered)` as it does (`Books.commit`)."""
        with self.guard():
            if meanwhile is not None and self.backend.streams:
                self.backend.commit(meanwhile)
            else:
                self.backend.commit()

    def rollback(self) -> None:
        with contextlib.suppress(Exception):  # the transaction may already be gone with the connection
            self.backend.rollback()

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

    def keep_policy(self, company: str, fingerprint: str, settings: str, recorded_at: str) -> None:
        """The settings of a policy decisions are recorded under (kept once per fingerprint)."""
        with self.guard():
            self.backend.execute_many(  # a write whose answer is not needed: a writer process is not waited for
                "INSERT INTO bizops_policies (company, fingerprint, settings, recorded_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (company, fingerprint) DO NOTHING",
                [(company, fingerprint, settings, recorded_at)],
            )

    def policy_settings(self, company: str, fingerprint: str) -> str | None:
        """The settings kept for a policy fingerprint (JSON text), None when none were (recorded before schema 5)."""
        row = self._one(
            "SELECT settings FROM bizops_policies WHERE company = ? AND fingerprint = ?", (company, fingerprint)
        )
        return None if row is None else row[0]

    def add_filing(
        self, company: str, customer: str, owner: str, filed_on: str, source: str | None, imported_at: str, user: str
    ) -> bool:
        """Record that `owner` filed `customer` on `filed_on` (YYYY-MM-DD); False when that filing is known."""
        row = self._one(
            "INSERT INTO bizops_filings (company, customer, owner, filed_on, source, imported_at, user_name) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company, customer, owner, filed_on) DO NOTHING RETURNING id",
            (company, customer, owner, filed_on, source, imported_at, user),
        )
        return row is not None

    def owner(self, company: str, customer: str) -> str | None:
        """The salesperson who filed the customer (its normalised key) first: earliest filed_on, then first imported."""
        if not self.exists:
            return None
        row = self._one(
            f"SELECT owner FROM bizops_filings WHERE company = ? AND customer IN ({_SPELLED}) "
            "ORDER BY filed_on, id LIMIT 1",
            (company, customer, company, customer),
        )
        return None if row is None else str(row[0])

    # -- reading records -------------------------------------------------------------
    def decisions(
        self,
        *,
        company: str | None = None,
        command: str | None = None,
        since: str | None = None,
        customer: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
        after_id: int = 0,
    ) -> list[dict]:
        if not self.exists:
            return []
        where: list[str] = ["d.id > ?"]
        params: list[Any] = [after_id]
        for column, value in (("d.company", company), ("d.command", command)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if customer:  # as recorded, or as spelled before schema 4 (`广州甲公司（番禺）`)
            where.append(
                "d.customer IN (SELECT ? UNION ALL SELECT a.written FROM bizops_key_aliases a "
                f"WHERE a.kind = '{CUSTOMER_KIND}' AND a.key = ? AND a.company = d.company)"
            )
            params += [customer, customer]
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
        if not 0 < decision_id <= MAX_ID:
            return None
        found = self.decisions(after_id=decision_id - 1, limit=1)
        return found[0] if found and found[0]["id"] == decision_id else None

    def entries(
        self, decision_id: int | None = None, *, company: str | None = None, between: tuple[int, int] | None = None
    ) -> list[dict]:
        if not self.exists:
            return []
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        if decision_id is not None:
            where.append("decision_id = ?")
            params.append(decision_id)
        if between is not None:
            where.append("decision_id BETWEEN ? AND ?")
            params.extend(between)
        if company:
            where.append("company = ?")
            params.append(company)
        rows = self._q(
            f"SELECT {', '.join(ENTRY_FIELDS)} FROM bizops_entries WHERE {' AND '.join(where)} "
            "ORDER BY decision_id, seq",
            params,
        )
        return [self._entry(dict(zip(ENTRY_FIELDS, row))) for row in rows]

    def customers(self, company: str | None = None) -> list[dict]:
        if not self.exists:
            return []
        where, params = ("WHERE company = ?", (company,)) if company else ("", ())
        rows = self._q(f"SELECT {', '.join(CUSTOMER_FIELDS)} FROM bizops_customers {where} ORDER BY id", params)
        return [dict(zip(CUSTOMER_FIELDS, row)) for row in rows]

    def filings(self, company: str | None = None) -> list[dict]:
        if not self.exists:
            return []
        where, params = ("WHERE company = ?", (company,)) if company else ("", ())
        rows = self._q(f"SELECT {', '.join(FILING_FIELDS)} FROM bizops_filings {where} ORDER BY id", params)
        return [dict(zip(FILING_FIELDS, row)) for row in rows]

    def table(self, name: str, fields: tuple[str, ...]) -> list[dict]:
        """Every row of a table bizops keeps beside the records (balances, identities), for `check`."""
        if not self.exists:
            return []
        return [dict(zip(fields, row)) for row in self._q(f"SELECT {', '.join(fields)} FROM {name}")]

    def counts(self) -> dict[str, int]:
        if not self.exists:
            return {"decisions": 0, "entries": 0, "customers": 0}
        return {
            table: int(self._one(f"SELECT count(*) FROM bizops_{table}")[0])
            for table in ("decisions", "entries", "customers")
        }

    def _entry(self, row: dict) -> dict:
        """An entry as read back: the amount as canonical text, whichever the backend (None if not a number)."""
        if row["amount"] is not None:
            try:
                row["amount"] = codec.amount_text(Decimal(str(row["amount"])))
            except (InvalidOperation, codec.NotStorable):
                row["amount"] = str(row["amount"])  # `check` names it; nothing else reads it
        return row
