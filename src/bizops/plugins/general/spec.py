"""What the general rules declare: the settings every company gets, the `receivables` command, rules, labels.

Spec: `spec/receivables.md`. Seed 003 (工厂业务员规范制度) gives the steps but
no day counts: each number is a setting with the spec's reading as its
default, which a company changes under `[company.NAME]` like any threshold.
"""

from __future__ import annotations

from decimal import Decimal

from bizops.api import NOW, Column, CommandSpec, Field, Rule, Setting

# -- rules: id, clause of seed 003 (or 000), what each says -------------------------------
OUTSTANDING = Rule(
    "receivables.outstanding",
    "003 二(五)1",
    en="outstanding = amount − paid; nothing left (or overpaid): settled",
    zh="未收 = 金额 − 已收；为零或多收即已结清",
)
NOTICE = Rule(
    "receivables.notice",
    "003 三(三)1",
    en="before the due date the salesperson sends a settlement notice (from notice_days before it)",
    zh="在合同约定的货款结算日前，业务员向客户发送货款结算通知",
)
CHASE = Rule(
    "receivables.chase",
    "003 三(三)2, 二(五)2",
    en="after the due date the invoice is overdue and is chased",
    zh="对于逾期未付款的客户，业务员要及时进行催收",
)
LEGAL = Rule(
    "receivables.legal",
    "003 三(三)4",
    en="overdue after repeated chasing (legal_after_chases): legal action",
    zh="对于多次催收仍未付款的客户，可寻求法律帮助",
)
BUCKETS = Rule(
    "receivables.buckets",
    "003 二(五)3, 六(一)3",
    en="overdue invoices are aged in buckets of days (bucket_days)",
    zh="定期统计货款回收情况：按逾期天数分档（账龄）",
)
RISK = Rule(
    "receivables.risk",
    "003 三(三)3, 二(五)3",
    en="a customer with an invoice over risk_after_days overdue, or at legal action, is at risk: "
    "all its open invoices warn",
    zh="对可能逾期付款的客户进行风险预警：有发票逾期超过 risk_after_days 天或已走法律途径，其全部未结发票预警",
)
OWNER = Rule(
    "receivables.owner",
    "000 二、2, 5",
    en="collections are credited to the salesperson who filed the customer first",
    zh="销售回款划归建档跟踪的业务员名下；新客户以先建客户档案者负责",
)
RULES = (OUTSTANDING, NOTICE, CHASE, LEGAL, BUCKETS, RISK, OWNER)

# -- settings every company has -------------------------------------------------------------
SETTINGS = (
    Setting(
        "terms_days",
        "int",
        30,
        en="Credit term in days, for an invoice with no due_date and no terms_days of its own",
        zh="账期天数（发票没有到期日和账期天数时）",
        ge=0,
        le=3650,  # ten years: a longer term is a typo, and the due date must stay in the calendar
    ),
    Setting(
        "notice_days",
        "int",
        7,
        en="Days before the due date from which the settlement notice is sent",
        zh="到期日前几天起发送货款结算通知",
        ge=0,
        le=3650,
    ),
    Setting(
        "legal_after_chases",
        "int",
        3,
        en="Chases of an overdue invoice after which legal action is the next step",
        zh="逾期发票催收达到此次数仍未付款即寻求法律途径",
        ge=1,
    ),
    Setting(
        "bucket_days",
        "int",
        (30, 60, 90),
        en="Three upper edges of the overdue ageing buckets, in days (1-30, 31-60, 61-90, 91+)",
        zh="逾期账龄分档的三个上限天数（1-30、31-60、61-90、91 天以上）",
        ge=1,
        le=3650,
        many=True,
    ),
    Setting(
        "risk_after_days",
        "int",
        30,
        en="A customer with an invoice more days overdue than this is at risk",
        zh="客户有发票逾期超过此天数即风险预警",
        ge=0,
        le=3650,
    ),
)

