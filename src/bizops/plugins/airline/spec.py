"""What the airline sales office declares: settings, inputs, outputs, rules, labels.

Spec: `spec/airline.md`; seed `000_58b8834288199564.txt` lines 283–319
(大连营业部销售业务岗位工作流程). Clause numbers below are the seed's items 1–15.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from bizops.core.schema import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "airline"
VERSION = "0.1.0"

# -- rules (id, seed clause) ----------------------------------------------------
TIERS = Rule(
    "airline.watch.tiers",
    "000 大连营业部 1-4",
    "flights 0-3 days out are key, 4-7 near, 8-15 dynamic, 16-30 horizon",
    "0-3 天重点、4-7 天临近、8-15 天动态监控、16-30 天远期",
)
REVENUE = Rule(
    "airline.watch.revenue",
    "000 大连营业部 11",
    "revenue below the reasonable-revenue target is reviewed",
    "合理收入完成情况低于目标的航班须查找原因",
)
GROUPS = Rule(
    "airline.watch.groups",
    "000 大连营业部 8-10",
    "group bookings on flights 0-7 days out are followed up",
    "0-7 天内的团队加强跟踪落实",
)
ANOMALY = Rule(
    "airline.watch.anomaly",
    "000 大连营业部 14",
    "an abnormal flight is declared in the revenue system",
    "航班异常须在 MIS 系统进行“航班异常申报”",
)

TIER_SETTINGS = (
    Setting(
        "key_max_days", "int", 3, "Last day out (from the day of --at) of the key tier", "重点航班的最远天数", ge=0
    ),
    Setting("near_max_days", "int", 7, "Last day out of the near tier", "临近航班的最远天数", ge=0),
    Setting(
        "dynamic_max_days", "int", 15, "Last day out of the dynamic-monitoring tier", "动态监控航班的最远天数", ge=0
    ),
    Setting(
        "horizon_max_days",
        "int",
        30,
        "Last day out watched at all (the horizon tier)",
        "远期航班（检查范围）的最远天数",
        ge=0,
    ),
    Setting(
        "group_follow_up_max_days",
        "int",
        7,
        "Groups on flights up to this many days out are followed up",
        "团队跟踪的最远天数",
        ge=0,
    ),
    Setting(
        "completion_alert",
        "decimal",
        Decimal("1.0"),
        "Revenue completion (revenue / reasonable-revenue target) below which a flight or route is reviewed",
        "合理收入完成率低于此值须复核",
        ge=0,
    ),
)

CHECK_SETTINGS = (
    Setting(
        "day_start",
        "time",
        time(8, 30),
        "Start of the working day: the key and near checks open",
        "上班时间：重点、临近航班检查开始",
    ),
    Setting(
        "start_checks_by",
        "time",
        time(9, 30),
        "The first-thing checks of key and near flights are due by",
        "重点、临近航班的上班首查时限",
    ),
    Setting(
        "first_pass_by",
        "time",
        time(12, 0),
        "First pass over the 30 days done before",
        "30 天内航班第一次检查的时限（中午前）",
    ),
    Setting(
        "revenue_check_from",
        "time",
        time(13, 0),
        "The revenue-system (MIS) check opens at",
        "MIS 合理收入检查的开始时间",
    ),
    Setting(
        "day_end",
        "time",
        time(18, 0),
        "End of the working day: second pass and B2B groups due by",
        "下班时间：第二次检查与 B2B 团队检查的时限",
    ),
)

TRIAGE = CommandSpec(
    help="The daily flight watch: flights of the office's routes by tier, with the actions due.",
    inputs=(
        Field("flight_no", "text", "flight number", "航班号", required=True),
        Field("route", "text", "route, e.g. DLC-PEK", "航线", required=True),
        Field(
            "departure",
            "text",
            "departure date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM)",
            "起飞日期或时间",
            required=True,
        ),
        Field("capacity", "int", "seats on the flight", "座位数", required=True, gt=0),
        Field("sold", "int", "seats booked", "已订座位", default=0, ge=0),
        Field("revenue", "money", "revenue booked so far", "已实现收入", default=Decimal("0.00"), ge=0),
        Field("target_revenue", "money", "reasonable-revenue target (合理收入)", "合理收入目标", required=True, gt=0),
        Field("groups", "int", "group bookings not yet confirmed as travelling", "待落实团队数", default=0, ge=0),
        Field("status", "enum", "flight status", "航班状态", default="normal", choices=("normal", "anomaly")),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("flight_no", "text", "航班", "flight"),
        Column("route", "text", "航线", "route"),
        Column("departure", "text", "起飞", "departs"),
        Column("days_out", "int", "天数", "days"),
        Column("tier", "enum", "档", "tier"),
        Column("load_factor", "decimal", "客座率", "load"),
        Column("revenue_completion", "decimal", "收入完成", "done"),
        Column("revenue_gap", "money", "收入差额", "gap"),
        Column("actions", "texts", "待办", "to do"),
        Column("warnings", "texts", "提示", "notes"),
    ),
    aggregate=True,  # sorted by tier: the whole input is read before the first row is written
    parallel=False,
)

CHECKLIST = CommandSpec(
    help="The day's fixed checks and which are due or overdue at --at.",
    inputs=(),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("check", "enum", "检查", "check"),
        Column("days", "text", "天数", "days"),
        Column("opens", "datetime", "开始", "opens"),
        Column("due_by", "datetime", "时限", "due by"),
        Column("state", "enum", "状态", "state"),
        Column("warnings", "texts", "提示", "notes"),
    ),
    aggregate=True,
    parallel=False,
)

SCORE = CommandSpec(
    help="Route revenue completion per person and period.",
    identity="event_id",
    inputs=(
        Field(
            "event_id",
            "text",
            help="the event's own number: recording the same event again counts it once",
            help_zh="事件编号：同一事件再次记录只计一次",
        ),
        Field("person", "text", "sales staff responsible for the route", "责任人", required=True),
        Field("route", "text", "route, e.g. DLC-PEK", "航线", required=True),
        Field("period", "text", "month, YYYY-MM", "月份", required=True),
        Field("revenue", "money", "revenue of the route in the period", "收入", required=True, ge=0),
        Field(
            "target_revenue",
            "money",
            "reasonable-revenue target of the route in the period",
            "合理收入目标",
            required=True,
            gt=0,
        ),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("person", "text", "责任人", "person"),
        Column("period", "text", "月份", "period"),
        Column("revenue", "money", "收入", "revenue", ge=0),
        Column("target_revenue", "money", "合理收入", "target", ge=0),
        Column("completion", "decimal", "完成率", "completion"),
        Column("gap", "money", "差额", "gap"),
        Column("routes_below", "texts", "未达标航线", "routes below"),
        Column("warnings", "texts", "提示", "notes"),
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
