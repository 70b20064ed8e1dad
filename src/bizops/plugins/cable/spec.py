"""What the cable maker declares: settings, inputs, outputs, rules, labels."""

from __future__ import annotations

from decimal import Decimal

from bizops.core.schema import NOW, Column, CommandSpec, Company, Field, Setting
from bizops.plugins.cable.points import CODES
from bizops.plugins.cable.rules import ORDER_RULES, QUOTE_RULES, SCORE_RULES

NAME = "cable"
VERSION = "0.2.0"

# -- quote ----------------------------------------------------------------------------
QUOTE_SETTINGS = (
    Setting(
        "price_list",
        "path",
        None,
        "Price list file (CSV or TOML): sku, guide_price, standard, harness, unit, name",
        "产品指导价表（CSV 或 TOML）：sku, guide_price, standard, harness, unit, name",
    ),
    Setting(
        "max_no_vat_discount_pct",
        "pct",
        Decimal(6),
        "Largest discount for a customer taking no VAT invoice",
        "不开增值税的最大下浮比例",
        ge=0,
        le=100,
    ),
    Setting(
        "floor_pct",
        "pct",
        Decimal(90),
        "Lowest sales price, as a percentage of the guide price",
        "最低售价占指导价的比例",
        ge=0,
        le=100,
    ),
    Setting(
        "commission_cut_per_pct",
        "decimal",
        Decimal("0.1"),
        "Commission points cut per 1 % of special discount",
        "特价每降 1% 提成降低的百分点",
        ge=0,
    ),
    Setting(
        "quote_due_hours",
        "int",
        24,
        "Hours to quote a non-standard or harness product",
        "非国标/线束产品报价时限（小时）",
        ge=1,
    ),
    Setting("lead_time_standard", "text", "3-4 days", "Lead time promised for standard products", "常规产品发货周期"),
    Setting("lead_time_custom", "text", "per production", "Lead time for custom products", "定制产品发货周期"),
)

