"""JSON read exactly: decimals as `Decimal`, no exponents, no NaN, no repeated keys; and what to say when it fails.

Shared by JSON Lines (for the rows orjson cannot read exactly) and JSON arrays.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from bizops.core.display import has_surrogate
from bizops.core.errors import RowError
from bizops.core.i18n import Text, msg
from bizops.core.readers.encodings import LONE_SURROGATE, NUL_BYTE


def exact_json(text: str | bytes):
    """The standard library's JSON, with decimals kept exact and repeated keys refused."""
    return exact_decoder().decode(text.decode("utf-8") if isinstance(text, bytes) else text)


@cache
def exact_decoder():
    import json  # only for rows orjson cannot read exactly, and JSON arrays: not on the start-up path

    return json.JSONDecoder(
        parse_float=_exact_float, parse_int=_exact_int, parse_constant=_no_constant, object_pairs_hook=_no_repeats
    )


def _exact_int(text: str):
    # No amount has dozens of digits: hand on the text, and the field's parser says
    # "too many digits" (int() itself refuses past 4300 digits, in Python's words).
    return int(text) if len(text) <= 40 else text


def _exact_float(text: str):
    # An exponent is not a number here (contract): hand the text on, and the
    # field's parser refuses it with "must be a number".
    return text if ("e" in text or "E" in text) else Decimal(text)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


class RepeatedKey(ValueError):
    pass


def _no_repeats(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise RepeatedKey(f"key {key!r} appears twice")
            seen.add(key)
    return result


def json_row_error(row, exc: BaseException) -> RowError:
    """The row error for JSON that could not be read (`exc` from a decoder)."""
    if isinstance(exc, RepeatedKey):
        return RowError(msg("{e}; give each field once", "{e}；每个字段只能出现一次", e=exc), row)
    if isinstance(exc, RecursionError):  # Python's message speaks of its own stack
        return RowError(msg("not a valid JSON object (nested too deeply)", "不是有效的 JSON 对象（嵌套层数过多）"), row)
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return RowError(msg("not a valid JSON object ({d})", "不是有效的 JSON 对象（{d}）", d=detail), row)


def not_an_object(row) -> RowError:
    return RowError(msg("must be a JSON object {{...}}", "必须是 JSON 对象 {{...}}"), row)


def unreadable_text(value: Any) -> Text | None:
    """Why a JSON value's text cannot be read, at any depth: a NUL (`\\u0000`), a lone surrogate (`\\ud800`)."""
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            return NUL_BYTE
        return LONE_SURROGATE if has_surrogate(value) else None
    if kind is dict:
        return next(
            (why for key, item in value.items() if (why := unreadable_text(key) or unreadable_text(item))), None
        )
    if kind is list:
        return next((why for item in value if (why := unreadable_text(item)) is not None), None)
    return None


def may_be_unreadable(line: bytes | str) -> bool:
    """Whether a line of JSON escapes a NUL or a surrogate (`unreadable_text` then looks; an emoji is two)."""
    if type(line) is str:
        return "\\u0000" in line or "\\ud" in line or "\\uD" in line
    return b"\\u0000" in line or b"\\ud" in line or b"\\uD" in line  # type: ignore[operator]
