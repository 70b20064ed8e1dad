"""How the ledger writes values: exact JSON text, canonical amounts, checksums.

Amounts are stored as text in SQLite and NUMERIC in PostgreSQL, written in
plain positional form (`1200.00`, never `1.2E+3` or a float). Values set with
`history.set` are JSON whose numbers are exact: a Decimal is written as a JSON
number with its digits as they are and read back as a Decimal (`parse_float`),
an int as an int. Inputs and outputs are stored in their JSON output form
(money as `"1200.00"`), as a user would have seen them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from bizops.core.values import format_datetime


class NotStorable(TypeError):
    """A value the ledger cannot keep exactly (a float, NaN, an object)."""


def amount_text(amount: Any) -> str:
    """The canonical text of an exact amount; a float or NaN is refused."""
    if type(amount) is int:
        amount = Decimal(amount)
    if not isinstance(amount, Decimal):
        raise NotStorable(f"history amounts must be Decimal or int, got {type(amount).__name__} {amount!r}")
    if not amount.is_finite():
        raise NotStorable(f"history amounts must be finite, got {amount!r}")
    if amount.is_zero():
        amount = amount.copy_abs()
    return format(amount, "f")


def negated(text: str) -> str:
    return amount_text(-Decimal(text))


def plain(value: Any) -> Any:
    """`value` in its JSON output form: Decimals as exact text, dates as ISO text."""
    kind = type(value)
    if value is None or kind is bool or kind is int:
        return value
    if isinstance(value, str):
        return str(value)
    if kind is Decimal:
        return amount_text(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    raise NotStorable(f"{kind.__name__} {value!r} cannot be stored (floats never are)")


def dumps(value: Any, sort: bool = True) -> str:
    """Compact JSON text (Chinese kept) of a plain value; canonical (sorted keys) unless `sort` is False."""
    return json.dumps(value, ensure_ascii=False, sort_keys=sort, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text, parse_float=Decimal)


def exact_dumps(value: Any) -> str:
    """JSON text of a value set in history; Decimals become exact JSON numbers."""
    kind = type(value)
    if value is None or kind is bool or kind is int or isinstance(value, str):
        return json.dumps(value if kind is not str else str(value), ensure_ascii=False)
    if kind is Decimal:
        return amount_text(value)
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k), ensure_ascii=False)}:{exact_dumps(v)}" for k, v in sorted(value.items()))
        return "{" + ",".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(exact_dumps(v) for v in value) + "]"
    if isinstance(value, (datetime, date, time)):
        return json.dumps(plain(value))
    raise NotStorable(
        f"history values must be JSON-like (str, int, Decimal, bool, None, lists, dicts), got {kind.__name__} {value!r}"
    )


def checksum(decision: dict, entries: list[dict]) -> str:
    """A digest of everything a decision recorded, so `ledger check` sees any change made behind bizops."""
    body = {k: v for k, v in decision.items() if k not in ("id", "checksum")}
    body["entries"] = [
        [
            e["seq"],
            e["kind"],
            e["key"],
            None if e["amount"] is None else amount_text(Decimal(str(e["amount"]))),
            e["value"],
            e["sign"],
        ]
        for e in entries
    ]
    return hashlib.sha256(dumps(body).encode()).hexdigest()
