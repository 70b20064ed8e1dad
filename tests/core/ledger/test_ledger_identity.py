"""Identity: the same file recorded twice leaves the ledger and every later decision as if recorded once.

Through the built-in companies, on SQLite and PostgreSQL: cable orders
(`order_id`), pv claims (`claim_id`), pile dispatches (`request_id`) and
scores (`event_id`). A request recorded with other inputs is refused, or with
`--amend` replaces the recorded decision in one transaction.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bizops.core.ledger import codec


def jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


# -- a request's inputs as they are stored ---------------------------------------------------------


def test_inputs_are_stored_as_plain_would_write_them():
    fields = {"order_id": "R-1", "customer": "客户1", "amount": Decimal("1E+3"), "new_customer": False, "n": None}
    assert codec.plain_json(fields, sort=False).decode() == codec.dumps(codec.plain(fields), sort=False)
    assert codec.plain_json(fields) == codec.dumped(codec.plain(fields))  # the canonical form a digest reads
    assert json.loads(codec.plain_json(fields)) == dict(fields, amount="1000")
    assert json.loads(codec.plain_json(dict(fields, big=2**70)))["big"] == 2**70  # beyond orjson's 64 bits
    with pytest.raises(codec.NotStorable):
        codec.plain_json(dict(fields, amount=Decimal("NaN")))
    with pytest.raises(codec.NotStorable):
        codec.plain_json(dict(fields, amount=1.5))


def test_a_signal_while_inputs_are_written_still_stops_the_run(monkeypatch):
    signals = [KeyboardInterrupt()]  # one signal, raised where `bizops.core.signals` raises it: in orjson's call back
    amount_text = codec.amount_text

    def interrupted(amount):
        if signals:
            raise signals.pop()
        return amount_text(amount)

    monkeypatch.setattr(codec, "amount_text", interrupted)
    with pytest.raises(KeyboardInterrupt):
        codec.plain_json({"amount": Decimal("1.00")})


@pytest.fixture
def run(bizops_run, db):
    def invoke(*args, input=None):
        return bizops_run("--db", db.url, *args, input=input)

    return invoke


def books(db) -> dict:
    """What the ledger holds, read behind bizops' back: decisions, entries and every balance."""
    counts = {t: db.sql(f"SELECT count(*) FROM bizops_{t}")[0][0] for t in ("decisions", "entries", "identities")}
    balances = sorted(
        (kind, key, str(total), entries, value)
        for kind, key, total, entries, value in db.sql("SELECT kind, key, total, entries, value FROM bizops_balances")
    )
    return {"counts": counts, "balances": balances}


def without_marks(rows: list[dict]) -> list[dict]:
    """Rows with the replay's warning taken out (everything else must be as recorded)."""
    return [dict(r, warnings=[w for w in r["warnings"] if "already recorded" not in w]) for r in rows]


def twice(run, db, args: tuple, text: str, probe: tuple, probe_input: str | None = None):
    """Record `text` once and again; the ledger and a later (unrecorded) decision must not change."""
    first = run(*args, "--record", input=text)
    assert first.exit_code in (0, 1), first
    once, probe_once = books(db), run(*probe, input=probe_input).stdout
    again = run(*args, "--record", input=text)
    assert again.exit_code == first.exit_code, again
    assert books(db) == once
    assert run(*probe, input=probe_input).stdout == probe_once
    marked = [r for r in again.rows() if any("already recorded as decision" in w for w in r["warnings"])]
    assert len(marked) == len(again.rows()) > 0
    assert without_marks(again.rows()) == without_marks(first.rows())
    assert "already recorded with the same inputs: shown as recorded, nothing recorded again" in again.stderr
    return first, again


# -- the four commands the issue names ------------------------------------------------------------
def vat(order_id: str, customer: str, amount: str) -> dict:
    return {"order_id": order_id, "customer": customer, "amount": amount, "new_customer": False, "invoice": "vat"}


def test_cable_orders_recorded_twice_count_once(run, db):
    text = jsonl(vat("O-1", "恒通", "3000"), vat("O-2", "恒通", "1500"), vat("O-3", "粤海", "1200"))
    probe = ("--company", "cable", "approve-order", "-")
    first, _ = twice(run, db, ("--company", "cable", "approve-order", "-"), text, probe, jsonl(vat("P", "恒通", "400")))
    assert [r["vat_pending_total"] for r in first.rows()] == ["3000.00", "4500.00", "1200.00"]
    # 4,500 pending after once (and after twice): 400 more does not reach 5,000.
    assert run(*probe, input=jsonl(vat("P", "恒通", "400"))).rows()[0]["vat_pending_total"] == "4900.00"
    assert db.sql("SELECT request_id FROM bizops_decisions ORDER BY id") == [("O-1",), ("O-2",), ("O-3",)]


