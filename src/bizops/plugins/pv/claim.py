"""After a trip (三, 四, 五): what is paid, what is not and why, and the balance against the advance.

    days       = calendar days, both ends counted               pv.claim.days
    allowance  = rate × min(days, 2 | 3)                         pv.claim.allowance
    transport  = the legs' paid amounts                          pv.claim.train … own_transport
    meals      = min(amount, order × 2 %) per qualifying meal    pv.claim.client_meal
    total      = allowance + transport + meals; balance = total − advance

A third trip to one customer, or a trip an invited colleague claims, is the
employee's own: the claim is refused and one `trip` item carries it all.
"""

from __future__ import annotations

from decimal import Decimal

from bizops.api import ZERO, Text, round_fen

from .legs import Transport, check_legs
from .meals import client_meals
from .reports import absence, paperwork
from .spec import ALLOWANCE, BALANCE, DAYS, INVITED, SAME_CUSTOMER
from .trip import Book, count_days, day_count, limits, purpose, say, scope_text

TRIPS = "trips"  # ledger kind: one entry per claimed visit, keyed employee|customer


class Claims:
    """Decides one claim at a time with the policy's values, read once."""

    def __init__(self, policy, context):
        self.policy = policy
        self.context = context
        self.explain = context.explain

    def decide(self, fields: dict) -> dict:
        kind = purpose(fields)
        days = count_days(fields)
        check_legs(fields)
        legs = fields["legs"] or []
        meals = fields["client_meals"] or []
        book = Book(self.explain)
        scope = fields["scope"]
        paid_days, absence_days = limits(scope, self.policy)
        book.why(
            DAYS,
            "{d} from {a} to {b}, at most {p} paid {w}",
            "{a} 至 {b} 共 {d}，{w}最多报销 {p} 天",
            d=day_count(days),
            a=fields["depart"].date().isoformat(),  # not strftime: `%Y` writes the year 1 as `1`
            b=fields["return"].date().isoformat(),
            p=paid_days,
            w=scope_text(scope),
        )
        rate = self.rate(scope, days, book)
        number = self.trip_number(fields, kind, book)
        refusal = self.whole_trip(fields, number, book)
        if refusal is None:
            allowed = min(days, paid_days)
            allowance = self.allowance(rate, days, allowed, paid_days, scope, book)
            reviewer = "general_manager" if fields["role"] == "dept_head" else "dept_head"
            transport = Transport(self.policy, book, reviewer, bool(fields["gm_flight_approval"])).pay(legs)
            meals_paid = client_meals(meals, self.policy, book)
        else:
            allowed, allowance, transport, meals_paid = 0, ZERO, ZERO, ZERO
            own_trip(fields, rate * days, refusal, book)
        flags = absence(days, absence_days, fields["special_approval"], book)
        flags += paperwork(fields, kind, self.policy, book)
        total = allowance + transport + meals_paid
        balance = total - fields["advance"]
        book.why(
            BALANCE,
            "total {t:.2f} − advance {a:.2f} = {b:.2f}",
            "合计 {t:.2f} − 预支 {a:.2f} = {b:.2f}",
            t=total,
            a=fields["advance"],
            b=balance,
        )
        if number is not None and self.context.record:
            self.context.history.add(TRIPS, trip_key(fields), Decimal(1))
        result = {
            "employee": fields["employee"],
            "days": days,
            "allowance_rate": rate,
            "allowance_days": allowed,
            "allowance": allowance,
            "transport": round_fen(transport),
            "client_meals": round_fen(meals_paid),
            "total": round_fen(total),
            "advance": fields["advance"],
            "balance": round_fen(balance),
            "disallowed": book.disallowed,
            "needs_review": book.needs_review,
            "reviewers": book.reviewers,
            "flags": flags,
            "status": "ok" if refusal is None else "refused",
            "reason": refusal,
            "warnings": book.warnings,
        }
        if self.explain:
            result["trace"] = book.trace
        return result

    def rate(self, scope: str, days: int, book: Book) -> Decimal:
        """pv.claim.allowance: 15 a day in province back the same day, 100 overnight, 130 out of province."""
        policy = self.policy
        if scope == "out_of_province":
            rate, how = policy.rate_out_of_province, say("out of province", "省外")
        elif days == 1:
            rate, how = policy.rate_same_day, say("in province, back the same day", "省内当天回来")
        else:
            rate, how = policy.rate_overnight, say("in province, overnight", "省内当天不能回来")
        book.why(ALLOWANCE, "{h}: {r:.2f} a day", "{h}：每天 {r:.2f}", h=how, r=rate)
        return rate

    def allowance(self, rate: Decimal, days: int, allowed: int, paid_days: int, scope: str, book: Book) -> Decimal:
        """pv.claim.days: the allowance of days beyond 2 (in province) or 3 (out of it) is the employee's own.

        **Reading** (spec): only the extra days' allowance is taken, since the
        fare home falls on the last day of any trip.
        """
        allowance = round_fen(rate * allowed)
        book.why(ALLOWANCE, "{r:.2f} × {n} = {a}", "{r:.2f} × {n} = {a}", r=rate, n=day_count(allowed), a=allowance)
        if days > allowed:
            extra = round_fen(rate * (days - allowed))
            book.disallow(
                Text("allowance", "补贴"),
                extra,
                say(
                    "{x} over the {p} paid for a trip {w}",
                    "超过{w}每次出差 {p} 天的 {x}，费用自理",
                    x=day_count(days - allowed),
                    p=paid_days,
                    w=scope_text(scope),
                ),
                DAYS,
            )
            book.why(DAYS, "{x} over: {e} not paid", "超出 {x}：{e} 不予报销", x=day_count(days - allowed), e=extra)
        return allowance

    def trip_number(self, fields: dict, kind: str, book: Book) -> int | None:
        """pv.claim.same_customer: which trip to this customer this is; from the ledger when not given."""
        if kind != "visit":
            book.why(SAME_CUSTOMER, "a new-market trip: no customer count", "开拓新市场：不计客户拜访次数")
            return None
        number = fields["trip_number"]
        if number is not None:
            book.why(SAME_CUSTOMER, "trip {n} to {c}", "第 {n} 次拜访 {c}", n=number, c=fields["customer"])
            return number
        earlier = self.context.history.count(TRIPS, trip_key(fields))
        if earlier == 0:
            book.warn(
                say(
                    "no trip_number and no earlier trip to {c} recorded: counted as the first",
                    "未填写 trip_number，也没有拜访 {c} 的记录：按第一次计",
                    c=fields["customer"],
                )
            )
        book.why(
            SAME_CUSTOMER,
            "{e} earlier trips to {c} recorded: this is trip {n}",
            "已记录拜访 {c} {e} 次：本次为第 {n} 次",
            e=earlier,
            c=fields["customer"],
            n=earlier + 1,
        )
        return earlier + 1

    def whole_trip(self, fields: dict, number: int | None, book: Book) -> Text | None:
        """pv.claim.invited and the third trip of pv.claim.same_customer: nothing of the trip is paid."""
        if fields["invited"]:
            return say(
                "invited along by a colleague: none of the trip's costs are paid",
                "受同事邀请出差：本次出差的任何费用均不予报销",
            )
        most = self.policy.max_paid_trips
        if number is not None and number > most:
            return say(
                "trip {n} to {c}: only {m} trips to one customer are paid; this one is the employee's own",
                "第 {n} 次拜访 {c}：同一客户最多报销 {m} 次，本次费用自理",
                n=number,
                c=fields["customer"],
                m=most,
            )
        return None


def own_trip(fields: dict, allowance: Decimal, refusal: Text, book: Book) -> None:
    """The whole trip is the employee's own: one `trip` item carries the allowance, every fare and every meal."""
    claimed = allowance + sum((leg["fare"] or ZERO for leg in fields["legs"] or ()), ZERO)
    claimed += sum((meal["amount"] for meal in fields["client_meals"] or ()), ZERO)
    rule = INVITED if fields["invited"] else SAME_CUSTOMER
    book.disallow(Text("trip", "整个行程"), claimed, refusal, rule)
    book.why(rule, "{r}: {c:.2f} not paid", "{r}：{c:.2f} 不予报销", r=refusal, c=claimed)


def trip_key(fields: dict) -> str:
    return f"{fields['employee']}|{fields['customer']}"
