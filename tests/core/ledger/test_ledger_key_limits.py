"""Names the ledger keys by: at most `codec.KEY_LIMIT` characters (a history key `HISTORY_KEY_LIMIT`), no NUL.

Found attacking `--record`: PostgreSQL indexes request ids, customers, owners and
history keys, and an order id or customer of a few thousand characters (a cell
pasted over and over) stopped the whole run at its batch's commit, exit 74
("index row requires 9032 bytes"), after the rows before it, while SQLite took
it. Now such a row is that row's error on both backends (exit 65) and the
others are recorded; a read-only run decides it as before.
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest

from bizops.core.ledger import codec

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def garble(count: int, seed: int = 1) -> str:
    """Letters no compression shortens: what PostgreSQL's index refused."""
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_letters) for _ in range(count))


def order(order_id: str, customer: str) -> dict:
    return {
        "order_id": order_id,
        "customer": customer,
        "amount": "100.00",
        "city": "广州",
        "settlement": "cash",
        "invoice": "vat",
    }


@pytest.fixture
def run(bizops_run, db, tmp_path):
    """`run(rows, *args)`: the rows as a JSON Lines file (so `--record` on SQLite uses its writer process)."""

    def invoke(rows: list[dict], *args: str):
        path = tmp_path / "rows.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return bizops_run("--db", db.url, *args, str(path))

    return invoke


def test_an_order_id_or_a_customer_too_long_to_key_by_is_that_rows_error(run, bizops_run, db):
    rows = [order("A-1", "甲"), order(garble(3000), "乙"), order("A-3", garble(3000)), order("A-4", "丁")]
    r = run(rows, "--company", "cable", "approve-order", "--record")
    assert r.exit_code == 65, r
    assert "row 2: order_id" in r.stderr and "row 3: customer" in r.stderr
    assert "has 3000 characters: the ledger keys names of at most 200" in r.stderr
    assert [x["customer"] for x in r.rows()] == ["甲", "丁"]
    assert db.sql("SELECT request_id FROM bizops_decisions ORDER BY id") == [("A-1",), ("A-4",)]
    assert bizops_run("ledger", "check", "--db", db.url).exit_code == 0
    assert run(rows, "--company", "cable", "approve-order").exit_code == 0  # read-only: nothing is keyed


def test_a_name_at_the_limit_is_recorded_and_spaces_do_not_count(run, db):
    at_limit, spaced = "甲" * codec.KEY_LIMIT, "乙 " * codec.KEY_LIMIT  # 400 characters, 200 as the ledger keys it
    r = run([order("A-1", at_limit), order("A-2", spaced)], "--company", "cable", "approve-order", "--record")
    assert r.exit_code == 0, r
    assert db.sql("SELECT customer FROM bizops_decisions ORDER BY id") == [(at_limit,), ("乙" * codec.KEY_LIMIT,)]
    r = run([order("A-3", "甲" * (codec.KEY_LIMIT + 1))], "--company", "cable", "approve-order", "--record")
    assert r.exit_code == 65 and "row 1: customer" in r.stderr, r


def test_a_history_key_made_too_long_is_that_rows_error(run, db):
    """pv keys trips by `employee|customer`: an employee's name of 600 characters cannot be keyed."""
    claim = json.loads((EXAMPLES / "pv" / "claim.json").read_text(encoding="utf-8"))
    claims = [
        dict(claim, claim_id="C-1"),
        dict(claim, claim_id="C-2", employee=garble(600)),
        dict(claim, claim_id="C-3"),
    ]
    r = run(claims, "--company", "pv", "expense", "claim", "--record")
    assert r.exit_code == 65, r
    assert "row 2: history key" in r.stderr and "at most 500" in r.stderr
    assert db.sql("SELECT request_id FROM bizops_decisions ORDER BY id") == [("C-1",), ("C-3",)]
    assert db.sql("SELECT entries FROM bizops_balances WHERE kind = 'trips'") == [(2,)]
    assert run(claims, "--company", "pv", "expense", "claim").exit_code == 0


