"""`bizops check`: rule cases as data, run through the same machinery as the CLI."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import bizops.plugins

PLUGINS = Path(bizops.plugins.__file__).parent
BUILTIN_CASES = sorted(PLUGINS.glob("*/cases.toml"))
CABLE_EXAMPLE = """
[[case]]
name = "spec example"
command = "quote"
input = { guide_price = "100.00", qty = 10, vat_invoice = false, discount_pct = 2, fee_pct = 5 }
expect = { unit_price = "96.84", total = "968.40", status = "ok" }
"""


def write(tmp_path: Path, text: str, name: str = "cases.toml", company: str | None = "cable") -> str:
    head = f'company = "{company}"\n' if company and name.endswith(".toml") else ""
    (tmp_path / name).write_text(head + text, encoding="utf-8")
    return name


# -- the built-in plugins' cases run in CI ---------------------------------------------
def test_every_builtin_plugin_ships_cases():
    # general: bizops' own rules (receivables), every company's; its cases name no company
    assert {p.parent.name for p in BUILTIN_CASES} == {"cable", "pv", "pile", "airline", "general"}


@pytest.mark.parametrize("cases_file", BUILTIN_CASES, ids=lambda p: p.parent.name)
def test_builtin_cases_hold(bizops_run, cases_file):
    data = tomllib.loads(cases_file.read_text(encoding="utf-8"))
    company = data.get("company", "airline")  # the general rules' hold for any company: one without money rules
    r = bizops_run("--company", company, "check", cases_file, "--format", "json")
    rows = r.json()
    failing = {row["case"]: row["mismatches"] for row in rows if row["status"] != "ok"}
    assert failing == {}
    assert r.exit_code == 0, r
    assert [row["case"] for row in rows] == [case["name"] for case in data["case"]]
    assert {row["company"] for row in rows} == {company}
    assert r.stderr.endswith(f"check: {len(rows)} cases: {len(rows)} ok, 0 failed\n")


# -- reporting -------------------------------------------------------------------------
def test_a_passing_case(bizops_run, tmp_path):
    r = bizops_run("check", write(tmp_path, CABLE_EXAMPLE), "--format", "json")
    assert r.exit_code == 0, r
    assert r.json() == [
        {"company": "cable", "case": "spec example", "command": "quote", "status": "ok", "mismatches": [], "trace": []}
    ]


def test_a_mismatch_fails_with_the_rule_trace(bizops_run, tmp_path):
    name = write(tmp_path, CABLE_EXAMPLE.replace('"96.84"', '"96.85"'))
    r = bizops_run("check", name, "--format", "json")
    assert r.exit_code == 1
    [row] = r.json()
    assert row["status"] == "fail"
    assert row["mismatches"] == ['unit_price: expected "96.85", got "96.84"']
    assert any(line.startswith("cable.price.fee (000 三、市场价格 4): ") for line in row["trace"])
    assert "check: 1 case: 0 ok, 1 failed" in r.stderr


def test_table_says_ok_and_fail_in_either_language(bizops_run, tmp_path):
    text = CABLE_EXAMPLE + CABLE_EXAMPLE.replace("spec example", "wrong total").replace('"968.40"', '"968.41"')
    name = write(tmp_path, text)
    r = bizops_run("check", name, "--format", "table")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "company: cable · command: quote"  # one value in every row: the table's title
    assert lines[2].split()[:2] == ["case", "status"]
    assert "ok" in next(line for line in lines if "spec example" in line).split()
    assert "FAIL" in next(line for line in lines if "wrong total" in line).split()
    zh = bizops_run("check", name, "--format", "table", "--lang", "zh")
    assert "不通过" in zh.stdout and "通过" in zh.stdout
    assert 'total：预期 "968.41"，实际 "968.40"' in zh.stdout
    assert "cable.price.fee（000 三、市场价格 4）：92.00 / (1 - 5%) = 96.84" in zh.stdout  # the trace in Chinese
    assert "1 个通过，1 个不通过" in zh.stderr


def test_explain_shows_the_trace_of_passing_cases_too(bizops_run, tmp_path):
    rows = bizops_run("check", write(tmp_path, CABLE_EXAMPLE), "--format", "json", "--explain").json()
    assert [line.split(" ")[0] for line in rows[0]["trace"]][:2] == ["cable.price.list", "cable.price.no_vat"]


def test_numbers_compare_by_value_strings_as_written(bizops_run, tmp_path):
    text = CABLE_EXAMPLE.replace('total = "968.40"', "total = 968.4").replace('"96.84"', '"96.840"')
    [row] = bizops_run("check", write(tmp_path, text), "--format", "json").json()
    assert row["mismatches"] == ['unit_price: expected "96.840", got "96.84"']


def test_expect_rows_counts_and_compares_each_result(bizops_run, tmp_path):
    text = """
