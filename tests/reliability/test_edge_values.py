"""Values at the edges of the calendar and of sense (issue 18, items 4 and 6).

- A date whose result leaves the calendar (`requested_at = 9999-12-31T12:00`
  and a quote due a day later) is that row's error (65), named by row; the
  rows after it are decided. Never exit 70 blamed on the plugin.
- A policy that cannot work is refused before any row (78), by `policy
  check` and by every run: a bound no date can reach, two thresholds in the
  wrong order, a list of numbers where city names belong.
- Every printed date and number reads back, through bizops' own parsing and
  through the csv and json modules, as the same value and the same text:
  the year 1 is `0001`, and `-0` is written `0`. (bizops reads at most 15
  digits before the point, so the inputs here keep their results within it.)
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from reliability_support import assert_contract, error_rows

from bizops.core.money import decimal_text, money_text, price_text
from bizops.core.schema import Field
from bizops.core.values import converter, format_datetime


def jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


QUOTE = {"sku": "C", "guide_price": "100", "qty": 2, "custom": True}
CLAIM = {"employee": "甲", "scope": "in_province", "purpose": "new_market", "market_report": True}
DISPATCH = {"request_id": "R", "kind": "dispatch"}


# -- item 4: dates that leave the calendar are the row's error -------------------------------------
@pytest.mark.parametrize(
    "company, command, rows, message",
    [
        (
            "cable",
            ("quote",),
            [QUOTE, {**QUOTE, "requested_at": "9999-12-31T12:00"}, QUOTE],
            "row 2: requested_at 9999-12-31T12:00 + 24 hours is past 9999-12-31, the last date bizops can write",
        ),
        (
            "pv",
            ("expense", "claim"),
            [
                {**CLAIM, "depart": "2026-03-02", "return": "2026-03-03"},
                {**CLAIM, "depart": "9999-12-30", "return": "9999-12-31"},
                {**CLAIM, "depart": "2026-03-02", "return": "2026-03-02"},
            ],
            "row 2: the trip report is due 3 days after the return 9999-12-31, past 9999-12-31",
        ),
        (
            "pile",
            ("approve-order",),
            [
                {**DISPATCH, "request_id": "R1", "submitted_at": "2026-11-23T18:00"},
                {**DISPATCH, "request_id": "R2", "submitted_at": "9999-12-31T18:00"},
                {**DISPATCH, "request_id": "R3", "submitted_at": "2026-11-23T08:00"},
            ],
            "row 2: submitted_at 9999-12-31T18:00 is after the day's last cut-off, and the next day is past 9999-12-31",
        ),
    ],
    ids=["cable-quote", "pv-claim", "pile-dispatch"],
)
@pytest.mark.parametrize("jobs", ["1", "auto"])
def test_a_date_past_the_calendar_is_the_rows_error(bizops_run, tmp_path, company, command, rows, message, jobs):
    (tmp_path / "rows.jsonl").write_text(jsonl(*rows), encoding="utf-8")
    r = bizops_run("--company", company, *command, str(tmp_path / "rows.jsonl"), "--jobs", jobs)
    assert_contract(r, 65)
    assert error_rows(r.stderr) == [2], r.stderr
    assert message in r.stderr
    assert len(r.rows()) == 2  # the rows before and after are decided


@pytest.mark.parametrize(
    "company, table, message",
    [
        ("cable", "quote_due_hours = 1000000000000", "quote_due_hours must be ≤ 8760, got 1000000000000"),
        ("pv", "report_days = 1000000000000", "report_days must be ≤ 365, got 1000000000000"),
        (
            "cable",
            "credit_manager_over = 50000\ncredit_gm_over = 20000",
            "credit_gm_over must be ≥ credit_manager_over, got credit_gm_over = 20000 and credit_manager_over = 50000",
        ),
        ("cable", "home_city = [1, 2]", "home_city must be text (in quotes), got [1, 2]"),
    ],
    ids=["hours-past-the-calendar", "days-past-the-calendar", "thresholds-out-of-order", "cities-as-numbers"],
)
def test_a_policy_that_cannot_work_is_refused_by_check_and_by_every_run(bizops_run, tmp_path, company, table, message):
    config = tmp_path / "bizops.toml"
    config.write_text(f"[company.{company}]\n{table}\n", encoding="utf-8")
    r = bizops_run("--company", company, "--config", str(config), "policy", "check")
    assert_contract(r, 78)
    assert message in r.stderr and str(config) in r.stderr
    command = ("quote", "--guide-price", "100") if company == "cable" else ("expense", "request", "--employee", "甲")
    r = bizops_run("--company", company, "--config", str(config), *command)
    assert_contract(r, 78)
    assert message in r.stderr and r.stdout == ""


def test_the_defaults_keep_every_declared_order(bizops_run):
    for company in ("cable", "pv", "pile", "airline"):
        assert_contract(bizops_run("--company", company, "policy", "show"), 0)


# -- item 6: what is printed reads back as itself -------------------------------------------------
def test_the_year_1_and_minus_zero_print_as_bizops_reads_them(bizops_run):
    row = {**QUOTE, "requested_at": "0001-01-01T00:00", "discount_pct": "-0", "fee_pct": "-0.0"}
    r = bizops_run("--company", "cable", "quote", "-", "--explain", input=jsonl(row))
    assert_contract(r, 0)
    [out] = r.rows()
    assert out["quote_due"] == "0001-01-02T00:00"
    assert (out["discount_pct"], out["commission_cut_pct"], out["fee_pct"]) == ("0", "0", "0.0")
    assert "quote due by 0001-01-02T00:00" in json.dumps(out["trace"])


#: What each output kind is read back with: bizops' own parser for it, and how bizops writes it.
READ = {
    "money": (Field("x", "money"), money_text),
    "price": (Field("x", "price"), price_text),
    "decimal": (Field("x", "decimal"), decimal_text),
    "int": (Field("x", "int"), str),
    "datetime": (Field("x", "datetime"), format_datetime),
    "date": (Field("x", "date"), date.isoformat),
}

EDGES = [
    (
        "cable",
        ("quote",),
        [
            {**QUOTE, "requested_at": "0001-01-01T00:00", "discount_pct": "-0", "no_vat_discount_pct": "-0"},
            {**QUOTE, "requested_at": "9999-12-30T12:00:59", "qty": "0.001", "guide_price": "0.0001"},
            {**QUOTE, "custom": False, "vat_invoice": False, "fee_pct": "99.5", "qty": "1234567890.5"},
            {**QUOTE, "discount_pct": "30", "guide_price": "99999999999.9999"},
        ],
    ),
    (
        "cable",
        ("approve-order",),
        [
            {"customer": "甲", "amount": "0.01", "settlement": "credit", "new_customer": False},
            {
                "customer": "乙",
                "amount": "0.01",
                "settlement": "cash",
                "custom": True,
                "new_customer": True,
                "city": "广州",
            },
            {"customer": "丙", "amount": "999999999999999.99", "settlement": "credit", "invoice": "vat"},
        ],
    ),
    (
        "pv",
        ("expense", "claim"),
        [
            {**CLAIM, "depart": "0001-01-01", "return": "0001-01-03", "report_submitted": "0001-01-02"},
            {**CLAIM, "depart": "9999-12-20T08:00", "return": "9999-12-21T19:00", "advance": "-0"},
            {
                **CLAIM,
                "scope": "out_of_province",
                "depart": "2026-03-02",
                "return": "2026-03-09",
                "legs": [{"mode": "plane", "fare": "0.01", "gm_flight_approval": True}],
                "advance": "999999999999999.99",
            },
        ],
    ),
    (
        "pile",
        ("approve-order",),
        [
            {**DISPATCH, "request_id": "R1", "submitted_at": "0001-01-01T09:00"},
            {**DISPATCH, "request_id": "R2", "submitted_at": "9999-12-31T16:59:59", "for_date": "0001-01-01"},
            {**DISPATCH, "request_id": "R3", "submitted_at": "2026-11-23T17:01", "abnormal": True},
        ],
    ),
]


def kinds_of(bizops_run, company: str, command: tuple) -> dict[str, str]:
    """Each output column's kind, from `bizops` itself (the spec the plugin declared)."""
    from bizops.core.command import output_columns
    from bizops.core.plugins import get_plugin_manager

    del bizops_run  # the columns come from the same plugin the command loads
    spec = get_plugin_manager().company(company).commands[" ".join(command)]
    return {column.name: column.kind for column in output_columns(spec)}