CLAIM = {
    "claim_id": "BX-7",
    "employee": "李娜",
    "scope": "in_province",
    "depart": "2026-03-10",
    "return": "2026-03-10",
    "purpose": "visit",
    "customer": "义乌阳光建材",
    "feedback_forms": 1,
    "report_submitted": "2026-03-11",
}


def test_pv_claims_recorded_twice_count_the_trip_once(run, db):
    args = ("--company", "pv", "expense", "claim", "-", "--input-format", "jsonl")
    probe_claim = dict(CLAIM, claim_id="BX-8", depart="2026-03-17", **{"return": "2026-03-17"})
    twice(run, db, args, jsonl(CLAIM), args, jsonl(probe_claim))
    # One trip recorded: the next is the second, paid (twice recorded it would be the third, refused).
    nxt = run(*args, input=jsonl(probe_claim)).rows()[0]
    assert nxt["status"] == "ok" and nxt["allowance_days"] == 1
    assert db.sql("SELECT entries FROM bizops_balances WHERE kind = 'trips'") == [(1,)]


DISPATCH = (
    "request_id,site,office,submitted_at,channel,kind,manager_approved,spec,length_m,qty\n"
    "BZ-01,万科城三期,佛山办事处,2026-11-23 08:42,sms,dispatch,否,PHC-500 AB 125,12,40\n"
    "BZ-01,万科城三期,佛山办事处,2026-11-23 08:42,sms,dispatch,否,PHC-500 AB 125,10,20\n"
    "BZ-02,保利天汇,东莞办事处,2026-11-23 09:00,sms,dispatch,否,PHC-400 AB 95,13,36\n"
)


def test_pile_dispatches_recorded_twice_count_once(run, db):
    args = ("--company", "pile", "approve-order", "-", "--input-format", "csv")
    twice(run, db, args, DISPATCH, ("ledger", "list", "--format", "json"))
    assert db.sql("SELECT request_id, row_label FROM bizops_decisions ORDER BY id") == [
        ("BZ-01", "2-3"),
        ("BZ-02", "4"),
    ]


def test_scores_recorded_twice_count_once(run, db):
    score = ("--company", "cable", "score", "-", "--input-format", "jsonl")
    october = jsonl(
        {"event_id": "E-1", "person": "张三", "date": "2026-10-05", "code": "late", "count": 5},
        {"event_id": "E-2", "person": "张三", "date": "2026-10-19", "code": "late", "count": 4},
    )  # 100 − 45 = 55: under 60
    november = jsonl({"event_id": "E-3", "person": "张三", "date": "2026-11-03", "code": "log_missing", "count": 5})
    first, _ = twice(run, db, score, october, score, november)
    assert first.rows()[0]["score"] == "55"
    assert run(*score, input=november).rows()[0]["flags"] == ["dismissal_review"]
    # A file holding October again and November: October's events count once, November is scored and recorded.
    both = run(*score, "--record", input=october + november)
    assert both.exit_code == 0, both
    assert [r["period"] for r in both.rows()] == ["2026-10", "2026-11"]
    assert db.sql("SELECT count(*) FROM bizops_identities")[0][0] == 3


def test_an_event_repeated_in_one_file_counts_once(run, db):
    score = ("--company", "cable", "score", "-", "--input-format", "jsonl", "--record")
    event = {"event_id": "E-1", "person": "张三", "date": "2026-10-05", "code": "late", "count": 5}
    r = run(*score, input=jsonl(event, event, dict(event, count=2)))
    assert r.exit_code == 65, r  # the third reuses E-1 with other inputs: a bad row
    assert "row 3: event_id E-1 was given to row 1 with other inputs" in r.stderr
    assert r.rows()[0]["score"] == "75"  # 100 − 5 × 5: counted once


