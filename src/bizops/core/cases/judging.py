"""Judging a rule case: what its outcome got wrong against what it expects, and the rules behind it.

Expected tables name only the keys they care about; numbers compare by value
(`968.4` equals the output's `"968.40"`), text as written; an expected error
is a piece of a message, English or Chinese.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from bizops.core.cases.loading import Case
from bizops.core.cases.running import Outcome
from bizops.core.errors import PluginFailure
from bizops.core.i18n import Text, msg


def judge(case: Case, outcome: Outcome) -> list[Text]:
    """What differs from the case's expectations; empty when the case passes."""
    found: list[Text] = []
    crashed = isinstance(outcome.failure, PluginFailure)
    if case.expect_error is not None and not crashed:
        if not any(case.expect_error in e for e in outcome.errors):
            got = "; ".join(outcome.errors)
            found.append(
                msg(
                    "expected an error containing {e}; {g}",
                    "预期出现包含 {e} 的错误；{z}",
                    e=_shown(case.expect_error),
                    g=f"got: {got}" if got else "there was none",
                    z=f"实际：{got}" if got else "没有出现错误",
                )
            )
    else:
        found += [msg("unexpected error: {e}", "意外的错误：{e}", e=e) for e in outcome.errors]
    rows = outcome.rows
    if case.expect is not None:
        if case.one:
            if len(rows) != 1:
                found.append(msg("expected one result, got {n}", "预期一个结果，实际 {n} 个", n=len(rows)))
            else:
                found += differences(case.expect[0], rows[0], "")
        else:
            if len(rows) != len(case.expect):
                found.append(
                    msg(
                        "expected {e} results, got {n}", "预期 {e} 个结果，实际 {n} 个", e=len(case.expect), n=len(rows)
                    )
                )
            for number, (want, got) in enumerate(zip(case.expect, rows, strict=False), 1):
                found += differences(want, got, f"[{number}]")
    if case.expect_rules:
        applied = [str(step.get("rule")) for row in rows for step in (row.get("trace") or []) if isinstance(step, dict)]
        for rule in case.expect_rules:
            if rule not in applied:
                found.append(
                    msg(
                        "rule {r} did not apply (applied: {a})",
                        "规则 {r} 未适用（适用的：{a}）",
                        r=rule,
                        a=", ".join(dict.fromkeys(applied)) or "-",
                    )
                )
    return found


def differences(want: Any, got: Any, where: str) -> list[Text]:
    """Where `got` differs from `want`: tables compare the keys they name, lists item by item."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [_differ(where, want, got)]
        found = []
        for key, value in want.items():
            here = f"{where}.{key}" if where else key
            if key not in got:
                found.append(
                    msg(
                        "{w}: expected {e}, not in the output", "{w}：预期 {e}，输出中没有该项", w=here, e=_shown(value)
                    )
                )
            else:
                found += differences(value, got[key], here)
        return found
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [_differ(where, want, got)]
        found = []
        for index, (w, g) in enumerate(zip(want, got, strict=True), 1):
            found += differences(w, g, f"{where}[{index}]")
        return found
    return [] if same(want, got) else [_differ(where, want, got)]


def same(want: Any, got: Any) -> bool:
    """A scalar of the output equals the expected one: numbers by value, text as written."""
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return type(want) is type(got) and want == got
    if isinstance(want, int | Decimal):
        try:
            return Decimal(str(got)) == want if isinstance(got, str | int | Decimal) else False
        except InvalidOperation:
            return False
    if isinstance(want, str) and isinstance(got, int):
        return str(got) == want
    return want == got


def _differ(where: str, want: Any, got: Any) -> Text:
    if where:
        return msg("{w}: expected {e}, got {g}", "{w}：预期 {e}，实际 {g}", w=where, e=_shown(want), g=_shown(got))
    return msg("expected {e}, got {g}", "预期 {e}，实际 {g}", e=_shown(want), g=_shown(got))


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def trace_of(outcome: Outcome) -> list[Text]:
    """The rules behind the case's results, one line a step (numbered by result when there are several)."""
    lines = []
    results = outcome.results if len(outcome.results) == len(outcome.rows) else outcome.rows
    for number, result in enumerate(results, 1):
        for step in result.get("trace") or []:
            if not isinstance(step, dict):
                continue
            effect = step.get("effect", "")
            head = f"[{number}] " if len(results) > 1 else ""
            lines.append(
                Text(
                    f"{head}{step.get('rule')} ({step.get('clause')}): {effect}",
                    f"{head}{step.get('rule')}（{step.get('clause')}）：{getattr(effect, 'zh', effect)}",
                )
            )
    return lines
