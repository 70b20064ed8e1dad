"""Invoices listed more than once in one book: two exports pasted together must not be aged, or summed, twice.

A listing is what makes two rows one invoice: its number, customer (as the
ledger keys it), amount and due date. An invoice in instalments is listed
once per due date, so its instalments are not copies. `Copies` finds the
listings that may repeat an earlier one in memory that does not grow with
the invoices; the caller compares those exactly on its way back through the
rows, and makes each copy after the first its row's error (`listed_again`).
"""

from __future__ import annotations

from typing import Any

from bizops.api import RowError, msg, name_key


def listing_of(invoice: str, customer: str, amount: str, due: int) -> tuple:
    """What makes two rows one invoice listed twice: its number, customer, amount and due date, all the same.

    (One invoice paid in instalments is listed once per instalment, each with its due date: not a copy.)
    """
    return (invoice, name_key(customer), amount, due)


def listed_again(invoice: str, first: Any, row: Any) -> RowError:
    return RowError(
        msg(
            "invoice {i} is listed again (same customer, amount and due date as row {f}): aged once, on row {f}; "
            "if both are owed, give them different numbers",
            "发票 {i} 重复列出（客户、金额、到期日与第 {f} 行相同）：只按第 {f} 行计一次；如确为两笔应收，请用不同的编号",
            i=invoice,
            f=first,
        ),
        row,
    )


class Copies:
    """Invoices listed more than once, found in memory that does not grow with the invoices.

    A bit array (8 MiB, two bits an invoice) says which listings may have
    been seen before; only those are compared exactly, in a second look. A
    million listings make about a thousand such suspects.
    """

    BITS = 1 << 26

    def __init__(self) -> None:
        self.bits: bytearray | None = None
        self.maybe: set[tuple] = set()

    def add(self, key: tuple) -> bool:
        """Note a listing; True when it may have been noted before (it is then a suspect)."""
        bits = self.bits
        if bits is None:
            bits = self.bits = bytearray(self.BITS >> 3)
        h = hash(key)
        a, b = h & (self.BITS - 1), (h >> 26) & (self.BITS - 1)
        if bits[a >> 3] & (1 << (a & 7)) and bits[b >> 3] & (1 << (b & 7)):
            self.maybe.add(key)
            return True
        bits[a >> 3] |= 1 << (a & 7)
        bits[b >> 3] |= 1 << (b & 7)
        return False

    def suspects(self) -> set[tuple]:
        """The listings that may be copies; the bit array is let go."""
        self.bits = None
        return self.maybe
