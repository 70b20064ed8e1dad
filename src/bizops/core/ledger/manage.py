"""Looking after a ledger: import customers, reverse a decision, back it up (checking it: `check`).

Each function works on an open `Ledger`; `bizops ledger …` (in
`bizops.commands.ledger`) prints what they return.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from bizops.core.errors import LedgerError, RowError, UsageError
from bizops.core.i18n import Text, msg, os_reason
from bizops.core.ledger import codec
from bizops.core.ledger.books import Books
from bizops.core.ledger.history import customer_name
from bizops.core.ledger.record import current_host, current_user, recorded_at
from bizops.core.ledger.store import Ledger
from bizops.core.names import InputNames
from bizops.core.requests import totals_line
from bizops.core.schema import Field
from bizops.core.values import BadValue, parse_date, parse_datetime

#: A customer list's columns bizops reads (the others are kept with the customer): its name, and the
#: salesperson who filed it and the day they did (seed 000: the first filer owns it). Read with the desk's
#: readers (`bizops.core.readers.open_input`): a CRM export's title above the header, GB18030, workbooks.
CUSTOMER_LIST = (
    Field("name", "text", zh="客户", aliases=("customer", "客户名称", "名称", "单位名称", "客户名")),
    Field("owner", "text", zh="业务员", aliases=("建档人", "负责人", "销售员", "报备人", "备案人")),
    Field(
        "filed_on",
        "text",
        zh="建档日期",
        # A CRM export's 创建时间 is when the customer was entered: the day it was filed (its time is dropped)
        aliases=(
            "建档时间",
            "备案日期",
            "报备日期",
            "登记日期",
            "报备时间",
            "备案时间",
            "登记时间",
            "创建时间",
            "创建日期",
        ),
    ),
)
#: The names a header may give the name and the day filed, for messages.
NAME_COLUMNS = ("name", CUSTOMER_LIST[0].zh, *CUSTOMER_LIST[0].aliases)
FILED_COLUMNS = ("filed_on", CUSTOMER_LIST[2].zh, *CUSTOMER_LIST[2].aliases)


def customer_list_names() -> InputNames:
    """Which of `CUSTOMER_LIST` a header cell (or a stored column name) names; others keep their own name."""
    return InputNames(CUSTOMER_LIST)


# -- customers -------------------------------------------------------------------------
def import_customers(ledger: Ledger, company: str, rows, source: str) -> dict:
    """Add each customer the company does not have yet, and each filing, in one transaction.

    `rows` are `(row, raw)` pairs or `RowError`s from a reader. A name already
    in the ledger (or twice in the file) is counted as known, so the same
    import twice adds nothing the second time. A row with an `owner` also
    records that filing (on `filed_on`, else today): the earliest filing of
    a customer names its owner, whichever import brought it, so a customer
    already known still takes a new, earlier filer. Returns the counts, the
    row errors, and `undated`: the filings recorded as of today for want of a day.
    """
    names = customer_list_names()
    counts = {"rows": 0, "added": 0, "known": 0, "invalid": 0, "filed": 0}
    undated = 0
    errors = []
    when, user = recorded_at(), current_user()
    ledger.begin(company)
    try:
        for item in rows:
            if type(item) is not tuple:
                counts["invalid"] += 1
                errors.append(item)
                continue
            row, raw = item
            counts["rows"] += 1
            raw = _by_field(raw, names)  # a JSON row's keys as a table's header is read (`客户名称`: name)
            if "name" not in raw:
                raise UsageError(
                    msg(
                        "{f}: no customer name column; name one of: {c}",
                        "{f}：没有客户名称列；列名应为其中之一：{c}",
                        f=source,
                        c=", ".join(NAME_COLUMNS),
                    )
                )
            name = customer_name(raw.get("name"))
            try:
                if name is None:
                    raise RowError(msg("the customer's name is empty", "客户名称为空"), row)
                if totals_line(name):
                    raise RowError(msg("a totals row ({t}), not a customer", "合计行（{t}），不是客户", t=name), row)
                codec.short_key(name, codec.CUSTOMER)
                filing = _filing(raw, when[:10], row)
            except RowError as exc:
                counts["invalid"] += 1
                errors.append(exc if exc.row is not None else exc.at(row))
                continue
            kept = ("name", "owner", "filed_on") if filing else ("name",)
            fields = {
                k: codec.plain(v.strip() if isinstance(v, str) else v)
                for k, v in raw.items()
                if k not in kept and k and v not in (None, "") and not (isinstance(v, str) and not v.strip())
            }
            if ledger.add_customer(company, name, fields, source, when, user):
                counts["added"] += 1
            else:
                counts["known"] += 1
            if filing and ledger.add_filing(company, name, *filing, source, when, user):
                counts["filed"] += 1
                undated += _cell(raw, "filed_on") is None
        ledger.commit()
    except BaseException:
        ledger.rollback()
        raise
    return {**counts, "errors": errors, "undated": undated}


def _filing(raw: dict, today: str, row) -> tuple[str, str] | None:
    """(owner, filed_on as YYYY-MM-DD) of a customer row, None when it names no owner; a bad day is the row's error."""
    owner = _cell(raw, "owner")
    filed = _cell(raw, "filed_on")
    if owner is None:
        if filed is not None:
            raise RowError(
                msg("filed_on {d} names no owner who filed it", "有建档日期 {d} 却没有建档业务员（owner）", d=filed),
                row,
            )
        return None
    owner = codec.short_key(codec.normal(str(owner)), Text("owner", "业务员"))
    if filed is None:
        return owner, today  # filed now, as far as bizops knows: an earlier filing named later still wins
    try:
        return owner, parse_date(filed).isoformat()
    except BadValue as exc:
        try:  # a CRM's moment of filing (创建时间 `2026-03-05 14:22:10`): its day
            return owner, parse_datetime(filed).date().isoformat()
        except BadValue:
            raise RowError(msg("filed_on: {e}", "建档日期：{e}", e=exc.reason), row) from None


