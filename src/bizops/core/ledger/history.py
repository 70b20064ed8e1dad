"""`context.history` backed by the ledger: read-only, or recording through `books.Books`.

Kinds and keys are checked whatever the mode (non-empty text; kinds
starting with `bizops:` are the ledger's own), and keys are normalised
(`codec.normal`), so `恒通  电器` and `恒通　电器` accumulate as one customer.
Writes are checked (exact amounts, JSON values) even when they are not kept,
so a plugin's mistake shows without `--record` too.

- `LedgerHistory` reads what is committed, one balance row per read; writes
  are checked and dropped.
- `RecordingHistory` (under `--record`) reads and writes through the
  recorder's `Books`: it sees every earlier row of the stream and what the
  current row wrote so far, and its writes become the row's entries.
- `NoHistory`: a ledger that does not exist yet.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bizops.core.i18n import Text
from bizops.core.ledger import codec
from bizops.core.ledger.store import CUSTOMER_KIND

_KIND, _KEY = Text("history kind", "历史类别"), Text("history key", "历史键")


def customer_name(name: Any) -> str | None:
    """A customer as the ledger keys it: the name with its outer and doubled spaces (full-width too) removed."""
    if not isinstance(name, str):
        return None
    return codec.normal(name) or None


def checked_kind(value: Any, limit: int | None = None) -> str:
    kind = checked_key(value, limit, _KIND)
    if kind.startswith("bizops:"):
        raise codec.NotStorable(f"history kinds starting with 'bizops:' are the ledger's own, got {value!r}")
    return kind


def checked_key(value: Any, limit: int | None = None, what: Text = _KEY) -> str:
    """A kind or key as the ledger keys it; an empty one is the plugin's mistake, one longer than `limit` (when
    it is recorded: `codec.KEY_LIMIT`) the row's error."""
    if isinstance(value, str):
        key = codec.normal(value)
        if key:
            return key if limit is None else codec.short_key(key, what, limit)
    raise codec.NotStorable(f"history kinds and keys are non-empty strings, got {value!r}")


#: Spellings of (kind, key) a recording run remembers at most (`RecordingHistory._keyed`).
REMEMBERED_KEYS = 100_000


class LedgerHistory:
    exists = True

    def __init__(self, ledger, company: str):
        self.ledger, self.company = ledger, company

    def total(self, kind: str, key: str) -> Decimal:
        return self.ledger.balance(self.company, checked_kind(kind), checked_key(key)).total

    def count(self, kind: str, key: str) -> int:
        return self.ledger.balance(self.company, checked_kind(kind), checked_key(key)).entries

    def latest(self, kind: str, key: str) -> Any:
        return self.ledger.value(self.ledger.balance(self.company, checked_kind(kind), checked_key(key)))

    def known_customer(self, customer: str) -> bool:
        name = customer_name(customer)
        if name is None:
            return False
        ledger = self.ledger
        return ledger.imported(self.company, name) or ledger.balance(self.company, CUSTOMER_KIND, name).entries > 0

    def owner(self, customer: str) -> str | None:
        name = customer_name(customer)
        return None if name is None else self.ledger.owner(self.company, name)

    def add(self, kind: str, key: str, amount: Decimal) -> None:
        checked_kind(kind), checked_key(key), codec.amount_text(amount)

    def set(self, kind: str, key: str, value: Any) -> None:
        checked_kind(kind), checked_key(key), codec.exact_dumps(value)


class RecordingHistory:
    """The history a row sees while it is recorded (see `books.Books` for the transaction around it)."""

    exists = True

    def __init__(self, books):
        self.books = books
        #: (kind, key) as a plugin wrote them -> as the ledger keys them: the same few, row after row.
        self._checked: dict[tuple[str, str], tuple[str, str]] = {}

    def _keyed(self, kind: Any, key: Any) -> tuple[str, str]:
        """`checked_kind(kind), checked_key(key)` with the lengths the ledger keys by, remembered for plain strings."""
        if type(kind) is str and type(key) is str:
            found = self._checked.get((kind, key))
            if found is None:
                found = _recorded(kind, key)
                if len(self._checked) < REMEMBERED_KEYS:
                    self._checked[kind, key] = found
            return found
        return _recorded(kind, key)

    def total(self, kind: str, key: str) -> Decimal:
        return self.books.read(*self._keyed(kind, key)).total

    def count(self, kind: str, key: str) -> int:
        return self.books.read(*self._keyed(kind, key)).entries

    def latest(self, kind: str, key: str) -> Any:
        return self.books.ledger.value(self.books.read(*self._keyed(kind, key)))

    def known_customer(self, customer: str) -> bool:
        name = customer_name(customer)
        return name is not None and self.books.known_customer(name)

    def owner(self, customer: str) -> str | None:
        name = customer_name(customer)
        return None if name is None else self.books.ledger.owner(self.books.company, name)

    def add(self, kind: str, key: str, amount: Decimal) -> None:
        self.books.add(*self._keyed(kind, key), codec.amount_text(amount))

    def set(self, kind: str, key: str, value: Any) -> None:
        kind, key = self._keyed(kind, key)
        self.books.set(kind, key, codec.exact_dumps(value))


def _recorded(kind: Any, key: Any) -> tuple[str, str]:
    """A kind and key to record (`RecordingHistory`): read-only, a longer one reads nothing and harms nothing."""
    return checked_kind(kind, codec.KEY_LIMIT), checked_key(key, codec.HISTORY_KEY_LIMIT)


class NoHistory:
    """A ledger that does not exist yet: nothing happened before; writes are checked and dropped."""

    exists = False

    def total(self, kind: str, key: str) -> Decimal:
        checked_kind(kind), checked_key(key)
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
        checked_kind(kind), checked_key(key), codec.amount_text(amount)

    def set(self, kind: str, key: str, value: Any) -> None:
        checked_kind(kind), checked_key(key), codec.exact_dumps(value)
