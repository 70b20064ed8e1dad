"""What the airline sales office declares: settings, inputs, outputs, rules, labels.

Spec: `spec/airline.md`; seed `000_58b8834288199564.txt` lines 283–319
(大连营业部销售业务岗位工作流程). Clause numbers below are the seed's items 1–15.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from bizops.api import NOW, Column, CommandSpec, Company, Field, Rule, Setting

NAME = "airline"
VERSION = "0.1.0"


#: What a flight report or a route sheet calls the revenue, and its target.
REVENUE_NAMES = ("收入", "客票收入", "销售收入", "实际收入", "实现收入", "完成收入")
TARGET_NAMES = ("合理收入", "目标收入", "收入目标", "目标")
# -- rules (id, seed clause) ----------------------------------------------------
TIERS = Rule(
    "airline.watch.tiers",
    "000 大连营业部 1-4",
    en="flights 0-3 days out are key, 4-7 near, 8-15 dynamic, 16-30 horizon",
    zh="0-3 天重点、4-7 天临近、8-15 天动态监控、16-30 天远期",
)
REVENUE = Rule(
    "airline.watch.revenue",
    "000 大连营业部 11",
    en="revenue below the reasonable-revenue target is reviewed",
    zh="合理收入完成情况低于目标的航班须查找原因",
)
GROUPS = Rule(
    "airline.watch.groups",
    "000 大连营业部 8-10",
    en="group bookings on flights 0-7 days out are followed up",
    zh="0-7 天内的团队加强跟踪落实",
)
ANOMALY = Rule(
    "airline.watch.anomaly",
    "000 大连营业部 14",
    en="an abnormal flight is declared in the revenue system",
    zh="航班异常须在 MIS 系统进行“航班异常申报”",
)

TIER_SETTINGS = (
    Setting(
        "key_max_days",
        "int",
        3,
        en="Last day out (from the day of --at) of the key tier",
        zh="重点航班的最远天数",
        ge=0,
    ),
    Setting("near_max_days", "int", 7, en="Last day out of the near tier", zh="临近航班的最远天数", ge=0),
    Setting(
        "dynamic_max_days",
        "int",
        15,
        en="Last day out of the dynamic-monitoring tier",
        zh="动态监控航班的最远天数",
        ge=0,
    ),
    Setting(
        "horizon_max_days",
        "int",
        30,
        en="Last day out watched at all (the horizon tier)",
        zh="远期航班（检查范围）的最远天数",
        ge=0,
    ),
    Setting(
        "group_follow_up_max_days",
        "int",
        7,
        en="Groups on flights up to this many days out are followed up",
        zh="团队跟踪的最远天数",
        ge=0,
    ),
    Setting(
        "completion_alert",
        "decimal",
        Decimal("1.0"),
        en="Revenue completion (revenue / reasonable-revenue target) below which a flight or route is reviewed",
        zh="合理收入完成率低于此值须复核",
        ge=0,
    ),
)

CHECK_SETTINGS = (
    Setting(
        "day_start",
        "time",
        time(8, 30),
        en="Start of the working day: the key and near checks open",
        zh="上班时间：重点、临近航班检查开始",
    ),
    Setting(
        "start_checks_by",
        "time",
        time(9, 30),
        en="The first-thing checks of key and near flights are due by",
        zh="重点、临近航班的上班首查时限",
    ),
    Setting(
        "first_pass_by",
        "time",
        time(12, 0),
        en="First pass over the 30 days done before",
        zh="30 天内航班第一次检查的时限（中午前）",
    ),
    Setting(
        "revenue_check_from",
        "time",
        time(13, 0),
        en="The revenue-system (MIS) check opens at",
        zh="MIS 合理收入检查的开始时间",
    ),
    Setting(
        "day_end",
        "time",
        time(18, 0),
        en="End of the working day: second pass and B2B groups due by",
        zh="下班时间：第二次检查与 B2B 团队检查的时限",
    ),
)


# -- the office's own commands: `bizops flights triage` and `bizops flights checklist` ----
def _triage(requests, policy, context):
    """The rules are imported when the command runs."""
    from .watch import triage

    return triage(requests, policy, context)


def _checklist(requests, policy, context):
    """The checks of --at's day, one row each; the request stream (from no input) is not read."""
    from .checklist import checklist

    return checklist(policy, context.options["at"])


