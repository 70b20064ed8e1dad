"""The ledger under faults, through the cable maker's VAT accumulation (a real history-dependent rule).

A customer below 5,000 on a VAT invoice accumulates; whatever goes wrong —
a killed writer, a full disk, a read-only place, a held lock, a ledger from a
newer bizops, an import run twice — no yuan of that accumulation is lost or
counted twice. (The ledger's own suite, tests/core/ledger, tries the same
faults on a test plugin and on PostgreSQL.)
"""

from __future__ import annotations

import json
import re
import resource
import signal
import sqlite3
import subprocess
import time

import pytest
from reliability_support import (
    as_unprivileged,
    assert_contract,
    bizops_command,
    can_drop_root_privileges,
    process_env,
    run_process,
)


def vat_order(customer: str, amount: str) -> dict:
    return {"customer": customer, "amount": amount, "new_customer": False, "invoice": "vat"}


def jsonl(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "books" / "ledger.db")


@pytest.fixture
def ledger(bizops_run, db, tmp_path):
    """`ledger(*args)`: the cable maker's bizops on the ledger `db`."""
    (tmp_path / "books").mkdir()

    def invoke(*args, input=None, env=None):
        return bizops_run("--company", "cable", "--db", db, *args, input=input, env=env)

    return invoke


def pending(ledger, customer: str) -> str:
    """The customer's pending VAT total as the ledger has it (read with a 0.01 probe order, not recorded)."""
    r = ledger("approve-order", "-", input=jsonl([vat_order(customer, "0.01")]))
    assert_contract(r, 0)
    total = r.rows()[0]["vat_pending_total"]
    cents = int(total.replace(".", "")) - 1
    return f"{cents // 100}.{cents % 100:02d}"


