"""Raw rows to validated requests: the fields a plugin declared, typed.

`compile_fields(fields)` builds, once per stream, a function from a raw row
(a dict from JSON, CSV or flags) to the dict of typed values a hook receives.
Absent and empty cells take the field's default; a bad value raises `BadValue`
naming the field, what it must be and what was given:
`qty must be > 0, got "-3"`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from bizops.core.i18n import Text
from bizops.core.schema import NOW, Field
from bizops.core.values import BadItem, BadValue, converter


def shown(raw: Any) -> str:
    """A raw value as the user typed it, quoted like JSON, cut when long."""
    text = raw if type(raw) is str else json.dumps(raw, ensure_ascii=False, default=str)
    if len(text) > 60:
        text = text[:57] + "..."
    return json.dumps(text, ensure_ascii=False) if type(raw) is str else text


def compile_fields(fields: Iterable[Field], now=None) -> Callable[[dict], dict]:
    """A function raw row -> typed fields; raises `BadValue` on the first bad field.

    `now` replaces `NOW` defaults (the run's clock).
    """
    plan = []
    for field in fields:
        default = now if field.default == NOW else field.default
        plan.append((field.name, converter(field), default, field.required))

    def build(raw: dict) -> dict:
        typed = {}
        for name, convert, default, required in plan:
            value = raw.get(name)
            if value is None or value == "":
                if required:
                    raise BadValue(Text(f"{name} is required", f"缺少必填字段 {name}"))
                typed[name] = default
                continue
            try:
                typed[name] = convert(value)
            except BadItem as exc:
                reason = exc.reason
                raise BadValue(Text(f"{name}{reason}", f"{name}{getattr(reason, 'zh', reason)}")) from None
            except BadValue as exc:
                reason = exc.reason
                raise BadValue(
                    Text(
                        f"{name} {reason}, got {shown(value)}",
                        f"{name} {getattr(reason, 'zh', reason)}，实际为 {shown(value)}",
                    )
                ) from None
        return typed

    return build
