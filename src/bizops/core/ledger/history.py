"""`context.history` backed by the ledger: reads from it, writes kept for the current decision.

Reads see what is committed, plus what the current decision has written so
far (under `--record` the decision's transaction is open, so they also see
every earlier row of the stream). Writes are checked (exact amounts, JSON
values) whether or not they are kept, so a plugin's mistake shows without
`--record` too; they are kept only under `--record`, and only when the row's
decision is stored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bizops.core.ledger import codec


def customer_name(name: Any) -> str | None:
    """A customer as the ledger keys it: the name with its outer and doubled spaces removed."""
    if not isinstance(name, str):
        return None
    name = " ".join(name.split())
    return name or None


class LedgerHistory:
    exists = True

    def __init__(self, ledger, company: str, keep: bool):
        self.ledger, self.company, self.keep = ledger, company, keep
        self.pending: list[dict] = []

    # -- reads -------------------------------------------------------------------
    def total(self, kind: str, key: str) -> Decimal:
        total = self.ledger.total(self.company, _name(kind), _name(key))
        for entry in self._mine(kind, key):
            if entry["amount"] is not None:
                total += Decimal(entry["amount"])
        return total

    def count(self, kind: str, key: str) -> int:
        return self.ledger.count(self.company, _name(kind), _name(key)) + len(self._mine(kind, key))

    def latest(self, kind: str, key: str) -> Any:
        for entry in reversed(self._mine(kind, key)):
            if entry["value"] is not None:
                return codec.loads(entry["value"])
        return self.ledger.latest(self.company, _name(kind), _name(key))

    def known_customer(self, customer: str) -> bool:
        name = customer_name(customer)
        return name is not None and self.ledger.known_customer(self.company, name)

    # -- writes ------------------------------------------------------------------
    def add(self, kind: str, key: str, amount: Decimal) -> None:
        entry = {"kind": _name(kind), "key": _name(key), "amount": codec.amount_text(amount), "value": None, "sign": 1}
        if self.keep:
            self.pending.append(entry)

    def set(self, kind: str, key: str, value: Any) -> None:
        entry = {"kind": _name(kind), "key": _name(key), "amount": None, "value": codec.exact_dumps(value), "sign": 1}
        if self.keep:
            self.pending.append(entry)

    # -- the recorder's side ---------------------------------------------------------
    def take(self) -> list[dict]:
        """The entries written since the last take, now belonging to a decision."""
        taken, self.pending = self.pending, []
        return taken

    def _mine(self, kind: str, key: str) -> list[dict]:
        return [e for e in self.pending if e["kind"] == kind and e["key"] == key] if self.pending else []


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise codec.NotStorable(f"history kinds and keys are non-empty strings, got {value!r}")
    return str(value)


class NoHistory:
    """A ledger that does not exist yet: nothing happened before; writes are checked and dropped."""

    exists = False

    def total(self, kind: str, key: str) -> Decimal:
        _name(kind), _name(key)
        return Decimal(0)

    def latest(self, kind: str, key: str) -> Any:
        return None

    def count(self, kind: str, key: str) -> int:
        return 0

    def known_customer(self, customer: str) -> bool:
        return False

    def owner(self, customer: str) -> str | None:
        return None

    def add(self, kind: str, key: str, amount: Decimal) -> None:
        _name(kind), _name(key), codec.amount_text(amount)

    def set(self, kind: str, key: str, value: Any) -> None:
        _name(kind), _name(key), codec.exact_dumps(value)