AT = Field(
    "at",
    "datetime",
    en="The moment of the watch, YYYY-MM-DDTHH:MM (default: --now, else the clock).",
    zh="检查时刻 YYYY-MM-DDTHH:MM（默认：--now，否则当前时间）",
    default=NOW,
)

TRIAGE = CommandSpec(
    help="The daily flight watch: flights of the office's routes by tier, with the actions due.",
    zh="每日航班监控：本营业部航线的航班按档分组，列出到期要做的事。",
    examples=(
        (
            "bizops flights triage examples/airline/flights.csv --at 2026-11-23T09:00 --format table",
            "the month's flights: what is due at 9:00",
            "本月航班：9:00 时该做什么",
        ),
        (
            "bizops flights triage examples/airline/flights.csv --at 2026-11-23T09:00 -o triage.xlsx --lang zh",
            "the same as a workbook, in Chinese",
            "同上，写成中文工作簿",
        ),
    ),
    run=_triage,
    options=(
        AT,
        Field(
            "all",
            "bool",
            en="Also list flights already gone or beyond the watch (30 days).",
            zh="同时列出已起飞和观察期（30 天）外的航班",
            default=False,
        ),
        Field(
            "checklist",
            "bool",
            en="Show the day's fixed checks and which are due at --at instead (reads no input).",
            zh="改为列出当天的固定检查及 --at 时的状态（不读取输入）",
            default=False,
        ),
    ),
    switch={"checklist": "flights checklist"},
    inputs=(
        Field("flight_no", "text", en="flight number", zh="航班号", required=True),
        Field("route", "text", en="route, e.g. DLC-PEK", zh="航线", required=True),
        Field(
            "departure",
            "text",
            en="departure date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM)",
            zh="起飞日期或时间",
            required=True,
            aliases=("起飞时间", "起飞日期", "航班日期", "计划起飞"),
        ),
        Field("capacity", "int", en="seats on the flight", zh="座位数", required=True, gt=0),
        # The names a sales office's flight report gives its columns, beside the labels.
        Field("sold", "int", en="seats booked", zh="已订座位", default=0, ge=0, aliases=("已售", "已售座位", "订座数")),
        Field(
            "revenue",
            "money",
            en="revenue booked so far",
            zh="已实现收入",
            default=Decimal("0.00"),
            ge=0,
            aliases=REVENUE_NAMES,
        ),
        Field(
            "target_revenue",
            "money",
            en="reasonable-revenue target (合理收入)",
            zh="合理收入目标",
            required=True,
            gt=0,
            aliases=TARGET_NAMES,
        ),
        Field(
            "groups",
            "int",
            en="group bookings not yet confirmed as travelling",
            zh="待落实团队数",
            default=0,
            ge=0,
            aliases=("团队", "团队数"),
        ),
        Field(
            "status",
            "enum",
            en="flight status",
            zh="航班状态",
            default="normal",
            aliases=("状态",),
            choices=("normal", "anomaly"),
            # Clause 14: a flight not running normally is declared; a report says how (延误, 取消 …).
            choice_aliases={
                "normal": ("正常", "正常运行"),
                "anomaly": ("异常", "航班异常", "不正常", "延误", "取消", "备降", "返航"),
            },
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("flight_no", "text", zh="航班", en="flight"),
        Column("route", "text", zh="航线", en="route"),
        Column("departure", "text", zh="起飞", en="departs"),
        Column("days_out", "int", zh="天数", en="days"),
        Column("tier", "enum", zh="档", en="tier"),
        Column("load_factor", "decimal", zh="客座率", en="load"),
        Column("revenue_completion", "decimal", zh="收入完成", en="done"),
        Column("revenue_gap", "money", zh="收入差额", en="gap"),
        Column("actions", "texts", zh="待办", en="to do"),
        Column("warnings", "texts", zh="提示", en="notes"),
    ),
    aggregate=True,  # sorted by tier: the whole input is read before the first row is written
    parallel=False,
)

CHECKLIST = CommandSpec(
    help="The day's fixed checks and which are due or overdue at --at.",
    zh="每天的固定检查，以及在 --at 时刻哪些已到期或已过时限。",
    examples=(
        (
            "bizops flights checklist --at 2026-11-23T12:00 --format table --lang zh",
            "the day's fixed checks at noon",
            "中午时每天的固定检查",
        ),
        (
            "bizops flights triage --checklist --at 2026-11-23T08:00 --format json",
            "the same, for a script",
            "同上，供脚本读取",
        ),
    ),
    run=_checklist,
    options=(AT,),
    inputs=(),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("check", "enum", zh="检查", en="check"),
        Column("days", "text", zh="天数", en="days"),
        Column("opens", "datetime", zh="开始", en="opens"),
        Column("due_by", "datetime", zh="时限", en="due by"),
        Column("state", "enum", zh="状态", en="state"),
        Column("warnings", "texts", zh="提示", en="notes"),
    ),
    aggregate=True,
    parallel=False,
)