# -- the same id with other inputs ------------------------------------------------------------------
def test_the_same_id_with_other_inputs_is_refused_naming_the_decision(run, db):
    order = ("--company", "cable", "approve-order", "-", "--record")
    assert run(*order, input=jsonl(vat("O-1", "恒通", "3000"))).exit_code == 0
    before = books(db)
    r = run(*order, input=jsonl(vat("O-1", "恒通", "3500"), vat("O-2", "恒通", "100")))
    assert r.exit_code == 1, r
    refused, second = r.rows()
    assert (refused["status"], refused["customer"], refused["amount"]) == ("refused", "恒通", "3500.00")
    assert refused["reason"].startswith("order_id O-1 was recorded as decision 1 (")
    assert "bizops ledger reverse 1" in refused["reason"] and "--amend" in refused["reason"]
    assert second["vat_pending_total"] == "3100.00"  # the refused row added nothing
    assert books(db)["counts"]["decisions"] == before["counts"]["decisions"] + 1
    zh = run(*order, "--lang", "zh", "--format", "table", input=jsonl(vat("O-1", "恒通", "3500")))
    assert "订单" not in zh.stderr and "已记录为决定 1" in zh.stdout


def test_amend_reverses_and_records_in_one_transaction(run, db):
    order = ("--company", "cable", "approve-order", "-", "--record")
    run(*order, input=jsonl(vat("O-1", "恒通", "3000"), vat("O-9", "粤海", "100")))
    r = run(*order, "--amend", input=jsonl(vat("O-1", "恒通", "3500")))
    assert r.exit_code == 0, r
    row = r.rows()[0]
    assert row["vat_pending_total"] == "3500.00"  # 3,000 taken out, 3,500 in
    assert row["warnings"] == ["replaces decision 1, reversed by decision 3 (--amend)"]
    assert db.sql("SELECT id, reverses, request_id FROM bizops_decisions ORDER BY id") == [
        (1, None, "O-1"),
        (2, None, "O-9"),
        (3, 1, None),
        (4, None, "O-1"),
    ]
    assert db.sql("SELECT decision_id FROM bizops_identities WHERE request_id = 'O-1'") == [(4,)]
    assert run("ledger", "check").exit_code == 0
    # Amending with what is recorded now changes nothing.
    again = run(*order, "--amend", input=jsonl(vat("O-1", "恒通", "3500")))
    assert "already recorded as decision 4" in again.rows()[0]["warnings"][-1]
    assert db.sql("SELECT count(*) FROM bizops_decisions")[0][0] == 4


def test_an_amendment_that_is_invalid_leaves_the_recorded_decision_standing(run, db):
    order = ("--company", "cable", "approve-order", "-", "--record")
    run(*order, input=jsonl(vat("O-1", "恒通", "3000")))
    bad = dict(vat("O-1", "新客户", "900"), new_customer=True)  # a new customer needs a city: a row error
    r = run(*order, "--amend", input=jsonl(bad))
    assert r.exit_code == 65, r
    assert db.sql("SELECT count(*) FROM bizops_decisions")[0][0] == 1
    assert run("ledger", "check").exit_code == 0


def test_amend_is_a_usage_error_without_record_or_without_an_id(run):
    r = run("--company", "cable", "approve-order", "--customer", "A", "--amount", "1", "--amend")
    assert r.exit_code == 2 and "--amend corrects recorded decisions: use it with --record" in r.stderr
    r = run("--company", "cable", "quote", "--guide-price", "100", "--record", "--amend")
    assert r.exit_code == 2 and "quote has none" in r.stderr


def test_rows_without_an_id_are_counted_in_a_warning(run, db):
    r = run(
        "--company",
        "cable",
        "approve-order",
        "-",
        "--record",
        input=jsonl(vat("O-1", "恒通", "10"), {"customer": "恒通", "amount": "20", "new_customer": False}),
    )
    assert r.exit_code == 0, r
    assert "warning: 1 row recorded without order_id: recording the same input again would record it again" in r.stderr


def test_the_same_id_twice_in_one_file_is_recorded_once(run, db):
    order = ("--company", "cable", "approve-order", "-", "--record")
    r = run(*order, input=jsonl(vat("O-1", "恒通", "3000"), vat(" O-1 ", "恒通", "3000"), vat("O-1", "恒通", "1")))
    assert r.exit_code == 1, r
    first, repeat, other = r.rows()
    assert first["vat_pending_total"] == repeat["vat_pending_total"] == "3000.00"
    assert "already recorded as decision 1" in repeat["warnings"][0]
    assert other["status"] == "refused"
    assert db.sql("SELECT count(*) FROM bizops_decisions")[0][0] == 1


