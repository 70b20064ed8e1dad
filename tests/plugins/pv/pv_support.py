"""Helpers for the PV firm's tests: running a request or claim, and an in-memory ledger."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "pv"


def claim(run, fields: dict, *args: str):
    """Run one claim given as a JSON object on stdin; returns the `Run`."""
    return run("--company", "pv", "expense", "claim", "-", "--input-format", "jsonl", "--format", "jsonl", *args,
               input=json.dumps(fields, ensure_ascii=False) + "\n")


def request(run, fields: dict, *args: str):
    return run("--company", "pv", "expense", "request", "-", "--input-format", "jsonl", "--format", "jsonl", *args,
               input=json.dumps(fields, ensure_ascii=False) + "\n")


def one(result) -> dict:
    assert result.exit_code in (0, 1), result
    rows = result.rows()
    assert len(rows) == 1, rows
    return rows[0]


def trip(**fields) -> dict:
    """A claim out of province for a new market, overridden by `fields`."""
    base = {"employee": "张伟", "scope": "out_of_province", "depart": "2026-03-02", "return": "2026-03-03",
            "purpose": "new_market", "market_report": True, "report_submitted": "2026-03-04"}
    return {**base, **fields}


def visit(**fields) -> dict:
    """A one-day visit in province to a customer, first trip, paperwork done."""
    base = {"employee": "李娜", "scope": "in_province", "depart": "2026-03-10", "return": "2026-03-10",
            "customer": "义乌阳光建材", "trip_number": 1, "feedback_forms": 1, "report_submitted": "2026-03-11"}
    return {**base, **fields}


class FakeLedger:
    """The `History` a plugin sees, in memory; writes are kept only for a run with --record."""

    exists = True

    def __init__(self):
        self.totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.record = False
        self.writes: list[tuple] = []

    def total(self, kind, key):
        return self.totals.get((kind, key), Decimal(0))

    def latest(self, kind, key):
        return None

    def count(self, kind, key):
        return self.counts.get((kind, key), 0)

    def known_customer(self, customer):
        return False

    def add(self, kind, key, amount):
        assert type(amount) is Decimal, amount
        self.writes.append((kind, key, amount))
        if self.record:
            self.totals[(kind, key)] += amount
            self.counts[(kind, key)] += 1

    def set(self, kind, key, value):
        raise AssertionError("the PV firm only adds trips")


@pytest.fixture
def ledger(bizops_run, monkeypatch):
    """A `FakeLedger` standing in for `context.history`; `ledger.run(...)` runs bizops with it."""
    from bizops.core.context import Context

    fake = FakeLedger()
    monkeypatch.setattr(Context, "history", property(lambda self: fake))

    def run(*args, **kwargs):
        fake.record = "--record" in args
        return bizops_run(*args, **kwargs)

    fake.run = run
    return fake
