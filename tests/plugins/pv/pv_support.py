"""Helpers for the PV firm's tests: running a request or claim, and the in-memory ledger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "pv"


def claim(run, fields: dict, *args: str):
    """Run one claim given as a JSON object on stdin; returns the `Run`."""
    return run(
        "--company",
        "pv",
        "expense",
        "claim",
        "-",
        "--input-format",
        "jsonl",
        "--format",
        "jsonl",
        *args,
        input=json.dumps(fields, ensure_ascii=False) + "\n",
    )


def request(run, fields: dict, *args: str):
    return run(
        "--company",
        "pv",
        "expense",
        "request",
        "-",
        "--input-format",
        "jsonl",
        "--format",
        "jsonl",
        *args,
        input=json.dumps(fields, ensure_ascii=False) + "\n",
    )


def one(result) -> dict:
    assert result.exit_code in (0, 1), result
    rows = result.rows()
    assert len(rows) == 1, rows
    return rows[0]


def trip(**fields) -> dict:
    """A claim out of province for a new market, overridden by `fields`."""
    base = {
        "employee": "张伟",
        "scope": "out_of_province",
        "depart": "2026-03-02",
        "return": "2026-03-03",
        "purpose": "new_market",
        "market_report": True,
        "report_submitted": "2026-03-04",
    }
    return {**base, **fields}


def visit(**fields) -> dict:
    """A one-day visit in province to a customer, first trip, paperwork done."""
    base = {
        "employee": "李娜",
        "scope": "in_province",
        "depart": "2026-03-10",
        "return": "2026-03-10",
        "customer": "义乌阳光建材",
        "trip_number": 1,
        "feedback_forms": 1,
        "report_submitted": "2026-03-11",
    }
    return {**base, **fields}


@pytest.fixture
def ledger(bizops_history):
    """The ledger the PV plugin reads and writes, in memory (`bizops.testing.MemoryHistory`)."""
    return bizops_history
