"""Client meals (五 2): paid only for a single closed order over 10,000, at most 2 % of it.

**Reading** (spec): 报销成交额的2% caps the meal's cost at 2 % of the order;
the company does not pay 2 % of the deal whatever the meal cost.
"""

from __future__ import annotations

from decimal import Decimal

from bizops.api import HUNDRED, ZERO, Text, round_fen

from .spec import CLIENT_MEAL
from .trip import Book, say


def client_meals(meals: list[dict], policy, book: Book) -> Decimal:
    """pv.claim.client_meal: `min(amount, order × 2 %)` for a closed order over 10,000; else nothing."""
    floor, pct = policy.meal_min_order, policy.meal_cap_pct
    total = ZERO
    for number, meal in enumerate(meals, 1):
        name = Text(f"client_meal {number}", f"客户餐费 {number}")
        amount, order = meal["amount"], meal["order_amount"]
        if order is None:
            why = say("no order amount given", "未填写订单金额")
        elif order <= floor:
            why = say("the order of {o:.2f} is not over {m:.2f}", "订单金额 {o:.2f} 未超过 {m:.2f}", o=order, m=floor)
        elif not meal["closed"]:
            why = say("the order was not closed", "订单未成交")
        else:
            cap = round_fen(order * pct / HUNDRED)
            paid = min(amount, cap)
            over = say(
                "over {p} % of the order of {o:.2f} ({c})", "超过订单金额 {o:.2f} 的 {p}%（{c}）", p=pct, o=order, c=cap
            )
            book.disallow(name, amount - paid, over, CLIENT_MEAL)
            book.why(
                CLIENT_MEAL,
                "{n}: closed order of {o:.2f}, cap {p} % = {c}; {a:.2f} paid",
                "{n}：成交订单 {o:.2f}，上限 {p}% = {c}；报销 {a:.2f}",
                n=name,
                o=order,
                p=pct,
                c=cap,
                a=paid,
            )
            total += paid
            continue
        book.disallow(name, amount, why, CLIENT_MEAL)
        book.why(CLIENT_MEAL, "{n}: {w}; {a:.2f} not paid", "{n}：{w}；{a:.2f} 不予报销", n=name, w=why, a=amount)
    return total
