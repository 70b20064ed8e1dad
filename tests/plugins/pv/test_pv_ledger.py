"""Trips to one customer counted from the ledger (pv.claim.same_customer), with a stand-in ledger."""

from __future__ import annotations

import json
from decimal import Decimal

from pv_support import ledger, one, visit


def claims(fake, *fields: dict, record: bool = False):
    text = "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in fields)
    args = ["--company", "pv", "expense", "claim", "-", "--input-format", "jsonl"]
    return fake.run(*args, *(["--record"] if record else []), input=text)


def test_third_trip_from_history(ledger):
    ledger.counts[("trips", "李娜|义乌阳光建材")] = 2
    r = claims(ledger, visit(trip_number=None))
    out = one(r)
    assert r.exit_code == 1
    assert out["status"] == "refused"
    assert out["disallowed"][0]["reason"].startswith("trip 3 to 义乌阳光建材")
    assert out["warnings"] == []


def test_second_trip_from_history(ledger):
    ledger.counts[("trips", "李娜|义乌阳光建材")] = 1
    assert one(claims(ledger, visit(trip_number=None)))["status"] == "ok"


def test_no_history_is_the_first_trip_with_a_warning(ledger):
    out = one(claims(ledger, visit(trip_number=None)))
    assert out["status"] == "ok"
    assert out["warnings"] == ["no trip_number and no earlier trip to 义乌阳光建材 recorded: counted as the first"]


def test_recorded_claims_count_for_the_next(ledger):
    first = visit(trip_number=None)
    other = visit(trip_number=None, customer="东阳光伏")
    market = visit(trip_number=None, customer=None, purpose="new_market")
    r = claims(ledger, first, other, first, market, first, record=True)
    assert r.exit_code == 1, r
    assert [row["status"] for row in r.rows()] == ["ok", "ok", "ok", "ok", "refused"]
    assert ledger.writes == [
        ("add", "trips", "李娜|义乌阳光建材", Decimal(1)),
        ("add", "trips", "李娜|东阳光伏", Decimal(1)),
        ("add", "trips", "李娜|义乌阳光建材", Decimal(1)),
        ("add", "trips", "李娜|义乌阳光建材", Decimal(1)),
    ]


def test_nothing_is_written_without_record(ledger):
    first = visit(trip_number=None)
    r = claims(ledger, first, first, first)
    assert [row["status"] for row in r.rows()] == ["ok", "ok", "ok"]
    assert ledger.writes == []


def test_an_invalid_claim_records_nothing(ledger):
    claims(ledger, visit(legs=[{"mode": "taxi"}]), record=True)
    assert ledger.writes == []


def test_given_trip_number_wins_over_history_and_is_still_recorded(ledger):
    ledger.counts[("trips", "李娜|义乌阳光建材")] = 5
    out = one(claims(ledger, visit(trip_number=2), record=True))
    assert out["status"] == "ok"
    assert ledger.writes == [("add", "trips", "李娜|义乌阳光建材", Decimal(1))]
