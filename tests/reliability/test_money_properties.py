"""Property tests of the money arithmetic: pricing, order approval and expense claims.

Each property runs the real command on generated requests and checks its
output against the spec's formula worked out independently with exact
fractions: results exact to the fen, half-up where the spec says, no float
anywhere (the `FloatOperation` trap makes any float mixed into a `Decimal`
fail the run), and totals equal to the sum of their parts.
"""

from __future__ import annotations

import decimal
import json
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import assert_contract

from bizops.testing import isolated_env
from bizops.testing import run as bizops

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True)
def floats_are_errors():
    """In this process, a float meeting a Decimal (construction, comparison) raises instead of rounding."""
    context = decimal.getcontext()
    saved = context.traps[decimal.FloatOperation]
    context.traps[decimal.FloatOperation] = True
    yield
    context.traps[decimal.FloatOperation] = saved


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = isolated_env(tmp_path)

    def invoke(*args, input=None):
        return bizops(*args, input=input, env=env)

    return invoke


def no_floats(text: str) -> list:
    """JSON Lines whose every number is refused if it is not an integer: money is written as text."""

    def refuse(value):
        raise AssertionError(f"a JSON float in the output: {value}")

    return [json.loads(line, parse_float=refuse) for line in text.splitlines() if line.strip()]


def fen(value: Fraction) -> str:
    """`value` rounded half-up to the fen, written with two decimals (the spec's rounding)."""
    cents = value * 100
    whole = (
        (cents.numerator * 2 + cents.denominator) // (cents.denominator * 2)
        if cents >= 0
        else -(((-cents).numerator * 2 + cents.denominator) // (cents.denominator * 2))
    )
    sign = "-" if whole < 0 else ""
    whole = abs(whole)
    return f"{sign}{whole // 100}.{whole % 100:02d}"


def exact(text: str) -> Fraction:
    return Fraction(Decimal(text))


def decimals(low: str, high: str, places: int):
    """Exact decimals between `low` and `high` with at most `places` decimals, as text."""
    return st.decimals(
        min_value=Decimal(low), max_value=Decimal(high), places=places, allow_nan=False, allow_infinity=False
    ).map(lambda d: format(d, "f"))


# -- pricing ------------------------------------------------------------------------------------
QUOTE = st.fixed_dictionaries(
    {
        "guide_price": decimals("0.0001", "999999999999.9999", 4),
        "qty": decimals("0.001", "9999999", 3),
        "vat_invoice": st.booleans(),
        "no_vat_discount_pct": st.one_of(st.none(), decimals("0", "6", 3)),
        "discount_pct": decimals("0", "15", 4),
        "fee_pct": decimals("0", "60", 4),
    }
)


@SETTINGS
@given(st.lists(QUOTE, min_size=1, max_size=25))
def test_quotes_are_the_spec_formula_exact_to_the_fen(run, quotes):
    for quote in quotes:
        if quote["vat_invoice"]:
            quote["no_vat_discount_pct"] = None
    r = run("--company", "cable", "quote", "-", input="".join(json.dumps(q) + "\n" for q in quotes))
    assert_contract(r, 0, 1)
    results = no_floats(r.stdout)
    assert len(results) == len(quotes)
    for quote, result in zip(quotes, results):
        guide, qty = exact(quote["guide_price"]), exact(quote["qty"])
        no_vat = Fraction(0) if quote["vat_invoice"] else exact(quote["no_vat_discount_pct"] or "6")
        discount, fee = exact(quote["discount_pct"]), exact(quote["fee_pct"])
        kept = 100 - no_vat - discount
        assert result["floor_unit_price"] == fen(guide * Fraction(90, 100))
        assert exact(result["max_discount_pct"]) == max(10 - no_vat, 0)
        assert exact(result["commission_cut_pct"]) == discount / 10
        if guide * kept / 100 < guide * Fraction(90, 100):
            assert result["status"] == "refused" and result["unit_price"] is None and result["total"] is None
            assert "below the floor of 90 %" in result["reason"]
            continue
        unit = fen(guide * kept / (100 - fee))
        assert result["status"] == "ok", (quote, result)
        assert result["unit_price"] == unit, (quote, result)
        assert result["total"] == fen(exact(unit) * qty), (quote, result)


@SETTINGS
@given(guide=decimals("0.01", "99999", 2), kept_cents=st.integers(8990, 9010))
def test_the_floor_is_compared_exactly_not_after_rounding(run, guide, kept_cents):
    """A discount that leaves 89.99 % is refused even when the price rounds to the floor's."""
    discount = Fraction(10000 - kept_cents, 100)
    r = run(
        "--company",
        "cable",
        "quote",
        "--guide-price",
        guide,
        "--discount-pct",
        str(Decimal(discount.numerator) / discount.denominator),
    )
    assert_contract(r, 0, 1)
    result = no_floats(r.stdout)[0]
    assert result["status"] == ("refused" if kept_cents < 9000 else "ok")


# -- order approval -----------------------------------------------------------------------------
ORDER = st.fixed_dictionaries(
    {
        "amount": decimals("0.01", "9999999999.99", 2),
        "new_customer": st.booleans(),
        "custom": st.booleans(),
        "settlement": st.sampled_from(["cash", "credit"]),
        "city": st.sampled_from(["广州", "广州市", "Guangzhou", "深圳", "Shenzhen City"]),
        "invoice": st.sampled_from(["none", "ordinary", "vat"]),
    }
)


@SETTINGS
@given(st.lists(ORDER, min_size=1, max_size=25))
def test_deposits_and_approvals_follow_the_spec_exactly(run, orders):
    for i, order in enumerate(orders):
        order["customer"] = f"客户{i}"
    r = run(
        "--company",
        "cable",
        "approve-order",
        "-",
        input="".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders),
    )
    assert_contract(r, 0)
    results = no_floats(r.stdout)
    for order, result in zip(orders, results, strict=True):
        amount = exact(order["amount"])
        assert result["amount"] == fen(amount)
        deposit = fen(amount * Fraction(30, 100)) if order["custom"] and order["new_customer"] else "0.00"
        assert result["deposit"] == deposit, (order, result)
        approvers = []
        if order["settlement"] == "credit":
            both = order["new_customer"] and amount >= 20000
            if both or amount > 20000:
                approvers.append("sales_manager")
            if both or amount > 50000:
                approvers.append("general_manager")
        assert result["approvers"] == approvers
        assert result["decision"] == ("needs_approval" if approvers else "approved")
        if order["invoice"] == "vat":  # no ledger: nothing pending before this order
            assert result["invoice"] == ("vat" if amount >= 5000 else "vat_pending")
            assert result["vat_invoice_amount"] == (fen(amount) if amount >= 5000 else None)
            assert result["vat_pending_total"] == ("0.00" if amount >= 5000 else fen(amount))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(decimals("0.01", "6000", 2), min_size=1, max_size=12))
