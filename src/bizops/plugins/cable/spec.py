"""What the cable maker declares: settings, inputs, outputs, rules, labels."""

from __future__ import annotations

from decimal import Decimal

from bizops.core.schema import NOW, Column, CommandSpec, Company, Field, Rule, Setting

NAME = "cable"
VERSION = "0.1.0"

# -- rules (id, seed clause) ----------------------------------------------------
PRICE_LIST = Rule("cable.price.list", "000 三、市场价格 1", "standard products at the list's guide price; "
                  "custom and unlisted ones at the finance department's", "常规产品按指导价，定制或表外产品按财务部指导价")
NO_VAT = Rule("cable.price.no_vat", "000 三、市场价格 2", "no VAT invoice: at most 6 % off the guide price",
              "不开增值税最多下浮 6%")
SPECIAL = Rule("cable.price.special", "000 三、市场价格 3", "each 1 % of special discount cuts commission 0.1 point",
               "特价每降 1%，提成降 0.1%")
FLOOR = Rule("cable.price.floor", "000 三、市场价格 3", "never below 90 % of the guide price", "不得低于指导价的 90%")
FEE = Rule("cable.price.fee", "000 三、市场价格 4", "with a fee of x %: price = base / (1 - x %)",
           "含公关费用 x%：销售价 = 基价 / (1 - x%)")
QUOTE_DUE = Rule("cable.price.quote_due", "000 四、其他事项 3", "non-standard and harness products quoted within 24 h",
                 "非国标及线束产品 24 小时内报价")
LEAD_TIME = Rule("cable.price.lead_time", "000 四、其他事项 1", "standard products ship in 3-4 days; custom as "
                 "production says", "常规产品 3~4 天发货；定制产品按生产部门回复")

QUOTE_SETTINGS = (
    Setting("price_list", "path", None, "Price list file (CSV or TOML): sku, guide_price, standard, harness, unit, name",
            "产品指导价表（CSV 或 TOML）：sku, guide_price, standard, harness, unit, name"),
    Setting("max_no_vat_discount_pct", "pct", Decimal(6), "Largest discount for a customer taking no VAT invoice",
            "不开增值税的最大下浮比例", ge=0, le=100),
    Setting("floor_pct", "pct", Decimal(90), "Lowest sales price, as a percentage of the guide price",
            "最低售价占指导价的比例", ge=0, le=100),
    Setting("commission_cut_per_pct", "decimal", Decimal("0.1"),
            "Commission points cut per 1 % of special discount", "特价每降 1% 提成降低的百分点", ge=0),
    Setting("quote_due_hours", "int", 24, "Hours to quote a non-standard or harness product", "非国标/线束产品报价时限（小时）",
            ge=1),
    Setting("lead_time_standard", "text", "3-4 days", "Lead time promised for standard products", "常规产品发货周期"),
    Setting("lead_time_custom", "text", "per production", "Lead time for custom products", "定制产品发货周期"),
)

QUOTE = CommandSpec(
    help="Price quote for a cable, wire or harness line.",
    inputs=(
        Field("sku", "text", "product code, looked up in the price list", "产品编码"),
        Field("qty", "decimal", "quantity in the price list's unit", "数量", default=Decimal(1), gt=0),
        Field("guide_price", "price", "guide price, tax included (the finance department's for custom products)",
              "指导价（含税）", ge=0),
        Field("custom", "bool", "custom product (定制产品)", "定制产品", default=False),
        Field("vat_invoice", "bool", "customer takes a VAT special invoice", "开增值税专用发票", default=True),
        Field("no_vat_discount_pct", "pct", "discount for taking no VAT invoice (default 6 without one)",
              "不开增值税下浮", ge=0),
        Field("discount_pct", "pct", "special-price discount (特价)", "特价下浮", default=Decimal(0), ge=0),
        Field("fee_pct", "pct", "PR or other fees, as a share of the sales price", "公关或其他费用占比",
              default=Decimal(0), ge=0, lt=100),
        Field("requested_at", "datetime", "when the quote was asked for (default now)", "询价时间", default=NOW),
    ),
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("sku", "text", "产品", "sku"),
        Column("qty", "decimal", "数量", "qty"),
        Column("guide_price", "price", "指导价", "guide price"),
        Column("no_vat_discount_pct", "decimal", "不开票下浮%", "no-VAT %"),
        Column("discount_pct", "decimal", "特价下浮%", "discount %"),
        Column("fee_pct", "decimal", "费用%", "fee %"),
        Column("floor_unit_price", "money", "最低单价", "floor"),
        Column("unit_price", "money", "单价", "unit price"),
        Column("total", "money", "金额", "total"),
        Column("commission_cut_pct", "decimal", "提成降低%", "commission cut %"),
        Column("status", "enum", "结果", "status"),
        Column("reason", "text", "原因", "reason"),
        Column("max_discount_pct", "decimal", "最大特价%", "max discount %"),
        Column("quote_due", "datetime", "报价期限", "quote due"),
        Column("lead_time", "enum", "发货周期", "lead time"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
)

COMPANY = Company(
    name=NAME,
    zh="电线电缆厂",
    en="Cable maker",
    version=VERSION,
    settings=QUOTE_SETTINGS,
    commands={"quote": QUOTE},
    rules=(PRICE_LIST, NO_VAT, SPECIAL, FLOOR, FEE, QUOTE_DUE, LEAD_TIME),
    labels={
        "3-4 days": ("3~4 天", "3-4 days"),
        "per production": ("按生产部门回复", "per production"),
    },
)
