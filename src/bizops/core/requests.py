"""Raw rows to validated requests: the fields a plugin declared, typed.

`compile_fields(fields)` builds, once per stream, a function from a raw row
(a dict from JSON, CSV or flags) to the dict of typed values a hook receives.
Absent and empty cells take the field's default; a bad value raises `BadValue`
naming the field, what it must be and what was given:
`qty must be > 0, got "-3"`.

The function is generated as straight-line Python, one block per field, the
way `dataclasses` generates `__init__`: on a million-row order book a loop
over the fields cost as much as the pricing itself (README, "Speed"). Its
text is registered with `linecache` (`bizops.core.generated`), so a traceback
through it shows its lines; `tests/core/golden/` holds the text for known
specs. A `records` field (a trip's legs) parses each item with a function
compiled the same way from the field's `fields`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from bizops.core.generated import define
from bizops.core.i18n import Text, msg
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


#: A long number as Excel and WPS show it in a General column, and so write it to a CSV: `2.02611E+11` for the
#: order number 202611230001. The digits after the sixth are gone: two orders would share one id.
_SHORTENED = r"[+-]?\d(\.\d+)?E\+\d+"


def _shortened(name: str, text: str) -> None:
    import re  # only for a text holding `E+`

    if re.fullmatch(_SHORTENED, text):
        _bad(
            name,
            text,
            BadValue(
                msg(
                    "is a long number Excel or WPS shortened (its digits after the sixth are lost): format the "
                    "column as text (文本) there and save again",
                    "是被 Excel 或 WPS 缩写的长数字（第六位之后的数字已丢失）：请在其中把该列设为文本格式后重新保存",
                )
            ),
        )


def _missing(name: str):
    raise BadValue(Text(f"{name} is required", f"缺少必填字段 {name}"))


#: What an export's totals line says in a cell (`合计,,1,500.00`): one of these, or in Chinese a text starting
#: or ending with 合计/总计/小计 (`广州甲公司 小计`, `本页合计`, `合计：3家`).
TOTALS = frozenset({"合计", "总计", "小计", "total", "subtotal", "grand total", "totals"})
_TOTAL_WORDS = ("合计", "总计", "小计")


def totals_line(text: str) -> bool:
    """Whether a cell's text (stripped) marks an export's totals line rather than a value."""
    return text.lower() in TOTALS or _says_total(text)


def _says_total(text: str) -> bool:
    """In Chinese only: a customer may well be called Total, none is called 合计."""
    compact = text.replace(" ", "").replace("\u3000", "")
    return compact.startswith(_TOTAL_WORDS) or compact.endswith(_TOTAL_WORDS)


class TotalsLine(BadValue):
    """A row that is an export's totals line (`合计` where a customer's name goes), not a request."""

    def __init__(self, text: str):
        super().__init__(msg("a totals row ({t}), not a request", "合计行（{t}），不是一笔请求", t=text))


def _not_totals(text: str) -> None:
    if _says_total(text):
        raise TotalsLine(text)


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
            t{i} = v.strip(){checks}
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


class FieldParser(Protocol):
    """What `compile_fields` returns: the generated function, with what it was made of.

    `namespace` holds its globals (`namespace["unknown"]`: see `watch_unknown`);
    `source` is its text (registered with `linecache`, compared by golden tests).
    """

    namespace: dict[str, Any]
    source: str

    def __call__(self, raw: dict) -> dict: ...


def compile_fields(fields: Iterable[Field], now=None, watch_unknown: bool = False) -> FieldParser:
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
        "_not_totals": _not_totals,
        "_shortened": _shortened,
        "LIMIT": MEMO_LIMIT,
        "unknown": lambda raw: None,
    }
    body = ["def build(raw):", "    get = raw.get"] + (["    n = 0"] if watch_unknown else [])
    count = "\n        n += 1" if watch_unknown else ""
    names = []
    for i, field in enumerate(fields):
        namespace[f"d{i}"] = _now_for(field, now) if field.default == NOW else field.default
        absent = f"_missing({field.name!r})" if field.required else f"t{i} = d{i}"
        if field.kind == "records":  # lists are mutable: never memoised
            namespace[f"c{i}"] = _records(field)
            body.append(_BLOCK_NO_MEMO.format(name=field.name, i=i, absent=absent, count=count))
            names.append(f"{field.name!r}: t{i}")
            continue
        convert = converter(field)
        if convert.memo is None:  # text: stripped inline, anything else through the converter
            namespace[f"c{i}"] = convert.parse
            # A required name (customer, employee …) is never an export's totals line: `合计` as a customer
            # would be decided as one, and its amount counted twice. One test a row: most names hold no 计.
            checks = f"\n            if '计' in t{i}:\n                _not_totals(t{i})" if field.required else ""
            # An id or a code Excel wrote as `2.02611E+11`: one test a cell, as rare as it is costly.
            checks += f"\n            if 'E+' in t{i}:\n                _shortened({field.name!r}, t{i})"
            body.append(_BLOCK_TEXT.format(name=field.name, i=i, absent=absent, count=count, checks=checks))
        else:
            namespace[f"m{i}"] = convert.memo
            namespace[f"p{i}"] = convert.parse
            ints = convert.ints
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
    source = "\n".join(body) + "\n"
    define(source, "fields", namespace)
    build = namespace["build"]
    build.namespace = namespace  # `build.namespace["unknown"]`: see watch_unknown
    build.source = source
    return build


def _now_for(field: Field, now: Any) -> Any:
    """A `NOW` default as its field's kind has it: the run's time, or its day for a date (`--as-of`)."""
    return now.date() if field.kind == "date" and now is not None else now


def compile_problems(fields: Iterable[Field], now=None) -> Callable[[dict], list[Text]]:
    """A function raw row -> everything wrong with it, field by field (`compile_fields` stops at the first).

    For the message of a row already found bad, not for the hot path: `row 3:
    settlement must be one of cash, credit, got "x"; invoice must be …`. A
    totals line is not a problem of one field: the stream names the row.
    """
    checks = [compile_fields((field,), now) for field in fields]

    def problems(raw: dict) -> list[Text]:
        found = []
        for check in checks:
            try:
                check(raw)
            except TotalsLine:  # the stream names the row as a whole
                pass
            except BadValue as exc:
                found.append(exc.reason)
        return found

    return problems


def joined(reasons: list[Text]) -> Text:
    """Several reasons as one message: `a; b` (`a；b` in Chinese)."""
    text = reasons[0]
    for reason in reasons[1:]:
        text = text + Text("; ", "；") + reason
    return text


def _records(field: Field) -> Callable[[Any], list]:
    """A list of objects (JSON) or a JSON list in one CSV cell, each item parsed by the field's `fields`."""
    build = compile_fields(field.fields)

    def parse(raw):
        if type(raw) is str:
            from bizops.core.readers import exact_json  # as a JSON row is read: no exponents, no repeated keys

            try:
                raw = exact_json(raw)
            except (ValueError, RecursionError):
                raise BadValue(msg("must be a JSON list of objects", "必须是 JSON 对象列表")) from None
        if type(raw) is dict:
            raw = [raw]
        if type(raw) is not list:
            raise BadValue(msg("must be a list of objects", "必须是对象列表"))
        items = []
        for index, item in enumerate(raw, 1):
            if type(item) is not dict:
                raise BadValue(msg("item {i} must be an object", "第 {i} 项必须是对象", i=index))
            try:
                items.append(build(item))
            except BadValue as exc:
                raise BadItem(
                    Text(f"[{index}].{exc.reason}", f" 第 {index} 项：{getattr(exc.reason, 'zh', exc.reason)}")
                ) from None
        return items

    return parse