def test_a_score_event_recorded_with_other_inputs_refuses_the_run_unless_amended(run, db):
    score = ("--company", "cable", "score", "-", "--input-format", "jsonl", "--record")
    event = {"event_id": "E-1", "person": "张三", "date": "2026-10-05", "code": "late", "count": 5}
    assert run(*score, input=jsonl(event)).rows()[0]["score"] == "75"
    changed = jsonl(dict(event, count=2))
    r = run(*score, input=changed)
    assert r.exit_code == 1, r  # shown as scored, not recorded
    assert r.rows()[0]["score"] == "90"
    assert "not recorded: event_id E-1 was recorded in decision 1 with other inputs" in r.rows()[0]["warnings"][-1]
    assert db.sql("SELECT count(*) FROM bizops_decisions")[0][0] == 1
    amended = run(*score, "--amend", input=changed)
    assert amended.exit_code == 0, amended
    assert db.sql("SELECT id, reverses FROM bizops_decisions ORDER BY id") == [(1, None), (2, 1), (3, None)]
    assert db.sql("SELECT value FROM bizops_balances WHERE kind = 'monthly_score'") == [('"90"',)]
    assert run("ledger", "check").exit_code == 0


def test_score_events_exported_again_with_names_spaced_otherwise_are_the_same_events(run, db):
    """Found attacking identity (left in the last stop's note): the month's events recorded, then the same
    events from another export, `张三 ` with a trailing space, `李　四` with a full-width one, a count written
    `5.0`, refused the whole run as recorded "with other inputs" (exit 1). Events are now read against
    the run's recorded events as a decision's row is: names as the ledger compares them, numbers by value."""
    score = ("--company", "cable", "score", "-", "--input-format", "jsonl", "--record")
    events = [
        {"event_id": "E-1", "person": "张三", "date": "2026-10-05", "code": "late", "count": 5},
        {"event_id": "E-2", "person": "李四", "date": "2026-10-06", "code": "late", "count": 2},
    ]
    first = run(*score, input=jsonl(*events))
    assert first.exit_code == 0, first
    once = db.sql("SELECT id, request_id, inputs FROM bizops_decisions ORDER BY id")
    respelled = [dict(events[0], person="张三 ", count="5.0"), dict(events[1], person="李　四")]
    again = run(*score, input=jsonl(*respelled))
    assert again.exit_code == 0, again
    assert [r["score"] for r in again.rows()] == ["75", "90"]
    assert all("already recorded as decision" in r["warnings"][-1] for r in again.rows())
    assert db.sql("SELECT id, request_id, inputs FROM bizops_decisions ORDER BY id") == once
    other = run(*score, input=jsonl(respelled[0], dict(respelled[1], count=3)))  # another count: other inputs
    assert (
        other.exit_code == 1 and "E-2 was recorded in decision 1 with other inputs" in other.rows()[0]["warnings"][-1]
    )
    assert db.sql("SELECT id, request_id, inputs FROM bizops_decisions ORDER BY id") == once
    assert run("ledger", "check").exit_code == 0


def test_the_same_amount_written_another_way_is_the_same_inputs(run, db, tmp_path):
    """Found attacking identity: an order recorded from a JSON file with amount `1000` and then from the
    accounting export's CSV with `1,000.00` (as Excel writes it), its customer `恒　通 ` (a full-width space,
    a trailing one), was refused as recorded "with other inputs" (exit 1), though bizops reads both as
    1000.00 for one customer. Amounts now compare as numbers, text as names; another amount is still
    other inputs."""
    order = {"order_id": "O-1", "customer": "恒通", "amount": "1000", "new_customer": False, "invoice": "vat"}
    assert run("--company", "cable", "approve-order", "-", "--record", input=jsonl(order)).exit_code == 0
    once = books(db)
    export = tmp_path / "orders.csv"
    export.write_text(
        'order_id,customer,amount,new_customer,invoice\nO-1,恒　通 ,"1,000.00",no,vat\n', encoding="utf-8"
    )
    again = run("--company", "cable", "approve-order", str(export), "--record")
    assert again.exit_code == 0, again
    assert "already recorded as decision 1" in again.rows()[0]["warnings"][-1]
    assert books(db) == once
    other = run("--company", "cable", "approve-order", "-", "--record", input=jsonl(dict(order, amount="1000.01")))
    assert other.exit_code == 1 and "with other inputs" in other.rows()[0]["reason"], other
    assert books(db) == once
