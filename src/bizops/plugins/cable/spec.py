"""What the cable maker declares: settings, inputs, outputs, rules, labels."""

from __future__ import annotations

from decimal import Decimal

from bizops.api import NOW, Column, CommandSpec, Company, Field, Setting

from .points import CODES, POINTS, words_for
from .rules import COMMISSION_RULES, ORDER_RULES, QUOTE_RULES, SCORE_RULES

#: What order books and finance exports call the customer column, beside its label 客户.
#: 往来单位: what Kingdee's and UFIDA's lists (收款单, 应收单) call the customer.
CUSTOMER_NAMES = ("客户名称", "客户名", "单位名称", "往来单位", "customer_name", "client", "client_name")
#: A custom product as order books and quote sheets ask it (是否定制: the 是否 form is the core's, for the label).
#: 非标 (non-standard) is how a factory's order book marks a product made to order.
CUSTOM_NAMES = ("定制", "是否定制", "定制品", "非标", "非标品", "是否非标", "非标产品")
#: What a 产品类别 column says of a custom product or a standard one (left unread, 定制品 took the standard deposit).
CUSTOM_WORDS = {
    "true": ("定制", "定制品", "定制产品", "非标", "非标品", "非标准品"),
    "false": ("标准", "标准品", "常规品", "标品"),
}
#: A custom product, in a quote as in an order (the deposit rule and the quote's floor both ask).
CUSTOM = Field(
    "custom",
    "bool",
    en="custom product (定制产品)",
    zh="定制产品",
    default=False,
    aliases=CUSTOM_NAMES,
    choice_aliases=CUSTOM_WORDS,
)
#: A bare 折扣 or 下浮 could be either discount below, and one cuts pay: both declare it, so it names neither,
#: and a sheet headed so is refused until [columns] says which (ignored, it gave no discount at all).
AMBIGUOUS_DISCOUNT = ("折扣", "下浮", "折扣率", "下浮率")
#: … the special-price discount (a 特价折扣 column was ignored, and the commission it cuts paid in full) …
DISCOUNT_NAMES = (
    "特价折扣",
    "特价折扣率",
    "特价下浮率",
    "特价下浮比例",
    "特价率",
    "特价幅度",
    "特价比例",
    "特价下浮幅度",
    *AMBIGUOUS_DISCOUNT,
)
#: … and the discount for taking no VAT invoice.
NO_VAT_DISCOUNT_NAMES = ("不开票下浮", "不开票折扣", "不开增值税折扣", "无票下浮", *AMBIGUOUS_DISCOUNT)

NAME = "cable"
VERSION = "0.2.0"

# -- quote ----------------------------------------------------------------------------
QUOTE_SETTINGS = (
    Setting(
        "price_list",
        "path",
        None,
        en="Price list file (CSV or TOML): sku, guide_price, standard, harness, unit, name",
        zh="产品指导价表（CSV 或 TOML）：sku, guide_price, standard, harness, unit, name",
    ),
    Setting(
        "max_no_vat_discount_pct",
        "pct",
        Decimal(6),
        en="Largest discount for a customer taking no VAT invoice",
        zh="不开增值税的最大下浮比例",
        ge=0,
        le=100,
    ),
    Setting(
        "floor_pct",
        "pct",
        Decimal(90),
        en="Lowest sales price, as a percentage of the guide price",
        zh="最低售价占指导价的比例",
        ge=0,
        le=100,
    ),
    Setting(
        "commission_cut_per_pct",
        "decimal",
        Decimal("0.1"),
        en="Commission points cut per 1 % of special discount",
        zh="特价每降 1% 提成降低的百分点",
        ge=0,
    ),
    Setting(
        "quote_due_hours",
        "int",
        24,
        en="Hours to quote a non-standard or harness product",
        zh="非国标/线束产品报价时限（小时）",
        ge=1,
        le=8760,  # a year: a promise further out is a typo, and past ~2.7 million years no date can hold it
    ),
    Setting(
        "lead_time_standard", "text", "3-4 days", en="Lead time promised for standard products", zh="常规产品发货周期"
    ),
    Setting("lead_time_custom", "text", "per production", en="Lead time for custom products", zh="定制产品发货周期"),
)

