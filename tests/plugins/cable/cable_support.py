"""Helpers for the cable tests: an in-memory ledger and exact half-up rounding written from scratch.

Nothing here imports the plugin: expected values are computed independently.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "cable"


def half_up(value: Fraction, places: int = 2) -> str:
    """`value` rounded half-up (away from zero on a tie) to `places` decimals, as text."""
    scale = 10 ** places
    sign = -1 if value < 0 else 1
    units = (abs(value) * scale * 2 + 1) // 2  # floor(x + 1/2) for x ≥ 0
    whole, frac = divmod(units, scale)
    text = f"{whole}.{frac:0{places}d}" if places else str(whole)
    return ("-" if sign < 0 and units else "") + text


class FakeLedger:
    """The `History` a plugin sees, in memory: writes count only when the run has --record.

    Under --record a later row sees an earlier row's writes, as the real ledger
    decides each row in its own transaction; without it nothing is kept.
    """

    exists = True

    def __init__(self):
        self.totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.values: dict[tuple[str, str], object] = {}
        self.customers: set[str] = set()
        self.record = False
        self.writes: list[tuple] = []

    def total(self, kind, key):
        return self.totals.get((kind, key), Decimal(0))

    def latest(self, kind, key):
        return self.values.get((kind, key))

    def count(self, kind, key):
        return sum(1 for w in self.writes if w[1:3] == (kind, key))

    def known_customer(self, customer):
        return customer in self.customers

    def add(self, kind, key, amount):
        assert type(amount) is Decimal, f"history amounts are Decimals, got {amount!r}"
        self.writes.append(("add", kind, key, amount))
        if self.record:
            self.totals[(kind, key)] += amount

    def set(self, kind, key, value):
        assert not isinstance(value, float)
        self.writes.append(("set", kind, key, value))
        if self.record:
            self.values[(kind, key)] = value


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
