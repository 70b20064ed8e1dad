"""What requests and claims share: the trip's days, its purpose, and the items of a decision."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from bizops.api import ZERO, RowError, Rule, Text, msg, round_fen


def say(en: str, zh: str, **params) -> Text:
    """`msg`, but a `Text` parameter shows its Chinese in the Chinese message."""
    return Text(en.format(**params), zh.format(**{k: getattr(v, "zh", v) for k, v in params.items()}))


def trip_name(fields: dict) -> Text:
    """How an error names the trip: its `trip_id` when a spreadsheet gave one."""
    trip_id = fields.get("trip_id")
    if trip_id:
        return msg("trip {t}: ", "行程 {t}：", t=trip_id)
    return Text("", "")


def count_days(fields: dict) -> int:
    """pv.claim.days: calendar days from the depart date to the return date, both counted.

    A date without a time reads as midnight, so a return given as a bare date
    on the departure day is that day, not a return before leaving.
    """
    depart: datetime = fields["depart"]
    back: datetime = fields["return"]
    if back.date() < depart.date() or (back < depart and back.time() != time(0)):
        raise RowError(
            trip_name(fields)
            + msg(
                "return {r} is before the departure {d}",
                "返回时间 {r} 早于出发时间 {d}",
                r=_shown(back),
                d=_shown(depart),
            )
        )
    return (back.date() - depart.date()).days + 1


def _shown(moment: datetime) -> str:
    """A date, with its time when not midnight (isoformat: `strftime`'s `%Y` writes the year 1 as `1`)."""
    return moment.date().isoformat() if moment.time() == time(0) else moment.isoformat(" ", "minutes")


def purpose(fields: dict) -> str:
    """A trip visits a `customer` or opens a new market; neither is an invalid row."""
    given, customer = fields["purpose"], fields["customer"]
    if given == "new_market":
        return given
    if not customer:
        raise RowError(
            trip_name(fields)
            + msg(
                "name the customer visited, or give purpose new_market",
                "请填写拜访的客户 customer，或将出差目的 purpose 设为 new_market",
            )
        )
    return "visit"


def limits(scope: str, policy) -> tuple[int, int]:
    """The paid days and the absence threshold for the trip's scope."""
    if scope == "in_province":
        return policy.paid_days_in_province, policy.absence_days_in_province
    return policy.paid_days_out_of_province, policy.absence_days_out_of_province


def day_count(n: int) -> Text:
    return Text(f"{n} day" if n == 1 else f"{n} days", f"{n} 天")


def scope_text(scope: str) -> Text:
    return msg("in province", "省内") if scope == "in_province" else msg("out of province", "省外")


class Book:
    """The explanation of one decision as it is made: what is not paid, what a person must look at, why.

    Every item is `{item, amount, reason, rule}`, its amount rounded to the fen.
    The trace is only kept with `--explain` (the formatting costs time).
    """

    def __init__(self, explain: bool):
        self.explain = explain
        self.disallowed: list[dict] = []
        self.needs_review: list[dict] = []
        self.reviewers: list[str] = []
        self.warnings: list[Text] = []
        self.trace: list[dict] = []

    def disallow(self, item: str, amount: Decimal, reason: Text, rule: Rule) -> None:
        if amount > ZERO:
            self.disallowed.append(_item(item, amount, reason, rule))

    def review(self, item: str, amount: Decimal, reason: Text, rule: Rule, reviewer: str) -> None:
        self.needs_review.append(_item(item, amount, reason, rule))
        self.reviewer(reviewer)

    def reviewer(self, who: str) -> None:
        if who not in self.reviewers:
            self.reviewers.append(who)

    def warn(self, text: Text) -> None:
        self.warnings.append(text)

    def why(self, rule: Rule, en: str, zh: str, **params) -> None:
        if self.explain:
            self.trace.append(rule.applied(say(en, zh, **params)))


def _item(item: str, amount: Decimal, reason: Text, rule: Rule) -> dict:
    return {"item": item, "amount": round_fen(amount), "reason": reason, "rule": rule.id}
