"""Running balances: kept with their entries, verified by `ledger check`, built by the migration, undone by lots.

On SQLite and PostgreSQL, read back behind bizops' back (sqlite3, psql).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import Decimal

import pytest

from bizops.core.ledger import codec
from bizops.core.ledger.schema import MIGRATIONS, SCHEMA_VERSION
from bizops.core.ledger.store import RUN_PREFIX, Conflict


def jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def vat(customer: str, amount: str, order_id: str | None = None) -> dict:
    row = {"customer": customer, "amount": amount, "new_customer": False, "invoice": "vat"}
    return dict(row, order_id=order_id) if order_id else row


@pytest.fixture
def cable(bizops_run, db):
    def invoke(*args, input=None):
        return bizops_run("--company", "cable", "--db", db.url, *args, input=input)

    return invoke


def pending(cable, customer: str) -> str:
    """The customer's pending VAT total, read with a 0.01 probe that is not recorded."""
    total = cable("approve-order", "-", input=jsonl(vat(customer, "0.01"))).rows()[0]["vat_pending_total"]
    cents = int(total.replace(".", "")) - 1
    return f"{cents // 100}.{cents % 100:02d}"


def psql(db, sql: str) -> str:
    """`psql` itself on the test schema (the PostgreSQL variant reads the ledger as an outsider would)."""
    if not shutil.which("psql"):
        pytest.skip("psql is not on PATH")
    url, _, _ = db.url.partition("?")
    env = dict(os.environ, PGOPTIONS=f"-c search_path={db.schema}")
    done = subprocess.run(["psql", url, "-XAtc", sql], capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("amount", "stored"),
    [
        ("1335.50", "1335.50"),
        ("-12.5", "-12.5"),
        ("-0.00", "0.00"),  # a negative zero is stored as zero
        ("-0E+2", "0"),
        ("1E+3", "1000"),  # never an exponent
        ("5E-10", "0.0000000005"),
        ("123456789012345678901234567890.12", "123456789012345678901234567890.12"),
    ],
)
def test_an_amount_is_stored_in_plain_positional_form(amount, stored):
    assert codec.amount_text(Decimal(amount)) == stored
    assert codec.amount_text(-Decimal(amount)) == codec.negated(stored)


@pytest.mark.parametrize("amount", ["Infinity", "-Infinity", "NaN", "sNaN"])
def test_an_amount_that_is_no_number_is_refused(amount):
    with pytest.raises(codec.NotStorable):
        codec.amount_text(Decimal(amount))
    with pytest.raises(codec.NotStorable):
        codec.amount_text(float(1))


# -- reversals undo what is left ------------------------------------------------------------------
def test_a_reversal_does_not_take_out_an_invoiced_accumulation_twice(cable, ledger_cmd, db):
    """The issue's reproduction: 3,000 and 2,500 (a VAT invoice for 5,500), reverse the 3,000, then 4,000."""
    r = cable("approve-order", "-", "--record", input=jsonl(vat("恒通", "3000"), vat("恒通", "2500")))
    assert [x["vat_invoice_amount"] for x in r.rows()] == [None, "5500.00"]
    reversal = ledger_cmd("reverse", "1", "--format", "json")
    assert reversal.exit_code == 0, reversal
    # Decision 2 invoiced what decision 1 had added: it is listed, for a person to look at.
    assert "decisions recorded after 1 read history it wrote and were not changed: 2" in reversal.stderr
    (taken,) = db.sql("SELECT amount FROM bizops_entries WHERE decision_id = 3")
    assert Decimal(taken[0]) == 0  # decision 1's 3,000 was invoiced: nothing of it was left to take out
    after = cable("approve-order", "-", input=jsonl(vat("恒通", "4000"))).rows()[0]
    assert (after["invoice"], after["vat_pending_total"]) == ("vat_pending", "4000.00")
    shown = ledger_cmd("show", "1", "--format", "json").json()
    assert (shown["reversed_by"], shown["used_by"]) == (3, [2])
    table = ledger_cmd("show", "1", "--format", "table").stdout
    assert "used by" in table and "read history it wrote" in table
    assert ledger_cmd("check").exit_code == 0


