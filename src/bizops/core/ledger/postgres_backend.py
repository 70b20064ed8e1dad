"""A ledger on a PostgreSQL server, shared by a company's offices (psycopg 3).

Writers of one company are serialised with a transaction-scoped advisory lock
(`pg_advisory_xact_lock`), waited for up to the lock timeout; the lock is
released by COMMIT or ROLLBACK, and by the server when a killed client's
connection drops, so a half-done decision is never kept. Companies sharing a
server do not wait for each other. Under the lock each transaction reads
what every earlier one committed (READ COMMITTED takes a snapshot per
statement), so the writers of a company are serialisable: their results are
those of their transactions one after the other. A serialisation failure or
deadlock (40001, 40P01) is `retryable`: the recorder runs the batch again.

Decision ids come from the table's identity sequence, taken under the lock
when a batch is written (`real_ids`: exactly as many as it keeps, so there
are no gaps), so a company's decisions are numbered in the order they are
recorded, which reversals and `latest` rely on. A batch's rows go in with
COPY, its balances and identities with one statement each.
"""

from __future__ import annotations

from bizops.core.errors import BizopsError, LedgerBusy, LedgerError, Unavailable, UsageError
from bizops.core.i18n import msg
from bizops.core.ledger.location import Location, libpq_target, scrub

#: First key of every bizops advisory lock ("bizo"); the second is the company's hash, 0 for migrations.
LOCK_NAMESPACE = 0x62697A6F
CONNECT_TIMEOUT = 10
#: The identities' primary key as PostgreSQL names it: what refuses a request id another writer recorded.
IDENTITY_KEY = "bizops_identities_pkey"


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise Unavailable(
            msg(
                "a PostgreSQL ledger needs psycopg: pip install 'bizops[postgres]'",
                "PostgreSQL 账本需要 psycopg：pip install 'bizops[postgres]'",
            )
        ) from None
    return psycopg


