#!/usr/bin/env python3
"""Issue 17's speed target: receivables ageing against the cable `score` command, rows per second and memory.

Usage: python bench/receivables.py [--rows N] [--customers C] [--small M] [--runs R]

Ages N generated invoices (C customers, 8 salespeople, due dates around the
as-of day, some paid, some chased) with `bizops --company pv receivables`
and scores N generated 十奖十罚 events with `bizops --company cable score`,
both JSON Lines in and out, one process each. Prints each one's median rows
per second and the ratio (the target: receivables no slower than score).
Then the peak RSS of receivables on M and on N invoices over the same C
customers: memory grows with customers, not invoices (the risk warning's
two passes keep a set of customers at risk in memory and spool the decided
rows to a temporary file: docs/receivables.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import time
from pathlib import Path

from common import OUT, bizops, compile_bytecode, machine

CODES = ("efficiency", "customer_praise", "overachieve", "late", "tidy_office", "cost_saving")
PEOPLE = ("李明", "王芳", "张伟", "赵敏", "陈刚", "刘洋", "孙丽", "周杰")


def invoices(rows: int, customers: int) -> Path:
    """`rows` invoices over `customers` customers (made once, then reused)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"invoices-{rows}-{customers}.jsonl"
    if not path.exists():
        rng = random.Random(17)
        with open(path, "w", encoding="utf-8") as out:
            for i in range(rows):
                amount = rng.randrange(100_00, 50_000_00)
                paid = 0 if rng.random() < 0.7 else rng.randrange(0, amount + 1)
                row = {
                    "invoice": f"INV-{i:07d}",
                    "customer": f"客户{rng.randrange(customers):05d}",
                    "salesperson": PEOPLE[rng.randrange(len(PEOPLE))] if rng.random() < 0.9 else "",
                    "amount": f"{amount // 100}.{amount % 100:02d}",
                    "paid": f"{paid // 100}.{paid % 100:02d}",
                    "due_date": f"2026-{rng.randrange(6, 13):02d}-{rng.randrange(1, 29):02d}",
                    "chases": rng.randrange(0, 5),
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def events(rows: int) -> Path:
    """`rows` scorecard events for the cable maker (made once, then reused)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"events-{rows}.jsonl"
    if not path.exists():
        rng = random.Random(3)
        with open(path, "w", encoding="utf-8") as out:
            for _ in range(rows):
                row = {
                    "person": PEOPLE[rng.randrange(len(PEOPLE))] + str(rng.randrange(50)),
                    "date": f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                    "code": CODES[rng.randrange(len(CODES))],
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def timed(command: list[str], source: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and exit code of one run, stdout thrown away."""
    with open(source, "rb") as stdin:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} exited {proc.returncode}: {proc.stderr.read().decode()[-500:]}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    compile_bytecode()
    exe = bizops()
    ageing = [
        exe,
        "--company",
        "pv",
        "receivables",
        "-",
        "--input-format",
        "jsonl",
        "--as-of",
        "2026-12-01",
        "--format",
        "jsonl",
    ]
    score = [exe, "--company", "cable", "score", "-", "--input-format", "jsonl", "--format", "jsonl"]
    big, scored = invoices(args.rows, args.customers), events(args.rows)
    print(f"machine: {machine()}")
    rates: dict[str, list[float]] = {"receivables": [], "score": []}
    for _ in range(args.runs):  # interleaved: both see the same machine load
        rates["receivables"].append(args.rows / timed(ageing, big)[0])
        rates["score"].append(args.rows / timed(score, scored)[0])
    ours, theirs = statistics.median(rates["receivables"]), statistics.median(rates["score"])
    print(
        f"receivables: {ours:,.0f} invoices/s (median of {args.runs}, {args.rows:,} invoices, {args.customers:,} customers)"
    )
    print(f"score:       {theirs:,.0f} events/s (median of {args.runs}, {args.rows:,} events)")
    print(f"receivables/score: {ours / theirs:.2f} (target: >= 1.00)")
    small = invoices(args.small, args.customers)
    rss_small, rss_big = timed(ageing, small)[1], timed(ageing, big)[1]
    print(f"peak RSS: {rss_small / 1024:.1f} MiB at {args.small:,} invoices, {rss_big / 1024:.1f} MiB at {args.rows:,}")
    by = [*ageing[:-2], "--by", "customer", "--format", "jsonl"]
    print(f"peak RSS --by customer: {timed(by, small)[1] / 1024:.1f} MiB / {timed(by, big)[1] / 1024:.1f} MiB")
    many = invoices(args.small, args.small // 2)
    print(
        f"peak RSS at {args.small:,} invoices over {args.small // 2:,} customers: {timed(ageing, many)[1] / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()