SCORE = CommandSpec(
    help="Route revenue completion per person and period.",
    examples=(
        (
            "bizops --company airline score examples/airline/route_revenue.csv --format table",
            "route revenue per person and month",
            "每人每月的航线收入完成情况",
        ),
        (
            "bizops --company airline score examples/airline/route_revenue.csv --format table --lang zh --explain",
            "in Chinese, with the rules",
            "中文，附规则",
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
            en="sales staff responsible for the route",
            zh="责任人",
            required=True,
            aliases=("姓名", "销售人员", "航线责任人"),
        ),
        Field("route", "text", en="route, e.g. DLC-PEK", zh="航线", required=True),
        Field("period", "text", en="month, YYYY-MM", zh="月份", required=True),
        Field(
            "revenue",
            "money",
            en="revenue of the route in the period",
            zh="收入",
            required=True,
            ge=0,
            aliases=REVENUE_NAMES,
        ),
        Field(
            "target_revenue",
            "money",
            en="reasonable-revenue target of the route in the period",
            zh="合理收入目标",
            required=True,
            gt=0,
            aliases=TARGET_NAMES,
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("person", "text", zh="责任人", en="person"),
        Column("period", "text", zh="月份", en="period"),
        Column("revenue", "money", zh="收入", en="revenue", ge=0),
        Column("target_revenue", "money", zh="合理收入", en="target", ge=0),
        Column("completion", "decimal", zh="完成率", en="completion"),
        Column("gap", "money", zh="差额", en="gap"),
        Column("routes_below", "texts", zh="未达标航线", en="routes below"),
        Column("warnings", "texts", zh="提示", en="notes"),
    ),
    aggregate=True,
    parallel=False,
)

COMPANY = Company(
    name=NAME,
    zh="航空营业部",
    en="Airline sales office",
    version=VERSION,
    settings=TIER_SETTINGS + CHECK_SETTINGS,
    commands={"score": SCORE, "flights triage": TRIAGE, "flights checklist": CHECKLIST},
    rules=(TIERS, REVENUE, GROUPS, ANOMALY),
    labels={
        "key": ("重点", "key"),
        "near": ("临近", "near"),
        "dynamic": ("动态", "dynamic"),
        "horizon": ("远期", "horizon"),
        "gone": ("已起飞", "gone"),
        "beyond": ("观察期外", "beyond"),
        "review_revenue": ("复核收入", "revenue"),
        "follow_up_groups": ("跟踪团队", "groups"),
        "declare_anomaly": ("异常申报", "anomaly"),
        "key_flights": ("重点航班首查", "key flights"),
        "near_flights": ("临近航班首查", "near flights"),
        "horizon_first_pass": ("远期第一次检查", "horizon 1st pass"),
        "revenue_system": ("MIS 合理收入", "revenue (MIS)"),
        "horizon_second_pass": ("远期第二次检查", "horizon 2nd pass"),
        "b2b_groups": ("B2B 当日团队", "groups (B2B)"),
        "upcoming": ("未到", "upcoming"),
        "due": ("待办", "due"),
        "overdue": ("已过时限", "overdue"),
    },
)
