"""The daily flight watch (`bizops flights triage`), seed items 1–4, 8–11 and 14.

    days_out   = departure date − the date of --at, in calendar days
    tier       = key (0–3), near (4–7), dynamic (8–15), horizon (16–30)     airline.watch.tiers
                 gone (left before --at), beyond (more than 30 days out)
    completion = revenue / target; below completion_alert: review_revenue  airline.watch.revenue
    groups on a flight 0–7 days out: follow_up_groups                       airline.watch.groups
    status anomaly: declare_anomaly                                         airline.watch.anomaly

Bounds are the policy's. A departure given as a date only leaves some time
that day, so it is gone only once the day is over; one with a time is gone
from the minute after it (a flight leaving exactly at --at is still listed).
Gone and beyond flights are left out unless --all; listed, they carry only
`declare_anomaly` (an anomaly is declared whenever it is known), since the
revenue and group follow-ups are the watch's, which ends at 30 days.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bizops.api import (
    BadValue,
    ConfigError,
    RowError,
    Text,
    format_datetime,
    msg,
    parse_date,
    parse_datetime,
    round_to,
)

from .spec import ANOMALY, COMPANY, GROUPS, REVENUE, TIERS

WATCHED = ("key", "near", "dynamic", "horizon")
#: The order the sales staff work through the tiers (gone and beyond only with --all).
RANK = {tier: rank for rank, tier in enumerate(WATCHED + ("beyond", "gone"))}
_BOUND_NAMES = ("key_max_days", "near_max_days", "dynamic_max_days", "horizon_max_days")
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Watch:
    """The policy and options one triage runs with, read once."""

    at: datetime
    bounds: tuple[tuple[str, int], ...]  # (tier, last day out), most urgent first
    group_days: int
    alert: Decimal
    show_all: bool
    explain: bool


def watch_of(policy, context) -> Watch:
    return Watch(
        at=context.options["at"],  # typed by the core; --now, else the clock, when not given
        bounds=tier_bounds(policy),
        group_days=policy.group_follow_up_max_days,
        alert=policy.completion_alert,
        show_all=context.options["all"],
        explain=context.explain,
    )


def tier_bounds(policy) -> tuple[tuple[str, int], ...]:
    """The tiers' last days out; each tier must reach further than the one before."""
    days = tuple(policy[name] for name in _BOUND_NAMES)
    if any(a >= b for a, b in itertools.pairwise(days)):
        raise ConfigError(
            msg(
                "[company.airline] the tier bounds must rise: {n}, got {d}",
                "[company.airline] 各档天数必须递增：{n}，实际为 {d}",
                n=" < ".join(_BOUND_NAMES),
                d=", ".join(map(str, days)),
            )
        )
    return tuple(zip(WATCHED, days))


def parse_departure(raw: str) -> date | datetime:
    """A date (leaves that day) or a date and time."""
    try:
        return parse_date(raw)
    except BadValue:
        pass
    try:
        return parse_datetime(raw)
    except BadValue:
        raise RowError(
            msg(
                'departure must be a date YYYY-MM-DD or a date and time YYYY-MM-DDTHH:MM, got "{v}"',
                '起飞 departure 必须是日期 YYYY-MM-DD 或日期时间 YYYY-MM-DDTHH:MM，实际为 "{v}"',
                v=raw,
            )
        ) from None


def is_gone(departure: date | datetime, at: datetime) -> bool:
    """Gone: a timed departure before --at, a dated one on a day before --at's."""
    if isinstance(departure, datetime):
        return departure < at
    return departure < at.date()


def tier_of(departure: date | datetime, days_out: int, watch: Watch) -> str:
    """airline.watch.tiers: the most urgent tier whose window holds the flight."""
    if is_gone(departure, watch.at):
        return "gone"
    for tier, last in watch.bounds:
        if days_out <= last:
            return tier
    return "beyond"


