"""Before a trip (一, 二): who approves it, the travel advance, warnings on flying and length.

A request is `needs_approval` (status ok) unless it asks for more advance than
allowed, which refuses the row: the form would come back unsigned.
"""

from __future__ import annotations

from bizops.api import ZERO

from .spec import ADVANCE, CHAIN, LENGTH, PLANE_REQUEST
from .trip import Book, count_days, day_count, limits, purpose, say, scope_text


class Requests:
    """Decides one request at a time with the policy's values, read once."""

    def __init__(self, policy, context):
        self.policy = policy
        self.max_advance = policy.max_advance
        self.explain = context.explain

    def decide(self, fields: dict) -> dict:
        purpose(fields)
        days = count_days(fields)
        book = Book(self.explain)
        result = {
            "employee": fields["employee"],
            "days": days,
            "decision": "needs_approval",
            "status": "ok",
            "reason": None,
            "approvers": chain(fields["role"], book),
            "max_advance": self.max_advance,
        }
        advance_approvers, refusal = self.advance(fields["advance"], book)
        result["advance"] = fields["advance"]
        result["advance_approvers"] = advance_approvers
        if refusal is not None:
            result.update(decision="refused", status="refused", reason=refusal)
        plane(fields["plane"], book)
        self.length(fields["scope"], days, book)
        result["warnings"] = book.warnings
        if self.explain:
            result["trace"] = book.trace
        return result

    def advance(self, asked, book: Book):
        """pv.request.advance: signed by finance and the general manager, at most `max_advance`."""
        if asked == ZERO:
            book.why(ADVANCE, "no advance asked", "未申请预支差旅费")
            return [], None
        signers = ["finance", "general_manager"]
        if asked > self.max_advance:
            book.why(
                ADVANCE,
                "advance {a:.2f} is over the limit of {m:.2f}: refused",
                "预支 {a:.2f} 超过上限 {m:.2f}：拒绝",
                a=asked,
                m=self.max_advance,
            )
            return signers, say(
                "a travel advance may not exceed {m:.2f}; {a:.2f} was asked",
                "预支差旅费不得超过 {m:.2f} 元，申请了 {a:.2f} 元",
                m=self.max_advance,
                a=asked,
            )
        book.why(
            ADVANCE,
            "advance {a:.2f} (at most {m:.2f}): finance and the general manager sign",
            "预支 {a:.2f}（上限 {m:.2f}）：财务部和总经理签字",
            a=asked,
            m=self.max_advance,
        )
        return signers, None

    def length(self, scope: str, days: int, book: Book) -> None:
        """pv.request.length: warn of unpaid days beyond 2 / 3, and of absence beyond 4 / 5."""
        paid, absence = limits(scope, self.policy)
        where = scope_text(scope)
        if days > paid:
            book.warn(
                say(
                    "a trip {w} is paid for at most {p} days; the allowance of {x} of the {d} planned "
                    "would not be paid",
                    "{w}出差最多报销 {p} 天；计划 {d}中有 {x}的补贴不予报销",
                    w=where,
                    p=paid,
                    d=day_count(days),
                    x=day_count(days - paid),
                )
            )
        if days > absence:
            book.warn(
                say(
                    "a trip {w} over {a} days counts as absence unless the general manager excuses it",
                    "{w}出差超过 {a} 天按旷工处理（特殊情况经总经理批准除外）",
                    w=where,
                    a=absence,
                )
            )
        book.why(
            LENGTH,
            "{d} days planned {w}: {p} paid, absence beyond {a}",
            "计划{w}出差 {d} 天：最多报销 {p} 天，超过 {a} 天按旷工处理",
            d=days,
            w=where,
            p=paid,
            a=absence,
        )


def chain(role: str, book: Book) -> list[str]:
    """pv.request.chain: staff go to the department head then the general manager; a department head to the GM."""
    if role == "dept_head":
        book.why(CHAIN, "a department head's trip: the general manager approves", "部门主管出差：总经理审批")
        return ["general_manager"]
    book.why(CHAIN, "the department head reviews, the general manager approves", "部门主管审核，总经理审批")
    return ["dept_head", "general_manager"]


def plane(flying: bool, book: Book) -> None:
    """pv.request.plane: flying needs the general manager's consent before the trip."""
    if flying:
        book.warn(
            say(
                "flying needs the general manager's consent before the trip; without it the fare is not paid",
                "乘飞机须事先经总经理同意，否则机票不予报销",
            )
        )
        book.why(
            PLANE_REQUEST,
            "a flight is planned: the general manager must agree beforehand",
            "计划乘飞机：须事先经总经理同意",
        )
