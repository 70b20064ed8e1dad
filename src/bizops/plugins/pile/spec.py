"""What the pile factory declares: settings, inputs, outputs, rules, labels.

Seed `000_58b8834288199564.txt`, 业务流程日常工作操作规范 (lines 325-347):
一、报桩流程 (dispatch requests and their fines) and 二、生产计划流程 (weekly plans).
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from bizops.core.schema import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "pile"
VERSION = "0.1.0"

#: 业务员 → 办事处内勤 → 公司内勤 → 安排计划发货
ROUTE_STEPS = ("salesperson", "office_clerk", "company_clerk", "dispatch")

# -- rules (id, seed clause) ----------------------------------------------------
ROUTE = Rule(
    "pile.dispatch.route",
    "000 一、报桩流程",
    "salesperson → office clerk → company clerk → dispatch",
    "业务员—办事处内勤—公司内勤—安排计划发货",
)
SMS = Rule(
    "pile.dispatch.sms",
    "000 一、注意事项",
    "requests go by SMS; errors in an oral request are the salesperson's",
    "业务员报桩均以短信方式，口头报桩出现错误的责任由业务员承担",
)
WINDOWS = Rule(
    "pile.dispatch.windows",
    "000 一、报桩时间规定",
    "batches due 09:00, 11:00, 15:00, 17:00; later "
    "requests roll over; the next morning's plans may be sent the day before by 17:00",
    "9:00、11:00、15:00、17:00 前报完，超时顺延；第二天上午的计划可在前一天 17:00 前报回",
)
ABNORMAL = Rule(
    "pile.dispatch.abnormal",
    "000 一、非正常发桩",
    "an abnormal dispatch is reported only after the department manager approves it",
    "《非正常发桩》须经部门经理批准后方可报桩",
)
PAPERWORK = Rule(
    "pile.dispatch.paperwork",
    "000 一、手续不全",
    "incomplete paperwork ships only with the department manager's consent",
    "手续不全须经部门经理同意方可发桩",
)

FINE_CLAUSES = {
    "route_violation": ("000 一、处罚", "breaking the dispatch route", "违反报桩流程"),
    "unapproved_abnormal": (
        "000 一、非正常发桩",
        "abnormal dispatch reported without approval",
        "未经批准报非正常发桩",
    ),
    "private_dispatch": ("000 一、手续不全", "dispatch with incomplete paperwork, unapproved", "手续不全私自发桩"),
    "data_error": ("000 一、数据有误", "wrong data in a request", "报桩数据有误"),
    "missed_plan": ("000 一、漏下发桩计划", "the company dispatcher missed a plan", "公司调度漏下发桩计划"),
    "wrong_plan": ("000 一、下错计划", "the company dispatcher issued a wrong plan", "公司调度下错计划"),
}
FINE_RULES = {code: Rule(f"pile.fine.{code}", clause, en, zh) for code, (clause, en, zh) in FINE_CLAUSES.items()}
FINE_DEFAULTS = {
    "route_violation": (10, 50),
    "unapproved_abnormal": (50, 100),
    "private_dispatch": (50, 100),
    "data_error": (50, 100),
    "missed_plan": (50, 100),
    "wrong_plan": (100, 200),
}

PLAN_DUE = Rule(
    "pile.plan.due",
    "000 二、生产计划流程",
    "offices report the week's production needs by Monday 11:00",
    "办事处每周一上午 11:00 前上报本周生产计划",
)
PLAN_CHANGES = Rule(
    "pile.plan.changes",
    "000 二、注意事项",
    "later in the week only changes and additions are reported, merged onto the first report",
    "本周内的变更或增加只报变更、增加的内容",
)
PLAN_FIELDS = Rule(
    "pile.plan.fields",
    "000 二、生产计划流程",
    "a plan line states spec, length, quantity and project",
    "计划须报规格型号、桩长、计划用量、工程名称",
)

# -- policy ------------------------------------------------------------------------
SETTINGS = (
    Setting(
        "windows",
        "time",
        (time(9), time(11), time(15), time(17)),
        "Cut-offs of the day's dispatch batches (a request at a cut-off is in that batch)",
        "每天报桩批次的截止时间（截止时刻当时报的计入该批）",
        many=True,
    ),
    Setting(
        "plan_due",
        "time",
        time(11),
        "Monday cut-off of the offices' weekly production plans",
        "每周一生产计划上报截止时间",
    ),
) + tuple(
    Setting(
        f"{code}_fine_{end}",
        "money",
        Decimal(value),
        f"{FINE_CLAUSES[code][1]}: {end} fine per time (yuan)",
        f"{FINE_CLAUSES[code][2]}：每次罚款{'下限' if end == 'min' else '上限'}（元）",
        ge=0,
    )
    for code, bounds in FINE_DEFAULTS.items()
    for end, value in zip(("min", "max"), bounds)
)

# -- commands ----------------------------------------------------------------------
APPROVE = CommandSpec(
    help="Pile dispatch requests (报桩, 退桩, 转桩, 烂桩): batch, approvals, fines at stake.",
    identity="request_id",
    inputs=(
        Field("request_id", "text", "request number; CSV rows with the same one are one request's items", "报桩单号"),
        Field("site", "text", "building site (工地)", "工地"),
        Field("office", "text", "branch office (办事处)", "办事处"),
        Field("submitted_at", "datetime", "when the request reached the company", "报桩时间", required=True),
        Field("channel", "enum", "how it was reported", "报桩方式", default="sms", choices=("sms", "oral")),
        Field(
            "kind",
            "enum",
            "dispatch 报桩, return 退桩, transfer 转桩, broken 烂桩",
            "类型",
            default="dispatch",
            choices=("dispatch", "return", "transfer", "broken"),
        ),
        Field("for_date", "date", "day the piles are wanted (default the submission day)", "要桩日期"),
        Field("abnormal", "bool", "abnormal dispatch (非正常发桩)", "非正常发桩", default=False),
        Field("manager_approved", "bool", "the department manager approved", "部门经理已批准", default=False),
        Field("contract_signed", "bool", "the contract is signed", "已签订合同", default=True),
        Field("test_piles", "bool", "test piles are wanted", "需发试桩", default=False),
        Field("power_of_attorney_complete", "bool", "the power of attorney is complete", "委托书已完善", default=True),
        Field(
            "supplementary_agreement_complete",
            "bool",
            "the supplementary agreement is complete",
            "补充协议已完善",
            default=True,
        ),
        Field(
            "items",
            "records",
            "piles: spec, length_m, qty",
            "桩明细",
            fields=(
                Field("spec", "text", "pile spec (规格型号)", "规格型号", required=True),
                Field("length_m", "decimal", "pile length in metres", "桩长（米）", required=True, gt=0),
                Field("qty", "int", "number of piles", "根数", required=True, gt=0),
            ),
        ),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("request_id", "text", "报桩单号", "request"),
        Column("site", "text", "工地", "site"),
        Column("office", "text", "办事处", "office"),
        Column("kind", "enum", "类型", "kind"),
        Column("decision", "enum", "结果", "decision"),
        Column("status", "enum", "状态", "status"),
        Column("reason", "text", "原因", "reason"),
        Column("batch", "datetime", "批次", "batch"),
        Column("rolled_over", "bool", "顺延", "rolled over"),
        Column("route", "texts", "流程", "route"),
        Column("fine_exposure", "records", "可能罚款", "fine exposure"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
    group_by="request_id",
    group_into="items",
)

SCORE = CommandSpec(
    help="Fines ledger (罚款) per person and month.",
    identity="event_id",
    inputs=(
        Field(
            "event_id",
            "text",
            help="the event's own number: recording the same event again counts it once",
            help_zh="事件编号：同一事件再次记录只计一次",
        ),
        Field("person", "text", "who is fined", "当事人", required=True),
        Field("date", "date", "day of the offence", "日期", required=True),
        Field("code", "enum", "what for", "罚款事由", required=True, choices=tuple(FINE_DEFAULTS)),
        Field("count", "int", "how many times", "次数", default=1, ge=1),
        Field("amount", "money", "fine per time (default the range's minimum)", "每次罚款金额", ge=0),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("person", "text", "当事人", "person"),
        Column("period", "text", "月份", "period"),
        Column("fines", "money", "罚款", "fines", ge=0),
        Column("fines_min", "money", "罚款下限", "fines min", ge=0),
        Column("fines_max", "money", "罚款上限", "fines max", ge=0),
        Column("count", "int", "次数", "count"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
    aggregate=True,
    parallel=False,
)

PLAN = CommandSpec(
    help="Weekly production plans: the effective plan per office and week.",
    inputs=(
        Field("office", "text", "branch office (办事处)", "办事处", required=True),
        Field("week", "date", "the week's Monday", "周（周一日期）", required=True),
        Field("submitted_at", "datetime", "when the office reported it", "上报时间", required=True),
        Field("spec", "text", "pile spec (规格型号)", "规格型号", required=True),
        Field("length_m", "decimal", "pile length in metres (桩长)", "桩长（米）", required=True, gt=0),
        Field("qty", "decimal", "planned quantity (计划用量); not needed to remove a line", "计划用量", gt=0),
        Field("project", "text", "project name (工程名称)", "工程名称", required=True),
        Field("notes", "text", "special remarks (特殊事宜说明)", "特殊事宜说明"),
        Field(
            "change",
            "enum",
            "add (a new line or more of one), set (the line now reads so), remove",
            "变更方式",
            default="add",
            choices=("add", "set", "remove"),
        ),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("office", "text", "办事处", "office"),
        Column("week", "date", "周", "week"),
        Column("spec", "text", "规格型号", "spec"),
        Column("length_m", "decimal", "桩长(米)", "length m"),
        Column("qty", "decimal", "计划用量", "qty"),
        Column("project", "text", "工程名称", "project"),
        Column("notes", "text", "特殊事宜说明", "notes"),
        Column("late", "bool", "迟报", "late"),
        Column("submitted_at", "datetime", "上报时间", "submitted"),
        Column("source", "enum", "来源", "source"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
    aggregate=True,
    parallel=False,
)

COMPANY = Company(
    name=NAME,
    zh="管桩厂",
    en="Pile factory",
    version=VERSION,
    settings=SETTINGS,
    commands={"approve-order": APPROVE, "score": SCORE, "pile plan": PLAN},
    rules=(ROUTE, SMS, WINDOWS, ABNORMAL, PAPERWORK, *FINE_RULES.values(), PLAN_DUE, PLAN_CHANGES, PLAN_FIELDS),
    labels={
        "scheduled": ("已安排", "scheduled"),
        "salesperson": ("业务员", "salesperson"),
        "office_clerk": ("办事处内勤", "office clerk"),
        "company_clerk": ("公司内勤", "company clerk"),
        # also the request kind 报桩: both mean piles going out
        "dispatch": ("发桩", "dispatch"),
        "return": ("退桩", "return"),
        "transfer": ("转桩", "transfer"),
        "broken": ("烂桩", "broken piles"),
        "dispatcher": ("公司调度", "dispatcher"),
        "first_report": ("首次上报", "first report"),
        "change": ("变更", "change"),
        **{rule.id: (rule.zh, rule.en) for rule in FINE_RULES.values()},
    },
)
