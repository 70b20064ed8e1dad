"""`bizops flights triage --checklist` and `bizops flights checklist`: the day's fixed checks."""

import pytest

CHECKS = ["key_flights", "near_flights", "horizon_first_pass", "revenue_system", "horizon_second_pass", "b2b_groups"]


def states(rows):
    return {row["check"]: row["state"] for row in rows}


@pytest.mark.parametrize("how", [("flights", "triage", "--checklist"), ("flights", "checklist")])
def test_at_1159_the_first_pass_is_still_due(bizops_run, how):
    r = bizops_run(*how, "--at", "2026-11-23T11:59", "--format", "json")
    assert r.exit_code == 0, r
    rows = r.json()
    assert [row["check"] for row in rows] == CHECKS
    assert states(rows) == {
        "key_flights": "overdue",
        "near_flights": "overdue",
        "horizon_first_pass": "due",
        "revenue_system": "upcoming",
        "horizon_second_pass": "upcoming",
        "b2b_groups": "upcoming",
    }


@pytest.mark.parametrize("how", [("flights", "triage", "--checklist"), ("flights", "checklist")])
def test_at_1200_the_first_pass_is_overdue(bizops_run, how):
    rows = bizops_run(*how, "--at", "2026-11-23T12:00", "--format", "json").json()
    assert states(rows) == {
        "key_flights": "overdue",
        "near_flights": "overdue",
        "horizon_first_pass": "overdue",
        "revenue_system": "upcoming",
        "horizon_second_pass": "due",
        "b2b_groups": "due",
    }


@pytest.mark.parametrize("how", [("flights", "triage", "--checklist"), ("flights", "checklist")])
def test_at_1300_the_revenue_system_check_is_due(bizops_run, how):
    rows = bizops_run(*how, "--at", "2026-11-23T13:00", "--format", "json").json()
    assert states(rows) == {
        "key_flights": "overdue",
        "near_flights": "overdue",
        "horizon_first_pass": "overdue",
        "revenue_system": "due",
        "horizon_second_pass": "due",
        "b2b_groups": "due",
    }


def test_times_and_days(bizops_run):
    rows = bizops_run("flights", "checklist", "--at", "2026-11-23T08:30", "--format", "json").json()
    assert rows[0] == {
        "company": "airline",
        "check": "key_flights",
        "days": "0-3",
        "opens": "2026-11-23T08:30",
        "due_by": "2026-11-23T09:30",
        "state": "due",
        "warnings": [],
    }
    assert [(r["days"], r["opens"][11:], r["due_by"][11:]) for r in rows] == [
        ("0-3", "08:30", "09:30"),
        ("4-7", "08:30", "09:30"),
        ("16-30", "08:30", "12:00"),
        (None, "13:00", "18:00"),
        ("16-30", "12:00", "18:00"),
        (None, "12:00", "18:00"),
    ]
    assert set(states(rows).values()) == {"due", "upcoming"}


def test_before_the_day_and_after_it(bizops_run):
    assert set(
        states(bizops_run("flights", "checklist", "--at", "2026-11-23T08:29", "--format", "json").json()).values()
    ) == {"upcoming"}
    assert set(
        states(bizops_run("flights", "checklist", "--at", "2026-11-23T18:00", "--format", "json").json()).values()
    ) == {"overdue"}


def test_times_are_policy_values(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text(
        '[company.airline]\nfirst_pass_by = "11:30"\nrevenue_check_from = "14:00"\nkey_max_days = 2\n', encoding="utf-8"
    )
    rows = bizops_run("flights", "checklist", "--at", "2026-11-23T13:00", "--format", "json").json()
    assert rows[0]["days"] == "0-2" and rows[1]["days"] == "3-7"
    assert rows[2]["due_by"] == "2026-11-23T11:30"
    assert (rows[3]["opens"], rows[3]["state"]) == ("2026-11-23T14:00", "upcoming")


def test_a_check_that_could_never_be_due_is_a_config_error(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text('[company.airline]\nrevenue_check_from = "18:30"\n', encoding="utf-8")
    r = bizops_run("flights", "checklist", "--at", "2026-11-23T13:00")
    assert r.exit_code == 78, r
    assert "revenue_system would never be due" in r.stderr


def test_at_defaults_to_now(bizops_run):
    rows = bizops_run("flights", "triage", "--checklist", "--now", "2026-11-23T12:30", "--format", "json").json()
    assert rows[0]["opens"] == "2026-11-23T08:30"
    assert states(rows)["horizon_second_pass"] == "due"


def test_checklist_reads_no_input(bizops_run, tmp_path):
    r = bizops_run("flights", "triage", "missing.csv", "--checklist", "--at", "2026-11-23T12:00", "--format", "json")
    assert r.exit_code == 0, r
    assert len(r.json()) == 6
    assert "--checklist reads no input; missing.csv was not read" in r.stderr


def test_bad_at(bizops_run):
    r = bizops_run("flights", "checklist", "--at", "noon")
    assert r.exit_code == 2, r


def test_table_in_chinese(bizops_run):
    r = bizops_run("flights", "triage", "--checklist", "--at", "2026-11-23T12:00", "--format", "table", "--lang", "zh")
    assert r.exit_code == 0, r
    title, blank, *lines = r.stdout.splitlines()
    assert (title, blank) == ("公司：airline", "")  # the same in every row: the table's title
    assert lines[0].split() == ["检查", "天数", "开始", "时限", "状态", "提示"]
    assert lines[4].split() == [
        "远期第一次检查",
        "16-30",
        "2026-11-23T08:30",
        "2026-11-23T12:00",
        "已过时限",
    ]
    assert "MIS 合理收入" in r.stdout and "未到" in r.stdout and "待办" in r.stdout


def test_another_company_has_no_checklist(bizops_run):
    r = bizops_run("flights", "checklist", "--company", "cable", "--at", "2026-11-23T12:00")
    assert r.exit_code == 69, r
    assert "cable has no rules for flights checklist" in r.stderr
