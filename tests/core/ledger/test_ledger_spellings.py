"""One customer, however its brackets are typed (schema 4): full-width forms compare as ASCII in ledger keys.

`广州甲公司（番禺）` (a Chinese input method's brackets) and `广州甲公司(番禺)` (an
export's) are one customer: one VAT accumulation, known once imported, owned
by whoever filed it. A ledger recorded before schema 4 is migrated: its
balances added up again under the new keys, the spellings its records keep
found as aliases. SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from decimal import Decimal

from bizops.core.ledger import codec, store
from bizops.core.ledger.schema import SCHEMA_VERSION

FULL = "广州甲公司（番禺）"
HALF = "广州甲公司(番禺)"


def order(bizops_run, db, customer: str, amount: str, *extra: str, order_id: str | None = None):
    args = ["--company", "cable", "--db", db.url, "approve-order", "--customer", customer, "--amount", amount]
    args += ["--invoice", "vat", *(["--order-id", order_id] if order_id else []), *extra, "--format", "jsonl"]
    return bizops_run(*args)


def test_full_width_brackets_are_the_same_customer(bizops_run, db):
    first = order(bizops_run, db, HALF, "2500", "--no-new-customer", "--record", order_id="SO-1")
    assert first.exit_code == 0, first
    then = order(bizops_run, db, FULL, "2500", "--no-new-customer")
    # 2,500 pending under either spelling: with this order 5,000, the VAT invoice is due.
    assert (then.rows()[0]["invoice"], then.rows()[0]["vat_invoice_amount"]) == ("vat", "5000.00"), then
    known = order(bizops_run, db, "广州甲公司（番禺） ", "100")  # no new_customer: the ledger knows it
    assert known.rows()[0]["new_customer"] is False, known


def test_a_ledger_recorded_before_schema_4_is_migrated(bizops_run, db, monkeypatch, tmp_path):
    # The ledger as bizops 3 wrote it: keys compared by their whitespace only.
    monkeypatch.setattr(store, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(codec, "normal", codec.normal_id)
    customers = tmp_path / "customers.csv"
    customers.write_text(f"客户名称,业务员,报备日期\n{FULL},张三,2026-01-05\n", encoding="utf-8")
    imported = bizops_run("--company", "cable", "--db", db.url, "ledger", "import-customers", str(customers))
    assert imported.exit_code == 0, imported
    assert order(bizops_run, db, FULL, "2500", "--no-new-customer", "--record", order_id="SO-1").exit_code == 0
    assert order(bizops_run, db, HALF, "1000", "--no-new-customer", "--record", order_id="SO-2").exit_code == 0
    split = db.sql("SELECT key, total FROM bizops_balances WHERE kind = 'vat_pending'")
    assert sorted((k, Decimal(str(t))) for k, t in split) == [(HALF, 1000), (FULL, 2500)]
    monkeypatch.undo()

    check = bizops_run("--db", db.url, "ledger", "check", "--format", "jsonl")
    assert check.exit_code == 0 and all(c["status"] == "ok" for c in check.rows()), check
    assert db.sql("SELECT value FROM bizops_meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    assert [Decimal(str(t)) for (t,) in db.sql("SELECT total FROM bizops_balances WHERE kind = 'vat_pending'")] == [
        3500
    ]
    # 3,500 pending + 1,500: the VAT invoice is due; the customer is known (imported in its old spelling).
    now = order(bizops_run, db, HALF, "1500")
    assert (now.rows()[0]["new_customer"], now.rows()[0]["vat_invoice_amount"]) == (False, "5000.00"), now
    # Its owner is the one who filed it, in its old spelling.
    aged = bizops_run(
        "--company", "cable", "--db", db.url, "receivables", "-", "--input-format", "jsonl",
        "--as-of", "2026-12-01", "--format", "json",
        input=json.dumps({"invoice": "A1", "customer": HALF, "amount": "100", "due_date": "2026-11-01"}) + "\n",
    )  # fmt: skip
    assert aged.json()[0]["salesperson"] == "张三", aged
    # Both decisions are the customer's, whichever way it was typed then or now.
    listed = bizops_run("--db", db.url, "ledger", "list", "--customer", FULL, "--format", "jsonl")
    assert sorted(d["id"] for d in listed.rows()) == [1, 2], listed
    # Reversing the old spelling's decision takes its 2,500 out of the one balance; decision 2 read that
    # customer's balance (as spelled then), so it is listed as a later decision that may have used it.
    reversed_ = bizops_run("--db", db.url, "ledger", "reverse", "1", "--format", "jsonl")
    assert reversed_.exit_code == 0 and "were not changed: 2 (" in reversed_.stderr, reversed_
    assert [Decimal(str(t)) for (t,) in db.sql("SELECT total FROM bizops_balances WHERE kind = 'vat_pending'")] == [
        1000
    ]
    assert bizops_run("--db", db.url, "ledger", "check").exit_code == 0