def flight_key(flight_no: str) -> tuple:
    """Flight numbers in natural order: CA953 before CA1602."""
    parts = _DIGITS.split(flight_no.upper())
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def assess(fields: dict, watch: Watch) -> tuple[tuple, dict] | None:
    """One flight's row and its sort key, or None when the watch leaves it out."""
    departure = parse_departure(fields["departure"])
    day = departure.date() if isinstance(departure, datetime) else departure
    days_out = (day - watch.at.date()).days
    tier = tier_of(departure, days_out, watch)
    if tier not in WATCHED and not watch.show_all:
        return None
    sold, capacity = fields["sold"], fields["capacity"]
    revenue, target = fields["revenue"], fields["target_revenue"]
    warnings = []
    if sold > capacity:
        warnings.append(msg("overbooked", "超售"))
    trace: list = []
    actions = []
    watched = tier in WATCHED
    if watched and revenue_below(revenue, target, watch, trace):
        actions.append("review_revenue")
    if watched and groups_due(fields["groups"], days_out, watch, trace):
        actions.append("follow_up_groups")
    if anomaly_declared(fields["status"], watch, trace):
        actions.append("declare_anomaly")
    result = {
        "flight_no": fields["flight_no"],
        "route": fields["route"],
        "departure": format_datetime(departure) if isinstance(departure, datetime) else departure.isoformat(),
        "days_out": days_out,
        "tier": tier,
        "load_factor": round_to(Decimal(sold) / Decimal(capacity), 4),
        "revenue_completion": round_to(revenue / target, 4),
        "revenue_gap": target - revenue,
        "actions": actions,
        "warnings": warnings,
    }
    if watch.explain:
        result["trace"] = [tier_trace(tier, days_out, watch)] + trace
    return (RANK[tier], days_out, flight_key(fields["flight_no"])), result


def revenue_below(revenue: Decimal, target: Decimal, watch: Watch, trace: list) -> bool:
    """airline.watch.revenue: revenue / target below the alert, compared exactly (not the rounded ratio)."""
    below = revenue < watch.alert * target
    if watch.explain:
        ratio = round_to(revenue / target, 4)
        trace.append(
            REVENUE.applied(
                msg(
                    "{r} / {t} = {c}, below the alert {a}: review the revenue",
                    "{r} / {t} = {c}，低于预警值 {a}：复核收入",
                    r=revenue,
                    t=target,
                    c=ratio,
                    a=watch.alert,
                )
                if below
                else msg(
                    "{r} / {t} = {c}, not below the alert {a}",
                    "{r} / {t} = {c}，不低于预警值 {a}",
                    r=revenue,
                    t=target,
                    c=ratio,
                    a=watch.alert,
                )
            )
        )
    return below


def groups_due(groups: int, days_out: int, watch: Watch, trace: list) -> bool:
    """airline.watch.groups: unconfirmed groups on a flight 0–7 days out are followed up."""
    if not groups:
        return False
    due = 0 <= days_out <= watch.group_days
    if watch.explain:
        trace.append(
            GROUPS.applied(
                msg("{g} group(s) {d} days out: follow up", "{g} 个团队，距起飞 {d} 天：跟踪落实", g=groups, d=days_out)
                if due
                else msg(
                    "{g} group(s) {d} days out: not yet ({m} days or less)",
                    "{g} 个团队，距起飞 {d} 天：暂不跟踪（{m} 天内才跟踪）",
                    g=groups,
                    d=days_out,
                    m=watch.group_days,
                )
            )
        )
    return due


def anomaly_declared(status: str, watch: Watch, trace: list) -> bool:
    """airline.watch.anomaly: an abnormal flight is declared (航班异常申报) in the revenue system."""
    if status != "anomaly":
        return False
    if watch.explain:
        trace.append(
            ANOMALY.applied(
                msg("flight status anomaly: declare it in the revenue system", "航班异常：在 MIS 系统进行航班异常申报")
            )
        )
    return True


def tier_trace(tier: str, days_out: int, watch: Watch) -> dict:
    if tier == "gone":
        effect = msg("left before {a}: gone", "已于 {a} 前起飞", a=format_datetime(watch.at))
    elif tier == "beyond":
        effect = msg(
            "{d} days out: beyond the {m}-day watch",
            "距起飞 {d} 天：超出 {m} 天观察期",
            d=days_out,
            m=watch.bounds[-1][1],
        )
    else:
        first = 0
        for name, last in watch.bounds:
            if name == tier:
                break
            first = last + 1
        effect = Text(
            f"{days_out} days out: {tier} ({first}-{last} days)",
            f"距起飞 {days_out} 天：{COMPANY.labels[tier][0]}（{first}-{last} 天）",
        )
    return TIERS.applied(effect)


def triage(requests, policy, context):
    """The watch over a stream of flights: errors as they come, then the rows in working order."""
    watch = watch_of(policy, context)
    listed = []
    for row, fields in requests:
        try:
            assessed = assess(fields, watch)
        except RowError as exc:
            exc.row = row
            yield exc
            continue
        if assessed is not None:
            listed.append(assessed)
    listed.sort(key=lambda pair: pair[0])  # stable: same flight and day keep input order
    for _, result in listed:
        yield result
