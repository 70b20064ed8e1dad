"""`bizops ledger check`: every record verified, and every table bizops keeps beside the records.

Each check reports `{check, status, checked, detail}`; any failure makes the
command exit 74.
- `storage`: SQLite's own integrity and foreign-key checks;
- `schema`: the ledger is at this program's version;
- `decisions_complete`, `checksums`, `json`, `amounts`: every decision has
  all its entries, is as it was recorded, holds valid JSON and exact amounts;
- `reversals`: a reversal undoes a decision of its company that is not a
  reversal, entry for entry, by the amounts `lots` says were left of it;
- `balances`: every balance equals what its entries add up to;
- `identities`: every request id points at a standing decision recorded for
  it, and every standing decision with a request id is found by it;
- `reads`: every read belongs to a decision;
- `policies`: every kept policy's settings give its fingerprint (`ledger
  show` explains decisions by them).
Decisions are read a chunk at a time: a ledger of millions is checked in
the memory of a few thousand.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from bizops.core.errors import LedgerError
from bizops.core.ledger import codec
from bizops.core.ledger.books import computed_balances
from bizops.core.ledger.lots import replay
from bizops.core.ledger.schema import POLICIES_SINCE, SCHEMA_VERSION
from bizops.core.ledger.store import BALANCE_FIELDS, RUN_PREFIX, Ledger

CHUNK = 5000


def check(ledger: Ledger) -> list[dict]:
    """Every check of the ledger, each `{check, status, checked, detail}`."""
    findings: list[dict] = []

    def report(name: str, checked: int, problems: list[str]) -> None:
        detail = "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
        findings.append(
            {"check": name, "status": "failed" if problems else "ok", "checked": checked, "detail": detail or None}
        )

    with ledger.guard():
        report("storage", 1, ledger.backend.integrity())
    schema = [] if ledger.version == SCHEMA_VERSION else [f"schema version {ledger.version}, expected {SCHEMA_VERSION}"]
    report("schema", 1, schema)
    records = _records(ledger)
    report("decisions_complete", records["decisions"], records["complete"])
    report("checksums", records["decisions"], records["sums"])
    report("json", records["decisions"] + records["entries"], records["json"])
    report("amounts", records["entries"], records["amounts"])
    report("reversals", records["reversals"], records["reversal_problems"] + _reversal_amounts(ledger))
    report("balances", *_balances(ledger))
    report("identities", *_identities(ledger))
    orphans = ledger._one(
        "SELECT count(*) FROM bizops_reads r WHERE NOT EXISTS (SELECT 1 FROM bizops_decisions d WHERE d.id = r.decision_id)"
    )[0]
    reads = ledger._one("SELECT count(*) FROM bizops_reads")[0]
    report("reads", int(reads), [f"{orphans} reads of no decision"] if orphans else [])
    report("policies", *_policies(ledger))
    return findings


def _records(ledger: Ledger) -> dict:
    """The decisions and their entries, checked one by one."""
    found: dict = defaultdict(list)
    found.update(decisions=0, entries=0, reversals=0)
    after = 0
    while True:
        decisions = ledger.decisions(after_id=after, limit=CHUNK)
        if not decisions:
            break
        entries_of: dict[int, list[dict]] = defaultdict(list)
        for entry in ledger.entries(between=(decisions[0]["id"], decisions[-1]["id"])):
            entries_of[entry["decision_id"]].append(entry)
        for decision in decisions:
            mine = entries_of.pop(decision["id"], [])
            _decision(decision, mine, found)
            if decision["reverses"] is not None:
                found["reversals"] += 1
                found["reversal_problems"] += _reversal_shape(ledger, decision, mine)
        for decision_id, orphans in entries_of.items():
            found["complete"] += [f"entry {e['id']}: no decision {decision_id}" for e in orphans]
        found["decisions"] += len(decisions)
        after = decisions[-1]["id"]
    return found


def _decision(d: dict, mine: list[dict], found: dict) -> None:
    found["entries"] += len(mine)
    if len(mine) != d["entry_count"]:
        found["complete"].append(f"decision {d['id']}: {len(mine)} entries, {d['entry_count']} recorded")
    if [e["seq"] for e in mine] != list(range(1, len(mine) + 1)):
        found["complete"].append(f"decision {d['id']}: entry numbers are not 1..{len(mine)}")
    if codec.checksum(d, mine) != d["checksum"]:
        found["sums"].append(f"decision {d['id']} was changed after it was recorded")
    for field in ("inputs", "outputs", "outputs_zh"):
        try:
            codec.loads(d[field])
        except ValueError:
            found["json"].append(f"decision {d['id']}: {field} is not JSON")
    for e in mine:
        if e["company"] != d["company"]:
            found["complete"].append(f"entry {e['id']}: company {e['company']} differs from its decision's")
        if e["value"] is not None:
            try:
                codec.loads(e["value"])
            except ValueError:
                found["json"].append(f"entry {e['id']}: value is not JSON")
        if e["amount"] is not None:
            try:
                if not Decimal(e["amount"]).is_finite():
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                found["amounts"].append(f"entry {e['id']}: amount {e['amount']!r} is not an exact number")


def _reversal_shape(ledger: Ledger, reversal: dict, mine: list[dict]) -> list[str]:
    """A reversal mirrors its original: same company, entry for entry (amounts: `_reversal_amounts`)."""
    rid = reversal["id"]
    original = ledger.decision(reversal["reverses"])
    if original is None:
        return [f"decision {rid} reverses decision {reversal['reverses']}, which does not exist"]
    problems = []
    if original["company"] != reversal["company"]:
        problems.append(f"decision {rid} reverses a decision of another company")
    if original["reverses"] is not None:
        problems.append(f"decision {rid} reverses a reversal")

    def shape(entry: dict, sign: int) -> tuple:
        return (entry["kind"], codec.normal(entry["key"]), entry["amount"] is None, entry["value"], sign)

    if [shape(e, -1) for e in ledger.entries(original["id"])] != [shape(e, e["sign"]) for e in mine]:
        problems.append(f"decision {rid}'s entries do not mirror decision {original['id']}'s")
    return problems


def _reversal_amounts(ledger: Ledger) -> list[str]:
    """Every reversal took out of each balance what was left of its decision there (`lots`), no more."""
    keys = ledger._q(
        "SELECT DISTINCT e.company, e.kind, e.key FROM bizops_entries e JOIN bizops_decisions d "
        "ON d.id = e.decision_id WHERE d.reverses IS NOT NULL AND e.amount IS NOT NULL"
    )
    problems = []
    for company, kind, key in sorted({(c, k, codec.normal(x)) for c, k, x in keys}):
        with ledger.guard():
            spellings = ledger.spellings(company, kind, key)
        rows = ledger._q(
            "SELECT e.decision_id, e.amount, d.reverses FROM bizops_entries e JOIN bizops_decisions d "
            "ON d.id = e.decision_id WHERE e.company = ? AND e.kind = ? AND e.amount IS NOT NULL "
            f"AND e.key IN ({', '.join('?' * len(spellings))}) ORDER BY e.id",
            (company, kind, *spellings),
        )
        try:
            _, wrong = replay((d, ledger.amount(a), r) for d, a, r in rows)
        except Exception:  # an amount that is not a number: `amounts` names it
            continue
        problems += [
            f"decision {r} changed {kind} {key} by {codec.amount_text(got)}, but {codec.amount_text(due)} "
            "was what was left of the decision it reverses"
            for r, got, due in wrong
        ]
    return problems


def _balances(ledger: Ledger) -> tuple[int, list[str]]:
    """Every balance as stored against what its entries add up to."""
    try:
        with ledger.guard():
            computed, _ = computed_balances(ledger)
    except LedgerError as exc:  # an entry that is not a number: `amounts` names it
        return 0, [str(exc.message)]
    stored = {(r["company"], r["kind"], r["key"]): r for r in ledger.table("bizops_balances", BALANCE_FIELDS)}
    problems = []
    for place in sorted(set(computed) | set(stored)):
        total, entries, value, ref = computed.get(place, (Decimal(0), 0, None, None))
        row = stored.get(place)
        if row is None:
            problems.append(f"balance {' '.join(place)} is missing")
            continue
        try:
            kept_total = Decimal(str(row["total"]))
        except InvalidOperation:
            kept_total = None
        kept_ref = None if row["value_decision"] is None else (int(row["value_decision"]), int(row["value_seq"]))
        if (kept_total, int(row["entries"]), row["value"], kept_ref) != (total, entries, value, ref):
            problems.append(
                f"balance {' '.join(place)} holds {row['total']} in {row['entries']} entries, "
                f"its entries add up to {codec.amount_text(total)} in {entries}"
                + ("" if (row["value"], kept_ref) == (value, ref) else "; its latest value differs")
            )
    return len(stored), problems


def _identities(ledger: Ledger) -> tuple[int, list[str]]:
    """Request ids against the decisions they point at, and standing decisions against their ids."""
    rows = ledger._q(
        "SELECT i.company, i.command, i.request_id, i.decision_id, d.company, d.command, d.request_id, "
        "(SELECT r.id FROM bizops_decisions r WHERE r.reverses = d.id) "
        "FROM bizops_identities i LEFT JOIN bizops_decisions d ON d.id = i.decision_id"
    )
    problems = []
    for company, command, request_id, decision_id, d_company, d_command, d_request, reversed_by in rows:
        where = f"{command} {request_id}"
        if d_company is None:
            problems.append(f"{where} points at decision {decision_id}, which does not exist")
        elif (d_company, d_command) != (company, command):
            problems.append(f"{where} points at decision {decision_id} of another company or command")
        elif reversed_by is not None:
            problems.append(f"{where} points at decision {decision_id}, reversed by {reversed_by}")
        elif d_request != request_id and not (d_request or "").startswith(RUN_PREFIX):
            problems.append(f"{where} points at decision {decision_id}, recorded for {d_request}")
    lost = ledger._q(
        "SELECT d.id, d.command, d.request_id FROM bizops_decisions d WHERE d.request_id IS NOT NULL "
        "AND d.request_id NOT LIKE ? AND NOT EXISTS (SELECT 1 FROM bizops_decisions r WHERE r.reverses = d.id) "
        "AND NOT EXISTS (SELECT 1 FROM bizops_identities i WHERE i.company = d.company "
        "AND i.command = d.command AND i.request_id = d.request_id AND i.decision_id = d.id)",
        (RUN_PREFIX + "%",),
    )
    problems += [f"decision {i} ({c} {r}) is not found by its request id" for i, c, r in lost]
    return len(rows), problems


def _policies(ledger: Ledger) -> tuple[int, list[str]]:
    import json

    from bizops.core.policy import fingerprint_of

    if ledger.version is None or ledger.version < POLICIES_SINCE:
        return 0, []
    rows = ledger._q("SELECT company, fingerprint, settings FROM bizops_policies ORDER BY company, fingerprint")
    problems = []
    for company, fingerprint, settings in rows:
        try:
            again = fingerprint_of(company, json.loads(settings))
        except (ValueError, AttributeError):
            again = "not JSON"
        if again != fingerprint:
            problems.append(f"policy {fingerprint} of {company}: its settings give {again}")
    return len(rows), problems
