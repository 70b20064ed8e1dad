"""The rules of mycompany: plain functions of typed values, one docstring per rule."""

from __future__ import annotations

from typing import Any

from bizops.api import HUNDRED, Context, Policy, msg, round_fen

from .spec import DISCOUNT


def quote(fields: dict[str, Any], policy: Policy, context: Context) -> dict[str, Any]:
    """mycompany.price.discount: list price less the discount; above the maximum the quote is refused.

    `fields` holds typed values (Decimal for money and percentages, int, bool…);
    `policy.max_discount_pct` is the effective maximum (default or config).
    Money is exact: Decimal, rounded half-up to the fen with round_fen.
    """
    price, qty, discount = fields["list_price"], fields["qty"], fields["discount_pct"]
    unit_price = round_fen(price * (HUNDRED - discount) / HUNDRED)
    result = {
        "unit_price": unit_price,
        "total": round_fen(unit_price * qty),
        "status": "ok",
        "reason": None,
        "warnings": [],
    }
    if discount > policy.max_discount_pct:
        # Messages are bilingual: English in JSON, Chinese in tables with --lang zh.
        result["status"] = "refused"
        result["reason"] = msg(
            "discount {d} % is above the maximum {m} %",
            "折扣 {d}% 超过最高折扣 {m}%",
            d=discount,
            m=policy.max_discount_pct,
        )
    if context.explain:  # the trace costs time: build it only for --explain
        result["trace"] = [
            DISCOUNT.applied(
                msg(
                    "{p} less {d} % = {u} a unit (maximum {m} %)",
                    "{p} 减 {d}% = 每件 {u}（最高 {m}%）",
                    p=price,
                    d=discount,
                    u=unit_price,
                    m=policy.max_discount_pct,
                )
            )
        ]
    return result
