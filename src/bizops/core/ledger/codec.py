"""How the ledger writes values: exact JSON text, canonical amounts, keys, digests, checksums.

Amounts are stored as text in SQLite and NUMERIC in PostgreSQL, written in
plain positional form (`1200.00`, never `1.2E+3` or a float). Values set with
`history.set` are JSON whose numbers are exact: a Decimal is written as a JSON
number with its digits as they are and read back as a Decimal (`parse_float`),
an int as an int. Inputs and outputs are stored in their JSON output form
(money as `"1200.00"`), as a user would have seen them.

A key (a customer, `employee|customer`) is compared as `normal` (the API's
`name_key`) writes it: full-width forms as ASCII, a space only between two
ASCII words, so `恒通  电器`, `恒通　电器` (a full-width space), `恒通电器`,
`广州甲公司（番禺）` and `广州甲公司(番禺)` are two customers, not five, everywhere
in the ledger (schema 4; older ledgers keep their spellings as `key_aliases`). A request id is compared with its whitespace normalised
(`normal_id`), as it always was.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from bizops.core.errors import KeyTooLong
from bizops.core.i18n import Text, msg
from bizops.core.values import format_datetime, name_key

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the standard library spells the same JSON
    orjson = None  # type: ignore[assignment]


class NotStorable(TypeError):
    """A value the ledger cannot keep exactly (a float, NaN, an object)."""


#: A key as the ledger compares it (`bizops.core.values.name_key`): full-width forms as ASCII, whitespace collapsed.
normal = name_key

#: Characters at most in a name the ledger keys by (a customer, an owner, a request id, a history kind), and in a
#: history key (often two names joined, `employee|customer`). PostgreSQL indexes them and refuses an index row
#: beyond 2,704 bytes (a company with a kind and a key, or a customer and an owner: at most 2,400 bytes of
#: four-byte characters), so a longer one stopped a whole run there (exit 74) while SQLite took it.
KEY_LIMIT, HISTORY_KEY_LIMIT = 200, 500
#: What a too long customer is called in its row's error.
CUSTOMER = Text("customer", "客户")


def short_key(key: str, what: Text, limit: int = KEY_LIMIT) -> str:
    """`key` (as the ledger keys it), if it has at most `limit` characters; else `KeyTooLong` is raised."""
    error = too_long(key, what, limit)
    if error is not None:
        raise error
    return key


def too_long(key: str, what: Text, limit: int = KEY_LIMIT) -> KeyTooLong | None:
    """The error of a row naming `what` by `key` (as the ledger keys it) if it has more than `limit` characters."""
    if len(key) <= limit:
        return None
    return KeyTooLong(
        msg(
            "{w} {k}… has {n} characters: the ledger keys names of at most {m}",
            "{w} {k}… 有 {n} 个字符：账本只能以不超过 {m} 个字符的名称为键",
            w=what,
            k=key[:20],
            n=len(key),
            m=limit,
        )
    )


def normal_id(text: str) -> str:
    """A request id as the ledger compares it: runs of whitespace (full-width too) as one space, none at the ends.

    (Full-width forms stay: the ids recorded before schema 4 were kept so, and
    `ledger check` finds each decision by the id it was recorded with.)
    """
    return " ".join(text.split())


_DIGITS = frozenset("0123456789")


def amount_text(amount: Any) -> str:
    """The canonical text of an exact amount; a float or NaN is refused."""
    if type(amount) is Decimal:
        # `str` writes what `format(…, "f")` does whenever it writes no exponent, in a quarter of the time
        # (a recorded row makes several); infinities, NaN and a negative zero go the long way.
        text = str(amount)
        if "E" not in text and text[-1] in _DIGITS and not (text[0] == "-" and amount.is_zero()):
            return text
    elif type(amount) is int:
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


_AS_IS = frozenset({str, int, bool, type(None)})


def plain(value: Any) -> Any:
    """`value` in its JSON output form: Decimals as exact text, dates as ISO text."""
    kind = type(value)
    if value is None or kind is bool or kind is int:
        return value
    if isinstance(value, str):
        return str(value)
    if kind is Decimal:
        return amount_text(value)
    if isinstance(value, dict):  # plain text and numbers inline: this runs for every recorded row
        return {str(k): v if type(v) in _AS_IS else plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _AS_IS else plain(v) for v in value]
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    raise NotStorable(f"{kind.__name__} {value!r} cannot be stored (floats never are)")


def dumps(value: Any, sort: bool = True) -> str:
    """Compact JSON text (Chinese kept) of a plain value; canonical (sorted keys) unless `sort` is False."""
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort else 0).decode()
        except TypeError:
            pass
    return json.dumps(value, ensure_ascii=False, sort_keys=sort, separators=(",", ":"))


#: The types of a flat request's fields that `plain_json` writes in one call (the usual request).
_FLAT = frozenset({str, int, bool, type(None), Decimal})


def plain_json(fields: dict, sort: bool = True) -> bytes:
    """`dumped(plain(fields), sort)`, in one orjson call when every field is text, a number or a Decimal.

    A third of the cost for a recorded row's inputs; anything else (a date, a
    list, an int beyond 64 bits, a float to refuse) goes through `plain`.
    """
    if orjson is not None and _FLAT.issuperset(map(type, fields.values())):
        try:
            return orjson.dumps(fields, default=amount_text, option=orjson.OPT_SORT_KEYS if sort else 0)
        except TypeError as exc:
            # orjson turns whatever `default` raises into a TypeError: Ctrl-C or SIGTERM caught in
            # `amount_text` (`bizops.core.signals`) must still stop the run.
            if exc.__cause__ is not None and not isinstance(exc.__cause__, Exception):
                raise exc.__cause__ from None
    return dumped(plain(fields), sort)


def dumped(value: Any, sort: bool = True) -> bytes:
    """`dumps` as UTF-8 bytes (what a digest reads: no decoding and encoding again).

    orjson writes the same text as the standard library's
    `json.dumps(ensure_ascii=False, separators=(",", ":"))` several times
    faster (it runs for every recorded row); what it refuses (a lone
    surrogate, an int beyond 64 bits) goes the standard library's way.
    Checksums depend on this text: tests/core/ledger compares the two.
    """
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort else 0)
        except TypeError:
            pass
    return json.dumps(value, ensure_ascii=False, sort_keys=sort, separators=(",", ":")).encode()


def compact(data: bytes) -> bytes:
    """`dumped`'s bytes to keep (a recorded row's, until its batch commits) in a block of their own size: orjson
    returns even a short text in a 4 KiB block (3.13), which 10,000 rows held at once made 40 MB of memory
    and the system's time to fault it in (it measured more than the decoding the bytes spare)."""
    return memoryview(data).tobytes()


