"""The cable maker's rules: id, seed clause (000 = seed `000_58b8834288199564.txt`), what each says.

Ids are the spec's (`spec/cable.md`); `--explain` shows them with their clause.
The document numbers the settlement section 三 twice, hence 三、客户结算与服务.
"""

from __future__ import annotations

from bizops.api import Rule

# -- quote: 三、市场价格 and 四、其他事项 ------------------------------------------
PRICE_LIST = Rule(
    "cable.price.list",
    "000 三、市场价格 1",
    en="standard products at the list's guide price; custom and unlisted ones at the finance department's",
    zh="常规产品按指导价，定制或表外产品按财务部指导价",
)
NO_VAT = Rule(
    "cable.price.no_vat",
    "000 三、市场价格 2",
    en="no VAT invoice: at most 6 % off the guide price",
    zh="不开增值税最多下浮 6%",
)
SPECIAL = Rule(
    "cable.price.special",
    "000 三、市场价格 3",
    en="each 1 % of special discount cuts commission 0.1 point",
    zh="特价每降 1%，提成降 0.1%",
)
FLOOR = Rule(
    "cable.price.floor", "000 三、市场价格 3", en="never below 90 % of the guide price", zh="不得低于指导价的 90%"
)
FEE = Rule(
    "cable.price.fee",
    "000 三、市场价格 4",
    en="with a fee of x %: price = base / (1 - x %)",
    zh="含公关费用 x%：销售价 = 基价 / (1 - x%)",
)
QUOTE_DUE = Rule(
    "cable.price.quote_due",
    "000 四、其他事项 3",
    en="non-standard and harness products quoted within 24 h",
    zh="非国标及线束产品 24 小时内报价",
)
LEAD_TIME = Rule(
    "cable.price.lead_time",
    "000 四、其他事项 1",
    en="standard products ship in 3-4 days; custom as production says",
    zh="常规产品 3~4 天发货；定制产品按生产部门回复",
)

# -- approve-order: 三、客户结算与服务 ------------------------------------------------
TERMS = Rule(
    "cable.approve.new_customer_terms",
    "000 三、客户结算与服务 1, 2",
    en="new customers pay cash; in Guangzhou from 1,500 on delivery, elsewhere before shipment",
    zh="新客户现款现货；广州市内 1500 元以上货到付款，市外款到发货",
)
DEPOSIT = Rule(
    "cable.approve.deposit",
    "000 三、客户结算与服务 1",
    en="custom products need a 30 % deposit",
    zh="定制产品须交货款 30% 定金",
)
CREDIT = Rule(
    "cable.approve.credit_limits",
    "000 三、客户结算与服务 3",
    en="credit over 20,000 needs the sales manager, over 50,000 also the general manager; "
    "a new customer's from 20,000 both",
    zh="帐期超 2 万经业务经理、超 5 万经总经理；新客户 2 万以上两者确认",
)
VAT = Rule(
    "cable.approve.vat_invoice",
    "000 三、客户结算与服务 4",
    en="VAT special invoices from 5,000; smaller amounts accumulate",
    zh="增值税发票须满 5000 元，不足可累计",
)

# -- score: 十奖十罚 and the monthly review -------------------------------------------
REWARDS = Rule(
    "cable.score.rewards",
    "000 十奖十罚 三、绩效分值奖励标准 1-10",
    en="points added per rewarded deed",
    zh="绩效分值奖励",
)
PENALTIES = Rule(
    "cable.score.penalties",
    "000 十奖十罚 四、绩效分值处罚标准 1-10",
    en="points deducted per offence",
    zh="绩效分值处罚",
)
TASKS = Rule(
    "cable.score.tasks",
    "000 十奖十罚 四、绩效分值处罚标准 6",
    en="a week's tasks: one assigned and not done -15; of two or more, -10 per unfinished task",
    zh="任务完成质量：只有一项未完成扣 15 分；两项及以上任一项未完成扣 10 分",
)
MONTHLY = Rule(
    "cable.score.monthly",
    "000 五、绩效考核",
    en="100-point monthly review, 1 yuan a point",
    zh="考核总分 100 分，对应 100 元绩效奖金",
)
DISMISSAL = Rule(
    "cable.score.dismissal",
    "000 五、绩效考核",
    en="two consecutive months under 60: dismissal review",
    zh="连续两月低于 60 分作辞退处理",
)

QUOTE_RULES = (PRICE_LIST, NO_VAT, SPECIAL, FLOOR, FEE, QUOTE_DUE, LEAD_TIME)
ORDER_RULES = (TERMS, DEPOSIT, CREDIT, VAT)
SCORE_RULES = (REWARDS, PENALTIES, TASKS, MONTHLY, DISMISSAL)

# -- commission: 二、市场的信息收集整理与分配 and 三、市场价格 ---------------------------------
COMMISSION_RATE = Rule(
    "cable.commission.rate",
    "000 三、市场价格 3",
    en="commission rate = commission_pct − 0.1 point per 1 % of special discount, never below 0",
    zh="提成比例 = 基本提成 − 特价每降 1% 降 0.1%，最低为 0",
)
COMMISSION_AMOUNT = Rule(
    "cable.commission.amount",
    "000 二、2",
    en="each collection earns amount × rate, rounded half-up to the fen, credited to the customer's salesperson",
    zh="每笔回款提成 = 回款金额 × 提成比例（四舍五入到分），划归该客户的业务员",
)
COMMISSION_OWNER = Rule(
    "cable.commission.owner",
    "000 二、2, 5",
    en="a collection naming no salesperson goes to the one who filed the customer first",
    zh="未注明业务员的回款划归最先建立客户档案的业务员",
)

COMMISSION_RULES = (COMMISSION_RATE, COMMISSION_AMOUNT, COMMISSION_OWNER)