def _by_field(raw: dict, names: InputNames) -> dict:
    """A row's cells by the field their column names (`客户名称`: `name`), the first filled one of each."""
    cells: dict = {}
    for key, value in raw.items():
        field = names(key) if key else key
        if field not in cells or _cell(cells, field) is None:
            cells[field] = value
    return cells


def _cell(raw: dict, column: str):
    """The row's cell of `column`, None when blank."""
    value = raw.get(column)
    if isinstance(value, str):
        value = value.strip()
    return None if value in (None, "") else value


def file_imported_owners(ledger: Ledger) -> None:
    """Migration to schema 3: customers imported before it with an owner column become filings."""
    filings = []
    names = customer_list_names()
    for customer in ledger.customers():
        fields = codec.loads(customer["fields"])
        if not isinstance(fields, dict):
            continue
        try:  # the columns as they were kept (`业务员`), by the field they name (`owner`)
            filing = _filing(_by_field(fields, names), customer["imported_at"][:10], None)
        except RowError:
            filing = None  # a day no one can read stays in the customer's fields, as it was
        if filing:
            filings.append(
                (
                    customer["company"],
                    customer["name"],
                    *filing,
                    customer["source"],
                    customer["imported_at"],
                    customer["user_name"],
                )
            )
    if filings:
        ledger.backend.execute_many(
            "INSERT INTO bizops_filings (company, customer, owner, filed_on, source, imported_at, user_name) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company, customer, owner, filed_on) DO NOTHING",
            filings,
        )


# -- corrections -----------------------------------------------------------------------
def reverse(ledger: Ledger, decision_id: int, note: str | None, now: str) -> dict:
    """Record a new decision undoing `decision_id` (see `Books.reverse`), in a transaction of its own.

    The original stays as it was. A decision can be reversed once, and a
    reversal is not reversed (record the decision again instead).
    """
    original = ledger.decision(decision_id)
    if original is None:
        raise UsageError(msg("no decision {i} in the ledger", "账本中没有决定 {i}", i=decision_id))
    books = Books(ledger, original["company"])
    books.begin()
    try:
        result = books.reverse(
            decision_id, note, now, {"user_name": current_user(), "host": current_host(), "recorded_at": recorded_at()}
        )
        books.commit()
    except BaseException:
        books.rollback()
        raise
    return result