[[case]]
name = "two quotes"
command = "quote"
inputs = [{ guide_price = "100" }, { guide_price = "200" }, { guide_price = "300" }]
expect_rows = [{ total = "100.00" }, { total = "201.00" }]
"""
    [row] = bizops_run("check", write(tmp_path, text), "--format", "json").json()
    assert row["mismatches"] == ["expected 2 results, got 3", '[2].total: expected "201.00", got "200.00"']
    assert row["trace"][0].startswith("[1] cable.price.list")  # numbered by result


def test_nested_tables_compare_the_keys_they_name(bizops_run, tmp_path):
    text = """
[[case]]
name = "an unapproved abnormal dispatch"
command = "approve-order"
input = { submitted_at = "2026-11-23T09:00", abnormal = true }
expect_rows = [{ route = ["salesperson", "office", "company_clerk", "dispatch"], fine_exposure = [{ max = "100.00" }] }]
"""
    [row] = bizops_run("check", write(tmp_path, text, company="pile"), "--format", "json").json()
    assert row["mismatches"] == ['[1].route[2]: expected "office", got "office_clerk"']
    text = text.replace('"office"', '"office_clerk"').replace('max = "100.00"', 'max = "90.00", code = "x"')
    [row] = bizops_run("check", write(tmp_path, text, company="pile"), "--format", "json").json()
    assert row["mismatches"] == [
        '[1].fine_exposure[1].max: expected "90.00", got "100.00"',
        '[1].fine_exposure[1].code: expected "x", not in the output',
    ]


def test_expected_errors_in_english_or_chinese(bizops_run, tmp_path):
    text = """
[[case]]
name = "english"
command = "quote"
input = { qty = 3 }
expect_error = "guide_price"

[[case]]
name = "chinese"
command = "quote"
input = { guide_price = "100", qty = 0 }
expect_error = "qty 必须"

[[case]]
name = "wrong piece"
command = "quote"
input = { guide_price = "100", qty = 0 }
expect_error = "qty must be positive"

[[case]]
name = "no error at all"
command = "quote"
input = { guide_price = "100" }
expect_error = "anything"
"""
    rows = {row["case"]: row for row in bizops_run("check", write(tmp_path, text), "--format", "json").json()}
    assert rows["english"]["status"] == rows["chinese"]["status"] == "ok"
    assert rows["wrong piece"]["mismatches"] == [
        'expected an error containing "qty must be positive"; got: row 1: qty must be > 0, got 0'
    ]
    assert rows["no error at all"]["mismatches"] == ['expected an error containing "anything"; there was none']


def test_an_unexpected_row_error_fails_the_case(bizops_run, tmp_path):
    text = """