def test_reversing_the_invoice_puts_back_what_it_took_from_standing_orders_only(cable, ledger_cmd):
    cable("approve-order", "-", "--record", input=jsonl(vat("恒通", "3000"), vat("恒通", "500"), vat("恒通", "2500")))
    assert pending(cable, "恒通") == "0.00"  # decision 3 invoiced 6,000
    assert ledger_cmd("reverse", "1").exit_code == 0  # consumed by the invoice: takes out nothing
    assert pending(cable, "恒通") == "0.00"
    assert ledger_cmd("reverse", "3").exit_code == 0  # the invoice undone: 500 of decision 2 is pending again
    assert pending(cable, "恒通") == "500.00"
    assert ledger_cmd("reverse", "2").exit_code == 0
    assert pending(cable, "恒通") == "0.00"
    assert ledger_cmd("check").exit_code == 0


def test_reversing_a_pending_order_before_the_invoice_takes_it_out(cable, ledger_cmd):
    cable("approve-order", "-", "--record", input=jsonl(vat("恒通", "3000"), vat("恒通", "1000")))
    assert ledger_cmd("reverse", "1").exit_code == 0
    assert pending(cable, "恒通") == "1000.00"
    r = cable("approve-order", "-", "--record", input=jsonl(vat("恒通", "4000")))
    assert (r.rows()[0]["invoice"], r.rows()[0]["vat_invoice_amount"]) == ("vat", "5000.00")
    assert ledger_cmd("check").exit_code == 0


# -- one customer key ------------------------------------------------------------------------------
def test_one_customer_however_its_spaces_are_written(cable, ledger_cmd, db):
    names = ("恒通  电器", "恒通 电器", "恒通\u3000电器")  # two spaces, one, a full-width space: Chinese needs none
    r = cable("approve-order", "-", "--record", input=jsonl(*(vat(n, "2000") for n in names)))
    assert [x["invoice"] for x in r.rows()] == ["vat_pending", "vat_pending", "vat"]
    assert r.rows()[2]["vat_invoice_amount"] == "6000.00"
    assert db.sql("SELECT DISTINCT key FROM bizops_entries") == [("恒通电器",)]
    assert [d["id"] for d in ledger_cmd("list", "--customer", "恒通\u3000\u3000电器", "--format", "json").json()] == [
        3,
        2,
        1,
    ]
    known = cable("approve-order", "--customer", " 恒通电器 ", "--amount", "1").json()
    assert known["new_customer"] is False


# -- balances kept and checked ----------------------------------------------------------------------
def test_balances_equal_their_entries_and_check_finds_a_changed_one(cable, ledger_cmd, db):
    cable("approve-order", "-", "--record", input=jsonl(vat("恒通", "1200"), vat("粤海", "300"), vat("恒通", "0.50")))
    rows = db.sql("SELECT key, total, entries FROM bizops_balances WHERE kind = 'vat_pending' ORDER BY key")
    assert [(k, Decimal(str(t)), n) for k, t, n in rows] == [("恒通", Decimal("1200.50"), 2), ("粤海", 300, 1)]
    if db.kind == "sqlite":
        assert db.sql("SELECT DISTINCT typeof(total) FROM bizops_balances") == [("text",)]
    else:
        assert (
            psql(
                db,
                "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'bizops_balances' AND column_name = 'total'",
            )
            == "numeric"
        )
    assert ledger_cmd("check").exit_code == 0
    db.sql(
        "UPDATE bizops_balances SET total = '99' WHERE kind = 'vat_pending' AND key = '粤海'"
    )  # not a record: no trigger guards it
    r = ledger_cmd("check", "--format", "json")
    assert r.exit_code == 74, r
    failed = {c["check"]: c["detail"] for c in r.json() if c["status"] == "failed"}
    assert failed == {
        "balances": "balance cable vat_pending 粤海 holds 99 in 1 entries, its entries add up to 300 in 1"
    }


def test_a_history_read_reads_one_balance_row(cable, db):
    """What makes history cost the same with ten million decisions as with ten (the speed is bench/ledger.py's)."""
    cable("approve-order", "-", "--record", input=jsonl(*(vat(f"C{i % 5}", "10") for i in range(50))))
    if db.kind == "sqlite":
        plan = db.sql(
            "EXPLAIN QUERY PLAN SELECT total, entries, value, value_decision, value_seq FROM bizops_balances "
            "WHERE company = ? AND kind = ? AND key = ?",
            ("cable", "vat_pending", "C1"),
        )
        assert any("USING PRIMARY KEY" in str(row) for row in plan), plan
    assert pending(cable, "C1") == "100.00"


