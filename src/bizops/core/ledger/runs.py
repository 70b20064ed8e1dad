"""`--record` of an aggregate command (score): one transaction per run, the run as the unit of identity.

The plugin scores all events in one call; every scorecard it yields is
stored as a decision. Entries written before a scorecard is returned belong
to it (a plugin sets a scorecard's history just before yielding it); entries
written after the last one belong to the last. Each decision's inputs are
the events that agree with it on the text fields both carry (`person`, …):
an aggregate's numbers are sums, not keys.

With event ids (`event_id` for the built-in scores) the run is the unit: if
every event was recorded before with the same inputs, the recorded
scorecards are shown again and nothing is recorded; any other set is scored
and recorded (its scorecards replace the months' earlier ones, as
recording a month again always did). An event repeated in the file counts
once (with other inputs it is a bad row); an event recorded before with
other inputs makes the run refused (shown, not recorded, exit 1) unless
`--amend` reverses the runs holding it first. `recorder` is the
`record.Recorder` of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bizops.core.errors import RowError
from bizops.core.i18n import Text, msg
from bizops.core.ledger import codec
from bizops.core.ledger.replay import recorded_result
from bizops.core.ledger.store import RUN_PREFIX, Known
from bizops.core.signals import held


def record_run(recorder, process, requests: Iterator) -> list | None:
    """Score the whole run and record its scorecards in one transaction; the outcomes (None: no hook answered)."""
    events = list(requests)  # read and checked first: whether the run is new is a question about all of it
    books, tally = recorder.books, recorder.tally
    books.begin()
    try:
        recorder.stamp()
        events, errors = _keyable(recorder, events)
        events, run, ids, repeated = _run_identity(recorder, events)
        errors += repeated
        answer = _recorded_run(recorder, ids, events) if run is not None else None
        recorded = 0
        if answer is None:
            answer, recorded = _score(recorder, process, events, run, ids)
        if answer is None:
            books.rollback()
            return None
        with held():  # committed and counted together, whenever Ctrl-C comes
            books.commit()
            tally.recorded += recorded
            tally.without_id += recorded if run is None else 0
            tally.complete = True
    except BaseException:
        books.rollback()
        raise
    finally:
        recorder.close()
    tally.summary(recorder.warn)
    return errors + answer


def _keyable(recorder, events: list) -> tuple[list, list]:
    """The events whose id and customer the ledger can key by, and the errors of those it cannot
    (`Recorder.too_long`): an invoice's customer pasted over and over is its row's error, not the run's."""
    kept, errors = [], []
    for row, fields in events:
        too_long = recorder.too_long(recorder.identity.of(fields), fields)
        if too_long is None:
            kept.append((row, fields))
        else:
            errors.append(too_long.at(row))
    return kept, errors


def _run_identity(recorder, events: list) -> tuple[list, str | None, list, list]:
    """The events to score, the run's key and (id, digest) pairs, and the events refused as repeats.

    An event repeating an earlier one's id with other inputs is a bad row;
    with the same inputs it counts once. An event without an id leaves
    the run without a key: it is recorded as events without ids are.
    """
    identity = recorder.identity
    if not identity.field or not events or any(identity.of(f) is None for _, f in events):
        return events, None, [], []
    seen: dict[str, tuple] = {}
    kept, ids, errors = [], [], []
    for row, fields in events:
        request_id = str(identity.of(fields))  # every event has one (checked above)
        digest = identity.digest(codec.plain(fields))
        if request_id in seen:
            if seen[request_id][1] != digest:
                errors.append(
                    RowError(
                        msg(
                            "{f} {i} was given to row {o} with other inputs; give each event its own {f}",
                            "{f} {i} 已用于第 {o} 行且输入不同；每个事件须有自己的 {f}",
                            f=identity.field,
                            i=request_id,
                            o=seen[request_id][0],
                        ),
                        row,
                    )
                )
            continue  # the same event twice counts once
        seen[request_id] = (row, digest)
        kept.append((row, fields))
        ids.append((request_id, digest))
    return kept, RUN_PREFIX + codec.digest(sorted(ids)), ids, errors


def _recorded_run(recorder, ids: list, events: list) -> list | None:
    """Every event recorded before with the same inputs: the recorded scorecards again, nothing recorded."""
    known = recorder.books.known(recorder.command, [i for i, _ in ids])
    if len(known) != len(ids) or _conflicts(recorder, ids, events):
        return None
    runs = list(dict.fromkeys(k.run for k in known.values() if k.run))
    decisions = [d for key in runs for d in recorder.ledger.run_decisions(recorder.company, recorder.command, key)]
    if not decisions:
        return None
    recorder.tally.replayed += len(decisions)
    return [
        recorded_result(
            Known(d["id"], None, d["outputs"], d["outputs_zh"], d["decided_at"], d["user_name"], d["request_id"]),
            recorder.columns,
        )
        for d in decisions
    ]


