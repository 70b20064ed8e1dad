"""A misbehaving company for the reliability tests: `ROGUE` (an environment variable) picks the fault.

    raise       the quote hook raises ValueError on the row with qty 3
    float       returns a float total
    negative    returns a negative unit price (the column is declared ge=0)
    print       prints to stdout from the hook, every row
    exit        calls sys.exit(3) in the hook
    unrounded   returns money with three decimals
    short       returns fewer results than requests
    everywhere  the quote hook raises whatever it is asked (it is asked only about rogue)
    not-dict    returns a string instead of a result
    os-exit     ends its process with os._exit(9) on the row with qty 7 (as a crash or the OOM killer would)
    none        the quote hook answers None for its own company
    status      a status that is not the contract's (`maybe`)
    warnings    warnings as one text, not a list of texts; `warning-items`: a list holding a number
    no-total    leaves the money column `total` out of its result
    company     answers with `company` set to another company
    infinity / snan / huge / surrogate   a total of Decimal('Infinity'), Decimal('sNaN'), Decimal('1E+400');
                a reason holding a lone surrogate
    import-print / import-exit / company-raise   misbehave while loading

Otherwise it prices `qty × unit_price` exactly, and refuses qty 13.
"""

import os
import sys
from decimal import Decimal

from bizops.api import Column, CommandSpec, Company, Field, hookimpl, map_rows, msg, round_fen

FAULT = os.environ.get("ROGUE", "")
if FAULT == "import-print":
    print("rogue: hello from import")
if FAULT == "import-exit":
    sys.exit(4)

QUOTE = CommandSpec(
    inputs=(Field("qty", "int", required=True, gt=0), Field("unit_price", "money", default=Decimal("2.50"))),
    outputs=(
        Column("qty", "int", zh="数量", en="qty"),
        Column("unit_price", "money", zh="单价", en="unit price", ge=0),
        Column("total", "money", zh="金额", en="total", ge=0),
        Column("status", "enum", zh="结果", en="status"),
        Column("reason", "text", zh="原因", en="reason"),
    ),
)


@hookimpl
def bizops_company():
    if FAULT == "company-raise":
        raise RuntimeError("no company today")
    return Company("rogue", zh="捣乱公司", en="Rogue Co", version="6.6.6", commands={"quote": QUOTE})


def _quote(fields):
    qty, price = fields["qty"], fields["unit_price"]
    if FAULT == "raise" and qty == 3:
        raise ValueError("qty 3 is unlucky")
    if FAULT == "exit":
        sys.exit(3)
    if FAULT == "os-exit" and qty == 7:
        os._exit(9)
    if FAULT == "print":
        print(f"rogue: pricing {qty}")
    total = round_fen(price * qty)
    if FAULT == "float":
        total = float(total)
    if FAULT == "negative":
        price = -price
    if FAULT == "unrounded":
        total = price * qty / 3
    refused = qty == 13
    result = {
        "qty": qty,
        "unit_price": price,
        "total": total,
        "status": "refused" if refused else "ok",
        "reason": msg("13 is refused", "13 不报价") if refused else None,
    }
    if FAULT in ANSWERS:
        ANSWERS[FAULT](result)
    return result


#: Faults in the shape of an answer: each changes one result.
ANSWERS = {
    "status": lambda r: r.update(status="maybe"),
    "warnings": lambda r: r.update(warnings="check the price"),
    "warning-items": lambda r: r.update(warnings=["check", 3]),
    "no-total": lambda r: r.pop("total"),
    "company": lambda r: r.update(company="cable"),
    "infinity": lambda r: r.update(total=Decimal("Infinity")),
    "snan": lambda r: r.update(total=Decimal("sNaN")),
    "huge": lambda r: r.update(total=Decimal("1E+400")),
    "surrogate": lambda r: r.update(reason="bad \udc80 text"),
}


@hookimpl
def bizops_price(requests, policy, context):
    if FAULT == "everywhere":
        raise RuntimeError("rogue breaks every quote")
    if FAULT == "none":
        return None
    if FAULT == "not-dict":
        return ("priced" for _ in requests)
    if FAULT == "short":
        return (_quote(fields) for _, fields in list(requests)[:-1])
    return map_rows(requests, _quote)
