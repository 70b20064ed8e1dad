"""Route revenue completion per person and period (`bizops score`), seed item 11.

    revenue, target  = sums over the person's routes in the period
    completion       = revenue / target, half-up to 4 places
    gap              = target − revenue (negative once the target is passed)
    routes_below     = routes whose own revenue / target is under completion_alert,
                       compared exactly, in the order they first appear

A route given in several events of one person and period is summed first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bizops.api import ZERO, RowError, msg, name_key, round_to

from .spec import REVENUE

#: A month as route sheets write it; a workbook's month cell is a date on the 1st (shown `2026年10月`).
_PERIOD = re.compile(r"(\d{4})(?:[-/.]|年)(\d{1,2})(?:月|-01(?: 00:00(?::00)?)?)?")


def period_of(raw: str) -> str:
    """`YYYY-MM` (`2026/1`, `2026.1`, `2026年1月` and a month cell's `2026-01-01` are `2026-01`)."""
    found = _PERIOD.fullmatch(raw.strip())
    if found and 1 <= int(found[2]) <= 12:
        return f"{found[1]}-{int(found[2]):02d}"
    raise RowError(msg('period must be a month YYYY-MM, got "{v}"', '月份 period 必须是 YYYY-MM，实际为 "{v}"', v=raw))


def score(events, policy, context):
    """Bad events as they come, then one card per person and period, sorted."""
    alert = policy.completion_alert
    cards: dict[tuple[str, str], dict[str, list[Decimal]]] = {}
    for row, fields in events:
        try:
            period = period_of(fields["period"])
        except RowError as exc:
            exc.row = row
            yield exc
            continue
        routes = cards.setdefault((name_key(fields["person"]), period), {})  # `张 三` is 张三: one card
        sums = routes.setdefault(fields["route"], [ZERO, ZERO])
        sums[0] += fields["revenue"]
        sums[1] += fields["target_revenue"]
    for person, period in sorted(cards):
        yield card(person, period, cards[(person, period)], alert, context.explain)


def card(person: str, period: str, routes: dict[str, list[Decimal]], alert: Decimal, explain: bool) -> dict:
    revenue = sum((r for r, _ in routes.values()), ZERO)
    target = sum((t for _, t in routes.values()), ZERO)
    below = [route for route, (r, t) in routes.items() if r < alert * t]
    completion = round_to(revenue / target, 4)
    result = {
        "person": person,
        "period": period,
        "revenue": revenue,
        "target_revenue": target,
        "completion": completion,
        "gap": target - revenue,
        "routes_below": below,
        "warnings": [],
    }
    if explain:
        result["trace"] = [
            REVENUE.applied(
                msg(
                    "{r} / {t} = {c} over {n} route(s); routes below the alert {a}: {b}",
                    "{n} 条航线合计 {r} / {t} = {c}；低于预警值 {a} 的航线：{b}",
                    r=revenue,
                    t=target,
                    c=completion,
                    n=len(routes),
                    a=alert,
                    b=", ".join(below) or "-",
                )
            )
        ]
    return result
