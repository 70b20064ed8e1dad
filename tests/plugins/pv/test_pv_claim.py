"""`bizops expense claim` for the PV firm, rule by rule at the boundaries the spec names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pv_support import claim, one, trip, visit

# -- the spec's example ----------------------------------------------------------


def test_spec_example_with_its_trace(bizops_run):
    fields = trip(depart="2026-03-02T08:00", **{"return": "2026-03-05T19:00"})
    out = one(claim(bizops_run, fields, "--explain"))
    assert (out["days"], out["allowance_rate"], out["allowance_days"], out["allowance"]) == (4, "130.00", 3, "390.00")
    assert (out["total"], out["balance"], out["status"], out["reason"], out["flags"]) == (
        "390.00",
        "390.00",
        "ok",
        None,
        [],
    )
    assert out["disallowed"] == [
        {
            "item": "allowance",
            "amount": "130.00",
            "reason": "1 day over the 3 paid for a trip out of province",
            "rule": "pv.claim.days",
        }
    ]
    effects = [(t["rule"], t["effect"]) for t in out["trace"]]
    assert effects[:5] == [
        ("pv.claim.days", "4 days from 2026-03-02 to 2026-03-05, at most 3 paid out of province"),
        ("pv.claim.allowance", "out of province: 130.00 a day"),
        ("pv.claim.same_customer", "a new-market trip: no customer count"),
        ("pv.claim.allowance", "130.00 × 3 days = 390.00"),
        ("pv.claim.days", "1 day over: 130.00 not paid"),
    ]
    assert effects[-1] == ("pv.claim.balance", "total 390.00 − advance 0.00 = 390.00")
    assert all(t["clause"].startswith("002 ") for t in out["trace"])


def test_spec_example_table_shows_the_trace_in_chinese(bizops_run):
    fields = trip(depart="2026-03-02T08:00", **{"return": "2026-03-05T19:00"})
    r = claim(bizops_run, fields, "--explain", "--format", "table", "--lang", "zh")
    assert r.exit_code == 0, r
    for text in (
        "补贴标准",
        "不予报销",
        "补贴 130.00 超过省外每次出差 3 天的 1 天，费用自理",
        "依据：",
        "pv.claim.days",
        "130.00 × 3 天 = 390.00",
        "通过",
    ):
        assert text in r.stdout, text


# -- days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("depart", "back", "days"),
    [
        ("2026-03-10T23:59", "2026-03-11T00:01", 2),  # across midnight
        ("2026-01-31", "2026-02-01", 2),  # month end
        ("2026-02-28", "2026-03-01", 2),  # February, not a leap year
        ("2028-02-28", "2028-03-01", 3),  # leap year
        ("2026-12-31T20:00", "2027-01-02T06:00", 3),  # year end
        ("2026-03-10T08:00", "2026-03-10", 1),  # a bare date on the same day is not before
    ],
)
def test_days_are_calendar_days_both_counted(bizops_run, depart, back, days):
    out = one(claim(bizops_run, trip(depart=depart, **{"return": back})))
    assert out["days"] == days


def test_return_before_departure_names_the_trip(bizops_run):
    r = claim(bizops_run, trip(trip_id="A-7", depart="2026-03-10T09:00", **{"return": "2026-03-10T08:59"}))
    assert r.exit_code == 65
    assert r.stderr.strip() == "row 1: trip A-7: return 2026-03-10 08:59 is before the departure 2026-03-10 09:00"
    assert r.stdout == ""


@pytest.mark.parametrize(
    ("scope", "back", "flags"),
    [
        ("in_province", "2026-03-05", []),  # 4 days
        ("in_province", "2026-03-06", ["absence"]),  # 5 days
        ("out_of_province", "2026-03-06", []),  # 5 days
        ("out_of_province", "2026-03-07", ["absence"]),
    ],
)
def test_absence_beyond_4_or_5_days(bizops_run, scope, back, flags):
    out = one(claim(bizops_run, trip(scope=scope, depart="2026-03-02", **{"return": back})))
    assert out["flags"] == flags


def test_special_approval_excuses_absence_not_the_unpaid_days(bizops_run):
    out = one(
        claim(
            bizops_run,
            trip(scope="in_province", depart="2026-03-02", special_approval=True, **{"return": "2026-03-08"}),
        )
    )
    assert (out["days"], out["flags"], out["allowance"]) == (7, [], "200.00")
    assert out["disallowed"][0]["amount"] == "500.00"


# -- allowance -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "depart", "back", "rate", "allowance"),
    [
        ("in_province", "2026-03-10T06:00", "2026-03-10T23:59", "15.00", "15.00"),
        ("in_province", "2026-03-10", "2026-03-11", "100.00", "200.00"),
        ("in_province", "2026-03-10", "2026-03-12", "100.00", "200.00"),
        ("out_of_province", "2026-03-10", "2026-03-10", "130.00", "130.00"),
        ("out_of_province", "2026-03-10", "2026-03-12", "130.00", "390.00"),
    ],
)
def test_allowance_rates(bizops_run, scope, depart, back, rate, allowance):
    out = one(claim(bizops_run, trip(scope=scope, depart=depart, **{"return": back})))
    assert (out["allowance_rate"], out["allowance"]) == (rate, allowance)


def test_rates_and_days_are_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text(
        "[company.pv]\nrate_out_of_province = 150.5\npaid_days_out_of_province = 4\n", encoding="utf-8"
    )
    out = one(claim(bizops_run, trip(depart="2026-03-02", **{"return": "2026-03-06"})))
    assert (out["allowance_rate"], out["allowance_days"], out["allowance"]) == ("150.50", 4, "602.00")
    assert out["disallowed"][0]["amount"] == "150.50"


def test_bad_policy_value_is_a_config_error(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text('[company.pv]\nnight_start = "25:00"\n', encoding="utf-8")
    r = claim(bizops_run, trip())
    assert r.exit_code == 78
    assert "night_start" in r.stderr


# -- trains ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "cls", "transport", "disallowed"),
    [
        ("10", "hard_sleeper", "300.00", []),
        ("10", "soft_seat", "300.00", []),
        ("9.99", "hard_seat", "300.00", []),
        ("9.99", "hard_sleeper", "180.00", ["120.00"]),
        ("10", "soft_sleeper", "180.00", ["120.00"]),
        ("0", "soft_seat", "300.00", []),
    ],
)
def test_train_class_by_hours_on_board(bizops_run, hours, cls, transport, disallowed):
    leg = {"mode": "train", "fare": "300.00", "hours": hours, "class": cls, "entitled_fare": "180.00"}
    out = one(claim(bizops_run, trip(legs=[leg])))
    assert out["transport"] == transport
    assert [d["amount"] for d in out["disallowed"]] == disallowed
    assert all(d["rule"] == "pv.claim.train" for d in out["disallowed"])


def test_sleeper_hours_is_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.pv]\nsleeper_hours = 8\n", encoding="utf-8")
    leg = {"mode": "train", "fare": "300.00", "hours": "8", "class": "hard_sleeper"}
    assert one(claim(bizops_run, trip(legs=[leg])))["transport"] == "300.00"


def test_train_class_spelt_wrong_is_invalid(bizops_run):
    r = claim(bizops_run, trip(trip_id="T3", legs=[{"mode": "train", "fare": "10", "class": "first"}]))
    assert r.exit_code == 65
    assert "trip T3: leg 1 (train): class must be one of hard_seat, soft_seat, hard_sleeper, soft_sleeper" in r.stderr


# -- coaches, ships, planes, own transport ------------------------------------------------


def test_coach_needs_an_official_invoice(bizops_run):
    legs = [{"mode": "bus", "fare": "45.50", "invoice": "是"}, {"mode": "bus", "fare": "45.50"}]
    out = one(claim(bizops_run, trip(legs=legs)))
    assert out["transport"] == "45.50"
    assert out["disallowed"] == [
        {
            "item": "leg 2: bus",
            "amount": "45.50",
            "reason": "no official invoice (正式发票)",
            "rule": "pv.claim.bus_ship",
        }
    ]


def test_ship_without_invoice_is_not_paid_whatever_its_class(bizops_run):
    out = one(claim(bizops_run, trip(legs=[{"mode": "ship", "fare": "80", "class": "economy", "invoice": False}])))
    assert (out["transport"], out["disallowed"][0]["rule"]) == ("0.00", "pv.claim.bus_ship")


def test_ship_above_economy_without_entitled_fare_is_reviewed(bizops_run):
    out = one(claim(bizops_run, trip(legs=[{"mode": "ship", "fare": "300", "class": "first", "invoice": True}])))
    assert out["transport"] == "0.00"
    assert out["needs_review"][0]["amount"] == "300.00"
    assert out["reviewers"] == ["finance"]


def test_plane_consent_on_the_trip(bizops_run):
    legs = [{"mode": "plane", "fare": "1280.00"}]
    assert one(claim(bizops_run, trip(legs=legs)))["transport"] == "0.00"
    assert one(claim(bizops_run, trip(legs=legs, gm_flight_approval=True)))["transport"] == "1280.00"


def test_plane_consent_on_a_leg_pays_that_leg_only(bizops_run):
    """pv.claim.plane: one flight's consent is no other flight's, and a leg's `false` stands (issue 18, 11)."""
    legs = [
        {"mode": "plane", "fare": "1000.00", "gm_flight_approval": True},
        {"mode": "plane", "fare": "500.00", "gm_flight_approval": False},
        {"mode": "plane", "fare": "300.00"},
    ]
    out = one(claim(bizops_run, trip(legs=legs)))
    assert out["transport"] == "1000.00"
    assert [(d["item"], d["amount"], d["rule"]) for d in out["disallowed"]] == [
        ("leg 2: plane", "500.00", "pv.claim.plane"),
        ("leg 3: plane", "300.00", "pv.claim.plane"),
    ]


