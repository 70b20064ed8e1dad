"""What the PV firm declares: settings, inputs, outputs, rules, labels."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from bizops.core.schema import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "pv"
VERSION = "0.1.0"

# -- rules (id, seed clause) ----------------------------------------------------
_SEED = "002 销售部上门开展业务管理制度"
CHAIN = Rule(
    "pv.request.chain",
    f"{_SEED} 一",
    "staff: department head reviews, general manager approves; a department head: the general manager alone",
    "业务员：部门主管审核、总经理审批；部门主管：总经理审批",
)
ADVANCE = Rule(
    "pv.request.advance",
    f"{_SEED} 二",
    "a travel advance is signed by finance and the general manager, at most 500",
    "预支差旅费经财务部和总经理签字，最多 500 元",
)
PLANE_REQUEST = Rule(
    "pv.request.plane",
    f"{_SEED} 三 2 ⑴ ③",
    "flying only with the general manager's prior consent",
    "乘飞机须事先经总经理同意",
)
LENGTH = Rule(
    "pv.request.length",
    f"{_SEED} 五 3",
    "a trip over 2 / 3 days is partly at own cost; over 4 / 5 days it counts as absence",
    "超过 2/3 天的费用自理，超过 4/5 天按旷工处理",
)
DAYS = Rule(
    "pv.claim.days",
    f"{_SEED} 五 3",
    "at most 2 days in province, 3 out of province; absence beyond 4 / 5 days",
    "省内最多 2 天、省外最多 3 天；超过 4/5 天按旷工处理",
)
ALLOWANCE = Rule(
    "pv.claim.allowance",
    f"{_SEED} 三 1 ⑴①, ⑵①, 2 ⑵",
    "15 a day back the same day, 100 overnight in province, 130 out of province",
    "省内当天回 15 元/天，省内过夜 100 元/天，省外 130 元/天",
)
TRAIN = Rule(
    "pv.claim.train",
    f"{_SEED} 三 1 ⑴② A",
    "under 10 hours a seat, from 10 hours a hard sleeper",
    "连续乘车 10 小时以下硬/软座，10 小时及以上硬卧",
)
BUS_SHIP = Rule(
    "pv.claim.bus_ship",
    f"{_SEED} 三 1 ⑴② B, 2 ⑴②",
    "coach and ship fares as ticketed with an official invoice; ships in economy",
    "汽车、轮船按票价实报实销（需正式发票），轮船以经济舱为准",
)
PLANE = Rule(
    "pv.claim.plane",
    f"{_SEED} 三 2 ⑴③",
    "planes only with the general manager's prior consent",
    "乘飞机须事先经总经理同意",
)
JINHUA = Rule(
    "pv.claim.jinhua",
    f"{_SEED} 三 1 ⑴② C",
    "local transport in Jinhua prefecture as recorded, reviewed by the department head",
    "金华地区公交或短途汽车据实报销，须填写记录并经部门领导审核",
)
TAXI = Rule(
    "pv.claim.taxi",
    f"{_SEED} 三 1 ⑴② D",
    "taxis in Pujiang and Yiwu only at night, with bulky goods, "
    "without a bus or over 3 km, or for another noted reason",
    "浦江、义乌市内乘出租车须符合夜间、大件、无公交或超过 3 公里、其他特殊情况之一",
)
OWN_TRANSPORT = Rule(
    "pv.claim.own_transport",
    f"{_SEED} 三 1 ⑴② E",
    "no transport paid for company cars, own vehicles or the host's transport",
    "公司出车、自备交通工具或接待单位提供交通工具的不报销交通费",
)
SAME_CUSTOMER = Rule(
    "pv.claim.same_customer",
    f"{_SEED} 五 1",
    "at most two paid trips to one customer",
    "同一客户最多出差两次，之后费用自理",
)
CLIENT_MEAL = Rule(
    "pv.claim.client_meal",
    f"{_SEED} 五 2",
    "client meals only for a closed order over 10,000, at most 2 % of it",
    "单笔订单超过 10000 元且成交的，客户餐费最多报销成交额的 2%",
)
INVITED = Rule(
    "pv.claim.invited",
    f"{_SEED} 五 4",
    "nothing is paid for a colleague invited along",
    "受邀同事出差的任何费用均不报销",
)
REPORTS = Rule(
    "pv.claim.reports",
    f"{_SEED} 四",
    "trip report within 3 days; a signed feedback form per visit; a market analysis per new-market trip",
    "三天内交出差总结报告；拜访客户交客户拜访反馈表；开拓新市场交新市场分析报告",
)
BALANCE = Rule("pv.claim.balance", f"{_SEED} 二", "the claim's total less the advance", "报销总额减去预支差旅费")

RULES = (
    CHAIN,
    ADVANCE,
    PLANE_REQUEST,
    LENGTH,
    DAYS,
    ALLOWANCE,
    TRAIN,
    BUS_SHIP,
    PLANE,
    JINHUA,
    TAXI,
    OWN_TRANSPORT,
    SAME_CUSTOMER,
    CLIENT_MEAL,
    INVITED,
    REPORTS,
    BALANCE,
)

# -- policy -------------------------------------------------------------------
SETTINGS = (
    Setting("max_advance", "money", Decimal(500), "Largest travel advance", "预支差旅费上限", ge=0),
    Setting("paid_days_in_province", "int", 2, "Days of one trip paid in province", "省内每次出差最多天数", ge=1),
    Setting(
        "paid_days_out_of_province", "int", 3, "Days of one trip paid out of province", "省外每次出差最多天数", ge=1
    ),
    Setting(
        "absence_days_in_province",
        "int",
        4,
        "A trip in province longer than this counts as absence",
        "省内出差超过此天数按旷工处理",
        ge=1,
    ),
    Setting(
        "absence_days_out_of_province",
        "int",
        5,
        "A trip out of province longer than this counts as absence",
        "省外出差超过此天数按旷工处理",
        ge=1,
    ),
    Setting(
        "rate_same_day",
        "money",
        Decimal(15),
        "Meal allowance a day, in province and back the same day",
        "省内当天回来餐费补贴（每天）",
        ge=0,
    ),
    Setting(
        "rate_overnight",
        "money",
        Decimal(100),
        "Meal and lodging allowance a day, in province overnight",
        "省内当天不能回来餐费和住宿费补贴（每天）",
        ge=0,
    ),
    Setting(
        "rate_out_of_province",
        "money",
        Decimal(130),
        "Meal and lodging allowance a day, out of province",
        "省外餐费和住宿费补贴（每天）",
        ge=0,
    ),
    Setting(
        "sleeper_hours",
        "decimal",
        Decimal(10),
        "Hours on board from which a hard sleeper is allowed",
        "连续乘车达到此小时数可报硬卧",
        gt=0,
    ),
    Setting(
        "meal_min_order",
        "money",
        Decimal(10000),
        "A client meal is paid only for an order over this",
        "单笔订单超过此金额方可报销客户餐费",
        ge=0,
    ),
    Setting(
        "meal_cap_pct",
        "pct",
        Decimal(2),
        "Client meal cap, as a percentage of the closed order",
        "客户餐费上限占成交额的比例",
        ge=0,
        le=100,
    ),
    Setting(
        "report_days",
        "int",
        3,
        "Days after the return to hand in the trip report",
        "返回后提交出差总结报告的天数",
        ge=0,
    ),
    Setting("night_start", "time", time(20, 0), "Taxi night window starts (included)", "夜间乘出租车起始时间（含）"),
    Setting("night_end", "time", time(8, 0), "Taxi night window ends (included)", "夜间乘出租车结束时间（含）"),
    Setting("max_paid_trips", "int", 2, "Paid trips to one customer", "同一客户最多报销的出差次数", ge=0),
)

# -- inputs -------------------------------------------------------------------
ROLES = ("staff", "dept_head")
SCOPES = ("in_province", "out_of_province")
PURPOSES = ("visit", "new_market")
MODES = ("train", "bus", "ship", "plane", "city_bus", "taxi", "pedicab", "company_car", "own_vehicle", "host_provided")
AREAS = ("jinhua", "pujiang", "yiwu")
TAXI_REASONS = ("night", "bulky", "no_bus_or_over_3km", "other")

_EMPLOYEE = Field("employee", "text", "who travels", "出差人", required=True)
_ROLE = Field("role", "enum", "staff or dept_head (default staff)", "职务", default="staff", choices=ROLES)
_SCOPE = Field("scope", "enum", "in_province (Zhejiang) or out_of_province", "省内/省外", required=True, choices=SCOPES)
_CUSTOMER = Field("customer", "text", "the customer visited", "客户")
_PURPOSE = Field("purpose", "enum", "visit (default with a customer) or new_market", "出差目的", choices=PURPOSES)

REQUEST = CommandSpec(
    help="Before a trip: approval chain, travel advance, warnings on length and flying.",
    identity="request_id",
    inputs=(
        Field(
            "request_id",
            "text",
            help="travel request number: recording the same request again records nothing",
            help_zh="出差申请编号：同一申请再次记录不会重复记录",
        ),
        _EMPLOYEE,
        _ROLE,
        _SCOPE,
        Field("depart", "datetime", "planned departure (date, or date and time)", "计划出发日期", required=True),
        Field("return", "datetime", "planned return (date, or date and time)", "计划返回日期", required=True),
        _CUSTOMER,
        _PURPOSE,
        Field("advance", "money", "travel advance asked for", "预支差旅费", default=Decimal(0), ge=0),
        Field("plane", "bool", "the trip plans a flight", "乘飞机", default=False),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("employee", "text", "出差人", "employee"),
        Column("days", "int", "天数", "days"),
        Column("decision", "enum", "决定", "decision"),
        Column("status", "enum", "结果", "status"),
        Column("reason", "text", "原因", "reason"),
        Column("approvers", "texts", "审批人", "approvers"),
        Column("advance", "money", "预支", "advance", ge=0),
        Column("advance_approvers", "texts", "预支签字", "advance signed by"),
        Column("max_advance", "money", "预支上限", "max advance", ge=0),
        Column("warnings", "texts", "提示", "warnings"),
    ),
)

LEG = (
    Field("mode", "enum", "how", "交通方式", required=True, choices=MODES),
    Field("fare", "money", "fare paid, insurance included", "票价", ge=0),
    Field("invoice", "bool", "an official invoice (正式发票) is attached", "正式发票", default=False),
    Field("hours", "decimal", "train: continuous hours on board", "连续乘车小时", ge=0),
    Field(
        "class", "text", "train: hard_seat, soft_seat, hard_sleeper, soft_sleeper; ship: economy or higher", "座席/舱位"
    ),
    Field("entitled_fare", "money", "fare of the class the rules allow, for a ticket above it", "标准座席票价", ge=0),
    Field("area", "enum", "jinhua, pujiang or yiwu; empty elsewhere", "金华地区", choices=AREAS),
    Field("at", "datetime", "when the ride was taken", "乘车时间"),
    Field("reason", "enum", "taxi: night, bulky, no_bus_or_over_3km or other", "乘出租车事由", choices=TAXI_REASONS),
    Field("note", "text", "from–to and purpose", "起止地点及事由"),
    Field("gm_flight_approval", "bool", "plane: the general manager agreed beforehand", "总经理事先同意乘飞机"),
)

MEAL = (
    Field("amount", "money", "cost of the meal", "餐费", required=True, ge=0),
    Field("order_amount", "money", "the single order it was for", "订单金额", ge=0),
    Field("closed", "bool", "the order was closed (成交)", "已成交", default=False),
)

CLAIM = CommandSpec(
    help="After a trip: allowance, transport, client meals, what is not paid and why, balance.",
    identity="claim_id",
    inputs=(
        Field(
            "claim_id",
            "text",
            help="claim number: recording the same claim again records nothing (and counts its trip once)",
            help_zh="报销单编号：同一报销单再次记录不会重复记录（行程只计一次）",
        ),
        Field("trip_id", "text", "the trip, to group a spreadsheet's leg rows", "行程编号"),
        _EMPLOYEE,
        _ROLE,
        _SCOPE,
        Field("depart", "datetime", "left (date, or date and time)", "出发时间", required=True),
        Field("return", "datetime", "came back (date, or date and time)", "返回时间", required=True),
        _PURPOSE,
        _CUSTOMER,
        Field("trip_number", "int", "which trip to this customer (default: from the ledger)", "第几次拜访该客户", ge=1),
        Field(
            "invited", "bool", "invited along by a colleague to the colleague's customer", "受同事邀请", default=False
        ),
        Field(
            "legs",
            "records",
            "transport legs: mode, fare, invoice, hours, class, entitled_fare, area, at, reason, "
            "note, gm_flight_approval",
            "交通行程",
            fields=LEG,
        ),
        Field("client_meals", "records", "client meals: amount, order_amount, closed", "客户餐费", fields=MEAL),
        Field("advance", "money", "travel advance received", "已预支差旅费", default=Decimal(0), ge=0),
        Field("report_submitted", "date", "the trip report reached the department manager", "出差报告提交日期"),
        Field(
            "feedback_forms",
            "int",
            "customer-signed visit feedback forms handed in",
            "客户拜访反馈表份数",
            default=0,
            ge=0,
        ),
        Field("market_report", "bool", "new-market analysis report handed in", "新市场分析报告", default=False),
        Field(
            "special_approval", "bool", "the general manager excused an over-long trip", "特殊情况经批准", default=False
        ),
        Field(
            "gm_flight_approval",
            "bool",
            "the general manager agreed to flying beforehand",
            "总经理事先同意乘飞机",
            default=False,
        ),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("employee", "text", "出差人", "employee"),
        Column("days", "int", "天数", "days"),
        Column("allowance_rate", "money", "补贴标准", "allowance rate", ge=0),
        Column("allowance_days", "int", "补贴天数", "allowance days"),
        Column("allowance", "money", "补贴", "allowance", ge=0),
        Column("transport", "money", "交通费", "transport", ge=0),
        Column("client_meals", "money", "客户餐费", "client meals", ge=0),
        Column("total", "money", "合计", "total", ge=0),
        Column("advance", "money", "已预支", "advance", ge=0),
        Column("balance", "money", "应补(退)", "balance"),
        Column("disallowed", "records", "不予报销", "not paid"),
        Column("needs_review", "records", "待审核", "needs review"),
        Column("reviewers", "texts", "审核人", "reviewers"),
        Column("flags", "texts", "标记", "flags"),
        Column("status", "enum", "结果", "status"),
        Column("reason", "text", "原因", "reason"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
    group_by="trip_id",
    group_into="legs",
    # Under --record a claim counts the trips recorded by the claims before it.
    parallel=False,
)

COMPANY = Company(
    name=NAME,
    zh="光伏公司",
    en="PV firm",
    version=VERSION,
    settings=SETTINGS,
    commands={"expense request": REQUEST, "expense claim": CLAIM},
    rules=RULES,
    labels={
        "dept_head": ("部门主管", "department head"),
        "general_manager": ("总经理", "general manager"),
        "finance": ("财务部", "finance"),
        "absence": ("旷工", "absence"),
        "report_late": ("报告逾期", "report late"),
        "report_missing": ("未交出差报告", "report missing"),
        "feedback_form_missing": ("缺客户拜访反馈表", "feedback form missing"),
        "market_report_missing": ("缺新市场分析报告", "market report missing"),
    },
)
