"""The daily scorecard through `bizops score`, with this source tree's plugin loaded (`bizops_plugin`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]
PACKAGE = HERE / "bizops_fieldsales"
EXAMPLE = HERE / "examples" / "activities.csv"


@pytest.fixture
def score(bizops_plugin):
    """`score(events, *args)`: the events as JSON Lines on stdin; returns the Run."""
    run = bizops_plugin(PACKAGE)

    def invoke(events, *args, **kwargs):
        text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
        return run("--company", "fieldsales", "score", "-", *args, input=text, **kwargs)

    return invoke


def day(person="王海", date="2026-11-23", **event):
    return {"person": person, "date": date, **event}


def test_visiting_day_quota_is_met_at_4_visits_and_10_customers(score):
    r = score([day(activity="visit", count=4), day(activity="contact", count=6)], "--format", "json")
    assert r.exit_code == 0, r
    [card] = r.json()
    assert card == {
        "company": "fieldsales",
        "person": "王海",
        "date": "2026-11-23",
        "day_type": "visit",
        "visits": 4,
        "contacts": 10,
        "calls": 0,
        "conversations": 0,
        "quota": "met",
        "shortfall": [],
        "warnings": [],
    }


@pytest.mark.parametrize(("visits", "contacts", "quota"), [(3, 10, "missed"), (4, 9, "missed"), (5, 12, "met")])
def test_visiting_day_boundaries(score, visits, contacts, quota):
    events = [day(activity="visit", customer=f"客户{i}") for i in range(visits)]
    events.append(day(activity="contact", count=contacts - visits))
    [card] = score(events, "--format", "json").json()
    assert (card["visits"], card["contacts"], card["quota"]) == (visits, contacts, quota)


@pytest.mark.parametrize(
    ("calls", "conversations", "quota", "shortfall"),
    [
        (80, 20, "met", []),
        (79, 20, "missed", ["calls 79 of 80 (1 short)"]),
        (80, 19, "missed", ["real conversations 19 of 20 (1 short)"]),
        (60, 10, "missed", ["calls 60 of 80 (20 short)", "real conversations 10 of 20 (10 short)"]),
    ],
)
def test_phone_day_boundaries(score, calls, conversations, quota, shortfall):
    events = [
        day(activity="call", count=calls - conversations, day_type="phone"),
        day(activity="call", conversation=True, count=conversations),
    ]
    [card] = score(events, "--format", "json").json()
    assert (card["day_type"], card["calls"], card["conversations"]) == ("phone", calls, conversations)
    assert (card["quota"], card["shortfall"]) == (quota, shortfall)


def test_customers_count_once_a_day_and_unanswered_calls_are_not_contact(score):
    events = [
        day(activity="visit", customer="万科 佛山"),
        day(activity="visit", customer="万科  佛山"),
        day(activity="call", customer="万科 佛山", conversation=True),
        day(activity="call", customer="保利", conversation=False),
        day(activity="call", customer="保利", conversation=True),
        day(activity="call", customer="保利", conversation=True),
    ]
    [card] = score(events, "--format", "json").json()
    assert (card["visits"], card["calls"], card["conversations"], card["contacts"]) == (1, 4, 2, 2)


def test_the_day_is_judged_by_what_it_mainly_was(score):
    visiting = [day(activity="visit", count=3), day(activity="call", count=40)]
    phoning = [day(person="李娜", activity="visit"), day(person="李娜", activity="call", count=85)]
    cards = score(visiting + phoning, "--format", "json").json()
    assert [(c["person"], c["day_type"]) for c in cards] == [("李娜", "phone"), ("王海", "visit")]


def test_one_scorecard_per_person_and_day_sorted(score):
    events = [
        day(date="2026-11-24", activity="visit"),
        day(person="李娜", activity="call"),
        day(activity="visit"),
        day(date="2026-11-22", activity="visit"),
    ]
    cards = score(events, "--format", "jsonl").rows()
    assert [(c["person"], c["date"]) for c in cards] == [
        ("李娜", "2026-11-23"),
        ("王海", "2026-11-22"),
        ("王海", "2026-11-23"),
        ("王海", "2026-11-24"),
    ]


def test_a_bad_event_is_reported_by_row_and_the_others_still_count(score):
    events = [day(activity="visit", count=4), day(activity="lunch"), day(activity="contact", count=6)]
    r = score(events, "--format", "json")
    assert r.exit_code == 65
    assert "row 2: activity must be one of" in r.stderr
    [card] = r.json()
    assert (card["visits"], card["contacts"], card["quota"]) == (4, 10, "met")


def test_a_day_planned_two_ways_refuses_the_contradicting_event(score):
    r = score(
        [day(activity="visit", day_type="visit", count=4), day(activity="call", day_type="phone")], "--format", "json"
    )
    assert r.exit_code == 65
    assert "row 2: day_type phone contradicts the visit day planned earlier for 王海 on 2026-11-23" in r.stderr
    assert r.json()[0]["calls"] == 0


def test_explain_names_the_rules_and_clauses(score):
    [card] = score([day(activity="call", count=80, conversation=True)], "--format", "json", "--explain").json()
    assert [(s["rule"], s["clause"]) for s in card["trace"]] == [
        ("fieldsales.day.type", "000 业务员每天的工作流程 10:00—17:00"),
        ("fieldsales.phone.calls", "000 业务员每天的工作流程 2、"),
        ("fieldsales.phone.conversations", "000 业务员每天的工作流程 2、"),
    ]
    assert card["trace"][1]["effect"] == "calls 80 of 80: met"


def test_quotas_are_policy_values_in_the_config(score, tmp_path):
    (tmp_path / "bizops.toml").write_text(
        "[company.fieldsales]\nvisit_min_visits = 5\nvisit_min_contacts = 8\n", encoding="utf-8"
    )
    [card] = score([day(activity="visit", count=4), day(activity="contact", count=4)], "--format", "json").json()
    assert (card["quota"], card["shortfall"]) == ("missed", ["visits 4 of 5 (1 short)"])


def test_a_quota_below_one_is_a_config_error(score, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.fieldsales]\nphone_min_calls = 0\n", encoding="utf-8")
    r = score([day(activity="call")], "--format", "json")
    assert r.exit_code == 78
    assert "phone_min_calls" in r.stderr


def test_policy_show_lists_every_quota(bizops_plugin):
    rows = bizops_plugin(PACKAGE)("--company", "fieldsales", "policy", "show", "--format", "json").json()
    assert {r["name"]: r["value"] for r in rows if r["name"].startswith(("visit_", "phone_"))} == {
        "visit_min_visits": 4,
        "visit_min_contacts": 10,
        "phone_min_calls": 80,
        "phone_min_conversations": 20,
    }
    assert "terms_days" in {r["name"] for r in rows}  # bizops' receivables thresholds: every company has them


def test_example_csv_in_chinese_table(bizops_plugin):
    r = bizops_plugin(PACKAGE)("--company", "fieldsales", "score", EXAMPLE, "--format", "table", "--lang", "zh")
    assert r.exit_code == 0, r
    for text in (
        "业务员",
        "联络客户",
        "有效沟通",
        "拜访日",
        "电话日",
        "达标",
        "未达标",
        "电话 73 个，要求 80 个（差 7）",
    ):
        assert text in r.stdout


def test_example_csv_values(bizops_plugin):
    cards = bizops_plugin(PACKAGE)("--company", "fieldsales", "score", EXAMPLE, "--format", "json").json()
    got = {
        (c["person"], c["date"]): (
            c["day_type"],
            c["visits"],
            c["contacts"],
            c["calls"],
            c["conversations"],
            c["quota"],
        )
        for c in cards
    }
    assert got == {
        ("李娜", "2026-11-23"): ("phone", 0, 22, 85, 22, "met"),
        ("李娜", "2026-11-24"): ("phone", 0, 24, 73, 18, "missed"),
        ("王海", "2026-11-23"): ("visit", 4, 10, 2, 1, "met"),
        ("王海", "2026-11-24"): ("visit", 2, 6, 16, 4, "missed"),
    }


def test_other_commands_are_unavailable(bizops_plugin):
    r = bizops_plugin(PACKAGE)("--company", "fieldsales", "quote", "--format", "json")
    assert r.exit_code == 69
    assert "fieldsales has no rules for quote; it supports: score" in r.stderr