def test_plane_consent_on_the_trip_pays_every_plane_leg(bizops_run):
    legs = [{"mode": "plane", "fare": "1000.00", "gm_flight_approval": False}, {"mode": "plane", "fare": "500.00"}]
    assert one(claim(bizops_run, trip(legs=legs, gm_flight_approval=True)))["transport"] == "1500.00"


def test_a_trip_without_legs_may_carry_the_flight_consent(bizops_run):
    """A trip-level field is never a leg field: no `legs[1].mode is required` (issue 18, 12)."""
    out = one(claim(bizops_run, trip(gm_flight_approval=True)))
    assert (out["status"], out["transport"]) == ("ok", "0.00")


def test_plane_rule_holds_in_province_too(bizops_run):
    out = one(claim(bizops_run, trip(scope="in_province", legs=[{"mode": "plane", "fare": "600"}])))
    assert out["disallowed"][0]["rule"] == "pv.claim.plane"


def test_own_transport_pays_nothing(bizops_run):
    legs = [{"mode": "company_car"}, {"mode": "host_provided", "fare": "30"}, {"mode": "own_vehicle", "fare": "88.8"}]
    out = one(claim(bizops_run, trip(legs=legs)))
    assert out["transport"] == "0.00"
    assert [(d["item"], d["amount"], d["rule"]) for d in out["disallowed"]] == [
        ("leg 2: host_provided", "30.00", "pv.claim.own_transport"),
        ("leg 3: own_vehicle", "88.80", "pv.claim.own_transport"),
    ]