QUOTE = CommandSpec(
    help="Price quote for a cable, wire or harness line.",
    zh="电线、电缆或线束产品的报价。",
    essential=("sku", "qty", "unit_price", "total", "status", "reason"),
    examples=(
        (
            "bizops --company cable quote --guide-price 100.00 --qty 10 --no-vat-invoice --discount-pct 2 --fee-pct 5",
            "the spec's example: unit 96.84, total 968.40",
            "规定中的例子：单价 96.84，金额 968.40",
        ),
        (
            "bizops --company cable quote examples/cable/quotes.csv --format table --explain",
            "an order book, each quote with the rules that decided it",
            "整本订单，每条报价附决定它的规则",
        ),
        (
            "bizops --company cable quote examples/cable/报价单.xlsx -o quoted.xlsx",
            "an Excel workbook in, an Excel workbook out",
            "读 Excel 工作簿，写 Excel 工作簿",
        ),
    ),
    inputs=(
        Field(
            "sku",
            "text",
            en="product code, looked up in the price list",
            zh="产品编码",
            aliases=("产品编号", "产品型号", "型号", "规格型号", "型号规格", "货号", "product code", "item"),
        ),
        Field(
            "qty",
            "decimal",
            en="quantity in the price list's unit",
            zh="数量",
            default=Decimal(1),
            gt=0,
            aliases=("quantity",),
        ),
        Field(
            "qty_unit",
            "text",
            en="what the quantity is counted in (米, 卷 …), when the order book says: it must be the price list's unit",
            zh="单位",
            default="",
            aliases=("计量单位", "数量单位", "unit"),
        ),
        Field(
            "guide_price",
            "price",
            en="guide price, tax included (the finance department's for custom products)",
            zh="指导价（含税）",
            ge=0,
        ),
        CUSTOM,
        Field(
            "vat_invoice",
            "bool",
            en="customer takes a VAT special invoice",
            zh="开增值税专用发票",
            default=True,
            aliases=("专票", "开专票", "需开专票", "要专票", "增值税专用发票"),  # each was ignored: always 是
        ),
        Field(
            "no_vat_discount_pct",
            "pct",
            en="discount for taking no VAT invoice (default 6 without one)",
            zh="不开增值税下浮",
            ge=0,
            aliases=NO_VAT_DISCOUNT_NAMES,
        ),
        Field(
            "discount_pct",
            "pct",
            en="special-price discount (特价)",
            zh="特价下浮",
            default=Decimal(0),
            ge=0,
            aliases=DISCOUNT_NAMES,
        ),
        Field(
            "fee_pct",
            "pct",
            en="PR or other fees, as a share of the sales price",
            zh="公关或其他费用占比",
            default=Decimal(0),
            aliases=("公关费比例", "公关费用占比", "费用占比", "其他费用占比"),
            ge=0,
            lt=100,
        ),
        Field("requested_at", "datetime", en="when the quote was asked for (default now)", zh="询价时间", default=NOW),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("sku", "text", zh="产品", en="sku", key=True),
        Column("qty", "decimal", zh="数量", en="qty"),
        Column("guide_price", "price", zh="指导价", en="guide price", ge=0),
        Column("no_vat_discount_pct", "decimal", zh="不开票下浮%", en="no-VAT %"),
        Column("discount_pct", "decimal", zh="特价下浮%", en="discount %"),
        Column("fee_pct", "decimal", zh="费用%", en="fee %"),
        Column("floor_unit_price", "money", zh="最低单价", en="floor", ge=0),
        Column("unit_price", "money", zh="单价", en="unit price", ge=0),
        Column("total", "money", zh="金额", en="total", ge=0),
        Column("commission_cut_pct", "decimal", zh="提成降低%", en="commission cut %"),
        Column("status", "enum", zh="结果", en="status"),
        Column("reason", "text", zh="原因", en="reason"),
        Column("max_discount_pct", "decimal", zh="最大特价%", en="max discount %"),
        Column("quote_due", "datetime", zh="报价期限", en="quote due"),
        Column("lead_time", "enum", zh="发货周期", en="lead time"),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
)

# -- approve-order ----------------------------------------------------------------------
ORDER_SETTINGS = (
    Setting(
        "home_city",
        "text",
        ("广州", "Guangzhou"),
        en="Names of the home city, where new customers may pay on delivery (a trailing 市 or 'City' is ignored)",
        zh="本市名称（新客户可货到付款；忽略末尾的“市”）",
        many=True,
    ),
    Setting(
        "cod_min_amount",
        "money",
        Decimal(1500),
        en="Smallest order a new home-city customer may pay on delivery",
        zh="市内新客户货到付款的最低单次进货金额",
        ge=0,
    ),
    Setting(
        "deposit_pct",
        "pct",
        Decimal(30),
        en="Deposit on custom products, as a share of the order",
        zh="定制产品定金比例",
        ge=0,
        le=100,
    ),
    Setting(
        "deposit_applies_to",
        "enum",
        "new",
        en="Who pays the custom-product deposit: new customers or all",
        zh="定制产品定金适用于：new 新客户 / all 所有客户",
        choices=("new", "all"),
    ),
    Setting(
        "credit_manager_over",
        "money",
        Decimal(20000),
        en="Credit orders over this need the sales manager",
        zh="帐期订单超过此金额须业务经理确认",
        ge=0,
    ),
    Setting(
        "credit_gm_over",
        "money",
        Decimal(50000),
        en="Credit orders over this also need the general manager",
        zh="帐期订单超过此金额还须总经理确认",
        ge="credit_manager_over",  # a larger order never needs fewer signatures
    ),
    Setting(
        "new_credit_both_from",
        "money",
        Decimal(20000),
        en="A new customer's credit order from this amount needs both managers",
        zh="新客户帐期订单达到此金额须业务经理和总经理确认",
        ge=0,
    ),
    Setting(
        "vat_min",
        "money",
        Decimal(5000),
        en="Smallest amount for a VAT special invoice (smaller ones accumulate)",
        zh="开增值税专用发票的最低金额（不足可累计）",
        ge=0,
    ),
)

ORDER = CommandSpec(
    help="Order approval: payment terms, deposit, invoice and who must sign.",
    zh="订单审批：付款方式、定金、发票和确认人。",
    essential=("customer", "amount", "decision", "approvers", "payment_terms", "deposit", "invoice", "reason"),
    examples=(
        (
            "bizops --company cable approve-order --customer 佛山明辉 --amount 23000 --settlement 帐期",
            "one order on credit: who must sign",
            "一张帐期订单：谁须确认",
        ),
        (
            "bizops --company cable approve-order examples/cable/orders.csv --format table --lang zh",
            "an order book, in Chinese",
            "整本订单，中文表格",
        ),
    ),
    identity="order_id",
    inputs=(
        Field(
            "order_id",
            "text",
            en="order number: recording the same order again records nothing",
            zh="订单编号：同一订单再次记录不会重复记录",
            aliases=("订单号", "单号"),
        ),
        Field(
            "customer",
            "text",
            en="customer name (the ledger's key)",
            zh="客户",
            required=True,
            aliases=CUSTOMER_NAMES,
        ),
        Field(
            "amount",
            "money",
            en="order total",
            zh="订单金额",
            required=True,
            gt=0,
            # 价税合计: an ERP's sales order total, tax included (what the customer pays, as the rules mean it)
            aliases=(
                "金额",
                "合计",
                "总金额",
                "total",
                "价税合计",
                "订单总额",
                "order_amount",
                "order_total",
                "total_amount",
            ),
        ),
        Field(
            "new_customer",
            "bool",
            en="first orders of a new customer (default: unknown to the ledger)",
            zh="新客户",
            # An order book's 新老客户 column says 新客户 or 老客户: ignored, an existing customer was decided as new
            aliases=("新老客户", "新/老客户"),
            choice_aliases={"true": ("新客户", "新"), "false": ("老客户", "老")},
        ),
        Field(
            "city",
            "text",
            en="where the customer takes delivery",
            zh="城市",
            aliases=("所在城市", "客户城市", "收货城市", "送货城市"),
        ),
        Field(
            "settlement",
            "enum",
            en="cash, or credit (帐期)",
            zh="结算方式",
            default="cash",
            choices=("cash", "credit"),
            # 付款方式, 收款方式, 付款条件: what order books head it (each was ignored, and a 60,000 credit
            # order decided as cash: no sign-off at all). 付款方式 also heads the payment terms bizops prints,
            # whose 货到付款 is a cash settlement too: a printed table read back decides as it did.
            aliases=("付款方式", "收款方式", "付款条件", "结算条件", "结算类型"),
            # 帐期 (the regulation's word) is the label; 账期 the standard spelling; 月结 (settled by monthly
            # statement), 赊销 and 挂账 are credit as order books write it; 现款/现金/现结/款到发货 say cash
            choice_aliases={
                "cash": ("现款", "现金", "现结", "现款现货", "款到发货", "先款后货", "货到付款"),
                "credit": ("账期", "赊账", "赊销", "月结", "挂账"),
            },
        ),
        CUSTOM,
        Field(
            "invoice",
            "enum",
            en="invoice asked for: none, ordinary, or vat (增值税专用发票)",
            zh="发票",
            default="ordinary",
            choices=("none", "ordinary", "vat"),
            choice_aliases={
                "none": ("无", "不开"),
                "ordinary": (
                    "普票",
                    "普通票",
                    "普通发票",
                    "增值税普通发票",
                    "增值税普票",
                    # the fully digital invoices (数电票) and e-invoices that replaced paper ones
                    "电子普票",
                    "增值税电子普通发票",
                    "数电普票",
                    "全电普票",
                    "数电票(普通发票)",
                    "全电发票(普通发票)",
                ),
                "vat": (
                    "专票",
                    "增值税发票",
                    "增票",
                    "专用发票",
                    "增值税专票",
                    "电子专票",
                    "增值税电子专用发票",
                    "数电专票",
                    "全电专票",
                    "数电票(增值税专用发票)",
                    "全电发票(增值税专用发票)",
                ),
            },
            aliases=("发票类型", "开票类型", "发票种类", "票种", "开票要求", "发票要求"),
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("customer", "text", zh="客户", en="customer", key=True),
        Column("amount", "money", zh="金额", en="amount", ge=0),
        Column("new_customer", "bool", zh="新客户", en="new customer"),
        Column("status", "enum", zh="结果", en="status"),
        Column("decision", "enum", zh="审批", en="decision"),
        Column("approvers", "texts", zh="确认人", en="approvers"),
        Column("payment_terms", "enum", zh="付款方式", en="payment terms"),
        Column("deposit", "money", zh="定金", en="deposit", ge=0),
        Column("invoice", "enum", zh="发票", en="invoice"),
        Column("vat_pending_total", "money", zh="增值税待开累计", en="VAT pending", ge=0),
        Column("vat_invoice_amount", "money", zh="增值税发票金额", en="VAT invoice amount", ge=0),
        Column("reason", "text", zh="原因", en="reason"),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
)

# -- score ----------------------------------------------------------------------------
SCORE_SETTINGS = (
    Setting(
        "base_points",
        "decimal",
        Decimal(100),
        en="Monthly review points before rewards and penalties",
        zh="月度考核基础分",
        ge=0,
    ),
    Setting(
        "bonus_cap", "decimal", Decimal(100), en="Most points paid as bonus in a month", zh="每月计发奖金的最高分", ge=0
    ),
    Setting("yuan_per_point", "money", Decimal(1), en="Bonus paid per point", zh="每分对应奖金（元）", ge=0),
    Setting(
        "dismissal_below",
        "decimal",
        Decimal(60),
        en="Monthly score under which a month counts as failed",
        zh="月度考核低于此分计为不合格",
        ge=0,
    ),
    Setting(
        "dismissal_months",
        "int",
        2,
        en="Consecutive failed months that flag a dismissal review",
        zh="连续不合格月数达到此数标记辞退审查",
        ge=1,
    ),
    Setting(
        "task_single_penalty",
        "decimal",
        Decimal(15),
        en="Points off when a week's only task is not done",
        zh="只有一项任务且未完成扣分",
        ge=0,
    ),
    Setting(
        "task_each_unfinished_penalty",
        "decimal",
        Decimal(10),
        en="Points off per unfinished task when two or more were assigned",
        zh="两项及以上任务时每项未完成扣分",
        ge=0,
    ),
)

SCORE = CommandSpec(
    help="Monthly 十奖十罚 scorecards: points, bonus, dismissal review.",
    zh="月度十奖十罚考核：得分、奖金、辞退审查。",
    aggregate=True,
    essential=("person", "period", "rewards", "penalties", "score", "bonus_yuan", "flags"),
    examples=(
        (
            "bizops --company cable score examples/cable/score-events.csv --format table --explain",
            "a month's events: each person's points, and why",
            "一个月的事项：每人得分及依据",
        ),
        (
            "bizops --company cable score --person 李明 --date 2026-11-05 --code 获得客户表扬",
            "one event from flags",
            "从参数给出一条事项",
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
            en="who the event is about",
            zh="员工",
            required=True,
            # a 奖惩登记表's own headers: every row was refused (person and code required)
            aliases=("姓名", "员工姓名", "被考核人", "责任人"),
        ),
        Field("date", "date", en="when it happened (YYYY-MM-DD)", zh="日期", required=True, aliases=("发生日期",)),
        Field(
            "code",
            "enum",
            en="what happened: " + ", ".join(CODES),
            zh="事项代码",
            required=True,
            choices=CODES,
            # the regulation's words for each (`迟到`, `日志不交`), its clause (`罚1`) and a tally's own words
            choice_aliases={code: words_for(code) for code in POINTS},
            aliases=("事项", "奖惩项目", "奖惩事项", "奖惩内容", "考核项目"),
        ),
        Field("count", "int", en="occurrences (multiplies the points)", zh="次数", default=1, ge=1),
        Field("assigned", "int", en="tasks assigned that week (code tasks)", zh="本周安排任务数", ge=0),
        Field("unfinished", "int", en="tasks not done that week (code tasks)", zh="未完成任务数", ge=0),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("person", "text", zh="员工", en="person", key=True),
        Column("period", "text", zh="月份", en="period", key=True),
        Column("base_points", "decimal", zh="基础分", en="base points"),
        Column("rewards", "decimal", zh="奖励分", en="rewards"),
        Column("penalties", "decimal", zh="扣分", en="penalties"),
        Column("score", "decimal", zh="考核分", en="score"),
        Column("bonus_yuan", "money", zh="绩效奖金", en="bonus (yuan)", ge=0),
        Column("flags", "texts", zh="标记", en="flags"),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
)

# -- commission ---------------------------------------------------------------------------
COMMISSION_SETTINGS = (
    Setting(
        "commission_pct",
        "pct",
        None,  # the seed gives no base rate: the company must say (without it, commission exits 78)
        en="Commission on collections before the special-discount cut, in % (no default: set it)",
        zh="回款提成比例（%，特价扣减前；制度未规定，须设置）",
        ge=0,
        le=100,
    ),
)

COMMISSION = CommandSpec(
    help="Commission on collections per salesperson and month, cut 0.1 point per 1 % of special discount.",
    aggregate=True,
    examples=(
        (
            "bizops --config examples/cable/bizops.toml commission examples/cable/collections.csv --format table",
            "a month of collections: each salesperson's commission (the config sets commission_pct)",
            "一个月的回款：每位业务员的提成（配置文件给出 commission_pct）",
        ),
        (
            "bizops --config examples/cable/bizops.toml commission examples/cable/collections.csv --explain",
            "the same, with the rate and the cut of each salesperson",
            "同上，附每位业务员的提成比例及降低的原因",
        ),
    ),
    inputs=(
        Field(
            "customer",
            "text",
            en="customer who paid",
            zh="客户",
            required=True,
            aliases=CUSTOMER_NAMES,
        ),
        Field(
            "amount",
            "money",
            en="amount collected",
            zh="回款金额",
            required=True,
            gt=0,
            aliases=("收款金额", "到账金额", "回款"),
        ),
        Field(
            "collected_on",
            "date",
            en="day the money came in",
            zh="回款日期",
            required=True,
            aliases=("收款日期", "到账日期", "回款日", "单据日期"),  # 单据日期: a 收款单's own date
        ),
        Field(
            "discount_pct",
            "pct",
            en="special-price discount of the order it pays (特价)",
            zh="特价下浮",
            default=Decimal(0),
            ge=0,
            le=100,  # more is a typo (`40` for `4.0`), not a discount: it would silently cut the pay to 0
            aliases=DISCOUNT_NAMES,
        ),
        Field(
            "no_vat_discount_pct",
            "pct",
            en="discount for taking no VAT invoice (read, never cuts commission)",
            zh="不开增值税下浮",
            ge=0,
            aliases=NO_VAT_DISCOUNT_NAMES,
        ),
        Field(
            "salesperson",
            "text",
            en="who is credited (default: the customer's owner)",
            zh="业务员",
            aliases=("销售员", "业务员姓名", "经办人"),
        ),
        Field(
            "receipt",
            "text",
            en="the collection's receipt number: one listed twice is counted once",
            zh="收款单号",
            # 单据编号: a 收款单序时簿's own number (two exports of overlapping weeks list a receipt twice)
            aliases=("收款单编号", "回款单号", "单据编号", "单据号", "receipt_no", "receipt_number"),
        ),
    ),
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("salesperson", "text", zh="业务员", en="salesperson"),
        Column("period", "text", zh="月份", en="period"),
        Column("collections", "int", zh="回款笔数", en="collections"),
        Column("collected", "money", zh="回款金额", en="collected", ge=0),
        Column("commission", "money", zh="提成", en="commission", ge=0),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
)

COMPANY = Company(
    name=NAME,
    zh="电线电缆厂",
    en="Cable maker",
    version=VERSION,
    settings=QUOTE_SETTINGS + ORDER_SETTINGS + SCORE_SETTINGS + COMMISSION_SETTINGS,
    commands={"quote": QUOTE, "approve-order": ORDER, "score": SCORE, "commission": COMMISSION},
    rules=QUOTE_RULES + ORDER_RULES + SCORE_RULES + COMMISSION_RULES,
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
