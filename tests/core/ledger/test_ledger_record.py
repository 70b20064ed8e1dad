"""Reading history by default, writing it only with --record (tally test plugin, SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from ledger_support import TALLY, subprocess_env

from bizops.core.ledger.schema import SCHEMA_VERSION

ORDERS = "".join(
    json.dumps({"customer": c, "amount": a}) + "\n"
    for c, a in (("ACME", "100"), ("ACME", "250.50"), ("Beta", "7"), ("ACME", "0.01"))
)


def test_nothing_is_written_without_record(tally, db):
    r = tally("approve-order", "-", input=ORDERS)
    assert r.exit_code == 0, r
    assert [row["after"] for row in r.rows()] == ["0.00", "0.00", "0.00", "0.00"]
    assert not db.exists()  # reading a ledger that does not exist creates nothing


def test_recorded_rows_see_each_other_and_later_runs_see_them(tally, db):
    r = tally("approve-order", "-", "--record", input=ORDERS)
    assert r.exit_code == 0, r
    rows = r.rows()
    assert [(x["before"], x["after"]) for x in rows] == [
        ("0.00", "100.00"),
        ("100.00", "350.50"),
        ("0.00", "7.00"),
        ("350.50", "350.51"),
    ]
    assert [x["known"] for x in rows] == [False, True, False, True]
    again = tally("approve-order", "--customer", "ACME", "--amount", "1").rows()[0]
    assert (again["before"], again["after"], again["known"]) == ("350.51", "350.51", True)
    # Amounts are kept exact: text in SQLite, NUMERIC in PostgreSQL, never a float.
    amounts = [row[0] for row in db.sql("SELECT amount FROM bizops_entries WHERE key = 'ACME' ORDER BY id")]
    assert [str(a) for a in amounts] == ["100", "250.50", "0.01"]
    if db.kind == "sqlite":
        assert db.sql("SELECT DISTINCT typeof(amount) FROM bizops_entries") == [("text",)]


def test_a_row_error_records_nothing_and_the_others_are_kept(tally, db):
    text = (
        json.dumps({"customer": "ACME", "amount": "5"})
        + "\n"
        + json.dumps({"customer": "ACME", "amount": "2000000"})
        + "\n"  # the plugin's RowError
        + json.dumps({"customer": "ACME", "amount": "abc"})
        + "\n"  # not a number
        + json.dumps({"customer": "ACME", "amount": "6"})
        + "\n"
    )
    r = tally("approve-order", "-", "--record", input=text)
    assert r.exit_code == 65, r
    assert "row 2: amount too large" in r.stderr and "row 3:" in r.stderr
    assert [x["after"] for x in r.rows()] == ["5.00", "11.00"]
    assert db.sql("SELECT count(*) FROM bizops_decisions")[0][0] == 2
    assert db.sql("SELECT count(*) FROM bizops_entries")[0][0] == 2


def test_a_failure_of_the_ledgers_own_code_is_bizops_failing_not_the_plugin(tally, db, monkeypatch):
    """An exception raised by the recording code itself (here: a decision that cannot be laid out as its row)
    is bizops failing, exit 70, with the plugin not named; stderr still says what the ledger holds (found: it
    said "plugin 'tally' failed in bizops_approve")."""
    from bizops.core.ledger import books

    r = tally("approve-order", "-", "--record", input=ORDERS)
    assert r.exit_code == 0, r
    monkeypatch.setattr(books, "_CUSTOMER", 99)  # where `Books.store_head` finds a decision's customer
    r = tally("approve-order", "-", "--record", input=ORDERS.replace("ACME", "Gamma"))
    assert r.exit_code == 70, r
    assert r.stdout == ""
    assert r.stderr.splitlines()[:2] == [
        "bizops: nothing was recorded",
        "bizops: bizops failed: IndexError: tuple index out of range",
    ]
    assert "plugin" not in r.stderr and "Traceback" not in r.stderr
    assert db.sql("SELECT count(*) FROM bizops_decisions") == [(4,)]


def test_a_refused_decision_is_recorded_and_exits_1(tally, db):
    r = tally("approve-order", "--customer", "ACME", "--amount", "13", "--record")
    assert r.exit_code == 1, r
    assert db.sql("SELECT status FROM bizops_decisions") == [("refused",)]


def test_every_decision_keeps_its_inputs_outputs_and_provenance(tally, db):
    r = tally("approve-order", "--customer", " ACME ", "--amount", "100", "--record", "--now", "2026-11-23T09:30")
    assert r.exit_code == 0, r
    (row,) = db.sql(
        "SELECT company, command, customer, status, decided_at, user_name, plugin, plugin_version, "
        "bizops_version, policy_fingerprint, inputs, outputs, recorded_at FROM bizops_decisions"
    )
    company, command, customer, status, decided_at, user, plugin, version, bizops_version, fp, inputs, outputs, at = row
    assert (company, command, customer, status, decided_at) == (
        "tally",
        "approve-order",
        "ACME",
        "ok",
        "2026-11-23T09:30",
    )
    assert (plugin, version, bizops_version) == ("tally_plugin", "9.9.9", "0.1.0")
    assert len(fp) == 16 and user and at[:4].isdigit()
    assert json.loads(inputs)["amount"] == "100"
    out = json.loads(outputs)
    assert (out["after"], out["status"]) == ("100.00", "ok")
    # Without --explain no trace is built or kept: `ledger show` makes it again (tests/core/ledger/test_explain.py).
    assert "trace" not in out and "trace" not in r.rows()[0]
    (kept,) = db.sql("SELECT settings FROM bizops_policies WHERE fingerprint = ?", (fp,))
    assert json.loads(kept[0])["notice_days"] == 7  # the core's receivables settings (every company has them)


def test_a_row_recorded_under_explain_keeps_the_trace_it_showed(tally, db):
    r = tally("approve-order", "--customer", "ACME", "--amount", "100", "--record", "--explain")
    assert r.exit_code == 0, r
    (outputs,) = db.sql("SELECT outputs FROM bizops_decisions")[0]
    shown = [{"rule": "tally.order.accumulate", "clause": "test 1", "effect": "0 + 100"}]
    assert json.loads(outputs)["trace"] == r.rows()[0]["trace"] == shown


def test_aggregate_records_one_decision_per_output_row(tally, db):
    january = "".join(
        json.dumps({"person": p, "period": "2026-01", "points": n}) + "\n"
        for p, n in (("a", "5"), ("b", "7"), ("a", "1"))
    )
    r = tally("score", "-", "--record", input=january)
    assert r.exit_code == 0, r
    assert [(x["person"], x["points"], x["previous"]) for x in r.rows()] == [("a", "6", None), ("b", "7", None)]
    rows = db.sql(
        "SELECT d.row_label, d.inputs, e.key, e.value FROM bizops_decisions d "
        "JOIN bizops_entries e ON e.decision_id = d.id ORDER BY d.id"
    )
    assert [(label, len(json.loads(inputs)["events"]), key, value) for label, inputs, key, value in rows] == [
        ("1…3", 2, "a|prev", "6"),
        ("2", 1, "b|prev", "7"),
    ]
    february = json.dumps({"person": "a", "period": "2026-02", "points": "2"}) + "\n"
    assert tally("score", "-", input=february).rows()[0]["previous"] == "6"


def test_writes_of_a_plugin_are_checked_even_without_record(bizops_run, tmp_path, db):
    plugin = tmp_path / "floaty.py"
    plugin.write_text(
        Path(TALLY)
        .read_text()
        .replace('history.add("pending", customer, amount)', 'history.add("pending", customer, float(amount))')
    )
    for extra in ((), ("--record",)):
        r = bizops_run(
            "--plugin",
            str(plugin),
            "--company",
            "tally",
            "--db",
            db.url,
            "approve-order",
            "--customer",
            "A",
            "--amount",
            "1",
            *extra,
        )
        assert r.exit_code == 70, r
        assert "floaty" in r.stderr and "Decimal" in r.stderr
    if db.exists():
        assert db.sql("SELECT count(*) FROM bizops_decisions")[0][0] == 0


def test_the_default_ledger_is_created_by_the_first_record_only(bizops_run, tmp_path):
    default = tmp_path / "data" / "bizops" / "ledger.db"  # bizops_run points XDG_DATA_HOME at tmp/data
    r = bizops_run("--plugin", TALLY, "--company", "tally", "approve-order", "--customer", "A", "--amount", "1")
    assert r.exit_code == 0 and not default.exists()
    r = bizops_run(
        "--plugin", TALLY, "--company", "tally", "approve-order", "--customer", "A", "--amount", "1", "--record"
    )
    assert r.exit_code == 0 and default.exists()
    r = bizops_run(
        "--plugin",
        TALLY,
        "--company",
        "tally",
        "approve-order",
        "--customer",
        "A",
        "--amount",
        "1",
        env={"BIZOPS_DB": str(default)},
    )
    assert r.rows()[0]["before"] == "1.00"


def test_db_in_the_config_file_is_relative_to_it(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text('db = "books/ledger.db"\n')
    (tmp_path / "books").mkdir()
    r = bizops_run(
        "--plugin", TALLY, "--company", "tally", "approve-order", "--customer", "A", "--amount", "1", "--record"
    )
    assert r.exit_code == 0, r
    assert (tmp_path / "books" / "ledger.db").exists()


# -- what goes wrong -----------------------------------------------------------------------
@pytest.mark.parametrize("record", [False, True])
def test_a_missing_ledger_directory_is_exit_74(bizops_run, record):
    r = bizops_run(
        "--plugin",
        TALLY,
        "--company",
        "tally",
        "--db",
        "/no/such/dir/x.db",
        "approve-order",
        "--customer",
        "A",
        "--amount",
        "1",
        *(["--record"] if record else []),
    )
    assert r.exit_code == 74, r
    assert r.stderr.strip() == "bizops: ledger /no/such/dir/x.db: directory /no/such/dir does not exist"
    assert "Traceback" not in r.stderr


def test_a_read_only_ledger_is_exit_74_when_recording_and_readable_otherwise(tmp_path):
    place = tmp_path / "shelf"
    place.mkdir()
    db = place / "ledger.db"
    base = [
        sys.executable,
        "-m",
        "bizops",
        "--plugin",
        TALLY,
        "--company",
        "tally",
        "--db",
        str(db),
        "approve-order",
        "--customer",
        "A",
        "--amount",
        "1",
    ]
    env = subprocess_env(tmp_path)
    done = subprocess.run(base + ["--record"], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    db.chmod(0o444)
    place.chmod(0o555)
    try:
        if os.geteuid() == 0:
            # Root writes anywhere: drop the capabilities that let it, so read-only means read-only.
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv (util-linux): cannot make a location read-only")
            base = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"] + base
        readonly = subprocess.run(base + ["--record"], env=env, cwd=tmp_path, capture_output=True, text=True)
        assert readonly.returncode == 74, readonly.stderr
        assert "read-only: cannot record" in readonly.stderr and "Traceback" not in readonly.stderr
        reading = subprocess.run(base, env=env, cwd=tmp_path, capture_output=True, text=True)
        assert reading.returncode == 0, reading.stderr
        assert json.loads(reading.stdout)["before"] == "1.00"
    finally:
        place.chmod(0o755)
        db.chmod(0o644)


def test_a_file_that_is_not_a_ledger_is_exit_74(bizops_run, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    for extra in ((), ("--record",)):
        r = bizops_run(
            "--plugin",
            TALLY,
            "--company",
            "tally",
            "--db",
            str(junk),
            "approve-order",
            "--customer",
            "A",
            "--amount",
            "1",
            *extra,
        )
        assert r.exit_code == 74, r
        assert "is not a bizops ledger" in r.stderr


def test_a_ledger_from_a_newer_bizops_is_refused_with_exit_78(tally, db):
    assert tally("approve-order", "--customer", "A", "--amount", "1", "--record").exit_code == 0
    if db.kind == "sqlite":
        db.sql("UPDATE bizops_meta SET value = '99' WHERE key = 'schema_version'")
    else:
        db.sql("UPDATE bizops_meta SET value = '99' WHERE key = 'schema_version'")
    for extra in ((), ("--record",)):
        r = tally("approve-order", "--customer", "A", "--amount", "1", *extra)
        assert r.exit_code == 78, r
        assert f"schema version 99, newer than this bizops understands ({SCHEMA_VERSION})" in r.stderr


def test_a_server_that_cannot_be_reached_is_exit_69_and_the_password_is_never_shown(bizops_run):
    pytest.importorskip("psycopg", reason="PostgreSQL variant: pip install 'bizops[postgres]'")
    url = "postgresql://sales:Sup3r-Secret@127.0.0.1:1/books"
    for extra in ((), ("--record",), ("--debug",)):
        r = bizops_run(
            "--plugin",
            TALLY,
            "--company",
            "tally",
            "--db",
            url,
            "approve-order",
            "--customer",
            "A",
            "--amount",
            "1",
            *extra,
        )
        assert r.exit_code == 69, r
        assert "Sup3r-Secret" not in r.stderr + r.stdout
        assert "cannot reach the ledger server postgresql://sales:***@127.0.0.1:1/books" in r.stderr
    r = bizops_run("ledger", "info", "--db", url, "--format", "json")
    assert "Sup3r-Secret" not in r.stderr + r.stdout


def test_a_held_write_lock_is_exit_75(tally, db):
    assert tally("approve-order", "--customer", "A", "--amount", "1", "--record").exit_code == 0
    env = {"BIZOPS_LEDGER_TIMEOUT": "0.3"}
    if db.kind == "sqlite":
        holder = sqlite3.connect(db.url, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        from bizops.core.ledger.postgres_backend import LOCK_NAMESPACE

        holder = psycopg.connect(db.url, autocommit=True)
        holder.execute("SELECT pg_advisory_lock(%s, hashtext('tally'))", (LOCK_NAMESPACE,))
    try:
        r = tally("approve-order", "--customer", "A", "--amount", "2", "--record", env=env)
        assert r.exit_code == 75, r
        assert "is busy: another bizops is" in r.stderr and "waited 0.3 s" in r.stderr
        reading = tally("approve-order", "--customer", "A", "--amount", "2", env=env)  # readers never wait
        assert reading.exit_code == 0 and reading.rows()[0]["before"] == "1.00"
    finally:
        holder.close()
    assert tally("approve-order", "--customer", "A", "--amount", "2", "--record").rows()[0]["after"] == "3.00"
