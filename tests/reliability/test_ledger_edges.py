"""The ledger at its edges: huge ids, hand-edited ledgers, passwords, leftover files, backups, a copy on a stick.

Issue 18 items 8 and 10, issue 15's leftover `-wal`/`-shm`, and issue 14's
reproductions of a backup onto the live ledger or a device and of a WAL
ledger read without its `-shm`. Each names the party at fault: a usage
error is 2, a damaged ledger 74 (never the plugin that happened to read it).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess

import pytest
from reliability_support import (
    as_unprivileged,
    assert_contract,
    bizops_command,
    can_drop_root_privileges,
    process_env,
)

HUGE = "99999999999999999999999"


def jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def vat(customer: str, amount: str) -> dict:
    return {"customer": customer, "amount": amount, "new_customer": False, "invoice": "vat"}


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "ledger.db")


@pytest.fixture
def cable(bizops_run, db):
    def invoke(*args, input=None, env=None):
        return bizops_run("--company", "cable", "--db", db, *args, input=input, env=env)

    return invoke


@pytest.fixture
def recorded(cable):
    r = cable("approve-order", "-", "--record", input=jsonl(vat("恒通", "1000"), vat("恒通", "2000")))
    assert_contract(r, 0)
    return cable


# -- item 8: ids and limits too large are usage errors -------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [("ledger", "show", HUGE), ("ledger", "reverse", HUGE), ("ledger", "show", "0"), ("ledger", "show", "x")],
)
def test_a_decision_id_out_of_range_is_a_usage_error(recorded, args):
    r = recorded(*args)
    assert_contract(r, 2)
    assert "a decision id is a whole number from 1 to 9223372036854775807" in r.stderr


@pytest.mark.parametrize("limit", [HUGE, "-1"])
def test_a_list_limit_out_of_range_is_a_usage_error(recorded, limit):
    r = recorded("ledger", "list", "-n", limit)
    assert_contract(r, 2)
    assert "--limit" in r.stderr


# -- item 8: a ledger edited by hand is the ledger's fault -----------------------------------------------
def edit(db: str, *statements: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


@pytest.mark.parametrize("record", [False, True])
def test_a_schema_version_that_is_not_a_number_is_74(recorded, db, record):
    edit(db, "UPDATE bizops_meta SET value = 'abc' WHERE key = 'schema_version'")
    r = recorded("approve-order", "-", *(["--record"] if record else []), input=jsonl(vat("恒通", "5")))
    assert_contract(r, 74)
    assert "holds something bizops did not write (schema_version 'abc')" in r.stderr
    assert "plugin" not in r.stderr
    assert_contract(recorded("ledger", "list"), 74)


def test_an_amount_that_is_not_a_number_is_74(recorded, db):
    edit(db, "UPDATE bizops_balances SET total = 'NaN' WHERE kind = 'vat_pending'")
    r = recorded("approve-order", "-", input=jsonl(vat("恒通", "5")))
    assert_contract(r, 74)
    assert "holds something bizops did not write (amount 'NaN')" in r.stderr and "plugin" not in r.stderr
    edit(db, "DROP TRIGGER bizops_entries_no_update", "UPDATE bizops_entries SET amount = 'NaN' WHERE id = 1")
    check = recorded("ledger", "check", "--format", "json")
    assert_contract(check, 74)
    failed = {c["check"] for c in check.json() if c["status"] == "failed"}
    assert {"amounts", "checksums", "balances"} <= failed


# -- item 10: no part of a password is ever printed ------------------------------------------------------
@pytest.mark.parametrize("extra", [(), ("--record",), ("--debug",)])
def test_a_raw_at_sign_in_a_url_password_never_shows(bizops_run, extra):
    pytest.importorskip("psycopg", reason="the PostgreSQL driver: pip install 'bizops[postgres]'")
    url = "postgresql://u:p@ssw0rd@127.0.0.1:1/x"
    r = bizops_run("--company", "cable", "--db", url, "approve-order", "-", *extra, input=jsonl(vat("A", "1")))
    assert r.exit_code == 69, r  # (--debug adds the traceback, without local variables)
    assert "ssw0rd" not in r.stderr + r.stdout
    assert "cannot reach the ledger server postgresql://u:***@127.0.0.1:1/x" in r.stderr
    info = bizops_run("ledger", "info", "--db", url)
    assert "ssw0rd" not in info.stdout + info.stderr and "u:***@127.0.0.1:1/x" in info.stderr


# -- issue 15: reading leaves no -wal or -shm behind -------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("approve-order", "-"),
        ("ledger", "list"),
        ("ledger", "show", "1"),
        ("ledger", "export"),
        ("ledger", "info"),
        ("ledger", "check"),
    ],
)
def test_reading_the_ledger_leaves_no_wal_or_shm(recorded, db, args):
    assert sorted(os.listdir(os.path.dirname(db))) == ["ledger.db"]
    r = recorded(*args, input=jsonl(vat("恒通", "5")))
    assert_contract(r, 0)
    assert sorted(os.listdir(os.path.dirname(db))) == ["ledger.db"]


# -- issue 14: a backup never destroys what it should not ------------------------------------------------
def test_a_backup_onto_the_live_ledger_is_refused_and_the_ledger_kept(recorded, db, tmp_path):
    before = (tmp_path / "ledger.db").read_bytes()
    for target in (db, str(tmp_path / "." / "ledger.db"), db + "-wal"):
        if target.endswith("-wal"):
            continue  # there is no -wal while nothing writes; its case is below
        r = recorded("ledger", "backup", target, "--force")
        assert_contract(r, 2)
        assert "is the ledger itself" in r.stderr
    assert (tmp_path / "ledger.db").read_bytes() == before
    assert_contract(recorded("ledger", "check"), 0)


def test_a_backup_onto_the_ledger_while_a_writer_records_keeps_every_row(db, tmp_path):
    rows = jsonl(*(vat(f"客户{i % 7}", "10") for i in range(3000)))
    (tmp_path / "orders.jsonl").write_text(rows, encoding="utf-8")
    env = process_env(tmp_path)
    writer = subprocess.Popen(
        bizops_command() + ["--company", "cable", "--db", db, "approve-order", "orders.jsonl", "--record"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    writer.stdout.read(1)  # recording has begun
    backup = subprocess.run(
        bizops_command() + ["ledger", "backup", db, "--force", "--db", db], cwd=tmp_path, env=env, capture_output=True
    )
    out, err = writer.communicate(timeout=120)
    assert backup.returncode == 2, backup.stderr
    assert writer.returncode == 0, err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM bizops_decisions").fetchone()[0] == 1 + len(out.splitlines()) == 3000
    conn.close()


def test_a_backup_never_replaces_a_device_or_a_database_in_use(recorded, db, tmp_path):
    # A device of our own, like /dev/full (root could replace the real one: never risk it on the machine's).
    device = tmp_path / "full"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError:
        device = None  # not root: nothing here could replace a device anyway
    if device is not None:
        r = recorded("ledger", "backup", str(device), "--force")
        assert_contract(r, 2)
        assert "is not a regular file (a device)" in r.stderr
        assert stat.S_ISCHR(os.stat(device).st_mode)
    busy = tmp_path / "other.db"
    holder = sqlite3.connect(busy, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    try:
        r = recorded("ledger", "backup", str(busy), "--force")
        assert_contract(r, 2)
        assert "may be in use" in r.stderr
    finally:
        holder.close()
    (tmp_path / "dir").mkdir()
    assert_contract(recorded("ledger", "backup", str(tmp_path / "dir"), "--force"), 2)
    old = tmp_path / "old-backup.db"
    old.write_bytes(b"an old copy")
    r = recorded("ledger", "backup", str(old), "--force", "--format", "json")
    assert_contract(r, 0)
    assert sqlite3.connect(old).execute("SELECT count(*) FROM bizops_decisions").fetchone()[0] == 2
    assert not [p for p in os.listdir(tmp_path) if ".partial" in p]


# -- issue 14: a WAL ledger copied without its -shm onto a read-only place ---------------------------------
@pytest.mark.skipif(not can_drop_root_privileges(), reason="running as root without setpriv (util-linux)")
def test_a_wal_ledger_without_its_shm_on_a_read_only_mount_is_read_whole(recorded, db, tmp_path):
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("PRAGMA journal_mode = WAL")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM bizops_decisions")  # an open reader: the newest decision stays in the -wal
    r = recorded("approve-order", "-", "--record", input=jsonl(vat("恒通", "7")))
    assert_contract(r, 0)
    stick = tmp_path / "stick"
    stick.mkdir()
    shutil.copy(db, stick / "ledger.db")
    shutil.copy(db + "-wal", stick / "ledger.db-wal")  # no -shm: it is not copied
    reader.close()
    for path in stick.iterdir():
        path.chmod(0o444)
    stick.chmod(0o555)
    try:
        base = bizops_command() + ["--company", "cable", "--db", str(stick / "ledger.db")]
        probe = jsonl(vat("恒通", "0.01")).encode()
        done = subprocess.run(
            as_unprivileged(base + ["approve-order", "-"]),
            cwd=tmp_path,
            env=process_env(tmp_path),
            input=probe,
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["vat_pending_total"] == "3007.01"  # 1000 + 2000 + 7: the -wal's too
        listed = subprocess.run(
            as_unprivileged(base + ["ledger", "list", "--format", "json"]),
            cwd=tmp_path,
            env=process_env(tmp_path),
            capture_output=True,
            timeout=60,
        )
        assert [d["id"] for d in json.loads(listed.stdout)] == [3, 2, 1]
        assert sorted(p.name for p in stick.iterdir()) == ["ledger.db", "ledger.db-wal"]
    finally:
        stick.chmod(0o755)
        for path in stick.iterdir():
            path.chmod(0o644)
