"""What the PV firm declares: settings, inputs, outputs, rules, labels."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from bizops.api import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "pv"
VERSION = "0.1.0"

# -- rules (id, seed clause) ----------------------------------------------------
_SEED = "002 销售部上门开展业务管理制度"
CHAIN = Rule(
    "pv.request.chain",
    f"{_SEED} 一",
    en="staff: department head reviews, general manager approves; a department head: the general manager alone",
    zh="业务员：部门主管审核、总经理审批；部门主管：总经理审批",
)
ADVANCE = Rule(
    "pv.request.advance",
    f"{_SEED} 二",
    en="a travel advance is signed by finance and the general manager, at most 500",
    zh="预支差旅费经财务部和总经理签字，最多 500 元",
)
PLANE_REQUEST = Rule(
    "pv.request.plane",
    f"{_SEED} 三 2 ⑴ ③",
    en="flying only with the general manager's prior consent",
    zh="乘飞机须事先经总经理同意",
)
LENGTH = Rule(
    "pv.request.length",
    f"{_SEED} 五 3",
    en="a trip over 2 / 3 days is partly at own cost; over 4 / 5 days it counts as absence",
    zh="超过 2/3 天的费用自理，超过 4/5 天按旷工处理",
)
DAYS = Rule(
    "pv.claim.days",
    f"{_SEED} 五 3",
    en="at most 2 days in province, 3 out of province; absence beyond 4 / 5 days",
    zh="省内最多 2 天、省外最多 3 天；超过 4/5 天按旷工处理",
)
ALLOWANCE = Rule(
    "pv.claim.allowance",
    f"{_SEED} 三 1 ⑴①, ⑵①, 2 ⑵",
    en="15 a day back the same day, 100 overnight in province, 130 out of province",
    zh="省内当天回 15 元/天，省内过夜 100 元/天，省外 130 元/天",
)
TRAIN = Rule(
    "pv.claim.train",
    f"{_SEED} 三 1 ⑴② A",
    en="under 10 hours a seat, from 10 hours a hard sleeper",
    zh="连续乘车 10 小时以下硬/软座，10 小时及以上硬卧",
)
BUS_SHIP = Rule(
    "pv.claim.bus_ship",
    f"{_SEED} 三 1 ⑴② B, 2 ⑴②",
    en="coach and ship fares as ticketed with an official invoice; ships in economy",
    zh="汽车、轮船按票价实报实销（需正式发票），轮船以经济舱为准",
)
PLANE = Rule(
    "pv.claim.plane",
    f"{_SEED} 三 2 ⑴③",
    en="planes only with the general manager's prior consent",
    zh="乘飞机须事先经总经理同意",
)
JINHUA = Rule(
    "pv.claim.jinhua",
    f"{_SEED} 三 1 ⑴② C",
    en="local transport in Jinhua prefecture as recorded, reviewed by the department head",
    zh="金华地区公交或短途汽车据实报销，须填写记录并经部门领导审核",
)
TAXI = Rule(
    "pv.claim.taxi",
    f"{_SEED} 三 1 ⑴② D",
    en="taxis in Pujiang and Yiwu only at night, with bulky goods, "
    "without a bus or over 3 km, or for another noted reason",
    zh="浦江、义乌市内乘出租车须符合夜间、大件、无公交或超过 3 公里、其他特殊情况之一",
)
OWN_TRANSPORT = Rule(
    "pv.claim.own_transport",
    f"{_SEED} 三 1 ⑴② E",
    en="no transport paid for company cars, own vehicles or the host's transport",
    zh="公司出车、自备交通工具或接待单位提供交通工具的不报销交通费",
)
SAME_CUSTOMER = Rule(
    "pv.claim.same_customer",
    f"{_SEED} 五 1",
    en="at most two paid trips to one customer",
    zh="同一客户最多出差两次，之后费用自理",
)
CLIENT_MEAL = Rule(
    "pv.claim.client_meal",
    f"{_SEED} 五 2",
    en="client meals only for a closed order over 10,000, at most 2 % of it",
    zh="单笔订单超过 10000 元且成交的，客户餐费最多报销成交额的 2%",
)
INVITED = Rule(
    "pv.claim.invited",
    f"{_SEED} 五 4",
    en="nothing is paid for a colleague invited along",
    zh="受邀同事出差的任何费用均不报销",
)
REPORTS = Rule(
    "pv.claim.reports",
    f"{_SEED} 四",
    en="trip report within 3 days; a signed feedback form per visit; a market analysis per new-market trip",
    zh="三天内交出差总结报告；拜访客户交客户拜访反馈表；开拓新市场交新市场分析报告",
)
BALANCE = Rule("pv.claim.balance", f"{_SEED} 二", en="the claim's total less the advance", zh="报销总额减去预支差旅费")

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
    Setting("max_advance", "money", Decimal(500), en="Largest travel advance", zh="预支差旅费上限", ge=0),
    Setting("paid_days_in_province", "int", 2, en="Days of one trip paid in province", zh="省内每次出差最多天数", ge=1),
    Setting(
        "paid_days_out_of_province",
        "int",
        3,
        en="Days of one trip paid out of province",
        zh="省外每次出差最多天数",
        ge=1,
    ),
    Setting(
        "absence_days_in_province",
        "int",
        4,
        en="A trip in province longer than this counts as absence",
        zh="省内出差超过此天数按旷工处理",
        ge=1,
    ),
    Setting(
        "absence_days_out_of_province",
        "int",
        5,
        en="A trip out of province longer than this counts as absence",
        zh="省外出差超过此天数按旷工处理",
        ge=1,
    ),
    Setting(
        "rate_same_day",
        "money",
        Decimal(15),
        en="Meal allowance a day, in province and back the same day",
        zh="省内当天回来餐费补贴（每天）",
        ge=0,
    ),
    Setting(
        "rate_overnight",
        "money",
        Decimal(100),
        en="Meal and lodging allowance a day, in province overnight",
        zh="省内当天不能回来餐费和住宿费补贴（每天）",
        ge=0,
    ),
    Setting(
        "rate_out_of_province",
        "money",
        Decimal(130),
        en="Meal and lodging allowance a day, out of province",
        zh="省外餐费和住宿费补贴（每天）",
        ge=0,
    ),
    Setting(
        "sleeper_hours",
        "decimal",
        Decimal(10),
        en="Hours on board from which a hard sleeper is allowed",
        zh="连续乘车达到此小时数可报硬卧",
        gt=0,
    ),
    Setting(
        "meal_min_order",
        "money",
        Decimal(10000),
        en="A client meal is paid only for an order over this",
        zh="单笔订单超过此金额方可报销客户餐费",
        ge=0,
    ),
    Setting(
        "meal_cap_pct",
        "pct",
        Decimal(2),
        en="Client meal cap, as a percentage of the closed order",
        zh="客户餐费上限占成交额的比例",
        ge=0,
        le=100,
    ),
    Setting(
        "report_days",
        "int",
        3,
        en="Days after the return to hand in the trip report",
        zh="返回后提交出差总结报告的天数",
        ge=0,
        le=365,  # a deadline a year out is a typo; millions of years would leave the calendar
    ),
    Setting(
        "night_start", "time", time(20, 0), en="Taxi night window starts (included)", zh="夜间乘出租车起始时间（含）"
    ),
    Setting("night_end", "time", time(8, 0), en="Taxi night window ends (included)", zh="夜间乘出租车结束时间（含）"),
    Setting("max_paid_trips", "int", 2, en="Paid trips to one customer", zh="同一客户最多报销的出差次数", ge=0),
)

# -- inputs -------------------------------------------------------------------
ROLES = ("staff", "dept_head")
SCOPES = ("in_province", "out_of_province")
PURPOSES = ("visit", "new_market")
MODES = ("train", "bus", "ship", "plane", "city_bus", "taxi", "pedicab", "company_car", "own_vehicle", "host_provided")
AREAS = ("jinhua", "pujiang", "yiwu")
TAXI_REASONS = ("night", "bulky", "no_bus_or_over_3km", "other")

#: The seed's words for each way of travelling (三 1 ⑴②), in messages and read as input.
MODE_NAMES = {
    "train": "火车",
    "bus": "汽车",
    "ship": "轮船",
    "plane": "飞机",
    "city_bus": "公交车",
    "taxi": "出租车",
    "pedicab": "人力三轮车",
    "company_car": "公司出车",
    "own_vehicle": "自备交通工具",
    "host_provided": "接待单位提供",
}
#: … for seat and cabin classes and the Jinhua area's places.
PLACE_NAMES = {
    "hard_seat": "硬座",
    "soft_seat": "软座",
    "hard_sleeper": "硬卧",
    "soft_sleeper": "软卧",
    "economy": "经济舱",
    "jinhua": "金华",
    "pujiang": "浦江",
    "yiwu": "义乌",
}
#: What a claim form in Chinese writes for a choice, beside the seed's word (found in use: every one was refused).
_MODE_WORDS = {
    "train": ("高铁", "动车"),
    "bus": ("长途汽车", "大巴", "客车"),
    "city_bus": ("公交",),
    "taxi": ("的士", "打车", "网约车"),
    "pedicab": ("三轮车",),
    "company_car": ("公司车", "公车", "单位派车"),
    "own_vehicle": ("自驾", "私车"),
    "host_provided": ("客户接送", "对方接送"),
}

_EMPLOYEE = Field(
    "employee",
    "text",
    en="who travels",
    zh="出差人",
    required=True,
    aliases=("出差人员", "申请人", "报销人", "姓名", "员工姓名"),
)
_ROLE = Field(
    "role",
    "enum",
    en="staff or dept_head (default staff)",
    zh="职务",
    default="staff",
    aliases=("职位", "岗位"),
    choices=ROLES,
    choice_aliases={
        "staff": ("员工", "职员", "普通员工", "业务员", "销售员"),
        "dept_head": ("部门经理", "主管", "部门主管", "业务经理", "销售经理"),
    },
)
_SCOPE = Field(
    "scope",
    "enum",
    en="in_province (Zhejiang) or out_of_province",
    zh="省内/省外",
    required=True,
    aliases=("出差范围", "出差地区"),
    choices=SCOPES,
    choice_aliases={"in_province": ("省内", "浙江省内"), "out_of_province": ("省外",)},
)
_CUSTOMER = Field(
    "customer", "text", en="the customer visited", zh="客户", aliases=("拜访客户", "客户名称", "拜访单位")
)
_PURPOSE = Field(
    "purpose",
    "enum",
    en="visit (default with a customer) or new_market",
    zh="出差目的",
    choices=PURPOSES,
    choice_aliases={"visit": ("拜访客户", "客户拜访", "拜访"), "new_market": ("开拓新市场", "开拓市场", "新市场")},
)

REQUEST = CommandSpec(
    help="Before a trip: approval chain, travel advance, warnings on length and flying.",
    examples=(
        (
            "bizops --company pv expense request --employee 张伟 --scope out_of_province --depart 2026-03-02 --return 2026-03-05 --customer 广州粤能电力 --advance 500",
            "who approves, the advance (at most 500)",
            "谁审批、预支多少（最多 500）",
        ),
        (
            "bizops --company pv expense request examples/pv/requests.jsonl --format table --lang zh",
            "a file of requests",
            "一批出差申请",
        ),
    ),
    identity="request_id",
    inputs=(
        Field(
            "request_id",
            "text",
            en="travel request number: recording the same request again records nothing",
            zh="出差申请编号：同一申请再次记录不会重复记录",
            aliases=("申请单号", "申请编号", "出差申请单号"),
        ),
        _EMPLOYEE,
        _ROLE,
        _SCOPE,
        Field(
            "depart",
            "datetime",
            en="planned departure (date, or date and time)",
            zh="计划出发日期",
            required=True,
            aliases=("出发日期", "出发时间", "预计出发日期"),
        ),
        Field(
            "return",
            "datetime",
            en="planned return (date, or date and time)",
            zh="计划返回日期",
            required=True,
            aliases=("返回日期", "返回时间", "预计返回日期", "返程日期"),
        ),
        _CUSTOMER,
        _PURPOSE,
        Field(
            "advance",
            "money",
            en="travel advance asked for",
            zh="预支差旅费",
            default=Decimal(0),
            ge=0,
            aliases=("预借差旅费", "借支金额", "借款金额", "预支金额", "借支", "借款"),
        ),
        Field(
            "plane",
            "bool",
            en="the trip plans a flight",
            zh="乘飞机",
            default=False,
            aliases=("是否乘飞机", "乘坐飞机"),
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("employee", "text", zh="出差人", en="employee"),
        Column("days", "int", zh="天数", en="days"),
        Column("decision", "enum", zh="决定", en="decision"),
        Column("status", "enum", zh="结果", en="status"),
        Column("reason", "text", zh="原因", en="reason"),
        Column("approvers", "texts", zh="审批人", en="approvers"),
        Column("advance", "money", zh="预支", en="advance", ge=0),
        Column("advance_approvers", "texts", zh="预支签字", en="advance signed by"),
        Column("max_advance", "money", zh="预支上限", en="max advance", ge=0),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
)

LEG = (
    Field(
        "mode",
        "enum",
        en="how",
        zh="交通方式",
        required=True,
        aliases=("交通工具",),
        choices=MODES,
        choice_aliases={mode: (MODE_NAMES[mode], *_MODE_WORDS.get(mode, ())) for mode in MODES},
    ),
    # A reimbursement form's words (车船费, 有无发票 …) and the seed's (连续乘车时间)
    Field("fare", "money", en="fare paid, insurance included", zh="票价", ge=0, aliases=("车船费", "车票金额")),
    Field(
        "invoice",
        "bool",
        en="an official invoice (正式发票) is attached",
        zh="正式发票",
        default=False,
        aliases=("有无发票", "有发票"),
    ),
    Field(
        "hours",
        "decimal",
        en="train: continuous hours on board",
        zh="连续乘车小时",
        ge=0,
        aliases=("连续乘车时间", "乘车时长", "乘车小时"),
    ),
    Field(
        "class",
        "text",
        en="train: hard_seat, soft_seat, hard_sleeper, soft_sleeper (or 硬座 软座 硬卧 软卧); ship: economy (经济舱) or higher",
        zh="座席/舱位",
        aliases=("座位等级", "座席", "舱位", "席别"),
    ),
    Field(
        "entitled_fare", "money", en="fare of the class the rules allow, for a ticket above it", zh="标准座席票价", ge=0
    ),
    Field(
        "area",
        "enum",
        en="jinhua, pujiang or yiwu; empty elsewhere",
        zh="金华地区",
        choices=AREAS,
        choice_aliases={"jinhua": ("金华", "金华市"), "pujiang": ("浦江", "浦江县"), "yiwu": ("义乌", "义乌市")},
    ),
    Field("at", "datetime", en="when the ride was taken", zh="乘车时间"),
    Field(
        "reason",
        "enum",
        en="taxi: night, bulky, no_bus_or_over_3km or other",
        zh="乘出租车事由",
        choices=TAXI_REASONS,
        choice_aliases={
            "night": ("夜间", "夜间出行"),
            "bulky": ("携带大件物品", "大件物品", "携带物品多"),
            "no_bus_or_over_3km": ("无公共汽车或路程超过3公里", "无公交", "超过3公里", "路程超过3公里"),
            "other": ("其他",),
        },
    ),
    Field("note", "text", en="from–to and purpose", zh="起止地点及事由"),
    Field("gm_flight_approval", "bool", en="plane: the general manager agreed beforehand", zh="总经理事先同意乘飞机"),
)

MEAL = (
    Field("amount", "money", en="cost of the meal", zh="餐费", required=True, ge=0),
    Field("order_amount", "money", en="the single order it was for", zh="订单金额", ge=0),
    Field("closed", "bool", en="the order was closed (成交)", zh="已成交", default=False),
)

CLAIM = CommandSpec(
    help="After a trip: allowance, transport, client meals, what is not paid and why, balance.",
    examples=(
        (
            "bizops --company pv expense claim examples/pv/claim.json --format table --explain",
            "a claim with its legs, with the rules",
            "含各段行程的报销，附规则",
        ),
        (
            "bizops --company pv expense claim examples/pv/claims.csv --format table --lang zh",
            "a spreadsheet, one row per leg",
            "每段行程一行的表格",
        ),
    ),
    identity="claim_id",
    inputs=(
        Field(
            "claim_id",
            "text",
            en="claim number: recording the same claim again records nothing (and counts its trip once)",
            zh="报销单编号：同一报销单再次记录不会重复记录（行程只计一次）",
            aliases=("报销单号", "报销编号"),
        ),
        Field(
            "trip_id",
            "text",
            en="the trip, to group a spreadsheet's leg rows",
            zh="行程编号",
            aliases=("出差单号", "出差单编号", "行程单号"),
        ),
        _EMPLOYEE,
        _ROLE,
        _SCOPE,
        Field(
            "depart",
            "datetime",
            en="left (date, or date and time)",
            zh="出发时间",
            required=True,
            aliases=("出发日期",),
        ),
        Field(
            "return",
            "datetime",
            en="came back (date, or date and time)",
            zh="返回时间",
            required=True,
            aliases=("返回日期", "返程日期"),
        ),
        _PURPOSE,
        _CUSTOMER,
        Field(
            "trip_number",
            "int",
            en="which trip to this customer (default: from the ledger)",
            zh="第几次拜访该客户",
            ge=1,
            aliases=("拜访次数", "第几次拜访"),
        ),
        Field(
            "invited",
            "bool",
            en="invited along by a colleague to the colleague's customer",
            zh="受同事邀请",
            default=False,
        ),
        Field(
            "legs",
            "records",
            en="transport legs: mode, fare, invoice, hours, class, entitled_fare, area, at, reason, "
            "note, gm_flight_approval",
            zh="交通行程",
            fields=LEG,
        ),
        Field("client_meals", "records", en="client meals: amount, order_amount, closed", zh="客户餐费", fields=MEAL),
        Field(
            "advance",
            "money",
            en="travel advance received",
            zh="已预支差旅费",
            default=Decimal(0),
            ge=0,
            aliases=(
                "预支差旅费",
                "预借差旅费",
                "借款",
                "借支",
                "借支金额",
                "借款金额",
                "预支金额",
            ),  # was ignored: paid twice
        ),
        Field(
            "report_submitted",
            "date",
            en="the trip report reached the department manager",
            zh="出差报告提交日期",
            aliases=("报告提交日期", "出差报告日期"),
        ),
        Field(
            "feedback_forms",
            "int",
            en="customer-signed visit feedback forms handed in",
            zh="客户拜访反馈表份数",
            default=0,
            ge=0,
            aliases=("反馈表份数", "客户反馈表"),
        ),
        Field("market_report", "bool", en="new-market analysis report handed in", zh="新市场分析报告", default=False),
        Field(
            "special_approval",
            "bool",
            en="the general manager excused an over-long trip",
            zh="特殊情况经批准",
            default=False,
        ),
        Field(
            "gm_flight_approval",
            "bool",
            en="the general manager agreed to flying beforehand",
            zh="总经理事先同意乘飞机",
            default=False,
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("employee", "text", zh="出差人", en="employee"),
        Column("days", "int", zh="天数", en="days"),
        Column("allowance_rate", "money", zh="补贴标准", en="allowance rate", ge=0),
        Column("allowance_days", "int", zh="补贴天数", en="allowance days"),
        Column("allowance", "money", zh="补贴", en="allowance", ge=0),
        Column("transport", "money", zh="交通费", en="transport", ge=0),
        Column("client_meals", "money", zh="客户餐费", en="client meals", ge=0),
        Column("total", "money", zh="合计", en="total", ge=0),
        Column("advance", "money", zh="已预支", en="advance", ge=0),
        Column("balance", "money", zh="应补(退)", en="balance"),
        Column("disallowed", "records", zh="不予报销", en="not paid"),
        Column("needs_review", "records", zh="待审核", en="needs review"),
        Column("reviewers", "texts", zh="审核人", en="reviewers"),
        Column("flags", "texts", zh="标记", en="flags"),
        Column("status", "enum", zh="结果", en="status"),
        Column("reason", "text", zh="原因", en="reason"),
        Column("warnings", "texts", zh="提示", en="warnings"),
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