def read_back(kind: str, text: object, where: str) -> None:
    """`text` parses as bizops parses input, and the value parsed is written as `text` again."""
    field, write = READ[kind]
    value = converter(field)(text)
    again = write(value)
    assert again == (str(text) if kind == "int" else text), f"{where}: {text!r} reads back as {value!r} ({again!r})"
    if kind in ("money", "price", "decimal"):
        assert not str(text).startswith("-0") or value != 0, f"{where}: a signed zero {text!r}"


@pytest.mark.parametrize("company, command, rows", EDGES, ids=[f"{e[0]}-{'-'.join(e[1])}" for e in EDGES])
def test_every_printed_number_and_date_reads_back_as_the_same_value(bizops_run, company, command, rows):
    kinds = kinds_of(bizops_run, company, command)
    source = jsonl(*rows)
    r = bizops_run("--company", company, *command, "-", "--format", "json", input=source)
    assert_contract(r, 0, 1)
    results = json.loads(r.stdout)
    assert len(results) == len(rows), r
    r = bizops_run("--company", company, *command, "-", "--format", "csv", input=source)
    assert_contract(r, 0, 1)
    cells = r.csv_rows()
    checked = 0
    for number, (result, row) in enumerate(zip(results, cells, strict=True), 1):
        for name, value in result.items():
            kind = kinds.get(name)
            if kind not in READ or value is None:
                continue
            read_back(kind, value, f"result {number} {name} (json)")
            assert row[name] == str(value), f"result {number} {name}: csv {row[name]!r}, json {value!r}"
            read_back(kind, row[name], f"result {number} {name} (csv)")
            checked += 1
    assert checked >= len(rows) - 1  # a refused dispatch has no batch


