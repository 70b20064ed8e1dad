#!/usr/bin/env python3
"""The ledger's targets (issue 14), in one run: history in constant time, recording at stream speed, writers at once.

Usage: python bench/ledger.py [--runs R] [--big N]

Prints, each as the kit's alternating A/B runs and a target line:
1. history reads: 2,000 cable orders read (not recorded) against a ledger of
   N (default 1,000,000) recorded decisions, against one of a single
   decision (target: at most 1.2x the time);
2. `--record` against read-only, 10,000 orders, on SQLite (target: at least
   half the read-only speed) and on PostgreSQL (at least a quarter);
3. four concurrent `--record` writers on PostgreSQL against one writer
   recording the same 40,000 orders (target: total throughput at least one
   writer's).
PostgreSQL parts run when BIZOPS_BENCH_POSTGRES (else BIZOPS_TEST_POSTGRES)
names a database the bench may create schemas in. The big ledger is
recorded once with `bizops --record` (a real ledger: decisions, entries,
balances, reads, identities) and kept in bench/out/. Exits 1 if a target is
not met. Orders spread over 400 customers (20,000 for the big ledger), as
an office's books would.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from common import OUT, bizops, compare, compile_bytecode, machine


def write_orders(path: Path, count: int, *, customers: int, prefix: str, seed: int) -> Path:
    """`count` cable orders with an `order_id`, as JSON Lines (made once, then reused)."""
    if path.exists():
        return path
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            row = {
                "order_id": f"{prefix}-{i}",
                "customer": f"客户{rng.randrange(customers)}",
                "amount": f"{rng.randint(100, 6000)}.{rng.randint(0, 99):02d}",
                "new_customer": rng.random() < 0.05,
                "city": "广州",
                "settlement": rng.choice(("cash", "credit")),
                "invoice": rng.choice(("vat", "vat", "ordinary")),
            }
            if row["new_customer"]:
                del row["new_customer"]  # the ledger says whether the customer is known
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def record(exe: str, db: str, path: Path) -> None:
    done = subprocess.run(
        [exe, "--company", "cable", "--db", db, "approve-order", str(path), "--record"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode not in (0, 1):
        sys.exit(f"bench: recording {path} failed ({done.returncode}): {done.stderr}")


def decisions(db: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM bizops_decisions").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def big_ledger(exe: str, count: int) -> str:
    """A SQLite ledger of `count` recorded decisions over 20,000 customers, recorded once with bizops.

    Built under another name and renamed when whole, so an interrupted build is started again, never used.
    """
    db = OUT / f"ledger-{count}.db"
    if decisions(str(db)) == count:
        return str(db)
    building = OUT / f"ledger-{count}.building.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    chunk = min(count, 100_000)
    started = time.monotonic()
    for part, first in enumerate(range(0, count, chunk)):
        path = write_orders(
            OUT / f"ledger-{count}-part{part}.jsonl",
            min(chunk, count - first),
            customers=20_000,
            prefix=f"B{part}",
            seed=part,
        )
        record(exe, str(building), path)
        path.unlink()
        print(f"  big ledger: {first + chunk:,} decisions recorded ({time.monotonic() - started:.0f} s)", flush=True)
    building.rename(db)
    return str(db)


def ratio_of(line: str) -> float:
    return float(line.split("median=")[1].split()[0])


def target(name: str, value: float, met: bool, goal: str) -> bool:
    print(f"{name} target ({goal}): {'met' if met else 'NOT met'} ({value:.2f})")
    return met


def postgres_base() -> str | None:
    return os.environ.get("BIZOPS_BENCH_POSTGRES") or os.environ.get("BIZOPS_TEST_POSTGRES") or None


def schema_url(base: str, schema: str) -> str:
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


def fresh_schema(base: str, schema: str) -> str:
    """A shell command emptying `schema` on the server (part of each timed recording: a ledger from nothing)."""
    sql = f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
    return f"psql -q {shlex.quote(base)} -c {shlex.quote(sql)} >/dev/null 2>&1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", type=int, default=1_000_000, help="decisions in the big ledger")
    args = parser.parse_args()
    compile_bytecode()
    OUT.mkdir(exist_ok=True)
    exe = bizops()
    print(f"machine: {machine()}")
    met = True

    # 1. history reads against a big ledger and a tiny one
    probe = write_orders(OUT / "ledger-probe-2000.jsonl", 2_000, customers=20_000, prefix="P", seed=99)
    tiny = str(OUT / "ledger-one.db")
    if decisions(tiny) != 1:
        Path(tiny).unlink(missing_ok=True)
        record(exe, tiny, write_orders(OUT / "ledger-one.jsonl", 1, customers=1, prefix="T", seed=1))
    big = big_ledger(exe, args.big)
    print(f"== history reads: 2,000 orders against {args.big:,} decisions (A) and against 1 (B)")
    read = f"{exe} --company cable approve-order {probe} --db"
    line = compare(f"{read} {big}", f"{read} {tiny}", args.runs)
    met &= target("history", ratio_of(line), ratio_of(line) <= 1.2, "big/one <= 1.2")

    # 2. --record against read-only, SQLite and PostgreSQL
    orders = write_orders(OUT / "ledger-orders-10000.jsonl", 10_000, customers=400, prefix="R", seed=7)
    work = OUT / "ledger-record.db"
    print("== --record (A) against read-only (B), 10,000 orders, SQLite")
    line = compare(
        f"rm -f {work} {work}-wal {work}-shm && {exe} --company cable --db {work} approve-order {orders} --record",
        f"{exe} --company cable --db {tiny} approve-order {orders}",
        args.runs,
    )
    speed = 1 / ratio_of(line)
    print(f"--record on SQLite runs at {speed:.2f}x the read-only speed")
    met &= target("record sqlite", speed, speed >= 0.5, "record/read-only speed >= 0.5")

    base = postgres_base()
    if base is None:
        print("PostgreSQL parts skipped: set BIZOPS_BENCH_POSTGRES=postgresql://… (a database the bench may use)")
        sys.exit(0 if met else 1)
    # A throwaway test server (`.ci/postgres`) runs without fsync: say so beside the numbers.
    fsync = subprocess.run(["psql", "-qAt", base, "-c", "SHOW fsync"], capture_output=True, text=True).stdout.strip()
    print(f"PostgreSQL server: fsync={fsync or '?'}")
    print("== --record (A) against read-only (B), 10,000 orders, PostgreSQL (A includes emptying its schema)")
    pg_one, pg_rec = schema_url(base, "bench_ledger_one"), schema_url(base, "bench_ledger_rec")
    subprocess.run(fresh_schema(base, "bench_ledger_one"), shell=True, check=True)
    record(exe, pg_one, OUT / "ledger-one.jsonl")
    line = compare(
        f"{fresh_schema(base, 'bench_ledger_rec')} && {exe} --company cable --db '{pg_rec}' approve-order {orders} --record",
        f"{exe} --company cable --db '{pg_one}' approve-order {orders}",
        args.runs,
    )
    speed = 1 / ratio_of(line)
    print(f"--record on PostgreSQL runs at {speed:.2f}x the read-only speed")
    met &= target("record postgres", speed, speed >= 0.25, "record/read-only speed >= 0.25")

    # 3. four writers at once against one writer, the same 40,000 orders
    parts = [
        write_orders(OUT / f"ledger-writer-{w}.jsonl", 10_000, customers=400, prefix=f"W{w}", seed=10 + w)
        for w in range(4)
    ]
    together = OUT / "ledger-writers-all.jsonl"
    if not together.exists():
        together.write_bytes(b"".join(p.read_bytes() for p in parts))
    pg_w = schema_url(base, "bench_ledger_writers")
    one = f"{exe} --company cable --db '{pg_w}' approve-order"
    four = " & ".join(f"{one} {p} --record >/dev/null" for p in parts)
    print("== 4 writers at once (A) against 1 writer (B), 40,000 orders in all, PostgreSQL")
    line = compare(
        f"{fresh_schema(base, 'bench_ledger_writers')} && {{ {four} & wait; }}",
        f"{fresh_schema(base, 'bench_ledger_writers')} && {one} {together} --record",
        args.runs,
    )
    speed = 1 / ratio_of(line)
    print(f"4 writers record at {speed:.2f}x the throughput of one")
    met &= target("writers", speed, speed >= 1.0, "4 writers/1 writer throughput >= 1")
    for schema in ("bench_ledger_one", "bench_ledger_rec", "bench_ledger_writers"):
        subprocess.run(f"psql -q {shlex.quote(base)} -c 'DROP SCHEMA {schema} CASCADE' >/dev/null 2>&1", shell=True)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