QUOTE = CommandSpec(
    help="Price quote for a cable, wire or harness line.",
    inputs=(
        Field("sku", "text", "product code, looked up in the price list", "产品编码"),
        Field("qty", "decimal", "quantity in the price list's unit", "数量", default=Decimal(1), gt=0),
        Field(
            "guide_price",
            "price",
            "guide price, tax included (the finance department's for custom products)",
            "指导价（含税）",
            ge=0,
        ),
        Field("custom", "bool", "custom product (定制产品)", "定制产品", default=False),
        Field("vat_invoice", "bool", "customer takes a VAT special invoice", "开增值税专用发票", default=True),
        Field(
            "no_vat_discount_pct",
            "pct",
            "discount for taking no VAT invoice (default 6 without one)",
            "不开增值税下浮",
            ge=0,
        ),
        Field("discount_pct", "pct", "special-price discount (特价)", "特价下浮", default=Decimal(0), ge=0),
        Field(
            "fee_pct",
            "pct",
            "PR or other fees, as a share of the sales price",
            "公关或其他费用占比",
            default=Decimal(0),
            ge=0,
            lt=100,
        ),
        Field("requested_at", "datetime", "when the quote was asked for (default now)", "询价时间", default=NOW),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("sku", "text", "产品", "sku"),
        Column("qty", "decimal", "数量", "qty"),
        Column("guide_price", "price", "指导价", "guide price", ge=0),
        Column("no_vat_discount_pct", "decimal", "不开票下浮%", "no-VAT %"),
        Column("discount_pct", "decimal", "特价下浮%", "discount %"),
        Column("fee_pct", "decimal", "费用%", "fee %"),
        Column("floor_unit_price", "money", "最低单价", "floor", ge=0),
        Column("unit_price", "money", "单价", "unit price", ge=0),
        Column("total", "money", "金额", "total", ge=0),
        Column("commission_cut_pct", "decimal", "提成降低%", "commission cut %"),
        Column("status", "enum", "结果", "status"),
        Column("reason", "text", "原因", "reason"),
        Column("max_discount_pct", "decimal", "最大特价%", "max discount %"),
        Column("quote_due", "datetime", "报价期限", "quote due"),
        Column("lead_time", "enum", "发货周期", "lead time"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
)

# -- approve-order ----------------------------------------------------------------------
ORDER_SETTINGS = (
    Setting(
        "home_city",
        "text",
        ("广州", "Guangzhou"),
        "Names of the home city, where new customers may pay on delivery (a trailing 市 or 'City' is ignored)",
        "本市名称（新客户可货到付款；忽略末尾的“市”）",
        many=True,
    ),
    Setting(
        "cod_min_amount",
        "money",
        Decimal(1500),
        "Smallest order a new home-city customer may pay on delivery",
        "市内新客户货到付款的最低单次进货金额",
        ge=0,
    ),
    Setting(
        "deposit_pct",
        "pct",
        Decimal(30),
        "Deposit on custom products, as a share of the order",
        "定制产品定金比例",
        ge=0,
        le=100,
    ),
    Setting(
        "deposit_applies_to",
        "enum",
        "new",
        "Who pays the custom-product deposit: new customers or all",
        "定制产品定金适用于：new 新客户 / all 所有客户",
        choices=("new", "all"),
    ),
    Setting(
        "credit_manager_over",
        "money",
        Decimal(20000),
        "Credit orders over this need the sales manager",
        "帐期订单超过此金额须业务经理确认",
        ge=0,
    ),
    Setting(
        "credit_gm_over",
        "money",
        Decimal(50000),
        "Credit orders over this also need the general manager",
        "帐期订单超过此金额还须总经理确认",
        ge=0,
    ),
    Setting(
        "new_credit_both_from",
        "money",
        Decimal(20000),
        "A new customer's credit order from this amount needs both managers",
        "新客户帐期订单达到此金额须业务经理和总经理确认",
        ge=0,
    ),
    Setting(
        "vat_min",
        "money",
        Decimal(5000),
        "Smallest amount for a VAT special invoice (smaller ones accumulate)",
        "开增值税专用发票的最低金额（不足可累计）",
        ge=0,
    ),
)

ORDER = CommandSpec(
    help="Order approval: payment terms, deposit, invoice and who must sign.",
    identity="order_id",
    inputs=(
        Field(
            "order_id",
            "text",
            help="order number: recording the same order again records nothing",
            help_zh="订单编号：同一订单再次记录不会重复记录",
        ),
        Field("customer", "text", "customer name (the ledger's key)", "客户", required=True),
        Field("amount", "money", "order total", "订单金额", required=True, gt=0),
        Field("new_customer", "bool", "first orders of a new customer (default: unknown to the ledger)", "新客户"),
        Field("city", "text", "where the customer takes delivery", "城市"),
        Field("settlement", "enum", "cash, or credit (帐期)", "结算方式", default="cash", choices=("cash", "credit")),
        Field("custom", "bool", "custom product (定制产品)", "定制产品", default=False),
        Field(
            "invoice",
            "enum",
            "invoice asked for: none, ordinary, or vat (增值税专用发票)",
            "发票",
            default="ordinary",
            choices=("none", "ordinary", "vat"),
        ),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("customer", "text", "客户", "customer"),
        Column("amount", "money", "金额", "amount", ge=0),
        Column("new_customer", "bool", "新客户", "new customer"),
        Column("status", "enum", "结果", "status"),
        Column("decision", "enum", "审批", "decision"),
        Column("approvers", "texts", "确认人", "approvers"),
        Column("payment_terms", "enum", "付款方式", "payment terms"),
        Column("deposit", "money", "定金", "deposit", ge=0),
        Column("invoice", "enum", "发票", "invoice"),
        Column("vat_pending_total", "money", "增值税待开累计", "VAT pending", ge=0),
        Column("vat_invoice_amount", "money", "增值税发票金额", "VAT invoice amount", ge=0),
        Column("reason", "text", "原因", "reason"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
)

# -- score ----------------------------------------------------------------------------
SCORE_SETTINGS = (
    Setting(
        "base_points",
        "decimal",
        Decimal(100),
        "Monthly review points before rewards and penalties",
        "月度考核基础分",
        ge=0,
    ),
    Setting("bonus_cap", "decimal", Decimal(100), "Most points paid as bonus in a month", "每月计发奖金的最高分", ge=0),
    Setting("yuan_per_point", "money", Decimal(1), "Bonus paid per point", "每分对应奖金（元）", ge=0),
    Setting(
        "dismissal_below",
        "decimal",
        Decimal(60),
        "Monthly score under which a month counts as failed",
        "月度考核低于此分计为不合格",
        ge=0,
    ),
    Setting(
        "dismissal_months",
        "int",
        2,
        "Consecutive failed months that flag a dismissal review",
        "连续不合格月数达到此数标记辞退审查",
        ge=1,
    ),
    Setting(
        "task_single_penalty",
        "decimal",
        Decimal(15),
        "Points off when a week's only task is not done",
        "只有一项任务且未完成扣分",
        ge=0,
    ),
    Setting(
        "task_each_unfinished_penalty",
        "decimal",
        Decimal(10),
        "Points off per unfinished task when two or more were assigned",
        "两项及以上任务时每项未完成扣分",
        ge=0,
    ),
)

SCORE = CommandSpec(
    help="Monthly 十奖十罚 scorecards: points, bonus, dismissal review.",
    aggregate=True,
    identity="event_id",
    inputs=(
        Field(
            "event_id",
            "text",
            help="the event's own number: recording the same event again counts it once",
            help_zh="事件编号：同一事件再次记录只计一次",
        ),
        Field("person", "text", "who the event is about", "员工", required=True),
        Field("date", "date", "when it happened (YYYY-MM-DD)", "日期", required=True),
        Field("code", "enum", "what happened: " + ", ".join(CODES), "事项代码", required=True, choices=CODES),
        Field("count", "int", "occurrences (multiplies the points)", "次数", default=1, ge=1),
        Field("assigned", "int", "tasks assigned that week (code tasks)", "本周安排任务数", ge=0),
        Field("unfinished", "int", "tasks not done that week (code tasks)", "未完成任务数", ge=0),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("person", "text", "员工", "person"),
        Column("period", "text", "月份", "period"),
        Column("base_points", "decimal", "基础分", "base points"),
        Column("rewards", "decimal", "奖励分", "rewards"),
        Column("penalties", "decimal", "扣分", "penalties"),
        Column("score", "decimal", "考核分", "score"),
        Column("bonus_yuan", "money", "绩效奖金", "bonus (yuan)", ge=0),
        Column("flags", "texts", "标记", "flags"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
)

COMPANY = Company(
    name=NAME,
    zh="电线电缆厂",
    en="Cable maker",
    version=VERSION,
    settings=QUOTE_SETTINGS + ORDER_SETTINGS + SCORE_SETTINGS,
    commands={"quote": QUOTE, "approve-order": ORDER, "score": SCORE},
    rules=QUOTE_RULES + ORDER_RULES + SCORE_RULES,
    labels={
        "ok": ("通过", "ok"),
        "refused": ("拒绝", "refused"),
        "3-4 days": ("3~4 天", "3-4 days"),
        "per production": ("按生产部门回复", "per production"),
        "approved": ("批准", "approved"),
        "needs_approval": ("需审批", "needs approval"),
        "sales_manager": ("业务经理", "sales manager"),
        "general_manager": ("总经理", "general manager"),
        "cash": ("现款现货", "cash"),
        "cod": ("货到付款", "pay on delivery"),
        "prepay": ("款到发货", "prepay"),
        "credit": ("帐期", "credit"),
        "none": ("不开票", "no invoice"),
        "ordinary": ("普通发票", "ordinary invoice"),
        "vat": ("增值税专用发票", "VAT special invoice"),
        "vat_pending": ("增值税发票累计中", "VAT invoice pending"),
        "dismissal_review": ("辞退审查", "dismissal review"),
    },
)