[[case]]
name = "bad qty"
command = "quote"
input = { guide_price = "100", qty = -1 }
expect = { status = "ok" }
"""
    r = bizops_run("check", write(tmp_path, text), "--format", "json")
    assert r.exit_code == 1
    assert r.json()[0]["mismatches"] == [
        "unexpected error: row 1: qty must be > 0, got -1",
        "expected one result, got 0",
    ]


def test_expect_rules(bizops_run, tmp_path):
    text = CABLE_EXAMPLE.replace("expect = {", 'expect_rules = ["cable.price.fee", "cable.price.nothing"]\nexpect = {')
    [row] = bizops_run("check", write(tmp_path, text), "--format", "json").json()
    assert len(row["mismatches"]) == 1
    assert row["mismatches"][0].startswith("rule cable.price.nothing did not apply (applied: cable.price.list, ")


def test_case_policy_and_now_reach_the_command(bizops_run, tmp_path):
    text = """
[[case]]
name = "policy: a 95 % floor refuses an 8 % discount"
command = "quote"
policy = { floor_pct = 95 }
input = { guide_price = "100", discount_pct = 8 }
expect = { status = "refused", floor_unit_price = "95.00" }

[[case]]
name = "now: a custom quote is due 24 hours after the run's clock"
command = "quote"
now = 2026-11-23T09:30:00
input = { guide_price = "236.00", custom = true }
expect = { quote_due = "2026-11-24T09:30" }
"""
    r = bizops_run("check", write(tmp_path, text), "--format", "json")
    assert r.exit_code == 0, r
    r = bizops_run(
        "check", write(tmp_path, text.replace("95.00", "90.00").replace('T09:30"', 'T09:00"')), "--format", "json"
    )
    assert [row["mismatches"] for row in r.json()] == [
        ['floor_unit_price: expected "90.00", got "95.00"'],
        ['quote_due: expected "2026-11-24T09:00", got "2026-11-24T09:30"'],
    ]


def test_options_reach_a_plugin_command(bizops_run, tmp_path):
    data = tomllib.loads((PLUGINS / "airline" / "cases.toml").read_text(encoding="utf-8"))
    case = next(c for c in data["case"] if c["command"] == "flights triage" and "options" in c)
    (tmp_path / "airline.jsonl").write_text(
        json.dumps({"company": "airline", **case}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    assert bizops_run("check", "airline.jsonl", "--format", "json").exit_code == 0
    case["options"] = {**case["options"], "at": "2020-01-01T00:00"}  # years before: the watch sees other flights
    (tmp_path / "airline.jsonl").write_text(
        json.dumps({"company": "airline", **case}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    r = bizops_run("check", "airline.jsonl", "--format", "json")
    assert r.exit_code == 1 and r.json()[0]["status"] == "fail"


CHECKLIST = """
[[case]]
name = "checklist at the start of the day"
command = "flights checklist"
options = { at = "AT" }
expect_rows = [{ check = "key_flights", state = "due" }, { check = "near_flights", state = "due" }, {}, {}, {}, {}]
"""


def test_a_command_that_reads_no_rows_runs_as_its_cli_command(bizops_run, tmp_path):
    r = bizops_run(
        "check", write(tmp_path, CHECKLIST.replace("AT", "2026-11-23T08:30"), company="airline"), "--format", "json"
    )
    assert r.exit_code == 0 and r.json()[0]["status"] == "ok", r
    r = bizops_run(
        "check", write(tmp_path, CHECKLIST.replace("AT", "2026-11-23T13:00"), company="airline"), "--format", "json"
    )
    assert '[1].state: expected "due", got "overdue"' in r.json()[0]["mismatches"]


def test_a_bad_option_value_fails_the_case_with_the_commands_message(bizops_run, tmp_path):
    r = bizops_run(
        "check", write(tmp_path, CHECKLIST.replace("AT", "half past eight"), company="airline"), "--format", "json"
    )
    [row] = r.json()
    assert row["status"] == "fail" and r.exit_code == 2
    assert row["mismatches"][0].startswith("unexpected error: --at ")


# -- the config and the ledger ---------------------------------------------------------
def test_the_config_applies_unless_defaults(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.cable]\nfloor_pct = 95\n", encoding="utf-8")
    name = write(tmp_path, CABLE_EXAMPLE)
    r = bizops_run("check", name, "--format", "json")
    assert r.exit_code == 1 and 'status: expected "ok", got "refused"' in r.json()[0]["mismatches"]
    assert bizops_run("check", name, "--defaults", "--format", "json").exit_code == 0


def test_cases_read_no_ledger_and_write_none(bizops_run, tmp_path):
    db = tmp_path / "ledger.db"
    r = bizops_run("--db", db, "check", PLUGINS / "cable" / "cases.toml", "--format", "json")
    assert r.exit_code == 0, r
    assert not db.exists()


# -- what is not a cases file ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('company = "cable"\n[[case]\n', "not valid TOML"),
        ('company = "cable"\n', "no cases in the file"),
        ('company = "cable"\ncases = []\n', "unknown key 'cases'"),
        (
            '[[case]]\nname = "x"\ncommand = "quote"\ninput = {}\nexpected = {}\n',
            "case 1 ('x'): unknown key 'expected'",
        ),
        ('[[case]]\nname = "x"\ncommand = "quote"\ninput = {}\n', "case 1 ('x'): a case needs something to expect"),
        ('[[case]]\ncommand = "quote"\nexpect = {}\n', "case 1: a case needs a name"),
        ('[[case]]\nname = "x"\ncommand = "quote"\ninput = {}\ninputs = []\nexpect = {}\n', "give input or inputs"),
        (
            '[[case]]\nname = "x"\ncommand = "quote"\nexpect = {}\n[[case]]\nname = "x"\ncommand = "quote"\nexpect = {}\n',
            "a second case named 'x'",
        ),
        ('[[case]]\nname = "x"\ncommand = "qoute"\nexpect = {}\n', "cable has no command 'qoute'; it has: quote"),
        (
            '[[case]]\nname = "x"\ncommand = "quote"\ninput = { guide_prise = 1 }\nexpect = {}\n',
            "input 'guide_prise' is not a field of quote; its fields: ",
        ),
        ('[[case]]\nname = "x"\ncommand = "quote"\noptions = { at = 1 }\nexpect = {}\n', "quote has no option 'at'"),
        ('[[case]]\nname = "x"\ncommand = "quote"\nnow = "soon"\nexpect = {}\n', "now must be a date and time"),
    ],
)
def test_a_malformed_cases_file_is_exit_65(bizops_run, tmp_path, text, message):
    (tmp_path / "cases.toml").write_text(
        text if text.startswith("company") else 'company = "cable"\n' + text, encoding="utf-8"
    )
    r = bizops_run("check", "cases.toml", "--format", "json")
    assert r.exit_code == 65, r
    assert r.stdout == ""
    assert message in r.stderr and "cases.toml" in r.stderr


def test_nested_input_keys_are_checked(bizops_run, tmp_path):
    text = (
        '[[case]]\nname = "x"\ncommand = "approve-order"\ninput = { items = [{ spec = "A", lenght_m = 1 }] }\n'
        "expect = {}\n"
    )
    r = bizops_run("check", write(tmp_path, text, company="pile"))
    assert r.exit_code == 65 and "input 'items[1].lenght_m' is not a field of approve-order" in r.stderr


def test_a_missing_cases_file_is_exit_66(bizops_run):
    r = bizops_run("check", "nowhere.toml")
    assert r.exit_code == 66 and "nowhere.toml: cannot read the cases file" in r.stderr


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ("{ floor_pct = 150 }", "case 1 ('x') policy: [company.cable] floor_pct"),
        ("{ flor_pct = 90 }", "unknown key 'flor_pct'"),
    ],
)
def test_a_policy_the_company_refuses_is_exit_78(bizops_run, tmp_path, policy, message):
    text = (
        f'[[case]]\nname = "x"\ncommand = "quote"\npolicy = {policy}\ninput = {{ guide_price = "1" }}\nexpect = {{}}\n'
    )
    r = bizops_run("check", write(tmp_path, text), "--format", "json")
    assert r.exit_code == 78, r
    assert message in r.stderr and r.stdout == ""


# -- choosing the company and the cases --------------------------------------------------
def test_a_file_without_company_uses_the_selected_one(bizops_run, tmp_path):
    name = write(tmp_path, CABLE_EXAMPLE, company=None)
    assert bizops_run("check", name).exit_code == 2  # no company anywhere
    assert bizops_run("--company", "cable", "check", name).exit_code == 0
    assert bizops_run("check", name, env={"BIZOPS_COMPANY": "cable"}).exit_code == 0


def test_company_conflict_is_a_usage_error(bizops_run, tmp_path):
    r = bizops_run("--company", "pv", "check", write(tmp_path, CABLE_EXAMPLE))
    assert r.exit_code == 2 and "holds cases of cable, not of --company pv" in r.stderr


def test_jsonl_cases(bizops_run, tmp_path):
    lines = [
        {
            "company": "cable",
            "name": "a",
            "command": "quote",
            "input": {"guide_price": "100.00"},
            "expect": {"total": "100.00"},
        },
        {"name": "b", "command": "quote", "input": {"guide_price": 12.5, "qty": 2}, "expect": {"total": 25.0}},
    ]
    (tmp_path / "cases.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    r = bizops_run("check", "cases.jsonl", "--format", "json")
    assert r.exit_code == 0, r
    assert [row["case"] for row in r.json()] == ["a", "b"]
    (tmp_path / "bad.jsonl").write_text('{"name": "a"\n', encoding="utf-8")
    r = bizops_run("check", "bad.jsonl")
    assert r.exit_code == 65 and "bad.jsonl: line 1: not valid JSON" in r.stderr


def test_select_cases_by_name(bizops_run):
    cases = PLUGINS / "pile" / "cases.toml"
    rows = bizops_run("check", cases, "-k", "roll", "--format", "json").json()
    assert rows and all("roll" in row["case"] for row in rows)
    r = bizops_run("check", cases, "--case", "no such case")
    assert r.exit_code == 2 and "no case name contains 'no such case'" in r.stderr


def test_several_files(bizops_run):
    r = bizops_run("check", PLUGINS / "cable" / "cases.toml", PLUGINS / "pile" / "cases.toml", "--format", "jsonl")
    assert r.exit_code == 0
    assert {row["company"] for row in r.rows()} == {"cable", "pile"}


# -- a plugin that fails -----------------------------------------------------------------
CRASHING = """
from bizops.api import Column, CommandSpec, Company, Field, hookimpl, map_rows


