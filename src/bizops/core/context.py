"""What a hook gets besides its requests and policy: the run's context.

`Context.history` is the ledger as a plugin sees it: sums and latest values
keyed by (kind, key) within the plugin's company. Reads see what was recorded
before this run; writes (`add`, `set`) are kept only under `--record`, in the
same transaction as the decision that made them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from bizops.core.i18n import Text
from bizops.core.schema import Company


class History(Protocol):
    """A company's history in the ledger (see `bizops.core.ledger`)."""

    def total(self, kind: str, key: str) -> Decimal:
        """Sum of every amount recorded under (kind, key); 0 when none."""

    def latest(self, kind: str, key: str) -> Any:
        """The value most recently set under (kind, key); None when none."""

    def count(self, kind: str, key: str) -> int:
        """How many entries were recorded under (kind, key)."""

    def known_customer(self, customer: str) -> bool:
        """Whether the customer was imported or appears in a recorded decision."""

    def owner(self, customer: str) -> str | None:
        """The salesperson who filed the customer first (`ledger import-customers`); None when none did."""

    def add(self, kind: str, key: str, amount: Decimal) -> None:
        """Add an amount under (kind, key), recorded with the current decision."""

    def set(self, kind: str, key: str, value: Any) -> None:
        """Set the value under (kind, key), recorded with the current decision."""


class EmptyHistory:
    """No ledger: nothing happened before, and nothing is kept."""

    exists = False

    def total(self, kind: str, key: str) -> Decimal:
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
        pass

    def set(self, kind: str, key: str, value: Any) -> None:
        pass


class Context:
    """The run a hook is part of.

    `now` is the run's clock (`--now`, else the wall clock; defaults of
    `NOW` fields use it). `options` holds a command's own options (`at`,
    `all`, …). `warn` writes a stream-level warning to stderr once.
    """

    def __init__(
        self,
        company: Company,
        now: datetime,
        lang: str = "en",
        explain: bool = False,
        record: bool = False,
        options: dict[str, Any] | None = None,
        history_factory: Callable[[], History] | None = None,
        warn: Callable[[Text], None] | None = None,
    ):
        self.company = company
        self.now = now
        self.lang = lang
        self.explain = explain
        self.record = record
        self.options = options if options is not None else {}
        self.history_factory = history_factory
        self.warn = warn if warn is not None else (lambda text: None)
        self._history: History | None = None

    @property
    def history(self) -> History:
        """The ledger, opened on first use (a plain quote never touches it)."""
        if self._history is None:
            self._history = self.history_factory() if self.history_factory else EmptyHistory()
        return self._history