def digest(value: Any) -> str:
    """A short digest of a plain value's canonical JSON: how a request's inputs are compared with a recorded one's."""
    return hashlib.sha256(dumped(value)).hexdigest()[:32]


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text, parse_float=Decimal)


def plain_loads(text: str | bytes) -> Any:
    """JSON written from a plain value (`dumps`: no floats in it) read back as that value, quickly.

    orjson reads an integer beyond 64 bits as a float: then the standard library reads the text.
    """
    if orjson is not None:
        value = orjson.loads(text)
        if not _has_float(value):
            return value
    return json.loads(text)


def _has_float(value: Any) -> bool:
    kind = type(value)
    if kind is float:
        return True
    if kind is dict:
        # A flat dict (most requests' fields) in one C loop: the writer process reads every recorded row's
        # inputs, and a walk over each was a tenth of its time.
        if _NESTED_OR_FLOAT.isdisjoint(map(type, value.values())):
            return False
        return any(type(v) is float or (type(v) in (dict, list) and _has_float(v)) for v in value.values())
    if kind is list:
        return any(_has_float(v) for v in value)
    return False


_NESTED_OR_FLOAT = frozenset((float, dict, list))


def outputs(english: str, chinese: str | None = None) -> Any:
    """A decision's recorded outputs, in Chinese when `chinese` (its `outputs_zh`) is given.

    `outputs_zh` holds the outputs whose Chinese differs from the English
    (before schema 2: all of them), laid over the English ones.
    """
    found = loads(english)
    if chinese and isinstance(found, dict):
        found = {**found, **loads(chinese)}
    return found


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
    """A digest of everything a decision recorded, so `ledger check` sees any change made behind bizops.

    SHA-256 of the canonical JSON of the decision (without its id) and its
    entries; a field added by a later schema counts only when it is set, so
    older decisions keep their checksums. The entries are read back: an
    amount is summed as its canonical text (`sealed` takes them as recorded).
    """
    summed = [[e["seq"], e["kind"], e["key"], _summed_amount(e["amount"]), e["value"], e["sign"]] for e in entries]
    return sealed(decision, summed)


def sealed(decision: dict, entries: list[list]) -> str:
    """`checksum` of a decision being recorded: its entries as `[seq, kind, key, amount, value, sign]`, amounts canonical."""
    body = dict(decision)  # a copy and a few pops: cheaper than filtering every field (it runs for every row)
    for name in _UNSUMMED:
        body.pop(name, None)
    for name in LATER_FIELDS:
        if body.get(name, 0) is None:
            del body[name]
    body["entries"] = entries
    return hashlib.sha256(dumped(body)).hexdigest()


def _summed_amount(amount: Any) -> str | None:
    """An entry's amount as its checksum reads it; one that is not a number (edited by hand) as it stands."""
    if amount is None:
        return None
    try:
        return amount_text(Decimal(str(amount)))
    except (ArithmeticError, NotStorable):
        return str(amount)


#: Decision fields added after schema 1.
LATER_FIELDS = frozenset({"request_id"})
_UNSUMMED = frozenset({"id", "checksum", "reversed_by"})
