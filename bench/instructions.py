#!/usr/bin/env python3
"""Work per row, in machine instructions: the figure that does not drift with the machine's load.

Usage: python bench/instructions.py [--rows N]

Runs one process (`--jobs 1`) under valgrind's callgrind on N and 2N
generated quote requests and prints (cost of 2N - cost of N) / N, so start-up
and the fill of the value memos cancel out. The same code gives the same
count to within a few hundred instructions, whatever else the machine is doing:
use it to judge a change that wall time on a shared machine cannot resolve.
Needs valgrind on PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

from common import OUT, bizops, compile_bytecode, machine, orders


def instructions(exe: str, path) -> int:
    with open(path, "rb") as stdin:
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--callgrind-out-file=/dev/null",
                exe,
                "--company",
                "cable",
                "quote",
                "--jobs",
                "1",
                "--format",
                "jsonl",
                "-",
            ],
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("bench: valgrind is not installed")
    compile_bytecode()
    source = orders(args.rows * 2)
    half = OUT / f"orders-{args.rows * 2}-first-{args.rows}.jsonl"
    with open(source, "rb") as whole, open(half, "wb") as first:
        for _ in range(args.rows):
            first.write(whole.readline())
    exe = bizops()
    print(f"machine: {machine()}")
    per_row = (instructions(exe, source) - instructions(exe, half)) / args.rows
    print(f"instructions per row (cable quote, JSONL in and out, one process): {per_row:,.0f}")


if __name__ == "__main__":
    main()
