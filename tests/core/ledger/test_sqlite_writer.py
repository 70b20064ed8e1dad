"""`--record` on SQLite with its statements in a second process (`ledger.sqlite_writer`): real processes.

The same books as one process keeps; the writer found and watched in /proc;
each end of either process (the writer killed, the decider killed, Ctrl-C to
both) leaves printed ⊆ recorded = what stderr says, and a ledger that checks.
"""

from __future__ import annotations

import gc
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ledger_support import Db, subprocess_env
from test_ledger_stops import RECORDED, check, no_input, orders, said, stored, wait_for


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def recording(db: str, tmp_path, *extra: str) -> subprocess.Popen:
    """`approve-order --record` reading its rows from a pipe the test writes, printing into `out.jsonl`.

    (Not a pipe: a test writing rows while nobody reads what they print would fill it and wait forever.)
    """
    with open(tmp_path / "out.jsonl", "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bizops", "--company", "cable", "--db", db, "approve-order", "-", "--record"]
            + ["--format", "jsonl", *extra],
            cwd=tmp_path,
            env=subprocess_env(tmp_path),
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.PIPE,
        )


def printed(proc: subprocess.Popen, tmp_path) -> tuple[bytes, bytes]:
    """What the run printed (out.jsonl) and said (stderr), once it ended."""
    _, err = proc.communicate(timeout=120)
    return (tmp_path / "out.jsonl").read_bytes(), err


def feed(proc: subprocess.Popen, data: bytes) -> None:
    assert proc.stdin is not None
    proc.stdin.write(data)
    proc.stdin.flush()


def books(path: str) -> dict:
    """What a ledger holds, read with sqlite3, without what differs from run to run (times, checksums, batches)."""
    conn = sqlite3.connect(path)
    try:
        return {
            "decisions": conn.execute(
                "SELECT id, row_label, customer, status, inputs, outputs, outputs_zh, entry_count, request_id "
                "FROM bizops_decisions ORDER BY id"
            ).fetchall(),
            "entries": conn.execute("SELECT * FROM bizops_entries ORDER BY id").fetchall(),
            "reads": conn.execute("SELECT * FROM bizops_reads ORDER BY decision_id, kind, key").fetchall(),
            "identities": conn.execute("SELECT * FROM bizops_identities ORDER BY request_id").fetchall(),
            # not `changed`: the last decision of the batch that wrote it (batches end as the input comes)
            "balances": conn.execute(
                "SELECT company, kind, key, total, entries, value, value_decision, value_seq FROM bizops_balances "
                "ORDER BY kind, key"
            ).fetchall(),
        }
    finally:
        conn.close()


