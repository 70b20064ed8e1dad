"""The day's fixed checks (`bizops flights checklist`, or `flights triage --checklist`).

    check                days of  opens               due by            seed item
    key_flights          key      day_start           start_checks_by   1  first thing (then all day)
    near_flights         near     day_start           start_checks_by   1  first thing
    horizon_first_pass   horizon  day_start           first_pass_by     3  before noon
    revenue_system       -        revenue_check_from  day_end           11 after 13:00, in MIS
    horizon_second_pass  horizon  first_pass_by       day_end           4  before the end of the day
    b2b_groups           -        first_pass_by       day_end           9  before the end of the day

Times are the policy's, on the day of --at. A check is `upcoming` before it
opens, `due` from its opening until its time limit and `overdue` from the limit
on: "before 12:00" is overdue at 12:00, "after 13:00" is due at 13:00. The
checklist does not know what was done; overdue means "if not done yet". The
second pass opens when the first one's time is up, as does the B2B check of
the day's groups (the afternoon's work).
"""

from __future__ import annotations

from datetime import datetime

from bizops.api import ConfigError, msg

from .watch import tier_bounds

#: (check, tier whose days it covers, setting it opens at, setting it is due by), in the day's order.
CHECKS = (
    ("key_flights", "key", "day_start", "start_checks_by"),
    ("near_flights", "near", "day_start", "start_checks_by"),
    ("horizon_first_pass", "horizon", "day_start", "first_pass_by"),
    ("revenue_system", None, "revenue_check_from", "day_end"),
    ("horizon_second_pass", "horizon", "first_pass_by", "day_end"),
    ("b2b_groups", None, "first_pass_by", "day_end"),
)


def state_at(at: datetime, opens: datetime, due_by: datetime) -> str:
    """upcoming before `opens`, due until `due_by`, overdue from `due_by` on."""
    if at < opens:
        return "upcoming"
    if at < due_by:
        return "due"
    return "overdue"


def tier_days(policy) -> dict[str, str]:
    """Each tier's window in days (`0-3`), from the policy's bounds."""
    days, first = {}, 0
    for tier, last in tier_bounds(policy):
        days[tier] = f"{first}-{last}"
        first = last + 1
    return days


def checklist(policy, at: datetime) -> list[dict]:
    """The day's checks with their times on --at's day and their state at --at."""
    days = tier_days(policy)
    day = at.date()
    rows: list[dict] = []
    for check, tier, opens_at, due_at in CHECKS:
        opens = datetime.combine(day, policy[opens_at])
        due_by = datetime.combine(day, policy[due_at])
        if opens >= due_by:
            raise ConfigError(
                msg(
                    "[company.airline] {c} would never be due: {o} ({ov:%H:%M}) must be before {d} ({dv:%H:%M})",
                    "[company.airline] {c} 永远不会到期：{o}（{ov:%H:%M}）必须早于 {d}（{dv:%H:%M}）",
                    c=check,
                    o=opens_at,
                    ov=opens,
                    d=due_at,
                    dv=due_by,
                )
            )
        rows.append(
            {
                "check": check,
                "days": days[tier] if tier else None,
                "opens": opens,
                "due_by": due_by,
                "state": state_at(at, opens, due_by),
                "warnings": [],
            }
        )
    return rows
