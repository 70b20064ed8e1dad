"""`bizops pile plan`: the offices' weekly production plans merged into the effective plan."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

from bizops.core.context import Context
from bizops.core.errors import RowError
from bizops.core.policy import Policy
from bizops.core.requests import compile_fields
from bizops.plugins.pile.plan import plan
from bizops.plugins.pile.spec import COMPANY, PLAN

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "pile"
WEEK = {"week": "2026-11-23"}


def line(office, at, spec, length, qty=None, project="P", change="add", notes=None):
    row = {
        "office": office,
        **WEEK,
        "submitted_at": at,
        "spec": spec,
        "length_m": length,
        "project": project,
        "change": change,
    }
    if qty is not None:
        row["qty"] = qty
    if notes is not None:
        row["notes"] = notes
    return row


def run_plan(bizops_run, tmp_path, rows, *args):
    (tmp_path / "plan.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return bizops_run("pile", "plan", "plan.jsonl", *args)


def test_week_of_plans_from_the_example(bizops_run):
    run = bizops_run("pile", "plan", str(EXAMPLES / "plans.csv"))
    assert run.exit_code == 0, run
    got = [
        (r["office"], r["spec"], r["length_m"], r["qty"], r["project"], r["late"], r["source"], r["submitted_at"])
        for r in run.rows()
    ]
    assert got == [
        ("东莞办事处", "PHC-400 AB 95", "13", "320", "保利天汇", True, "change", "2026-11-26T15:40"),
        ("东莞办事处", "PHC-400 AB 95", "12", "220", "松山湖科创园", False, "first_report", "2026-11-23T11:00"),
        ("中山办事处", "PHC-600 AB 130", "15", "180", "碧桂园十里银滩", True, "first_report", "2026-11-23T11:35"),
        ("中山办事处", "PHC-500 AB 125", "11", "60", "南沙港物流园", True, "first_report", "2026-11-23T11:35"),
        ("中山办事处", "PHC-300 A 70", "9", "500", "南沙港物流园", True, "change", "2026-11-27T08:30"),
        ("佛山办事处", "PHC-500 AB 125", "12", "460", "万科城三期", True, "change", "2026-11-25T09:10"),
        ("佛山办事处", "PHC-500 AB 125", "14", "300", "顺德污水处理厂", False, "first_report", "2026-11-23T10:20"),
    ]
    assert all(r["company"] == "pile" and r["week"] == "2026-11-23" for r in run.rows())


def test_first_report_at_the_cut_off_and_a_minute_after(bizops_run, tmp_path):
    run = run_plan(
        bizops_run,
        tmp_path,
        [
            line("A", "2026-11-23T11:00", "PHC-400", "12", "10"),
            line("B", "2026-11-23T11:01", "PHC-400", "12", "10"),
            line("C", "2026-11-20T16:00", "PHC-400", "12", "10"),  # the Friday before: early, not late
        ],
    )
    assert run.exit_code == 0, run
    assert [(r["office"], r["late"]) for r in run.rows()] == [("A", False), ("B", True), ("C", False)]


def test_a_change_that_removes_a_line(bizops_run, tmp_path):
    rows = [
        line("A", "2026-11-23T10:00", "PHC-500", "12", "400", "万科"),
        line("A", "2026-11-23T10:00", "PHC-500", "10", "160", "万科"),
        line("A", "2026-11-23T10:00", "PHC-500", "10", "50", "保利"),
        line("A", "2026-11-25T09:00", "PHC-500", "10.00", project="万科", change="remove"),
    ]
    run = run_plan(bizops_run, tmp_path, rows)
    assert run.exit_code == 0, run
    assert [(r["length_m"], r["project"], r["qty"], r["source"]) for r in run.rows()] == [
        ("12", "万科", "400", "first_report"),
        ("10", "保利", "50", "first_report"),
    ]


def test_remove_then_add_again_and_removing_everything(bizops_run, tmp_path):
    rows = [
        line("A", "2026-11-23T10:00", "PHC-500", "12", "400"),
        line("A", "2026-11-24T10:00", "PHC-500", "12", change="remove"),
        line("A", "2026-11-25T10:00", "PHC-500", "12", "90"),
        line("B", "2026-11-23T10:00", "PHC-300", "9", "20"),
        line("B", "2026-11-24T10:00", "PHC-300", "9", change="remove"),
    ]
    run = run_plan(bizops_run, tmp_path, rows)
    assert run.exit_code == 0, run
    assert [(r["office"], r["qty"], r["source"]) for r in run.rows()] == [("A", "90", "change")]


def test_changes_are_applied_in_submission_order_not_input_order(bizops_run, tmp_path):
    rows = [
        line("A", "2026-11-26T10:00", "PHC-500", "12", "30", change="add", notes="补桩"),
        line("A", "2026-11-25T10:00", "PHC-500", "12", "100", change="set"),
        line("A", "2026-11-23T10:00", "PHC-500", "12", "400", notes="桩尖加强"),
    ]
    run = run_plan(bizops_run, tmp_path, rows, "--format", "json")
    out = run.json()
    assert [(r["qty"], r["notes"], r["submitted_at"]) for r in out] == [("130", "桩尖加强; 补桩", "2026-11-26T10:00")]


def test_set_on_a_missing_line_is_added_with_a_warning_and_duplicates_are_summed(bizops_run, tmp_path):
    rows = [
        line("A", "2026-11-23T10:00", "PHC-500", "12", "100"),
        line("A", "2026-11-23T10:00", "PHC-500", "12", "50"),
        line("A", "2026-11-24T10:00", "PHC-600", "15", "70", change="set"),
    ]
    out = run_plan(bizops_run, tmp_path, rows).rows()
    assert [(r["qty"], r["warnings"]) for r in out] == [
        ("150", ["listed twice in the report of 2026-11-23T10:00: quantities added"]),
        ("70", ["changed a line that was not in the plan: taken as an addition"]),
    ]


def test_missing_fields_are_refused_and_the_rest_still_planned(bizops_run, tmp_path):
    rows = [
        line("A", "2026-11-23T10:00", "PHC-500", "12", "100"),
        {k: v for k, v in line("A", "2026-11-23T10:00", "PHC-500", "13", "100").items() if k != "project"},
        {k: v for k, v in line("A", "2026-11-23T10:00", "PHC-500", "13", "100").items() if k != "spec"},
        {k: v for k, v in line("A", "2026-11-23T10:00", "PHC-500", "13", "100").items() if k != "length_m"},
        line("A", "2026-11-23T10:00", "PHC-500", "13"),
        {**line("A", "2026-11-23T10:00", "PHC-500", "13", "100"), "week": "2026-11-24"},
        line("A", "2026-11-23T10:00", "PHC-500", "0", "100"),
        line("A", "2026-11-24T10:00", "PHC-700", "13", project="X", change="remove"),
        {k: v for k, v in line("A", "2026-11-23T10:00", "PHC-500", "13", "100").items() if k != "submitted_at"},
    ]
    run = run_plan(bizops_run, tmp_path, rows)
    assert run.exit_code == 65, run
    assert [(r["length_m"], r["qty"]) for r in run.rows()] == [("12", "100")]
    err = run.stderr
    assert "row 2: project is required" in err
    assert "row 3: spec is required" in err
    assert "row 4: length_m is required" in err
    assert "row 5: qty is required to add a plan line" in err
    assert "row 6: week must be the Monday's date; 2026-11-24 is a Tuesday" in err
    assert "row 7: length_m must be > 0" in err
    assert "row 8: nothing to remove: PHC-700 × 13 m for X is not in the plan of A for the week of 2026-11-23" in err
    assert "row 9: submitted_at is required" in err


def test_table_for_the_planner_in_chinese(bizops_run):
    run = bizops_run("pile", "plan", str(EXAMPLES / "plans.csv"), "--format", "table", "--lang", "zh")
    assert run.exit_code == 0
    for text in (
        "办事处",
        "规格型号",
        "桩长(米)",
        "计划用量",
        "工程名称",
        "特殊事宜说明",
        "迟报",
        "首次上报",
        "变更",
        "佛山办事处",
        "非正常发桩已批",
    ):
        assert text in run.stdout, text
    assert "PHC-500 AB 125  10 " not in run.stdout  # the removed line


def test_csv_output(bizops_run):
    run = bizops_run("pile", "plan", str(EXAMPLES / "plans.csv"), "--format", "csv")
    rows = run.csv_rows()
    assert list(rows[0]) == [
        "company",
        "office",
        "week",
        "spec",
        "length_m",
        "qty",
        "project",
        "notes",
        "late",
        "submitted_at",
        "source",
        "warnings",
    ]
    assert (rows[-1]["office"], rows[-1]["qty"], rows[-1]["late"]) == ("佛山办事处", "300", "false")


def test_explain_traces_each_line(bizops_run, tmp_path):
    rows = [
        line("A", "2026-11-23T11:30", "PHC-500", "12", "100"),
        line("A", "2026-11-24T08:00", "PHC-500", "12", "20", change="set"),
    ]
    out = run_plan(bizops_run, tmp_path, rows, "--explain").rows()
    assert [t["rule"] for t in out[0]["trace"]] == ["pile.plan.due", "pile.plan.changes"]
    assert "after the cut-off 2026-11-23T11:00: late" in out[0]["trace"][0]["effect"]


def test_plan_due_from_the_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text('[company.pile]\nplan_due = "10:00"\n', encoding="utf-8")
    out = run_plan(bizops_run, tmp_path, [line("A", "2026-11-23T10:01", "PHC-500", "12", "100")]).rows()
    assert out[0]["late"] is True


# -- the ledger's copy of a week (through the plugin function: the ledger is core work) ------------


class DictHistory:
    def __init__(self):
        self.values = {}

    def latest(self, kind, key):
        return self.values.get((kind, key))

    def set(self, kind, key, value):
        json.dumps(value)  # the ledger keeps JSON
        self.values[(kind, key)] = value


def decide(rows, history, record):
    build = compile_fields(PLAN.inputs)
    policy = Policy("pile", {"plan_due": time(11)}, {})
    context = Context(company=COMPANY, now=datetime(2026, 11, 27), record=record, history_factory=lambda: history)
    outcomes = list(plan(((n, build(r)) for n, r in enumerate(rows, 1)), policy, context))
    return [o for o in outcomes if not isinstance(o, RowError)], [o for o in outcomes if isinstance(o, RowError)]


def test_changes_merge_onto_the_recorded_first_report():
    history = DictHistory()
    first = [
        line("A", "2026-11-23T10:00", "PHC-500", "12", "400"),
        line("A", "2026-11-23T10:00", "PHC-500", "10", "160"),
    ]
    decide(first, history, record=True)
    stored = history.latest("plan", "A|2026-11-23")
    assert [p["qty"] for p in stored["plan"]] == ["400", "160"]

    changes = [
        line("A", "2026-11-25T09:00", "PHC-500", "10", change="remove"),
        line("A", "2026-11-25T09:00", "PHC-500", "12", "60"),
    ]
    results, errors = decide(changes, history, record=False)
    assert errors == []
    assert [(r["length_m"], r["qty"], r["source"]) for r in results] == [(Decimal(12), Decimal(460), "change")]
    assert [p["qty"] for p in history.latest("plan", "A|2026-11-23")["plan"]] == ["400", "160"]  # not recorded

    decide(changes, history, record=True)
    again, _ = decide(changes, history, record=True)  # recording the same changes twice changes nothing
    assert [r["qty"] for r in again] == [Decimal(460)]
    assert history.latest("plan", "A|2026-11-23")["plan"][0]["qty"] == "460"


def test_a_resent_first_report_replaces_the_recorded_one():
    history = DictHistory()
    decide([line("A", "2026-11-23T10:00", "PHC-500", "12", "400")], history, record=True)
    results, _ = decide([line("A", "2026-11-23T10:00", "PHC-500", "12", "300")], history, record=True)
    assert [(r["qty"], r["source"]) for r in results] == [(Decimal(300), "first_report")]


def test_without_a_ledger_a_change_alone_is_taken_as_the_report():
    results, errors = decide(
        [
            line("A", "2026-11-25T09:00", "PHC-500", "10", change="remove"),
            line("A", "2026-11-25T09:00", "PHC-500", "12", "60"),
        ],
        DictHistory(),
        record=False,
    )
    assert [r["qty"] for r in results] == [Decimal(60)]
    assert len(errors) == 1 and "nothing to remove" in errors[0].message
