"""After the trip (四, 五 3): the paperwork due and the absence flag. Flags do not change the money."""

from __future__ import annotations

from datetime import date, timedelta

from bizops.api import RowError, msg

from .spec import DAYS, REPORTS
from .trip import Book, trip_name


def absence(days: int, limit: int, excused: bool, book: Book) -> list[str]:
    """pv.claim.days: a trip over 4 days in province or 5 out of it counts as absence, unless excused."""
    if days <= limit:
        return []
    if excused:
        book.why(
            DAYS,
            "{d} days is over {a}, excused by the general manager",
            "{d} 天超过 {a} 天，经总经理特批",
            d=days,
            a=limit,
        )
        return []
    book.why(DAYS, "{d} days is over {a}: absence", "{d} 天超过 {a} 天：按旷工处理", d=days, a=limit)
    return ["absence"]


def paperwork(fields: dict, kind: str, policy, book: Book) -> list[str]:
    """pv.claim.reports: the trip report within 3 days of the return (the third included), a signed
    feedback form for a visit, a market analysis for a new-market trip."""
    flags = []
    try:
        due: date = fields["return"].date() + timedelta(days=policy.report_days)
    except OverflowError:  # a return on 9999-12-31: the input's date leaves the calendar, not the rule
        raise RowError(
            trip_name(fields)
            + msg(
                "the trip report is due {n} days after the return {r}, past 9999-12-31, the last date bizops can write",
                "出差报告应于返回日 {r} 后 {n} 天内提交，超过 9999-12-31（可写出的最后日期）",
                n=policy.report_days,
                r=fields["return"].date().isoformat(),
            )
        ) from None
    submitted = fields["report_submitted"]
    if submitted is None:
        flags.append("report_missing")
        book.why(REPORTS, "no trip report handed in (due {d})", "未交出差总结报告（应于 {d} 前）", d=due)
    elif submitted > due:
        flags.append("report_late")
        book.why(REPORTS, "trip report handed in {s}, after {d}", "出差总结报告 {s} 提交，晚于 {d}", s=submitted, d=due)
    else:
        book.why(REPORTS, "trip report handed in {s}, by {d}", "出差总结报告 {s} 提交，未超过 {d}", s=submitted, d=due)
    if kind == "visit" and fields["feedback_forms"] < 1:
        flags.append("feedback_form_missing")
        book.why(REPORTS, "no customer-signed feedback form", "没有客户签名的客户拜访反馈表")
    if kind == "new_market" and not fields["market_report"]:
        flags.append("market_report_missing")
        book.why(REPORTS, "no new-market analysis report", "没有新市场分析报告")
    return flags