# -- Jinhua prefecture, taxis ------------------------------------------------------------


def test_jinhua_local_bus_is_reviewed_by_the_department_head(bizops_run):
    legs = [{"mode": "city_bus", "fare": "2", "area": "yiwu", "note": "客运站—客户"}]
    out = one(claim(bizops_run, visit(legs=legs)))
    assert (out["transport"], out["reviewers"], out["needs_review"]) == ("2.00", ["dept_head"], [])


def test_a_department_heads_jinhua_record_goes_to_the_general_manager(bizops_run):
    legs = [{"mode": "bus", "fare": "12", "area": "jinhua"}]
    out = one(claim(bizops_run, visit(role="dept_head", legs=legs)))
    assert out["reviewers"] == ["general_manager"]
    assert out["needs_review"][0]["rule"] == "pv.claim.jinhua"


def test_city_bus_elsewhere_is_paid_as_recorded(bizops_run):
    out = one(claim(bizops_run, trip(legs=[{"mode": "city_bus", "fare": "2"}])))
    assert (out["transport"], out["reviewers"]) == ("2.00", [])


@pytest.mark.parametrize(
    ("at", "paid"),
    [
        ("2026-03-10T19:59", False),
        ("2026-03-10T20:00", True),
        ("2026-03-10T23:30", True),
        ("2026-03-11T00:00", True),
        ("2026-03-11T08:00", True),
        ("2026-03-11T08:01", False),
        ("2026-03-11T08:00:01", False),
    ],
)
def test_taxi_night_window_both_ends_included(bizops_run, at, paid):
    leg = {"mode": "taxi", "fare": "21.00", "area": "pujiang", "at": at, "note": "汽车站—宾馆"}
    out = one(claim(bizops_run, visit(legs=[leg], **{"return": "2026-03-11"})))
    assert out["transport"] == ("21.00" if paid else "0.00")
    assert len(out["disallowed"]) == (0 if paid else 1)


