"""What the pile factory declares: settings, inputs, outputs, rules, labels.

Seed `000_58b8834288199564.txt`, 业务流程日常工作操作规范 (lines 325-347):
一、报桩流程 (dispatch requests and their fines) and 二、生产计划流程 (weekly plans).
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from bizops.api import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "pile"
VERSION = "0.1.0"

#: 业务员 → 办事处内勤 → 公司内勤 → 安排计划发货
#: What a 报桩单 or a weekly plan calls a pile's spec and length, beside 规格型号 and 桩长（米）.
PILE_SPEC_NAMES = ("规格", "型号", "桩型")
PILE_LENGTH_NAMES = ("桩长", "长度", "长度（米）")

ROUTE_STEPS = ("salesperson", "office_clerk", "company_clerk", "dispatch")

# -- rules (id, seed clause) ----------------------------------------------------
ROUTE = Rule(
    "pile.dispatch.route",
    "000 一、报桩流程",
    en="salesperson → office clerk → company clerk → dispatch",
    zh="业务员—办事处内勤—公司内勤—安排计划发货",
)
SMS = Rule(
    "pile.dispatch.sms",
    "000 一、注意事项",
    en="requests go by SMS; errors in an oral request are the salesperson's",
    zh="业务员报桩均以短信方式，口头报桩出现错误的责任由业务员承担",
)
WINDOWS = Rule(
    "pile.dispatch.windows",
    "000 一、报桩时间规定",
    en="batches due 09:00, 11:00, 15:00, 17:00; later "
    "requests roll over; the next morning's plans may be sent the day before by 17:00",
    zh="9:00、11:00、15:00、17:00 前报完，超时顺延；第二天上午的计划可在前一天 17:00 前报回",
)
ABNORMAL = Rule(
    "pile.dispatch.abnormal",
    "000 一、非正常发桩",
    en="an abnormal dispatch is reported only after the department manager approves it",
    zh="《非正常发桩》须经部门经理批准后方可报桩",
)
PAPERWORK = Rule(
    "pile.dispatch.paperwork",
    "000 一、手续不全",
    en="incomplete paperwork ships only with the department manager's consent",
    zh="手续不全须经部门经理同意方可发桩",
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
#: The words a fines register uses for each offence, beside the clause's own (违反报桩流程 …).
FINE_WORDS = {
    "route_violation": ("违反流程", "不按流程报桩", "未按流程报桩"),
    "unapproved_abnormal": ("未批准报非正常发桩", "非正常发桩未批准"),
    "private_dispatch": ("私自发桩",),
    "data_error": ("数据有误", "数据错误", "报桩数据错误"),
    "missed_plan": ("漏下发桩计划", "漏下计划"),
    "wrong_plan": ("下错计划",),
}
FINE_RULES = {code: Rule(f"pile.fine.{code}", clause, en=en, zh=zh) for code, (clause, en, zh) in FINE_CLAUSES.items()}
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
    en="offices report the week's production needs by Monday 11:00",
    zh="办事处每周一上午 11:00 前上报本周生产计划",
)
PLAN_CHANGES = Rule(
    "pile.plan.changes",
    "000 二、注意事项",
    en="later in the week only changes and additions are reported, merged onto the first report",
    zh="本周内的变更或增加只报变更、增加的内容",
)
PLAN_FIELDS = Rule(
    "pile.plan.fields",
    "000 二、生产计划流程",
    en="a plan line states spec, length, quantity and project",
    zh="计划须报规格型号、桩长、计划用量、工程名称",
)

# -- policy ------------------------------------------------------------------------
SETTINGS = (
    Setting(
        "windows",
        "time",
        (time(9), time(11), time(15), time(17)),
        en="Cut-offs of the day's dispatch batches (a request at a cut-off is in that batch)",
        zh="每天报桩批次的截止时间（截止时刻当时报的计入该批）",
        many=True,
    ),
    Setting(
        "plan_due",
        "time",
        time(11),
        en="Monday cut-off of the offices' weekly production plans",
        zh="每周一生产计划上报截止时间",
    ),
) + tuple(
    Setting(
        f"{code}_fine_{end}",
        "money",
        Decimal(value),
        en=f"{FINE_CLAUSES[code][1]}: {end} fine per time (yuan)",
        zh=f"{FINE_CLAUSES[code][2]}：每次罚款{'下限' if end == 'min' else '上限'}（元）",
        ge=0,
    )
    for code, bounds in FINE_DEFAULTS.items()
    for end, value in zip(("min", "max"), bounds)
)

# -- commands ----------------------------------------------------------------------
APPROVE = CommandSpec(
    help="Pile dispatch requests (报桩, 退桩, 转桩, 烂桩): batch, approvals, fines at stake.",
    examples=(
        (
            "bizops --company pile approve-order examples/pile/dispatch.csv --format table --lang zh",
            "each request's batch",
            "每个报桩请求的批次",
        ),
        (
            "bizops --company pile approve-order --submitted-at 2026-11-23T17:01 --format json --explain",
            "one request from flags, with the rules",
            "用参数给一个请求，附规则",
        ),
    ),
    identity="request_id",
    inputs=(
        Field(
            "request_id", "text", en="request number; CSV rows with the same one are one request's items", zh="报桩单号"
        ),
        Field("site", "text", en="building site (工地)", zh="工地"),
        Field("office", "text", en="branch office (办事处)", zh="办事处"),
        Field(
            "submitted_at",
            "datetime",
            en="when the request reached the company",
            zh="报桩时间",
            required=True,
            aliases=("提交时间", "申请时间"),
        ),
        Field(
            "channel",
            "enum",
            en="how it was reported",
            zh="报桩方式",
            default="sms",
            aliases=("报送方式", "申报方式"),
            choices=("sms", "oral"),
            # the seed's 短信 and 口头; a request phoned in is an oral one
            choice_aliases={"sms": ("短信", "短信报桩"), "oral": ("口头", "口头报桩", "电话")},
        ),
        Field(
            "kind",
            "enum",
            en="dispatch 报桩, return 退桩, transfer 转桩, broken 烂桩",
            zh="类型",
            default="dispatch",
            choices=("dispatch", "return", "transfer", "broken"),
            choice_aliases={"dispatch": ("报桩",)},  # 发桩 is its label
        ),
        Field("for_date", "date", en="day the piles are wanted (default the submission day)", zh="要桩日期"),
        # The names an office's 报桩单 gives its columns, beside the labels: an unknown yes/no column took
        # its default silently (a contract not signed read as signed).
        Field(
            "abnormal",
            "bool",
            en="abnormal dispatch (非正常发桩)",
            zh="非正常发桩",
            default=False,
            aliases=("异常", "异常发桩", "非正常"),
        ),
        Field(
            "manager_approved",
            "bool",
            en="the department manager approved",
            zh="部门经理已批准",
            default=False,
            aliases=("经理批准", "经理已批准", "部门经理批准", "经理审批", "经理已审批"),
        ),
        Field(
            "contract_signed",
            "bool",
            en="the contract is signed",
            zh="已签订合同",
            default=True,
            aliases=("已签合同", "合同已签", "签订合同"),
        ),
        Field(
            "test_piles", "bool", en="test piles are wanted", zh="需发试桩", default=False, aliases=("试桩", "发试桩")
        ),
        Field(
            "power_of_attorney_complete",
            "bool",
            en="the power of attorney is complete",
            zh="委托书已完善",
            default=True,
            aliases=("委托书齐全", "委托书"),
        ),
        Field(
            "supplementary_agreement_complete",
            "bool",
            en="the supplementary agreement is complete",
            zh="补充协议已完善",
            default=True,
            aliases=("补充协议齐全", "补充协议"),
        ),
        Field(
            "items",
            "records",
            en="piles: spec, length_m, qty",
            zh="桩明细",
            fields=(
                Field("spec", "text", en="pile spec (规格型号)", zh="规格型号", required=True, aliases=PILE_SPEC_NAMES),
                Field(
                    "length_m",
                    "decimal",
                    en="pile length in metres",
                    zh="桩长（米）",
                    required=True,
                    gt=0,
                    aliases=PILE_LENGTH_NAMES,
                ),
                Field("qty", "int", en="number of piles", zh="根数", required=True, gt=0, aliases=("数量", "支数")),
            ),
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("request_id", "text", zh="报桩单号", en="request"),
        Column("site", "text", zh="工地", en="site"),
        Column("office", "text", zh="办事处", en="office"),
        Column("kind", "enum", zh="类型", en="kind"),
        Column("decision", "enum", zh="结果", en="decision"),
        Column("status", "enum", zh="状态", en="status"),
        Column("reason", "text", zh="原因", en="reason"),
        Column("batch", "datetime", zh="批次", en="batch"),
        Column("rolled_over", "bool", zh="顺延", en="rolled over"),
        Column("route", "texts", zh="流程", en="route"),
        Column("fine_exposure", "records", zh="可能罚款", en="fine exposure"),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
    group_by="request_id",
    group_into="items",
)

SCORE = CommandSpec(
    help="Fines ledger (罚款) per person and month.",
    examples=(
        (
            "bizops --company pile score examples/pile/fines.csv --format table",
            "fines per person and month",
            "每人每月的罚款",
        ),
        (
            "bizops --company pile score --person 王海 --date 2026-11-23 --code route_violation --count 2 --format json",
            "one event from flags",
            "用参数给一个事项",
        ),
    ),
    identity="event_id",
    inputs=(
        Field(
            "event_id",
            "text",
            en="the event's own number: recording the same event again counts it once",
            zh="事件编号：同一事件再次记录只计一次",
        ),
        Field(
            "person",
            "text",
            en="who is fined",
            zh="当事人",
            required=True,
            aliases=("被罚人", "被处罚人", "责任人", "违规人"),
        ),
        Field("date", "date", en="day of the offence", zh="日期", required=True, aliases=("违规日期", "处罚日期")),
        Field(
            "code",
            "enum",
            en="what for",
            zh="罚款事由",
            required=True,
            aliases=("违规事项", "违规内容", "罚款原因", "处罚事由", "事由"),
            choices=tuple(FINE_DEFAULTS),
            choice_aliases={code: (zh, *FINE_WORDS.get(code, ())) for code, (_, _, zh) in FINE_CLAUSES.items()},
        ),
        Field("count", "int", en="how many times", zh="次数", default=1, ge=1),
        # Per time, as the seed fines (元/次). A register's bare 罚款金额 may be the line's total: not taken.
        Field(
            "amount",
            "money",
            en="fine per time (default the range's minimum)",
            zh="每次罚款金额",
            ge=0,
            aliases=("每次罚款", "单次罚款", "罚款金额(元/次)", "罚款标准"),
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("person", "text", zh="当事人", en="person"),
        Column("period", "text", zh="月份", en="period"),
        Column("fines", "money", zh="罚款", en="fines", ge=0),
        Column("fines_min", "money", zh="罚款下限", en="fines min", ge=0),
        Column("fines_max", "money", zh="罚款上限", en="fines max", ge=0),
        Column("count", "int", zh="次数", en="count"),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
    aggregate=True,
    parallel=False,
)


def _plan(requests, policy, context):
    """`bizops pile plan`: the planning rules are imported when the command runs."""
    from .plan import plan

    return plan(requests, policy, context)


PLAN = CommandSpec(
    help="Weekly production plans: the effective plan per office and week.",
    zh="每周生产计划：每个办事处每周生效的计划。",
    examples=(
        (
            "bizops pile plan examples/pile/plans.csv --format table --lang zh",
            "the week's effective plan",
            "本周生效的计划",
        ),
        (
            "bizops pile plan examples/pile/plans.csv --format csv --bom -o plans.csv",
            "a CSV for Excel",
            "供 Excel 打开的 CSV",
        ),
    ),
    run=_plan,
    inputs=(
        Field("office", "text", en="branch office (办事处)", zh="办事处", required=True),
        Field("week", "date", en="the week's Monday", zh="周（周一日期）", required=True),
        Field("submitted_at", "datetime", en="when the office reported it", zh="上报时间", required=True),
        Field("spec", "text", en="pile spec (规格型号)", zh="规格型号", required=True, aliases=PILE_SPEC_NAMES),
        Field(
            "length_m",
            "decimal",
            en="pile length in metres (桩长)",
            zh="桩长（米）",
            required=True,
            gt=0,
            aliases=PILE_LENGTH_NAMES,
        ),
        Field("qty", "decimal", en="planned quantity (计划用量); not needed to remove a line", zh="计划用量", gt=0),
        Field("project", "text", en="project name (工程名称)", zh="工程名称", required=True),
        Field("notes", "text", en="special remarks (特殊事宜说明)", zh="特殊事宜说明"),
        Field(
            "change",
            "enum",
            en="add (a new line or more of one), set (the line now reads so), remove",
            zh="变更方式",
            default="add",
            choices=("add", "set", "remove"),
            choice_aliases={"add": ("增加", "新增"), "set": ("变更", "修改"), "remove": ("取消", "删除")},
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("office", "text", zh="办事处", en="office"),
        Column("week", "date", zh="周", en="week"),
        Column("spec", "text", zh="规格型号", en="spec"),
        Column("length_m", "decimal", zh="桩长(米)", en="length m"),
        Column("qty", "decimal", zh="计划用量", en="qty"),
        Column("project", "text", zh="工程名称", en="project"),
        Column("notes", "text", zh="特殊事宜说明", en="notes"),
        Column("late", "bool", zh="迟报", en="late"),
        Column("submitted_at", "datetime", zh="上报时间", en="submitted"),
        Column("source", "enum", zh="来源", en="source"),
        Column("warnings", "texts", zh="提示", en="warnings"),
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
