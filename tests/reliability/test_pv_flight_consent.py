"""PV claims: whose consent pays a flight, and which fields are the trip's (issue 18, items 11 and 12).

Found by a random differential test against the spec: one leg's
`gm_flight_approval: true` paid every plane leg of the claim, even one marked
`false`; and a claim given as one row without `legs` was refused with
`legs[1].mode is required` as soon as it carried the trip-level
`gm_flight_approval`. Now a plane leg is paid when it, or the trip, carries
the consent, and a field the trip has is never read as a leg's, in JSON Lines
and in a spreadsheet of leg rows alike.
"""

from __future__ import annotations

import json
from decimal import Decimal
from itertools import product

from reliability_support import assert_contract, error_rows

TRIP = {
    "employee": "赵敏",
    "scope": "out_of_province",
    "depart": "2026-05-04",
    "return": "2026-05-06",
    "purpose": "new_market",
    "market_report": True,
    "report_submitted": "2026-05-07",
}
FARES = ("1000.00", "500.00")


def claims(bizops_run, *requests: dict):
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    return bizops_run("--company", "pv", "expense", "claim", "-", input=text)


def test_each_plane_leg_is_paid_by_its_own_or_the_trips_consent(bizops_run):
    """Every combination of consents on two flights and on the trip, against the rule as the spec states it."""
    cases = []
    for trip_ok, first, second in product((None, False, True), repeat=3):
        legs = [{"mode": "plane", "fare": fare} for fare in FARES]
        for leg, consent in zip(legs, (first, second), strict=True):
            if consent is not None:
                leg["gm_flight_approval"] = consent
        request = {**TRIP, "legs": legs}
        if trip_ok is not None:
            request["gm_flight_approval"] = trip_ok
        paid = sum(Decimal(fare) for fare, ok in zip(FARES, (first, second), strict=True) if trip_ok or ok)
        cases.append((request, f"{paid:.2f}"))
    r = claims(bizops_run, *(request for request, _ in cases))
    assert_contract(r, 0)
    assert [row["transport"] for row in r.rows()] == [paid for _, paid in cases]


def test_a_claim_without_legs_may_carry_the_trips_consent(bizops_run):
    r = claims(bizops_run, {**TRIP, "gm_flight_approval": True}, {**TRIP, "gm_flight_approval": False}, TRIP)
    assert_contract(r, 0)
    assert error_rows(r.stderr) == [] and len(r.rows()) == 3


def test_in_a_spreadsheet_the_consent_column_is_the_trips(bizops_run, tmp_path):
    head = "trip_id,employee,scope,depart,return,purpose,market_report,report_submitted,mode,fare,gm_flight_approval"
    common = "赵敏,out_of_province,2026-05-04,2026-05-06,new_market,yes,2026-05-07"
    text = (
        f"{head}\n"
        f"A,{common},,,yes\n"  # a trip with no legs, and the consent: decided, not `legs[1].mode is required`
        f"B,{common},train,20,yes\n"  # the consent on the train's row is the trip's: it pays the flight
        f"B,{common},plane,1000,\n"
        f"C,{common},plane,1000,\n"  # no consent anywhere: not paid
    )
    (tmp_path / "claims.csv").write_text(text, encoding="utf-8")
    r = bizops_run("--company", "pv", "expense", "claim", str(tmp_path / "claims.csv"))
    assert_contract(r, 0)
    assert [row["transport"] for row in r.rows()] == ["0.00", "1020.00", "0.00"]