def test_night_window_is_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text(
        '[company.pv]\nnight_start = "22:00"\nnight_end = "06:00"\n', encoding="utf-8"
    )
    leg = {"mode": "taxi", "fare": "21.00", "area": "yiwu", "at": "2026-03-10T21:00", "note": "a—b"}
    out = one(claim(bizops_run, visit(legs=[leg])))
    assert out["disallowed"][0]["reason"] == (
        "none of night (22:00–06:00), bulky goods, no bus or over 3 km, or another noted reason"
    )


@pytest.mark.parametrize(
    ("reason", "note", "outcome"),
    [
        ("bulky", "仓库—客户", "paid"),
        ("no_bus_or_over_3km", "客户—工地", "paid"),
        ("other", "陪客户验货", "paid"),
        ("other", None, "disallowed"),
        ("bulky", None, "needs_review"),
        (None, "a—b", "disallowed"),
        ("night", "a—b", "needs_review"),  # no time of the ride
    ],
)
def test_taxi_grounds_in_yiwu(bizops_run, reason, note, outcome):
    leg = {"mode": "pedicab", "fare": "9.00", "area": "yiwu", "reason": reason, "note": note}
    out = one(claim(bizops_run, visit(legs=[leg])))
    got = "paid" if out["transport"] == "9.00" else ("disallowed" if out["disallowed"] else "needs_review")
    assert got == outcome
    assert all(i["rule"] == "pv.claim.taxi" for i in out["disallowed"] + out["needs_review"])


def test_taxi_elsewhere_is_paid_with_a_warning(bizops_run):
    out = one(claim(bizops_run, trip(legs=[{"mode": "taxi", "fare": "46"}])))
    assert out["transport"] == "46.00"
    assert out["warnings"] == ["leg 1: taxi: a taxi outside Jinhua prefecture is paid as ticketed"]


# -- same customer, invited ------------------------------------------------------------


def test_third_trip_is_refused_with_everything_in_one_item(bizops_run):
    legs = [{"mode": "train", "fare": "356.00", "hours": 14, "class": "hard_sleeper"}, {"mode": "taxi", "fare": "3.5"}]
    meals = [{"amount": "99.99", "order_amount": "60000", "closed": True}]
    fields = visit(
        scope="out_of_province", trip_number=3, legs=legs, client_meals=meals, advance="500", **{"return": "2026-03-11"}
    )
    r = claim(bizops_run, fields)
    out = one(r)
    assert r.exit_code == 1
    assert (out["status"], out["allowance_days"], out["allowance"], out["transport"], out["client_meals"]) == (
        "refused",
        0,
        "0.00",
        "0.00",
        "0.00",
    )
    assert (out["total"], out["balance"]) == ("0.00", "-500.00")
    assert out["disallowed"] == [
        {
            "item": "trip",
            "amount": "719.49",
            "rule": "pv.claim.same_customer",
            "reason": "trip 3 to 义乌阳光建材: only 2 trips to one customer are paid; this one is the employee's own",
        }
    ]
    assert out["reason"] == out["disallowed"][0]["reason"]
    assert out["warnings"] == [] and out["needs_review"] == []


def test_second_trip_is_paid(bizops_run):
    r = claim(bizops_run, visit(trip_number=2))
    assert r.exit_code == 0
    assert one(r)["total"] == "15.00"


def test_max_paid_trips_is_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.pv]\nmax_paid_trips = 3\n", encoding="utf-8")
    assert one(claim(bizops_run, visit(trip_number=3)))["status"] == "ok"
    assert one(claim(bizops_run, visit(trip_number=4)))["status"] == "refused"


def test_new_market_trips_have_no_count(bizops_run):
    out = one(claim(bizops_run, trip(trip_number=7)))
    assert out["status"] == "ok"


def test_invited_colleague_is_paid_nothing(bizops_run):
    out = one(claim(bizops_run, visit(invited=True, legs=[{"mode": "bus", "fare": "18", "invoice": True}])))
    assert (out["status"], out["total"]) == ("refused", "0.00")
    assert out["disallowed"] == [
        {
            "item": "trip",
            "amount": "33.00",
            "rule": "pv.claim.invited",
            "reason": "invited along by a colleague: none of the trip's costs are paid",
        }
    ]