@hookimpl
def bizops_company():
    return Company("crashy", zh="崩溃", en="Crashy", commands={"quote": CommandSpec(
        inputs=(Field("x", "int"),), outputs=(Column("x", "int", zh="x", en="x"),))})


def decide(fields):
    if fields["x"] == 13:
        raise KeyError("unlucky")
    return {"x": fields["x"], "status": "ok", "reason": None}


@hookimpl
def bizops_price(requests, policy, context):
    return map_rows(requests, decide)
"""


def test_a_plugin_failure_fails_the_case_and_exits_70(bizops_run, tmp_path):
    (tmp_path / "crashy.py").write_text(CRASHING, encoding="utf-8")
    text = (
        '[[case]]\nname = "fine"\ncommand = "quote"\ninput = { x = 1 }\nexpect = { x = 1 }\n'
        '[[case]]\nname = "crash"\ncommand = "quote"\ninput = { x = 13 }\nexpect_error = "unlucky"\n'
    )
    r = bizops_run("--plugin", "crashy.py", "check", write(tmp_path, text, company="crashy"), "--format", "json")
    assert r.exit_code == 70, r
    rows = {row["case"]: row for row in r.json()}
    assert rows["fine"]["status"] == "ok"
    assert rows["crash"]["status"] == "fail"
    assert rows["crash"]["mismatches"][0].startswith("unexpected error: plugin 'crashy' failed in bizops_price: ")