def _score(recorder, process, events: list, run: str | None, ids: list) -> tuple[list | None, int]:
    """Score the run and record its scorecards; refused (shown, not recorded) if an id holds other inputs."""
    books = recorder.books
    conflicts = _conflicts(recorder, ids, events)
    if conflicts and recorder.amend:
        _reverse_runs(recorder, conflicts)
        conflicts = []
    books.start_row()
    answer = process(iter(events))
    if answer is None:
        return None, 0
    produced: list[tuple[Any, list]] = []
    for outcome in answer:
        if type(outcome) is dict:
            produced.append((outcome, books.row_entries))
            books.row_entries = []
        else:
            produced.append((outcome, []))
    results = [pair for pair in produced if type(pair[0]) is dict]
    if results:
        results[-1][1].extend(books.row_entries)
    outcomes = [outcome for outcome, _ in produced]
    if conflicts:
        books.undo_row()
        for result, _ in results:
            result["status"] = "refused"  # not a column of a scorecard: it makes the exit code 1
            result["warnings"] = list(result.get("warnings") or []) + [
                _not_recorded(recorder.identity.field, conflicts)
            ]
        return outcomes, 0
    keys = [f.name for f in recorder.spec.inputs if f.kind in ("text", "enum", "date")]
    reads, identities = books.row_reads, list(ids)
    for result, entries in results:
        mine = _events_of(result, events, keys)
        books.row_entries, books.row_reads = entries, reads
        inputs = codec.dumps(codec.plain({"events": [f for _, f in mine]}), sort=False)
        if recorder.store(_rows_label(mine), {}, inputs, result, run, None, identities, moved=True) is None:
            books.undo_row()
            return outcomes, 0  # the stream reports the result that cannot be stored
        identities = []  # the run's events point at its first scorecard
    books.keep_row()
    return outcomes, len(results)


def _conflicts(recorder, ids: list, events: list) -> list[tuple[str, Known]]:
    """The events recorded before with other inputs, with what holds them.

    A digest that differs is read against the event as its run recorded it
    (`Identity.same_inputs`: a person's name spaced otherwise, `5` for
    `5.00`, is the same event), as a decision command's row is (`Recorder`).
    """
    if not ids:
        return []
    known = recorder.books.known(recorder.command, [i for i, _ in ids])
    differing = [(i, known[i]) for i, d in ids if i in known and known[i].digest != d]
    if not differing:
        return []
    identity = recorder.identity
    recorded = _recorded_events(recorder, {k.run for _, k in differing if k.run})
    given = {str(identity.of(fields)): fields for _, fields in events}
    return [(i, k) for i, k in differing if i not in recorded or not identity.same_inputs(recorded[i], given[i])]


def _recorded_events(recorder, runs: set[str]) -> dict[str, dict]:
    """The events of recorded runs, by id, as their scorecards keep them (JSON form)."""
    found: dict[str, dict] = {}
    for run in sorted(runs):
        for decision in recorder.ledger.run_decisions(recorder.company, recorder.command, run):
            inputs = codec.plain_loads(decision["inputs"])
            for event in inputs.get("events", []) if type(inputs) is dict else []:
                request_id = recorder.identity.of(event) if type(event) is dict else None
                if request_id is not None:
                    found.setdefault(request_id, event)
    return found


def _reverse_runs(recorder, conflicts: list) -> None:
    """--amend for an aggregate: reverse every standing scorecard of the runs holding the conflicting events."""
    for decision_id in sorted({k.decision_id for _, k in conflicts}):
        run = recorder.ledger.decision(decision_id)["request_id"]
        for decision in recorder.ledger.run_decisions(recorder.company, recorder.command, run):
            recorder.books.reverse(
                decision["id"],
                f"--amend: {recorder.identity.field}s recorded again",
                recorder.meta["decided_at"],
                dict(recorder.by, recorded_at=recorder.meta["recorded_at"]),
            )


def _not_recorded(field: str, conflicts: list) -> Text:
    (request_id, known), *_ = conflicts
    return msg(
        "not recorded: {f} {i} was recorded in decision {d} with other inputs; reverse it "
        "(bizops ledger reverse {d}) or record with --amend",
        "未记录：{f} {i} 已在决定 {d} 中以不同输入记录；请冲销（bizops ledger reverse {d}）或加 --amend 记录",
        f=field,
        i=request_id,
        d=known.decision_id,
    )


def _events_of(result: dict, events: list[tuple], keys: list[str]) -> list[tuple]:
    """The events behind one aggregate row: those agreeing with it on every field both carry.

    A field an event leaves empty agrees with whatever the row shows there: an invoice without a due
    date is aged to the one its terms give, and one without a salesperson shows the customer's owner
    (9 of the example's 23 invoices were recorded without their inputs or rows).
    """
    shared = [k for k in keys if k in result and k != "company"]
    if not shared:
        return events
    return [(row, f) for row, f in events if all(f.get(k) in (None, result[k]) for k in shared)]


def _rows_label(events: list[tuple]) -> str | None:
    rows = [str(row) for row, _ in events]
    if not rows:
        return None
    return rows[0] if len(rows) == 1 else f"{rows[0]}…{rows[-1]}"