def decisions(db: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM bizops_decisions").fetchone()[0]
    finally:
        conn.close()


def test_vat_accumulates_across_runs_only_when_recorded(ledger):
    assert_contract(
        ledger(
            "approve-order",
            "-",
            input=jsonl([vat_order("恒通", "1200")]),
        ),
        0,
    )
    assert pending(ledger, "恒通") == "0.00"  # not recorded: nothing kept
    r = ledger("approve-order", "-", "--record", input=jsonl([vat_order("恒通", "1200"), vat_order("恒通", "3000.50")]))
    assert_contract(r, 0)
    assert [x["vat_pending_total"] for x in r.rows()] == ["1200.00", "4200.50"]
    assert pending(ledger, "恒通") == "4200.50"
    r = ledger("approve-order", "-", "--record", input=jsonl([vat_order("恒通", "799.50")]))
    assert (r.rows()[0]["invoice"], r.rows()[0]["vat_invoice_amount"]) == ("vat", "5000.00")
    assert pending(ledger, "恒通") == "0.00"


def test_a_bad_row_under_record_records_nothing_for_it(ledger, db):
    r = ledger(
        "approve-order",
        "-",
        "--record",
        input=jsonl(
            [vat_order("恒通", "1000"), vat_order("恒通", "2万"), vat_order("恒通", "-500"), vat_order("恒通", "2000")]
        ),
    )
    assert_contract(r, 65)
    assert [x["vat_pending_total"] for x in r.rows()] == ["1000.00", "3000.00"]
    assert decisions(db) == 2
    assert pending(ledger, "恒通") == "3000.00"


def test_a_writer_killed_mid_stream_loses_no_accumulation(ledger, db, tmp_path):
    rows = [vat_order(f"客户{i % 7}", f"{(i * 37) % 900 + 1}.25") for i in range(20_000)]
    (tmp_path / "orders.jsonl").write_text(jsonl(rows), encoding="utf-8")
    proc = subprocess.Popen(
        bizops_command() + ["--company", "cable", "--db", db, "approve-order", "orders.jsonl", "--record"],
        cwd=tmp_path,
        env=process_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.read(1)
    time.sleep(0.3)
    proc.kill()  # kill -9: no handler runs, SQLite's journal must do the work
    proc.communicate(timeout=30)
    stored = decisions(db)
    assert 0 < stored < len(rows)
    check = ledger("ledger", "check", "--format", "json")
    assert_contract(check, 0)
    # Recording the first `stored` rows afresh gives the same pending totals: the last one was all or nothing.
    fresh = run_process(
        ["--company", "cable", "--db", str(tmp_path / "fresh.db"), "approve-order", "-", "--record"],
        tmp_path,
        input=jsonl(rows[:stored]).encode(),
    )
    assert fresh.returncode == 0
    for customer in {r["customer"] for r in rows[:stored]}:
        probe = jsonl([vat_order(customer, "0.01")]).encode()
        left = run_process(["--company", "cable", "--db", db, "approve-order", "-"], tmp_path, input=probe)
        right = run_process(
            ["--company", "cable", "--db", str(tmp_path / "fresh.db"), "approve-order", "-"], tmp_path, input=probe
        )
        assert json.loads(left.stdout)["vat_pending_total"] == json.loads(right.stdout)["vat_pending_total"]


def test_a_full_disk_is_exit_74_and_the_accumulation_is_intact(ledger, db, tmp_path):
    assert_contract(ledger("approve-order", "-", "--record", input=jsonl([vat_order("恒通", "1000")])), 0)
    size = (tmp_path / "books" / "ledger.db").stat().st_size

    def full_disk():  # in the child: no file may grow, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    many = jsonl([vat_order("恒通", "10")] * 200 + [vat_order(f"新{i}", "10") for i in range(200)])
    done = subprocess.run(
        bizops_command() + ["--company", "cable", "--db", db, "approve-order", "-", "--record"],
        cwd=tmp_path,
        env=process_env(tmp_path),
        input=many.encode(),
        capture_output=True,
        preexec_fn=full_disk,
        timeout=60,
    )
    assert done.returncode == 74, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"disk is full" in done.stderr or b"I/O error" in done.stderr
    printed = len(done.stdout.splitlines())
    recorded = re.search(rb"bizops: recorded (\d+) rows? \(rows 1 to \d+\) before the run stopped", done.stderr)
    assert recorded or b"bizops: nothing was recorded" in done.stderr, done.stderr
    # Whatever was printed was recorded, nothing after; stderr says exactly how many rows that is.
    assert decisions(db) == 1 + printed == 1 + (int(recorded.group(1)) if recorded else 0)
    expected = 1000 + 10 * min(printed, 200)
    assert pending(ledger, "恒通") == f"{expected}.00"
    assert_contract(ledger("ledger", "check"), 0)


@pytest.mark.skipif(not can_drop_root_privileges(), reason="running as root without setpriv (util-linux)")
def test_a_read_only_ledger_is_exit_74_for_writing_and_still_read(ledger, db, tmp_path):
    assert_contract(ledger("approve-order", "-", "--record", input=jsonl([vat_order("恒通", "1000")])), 0)
    books = tmp_path / "books"
    for path in books.iterdir():
        path.chmod(0o444)
    books.chmod(0o555)
    try:
        base = bizops_command() + ["--company", "cable", "--db", db, "approve-order", "-"]
        order = jsonl([vat_order("恒通", "500")]).encode()
        done = subprocess.run(
            as_unprivileged(base + ["--record"]),
            cwd=tmp_path,
            env=process_env(tmp_path),
            input=order,
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 74, done.stderr
        assert b"read-only: cannot record" in done.stderr and b"Traceback" not in done.stderr
        reading = subprocess.run(
            as_unprivileged(base), cwd=tmp_path, env=process_env(tmp_path), input=order, capture_output=True, timeout=60
        )
        assert reading.returncode == 0, reading.stderr
        assert json.loads(reading.stdout)["vat_pending_total"] == "1500.00"
    finally:
        books.chmod(0o755)
        for path in books.iterdir():
            path.chmod(0o644)


def test_a_lock_held_past_the_timeout_is_exit_75_and_safe_to_retry(ledger, db):
    assert_contract(ledger("approve-order", "-", "--record", input=jsonl([vat_order("恒通", "1000")])), 0)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        r = ledger(
            "approve-order",
            "-",
            "--record",
            input=jsonl([vat_order("恒通", "2000")]),
            env={"BIZOPS_LEDGER_TIMEOUT": "0.5"},
        )
        assert_contract(r, 75)
        assert time.monotonic() - started >= 0.5
        assert "is busy: another bizops is writing it (waited 0.5 s); try again" in r.stderr
        assert r.stdout == ""
        assert pending(ledger, "恒通") == "1000.00"  # readers do not wait for the writer
    finally:
        holder.rollback()
        holder.close()
    r = ledger("approve-order", "-", "--record", input=jsonl([vat_order("恒通", "2000")]))  # the retry
    assert_contract(r, 0)
    assert pending(ledger, "恒通") == "3000.00"


def test_a_ledger_from_a_newer_bizops_is_refused_untouched(ledger, db):
    assert_contract(ledger("approve-order", "-", "--record", input=jsonl([vat_order("恒通", "1000")])), 0)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE bizops_meta SET value = '999' WHERE key = 'schema_version'")
    conn.close()
    for extra in ((), ("--record",)):
        r = ledger("approve-order", "-", *extra, input=jsonl([vat_order("恒通", "500")]))
        assert_contract(r, 78)
        assert "has schema version 999, newer than this bizops understands" in r.stderr
    assert decisions(db) == 1


def test_importing_the_same_customers_twice_counts_them_once(ledger, db, tmp_path):
    (tmp_path / "customers.csv").write_text(
        "客户名称,城市\n恒通电器,广州\n粤海线缆,深圳\n恒通电器,广州\n", encoding="utf-8"
    )
    first = ledger("ledger", "import-customers", "customers.csv", "--format", "json")
    second = ledger("ledger", "import-customers", "customers.csv", "--format", "json")
    assert_contract(first, 0)
    assert_contract(second, 0)
    assert (first.json()[0]["added"], second.json()[0]["added"]) == (2, 0)
    assert second.json()[0]["known"] == 3
    r = ledger(
        "approve-order",
        "-",
        input=jsonl(
            [{"customer": "恒通电器", "amount": "800"}, {"customer": "新客户", "amount": "800", "city": "广州"}]
        ),
    )
    assert_contract(r, 0)
    assert [x["new_customer"] for x in r.rows()] == [False, True]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM bizops_customers").fetchone()[0] == 2
    conn.close()


def test_a_ledger_path_that_is_not_a_ledger_or_has_no_directory(bizops_run, tmp_path):
    (tmp_path / "junk.db").write_bytes(b"not a database " * 200)
    for db, message in (
        (str(tmp_path / "junk.db"), "is not a bizops ledger"),
        (str(tmp_path / "none" / "l.db"), "does not exist"),
        (str(tmp_path), "is a directory"),
    ):
        for extra in ((), ("--record",)):
            r = bizops_run(
                "--company",
                "cable",
                "--db",
                db,
                "approve-order",
                "--customer",
                "A",
                "--amount",
                "1",
                "--no-new-customer",
                *extra,
            )
            assert_contract(r, 74)
            assert message in r.stderr, r.stderr