def test_a_piped_stream_is_written_by_a_second_process_into_the_books_one_process_keeps(sqlite_db, tmp_path):
    two, one = str(tmp_path / "two.db"), str(tmp_path / "one.db")
    data = orders(3000, "W")
    outputs, writers = {}, {}
    for db, extra in ((two, ()), (one, ("--jobs", "1"))):
        proc = recording(db, tmp_path, *extra)
        feed(proc, data[: len(data) // 2])
        wait_for(lambda db=db: stored(Db("sqlite", db)) > 0)
        writers[db] = children(proc.pid)
        feed(proc, data[len(data) // 2 :])
        no_input(proc)
        out, err = printed(proc, tmp_path)
        assert proc.returncode == 0, err
        outputs[db] = out
    assert len(writers[two]) == 1 and writers[one] == []  # a writer process, and under --jobs 1 none
    assert outputs[two] == outputs[one] and len(outputs[two].splitlines()) == 3000
    assert books(two) == books(one)
    assert stored(Db("sqlite", two)) == 3000 and books(two)["balances"]
    for db in (two, one):
        done = subprocess.run(
            [sys.executable, "-m", "bizops", "ledger", "check", "--db", db],
            cwd=tmp_path,
            env=subprocess_env(tmp_path),
            capture_output=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr  # every checksum sealed in the writer holds


def test_the_writer_process_killed_ends_the_run_saying_what_was_recorded(sqlite_db, tmp_path):
    proc = recording(sqlite_db.url, tmp_path)
    feed(proc, orders(100, "D"))
    wait_for(lambda: stored(sqlite_db) == 100)  # no row ready after them: committed
    (writer,) = children(proc.pid)
    os.kill(writer, signal.SIGKILL)
    feed(proc, orders(100, "D", start=100))
    no_input(proc)
    out, err = printed(proc, tmp_path)
    assert proc.returncode == 74, err
    assert b"the process writing it ended unexpectedly" in err
    assert said(err) == stored(sqlite_db) == 100
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["ok"] * 100
    check(sqlite_db, tmp_path)


def test_the_deciding_process_killed_leaves_no_writer_holding_the_ledger(sqlite_db, tmp_path):
    proc = recording(sqlite_db.url, tmp_path)
    feed(proc, orders(50, "P"))
    wait_for(lambda: stored(sqlite_db) == 50)
    (writer,) = children(proc.pid)
    feed(proc, orders(2000, "P", start=50))  # a batch in the writer's hands, not committed
    proc.kill()
    out, _ = printed(proc, tmp_path)
    wait_for(lambda: not alive(writer), seconds=10)  # it read the end of its socket and went
    assert 50 <= len(out.splitlines()) <= stored(sqlite_db)
    check(sqlite_db, tmp_path)
    # Nobody holds the write lock: a run that may wait 1 s for it records at once.
    done = subprocess.run(
        [sys.executable, "-m", "bizops", "--company", "cable", "--db", sqlite_db.url, "approve-order", "-", "--record"],
        cwd=tmp_path,
        env=subprocess_env(tmp_path, BIZOPS_LEDGER_TIMEOUT="1"),
        input=orders(2050, "P"),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert stored(sqlite_db) == 2050


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_a_signal_to_both_processes_ends_the_run_as_one_process_would(sqlite_db, tmp_path, how):
    """Ctrl-C in a terminal reaches the whole process group: the writer ignores it, the decider ends the run."""
    (tmp_path / "orders.jsonl").write_bytes(orders(20_000, None))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bizops", "--company", "cable", "--db", sqlite_db.url, "approve-order"]
        + ["orders.jsonl", "--record", "--format", "jsonl"],
        cwd=tmp_path,
        env=subprocess_env(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    wait_for(lambda: stored(sqlite_db) >= 50)
    writers = children(proc.pid)
    os.killpg(proc.pid, getattr(signal, how))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err.endswith(b"bizops: interrupted\n"), err
    assert RECORDED.search(err.decode())
    recorded = said(err)
    assert recorded == stored(sqlite_db) > 0
    unprinted = re.search(rb"the results of the last (\d+) recorded were not printed", err)
    assert len(out.splitlines()) + (int(unprinted.group(1)) if unprinted else 0) == recorded, err
    for writer in writers:
        wait_for(lambda writer=writer: not alive(writer), seconds=10)
    check(sqlite_db, tmp_path)


def test_rows_given_as_flags_are_recorded_in_one_process(sqlite_db, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "bizops", "--company", "cable", "--db", sqlite_db.url, "approve-order", "--record"]
        + ["--customer", "恒通电器", "--amount", "1200.00", "--order-id", "F-1", "--city", "广州"],
        cwd=tmp_path,
        env=subprocess_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen: set[int] = set()
    while proc.poll() is None:
        seen.update(children(proc.pid))
        time.sleep(0.002)
    assert proc.returncode in (0, 1), proc.stderr.read() if proc.stderr else b""
    assert not seen and stored(sqlite_db) == 1


def test_a_digest_worked_out_by_the_writer_reads_the_inputs_back_exactly():
    """The writer digests a request from its stored inputs' text; what it reads back is what was digested."""
    from bizops.core.ledger import codec
    from bizops.core.ledger.replay import Identity

    inputs = {"order_id": "O-1", "amount": "1200.00", "count": 2**70, "lines": [{"qty": 2**64}, "x"], "vat": True}
    text = codec.dumps(inputs, sort=False)
    assert codec.plain_loads(text) == inputs  # integers beyond 64 bits stay integers (orjson reads them as floats)
    spec = type("Spec", (), {"identity": "order_id", "inputs": ()})()
    identity = Identity(spec, None)
    assert identity.digest(codec.plain_loads(text)) == identity.digest(inputs)


def test_the_json_a_batch_holds_is_kept_in_blocks_of_its_own_size():
    """A recorded row's outputs and inputs wait as bytes for their batch to commit (a writer process takes them
    so, `Recorder.json_bytes`); orjson returns even 300 bytes in a 4 KiB block, and 4,000 rows held so made 16 MB
    more memory for the system to fault in (measured slower than decoding them), so they are copied to fit."""
    import tracemalloc

    from bizops.core.ledger import codec

    outputs = {"company": "cable", "customer": "客户138", "amount": "1161.54", "status": "ok", "warnings": []}
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [codec.compact(codec.dumped(outputs, sort=False)) for _ in range(4000)]
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept[0] == codec.dumps(outputs, sort=False).encode()
    assert held < 4000 * 400  # each about its 128 bytes and a header, not a 4 KiB block


@pytest.mark.parametrize("jobs", ["auto", "1"], ids=["writer process", "one process"])
def test_the_garbage_collector_passes_after_batches_and_is_as_it_was_after(bizops_run, sqlite_db, jobs):
    """Held back amid batches (its passes over a batch's held rows cost 7%), it passes once each batch is
    printed: not while its commit is waited for, when the batch is still held (a pass then took 10–12 ms
    where one after printing takes 2–3)."""
    from bizops.core.outcomes import Encoded

    paused_passes: list[int] = []  # the generations collected while automatic passes were held back
    results_held: list[int] = []  # recorded results alive at each of those passes
    thresholds = gc.get_threshold()

    def seen(phase: str, info: dict) -> None:
        if phase == "start" and gc.get_threshold() != thresholds:
            paused_passes.append(info["generation"])
            results_held.append(sum(type(o) is Encoded for o in gc.get_objects()))

    gc.callbacks.append(seen)
    try:
        order = ("--company", "cable", "--db", sqlite_db.url, "approve-order", "-", "--record", "--jobs", jobs)
        done = bizops_run(*order, input=orders(600, "G").decode())  # batches of 1, 8, 64, 512 and 15
    finally:
        gc.callbacks.remove(seen)
    assert done.exit_code == 0, done
    assert stored(sqlite_db) == 600 and len(done.rows()) == 600
    # a pass after each batch is printed, older objects every other one; by then its results are freed (but
    # the last one printed, which the stream holds until it asks for the next)
    assert paused_passes == [1, 0, 1, 0, 1], paused_passes
    assert max(results_held) <= 1, results_held
    assert gc.get_threshold() == thresholds


def test_garbage_amid_a_batch_is_still_collected_once_there_is_much_of_it(bizops_run, sqlite_db, monkeypatch):
    """A careless plugin's cycles do not pile up until the commit: past `YOUNG_LIMIT` new objects, a pass runs."""
    from bizops.core.ledger import record

    monkeypatch.setattr(record, "YOUNG_LIMIT", 500)  # 100,000 in a real run; a row makes a few dozen objects
    passes: list[int] = []
    thresholds = gc.get_threshold()

    def seen(phase: str, info: dict) -> None:
        if phase == "start" and gc.get_threshold() != thresholds:  # during the run (the five commits' too)
            passes.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        order = ("--company", "cable", "--db", sqlite_db.url, "approve-order", "-", "--record", "--jobs", "1")
        done = bizops_run(*order, input=orders(600, "H").decode())
    finally:
        gc.callbacks.remove(seen)
    assert done.exit_code == 0 and stored(sqlite_db) == 600, done
    assert len(passes) > 5  # more than the five commits' passes: the limit holds amid the batch of 512
    assert gc.get_threshold() == thresholds


def test_no_room_for_the_writer_process_is_exit_74_with_the_way_round_it(bizops_run, sqlite_db, monkeypatch):
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    order = ("--company", "cable", "--db", sqlite_db.url, "approve-order", "-", "--record")
    failed = bizops_run(*order, input=orders(3, "F").decode())
    assert failed.exit_code == 74, failed
    assert "cannot start the process that writes it" in failed.stderr and "--jobs 1" in failed.stderr
    assert stored(sqlite_db) == 0
    done = bizops_run(*order, "--jobs", "1", input=orders(3, "F").decode())
    assert done.exit_code == 0, done
    assert stored(sqlite_db) == 3
