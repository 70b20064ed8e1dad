"""A tiny company for the ledger tests: it accumulates amounts per customer in history.

`approve-order` reads the customer's running total, adds the order to it and
says what the total was before and after; `TALLY_SLEEP` (seconds) waits
between reading and writing, to widen the window a lost update would need,
and `TALLY_ENTRIES` adds that many extra entries per order (a decision with
several entries, for the kill test). `score` sets a monthly value per person.
"""

import os
import time
from decimal import Decimal

from bizops.api import Column, CommandSpec, Company, Field, RowError, Rule, hookimpl, map_rows, msg

NAME = "tally"
RULE = Rule("tally.order.accumulate", "test 1", en="orders accumulate per customer")

ORDER = CommandSpec(
    inputs=(
        Field("customer", "text", required=True),
        Field("amount", "money", required=True),
        Field("new_customer", "bool"),
    ),
    outputs=(
        Column("customer", "text", zh="客户", en="customer"),
        Column("amount", "money", zh="金额", en="amount"),
        Column("before", "money", zh="之前", en="before"),
        Column("after", "money", zh="之后", en="after"),
        Column("known", "bool", zh="老客户", en="known"),
        Column("status", "enum", zh="状态", en="status"),
        Column("reason", "text", zh="原因", en="reason"),
    ),
)
SCORE = CommandSpec(
    inputs=(
        Field("person", "text", required=True),
        Field("period", "text", required=True),
        Field("points", "decimal", required=True),
    ),
    outputs=(
        Column("person", "text", zh="人员", en="person"),
        Column("period", "text", zh="月份", en="period"),
        Column("points", "decimal", zh="分数", en="points"),
        Column("previous", "decimal", zh="上月", en="previous"),
    ),
    aggregate=True,
)


@hookimpl
def bizops_company():
    return Company(
        NAME,
        zh="计数公司",
        en="Tally Co",
        version="9.9.9",
        commands={"approve-order": ORDER, "score": SCORE},
        rules=(RULE,),
    )


def _order(fields, context):
    history = context.history
    customer, amount = fields["customer"], fields["amount"]
    if amount > Decimal("1000000"):
        raise RowError(msg("amount too large", "金额过大"))
    known = history.known_customer(customer)
    before = history.total("pending", customer)
    delay = float(os.environ.get("TALLY_SLEEP") or 0)
    if delay:
        time.sleep(delay)
    history.add("pending", customer, amount)
    for i in range(int(os.environ.get("TALLY_ENTRIES") or 0)):
        if delay:
            time.sleep(delay)
        history.set("extra", f"{customer}|{i}", {"n": i, "amount": amount})
    result = {
        "customer": customer,
        "amount": amount,
        "before": before,
        "after": history.total("pending", customer),
        "known": known,
        "status": "refused" if amount == Decimal("13.00") else "ok",
        "reason": msg("unlucky", "不吉利") if amount == Decimal("13.00") else None,
    }
    if context.explain:
        result["trace"] = [RULE.applied(msg("{b} + {a}", "{b} 加 {a}", b=before, a=amount))]
    return result


@hookimpl
def bizops_approve(company, requests, policy, context):
    if company != NAME:
        return None
    return map_rows(requests, lambda fields: _order(fields, context))


@hookimpl
def bizops_score(company, events, policy, context):
    if company != NAME:
        return None
    totals = {}
    for _row, fields in events:
        key = (fields["person"], fields["period"])
        totals[key] = totals.get(key, Decimal(0)) + fields["points"]

    def results():
        for (person, period), points in sorted(totals.items()):
            previous = context.history.latest("score", f"{person}|prev")
            context.history.set("score", f"{person}|prev", points)
            yield {
                "person": person,
                "period": period,
                "points": points,
                "previous": None if previous is None else Decimal(previous),
            }

    return results()