class PostgresBackend:
    dialect = "postgres"
    streams = False  # a server already works beside bizops; statements are sent as they are given

    def __init__(self, location: Location, conn, timeout: float, psycopg):
        self.location, self.conn, self.timeout = location, conn, timeout
        self.driver_errors = (psycopg.Error,)
        self._psycopg = psycopg
        self._provisional = 0
        self._sequence: str | None = None

    @classmethod
    def open(cls, location: Location, *, write: bool, timeout: float) -> PostgresBackend:
        psycopg = _psycopg()
        try:
            conn = psycopg.connect(
                libpq_target(location.target),
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT,
                application_name="bizops",
            )
        except psycopg.ProgrammingError as exc:  # a malformed URL
            raise UsageError(
                msg(
                    "ledger URL {p} is not valid: {e}",
                    "账本地址 {p} 无效：{e}",
                    p=location.shown,
                    e=_first_line(exc, location),
                )
            ) from None
        except psycopg.Error as exc:
            raise Unavailable(
                msg(
                    "cannot reach the ledger server {p}: {e}",
                    "无法连接账本服务器 {p}：{e}",
                    p=location.shown,
                    e=_first_line(exc, location),
                )
            ) from None
        return cls(location, conn, timeout, psycopg)

    # -- statements ------------------------------------------------------------
    def execute(self, sql: str, params=()):
        if not params:  # no parameters: a `%` in the text (a LIKE pattern in DDL) is just a `%`
            return self.conn.execute(sql)
        return self.conn.execute(sql.replace("%", "%%").replace("?", "%s"), params)  # a LIKE's `%` stays one

    def execute_many(self, sql: str, rows) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), rows)

    def identities(self, company: str, command: str, request_ids: list[str]) -> list[tuple]:
        """The identity rows of these request ids with their decisions' outputs, in one statement.

        A point lookup per id on the primary key: `OFFSET 0` keeps the
        subquery apart, run once per id. (Flattened, the planner would scan
        the company's identities once per id whenever the table grew within
        this very run and its statistics still say it is empty.)
        """
        return self.conn.execute(
            "SELECT w.id, x.* FROM unnest(%s::text[]) AS w(id) CROSS JOIN LATERAL ("
            "SELECT i.decision_id, i.digest, d.outputs, d.outputs_zh, d.decided_at, d.user_name, d.request_id "
            "FROM bizops_identities i JOIN bizops_decisions d ON d.id = i.decision_id "
            "WHERE i.company = %s AND i.command = %s AND i.request_id = w.id OFFSET 0) AS x",
            (list(request_ids), company, command),
        ).fetchall()

    def upsert(self, table: str, columns: tuple, keys: int, rows) -> None:
        """Insert `rows`, or update the row with the same first `keys` columns: one statement, rows as arrays."""
        names = [name for name, _ in columns]
        arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[keys:])
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT * FROM unnest({arrays}) "
            f"ON CONFLICT ({', '.join(names[:keys])}) DO UPDATE SET {updates}",
            [list(column) for column in zip(*rows)],
        )

    def submit(self, function, *args) -> None:
        """Run `function(self, *args)` (`pending.write_pending`), as every backend does."""
        function(self, *args)

    def insert_rows(self, table: str, columns: tuple[str, ...], rows) -> None:
        """New rows into `table` with COPY: a batch in one stream (ids given as they are, even identity ones)."""
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def begin_write(self, company: str | None) -> None:
        self.conn.execute("BEGIN")
        self.conn.execute(f"SET LOCAL lock_timeout = '{int(self.timeout * 1000)}ms'")
        self.conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_NAMESPACE, company or ""))

    def new_id(self) -> int:
        """A provisional id (negative): the real ones are taken at the flush, as many as were kept (`real_ids`)."""
        self._provisional -= 1
        return self._provisional

    def real_ids(self, count: int) -> list[int]:
        """`count` decision ids from the identity sequence, in order, in one round trip (under the lock)."""
        if self._sequence is None:
            row = self.conn.execute("SELECT pg_get_serial_sequence('bizops_decisions', 'id')").fetchone()
            self._sequence = row[0]
        rows = self.conn.execute("SELECT nextval(%s) FROM generate_series(1, %s)", (self._sequence, count))
        return sorted(int(r[0]) for r in rows)

    def retryable(self, exc: BaseException) -> bool:
        """A serialisation failure or a deadlock: running the transaction again will do."""
        return getattr(exc, "sqlstate", None) in ("40001", "40P01")

    def taken(self, exc: BaseException) -> bool:
        """Whether `exc` refused an identity row because the ledger holds that request id already."""
        diag = getattr(exc, "diag", None)
        return getattr(exc, "sqlstate", None) == "23505" and getattr(diag, "constraint_name", None) == IDENTITY_KEY

    def lock_for_migration(self) -> None:
        self.conn.execute("BEGIN")
        self.conn.execute(f"SET LOCAL lock_timeout = '{int(self.timeout * 1000)}ms'")
        self.conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", (LOCK_NAMESPACE,))

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def has_table(self, name: str) -> bool:
        row = self.conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
        return bool(row[0])

    def translate(self, exc: BaseException) -> BizopsError:
        """A server error as the contract's exit code: lock 75, connection 69, the rest 74."""
        where = self.location.shown
        state = getattr(exc, "sqlstate", None) or ""
        detail = _first_line(exc, self.location)
        if state in ("55P03", "40001", "40P01"):  # a lock waited for in vain, or retries that kept failing
            return LedgerBusy(
                msg(
                    "ledger {p} is busy: another bizops is recording for this company (waited {s} s); try again",
                    "账本 {p} 正忙：另一个 bizops 正在为该公司记录（已等待 {s} 秒）；请重试",
                    p=where,
                    s=f"{self.timeout:g}",
                )
            )
        if (
            state.startswith("08")
            or state in ("57P01", "57P02", "57P03")
            or (not state and isinstance(exc, self._psycopg.OperationalError))
        ):
            return Unavailable(
                msg("lost the ledger server {p}: {e}", "与账本服务器 {p} 的连接中断：{e}", p=where, e=detail)
            )
        if state == "53100":
            return LedgerError(
                msg(
                    "ledger {p}: the server's disk is full; nothing was recorded for this row",
                    "账本 {p}：服务器磁盘已满；本行未记录",
                    p=where,
                )
            )
        if state in ("25006", "42501"):
            return LedgerError(
                msg("ledger {p} is read-only for this user: {e}", "账本 {p} 对当前用户只读：{e}", p=where, e=detail)
            )
        return LedgerError(msg("ledger {p}: {e}", "账本 {p}：{e}", p=where, e=detail))

    # -- maintenance -------------------------------------------------------------
    def integrity(self) -> list[str]:
        return []  # the server keeps its own pages; bizops checks the records themselves


def _first_line(exc: BaseException, location: Location) -> str:
    text = str(exc).strip().splitlines()
    return scrub(text[0] if text else type(exc).__name__, location.target)
