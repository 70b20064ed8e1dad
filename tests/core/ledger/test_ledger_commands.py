"""`bizops ledger …`: list, show, export, import-customers, reverse, check, backup, info (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from bizops.core.ledger.schema import SCHEMA_VERSION

ORDERS = "".join(
    json.dumps({"customer": c, "amount": a}) + "\n" for c, a in (("ACME", "100"), ("Beta", "13"), ("ACME", "50"))
)


@pytest.fixture
def recorded(tally):
    """Three approve-order decisions (one refused) on 2026-11-02 and one more on 2026-11-20."""
    r = tally("approve-order", "-", "--record", "--now", "2026-11-02T10:00", input=ORDERS)
    assert r.exit_code == 1, r
    r = tally("approve-order", "--customer", "Gamma", "--amount", "5", "--record", "--now", "2026-11-20T08:00")
    assert r.exit_code == 0, r
    return tally


def test_list_shows_recent_decisions_newest_first_with_filters(recorded, ledger_cmd):
    rows = ledger_cmd("list", "--format", "json").json()
    assert [(r["id"], r["customer"], r["status"], r["row"]) for r in rows] == [
        (4, "Gamma", "ok", "1"),
        (3, "ACME", "ok", "3"),
        (2, "Beta", "refused", "2"),
        (1, "ACME", "ok", "1"),
    ]
    assert rows[2]["reason"] == "unlucky" and rows[0]["company"] == "tally" and rows[0]["user"]
    assert [r["id"] for r in ledger_cmd("list", "--since", "2026-11-10", "--format", "json").json()] == [4]
    assert [
        r["id"] for r in ledger_cmd("list", "--since", "2026-11-02T10:00", "-n", "2", "--format", "json").json()
    ] == [4, 3]
    assert [r["id"] for r in ledger_cmd("list", "--customer", "ACME", "--format", "json").json()] == [3, 1]
    assert ledger_cmd("list", "--company", "cable", "--format", "json").json() == []
    assert ledger_cmd("list", "--command", "score", "--format", "json").json() == []
    assert len(ledger_cmd("list", "--company", "tally", "--command", "approve-order", "--format", "json").json()) == 4
    bad = ledger_cmd("list", "--since", "last tuesday")
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_list_table_in_chinese(recorded, ledger_cmd):
    r = ledger_cmd("list", "--format", "table", "--lang", "zh")
    assert r.exit_code == 0, r
    assert "决定时间" in r.stdout and "不吉利" in r.stdout and "拒绝" in r.stdout


def test_show_gives_a_past_decision_again_with_its_trace(recorded, ledger_cmd):
    r = ledger_cmd("show", "3", "--format", "json")
    assert r.exit_code == 0, r
    shown = r.json()
    assert (shown["id"], shown["command"], shown["customer"], shown["decided_at"]) == (
        3,
        "approve-order",
        "ACME",
        "2026-11-02T10:00",
    )
    assert shown["inputs"] == {"customer": "ACME", "amount": "50", "new_customer": None}
    assert (shown["outputs"]["before"], shown["outputs"]["after"]) == ("100.00", "150.00")
    assert shown["outputs"]["trace"][0]["rule"] == "tally.order.accumulate"
    assert shown["entries"] == [{"kind": "pending", "key": "ACME", "amount": "50", "value": None, "sign": 1}]
    assert shown["plugin_version"] == "9.9.9" and len(shown["policy_fingerprint"]) == 16
    table = ledger_cmd("show", "2", "--format", "table", "--lang", "zh").stdout
    assert "规则 1" in table and "tally.order.accumulate (test 1): 0 加 13" in table
    assert "不吉利" in table and "结果: 原因" in table
    missing = ledger_cmd("show", "99")
    assert missing.exit_code == 2 and "no decision 99" in missing.stderr


def test_export_every_decision_and_every_entry(recorded, ledger_cmd):
    decisions = ledger_cmd("export", "--format", "jsonl").rows()
    assert [d["id"] for d in decisions] == [1, 2, 3, 4]
    assert decisions[0]["entries"][0]["amount"] == "100"
    text = ledger_cmd("export", "--table", "entries", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["decision_id"], r["key"], r["amount"], r["sign"]) for r in rows] == [
        ("1", "ACME", "100", "1"),
        ("2", "Beta", "13", "1"),
        ("3", "ACME", "50", "1"),
        ("4", "Gamma", "5", "1"),
    ]
    decisions_csv = ledger_cmd("export", "--format", "csv").csv_rows()
    assert json.loads(decisions_csv[1]["outputs"])["reason"] == "unlucky"
    assert ledger_cmd("export", "--since", "2026-11-20", "--format", "jsonl").rows()[0]["id"] == 4
    assert ledger_cmd("export", "--table", "everything").exit_code == 2


def test_import_customers_twice_counts_once(tally, ledger_cmd, tmp_path):
    sheet = tmp_path / "customers.csv"
    sheet.write_bytes(
        "客户名称,城市,联系人\r\n广州南方电气,广州,王\r\n佛山宏达, 佛山,\r\n,深圳,李\r\n广州南方电气,广州,王\r\n".encode(
            "gb18030"
        )
    )
    first = ledger_cmd(
        "import-customers", str(sheet), "--encoding", "gb18030", "--company", "tally", "--format", "json"
    )
    assert first.exit_code == 65, first  # the row without a name
    assert "row 4: the customer's name is empty" in first.stderr
    assert first.json() == [
        {"company": "tally", "file": str(sheet), "rows": 4, "added": 2, "known": 1, "invalid": 1, "filed": 0}
    ]
    again = ledger_cmd(
        "import-customers", str(sheet), "--encoding", "gb18030", "--company", "tally", "--format", "json"
    ).json()[0]
    assert (again["added"], again["known"]) == (0, 3)
    customers = ledger_cmd("export", "--table", "customers", "--format", "json").json()
    assert [(c["name"], c["fields"]) for c in customers] == [
        ("广州南方电气", {"城市": "广州", "联系人": "王"}),
        ("佛山宏达", {"城市": "佛山"}),
    ]
    # An imported customer is known: not new on its first order.
    assert tally("approve-order", "--customer", "佛山宏达", "--amount", "1").rows()[0]["known"] is True
    assert tally("approve-order", "--customer", "无名", "--amount", "1").rows()[0]["known"] is False
    other = ledger_cmd("export", "--table", "customers", "--company", "cable", "--format", "json").json()
    assert other == []


def test_import_customers_needs_a_name_column_and_a_company(ledger_cmd, bizops_run, db, tmp_path):
    sheet = tmp_path / "c.csv"
    sheet.write_text("city\nGuangzhou\n")
    r = ledger_cmd("import-customers", str(sheet), "--company", "tally")
    assert r.exit_code == 2 and "no customer name column" in r.stderr
    r = bizops_run("ledger", "import-customers", str(sheet), "--db", db.url)
    assert r.exit_code == 2 and "no company selected" in r.stderr
    r = ledger_cmd("import-customers", str(tmp_path / "none.csv"), "--company", "tally")
    assert r.exit_code == 66


def test_reverse_negates_a_decision_and_history_follows(recorded, ledger_cmd, db):
    assert recorded("approve-order", "--customer", "ACME", "--amount", "1").rows()[0]["before"] == "150.00"
    r = ledger_cmd("reverse", "3", "--note", "entered twice", "--format", "json")
    assert r.exit_code == 0, r
    assert r.json() == [
        {"id": 5, "reverses": 3, "company": "tally", "command": "approve-order", "entries": 1, "note": "entered twice"}
    ]
    assert recorded("approve-order", "--customer", "ACME", "--amount", "1").rows()[0]["before"] == "100.00"
    # The original is untouched; the reversal is a record of its own.
    shown = ledger_cmd("show", "3", "--format", "json").json()
    assert (shown["reversed_by"], shown["entries"][0]["amount"]) == (5, "50")
    reversal = ledger_cmd("show", "5", "--format", "json").json()
    assert reversal["entries"] == [{"kind": "pending", "key": "ACME", "amount": "-50", "value": None, "sign": -1}]
    listed = ledger_cmd("list", "-n", "1", "--format", "json").json()[0]
    assert listed["reason"] == "reverses decision 3: entered twice"
    twice = ledger_cmd("reverse", "3")
    assert twice.exit_code == 2 and "already reversed by decision 5" in twice.stderr
    of_reversal = ledger_cmd("reverse", "5")
    assert of_reversal.exit_code == 2 and "is itself a reversal" in of_reversal.stderr
    assert ledger_cmd("reverse", "42").exit_code == 2
    assert ledger_cmd("check").exit_code == 0


def test_reversing_the_only_decision_about_a_customer_makes_it_new_again(tally, ledger_cmd):
    tally("approve-order", "--customer", "Solo", "--amount", "10", "--record")
    assert tally("approve-order", "--customer", "Solo", "--amount", "1").rows()[0]["known"] is True
    assert ledger_cmd("reverse", "1").exit_code == 0
    out = tally("approve-order", "--customer", "Solo", "--amount", "1").rows()[0]
    assert (out["known"], out["before"]) == (False, "0.00")


def test_reversing_a_set_value_withdraws_it(tally, ledger_cmd):
    events = "".join(json.dumps({"person": "a", "period": p, "points": n}) + "\n" for p, n in (("2026-01", "5"),))
    tally("score", "-", "--record", input=events)
    tally("score", "-", "--record", input=events.replace("5", "8"))
    nxt = json.dumps({"person": "a", "period": "2026-03", "points": "1"}) + "\n"
    assert tally("score", "-", input=nxt).rows()[0]["previous"] == "8"
    ledger_cmd("reverse", "2")
    assert tally("score", "-", input=nxt).rows()[0]["previous"] == "5"


def test_check_passes_on_a_sound_ledger_and_fails_on_a_changed_one(recorded, ledger_cmd, db):
    r = ledger_cmd("check", "--format", "json")
    assert r.exit_code == 0, r
    assert {c["check"]: c["status"] for c in r.json()} == {
        "storage": "ok",
        "schema": "ok",
        "decisions_complete": "ok",
        "checksums": "ok",
        "json": "ok",
        "amounts": "ok",
        "reversals": "ok",
        "balances": "ok",
        "identities": "ok",
        "reads": "ok",
        "policies": "ok",
    }
    # Records are never changed by bizops; the ledger refuses it to anyone else too.
    with pytest.raises(Exception, match="never changed"):
        db.sql("UPDATE bizops_entries SET amount = '1000' WHERE id = 1")
    with pytest.raises(Exception, match="never changed"):
        db.sql("DELETE FROM bizops_decisions WHERE id = 4")
    # Someone who removes the guard first is still caught by the checksums.
    db.drop_guard("entries")
    db.sql("UPDATE bizops_entries SET amount = '1000' WHERE id = 1")
    r = ledger_cmd("check", "--format", "json")
    assert r.exit_code == 74, r
    failed = {c["check"]: c["detail"] for c in r.json() if c["status"] == "failed"}
    assert failed == {
        "checksums": "decision 1 was changed after it was recorded",
        "balances": "balance tally pending ACME holds 150 in 2 entries, its entries add up to 1050 in 2",
    }
    table = ledger_cmd("check", "--format", "table", "--lang", "zh").stdout
    assert "未通过" in table


def test_check_without_a_ledger_says_so(ledger_cmd):
    r = ledger_cmd("check")
    assert r.exit_code == 66 and "nothing to check" in r.stderr


def test_backup_copies_the_ledger(recorded, ledger_cmd, bizops_run, db, tmp_path):
    target = tmp_path / ("copy.db" if db.kind == "sqlite" else "copy.jsonl")
    r = ledger_cmd("backup", str(target), "--format", "json")
    assert r.exit_code == 0, r
    assert r.json() == [
        {
            "path": str(target),
            "kind": "sqlite" if db.kind == "sqlite" else "jsonl",
            "decisions": 4,
            "entries": 4,
            "customers": 0,
            "status": "ok",
        }
    ]
    if db.kind == "sqlite":
        # One self-contained file, a ledger in its own right.
        assert sqlite3.connect(target).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        listed = bizops_run("ledger", "list", "--db", str(target), "--format", "json").json()
        assert [d["id"] for d in listed] == [4, 3, 2, 1]
        assert bizops_run("ledger", "check", "--db", str(target)).exit_code == 0
    else:
        assert "pg_dump" in r.stderr
        lines = [json.loads(line) for line in target.read_text().splitlines()]
        assert [line["table"] for line in lines] == ["meta"] + ["decisions"] * 4 + ["entries"] * 4 + ["policies"]
        assert lines[-1]["row"]["fingerprint"] == lines[1]["row"]["policy_fingerprint"]
    again = ledger_cmd("backup", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert ledger_cmd("backup", str(target), "--force").exit_code == 0
    nowhere = ledger_cmd("backup", str(tmp_path / "no" / "such" / "copy.db"))
    assert nowhere.exit_code == 74 and "directory" in nowhere.stderr


def test_info_says_where_the_ledger_is(ledger_cmd, tally, db):
    before = ledger_cmd("info", "--format", "json").json()[0]
    assert (before["exists"], before["decisions"], before["source"]) == (False, 0, "--db")
    tally("approve-order", "--customer", "A", "--amount", "1", "--record")
    after = ledger_cmd("info", "--format", "json").json()[0]
    assert (after["exists"], after["schema_version"], after["decisions"], after["entries"], after["backend"]) == (
        True,
        SCHEMA_VERSION,
        1,
        1,
        db.kind,
    )


@pytest.mark.parametrize("command", ["list", "export"])
def test_a_bad_since_is_a_usage_error_even_before_there_is_a_ledger(ledger_cmd, command):
    bad = ledger_cmd(command, "--since", "garbage")
    assert bad.exit_code == 2 and "--since" in bad.stderr and bad.stdout == ""
