"""What the field-sales plugin declares: quotas, the activity log it reads, the scorecard it writes, its rules.

Seed `000_58b8834288199564.txt`, 业务员每天的工作流程 (lines 355–361):
10:00—17:00 is time with customers; 1、a day mainly of visits: 4–5 or more
customers visited and 10 or more kept in touch with; 2、a day mainly on the
phone: 80 or more calls, real conversations with 20 or more customers.
"""

from __future__ import annotations

from bizops.api import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "fieldsales"
VERSION = "0.1.0"

_DAY = "000 业务员每天的工作流程 10:00—17:00"
_VISIT = "000 业务员每天的工作流程 1、"
_PHONE = "000 业务员每天的工作流程 2、"

# -- rules -----------------------------------------------------------------------------
DAY_TYPE = Rule(
    "fieldsales.day.type",
    _DAY,
    "a day is judged as a visiting day or a phone day: as planned, else by what it mainly was",
    "当天以拜访客户为主或以电话访问为主：按计划，未注明则按实际以哪种为主",
)
VISITS = Rule(
    "fieldsales.visit.visits",
    _VISIT,
    "a visiting day has 4–5 or more customer visits",
    "如果当天主要是拜访客户，则要保证每天拜访4--5家以上的客户",
)
CONTACTS = Rule(
    "fieldsales.visit.contacts",
    _VISIT,
    "a visiting day keeps in touch with 10 or more customers",
    "和10家以上的客户保持沟通和联络",
)
CALLS = Rule(
    "fieldsales.phone.calls",
    _PHONE,
    "a phone day has 80 or more calls",
    "如果当天主要是以电话访问客户为主，则当天的电话量访问至少在80个以上",
)
CONVERSATIONS = Rule(
    "fieldsales.phone.conversations",
    _PHONE,
    "of those calls, real conversations with 20 or more customers",
    "其中能进行有效沟通的客户数量至少是在20家以上",
)
RULES = (DAY_TYPE, VISITS, CONTACTS, CALLS, CONVERSATIONS)

# -- policy: every quota is the company's to change in [company.fieldsales] -------------
SETTINGS = (
    # Reading: "4--5家以上" is met from 4 on; a company holding its people to 5 sets 5.
    Setting(
        "visit_min_visits",
        "int",
        4,
        "Customer visits a visiting day needs (seed: 4–5 or more)",
        "拜访日至少拜访客户数（规定：4--5家以上）",
        ge=1,
    ),
    Setting(
        "visit_min_contacts",
        "int",
        10,
        "Customers a visiting day keeps in touch with",
        "拜访日至少保持沟通联络的客户数",
        ge=1,
    ),
    Setting("phone_min_calls", "int", 80, "Calls a phone day needs", "电话日至少电话量", ge=1),
    Setting(
        "phone_min_conversations",
        "int",
        20,
        "Customers a phone day has a real conversation with",
        "电话日至少有效沟通客户数",
        ge=1,
    ),
)

# -- the score command: an activity log in, a scorecard per person and day out ----------
SCORE = CommandSpec(
    help="Daily activity scorecard: visits, customers in touch, calls and real conversations against the quotas.",
    inputs=(
        Field("person", "text", "salesperson", "业务员", required=True),
        Field("date", "date", "day of the activity", "日期", required=True),
        Field(
            "activity",
            "enum",
            "visit 拜访, call 电话, contact (WeChat, SMS, e-mail: in touch, not a call)",
            "活动：visit 拜访、call 电话、contact 其他联络（微信、短信、邮件）",
            required=True,
            choices=("visit", "call", "contact"),
        ),
        Field(
            "customer", "text", "customer (the same customer twice a day counts once)", "客户（同一天同一客户只计一次）"
        ),
        Field(
            "conversation",
            "bool",
            "the call reached a real conversation (有效沟通); a visit always is one",
            "电话已有效沟通（拜访本身即是沟通）",
            default=False,
        ),
        Field(
            "count",
            "int",
            "how many such activities (a tally from a day sheet)",
            "次数（日报汇总时填写）",
            default=1,
            ge=1,
        ),
        Field(
            "day_type",
            "enum",
            "what the day was planned as (default: what it mainly was)",
            "当天计划：visit 拜访日、phone 电话日（不填则按实际）",
            choices=("visit", "phone"),
        ),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("person", "text", "业务员", "salesperson"),
        Column("date", "date", "日期", "date"),
        Column("day_type", "enum", "类型", "day"),
        Column("visits", "int", "拜访", "visits", ge=0),
        Column("contacts", "int", "联络客户", "customers in touch", ge=0),
        Column("calls", "int", "电话", "calls", ge=0),
        Column("conversations", "int", "有效沟通", "real conversations", ge=0),
        Column("quota", "enum", "定额", "quota"),
        Column("shortfall", "texts", "差距", "short of"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
    aggregate=True,
)

COMPANY = Company(
    name=NAME,
    zh="外勤销售",
    en="Field sales",
    version=VERSION,
    settings=SETTINGS,
    commands={"score": SCORE},
    rules=RULES,
    labels={
        "visit": ("拜访日", "visiting day"),
        "phone": ("电话日", "phone day"),
        "met": ("达标", "met"),
        "missed": ("未达标", "missed"),
    },
)
