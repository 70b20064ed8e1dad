"""Result dicts to their JSON form, checked column by column: what every writer prints.

A plugin returns typed values (`Decimal`, `datetime`, `Text`…). The `Encoder`
turns one result into its JSON form by the declared `Column` kinds and checks
what the plugin returned on the way: money must be a `Decimal` with at most
two decimals, a `ge` bound holds, no value may be a float, a number must be
finite and no wider than the rules' precision, `-0` is written `0`, a time
must read back as itself and `texts` must be a list of texts. A value that
does not fit raises `BadOutput`, which the pipeline reports as the plugin's
failure (exit 70).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from operator import itemgetter
from typing import Any

from bizops.core.generated import define
from bizops.core.money import decimal_text, money_text, price_text
from bizops.core.schema import Column
from bizops.core.values import MEMO_LIMIT, format_datetime


class BadOutput(ValueError):
    """A plugin returned a value its column cannot hold (a float, unrounded money…)."""


def _bad(column: Column, value: Any, why: str) -> BadOutput:
    shown = repr(value)
    if not shown.startswith(type(value).__name__ + "("):  # Decimal('-2.50') names its type already
        shown = f"{type(value).__name__} {shown}"
    return BadOutput(f"column {column.name!r} ({column.kind}) got {shown}: {why}")


def _plain(value: Any) -> Any:
    """A nested value in its JSON form: Decimals as exact text, no floats.

    Raises TypeError for a value of no JSON form, ValueError for a number or
    time that would not read back as itself.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is Decimal:
        return decimal_text(value)
    if isinstance(value, str):
        return str(value)
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    if kind is datetime:
        return _datetime_text(value)
    if kind is date:
        return value.isoformat()
    if kind is time:
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    raise TypeError(f"{kind.__name__} {value!r} cannot be written (floats never are)")


def _datetime_text(value: datetime) -> str:
    """A datetime as the contract writes it; one that would not read back as itself is refused.

    Input times are local wall-clock times to the second, so a result with a
    time zone or a fraction of a second has no written form that bizops reads
    back as the same moment.
    """
    if value.tzinfo is not None:
        raise ValueError("has a time zone; bizops writes local wall-clock times")
    if value.microsecond:
        raise ValueError("has a fraction of a second; round it in the rule")
    return format_datetime(value)


def _column_encoder(column: Column, memo: dict | None = None) -> Callable[[Any], Any]:
    """The full check and JSON form of one column's value; the generated code inlines the common cases.

    A decimal column's texts are kept in `memo` (value -> (value, text)) for the generated code.
    """
    kind = column.kind

    if kind == "money" or kind == "price":
        text = money_text if kind == "money" else price_text
        what = "money must be a Decimal" if kind == "money" else "a price must be a Decimal"

        def encode(value):
            if value is None:
                return None
            if type(value) is not Decimal:
                raise _bad(column, value, what)
            try:
                return text(value)
            except ValueError as exc:
                raise _bad(column, value, str(exc)) from None
    elif kind == "decimal":
        known = memo if memo is not None else {}

        def encode(value):
            if type(value) is Decimal:
                try:
                    text = decimal_text(value)
                except ValueError as exc:
                    raise _bad(column, value, str(exc)) from None
                if len(known) < MEMO_LIMIT:
                    known[value] = (value, text)
                return text
            if type(value) is int:
                return str(value)
            if value is None:
                return None
            raise _bad(column, value, "must be a Decimal")
    elif kind == "int":

        def encode(value):
            if (type(value) is int) or value is None:
                return value
            raise _bad(column, value, "must be an int")
    elif kind == "bool":

        def encode(value):
            if value is True or value is False or value is None:
                return value
            raise _bad(column, value, "must be a bool")
    elif kind in ("text", "enum"):

        def encode(value):
            if value is None or isinstance(value, str):
                return value
            raise _bad(column, value, "must be text")
    elif kind == "texts":

        def encode(value):
            if value is None:
                return []
            if (type(value) is list or type(value) is tuple) and all(isinstance(v, str) for v in value):
                return [v if type(v) is str else str(v) for v in value]
            raise _bad(column, value, "must be a list of texts")
    elif kind == "datetime":

        def encode(value):
            if value is None:
                return None
            if isinstance(value, datetime):
                try:
                    return _datetime_text(value)
                except ValueError as exc:
                    raise _bad(column, value, str(exc)) from None
            raise _bad(column, value, "must be a datetime")
    elif kind == "date":

        def encode(value):
            if value is None:
                return None
            if isinstance(value, date):
                return value.isoformat()
            raise _bad(column, value, "must be a date")
    else:  # records, json

        def encode(value):
            try:
                return _plain(value)
            except (TypeError, ValueError) as exc:
                raise _bad(column, value, str(exc)) from None

    if column.ge is not None:
        return _at_least(column, encode)
    return encode