# -- backup ----------------------------------------------------------------------------
def backup(ledger: Ledger, dest: Path, force: bool) -> str:
    """Copy the ledger to `dest`: a SQLite file, or (PostgreSQL) every row as JSON Lines. Returns the kind.

    The copy is written beside `dest` and renamed over it once whole, so
    `dest` is never deleted first, and only ever replaced when it is a
    regular file that is neither the ledger nor a database someone may be
    writing (`_may_replace`).
    """
    may_replace(dest, force, ledger)
    partial = dest.with_name(f".{dest.name}.bizops-{os.getpid()}.partial")
    try:
        partial.unlink(missing_ok=True)  # our own name: a copy an earlier run left half written
        if ledger.backend.dialect == "sqlite":
            with ledger.guard():
                ledger.backend.backup(partial)
            kind = "sqlite"
        else:
            _rows_as_jsonl(ledger, partial)
            kind = "jsonl"
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, dest)
    except OSError as exc:
        raise LedgerError(
            msg("cannot write the backup {d}: {e}", "无法写入备份 {d}：{e}", d=dest, e=os_reason(exc))
        ) from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return kind


def _rows_as_jsonl(ledger: Ledger, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        meta = {"schema_version": ledger.version, "location": ledger.location.shown}
        out.write(codec.dumps({"table": "meta", "row": meta}) + "\n")
        for decision in ledger.decisions():
            decision.pop("reversed_by", None)
            out.write(codec.dumps({"table": "decisions", "row": decision}) + "\n")
        for entry in ledger.entries():
            out.write(codec.dumps({"table": "entries", "row": entry}) + "\n")
        for customer in ledger.customers():
            out.write(codec.dumps({"table": "customers", "row": customer}) + "\n")
        for filing in ledger.filings():
            out.write(codec.dumps({"table": "filings", "row": filing}) + "\n")
        for policy in ledger.table("bizops_policies", ("company", "fingerprint", "settings", "recorded_at")):
            out.write(codec.dumps({"table": "policies", "row": policy}) + "\n")


def may_replace(dest: Path, force: bool, ledger: Ledger | None = None) -> None:
    """Refuse a backup target that is not new or a regular file bizops may replace (usage errors, 2).

    Without `ledger`, only what can be told before opening it (the command checks that first).
    """
    if not os.path.lexists(dest):
        if not dest.parent.is_dir():
            raise LedgerError(
                msg(
                    "cannot write the backup {f}: directory {d} does not exist",
                    "无法写入备份 {f}：目录 {d} 不存在",
                    f=dest,
                    d=dest.parent,
                )
            )
        return
    if not force:
        raise UsageError(msg("{f} exists; add --force to overwrite it", "{f} 已存在；加 --force 覆盖", f=dest))
    mode = os.lstat(dest).st_mode
    if not stat.S_ISREG(mode):
        raise UsageError(
            msg(
                "{f} is not a regular file ({k}): a backup only replaces a regular file",
                "{f} 不是普通文件（{k}）：备份只会覆盖普通文件",
                f=dest,
                k=_file_kind(mode),
            )
        )
    if ledger is None:
        return
    if ledger.backend.dialect == "sqlite":
        live = ledger.location.path
        for suffix in ("", "-wal", "-shm", "-journal"):
            twin = Path(str(live) + suffix)
            if twin.exists() and os.path.samefile(twin, dest):
                raise UsageError(
                    msg(
                        "{f} is the ledger itself{s}: back it up to another file",
                        "{f} 就是账本本身{s}：请备份到其他文件",
                        f=dest,
                        s=f" ({suffix[1:]})" if suffix else "",
                    )
                )
    busy = [s for s in ("-wal", "-shm", "-journal") if os.path.lexists(str(dest) + s)]
    if busy or _locked(dest):
        raise UsageError(
            msg(
                "{f} is a database that may be in use{s}: a backup does not replace a file writers may hold",
                "{f} 是可能正在使用的数据库{s}：备份不会覆盖可能有写入者的文件",
                f=dest,
                s=f" ({dest.name}{busy[0]} is beside it)" if busy else "",
            )
        )


def _locked(path: Path) -> bool:
    """Whether `path` is a SQLite database another connection holds a lock on right now."""
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            return False
    try:
        conn = sqlite3.connect(str(path), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN EXCLUSIVE")  # taken only when no connection holds any lock on it
        finally:
            conn.close()
    except sqlite3.Error:
        return True
    return False


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"
