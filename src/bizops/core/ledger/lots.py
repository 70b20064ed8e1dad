"""What a reversal undoes in a running total: each decision's part of it, first in, first out.

A balance's total is the sum of its amounts, but the amounts depend on each
other: the cable maker's VAT accumulation adds each order below 5,000, and
the order that reaches 5,000 takes the whole pending total onto its invoice
(an entry of minus that total). Reversing an early order after the invoice
must not subtract its amount a second time: it was invoiced already.

So the ledger reads a balance's amounts as lots, as a storekeeper reads
stock. A positive amount is a lot owned by its decision; a negative amount
takes from the oldest lots first, and what it cannot take stays as its own
negative lot. Reversing decision D then
- removes what is left of D's own lots (what D added and nothing took), and
- gives back to their owners the lots D took, unless those are reversed too.
The sum of the two is the reversal's amount. (Counts and values are not lots:
a reversal counts -1 per entry and withdraws a value; see `books`.)

`replay` walks one balance's amounts in the order they were recorded;
`ledger reverse` asks the result what reversing a decision now adds, and
`ledger check` compares every recorded reversal with what it had to be.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from decimal import Decimal

ZERO = Decimal(0)


class Lots:
    """The lots of one balance: who still holds what, and who took what from whom."""

    def __init__(self) -> None:
        self.held: dict[int, Decimal] = {}  # owner -> what is left of its positive lots
        self.order: list[int] = []  # owners holding something, oldest first
        self.owed: dict[int, Decimal] = {}  # decision -> what it took beyond every lot (negative)
        self.taken: dict[int, list[tuple[int, Decimal]]] = {}  # decision -> [(owner, amount)] it took
        self.reversed: set[int] = set()

    def add(self, decision: int, amount: Decimal) -> None:
        """An amount `decision` recorded: a lot of its own, or a taking from the oldest lots."""
        if amount > 0:
            self._give(decision, amount)
            return
        need = -amount
        while need > 0 and self.order:
            owner = self.order[0]
            take = min(need, self.held[owner])
            self.taken.setdefault(decision, []).append((owner, take))
            need -= take
            self.held[owner] -= take
            if not self.held[owner]:
                del self.held[owner]
                self.order.pop(0)
        if need > 0:
            self.owed[decision] = self.owed.get(decision, ZERO) - need

    def undo(self, decision: int) -> Decimal:
        """Reverse `decision`: the amount that takes its part out of the total (zero if nothing is left of it)."""
        change = -self.held.pop(decision, ZERO) - self.owed.pop(decision, ZERO)
        if decision in self.order:
            self.order.remove(decision)
        for owner, amount in self.taken.pop(decision, ()):
            if owner not in self.reversed:
                self._give(owner, amount)
                change += amount
        self.reversed.add(decision)
        return change

    def _give(self, owner: int, amount: Decimal) -> None:
        if owner not in self.held:
            bisect.insort(self.order, owner)
            self.held[owner] = ZERO
        self.held[owner] += amount


def replay(amounts: Iterable[tuple[int, Decimal, int | None]]) -> tuple[Lots, list[tuple[int, Decimal, Decimal]]]:
    """Read one balance's amounts `(decision, amount, what that decision reverses)` in recorded order.

    Returns the lots as they stand and every reversal whose amount is not
    what it had to be, as `(reversal, recorded, expected)`. A reversal's
    first entry on the balance carries the whole change (its later entries
    on the same balance, if the original had several, carry zero).
    """
    lots = Lots()
    wrong: list[tuple[int, Decimal, Decimal]] = []
    seen: set[int] = set()
    for decision, amount, reverses in amounts:
        if reverses is None:
            lots.add(decision, amount)
            continue
        expected = ZERO if decision in seen else lots.undo(reverses)
        seen.add(decision)
        if amount != expected:
            wrong.append((decision, amount, expected))
    return lots, wrong