def _at_least(column: Column, encode: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`encode`, refusing a number below the column's declared `ge` (a negative price, say)."""
    bound = Decimal(column.ge or 0)

    def bounded(value):
        text = encode(value)
        if value is not None and value < bound:
            raise _bad(column, value, f"must be ≥ {bound}")
        return text

    return bounded


_INLINE = {
    # The common cases inline; anything else goes to the column's encoder, which
    # formats it or raises BadOutput. str(Decimal) is exact; a money string is
    # accepted as is only when it already has exactly two decimals (which no
    # NaN, Infinity or exponent has) and is not `-0.00`.
    "text": "    if {v}.__class__ is not str and {v} is not None:\n        {v} = e{i}({v})\n",
    "enum": "    if {v}.__class__ is not str and {v} is not None:\n        {v} = e{i}({v})\n",
    "int": "    if {v}.__class__ is not int and {v} is not None:\n        {v} = e{i}({v})\n",
    "bool": "    if {v} is not True and {v} is not False and {v} is not None:\n        {v} = e{i}({v})\n",
    "money": (
        "    if {v}.__class__ is Decimal and (s := str({v}))[-3:-2] == '.' and 'E' not in s and s != '-0.00':\n"
        "        {v} = s\n"
        "    elif {v} is not None:\n"
        "        {v} = e{i}({v})\n"
    ),
    # A decimal column repeats a few values, mostly the very same objects (the parser's memo, a
    # plugin's cache): the text of one seen before is taken from the memo, checked when it was
    # made. Only the same object counts: Decimal('2.0') equals Decimal('2') but is written `2.0`.
    # (Hashing a signalling NaN raises TypeError: the encoder then says what the value is.)
    "decimal": (
        "    if {v}.__class__ is Decimal:\n"
        "        try:\n"
        "            k = g{i}({v})\n"
        "        except TypeError:\n"
        "            k = None\n"
        "        {v} = k[1] if k is not None and k[0] is {v} else e{i}({v})\n"
        "    elif {v} is not None:\n"
        "        {v} = e{i}({v})\n"
    ),
    "price": (
        "    if {v}.__class__ is Decimal and ((s := str({v}))[-3:-2] == '.' or s[-5:-4] == '.' or s[-4:-3] == '.')"
        " and 'E' not in s and s[0] != '-':\n"
        "        {v} = s\n"
        "    elif {v} is not None:\n"
        "        {v} = e{i}({v})\n"
    ),
    # Almost every result has no warnings: an empty list is kept as it is, anything else checked.
    "texts": "    if {v}.__class__ is not list or {v}:\n        {v} = e{i}({v})\n",
}


#: A decision's `status` is `ok` or `refused` (the contract's), whatever the column's kind.
_STATUS = "    if {v} != 'ok' and {v} != 'refused':\n        {v} = e{i}({v})\n"


def _not_a_status(value: Any) -> Any:
    raise BadOutput(f"status must be ok or refused, got {value!r}")


#: The inline cases of `ge=0` columns (prices, totals): as above, and no minus sign.
_NOT_NEGATIVE = {
    "money": _INLINE["money"].replace("and s != '-0.00':", "and s[0] != '-':"),
    "price": _INLINE["price"],
}


class Encoder:
    """Result dicts to their JSON form, column by column, checking each value.

    The encoding function is generated once per stream as straight-line code
    (one block per column), as `requests.compile_fields` is, for the same
    reason: it runs once per output row; its text is registered with
    `linecache` (see `bizops.core.generated`). It takes every column's value in
    one C call (`itemgetter`); a result that leaves a column out (None) is
    filled in first, at the cost of a second pass. With `answers` (a plugin's
    results, the default), a result may not leave out a money column (a total
    that is missing is not a total of nothing) and a `status` is one of the
    contract's; bizops' own rows (`emit`) pass `answers=False`.

    With `textual`, `encode` returns the encoded dict and the names of the
    columns whose value may read differently in Chinese: a value of a text
    kind (text, enum, texts, records, json) that is not plain text, set and
    not empty (a `Text`, a list or dict that may hold one). The checks sit in
    the branches plain values never take (`--record` keeps the Chinese twin
    of just those: `Recorder.store`).
    """

    def __init__(self, columns: Sequence[Column], explain: bool, answers: bool = True, textual: bool = False):
        self.columns = tuple(columns)
        self.explain = explain
        names = tuple(column.name for column in self.columns) + (("trace",) if explain else ())
        values = [f"o{i}" for i in range(len(names))]
        money = tuple(c.name for c in self.columns if c.kind in ("money", "price")) if answers else ()

        def filled(result: dict) -> dict:
            for name in money:
                if name not in result:
                    raise BadOutput(f"left out the money column {name!r}")
            return {name: result.get(name) for name in names}

        namespace: dict[str, Any] = {"Decimal": Decimal, "_trace": _trace, "pick": itemgetter(*names), "filled": filled}
        body = [
            "def encode(r):",
            "    try:",
            f"        {', '.join(values)}, = pick(r)" if len(names) > 1 else f"        o0 = r[{names[0]!r}]",
            "    except KeyError:",
            "        return encode(filled(r))",
        ]
        if textual:
            body.append("    t = []")
        for i, column in enumerate(self.columns):
            memo: dict = {}
            namespace[f"e{i}"] = _column_encoder(column, memo)
            if column.kind == "decimal":
                namespace[f"g{i}"] = memo.get
            inline = _INLINE.get(column.kind)
            if column.ge is not None:  # a bound is checked in e{i}; `ge=0` inline: no minus sign
                inline = _NOT_NEGATIVE.get(column.kind) if Decimal(column.ge) == 0 else None
            if answers and column.name == "status":
                namespace[f"e{i}"], inline = _not_a_status, _STATUS
            block = (inline or "    {v} = e{i}({v})\n").format(i=i, v=values[i]).rstrip("\n")
            if textual and column.kind in TEXTUAL:
                block = _noting_text(block, values[i], column.name, after=inline is _STATUS)
            body.append(block)
        if explain:
            body.append(f"    {values[-1]} = _trace({values[-1]})")
        encoded = "{" + ", ".join(f"{name!r}: {value}" for name, value in zip(names, values)) + "}"
        body.append(f"    return {encoded}, t" if textual else f"    return {encoded}")
        #: The generated text (registered with `linecache`; compared by golden tests).
        self.source = "\n".join(body) + "\n"
        define(self.source, "encoder", namespace)
        #: The generated function itself: the hot path calls it without this object in between.
        self.encode = namespace["encode"]

    def __call__(self, result: dict) -> dict:
        return self.encode(result)


#: The column kinds whose values may be bilingual (`Text`, or lists and dicts holding one).
TEXTUAL = frozenset({"text", "enum", "texts", "records", "json"})


def _noting_text(block: str, value: str, name: str, *, after: bool) -> str:
    """A column's block that also notes (`t`) a value that is not plain text, just before the column's own
    encoder is called: in the branch plain text never takes, or, with no such branch, for every value.
    `after`: at the end of the block (a status, whose inline check lets `Text('ok')` through)."""

    def note(indent: str) -> str:
        return f"{indent}if {value} and {value}.__class__ is not str:\n{indent}    t.append({name!r})\n"

    if after:
        return block + "\n" + note("    ").rstrip("\n")
    slow = f"\n        {value} = e"  # an inline case's branch for what is not plain
    if slow in block:
        return block.replace(slow, "\n" + note("        ") + slow[1:], 1)
    assert block.startswith(f"    {value} = e"), block  # no inline case: every value goes to the encoder
    return note("    ") + block


def _trace(trace) -> list:
    try:
        return _plain(trace or [])
    except (TypeError, ValueError) as exc:
        raise BadOutput(f"trace: {exc}") from None