def test_recorded_vat_orders_lose_no_yuan(run, tmp_path_factory, amounts):
    """Every yuan asked for on a VAT invoice ends on an invoice or in the pending total, once."""
    db = str(tmp_path_factory.mktemp("ledger") / "ledger.db")
    lines = "".join(
        json.dumps({"customer": "恒通", "amount": a, "new_customer": False, "invoice": "vat"}) + "\n" for a in amounts
    )
    r = run("--company", "cable", "--db", db, "approve-order", "-", "--record", input=lines)
    assert_contract(r, 0)
    results = no_floats(r.stdout)
    invoiced = sum((exact(x["vat_invoice_amount"]) for x in results if x["invoice"] == "vat"), Fraction(0))
    pending = exact(results[-1]["vat_pending_total"])
    assert invoiced + pending == sum(exact(a) for a in amounts)
    running = Fraction(0)
    for amount, result in zip(amounts, results):
        running += exact(amount)
        if result["invoice"] == "vat":
            assert exact(result["vat_invoice_amount"]) == running and running >= 5000
            running = Fraction(0)
        assert exact(result["vat_pending_total"]) == running
    # The next run reads the same pending total back from the ledger.
    again = run(
        "--company",
        "cable",
        "--db",
        db,
        "approve-order",
        "--customer",
        "恒通",
        "--amount",
        "0.01",
        "--no-new-customer",
        "--invoice",
        "vat",
    )
    assert exact(no_floats(again.stdout)[0]["vat_pending_total"]) == pending + Fraction(1, 100)


