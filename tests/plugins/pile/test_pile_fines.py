"""`bizops score` for the pile factory: the fines ledger per person and month."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "pile"


def score(bizops_run, tmp_path, events, *args):
    (tmp_path / "events.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8"
    )
    return bizops_run("--company", "pile", "score", "events.jsonl", *args)


def test_example_month(bizops_run):
    run = bizops_run("--company", "pile", "score", str(EXAMPLES / "fines.csv"))
    assert run.exit_code == 0, run
    got = [(r["person"], r["period"], r["fines"], r["fines_min"], r["fines_max"], r["count"]) for r in run.rows()]
    assert got == [
        ("李志强", "2026-11", "330.00", "250.00", "500.00", 4),  # 80 + 150 + 2 × 50
        ("李志强", "2026-12", "60.00", "50.00", "100.00", 1),  # the 1st of the month is the next period
        ("王海", "2026-11", "130.00", "80.00", "250.00", 4),  # 100 + 3 × 10
        ("陈小燕", "2026-11", "70.00", "60.00", "150.00", 2),  # 20 + data_error at its minimum
    ]


@pytest.mark.parametrize(
    "code,low,high",
    [
        ("route_violation", "10", "50"),
        ("unapproved_abnormal", "50", "100"),
        ("private_dispatch", "50", "100"),
        ("data_error", "50", "100"),
        ("missed_plan", "50", "100"),
        ("wrong_plan", "100", "200"),
    ],
)
def test_each_range_at_its_edges_and_outside(bizops_run, tmp_path, code, low, high):
    below = str(int(low) - 1) + ".99"
    above = high + ".01"
    events = [{"person": "p", "date": "2026-11-02", "code": code, "amount": a} for a in (low, high, below, above)]
    run = score(bizops_run, tmp_path, events)
    assert run.exit_code == 65, run
    assert [(r["fines"], r["count"]) for r in run.rows()] == [(f"{int(low) + int(high)}.00", 2)]
    assert f"row 3: amount {below} is outside the {low}.00–{high}.00 yuan a time for {code}" in run.stderr
    assert f"row 4: amount {above} is outside" in run.stderr


def test_default_amount_is_the_minimum_and_count_multiplies(bizops_run, tmp_path):
    run = score(
        bizops_run,
        tmp_path,
        [{"person": "p", "date": "2026-11-02", "code": "wrong_plan", "count": 3}],
        "--format",
        "json",
    )
    assert run.json() == [
        {
            "company": "pile",
            "person": "p",
            "period": "2026-11",
            "fines": "300.00",
            "fines_min": "300.00",
            "fines_max": "600.00",
            "count": 3,
            "warnings": [],
        }
    ]


def test_bad_events_are_row_errors_and_the_rest_still_count(bizops_run, tmp_path):
    events = [
        {"person": "b", "date": "2026-11-30", "code": "data_error", "amount": "60"},
        {"person": "b", "date": "2026-11-31", "code": "data_error"},
        {"person": "b", "date": "2026-11-30", "code": "late_again"},
        {"person": "b", "date": "2026-11-30", "code": "data_error", "count": 0},
        {"date": "2026-11-30", "code": "data_error"},
        {"person": "b", "date": "2026-11-30", "code": "data_error", "amount": "60.005"},
        {"person": "a", "date": "2026-12-01", "code": "route_violation", "amount": "¥10"},
    ]
    run = score(bizops_run, tmp_path, events)
    assert run.exit_code == 65, run
    assert [(r["person"], r["period"], r["fines"]) for r in run.rows()] == [
        ("a", "2026-12", "10.00"),
        ("b", "2026-11", "60.00"),
    ]
    for n in (2, 3, 4, 5, 6):
        assert f"row {n}:" in run.stderr


def test_fine_ranges_follow_the_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text(
        "[company.pile]\nroute_violation_fine_min = 20\nroute_violation_fine_max = 80\n", encoding="utf-8"
    )
    run = score(
        bizops_run,
        tmp_path,
        [
            {"person": "p", "date": "2026-11-02", "code": "route_violation"},
            {"person": "p", "date": "2026-11-03", "code": "route_violation", "amount": "80"},
            {"person": "p", "date": "2026-11-04", "code": "route_violation", "amount": "15"},
        ],
    )
    assert run.exit_code == 65
    assert run.rows()[0]["fines"] == "100.00"
    assert "outside the 20.00–80.00" in run.stderr


def test_table_in_chinese_and_explain(bizops_run):
    run = bizops_run(
        "--company", "pile", "score", str(EXAMPLES / "fines.csv"), "--format", "table", "--lang", "zh", "--explain"
    )
    assert run.exit_code == 0, run
    for text in (
        "当事人",
        "月份",
        "罚款上限",
        "330.00",
        "pile.fine.wrong_plan",
        "2026-11-30：2 次 × 50.00（每次 50.00–100.00）",
    ):
        assert text in run.stdout, text
