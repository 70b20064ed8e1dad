#!/usr/bin/env python3
"""Target 3: the speed-up of --jobs (all cores) over one process on a large input, order kept.

Usage: python bench/scaling.py [--rows N] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import subprocess

from common import bizops, compare, compile_bytecode, machine, orders


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_bytecode()
    path, exe = orders(args.rows), bizops()
    print(f"machine: {machine()}")
    one = subprocess.run(f"{exe} --company cable quote --jobs 1 - < {path}", shell=True, capture_output=True).stdout
    every = subprocess.run(f"{exe} --company cable quote - < {path}", shell=True, capture_output=True).stdout
    print(f"same output, same order: {one == every} ({len(one):,} bytes)")
    line = compare(
        f"{exe} --company cable quote --jobs 1 - < {path}",
        f"{exe} --company cable quote --jobs {os.cpu_count()} - < {path}",
        args.runs,
    )
    ratio = float(line.split("median=")[1].split()[0])
    print(f"speed-up with {os.cpu_count()} processes: {ratio:.2f}x")


if __name__ == "__main__":
    main()