def test_a_datetime_that_would_not_read_back_is_the_plugins_failure(bizops_run, tmp_path):
    """A fraction of a second or a time zone has no written form bizops reads back: never printed."""
    plugin = tmp_path / "clock.py"
    plugin.write_text(
        """
from datetime import datetime, timezone
from bizops.api import Column, CommandSpec, Company, Field, hookimpl, map_rows

QUOTE = CommandSpec(inputs=(Field("n", "int", required=True),), outputs=(Column("at", "datetime"),))


@hookimpl
def bizops_company():
    return Company("clock", zh="钟", en="Clock", version="1.0", commands={"quote": QUOTE})


@hookimpl
def bizops_price(requests, policy, context):
    at = [datetime(2026, 1, 1, 9, 30), datetime(2026, 1, 1, 9, 30, 0, 5), datetime(2026, 1, 1, tzinfo=timezone.utc)]
    return map_rows(requests, lambda f: {"at": at[f["n"]], "warnings": []})
""",
        encoding="utf-8",
    )
    r = bizops_run("--plugin", str(plugin), "--company", "clock", "quote", "-", input=jsonl({"n": 0}, {"n": 1}))
    assert_contract(r, 70)
    assert r.rows() == [{"company": "clock", "at": "2026-01-01T09:30", "warnings": []}]
    assert "has a fraction of a second" in r.stderr
    r = bizops_run("--plugin", str(plugin), "--company", "clock", "quote", "--n", "2")
    assert_contract(r, 70)
    assert "has a time zone" in r.stderr


def test_datetime_fields_format_back_as_given():
    for text in ("0001-01-01T00:00", "9999-12-31T23:59:59", "2026-11-23T09:30"):
        assert format_datetime(datetime.fromisoformat(text)) == text
