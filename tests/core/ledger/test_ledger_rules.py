"""The history rules end to end, through the real company plugins and a real ledger (SQLite and PostgreSQL).

- pv: the third trip to one customer is not paid, without typing `trip_number`;
- cable: the order that brings a customer's pending VAT to 5,000 gets the VAT invoice;
- cable: the second month under 60 raises the dismissal-review flag;
- pile: the week's plan recorded on Monday takes the changes reported later;
- cable: two processes recording VAT orders for one customer at once lose nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from ledger_support import bizops_process


@pytest.fixture
def run(bizops_run, db):
    def invoke(*args, input=None):
        return bizops_run("--db", db.url, *args, input=input)

    return invoke


def jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


# -- pv: at most two paid trips to one customer ------------------------------------------------
VISIT = {
    "employee": "李娜",
    "role": "staff",
    "scope": "in_province",
    "depart": "2026-03-10",
    "return": "2026-03-10",
    "purpose": "visit",
    "customer": "义乌阳光建材",
    "feedback_forms": 1,
    "report_submitted": "2026-03-11",
}


def claim(run, *extra, **fields):
    r = run(
        "--company",
        "pv",
        "expense",
        "claim",
        "-",
        "--input-format",
        "jsonl",
        "--format",
        "jsonl",
        *extra,
        input=jsonl({**VISIT, **fields}),
    )
    assert r.exit_code in (0, 1), r
    return r.rows()[0]


def test_pv_the_third_recorded_trip_to_a_customer_is_not_paid(run, ledger_cmd):
    first = claim(run, "--record")
    assert (first["status"], first["allowance_days"]) == ("ok", 1)
    assert "counted as the first" in first["warnings"][0]
    assert claim(run, "--record", depart="2026-03-17", **{"return": "2026-03-17"})["status"] == "ok"
    third = claim(run, depart="2026-03-24", **{"return": "2026-03-24"})  # not recorded: only asks
    assert (third["status"], third["total"], third["allowance_days"]) == ("refused", "0.00", 0)
    assert third["disallowed"][0]["reason"].startswith("trip 3 to 义乌阳光建材")
    # Another customer, and another employee to this customer, start from one.
    assert claim(run, customer="东阳光伏")["status"] == "ok"
    assert claim(run, employee="王强")["status"] == "ok"
    # Reversing the second trip (recorded by mistake) makes the next one the second again.
    assert ledger_cmd("reverse", "2").exit_code == 0
    assert claim(run, depart="2026-03-24", **{"return": "2026-03-24"})["status"] == "ok"


def test_pv_trips_recorded_in_one_stream_count_for_the_next_row(run):
    trips = [
        {**VISIT, "depart": f"2026-04-0{d}", "return": f"2026-04-0{d}", "report_submitted": f"2026-04-0{d + 1}"}
        for d in (1, 3, 5)
    ]
    r = run(
        "--company",
        "pv",
        "expense",
        "claim",
        "-",
        "--input-format",
        "jsonl",
        "--format",
        "jsonl",
        "--record",
        input=jsonl(*trips),
    )
    assert r.exit_code == 1, r
    assert [row["status"] for row in r.rows()] == ["ok", "ok", "refused"]


# -- cable: VAT invoices accumulate to 5,000 ------------------------------------------------------
def vat_order(run, customer, amount, *extra):
    r = run(
        "--company",
        "cable",
        "approve-order",
        "--customer",
        customer,
        "--amount",
        amount,
        "--no-new-customer",
        "--invoice",
        "vat",
        "--format",
        "json",
        *extra,
    )
    assert r.exit_code == 0, r
    return r.json()


def test_cable_the_order_that_brings_pending_vat_to_5000_gets_the_invoice(run, ledger_cmd):
    first = vat_order(run, "佛山宏达", "2000", "--record")
    assert (first["invoice"], first["vat_pending_total"], first["vat_invoice_amount"]) == (
        "vat_pending",
        "2000.00",
        None,
    )
    assert vat_order(run, "佛山宏达", "2999.99", "--record")["vat_pending_total"] == "4999.99"
    asked = vat_order(run, "佛山宏达", "0.01")  # reading only: the invoice it would get
    assert (asked["invoice"], asked["vat_invoice_amount"]) == ("vat", "5000.00")
    done = vat_order(run, "佛山宏达", "0.01", "--record")
    assert (done["invoice"], done["vat_invoice_amount"], done["vat_pending_total"]) == ("vat", "5000.00", "0.00")
    assert vat_order(run, "佛山宏达", "100")["invoice"] == "vat_pending"
    # The invoice's decision can be shown again, with its rule.
    shown = ledger_cmd("show", "3", "--format", "json").json()
    assert shown["outputs"]["vat_invoice_amount"] == "5000.00"
    assert "cable.approve.vat_invoice" in [step["rule"] for step in shown["outputs"]["trace"]]
    assert shown["entries"] == [
        {"kind": "vat_pending", "key": "佛山宏达", "amount": "-4999.99", "value": None, "sign": 1}
    ]


def test_cable_a_recorded_or_imported_customer_is_not_new(run, ledger_cmd, tmp_path):
    order = ("--company", "cable", "approve-order", "--amount", "1500", "--city", "广州", "--format", "json")
    assert run(*order, "--customer", "南方电气").json()["payment_terms"] == "cod"
    sheet = tmp_path / "customers.csv"
    sheet.write_text("客户名称,城市\n南方电气,广州\n", encoding="utf-8-sig")
    assert ledger_cmd("import-customers", str(sheet), "--company", "cable").exit_code == 0
    known = run(*order, "--customer", "南方电气").json()
    assert (known["new_customer"], known["payment_terms"]) == (False, "cash")
    run(*order, "--customer", "新客户", "--record")
    assert run(*order, "--customer", "新客户").json()["new_customer"] is False


# -- cable: two months under 60 ---------------------------------------------------------------
def test_cable_the_second_month_under_60_raises_the_flag(run):
    score = ("--company", "cable", "score", "-", "--input-format", "jsonl", "--format", "jsonl")
    october = jsonl({"person": "张三", "date": "2026-10-05", "code": "late", "count": 9})  # 100 − 45 = 55
    november = jsonl({"person": "张三", "date": "2026-11-03", "code": "log_missing", "count": 5})  # 50
    assert run(*score, input=november).rows()[0]["flags"] == []
    recorded = run(*score, "--record", input=october).rows()[0]
    assert (recorded["score"], recorded["flags"]) == ("55", [])
    flagged = run(*score, "--record", input=november).rows()[0]
    assert (flagged["score"], flagged["flags"]) == ("50", ["dismissal_review"])
    fine = jsonl({"person": "张三", "date": "2026-12-03", "code": "efficiency"})
    assert run(*score, input=fine).rows()[0]["flags"] == []


# -- pile: the week's plan kept between reports ------------------------------------------------------
PLAN_HEADER = "office,week,submitted_at,change,spec,length_m,qty,project,notes\n"


def test_pile_changes_later_in_the_week_merge_onto_the_recorded_plan(run):
    monday = PLAN_HEADER + (
        "佛山办事处,2026-11-23,2026-11-23 10:20,add,PHC-500 AB 125,12,400,万科城三期,\n"
        "佛山办事处,2026-11-23,2026-11-23 10:20,add,PHC-500 AB 125,10,160,万科城三期,\n"
    )
    wednesday = PLAN_HEADER + "佛山办事处,2026-11-23,2026-11-25 09:10,set,PHC-500 AB 125,12,460,万科城三期,\n"
    plan = ("pile", "plan", "-", "--input-format", "csv", "--format", "jsonl")
    r = run(*plan, "--record", input=monday)
    assert r.exit_code == 0, r
    assert [row["qty"] for row in r.rows()] == ["400", "160"]
    alone = run(*plan, input=wednesday).rows()
    assert [(row["length_m"], row["qty"], row["source"]) for row in alone] == [
        ("12", "460", "change"),
        ("10", "160", "first_report"),
    ]


# -- cable: concurrent writers ---------------------------------------------------------------------
def test_cable_two_processes_recording_vat_orders_lose_nothing(db, tmp_path, bizops_run):
    amounts = [Decimal("100.00") + i for i in range(12)]
    text = jsonl(
        *({"customer": "东莞大成", "amount": str(a), "new_customer": False, "invoice": "vat"} for a in amounts)
    )
    args = ["--company", "cable", "--db", db.url, "approve-order", "-", "--input-format", "jsonl", "--record"]
    procs = [bizops_process(args, tmp_path) for _ in range(2)]
    for proc in procs:
        proc.stdin.write(text.encode())
        proc.stdin.close()
    outs = []
    for proc in procs:
        out, err = proc.stdout.read(), proc.stderr.read()
        assert proc.wait(60) == 0, err.decode()
        outs += [json.loads(line) for line in out.splitlines()]
    invoiced = sum(Decimal(o["vat_invoice_amount"]) for o in outs if o["invoice"] == "vat")
    pending = bizops_run(
        "--company",
        "cable",
        "--db",
        db.url,
        "approve-order",
        "--customer",
        "东莞大成",
        "--amount",
        "0.01",
        "--no-new-customer",
        "--invoice",
        "vat",
        "--format",
        "json",
    ).json()
    left = Decimal(pending["vat_pending_total"]) - Decimal("0.01")
    # Every yuan asked for a VAT invoice is either invoiced or still pending: nothing lost, nothing twice.
    assert invoiced + left == 2 * sum(amounts)
    assert sum(1 for o in outs if o["invoice"] == "vat") == (2 * sum(amounts)) // 5000
