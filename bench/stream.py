#!/usr/bin/env python3
"""Target 1: quote 1,000,000 generated rows, JSONL in and out, in at most half of jq's time.

Usage: python bench/stream.py [--rows N] [--runs R]

Prints the kit's A/B ratio (bizops / jq) and the peak memory of bizops at a
tenth of the rows and at all of them (flat memory: the two should be close).
Needs jq on PATH.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from common import KIT, bizops, compare, compile_bytecode, machine, orders

_MEASURE = """
import resource, subprocess, sys
with open(sys.argv[1], "rb") as stdin:
    subprocess.run(sys.argv[2:], stdin=stdin, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss_kb(command: list[str], stdin_path) -> int:
    """Peak resident memory of one process of the command (main or worker), in kB.

    Measured from a fresh interpreter, so no other child's memory is counted.
    """
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(stdin_path), *command], capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_bytecode()
    big, small = orders(args.rows), orders(args.rows // 10)
    exe = bizops()
    print(f"machine: {machine()}")
    line = compare(
        f"{exe} --company cable quote --format jsonl - < {big}", f"jq -c -f {KIT / 'quote.jq'} {big}", args.runs
    )
    small_kb = peak_rss_kb([exe, "--company", "cable", "quote", "-"], small)
    big_kb = peak_rss_kb([exe, "--company", "cable", "quote", "-"], big)
    print(f"peak memory: {args.rows // 10:,} rows {small_kb / 1024:.0f} MB, {args.rows:,} rows {big_kb / 1024:.0f} MB")
    ratio = float(line.split("median=")[1].split()[0])
    print(f"stream target (bizops/jq <= 0.5): {'met' if ratio <= 0.5 else 'NOT met'} ({ratio:.3f})")
    sys.exit(0 if ratio <= 0.5 else 1)


if __name__ == "__main__":
    main()
