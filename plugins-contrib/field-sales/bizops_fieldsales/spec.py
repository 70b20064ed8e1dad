"""What the field-sales plugin declares: quotas, the activity log it reads, the scorecard it writes, its rules.

Seed `000_58b8834288199564.txt`, 业务员每天的工作流程 (lines 355–361):
10:00—17:00 is time with customers; 1、a day mainly of visits: 4–5 or more
customers visited and 10 or more kept in touch with; 2、a day mainly on the
phone: 80 or more calls, real conversations with 20 or more customers.
"""

from __future__ import annotations

from bizops.api import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "fieldsales"

_DAY = "000 业务员每天的工作流程 10:00—17:00"
_VISIT = "000 业务员每天的工作流程 1、"
_PHONE = "000 业务员每天的工作流程 2、"

# -- rules -----------------------------------------------------------------------------
DAY_TYPE = Rule(
    "fieldsales.day.type",
    _DAY,
    en="a day is judged as a visiting day or a phone day: as planned, else by what it mainly was",
    zh="当天以拜访客户为主或以电话访问为主：按计划，未注明则按实际以哪种为主",
)
VISITS = Rule(
    "fieldsales.visit.visits",
    _VISIT,
    en="a visiting day has 4–5 or more customer visits",
    zh="如果当天主要是拜访客户，则要保证每天拜访4--5家以上的客户",
)
CONTACTS = Rule(
    "fieldsales.visit.contacts",
    _VISIT,
    en="a visiting day keeps in touch with 10 or more customers",
    zh="和10家以上的客户保持沟通和联络",
)
CALLS = Rule(
    "fieldsales.phone.calls",
    _PHONE,
    en="a phone day has 80 or more calls",
    zh="如果当天主要是以电话访问客户为主，则当天的电话量访问至少在80个以上",
)
CONVERSATIONS = Rule(
    "fieldsales.phone.conversations",
    _PHONE,
    en="of those calls, real conversations with 20 or more customers",
    zh="其中能进行有效沟通的客户数量至少是在20家以上",
)
RULES = (DAY_TYPE, VISITS, CONTACTS, CALLS, CONVERSATIONS)

# -- policy: every quota is the company's to change in [company.fieldsales] -------------
SETTINGS = (
    # Reading: "4--5家以上" is met from 4 on; a company holding its people to 5 sets 5.
    Setting(
        "visit_min_visits",
        "int",
        4,
        en="Customer visits a visiting day needs (seed: 4–5 or more)",
        zh="拜访日至少拜访客户数（规定：4--5家以上）",
        ge=1,
    ),
    Setting(
        "visit_min_contacts",
        "int",
        10,
        en="Customers a visiting day keeps in touch with",
        zh="拜访日至少保持沟通联络的客户数",
        ge=1,
    ),
    Setting("phone_min_calls", "int", 80, en="Calls a phone day needs", zh="电话日至少电话量", ge=1),
    Setting(
        "phone_min_conversations",
        "int",
        20,
        en="Customers a phone day has a real conversation with",
        zh="电话日至少有效沟通客户数",
        ge=1,
    ),
)

# -- the score command: an activity log in, a scorecard per person and day out ----------
SCORE = CommandSpec(
    help="Daily activity scorecard: visits, customers in touch, calls and real conversations against the quotas.",
    inputs=(
        Field("person", "text", en="salesperson", zh="业务员", required=True),
        Field("date", "date", en="day of the activity", zh="日期", required=True),
        Field(
            "activity",
            "enum",
            en="visit 拜访, call 电话, contact (WeChat, SMS, e-mail: in touch, not a call)",
            zh="活动：visit 拜访、call 电话、contact 其他联络（微信、短信、邮件）",
            required=True,
            choices=("visit", "call", "contact"),
        ),
        Field(
            "customer",
            "text",
            en="customer (the same customer twice a day counts once)",
            zh="客户（同一天同一客户只计一次）",
        ),
        Field(
            "conversation",
            "bool",
            en="the call reached a real conversation (有效沟通); a visit always is one",
            zh="电话已有效沟通（拜访本身即是沟通）",
            default=False,
        ),
        Field(
            "count",
            "int",
            en="how many such activities (a tally from a day sheet)",
            zh="次数（日报汇总时填写）",
            default=1,
            ge=1,
        ),
        Field(
            "day_type",
            "enum",
            en="what the day was planned as (default: what it mainly was)",
            zh="当天计划：visit 拜访日、phone 电话日（不填则按实际）",
            choices=("visit", "phone"),
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("person", "text", zh="业务员", en="salesperson"),
        Column("date", "date", zh="日期", en="date"),
        Column("day_type", "enum", zh="类型", en="day"),
        Column("visits", "int", zh="拜访", en="visits", ge=0),
        Column("contacts", "int", zh="联络客户", en="customers in touch", ge=0),
        Column("calls", "int", zh="电话", en="calls", ge=0),
        Column("conversations", "int", zh="有效沟通", en="real conversations", ge=0),
        Column("quota", "enum", zh="定额", en="quota"),
        Column("shortfall", "texts", zh="差距", en="short of"),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
    aggregate=True,
)

COMPANY = Company(
    name=NAME,
    zh="外勤销售",
    en="Field sales",
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