# -- client meals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "closed", "amount", "paid"),
    [
        ("10000", True, "150.00", "0.00"),
        ("10000.00", True, "150.00", "0.00"),
        ("10000.01", True, "150.00", "150.00"),
        ("10000.01", True, "250.00", "200.00"),  # 2 % is 200.0002, half-up to 200.00
        ("10025.25", True, "250.00", "200.51"),  # 200.505 rounds half-up
        ("50000", False, "150.00", "0.00"),
        (None, True, "150.00", "0.00"),
    ],
)
def test_client_meal_cap(bizops_run, order, closed, amount, paid):
    meal = {"amount": amount, "closed": closed}
    if order is not None:
        meal["order_amount"] = order
    out = one(claim(bizops_run, visit(client_meals=[meal])))
    assert out["client_meals"] == paid
    unpaid = Decimal(amount) - Decimal(paid)
    assert [d["amount"] for d in out["disallowed"]] == ([str(unpaid)] if unpaid else [])


def test_meal_percentage_is_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.pv]\nmeal_cap_pct = 1.5\nmeal_min_order = 5000\n", encoding="utf-8")
    out = one(claim(bizops_run, visit(client_meals=[{"amount": "500", "order_amount": "6000", "closed": True}])))
    assert out["client_meals"] == "90.00"


# -- reports and balance --------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "flags"),
    [
        ("2026-03-31", []),
        ("2026-04-03", []),  # third day after a return on 03-31
        ("2026-04-04", ["report_late"]),
        (None, ["report_missing"]),
    ],
)
def test_report_deadline_across_month_end(bizops_run, submitted, flags):
    fields = visit(depart="2026-03-30", report_submitted=submitted, **{"return": "2026-03-31T23:00"})
    assert one(claim(bizops_run, fields))["flags"] == flags


def test_feedback_form_and_market_report(bizops_run):
    assert one(claim(bizops_run, visit(feedback_forms=0)))["flags"] == ["feedback_form_missing"]
    assert one(claim(bizops_run, trip(market_report=False)))["flags"] == ["market_report_missing"]


def test_parts_add_up_to_the_total_and_the_balance(bizops_run):
    legs = [
        {"mode": "bus", "fare": "18.30", "invoice": True},
        {"mode": "taxi", "fare": "27.45", "area": "yiwu", "reason": "bulky", "note": "仓库—客户"},
    ]
    meals = [{"amount": "300.00", "order_amount": "12345.67", "closed": True}]
    out = one(claim(bizops_run, visit(legs=legs, client_meals=meals, advance="300", **{"return": "2026-03-11"})))
    parts = Decimal(out["allowance"]) + Decimal(out["transport"]) + Decimal(out["client_meals"])
    assert str(parts) == out["total"] == "492.66"  # 200 + 45.75 + 246.91
    assert out["balance"] == "192.66"


# -- invalid input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("leg", "message"),
    [
        ({"mode": "rocket", "fare": "1"}, "legs[2].mode must be one of train, bus, ship"),
        ({"mode": "bus", "fare": "-0.01"}, 'legs[2].fare must be ≥ 0, got "-0.01"'),
        ({"mode": "bus", "fare": "12.345"}, "legs[2].fare has more than 2 decimals"),
        ({"mode": "bus", "fare": "NaN"}, "legs[2].fare must be a number"),
        ({"mode": "taxi"}, "leg 2 (taxi): fare is required"),
    ],
)
def test_bad_legs_are_errors_naming_the_leg(bizops_run, leg, message):
    legs = [{"mode": "bus", "fare": "5", "invoice": True}, leg]
    r = claim(bizops_run, trip(legs=legs))
    assert r.exit_code == 65, r
    assert r.stderr.startswith("row 1: ") and message in r.stderr, r.stderr
    assert r.stdout == ""


def test_an_invalid_claim_does_not_stop_the_stream(bizops_run):
    good = trip()
    bad = trip(legs=[{"mode": "bus", "fare": "-1"}])
    import json

    text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in (good, bad, good))
    r = bizops_run("--company", "pv", "expense", "claim", "-", "--input-format", "jsonl", input=text)
    assert r.exit_code == 65
    assert len(r.rows()) == 2
    assert r.stderr.startswith("row 2: ")


def test_csv_output_keeps_items_as_json(bizops_run):
    r = claim(bizops_run, trip(legs=[{"mode": "plane", "fare": "900"}]), "--format", "csv")
    assert r.exit_code == 0, r
    header, row = r.stdout.splitlines()[:2]
    assert header.startswith("company,employee,days,allowance_rate")
    assert '""item"":""leg 1: plane""' in row
