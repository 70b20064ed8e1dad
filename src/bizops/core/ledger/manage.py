"""Looking after a ledger: import customers, reverse a decision, check it, back it up.

Each function works on an open `Ledger`; `bizops ledger …` (in
`bizops.commands.ledger`) prints what they return.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bizops import __version__
from bizops.core.errors import UsageError
from bizops.core.i18n import msg
from bizops.core.ledger import codec
from bizops.core.ledger.history import customer_name
from bizops.core.ledger.record import current_host, current_user, recorded_at
from bizops.core.ledger.schema import SCHEMA_VERSION
from bizops.core.ledger.store import Ledger

#: Column names a customer list may use for the customer's name (Chinese exports included).
NAME_COLUMNS = ("name", "customer", "客户", "客户名称", "名称", "单位名称")


# -- customers -------------------------------------------------------------------------
def import_customers(ledger: Ledger, company: str, rows, source: str) -> dict:
    """Add each customer the company does not have yet, in one transaction.

    `rows` are `(row, raw)` pairs or `RowError`s from a reader. A name already
    in the ledger (or twice in the file) is counted as known, so the same
    import twice adds nothing the second time. Returns the counts and the row errors.
    """
    counts = {"rows": 0, "added": 0, "known": 0, "invalid": 0}
    errors = []
    when, user = recorded_at(), current_user()
    ledger.begin(company)
    try:
        for item in rows:
            if type(item) is not tuple:
                counts["invalid"] += 1
                errors.append(item)
                continue
            row, raw = item
            counts["rows"] += 1
            column = next((c for c in NAME_COLUMNS if c in raw), None)
            if column is None:
                raise UsageError(
                    msg(
                        "{f}: no customer name column; name one of: {c}",
                        "{f}：没有客户名称列；列名应为其中之一：{c}",
                        f=source,
                        c=", ".join(NAME_COLUMNS),
                    )
                )
            name = customer_name(raw.get(column))
            if name is None:
                from bizops.core.errors import RowError

                counts["invalid"] += 1
                errors.append(RowError(msg("{c} is empty", "{c} 为空", c=column), row))
                continue
            fields = {
                k: codec.plain(v.strip() if isinstance(v, str) else v)
                for k, v in raw.items()
                if k != column and k and v not in (None, "") and not (isinstance(v, str) and not v.strip())
            }
            if ledger.add_customer(company, name, fields, source, when, user):
                counts["added"] += 1
            else:
                counts["known"] += 1
        ledger.commit()
    except BaseException:
        ledger.rollback()
        raise
    return {**counts, "errors": errors}


# -- corrections -----------------------------------------------------------------------
def reverse(ledger: Ledger, decision_id: int, note: str | None, now: str) -> dict:
    """Record a new decision undoing `decision_id`: its amounts negated, its values withdrawn.

    The original stays as it was. A decision can be reversed once, and a
    reversal is not reversed (record the decision again instead).
    """
    original = ledger.decision(decision_id)
    if original is None:
        raise UsageError(msg("no decision {i} in the ledger", "账本中没有决定 {i}", i=decision_id))
    if original["reverses"] is not None:
        raise UsageError(
            msg(
                "decision {i} is itself a reversal (of {o}); record the decision again instead",
                "决定 {i} 本身就是冲销（冲销 {o}）；请重新记录该决定",
                i=decision_id,
                o=original["reverses"],
            )
        )
    ledger.begin(original["company"])
    try:
        again = ledger.decision(decision_id)
        if again["reversed_by"] is not None:
            raise UsageError(
                msg(
                    "decision {i} was already reversed by decision {r}",
                    "决定 {i} 已被决定 {r} 冲销",
                    i=decision_id,
                    r=again["reversed_by"],
                )
            )
        entries = [
            {
                "kind": e["kind"],
                "key": e["key"],
                "amount": None if e["amount"] is None else codec.negated(e["amount"]),
                "value": e["value"],
                "sign": -1,
            }
            for e in ledger.entries(decision_id)
        ]
        body = {"reverses": decision_id, "note": note}
        decision = {
            "company": original["company"],
            "command": original["command"],
            "row_label": None,
            "customer": original["customer"],
            "status": None,
            "decided_at": now,
            "recorded_at": recorded_at(),
            "user_name": current_user(),
            "host": current_host(),
            "plugin": original["plugin"],
            "plugin_version": original["plugin_version"],
            "bizops_version": __version__,
            "policy_fingerprint": original["policy_fingerprint"],
            "inputs": codec.dumps(body),
            "outputs": codec.dumps(body),
            "outputs_zh": None,
            "reverses": decision_id,
        }
        new_id = ledger.insert_decision(decision, entries)
        ledger.commit()
    except BaseException:
        ledger.rollback()
        raise
    return {
        "id": new_id,
        "reverses": decision_id,
        "company": original["company"],
        "command": original["command"],
        "entries": len(entries),
        "note": note,
    }


# -- integrity -------------------------------------------------------------------------
def check(ledger: Ledger) -> list[dict]:
    """Every check of the ledger, each `{check, status, checked, detail}`."""
    findings = []

    def report(name: str, checked: int, problems: list[str]):
        findings.append(
            {
                "check": name,
                "status": "failed" if problems else "ok",
                "checked": checked,
                "detail": "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
                if problems
                else None,
            }
        )

    with ledger.guard():
        storage = ledger.backend.integrity()
    report("storage", 1, storage)
    version_problems = (
        [] if ledger.version == SCHEMA_VERSION else [f"schema version {ledger.version}, expected {SCHEMA_VERSION}"]
    )
    report("schema", 1, version_problems)

    decisions = ledger.decisions()
    entries_of: dict[int, list[dict]] = defaultdict(list)
    for entry in ledger.entries():
        entries_of[entry["decision_id"]].append(entry)
    by_id = {d["id"]: d for d in decisions}

    complete, sums, json_problems, amounts, reversals = [], [], [], [], []
    for d in decisions:
        mine = entries_of.get(d["id"], [])
        if len(mine) != d["entry_count"]:
            complete.append(f"decision {d['id']}: {len(mine)} entries, {d['entry_count']} recorded")
        if [e["seq"] for e in mine] != list(range(1, len(mine) + 1)):
            complete.append(f"decision {d['id']}: entry numbers are not 1..{len(mine)}")
        body = {k: d[k] for k in d if k != "reversed_by"}
        if codec.checksum(body, mine) != d["checksum"]:
            sums.append(f"decision {d['id']} was changed after it was recorded")
        for field in ("inputs", "outputs", "outputs_zh"):
            try:
                codec.loads(d[field])
            except ValueError:
                json_problems.append(f"decision {d['id']}: {field} is not JSON")
        for e in mine:
            if e["company"] != d["company"]:
                complete.append(f"entry {e['id']}: company {e['company']} differs from its decision's")
            if e["value"] is not None:
                try:
                    codec.loads(e["value"])
                except ValueError:
                    json_problems.append(f"entry {e['id']}: value is not JSON")
            if e["amount"] is not None:
                try:
                    if not Decimal(e["amount"]).is_finite():
                        raise InvalidOperation
                except (InvalidOperation, ValueError):
                    amounts.append(f"entry {e['id']}: amount {e['amount']!r} is not an exact number")
        if d["reverses"] is not None:
            reversals.extend(_reversal_problems(d, by_id.get(d["reverses"]), mine, entries_of.get(d["reverses"], [])))
    all_entries = sum(len(v) for v in entries_of.values())
    orphans = [f"entry {e['id']}: no decision {k}" for k, v in entries_of.items() if k not in by_id for e in v]
    report("decisions_complete", len(decisions), complete + orphans)
    report("checksums", len(decisions), sums)
    report("json", len(decisions) + all_entries, json_problems)
    report("amounts", all_entries, amounts)
    report("reversals", sum(1 for d in decisions if d["reverses"] is not None), reversals)
    return findings


def _reversal_problems(reversal: dict, original: dict | None, mine: list[dict], theirs: list[dict]) -> list[str]:
    rid = reversal["id"]
    if original is None:
        return [f"decision {rid} reverses decision {reversal['reverses']}, which does not exist"]
    problems = []
    if original["company"] != reversal["company"]:
        problems.append(f"decision {rid} reverses a decision of another company")
    if original["reverses"] is not None:
        problems.append(f"decision {rid} reverses a reversal")
    expected = [
        (e["kind"], e["key"], None if e["amount"] is None else codec.negated(e["amount"]), e["value"], -1)
        for e in theirs
    ]
    actual = [(e["kind"], e["key"], e["amount"], e["value"], e["sign"]) for e in mine]
    if expected != actual:
        problems.append(f"decision {rid}'s entries do not negate decision {original['id']}'s")
    return problems


# -- backup ----------------------------------------------------------------------------
def backup(ledger: Ledger, dest: Path) -> str:
    """Copy the ledger to `dest`: a SQLite file, or (PostgreSQL) every row as JSON Lines. Returns the kind."""
    if ledger.backend.dialect == "sqlite":
        with ledger.guard():
            ledger.backend.backup(dest)
        return "sqlite"
    with open(dest, "w", encoding="utf-8") as out:
        out.write(
            codec.dumps({"table": "meta", "row": {"schema_version": ledger.version, "location": ledger.location.shown}})
            + "\n"
        )
        for decision in ledger.decisions():
            decision.pop("reversed_by", None)
            out.write(codec.dumps({"table": "decisions", "row": decision}) + "\n")
        for entry in ledger.entries():
            out.write(codec.dumps({"table": "entries", "row": entry}) + "\n")
        for customer in ledger.customers():
            out.write(codec.dumps({"table": "customers", "row": customer}) + "\n")
    return "jsonl"