# -- views --------------------------------------------------------------------------------------------
def test_the_views_flatten_decisions_and_balances(bizops_run, cable, db):
    cable("approve-order", "-", "--record", input=jsonl(vat("恒通", "1200", "O-1"), vat("粤海", "6000", "O-2")))
    claim = {
        "claim_id": "BX-1",
        "employee": "李娜",
        "scope": "in_province",
        "depart": "2026-03-10",
        "return": "2026-03-10",
        "purpose": "visit",
        "customer": "义乌阳光建材",
        "feedback_forms": 1,
        "report_submitted": "2026-03-11",
    }
    bizops_run("--company", "pv", "--db", db.url, "expense", "claim", "-", "--record", input=jsonl(claim))
    events = jsonl({"event_id": "E-1", "person": "张三", "date": "2026-10-05", "code": "late", "count": 9})
    bizops_run("--company", "cable", "--db", db.url, "score", "-", "--input-format", "jsonl", "--record", input=events)
    flat = db.sql(
        "SELECT company, command, request_id, customer, status, decision, amount, reversed_by FROM bizops_decisions_flat "
        "ORDER BY id"
    )
    assert [tuple(str(v) if v is not None else None for v in row) for row in flat] == [
        ("cable", "approve-order", "O-1", "恒通", "ok", "approved", "1200.00", None),
        ("cable", "approve-order", "O-2", "粤海", "ok", "approved", "6000.00", None),
        ("pv", "expense claim", "BX-1", "义乌阳光建材", "ok", "ok", "15.00", None),
        ("cable", "score", flat[3][2], None, None, None, "55.00", None),
    ]
    assert [(c, k, Decimal(str(p))) for c, k, p in db.sql("SELECT * FROM bizops_vat_pending")] == [
        ("cable", "恒通", 1200)
    ]
    assert db.sql("SELECT * FROM bizops_trips") == [("pv", "李娜", "义乌阳光建材", 1)]
    assert [(c, p, m, str(s)) for c, p, m, s in db.sql("SELECT * FROM bizops_monthly_scores")] == [
        ("cable", "张三", "2026-10", "55")
    ]
    if db.kind == "postgres":
        assert psql(db, "SELECT pg_typeof(amount) FROM bizops_decisions_flat LIMIT 1") == "numeric"
        assert psql(db, "SELECT pending FROM bizops_vat_pending") == "1200"


