"""Dispatch requests (报桩, 退桩, 转桩, 烂桩): one decision per request.

A request goes salesperson → office clerk → company clerk → dispatch. An
abnormal dispatch, or one with incomplete paperwork, waits for the department
manager: without `manager_approved` it is refused, and `fine_exposure` says
who would be fined, and how much, if it were dispatched anyway. Otherwise it
is scheduled into a batch (see `batches`).
"""

from __future__ import annotations

from bizops.api import RowError, Text, format_datetime, msg, render

from .batches import batch_for, cutoffs
from .fines import fine_ranges
from .spec import ABNORMAL, FINE_RULES, PAPERWORK, ROUTE, ROUTE_STEPS, SMS, WINDOWS


class Dispatcher:
    """Decides one request at a time with the policy's windows and fines, read once."""

    def __init__(self, policy, context):
        self.windows = cutoffs(policy)
        self.fines = fine_ranges(policy)
        self.explain = context.explain

    def decide(self, request: dict) -> dict:
        warnings: list = []
        trace: list = []
        if self.explain:
            trace.append(
                ROUTE.applied(
                    msg(
                        "route: salesperson → office clerk → company clerk → dispatch",
                        "流程：业务员—办事处内勤—公司内勤—安排计划发货",
                    )
                )
            )
        self.channel(request, warnings, trace)
        if not request["items"]:
            warnings.append(
                msg(
                    "no piles listed (in CSV, the rows of one request share its request_id)",
                    "未列出桩明细（CSV 中同一报桩单的各行须填相同的 request_id）",
                )
            )
        result = {
            "request_id": request["request_id"],
            "site": request["site"],
            "office": request["office"],
            "kind": request["kind"],
            "route": list(ROUTE_STEPS),
            "warnings": warnings,
        }
        reasons, exposure = self.approvals(request, trace)
        if reasons:
            result.update(
                decision="refused",
                status="refused",
                reason=_joined(reasons),
                batch=None,
                rolled_over=None,
                fine_exposure=exposure,
            )
        else:
            batch, rolled_over = self.schedule(request, warnings, trace)
            result.update(
                decision="scheduled", status="ok", reason=None, batch=batch, rolled_over=rolled_over, fine_exposure=[]
            )
        if self.explain:
            result["trace"] = trace
        return result

    def channel(self, request: dict, warnings: list, trace: list) -> None:
        """pile.dispatch.sms: requests go by SMS; an oral one is taken, at the salesperson's risk."""
        if request["channel"] == "oral":
            warnings.append(
                msg(
                    "oral request: errors in it are the salesperson's responsibility",
                    "口头报桩：出现错误的责任由业务员承担",
                )
            )
        if self.explain:
            trace.append(
                SMS.applied(
                    msg("reported orally: the salesperson answers for errors", "口头报桩：错误由业务员负责")
                    if request["channel"] == "oral"
                    else msg("reported by SMS", "短信报桩")
                )
            )

    def approvals(self, request: dict, trace: list) -> tuple[list[Text], list[dict]]:
        """pile.dispatch.abnormal and .paperwork: what waits for the department manager, and the fines at stake.

        One `manager_approved` covers both rules.
        """
        reasons: list[Text] = []
        exposure: list[dict] = []
        approved = request["manager_approved"]
        if request["abnormal"]:
            if approved:
                if self.explain:
                    trace.append(
                        ABNORMAL.applied(
                            msg("abnormal dispatch approved by the department manager", "非正常发桩已经部门经理批准")
                        )
                    )
            else:
                reasons.append(
                    msg(
                        "an abnormal dispatch needs the department manager's approval, asked by the "
                        "office director, before it is reported",
                        "非正常发桩须由办事处主任请示部门经理，批准后方可报桩",
                    )
                )
                exposure.append(self.exposure("office_clerk", "unapproved_abnormal"))
                if self.explain:
                    trace.append(
                        ABNORMAL.applied(
                            msg(
                                "abnormal dispatch without approval: refused; the office clerk would be fined",
                                "非正常发桩未经批准：拒绝；办事处内勤将被罚款",
                            )
                        )
                    )
        missing = _missing_paperwork(request)
        if missing:
            listed = _joined(missing, ", ", "、")
            if approved:
                if self.explain:
                    trace.append(
                        PAPERWORK.applied(
                            Text(
                                f"paperwork incomplete ({listed}); the department manager agreed",
                                f"手续不全（{render(listed, 'zh')}）；部门经理已同意",
                            )
                        )
                    )
            else:
                reasons.append(
                    Text(
                        f"paperwork incomplete ({listed}): dispatch needs the department manager's approval",
                        f"手续不全（{render(listed, 'zh')}）：须经部门经理同意方可发桩",
                    )
                )
                exposure.append(self.exposure("dispatcher", "private_dispatch"))
                if self.explain:
                    trace.append(
                        PAPERWORK.applied(
                            msg(
                                "paperwork incomplete without approval: refused; the dispatcher would be fined",
                                "手续不全且未经同意：拒绝；公司调度将被罚款",
                            )
                        )
                    )
        return reasons, exposure

    def exposure(self, who: str, code: str) -> dict:
        low, high = self.fines[code]
        return {"who": who, "min": low, "max": high, "rule": FINE_RULES[code].id}

    def schedule(self, request: dict, warnings: list, trace: list):
        """pile.dispatch.windows: the batch; a wanted day already past counts as the submission day."""
        submitted = request["submitted_at"]
        day = submitted.date()
        wanted = request["for_date"] or day
        if wanted < day:
            warnings.append(
                msg(
                    "for_date {w} is already past: scheduled as if for {d}",
                    "要桩日期 {w} 已过：按报桩当天 {d} 安排",
                    w=wanted.isoformat(),
                    d=day.isoformat(),
                )
            )
            wanted = day
        try:
            batch, rolled_over = batch_for(submitted, wanted, self.windows)
        except OverflowError:  # after the last cut-off of 9999-12-31: the input's date leaves the calendar
            raise RowError(
                msg(
                    "submitted_at {s} is after the day's last cut-off, and the next day is past 9999-12-31, "
                    "the last date bizops can write",
                    "报桩时间 {s} 晚于当天最后截止时间，次日已超过 9999-12-31（可写出的最后日期）",
                    s=format_datetime(submitted),
                )
            ) from None
        if self.explain:
            if rolled_over:
                effect = msg(
                    "after the day's last cut-off: rolled over to {b}",
                    "晚于当天最后截止时间：顺延至 {b}",
                    b=batch.isoformat(" ", "minutes"),  # not strftime: its %Y writes the year 1 as 1
                )
            elif wanted > day:
                effect = msg(
                    "for {w}: that day's first batch, {b}",
                    "要桩日期 {w}：排入当天第一批 {b}",
                    w=wanted.isoformat(),
                    b=batch.isoformat(" ", "minutes"),  # not strftime: its %Y writes the year 1 as 1
                )
            else:
                effect = msg("in by the {b:%H:%M} cut-off", "在 {b:%H:%M} 截止前报到", b=batch)
            trace.append(WINDOWS.applied(effect))
        return batch, rolled_over


def _missing_paperwork(request: dict) -> list[Text]:
    """手续不全: contract unsigned but test piles wanted, power of attorney or supplementary agreement unfinished."""
    missing = []
    if not request["contract_signed"] and request["test_piles"]:
        missing.append(msg("contract not signed but test piles wanted", "未签订合同需发试桩"))
    if not request["power_of_attorney_complete"]:
        missing.append(msg("power of attorney incomplete", "委托书未完善"))
    if not request["supplementary_agreement_complete"]:
        missing.append(msg("supplementary agreement incomplete", "补充协议未完善"))
    return missing


def _joined(texts: list[Text], en: str = "; ", zh: str = "；") -> Text:
    return Text(en.join(texts), zh.join(render(t, "zh") for t in texts))
