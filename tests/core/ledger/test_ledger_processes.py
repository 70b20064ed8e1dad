"""Real processes against one ledger: concurrent writers lose nothing; a killed writer leaves no half decision."""

from __future__ import annotations

import itertools
import json
import resource
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from ledger_support import TALLY, bizops_process, subprocess_env


def orders(customer: str, amounts) -> bytes:
    return "".join(json.dumps({"customer": customer, "amount": str(a)}) + "\n" for a in amounts).encode()


def tally_args(db, *args) -> list[str]:
    return ["--plugin", TALLY, "--company", "tally", "--db", db.url, *args]


def wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def decisions(db) -> int:
    try:
        return db.sql("SELECT count(*) FROM bizops_decisions")[0][0]
    except Exception:
        return 0


def test_two_processes_recording_for_one_customer_lose_no_accumulation(db, tmp_path):
    """Both start on a ledger that does not exist yet, then interleave row by row."""
    first, second = range(21, 41), range(100, 2100, 100)  # (13 is refused by tally)
    env = {"TALLY_SLEEP": "0.005"}  # read, wait, then write: a lost update would show
    procs = [bizops_process(tally_args(db, "approve-order", "-", "--record"), tmp_path, **env) for _ in range(2)]
    outs = []
    for proc, amounts in zip(procs, (first, second)):
        proc.stdin.write(orders("ACME", amounts))
        proc.stdin.close()
    for proc in procs:
        out, err = proc.stdout.read(), proc.stderr.read()
        assert proc.wait(60) == 0, err.decode()
        outs += [json.loads(line) for line in out.splitlines()]
    expected = sum(first) + sum(second)
    assert len(outs) == 40
    # Serialised: sorted by what each saw before, every order starts where the previous one ended.
    chain = sorted(outs, key=lambda o: Decimal(o["before"]))
    assert chain[0]["before"] == "0.00"
    for earlier, later in itertools.pairwise(chain):
        assert earlier["after"] == later["before"]
    assert Decimal(chain[-1]["after"]) == expected
    final = subprocess.run(
        [sys.executable, "-m", "bizops", *tally_args(db, "approve-order", "--customer", "ACME", "--amount", "1")],
        env=subprocess_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert json.loads(final.stdout)["before"] == f"{expected}.00"


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_writer_stopped_mid_record_leaves_the_ledger_consistent(db, tmp_path, how):
    """Each decision writes four entries with pauses between them; stop the writer in the middle of one."""
    proc = bizops_process(
        tally_args(db, "approve-order", "-", "--record"), tmp_path, TALLY_SLEEP="0.02", TALLY_ENTRIES="3"
    )
    proc.stdin.write(orders("ACME", range(1, 301)))  # tally refuses 13: recorded all the same
    proc.stdin.close()
    wait_for(lambda: decisions(db) >= 3)
    time.sleep(0.05)  # well inside the next row's transaction
    proc.send_signal(getattr(signal, how))
    code = proc.wait(30)
    err = proc.stderr.read().decode()
    if how == "SIGKILL":
        assert code == -signal.SIGKILL
    else:
        assert code == 130 and "interrupted" in err, err
    printed = len(proc.stdout.read().splitlines())
    stored = decisions(db)
    assert 3 <= stored < 300
    assert printed <= stored  # a result is printed only once its decision is committed
    counts = db.sql(
        "SELECT d.entry_count, (SELECT count(*) FROM bizops_entries e WHERE e.decision_id = d.id) "
        "FROM bizops_decisions d"
    )
    assert counts == [(4, 4)] * stored  # every decision whole; no partial one
    env = subprocess_env(tmp_path)
    check = subprocess.run(
        [sys.executable, "-m", "bizops", "ledger", "check", "--db", db.url, "--format", "json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    # The lock died with the writer: the next one records at once.
    after = subprocess.run(
        [
            sys.executable,
            "-m",
            "bizops",
            *tally_args(db, "approve-order", "--customer", "ACME", "--amount", "1", "--record"),
        ],
        env={**env, "BIZOPS_LEDGER_TIMEOUT": "5"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["before"] == f"{sum(range(1, stored + 1))}.00"


def test_a_full_disk_is_exit_74_and_records_nothing(sqlite_db, tmp_path):
    env = subprocess_env(tmp_path)
    base = [sys.executable, "-m", "bizops", *tally_args(sqlite_db, "approve-order", "--record")]
    first = subprocess.run(
        base + ["--customer", "ACME", "--amount", "5"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr

    def small_files():  # in the child: no file may grow past 2 KiB, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    full = subprocess.run(
        base + ["--customer", "ACME", "--amount", "7"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=small_files,
    )
    assert full.returncode == 74, full.stderr
    assert "Traceback" not in full.stderr
    assert "disk is full" in full.stderr or "I/O error" in full.stderr
    assert sqlite_db.sql("SELECT count(*) FROM bizops_decisions")[0][0] == 1
    again = subprocess.run(
        base + ["--customer", "ACME", "--amount", "7"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert json.loads(again.stdout)["before"] == "5.00"


def test_two_processes_recording_the_same_orders_record_each_once(db, tmp_path):
    """Both are fed one order book at once, a few rows at a time: each order is recorded by one of them and
    shown as recorded by the other.

    Each batch's ids are looked up before its lock (`Books.look_ahead`);
    an id the other process records meanwhile is refused by the ledger's
    unique identities when the batch stores it, and the batch runs again,
    unseen, finding it recorded.
    """
    lines = [
        json.dumps(
            {
                "order_id": f"O-{i}",
                "customer": f"客户{i % 5}",
                "amount": f"{100 + 37 * i}.{i % 100:02d}",
                "city": "广州",
                "settlement": "cash",
                "invoice": "vat" if i % 3 else "ordinary",
            },
            ensure_ascii=False,
        ).encode()
        + b"\n"
        for i in range(600)
    ]
    args = ["--company", "cable", "--db", db.url, "approve-order", "-", "--record"]
    procs = [bizops_process(args, tmp_path) for _ in range(2)]
    drained: dict = {}
    readers = [
        threading.Thread(target=lambda s=stream: drained.__setitem__(s, s.read()))
        for proc in procs
        for stream in (proc.stdout, proc.stderr)
    ]
    for reader in readers:
        reader.start()
    for start in range(0, len(lines), 20):  # the same rows to both at once: their batches overlap
        for proc in procs if start % 40 else procs[::-1]:
            proc.stdin.write(b"".join(lines[start : start + 20]))
            proc.stdin.flush()
    outputs = []
    for proc in procs:
        proc.stdin.close()
        proc.wait(120)
    for reader in readers:
        reader.join()
    for proc in procs:
        assert proc.returncode == 0, drained[proc.stderr].decode()
        outputs.append([json.loads(line) for line in drained[proc.stdout].splitlines()])
    assert db.sql("SELECT count(*), count(DISTINCT request_id) FROM bizops_decisions") == [(600, 600)]
    replayed = 0
    for mine, theirs in zip(*outputs, strict=True):  # row by row, as the book has them
        assert {k: v for k, v in mine.items() if k != "warnings"} == {
            k: v for k, v in theirs.items() if k != "warnings"
        }
        replayed += sum("already recorded" in " ".join(o["warnings"]) for o in (mine, theirs))
    assert replayed == 600  # each order shown as recorded by exactly one of the two
    check = subprocess.run(
        [sys.executable, "-m", "bizops", "ledger", "check", "--db", db.url],
        env=subprocess_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("inputs", ["same", "other", "invalid"])
def test_an_order_recorded_while_a_writer_waits_for_the_lock_is_answered_as_recorded(
    db, tmp_path, monkeypatch, bizops_run, inputs
):
    """Another process records an order after this one looked its batch's ids up (`Books.look_ahead`) and
    before it took the lock. This one answers the order as it would after that process: shown as
    recorded (the same inputs), or refused naming the recorded decision (other inputs, and an invalid
    row too, which stores nothing the identities' key could refuse). Nothing is recorded twice, and the
    batch run again counts the row replayed beside it once (found: twice)."""
    from bizops.core.ledger.books import Books

    def order(order_id: str, amount: str, **changes) -> str:
        row = {"order_id": order_id, "customer": "恒通", "amount": amount, "city": "广州", "settlement": "cash"}
        return json.dumps(dict(row, invoice="vat", **changes), ensure_ascii=False) + "\n"

    args = ("--company", "cable", "--db", db.url, "approve-order", "-", "--record")
    assert bizops_run(*args, input=order("O-1", "100")).exit_code == 0
    look_ahead, recorded = Books.look_ahead, []

    def meanwhile(books, command, ids):
        ahead = look_ahead(books, command, ids)
        if "O-2" in ids and not recorded:  # once: the batch run again looks its ids up after it
            done = subprocess.run(
                [sys.executable, "-m", "bizops", *args],
                input=order("O-2", "3000").encode(),
                env=subprocess_env(tmp_path),
                cwd=tmp_path,
                capture_output=True,
            )
            recorded.append(json.loads(done.stdout))
        return ahead

    monkeypatch.setattr(Books, "look_ahead", meanwhile)
    row = {
        "same": order("O-2", "3000"),
        "other": order("O-2", "3500"),
        "invalid": order("O-2", "3000", customer="新客户", new_customer=True, city=None),  # its terms need its city
    }[inputs]
    # The first batch is one row (O-3, decision 2); the second holds O-1, recorded before, and O-2 (decision 3).
    book = order("O-3", "50") + order("O-1", "100") + row
    r = bizops_run(*args, "--jobs", "1", input=book)  # one process: no SQLite writer to ask under the lock
    new, replayed, answered = r.rows()
    assert new["amount"] == "50.00" and not any("already recorded" in w for w in new["warnings"])
    assert replayed["warnings"][-1].startswith("already recorded as decision 1 (")
    if inputs == "same":
        assert r.exit_code == 0, r
        assert {k: v for k, v in answered.items() if k != "warnings"} == {
            k: v for k, v in recorded[0].items() if k != "warnings"
        }
        assert answered["warnings"][-1].startswith("already recorded as decision 3 (")
        assert "warning: 2 rows already recorded with the same inputs" in r.stderr
    else:
        assert r.exit_code == 1, r
        assert answered["status"] == "refused"
        assert answered["reason"].startswith("order_id O-2 was recorded as decision 3 (")
        assert "warning: 1 row already recorded with the same inputs" in r.stderr
    assert db.sql("SELECT count(*), count(DISTINCT request_id) FROM bizops_decisions") == [(3, 3)]
