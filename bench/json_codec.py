#!/usr/bin/env python3
"""Why orjson: JSON Lines read and written by the standard library and by orjson.

Usage: python bench/json_codec.py [--rows N]

Parses N generated quote requests and writes N quote-shaped results with each
codec and prints rows per second. bizops keeps exact decimals either way: it
reads numbers written with a decimal point again with the standard library's
`parse_float=Decimal` (rare rows) and writes every amount as a string.
"""

from __future__ import annotations

import argparse
import json
import time

import orjson
from common import orders

RESULT = {
    "company": "cable",
    "sku": "BV-10-82",
    "qty": "184",
    "guide_price": "1577.93",
    "no_vat_discount_pct": "0",
    "discount_pct": "0",
    "fee_pct": "3",
    "floor_unit_price": "1420.14",
    "unit_price": "1626.73",
    "total": "299318.32",
    "commission_cut_pct": "0",
    "status": "ok",
    "reason": None,
    "max_discount_pct": "10",
    "quote_due": None,
    "lead_time": "3-4 days",
    "warnings": [],
}


def rate(label: str, rows: int, work) -> float:
    best = min(_timed(work) for _ in range(3))
    print(f"{label:28s} {rows / best / 1000:8.0f}k rows/s")
    return best


def _each(function, items) -> None:
    for item in items:  # results dropped as made, as a stream drops them
        function(item)


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    lines = orders(args.rows).read_bytes().splitlines()
    n = len(lines)
    a = rate("json.loads", n, lambda: _each(json.loads, lines))
    b = rate("orjson.loads", n, lambda: _each(orjson.loads, lines))
    compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    c = rate("json.dumps (compact)", n, lambda: _each(lambda r: compact(r).encode(), [RESULT] * n))
    d = rate("orjson.dumps", n, lambda: _each(orjson.dumps, [RESULT] * n))
    print(f"orjson is {a / b:.1f}x faster to read and {c / d:.1f}x faster to write")


if __name__ == "__main__":
    main()
