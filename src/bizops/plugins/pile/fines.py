"""The fines ledger (罚款): ranges from the policy, totals per person and month.

Each fine is so many yuan per time within a range (route violations 10-50,
wrong plans 100-200, …). An event's `amount` is the fine for one time and must
lie in its range; without one, the range's minimum is charged. A month's
`fines` is Σ amount × count, beside what the same events could have cost at
the ranges' ends (`fines_min`, `fines_max`).
"""

from __future__ import annotations

from decimal import Decimal

from bizops.api import ZERO, ConfigError, RowError, msg, name_key, round_fen

from .spec import FINE_DEFAULTS, FINE_RULES


def fine_ranges(policy) -> dict[str, tuple[Decimal, Decimal]]:
    """Each fine's (min, max) per time from the policy; a range upside down is a config error."""
    ranges = {}
    for code in FINE_DEFAULTS:
        low, high = policy[f"{code}_fine_min"], policy[f"{code}_fine_max"]
        if low > high:
            sources = (policy.sources.get(f"{code}_fine_min"), policy.sources.get(f"{code}_fine_max"))
            where = next((s for s in sources if s and s != "default"), "policy")
            raise ConfigError(
                msg(
                    "{f}: [company.pile] {c}_fine_min {lo} is above {c}_fine_max {hi}",
                    "{f}：[company.pile] {c}_fine_min {lo} 大于 {c}_fine_max {hi}",
                    f=where,
                    c=code,
                    lo=low,
                    hi=high,
                )
            )
        ranges[code] = (round_fen(low), round_fen(high))
    return ranges


def score(events, policy, context):
    """pile.fine.*: one row per person and month, sorted; a fine outside its range is a bad event."""
    ranges = fine_ranges(policy)
    explain = context.explain
    months: dict[tuple[str, str], dict] = {}
    for row, event in events:
        code, count = event["code"], event["count"]
        low, high = ranges[code]
        amount = event["amount"]
        if amount is None:
            amount = low
        elif not low <= amount <= high:
            yield RowError(
                msg(
                    "amount {a} is outside the {lo}–{hi} yuan a time for {c}",
                    "金额 {a} 超出 {c} 每次 {lo}–{hi} 元的范围",
                    a=amount,
                    lo=low,
                    hi=high,
                    c=code,
                ),
                row,
            )
            continue
        # `张 三` is 张三 (`name_key`); YYYY-MM by isoformat: strftime's %Y writes the year 1 as 1
        key = (name_key(event["person"]), event["date"].isoformat()[:7])
        month = months.get(key)
        if month is None:
            month = months[key] = {"fines": ZERO, "fines_min": ZERO, "fines_max": ZERO, "count": 0, "trace": []}
        month["fines"] += amount * count
        month["fines_min"] += low * count
        month["fines_max"] += high * count
        month["count"] += count
        if explain:
            month["trace"].append(
                FINE_RULES[code].applied(
                    msg(
                        "{d}: {n} × {a} (range {lo}–{hi} a time)",
                        "{d}：{n} 次 × {a}（每次 {lo}–{hi}）",
                        d=event["date"].isoformat(),
                        n=count,
                        a=round_fen(amount),
                        lo=low,
                        hi=high,
                    )
                )
            )
    for (person, period), month in sorted(months.items()):
        result = {
            "person": person,
            "period": period,
            "fines": round_fen(month["fines"]),
            "fines_min": round_fen(month["fines_min"]),
            "fines_max": round_fen(month["fines_max"]),
            "count": month["count"],
            "warnings": [],
        }
        if explain:
            result["trace"] = month["trace"]
        yield result
