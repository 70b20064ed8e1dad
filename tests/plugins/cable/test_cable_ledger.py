"""The cable maker's history rules against the real ledger (SQLite via --db), across runs."""

from __future__ import annotations

import json

import pytest

A = ("--company", "cable", "approve-order")


@pytest.fixture
def run(bizops_run, tmp_path):
    db = str(tmp_path / "ledger.db")

    def invoke(*args, input=None):
        return bizops_run("--db", db, *args, "--format", "json", input=input)

    return invoke


def vat(run, customer, amount, *extra):
    r = run(*A, "--customer", customer, "--amount", amount, "--no-new-customer", "--invoice", "vat", *extra)
    assert r.exit_code == 0, r
    return r.json()


def test_vat_pending_accumulates_across_recorded_runs(run):
    assert vat(run, "乙", "3000", "--record")["vat_pending_total"] == "3000.00"
    assert vat(run, "乙", "1999.99")["vat_pending_total"] == "4999.99"  # not recorded
    assert vat(run, "乙", "1000", "--record")["vat_pending_total"] == "4000.00"
    done = vat(run, "乙", "1000", "--record")
    assert (done["invoice"], done["vat_invoice_amount"], done["vat_pending_total"]) == ("vat", "5000.00", "0.00")
    again = vat(run, "乙", "100")
    assert (again["invoice"], again["vat_pending_total"]) == ("vat_pending", "100.00")


def test_recorded_stream_rows_see_each_other(run):
    line = (
        json.dumps({"customer": "丁", "amount": "2000", "new_customer": False, "invoice": "vat"}, ensure_ascii=False)
        + "\n"
    )
    r = run(*A, "-", "--input-format", "jsonl", "--record", input=line * 3)
    assert [o["invoice"] for o in r.json()] == ["vat_pending", "vat_pending", "vat"]
    assert r.json()[2]["vat_invoice_amount"] == "6000.00"


def test_a_recorded_customer_is_no_longer_new(run):
    first = run(*A, "--customer", "戊", "--amount", "1500", "--city", "广州", "--record").json()
    assert (first["new_customer"], first["payment_terms"]) == (True, "cod")
    second = run(*A, "--customer", "戊", "--amount", "1500", "--city", "广州").json()
    assert (second["new_customer"], second["payment_terms"]) == (False, "cash")
    assert "which knows 戊" in second["warnings"][0]


def test_dismissal_review_from_a_recorded_month(run):
    october = json.dumps({"person": "a", "date": "2026-10-02", "code": "late", "count": 9}) + "\n"
    november = json.dumps({"person": "a", "date": "2026-11-02", "code": "late", "count": 9}) + "\n"
    score = ("--company", "cable", "score", "-", "--input-format", "jsonl")
    assert run(*score, input=november).json()[0]["flags"] == []
    assert run(*score, input=october).json()[0]["score"] == "55"  # not recorded
    assert run(*score, input=november).json()[0]["flags"] == []
    run(*score, "--record", input=october)
    assert run(*score, input=november).json()[0]["flags"] == ["dismissal_review"]