def test_score_events_an_event_id_is_the_events_error_a_person_the_runs(bizops_run, db, tmp_path):
    head = "event_id,person,date,code,count,assigned,unfinished\n"
    events = tmp_path / "events.csv"
    events.write_text(
        head + f"E1,陈明,2026-10-08,late,3,,\n{garble(3000)},陈明,2026-10-09,late,1,,\nE3,王五,2026-10-12,late,2,,\n",
        encoding="utf-8",
    )
    r = bizops_run("--db", db.url, "--company", "cable", "score", str(events), "--record")
    assert r.exit_code == 65, r
    assert "row 3: event_id" in r.stderr  # a CSV row is numbered as a spreadsheet shows it
    assert sorted(x["person"] for x in r.rows()) == ["王五", "陈明"]
    scored = db.sql("SELECT count(*) FROM bizops_decisions")[0][0]
    assert scored == 2

    events.write_text(head + f"E4,{garble(3000)},2026-10-12,late,2,,\nE5,王五,2026-10-13,late,1,,\n", encoding="utf-8")
    r = bizops_run("--db", db.url, "--company", "cable", "score", str(events), "--record")
    assert r.exit_code == 65, r  # the scorecard is the plugin's sum over events: the run is refused, not blamed on it
    assert "history key" in r.stderr and "plugin" not in r.stderr
    assert db.sql("SELECT count(*) FROM bizops_decisions")[0][0] == scored


def test_an_imported_customer_or_owner_too_long_is_that_rows_error(bizops_run, db, tmp_path):
    customers = tmp_path / "customers.csv"
    customers.write_text(
        f"name,owner,filed_on\n甲公司,张三,2026-01-01\n{garble(3000)},李四,2026-01-02\n丙公司,{garble(3000)},2026-01-03\n",
        encoding="utf-8",
    )
    r = bizops_run("--db", db.url, "--company", "cable", "ledger", "import-customers", str(customers))
    assert r.exit_code == 65, r
    assert "row 3: customer" in r.stderr and "row 4: owner" in r.stderr
    assert db.sql("SELECT name FROM bizops_customers ORDER BY id") == [("甲公司",)]  # a bad row is not imported
    assert db.sql("SELECT customer, owner FROM bizops_filings") == [("甲公司", "张三")]


def test_a_nul_in_a_row_is_that_rows_error_not_the_runs(run, db):
    """PostgreSQL keeps no NUL in text: a JSON `\\u0000` in a customer or order id stopped the run there
    (exit 74, reading too); the readers now refuse such a row, as a CSV's NUL byte always was."""
    rows = [order("A-1", "甲"), order("A-2", "乙\x00丙"), order("A\x003", "丁"), order("A-4", "戊")]
    for record in (("--record",), ()):
        r = run(rows, "--company", "cable", "approve-order", *record)
        assert r.exit_code == 65, r
        assert r.stderr.splitlines()[:2] == ["row 2: contains a NUL byte", "row 3: contains a NUL byte"]
        assert [x["customer"] for x in r.rows()] == ["甲", "戊"]
    assert db.sql("SELECT request_id FROM bizops_decisions ORDER BY id") == [("A-1",), ("A-4",)]


def test_an_invoice_whose_customer_is_too_long_is_its_rows_error_in_a_recorded_report(bizops_run, db, tmp_path):
    """receivables is recorded as one run: the invoice is left out as its row's error, the others recorded
    (checked only as the result was stored, it left the rows after it printed and unrecorded, exit 0)."""
    export = tmp_path / "ageing.csv"
    export.write_text(
        "invoice,customer,amount,due_date\nI-1,甲,100.00,2026-11-01\n"
        f"I-2,{garble(3000)},200.00,2026-11-02\nI-3,丙,300.00,2026-11-03\n",
        encoding="utf-8",
    )
    r = bizops_run(
        "--db", db.url, "--company", "cable", "receivables", str(export), "--as-of", "2026-12-01", "--record"
    )
    assert r.exit_code == 65, r
    assert "row 3: customer" in r.stderr
    assert [x["invoice"] for x in r.rows()] == ["I-1", "I-3"]
    assert db.sql("SELECT row_label, customer FROM bizops_decisions ORDER BY id") == [("2", "甲"), ("4", "丙")]