# -- expense claims -----------------------------------------------------------------------------
MODES = ["train", "bus", "ship", "plane", "city_bus", "taxi", "pedicab", "company_car", "own_vehicle", "host_provided"]
CLASSES = {"train": ["hard_seat", "soft_seat", "hard_sleeper", "soft_sleeper"], "ship": ["economy", "first", "second"]}
LEG = st.sampled_from(MODES).flatmap(
    lambda mode: st.fixed_dictionaries(
        {
            "mode": st.just(mode),
            "fare": decimals("0", "5000", 2),
        },
        optional={
            "invoice": st.booleans(),
            "hours": decimals("0", "30", 1),
            **({"class": st.sampled_from(CLASSES[mode])} if mode in CLASSES else {}),
            "entitled_fare": decimals("0", "5000", 2),
            "area": st.sampled_from(["jinhua", "pujiang", "yiwu"]),
            "at": st.sampled_from(["2026-03-02T07:30", "2026-03-02T12:00", "2026-03-02T21:00"]),
            "reason": st.sampled_from(["night", "bulky", "no_bus_or_over_3km", "other"]),
            "note": st.sampled_from(["浦江-义乌 送样品", "station to hotel"]),
            "gm_flight_approval": st.booleans(),
        },
    )
)
MEAL = st.fixed_dictionaries(
    {"amount": decimals("0", "3000", 2)}, optional={"order_amount": decimals("0", "99999", 2), "closed": st.booleans()}
)
CLAIM = st.fixed_dictionaries(
    {
        "scope": st.sampled_from(["in_province", "out_of_province"]),
        "days": st.integers(0, 7),
        "legs": st.lists(LEG, max_size=5),
        "client_meals": st.lists(MEAL, max_size=3),
        "advance": decimals("0", "3000", 2),
        "trip_number": st.integers(1, 4),
        "invited": st.booleans(),
    }
)


def claim_request(i: int, claim: dict) -> dict:
    depart = date(2026, 3, 2)
    back = depart + timedelta(days=claim["days"])
    return {
        "employee": f"员工{i}",
        "scope": claim["scope"],
        "depart": f"{depart}T08:00",
        "return": f"{back}T19:00",
        "purpose": "visit",
        "customer": "义乌阳光",
        "trip_number": claim["trip_number"],
        "invited": claim["invited"],
        "legs": claim["legs"],
        "client_meals": claim["client_meals"],
        "advance": claim["advance"],
        "feedback_forms": 1,
        "report_submitted": f"{back}",
    }


def items_total(items: list[dict]) -> Fraction:
    return sum((exact(item["amount"]) for item in items if item.get("amount") is not None), Fraction(0))


@SETTINGS
@given(st.lists(CLAIM, min_size=1, max_size=8))
def test_claims_add_up_and_every_yuan_claimed_is_paid_refused_or_under_review(run, claims):
    requests = [claim_request(i, c) for i, c in enumerate(claims)]
    r = run(
        "--company",
        "pv",
        "expense",
        "claim",
        "-",
        input="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in requests),
    )
    assert_contract(r, 0, 1)
    results = no_floats(r.stdout)
    assert len(results) == len(claims)
    for claim, result in zip(claims, results):
        parts = [exact(result[k]) for k in ("allowance", "transport", "client_meals")]
        total = exact(result["total"])
        assert total == sum(parts), result
        assert exact(result["balance"]) == total - exact(claim["advance"])
        assert result["advance"] == fen(exact(claim["advance"]))
        assert exact(result["allowance"]) == exact(result["allowance_rate"]) * result["allowance_days"]
        claimed = (
            exact(result["allowance_rate"]) * result["days"]
            + sum((exact(leg["fare"]) for leg in claim["legs"]), Fraction(0))
            + sum((exact(meal["amount"]) for meal in claim["client_meals"]), Fraction(0))
        )
        accounted = total + items_total(result["disallowed"]) + items_total(result["needs_review"])
        assert accounted == claimed, (claim, result)
        for value in (result["total"], result["balance"], *(i["amount"] for i in result["disallowed"])):
            assert value.count(".") == 1 and len(value.split(".")[1]) == 2
