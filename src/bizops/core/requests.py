"""Raw rows to validated requests: the fields a plugin declared, typed.

`compile_fields(fields)` builds, once per stream, a function from a raw row
(a dict from JSON, CSV or flags) to the dict of typed values a hook receives.
Absent and empty cells take the field's default; a bad value raises `BadValue`
naming the field, what it must be and what was given:
`qty must be > 0, got "-3"`.

The function is generated as straight-line Python, one block per field, the
way `dataclasses` generates `__init__`: on a million-row order book a loop
over the fields cost as much as the pricing itself (README, "Speed").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bizops.core.i18n import Text
from bizops.core.schema import NOW, Field
from bizops.core.values import MEMO_LIMIT, BadItem, BadValue, converter


def shown(raw: Any) -> str:
    """A raw value as the user typed it, quoted like JSON, cut when long."""
    import json  # for error messages only: not on the start-up path

    text = raw if type(raw) is str else json.dumps(raw, ensure_ascii=False, default=str)
    if len(text) > 60:
        text = text[:57] + "..."
    return json.dumps(text, ensure_ascii=False) if type(raw) is str else text


def _bad(name: str, raw: Any, exc: BadValue):
    reason = exc.reason
    if isinstance(exc, BadItem):
        raise BadValue(Text(f"{name}{reason}", f"{name}{getattr(reason, 'zh', reason)}")) from None
    raise BadValue(
        Text(
            f"{name} {reason}, got {shown(raw)}",
            f"{name} {getattr(reason, 'zh', reason)}，实际为 {shown(raw)}",
        )
    ) from None


def _missing(name: str):
    raise BadValue(Text(f"{name} is required", f"缺少必填字段 {name}"))


_BLOCK = """\
    v = get({name!r})
    if not v and (v is None or v == ""):  # most values are truthy: one test
        {absent}
    else:{count}
        try:
            t{i} = m{i}.get(v){guard}
        except TypeError:  # a list or an object: not memoised
            t{i} = None
        if t{i} is None:
            try:
                t{i} = p{i}(v)
            except BadValue as exc:
                _bad({name!r}, v, exc)
            if len(m{i}) < LIMIT and (v.__class__ is str{ints}):
                m{i}[v] = t{i}
"""
_BLOCK_TEXT = """\
    v = get({name!r})
    if not v and (v is None or v == ""):
        {absent}
    else:{count}
        if v.__class__ is str:
            t{i} = v.strip()
        else:
            try:
                t{i} = c{i}(v)
            except BadValue as exc:
                _bad({name!r}, v, exc)
"""
_BLOCK_NO_MEMO = """\
    v = get({name!r})
    if not v and (v is None or v == ""):  # most values are truthy: one test
        {absent}
    else:{count}
        try:
            t{i} = c{i}(v)
        except BadValue as exc:
            _bad({name!r}, v, exc)
"""


def compile_fields(fields: Iterable[Field], now=None, watch_unknown: bool = False) -> Callable[[dict], dict]:
    """A function raw row -> typed fields; raises `BadValue` on the first bad field.

    `now` replaces `NOW` defaults (the run's clock). With `watch_unknown`, a
    row with more keys than the fields it filled calls `build.unknown(raw)`
    (set by the caller), which can look for a column no field reads: counting
    costs a tenth of comparing every row's keys.
    """
    namespace: dict[str, Any] = {
        "BadValue": BadValue,
        "_bad": _bad,
        "_missing": _missing,
        "LIMIT": MEMO_LIMIT,
        "unknown": lambda raw: None,
    }
    body = ["def build(raw):", "    get = raw.get"] + (["    n = 0"] if watch_unknown else [])
    count = "\n        n += 1" if watch_unknown else ""
    names = []
    for i, field in enumerate(fields):
        convert = converter(field)
        namespace[f"c{i}"] = convert
        namespace[f"m{i}"] = convert.memo
        namespace[f"p{i}"] = getattr(convert, "parse", None)
        namespace[f"d{i}"] = now if field.default == NOW else field.default
        absent = f"_missing({field.name!r})" if field.required else f"t{i} = d{i}"
        if field.kind in ("text", "path"):
            body.append(_BLOCK_TEXT.format(name=field.name, i=i, absent=absent, count=count))
        elif convert.memo is None:
            body.append(_BLOCK_NO_MEMO.format(name=field.name, i=i, absent=absent, count=count))
        else:
            ints = convert.memo_ints
            body.append(
                _BLOCK.format(
                    name=field.name,
                    i=i,
                    absent=absent,
                    count=count,
                    # a number's memo has int keys, and JSON true == 1: never look a bool up there
                    guard=" if v.__class__ is not bool else None" if ints else "",
                    ints=" or v.__class__ is int" if ints else "",
                )
            )
        names.append(f"{field.name!r}: t{i}")
    if watch_unknown:
        body.append("    if n != len(raw):\n        unknown(raw)")
    body.append("    return {" + ", ".join(names) + "}")
    exec("\n".join(body), namespace)
    build = namespace["build"]
    build.namespace = namespace  # `build.namespace["unknown"]`: see watch_unknown
    return build