# -- the command ------------------------------------------------------------------------------
#: Input fields: one row per invoice. `zh` is the header of the accounting software's ageing export.
INPUTS = (
    Field(
        "invoice",
        "text",
        en="invoice or order number (default: the row number)",
        zh="发票号",
        aliases=("发票号码", "发票编号", "单据编号", "单据号", "invoice_no", "invoice_number"),
    ),
    Field(
        "customer",
        "text",
        en="customer name",
        zh="客户",
        required=True,
        aliases=("客户名称", "客户名", "单位名称", "往来单位", "customer_name", "client", "client_name"),
    ),
    Field(
        "salesperson",
        "text",
        en="who collects it (default: the customer's owner in the ledger)",
        zh="业务员",
        aliases=("销售员", "业务员姓名", "经办人"),
    ),
    Field(
        "amount",
        "money",
        en="invoice total",
        zh="金额",
        required=True,
        gt=0,
        # 本币金额: an accounting export's amount in 元 (its 原币金额 may be dollars: never read as the amount)
        aliases=(
            "发票金额",
            "开票金额",
            "价税合计",
            "本币金额",
            "本币价税合计",
            "本位币金额",
            "本位币价税合计",
            "invoice_amount",
            "invoice_total",
            "total_amount",
        ),
    ),
    Field(
        "paid",
        "money",
        en="paid so far (default 0, or amount − outstanding)",
        zh="已收",
        default=Decimal(0),
        ge=0,
        # An export whose amount is 本币金额 gives what was paid in 元 the same way (本币: never 原币). Each of
        # these was ignored with a warning, and the invoice aged as wholly unpaid (found attacking receivables).
        aliases=(
            "已收金额",
            "已收款",
            "已回款",
            "已核销金额",
            "已核销本币金额",
            "本币已核销金额",
            "本币已收金额",
            "已核销本位币金额",
            "本位币已核销金额",
            "本位币已收金额",
            "已收款金额",
            "实收金额",
            "已回款金额",
            "回款金额",
            "收款金额",
            "累计收款",
            "累计回款",
            "累计收款金额",
            "累计回款金额",
            "已结算金额",
            "已付金额",
            "已付款",
            # an English export's (a paid_amount column was ignored, and the invoice chased as unpaid)
            "amount_paid",
            "paid_amount",
            "total_paid",
        ),
    ),
    # An ageing export often gives what is still open rather than what was paid (未核销金额, 余额): the
    # column was ignored, and the invoice aged as wholly unpaid. The output label 未收 names it too.
    # (A plugin answering `collect` itself gets amount and paid as before, and this besides.)
    Field(
        "outstanding",
        "money",
        en="still open, as the export says: paid is then the rest of the amount",
        zh="未收金额",
        ge=0,
        aliases=(
            "未核销金额",
            "未收款",
            "应收余额",
            "余额",
            "欠款金额",
            "未核销本币金额",
            "本币未核销金额",
            "本币余额",
            "未核销本位币金额",
            "本位币未核销金额",
            "本位币余额",
            "未收款金额",
            "未回款金额",
            "未结算金额",
            "尚欠金额",
            "欠款余额",
            "欠款",
            "未付金额",
            "balance",
            "balance_due",
            "open_balance",
            "open_amount",
            "amount_due",
            "outstanding_amount",
            "amount_outstanding",
        ),
    ),
    Field(
        "due_date",
        "date",
        en="due date (default: invoice_date + terms_days)",
        zh="到期日",
        aliases=("到期日期", "应收日期", "due"),
    ),
    Field("invoice_date", "date", en="invoice date", zh="开票日期", aliases=("发票日期", "单据日期")),
    Field(
        "terms_days",
        "int",
        en="credit term in days (default: the policy's terms_days)",
        zh="账期天数",
        ge=0,
        le=3650,
        aliases=("帐期天数", "账期", "帐期", "信用期", "信用天数", "信用期限", "账期天"),
    ),
    Field(
        "chases",
        "int",
        en="times the customer was chased for this invoice",
        zh="催收次数",
        default=0,
        ge=0,
        # 已催收次数 was ignored (已 keeps it from being offered), and three chases aged as none: a chase
        # where the rules say legal action
        aliases=("催款次数", "已催收次数", "已催款次数", "催收次", "chase_count", "times_chased"),
    ),
)
OPTIONS = (
    Field(
        "as_of", "date", en="the day the report is made for (default: today)", zh="统计日期（默认今天）", default=NOW
    ),
    Field(
        "by",
        "enum",
        en="an ageing summary per customer or per salesperson instead of one row per invoice",
        zh="按客户或业务员汇总账龄（不给则每张发票一行）",
        choices=("customer", "salesperson"),
    ),
)

