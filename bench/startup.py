#!/usr/bin/env python3
"""Target 2: one quote from flags (JSON out), and `bizops --help`, within 1.5x of
`python -c "import typer, pluggy"` (the floor the framework sets).

Usage: python bench/startup.py [--runs R]
"""

from __future__ import annotations

import argparse
import shlex
import sys

from common import bizops, compare, compile_bytecode, machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    compile_bytecode()
    exe = bizops()
    floor = f'{shlex.quote(sys.executable)} -c "import typer, pluggy"'
    print(f"machine: {machine()}")
    ok = True
    for label, command in (
        ("one quote", f"{exe} --company cable quote --guide-price 100 --qty 10 --format json"),
        ("--help", f"{exe} --help"),
    ):
        print(f"== {label}")
        ratio = float(compare(command, floor, args.runs).split("median=")[1].split()[0])
        met = ratio <= 1.5
        ok = ok and met
        print(f"{label} target (<= 1.5): {'met' if met else 'NOT met'} ({ratio:.3f})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
