"""The example month in `examples/airline/`: exact as JSON, readable as a table."""

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FLIGHTS = ROOT / "examples" / "airline" / "flights.csv"
AT = "2026-11-23T09:00"


@pytest.fixture
def flights(tmp_path):
    return str(shutil.copy(FLIGHTS, tmp_path / "flights.csv"))


def test_triage_of_the_month_is_exact(bizops_run, flights):
    r = bizops_run("flights", "triage", flights, "--at", AT, "--format", "json")
    assert r.exit_code == 0, r
    assert r.stderr == ""
    expected = json.loads((Path(__file__).parent / "example_triage.json").read_text(encoding="utf-8"))
    assert r.json() == expected


def test_triage_of_the_month_in_numbers(bizops_run, flights):
    rows = bizops_run("flights", "triage", flights, "--at", AT, "--format", "json").json()
    assert Counter(r["tier"] for r in rows) == {"key": 9, "near": 11, "dynamic": 20, "horizon": 39}
    assert [r["days_out"] for r in rows] == sorted(r["days_out"] for r in rows)
    # hand-checked: CA1612 today, 132 of 158 seats, 163587.60 of 174900.00
    first = rows[0]
    assert (first["flight_no"], first["load_factor"], first["revenue_completion"], first["revenue_gap"]) == (
        "CA1612",
        "0.8354",
        "0.9353",
        "11312.40",
    )
    anomalies = [r["flight_no"] + " " + r["departure"] for r in rows if "declare_anomaly" in r["actions"]]
    assert anomalies == ["CA1634 2026-11-23T16:05", "CA1612 2026-11-25T13:25"]
    overbooked = [r for r in rows if r["warnings"]]
    assert [(r["flight_no"], r["load_factor"], r["warnings"]) for r in overbooked] == [
        ("CA1626", "1.0108", ["overbooked"])
    ]
    every = bizops_run("flights", "triage", flights, "--at", AT, "--all", "--format", "json").json()
    assert len(every) == 87
    assert Counter(r["tier"] for r in every)["gone"] == 6
    assert Counter(r["tier"] for r in every)["beyond"] == 2


def test_triage_of_the_month_as_a_table(bizops_run, flights):
    r = bizops_run("flights", "triage", flights, "--at", AT, "--format", "table")
    assert r.exit_code == 0, r
    title, blank, *lines = r.stdout.splitlines()
    assert "\x1b" not in r.stdout
    assert max(len(line) for line in lines) <= 120
    assert (title, blank) == ("company: airline", "")
    assert lines[0].split()[:4] == ["flight", "route", "departs", "days"]
    assert lines[2].split() == [
        "CA1612",
        "DLC-SZX",
        "2026-11-23T13:25",
        "0",
        "key",
        "0.8354",
        "0.9353",
        "11312.40",
        "revenue",
    ]
    zh = bizops_run("flights", "triage", flights, "--at", AT, "--format", "table", "--lang", "zh").stdout
    assert zh.splitlines()[2].split()[:5] == ["航班", "航线", "起飞", "天数", "档"]
    assert "异常申报" in zh and "超售" in zh


def test_route_revenue_scorecards(bizops_run, tmp_path):
    events = shutil.copy(ROOT / "examples" / "airline" / "route_revenue.csv", tmp_path / "route_revenue.csv")
    r = bizops_run("--company", "airline", "score", str(events), "--format", "json")
    assert r.exit_code == 0, r
    assert [
        (c["person"], c["period"], c["revenue"], c["target_revenue"], c["completion"], c["gap"], c["routes_below"])
        for c in r.json()
    ] == [
        ("李强", "2026-10", "5210095.20", "5249000.00", "0.9926", "38904.80", ["DLC-SZX", "DLC-CTU"]),
        ("李强", "2026-11", "5394100.00", "5249000.00", "1.0276", "-145100.00", []),
        ("王芳", "2026-10", "4576770.50", "4525300.00", "1.0114", "-51470.50", ["DLC-PEK"]),
        ("王芳", "2026-11", "4434090.80", "4431200.00", "1.0007", "-2890.80", ["DLC-PVG"]),
    ]