INVOICE_COLUMNS = (
    Column("company", "text", zh="公司", en="company"),
    Column("invoice", "text", zh="发票号", en="invoice"),
    Column("customer", "text", zh="客户", en="customer"),
    Column("salesperson", "text", zh="业务员", en="salesperson"),
    Column("amount", "money", zh="金额", en="amount"),
    Column("paid", "money", zh="已收", en="paid"),
    Column("outstanding", "money", zh="未收", en="outstanding"),
    Column("due_date", "date", zh="到期日", en="due date"),
    Column("days_overdue", "int", zh="逾期天数", en="days overdue"),
    Column("bucket", "enum", zh="账龄", en="bucket"),
    Column("next_step", "enum", zh="下一步", en="next step"),
    Column("notify_from", "date", zh="通知日", en="notify from"),
    Column("chases", "int", zh="催收次数", en="chases"),
    Column("risk_warning", "bool", zh="风险预警", en="risk warning"),
    Column("warnings", "texts", zh="提示", en="warnings"),
)


def summary_columns(key: str, zh: str) -> tuple[Column, ...]:
    """The ageing summary per `key` (customer or salesperson): open invoices only."""
    return (
        Column("company", "text", zh="公司", en="company"),
        Column(key, "text", zh=zh, en=key),
        Column("invoices", "int", zh="未结发票数", en="open invoices"),
        Column("outstanding", "money", zh="未收合计", en="outstanding"),
        Column("not_due", "money", zh="未到期", en="not due"),
        Column("d1_30", "money", zh="逾期1-30天", en="1-30 days"),
        Column("d31_60", "money", zh="逾期31-60天", en="31-60 days"),
        Column("d61_90", "money", zh="逾期61-90天", en="61-90 days"),
        Column("d91_plus", "money", zh="逾期91天以上", en="91+ days"),
        Column("overdue", "money", zh="逾期合计", en="overdue"),
        Column("at_legal", "int", zh="法律途径数", en="at legal"),
        Column("risk_warning", "bool", zh="风险预警", en="risk warning"),
        Column("warnings", "texts", zh="提示", en="warnings"),
    )


RECEIVABLES = CommandSpec(
    help="Receivables ageing: outstanding, days overdue, bucket and next collection step per invoice.",
    # Aggregate: the risk warning needs every invoice of a customer before any row is written
    # (two passes, see receivables.py); never cut across processes.
    aggregate=True,
    inputs=INPUTS,
    outputs=INVOICE_COLUMNS,
    options=OPTIONS,
    essential=("invoice", "customer", "outstanding", "days_overdue", "bucket", "next_step", "risk_warning"),
    examples=(
        (
            "bizops --company cable receivables examples/receivables/ageing.csv --as-of 2026-12-01 --format table",
            "an ageing book: each invoice's bucket and next step",
            "应收账龄表：每张发票的账龄段和下一步",
        ),
        (
            "bizops --company cable receivables examples/receivables/ageing-export.csv --as-of 2026-12-01 --by customer",
            "the accounting software's export (Chinese headers), summed per customer",
            "财务软件导出的表（中文表头），按客户汇总",
        ),
    ),
    views={
        "by": {"customer": summary_columns("customer", "客户"), "salesperson": summary_columns("salesperson", "业务员")}
    },
    labels={
        "not_due": ("未到期", "not due"),
        "settled": ("已结清", "settled"),
        "1-30": ("逾期1-30天", "1-30 days"),
        "31-60": ("逾期31-60天", "31-60 days"),
        "61-90": ("逾期61-90天", "61-90 days"),
        "91+": ("逾期91天以上", "91+ days"),
        "none": ("暂不处理", "none"),
        "notify": ("发结算通知", "notify"),
        "chase": ("催收", "chase"),
        "legal": ("法律途径", "legal action"),
    },
)
