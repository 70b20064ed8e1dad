"""Weekly production plans (二、生产计划流程): the effective plan per office and week.

Each office reports the week's needs by Monday 11:00; later in the week it
reports only changes and additions. The plan lines of one office and week are
merged in the order they were submitted: the earliest submission is the
first report, each later one a change.

A line is identified by (spec, length_m, project). `change` says what a line
does to the plan:

- `add`: a new line, or that much more of a line already planned;
- `set`: the line now reads so (qty, and notes when given); a line not yet in
  the plan is added, with a warning for the company clerk to check;
- `remove`: the line leaves the plan; removing a line that is not there is a
  bad row (the company clerk must ask the office what was meant).

Output: one row per remaining line, offices and weeks in order, lines in the
order they entered the plan, each with the submission it last came from
(`submitted_at`, `source` first_report | change) and `late` when that
submission was after the Monday cut-off.

The ledger keeps each office's week (kind `plan`, key `office|week`) as its
submissions and their effective plan: under `--record` it is stored, and a
later run that brings only the week's changes merges them onto the stored
submissions. A submission in the input replaces a stored one with the same
`submitted_at`, so recording the same input twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bizops.api import RowError, format_datetime, msg, parse_datetime

from .spec import PLAN_CHANGES, PLAN_DUE

HISTORY_KIND = "plan"
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Line:
    """One line of the plan as it stands."""

    spec: str
    length_m: Decimal
    project: str
    qty: Decimal
    notes: str | None
    submitted_at: datetime
    source: str
    late: bool
    warnings: list = field(default_factory=list)
    trace: list = field(default_factory=list)


def plan(requests, policy, context):
    """The effective plan per office and week, sorted by office then week."""
    weeks: dict[tuple[str, date], list[dict]] = {}
    for row, fields in requests:
        problem = invalid(fields)
        if problem is not None:
            yield RowError(problem, row)
            continue
        weeks.setdefault((fields["office"], fields["week"]), []).append({**fields, "row": row})
    for office, week in sorted(weeks):
        key = f"{office}|{week.isoformat()}"
        history = context.history
        submitted = with_stored(weeks[office, week], history.latest(HISTORY_KIND, key), context)
        deadline = datetime.combine(week, policy.plan_due)
        lines, errors = merge(submitted, deadline, context.explain)
        yield from errors
        if context.record:
            history.set(HISTORY_KIND, key, stored_form(submitted, lines))
        for line in lines:
            result = {
                "office": office,
                "week": week,
                "spec": line.spec,
                "length_m": line.length_m,
                "qty": line.qty,
                "project": line.project,
                "notes": line.notes,
                "late": line.late,
                "submitted_at": line.submitted_at,
                "source": line.source,
                "warnings": line.warnings,
            }
            if context.explain:
                result["trace"] = line.trace
            yield result


def invalid(fields: dict):
    """pile.plan.fields: `week` is a Monday, and a line that adds or sets states its quantity."""
    week = fields["week"]
    if week.weekday() != 0:
        return msg(
            "week must be the Monday's date; {w} is a {d}",
            "week 须为周一的日期；{w} 是{z}",
            w=week.isoformat(),
            d=_DAYS[week.weekday()],
            z="周" + "一二三四五六日"[week.weekday()],
        )
    if fields["change"] != "remove" and fields["qty"] is None:
        return msg("qty is required to {c} a plan line", "{c} 计划行须填计划用量 qty", c=fields["change"])
    return None


def merge(submitted: list[dict], deadline: datetime, explain: bool) -> tuple[list[Line], list[RowError]]:
    """pile.plan.changes and .due: apply the submissions in order onto the first report."""
    submitted = sorted(submitted, key=lambda line: line["submitted_at"])  # stable: input order within one
    first = submitted[0]["submitted_at"] if submitted else None
    plan: dict[tuple, Line] = {}
    errors: list[RowError] = []
    for item in submitted:
        at = item["submitted_at"]
        source = "first_report" if at == first else "change"
        late = at > deadline
        key = (item["spec"], item["length_m"], item["project"])
        change = item["change"]
        current = plan.get(key)
        if change == "remove":
            if current is not None:
                del plan[key]
            elif item["row"] is not None:  # a stored change was judged when it was recorded
                errors.append(
                    RowError(
                        msg(
                            "nothing to remove: {s} × {l} m for {p} is not in the plan of {o} for the week of {w}",
                            "无可取消：{o} {w} 当周计划中没有 {p} 的 {s} × {l} 米",
                            s=item["spec"],
                            l=item["length_m"],
                            p=item["project"],
                            o=item["office"],
                            w=item["week"].isoformat(),
                        ),
                        item["row"],
                    )
                )
            continue
        if current is None:
            current = plan[key] = Line(
                item["spec"], item["length_m"], item["project"], item["qty"], item["notes"], at, source, late
            )
            if change == "set" and source == "change":
                current.warnings.append(
                    msg(
                        "changed a line that was not in the plan: taken as an addition",
                        "变更的计划行原计划中没有：按新增处理",
                    )
                )
        else:
            if change == "add":
                if current.submitted_at == at:
                    current.warnings.append(
                        msg(
                            "listed twice in the report of {t}: quantities added",
                            "{t} 的上报中重复列出：数量已合计",
                            t=format_datetime(at),
                        )
                    )
                current.qty += item["qty"]
                current.notes = _notes(current.notes, item["notes"])
            else:
                current.qty = item["qty"]
                current.notes = item["notes"] or current.notes
            current.submitted_at, current.source, current.late = at, source, late
        if explain:
            current.trace.append(_trace(item, source, late, deadline, current.qty))
    return list(plan.values()), errors


def _notes(old: str | None, new: str | None) -> str | None:
    if not new or new == old:
        return old
    return f"{old}; {new}" if old else new


def _trace(item: dict, source: str, late: bool, deadline: datetime, qty: Decimal) -> dict:
    at = format_datetime(item["submitted_at"])
    if source == "first_report":
        when = (
            msg(
                "first report {t}, after the cut-off {d}: late",
                "首次上报 {t}，晚于截止时间 {d}：迟报",
                t=at,
                d=format_datetime(deadline),
            )
            if late
            else msg("first report {t}, in by {d}", "首次上报 {t}，在 {d} 前", t=at, d=format_datetime(deadline))
        )
        return PLAN_DUE.applied(msg("{w}: qty {q}", "{w}：计划用量 {q}", w=when, q=qty))
    return PLAN_CHANGES.applied(
        msg(
            "change {t} ({c} {n}): qty {q}",
            "变更 {t}（{c} {n}）：计划用量 {q}",
            t=at,
            c=item["change"],
            n=item["qty"],
            q=qty,
        )
    )


# -- the ledger's copy -------------------------------------------------------------------------


def with_stored(lines: list[dict], stored, context) -> list[dict]:
    """The input's lines after the stored submissions the input does not repeat."""
    if not stored:
        return lines
    office, week = lines[0]["office"], lines[0]["week"]
    repeated = {line["submitted_at"] for line in lines}
    try:
        earlier = [
            {
                "office": office,
                "week": week,
                "row": None,
                "submitted_at": at,
                "change": line["change"],
                "spec": line["spec"],
                "length_m": Decimal(line["length_m"]),
                "project": line["project"],
                "qty": None if line["qty"] is None else Decimal(line["qty"]),
                "notes": line["notes"],
            }
            for submission in stored["submissions"]
            if (at := parse_datetime(submission["submitted_at"])) not in repeated
            for line in submission["lines"]
        ]
    except (KeyError, TypeError, ValueError, ArithmeticError):
        context.warn(
            msg(
                "the ledger's plan of {o} for the week of {w} is unreadable; ignored",
                "账本中 {o} {w} 当周的计划无法读取，已忽略",
                o=office,
                w=week.isoformat(),
            )
        )
        return lines
    return earlier + lines


def stored_form(submitted: list[dict], lines: list[Line]) -> dict:
    """The week as JSON: its submissions (to merge later changes onto) and the effective plan."""
    submissions: dict[datetime, list] = {}
    for item in sorted(submitted, key=lambda line: line["submitted_at"]):
        submissions.setdefault(item["submitted_at"], []).append(
            {
                "change": item["change"],
                "spec": item["spec"],
                "length_m": str(item["length_m"]),
                "qty": None if item["qty"] is None else str(item["qty"]),
                "project": item["project"],
                "notes": item["notes"],
            }
        )
    return {
        "submissions": [{"submitted_at": format_datetime(at), "lines": items} for at, items in submissions.items()],
        "plan": [
            {
                "spec": line.spec,
                "length_m": str(line.length_m),
                "qty": str(line.qty),
                "project": line.project,
                "notes": line.notes,
                "late": line.late,
                "submitted_at": format_datetime(line.submitted_at),
                "source": line.source,
            }
            for line in lines
        ],
    }
