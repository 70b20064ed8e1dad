"""Helpers for the cable tests: exact half-up rounding written from scratch, and the in-memory ledger.

Nothing here imports the plugin: expected values are computed independently.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "cable"


def half_up(value: Fraction, places: int = 2) -> str:
    """`value` rounded half-up (away from zero on a tie) to `places` decimals, as text."""
    scale = 10**places
    sign = -1 if value < 0 else 1
    units = (abs(value) * scale * 2 + 1) // 2  # floor(x + 1/2) for x ≥ 0
    whole, frac = divmod(units, scale)
    text = f"{whole}.{frac:0{places}d}" if places else str(whole)
    return ("-" if sign < 0 and units else "") + text


@pytest.fixture
def ledger(bizops_history):
    """The ledger the cable plugin reads and writes, in memory (`bizops.testing.MemoryHistory`)."""
    return bizops_history