# -- the migration from schema 1 ------------------------------------------------------------------
def v1_ledger(db) -> None:
    """A ledger as bizops 0.1 left it: raw customer keys, a plain reversal, a monthly score."""
    for statement in MIGRATIONS[1](db.kind):
        db.sql(statement)
    db.sql("CREATE TABLE IF NOT EXISTS bizops_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.sql("INSERT INTO bizops_meta (key, value) VALUES ('schema_version', '1')")
    rows = [
        ("恒通  电器", [("vat_pending", "恒通  电器", "1000", None)], None),
        ("恒通 电器", [("vat_pending", "恒通 电器", "2000", None)], None),
        (None, [("monthly_score", "张三|2026-10", None, '"55"')], None),
        ("粤海", [("vat_pending", "粤海", "700", None)], None),
        ("粤海", [("vat_pending", "粤海", "-700", None)], 4),
    ]
    for i, (customer, entries, reverses) in enumerate(rows, 1):
        decision = {
            "company": "cable",
            "command": "approve-order" if customer else "score",
            "row_label": str(i),
            "customer": customer,
            "status": "ok",
            "decided_at": "2026-10-31T10:00",
            "recorded_at": "2026-10-31T10:00:00+08:00",
            "user_name": "clerk",
            "host": "office",
            "plugin": "cable",
            "plugin_version": "0.1.0",
            "bizops_version": "0.1.0",
            "policy_fingerprint": "0" * 16,
            "inputs": "{}",
            "outputs": "{}",
            "outputs_zh": None,
            "reverses": reverses,
            "entry_count": len(entries),
        }
        listed = [
            {"seq": s, "kind": k, "key": key, "amount": a, "value": v, "sign": -1 if reverses else 1}
            for s, (k, key, a, v) in enumerate(entries, 1)
        ]
        decision["checksum"] = codec.checksum(decision, listed)
        names = list(decision)
        db.sql(
            f"INSERT INTO bizops_decisions ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            tuple(decision[n] for n in names),
        )
        for e in listed:
            db.sql(
                "INSERT INTO bizops_entries (decision_id, seq, company, kind, key, amount, value, sign) "
                "VALUES (?, ?, 'cable', ?, ?, ?, ?, ?)",
                (i, e["seq"], e["kind"], e["key"], e["amount"], e["value"], e["sign"]),
            )


def test_a_schema_1_ledger_is_migrated_with_its_balances(cable, ledger_cmd, db):
    v1_ledger(db)
    check = ledger_cmd("check", "--format", "json")  # reading migrates, through a writing connection
    assert check.exit_code == 0, check
    assert db.sql("SELECT value FROM bizops_meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    balances = {
        (k, key): (str(t), n, v)
        for k, key, t, n, v in db.sql(
            "SELECT kind, key, total, entries, value FROM bizops_balances WHERE company = 'cable'"
        )
    }
    assert balances[("vat_pending", "恒通电器")][:2] == ("3000", 2)
    assert balances[("vat_pending", "粤海")][:2] == ("0", 0)
    assert balances[("monthly_score", "张三|2026-10")] == ("0", 1, '"55"')
    assert balances[("bizops:customer", "恒通电器")][1] == 2 and balances[("bizops:customer", "粤海")][1] == 0
    # The old spellings, of the entries' key and (schema 4) of the customer the decisions name.
    assert sorted(db.sql("SELECT kind, key, written FROM bizops_key_aliases")) == [
        ("bizops:customer", "恒通电器", "恒通  电器"),
        ("bizops:customer", "恒通电器", "恒通 电器"),
        ("vat_pending", "恒通电器", "恒通  电器"),
        ("vat_pending", "恒通电器", "恒通 电器"),
    ]
    # History reads the merged customer, whichever spelling the order uses.
    assert pending(cable, "恒通\u3000电器") == "3000.00"
    # A decision of schema 1 is reversed by the amount left of it, found under its old spelling too.
    assert ledger_cmd("reverse", "1").exit_code == 0
    assert pending(cable, "恒通 电器") == "2000.00"
    assert ledger_cmd("check").exit_code == 0


def _recorded(books, key: str, amount: str, request_id: str | None = None, takes: tuple[str, ...] = ()) -> int:
    """One decision adding `amount` to balance ("k", key), recorded by `books` in a transaction of its own
    (answering `request_id`, when given, or taking over the ids `takes` as a run of events does); returns its id."""
    books.begin()
    decision_id = _store(books, key, amount, request_id, takes)
    books.commit()
    return books.renamed.get(decision_id, decision_id)  # PostgreSQL's ids are given when the batch is written


def _store(books, key: str, amount: str, request_id: str | None = None, takes: tuple[str, ...] = ()) -> int:
    """`_recorded`'s decision, stored in the transaction `books` holds open."""
    books.start_row()
    books.add("k", key, amount)
    decision = dict.fromkeys(
        ("command", "decided_at", "recorded_at", "user_name", "host", "plugin", "plugin_version"), "t"
    )
    decision.update(
        company="tally",
        bizops_version="t",
        policy_fingerprint="t",
        inputs="{}",
        outputs="{}",
        outputs_zh=None,
        row_label=None,
        customer=None,
        status=None,
        reverses=None,
        request_id=request_id,
    )
    identities = [(i, codec.digest({"id": i})) for i in takes or ([request_id] if request_id else [])]
    decision_id = books.store(decision, books.row_entries, identities=identities, moved=bool(takes))
    books.keep_row()
    return decision_id


def test_balances_read_before_the_lock_miss_nothing_another_writer_records_meanwhile(db, tmp_path):
    """A writer reads a small company's balances before it takes the lock (`Books._prefetch`).

    What another writer commits between that read and the lock (a balance
    changed, a balance new) is what the first writer's next decision sees.
    """
    from bizops.core.ledger.books import Books
    from bizops.core.ledger.location import parse
    from bizops.core.ledger.store import Ledger

    first, second = (Ledger.open(parse(db.url), write=True) for _ in range(2))
    assert first is not None and second is not None
    try:
        a, b = Books(first, "tally"), Books(second, "tally")
        _recorded(b, "old", "1.10")
        a._prefetch()  # outside any lock: a has every balance as it stands now …
        assert a.complete and a.cache["k", "old"].total == Decimal("1.10")
        _recorded(b, "old", "2.00")  # … and another writer records meanwhile
        _recorded(b, "new", "5.00")
        a.begin()
        assert a.balance("k", "old").total == Decimal("3.10")
        assert a.balance("k", "new").total == Decimal("5.00")
        assert a.balance("k", "never").total == Decimal(0)
        a.rollback()
    finally:
        first.close()
        second.close()


def test_request_ids_looked_up_before_the_lock_miss_nothing_another_writer_records_meanwhile(db):
    """A writer looks a batch's request ids up before it takes the lock (`Books.look_ahead`), so writers
    waiting for the lock do it while another holds it.

    Under the lock it asks for all of them again after a reversal recorded
    meanwhile (which frees an id) or a run of events (which takes ids
    over). Otherwise what it found stands, and an id another writer recorded
    meanwhile is caught all the same: the identities' key refuses the
    batch's row for it, or, for a row that stored nothing, the id is asked
    again before the commit. Either is a `Conflict`, and the recorder runs
    the batch again, finding it (test_ledger_processes.py, the same orders
    recorded by two processes at once).
    """
    from bizops.core.ledger.books import Books
    from bizops.core.ledger.location import parse
    from bizops.core.ledger.store import Ledger

    first, second = (Ledger.open(parse(db.url), write=True) for _ in range(2))
    assert first is not None and second is not None
    try:
        a, b = Books(first, "tally"), Books(second, "tally")
        kept = _recorded(b, "c", "1.00", "kept")
        freed = _recorded(b, "c", "1.00", "freed")
        ids = ["kept", "freed", "taken", "new"]
        ahead = a.look_ahead("t", ids)
        assert ahead is not None and sorted(ahead[1]) == ["freed", "kept"]
        taken = _recorded(b, "c", "2.00", "taken")  # recorded while a waits for the lock
        _recorded(b, "c", "3.00", "elsewhere")
        a.begin()
        known = a.known_soon("t", ids, ahead)
        assert {r: k.decision_id for r, k in known.items()} == {"kept": kept, "freed": freed}
        _store(a, "c", "5.00", "new")
        _store(a, "c", "5.00", "taken")
        with pytest.raises(Conflict, match="recorded some of the same request ids meanwhile"):
            a.commit()
        a.rollback()
        assert [r for (r,) in db.sql("SELECT request_id FROM bizops_identities ORDER BY request_id")] == [
            "elsewhere",
            "freed",
            "kept",
            "taken",
        ]

        ahead = a.look_ahead("t", ids)  # the batch run again
        assert ahead is not None and sorted(ahead[1]) == ["freed", "kept", "taken"]
        late = _recorded(b, "c", "2.00", "late")
        a.begin()
        known = a.known_soon("t", [*ids, "late"], ahead)
        assert {r: k.decision_id for r, k in known.items()} == {"kept": kept, "freed": freed, "taken": taken}
        a.unstored("new")  # its row stored nothing: nobody recorded "new" meanwhile, the commit goes through
        a.commit()
        a.begin()
        known = a.known_soon("t", ["late"], (ahead[0], {}))
        assert known == {}
        a.unstored("late")  # … but "late" was recorded meanwhile: the row would have been its recorded decision
        with pytest.raises(Conflict):
            a.commit()
        a.rollback()
        assert late in {i for (i,) in db.sql("SELECT decision_id FROM bizops_identities")}

        ahead = a.look_ahead("t", ids)
        b.begin()
        b.reverse(freed, None, "t", {"user_name": "t", "host": "t", "recorded_at": "t"})  # frees "freed"
        b.commit()
        a.begin()
        known = a.known_soon("t", ids, ahead)
        assert {r: k.decision_id for r, k in known.items()} == {"kept": kept, "taken": taken}
        a.rollback()

        ahead = a.look_ahead("t", ids)
        run = _recorded(b, "c", "4.00", RUN_PREFIX + "x", takes=("kept",))  # a run's event takes "kept" over
        a.begin()
        known = a.known_soon("t", ids, ahead)
        assert {r: k.decision_id for r, k in known.items()} == {"kept": run, "taken": taken}
        a.rollback()
    finally:
        first.close()
        second.close()
