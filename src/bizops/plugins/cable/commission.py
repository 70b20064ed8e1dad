"""Commission on collections (销售回款), per salesperson and month (`bizops commission`).

    rate_pct   = max(commission_pct − commission_cut_per_pct × discount_pct, 0)    cable.commission.rate
    commission = amount × rate_pct / 100, half-up to the fen, per collection       cable.commission.amount
    salesperson: the row's, else who filed the customer first (the ledger)         cable.commission.owner

Seed 000 line 61 credits collections to the salesperson who filed the
customer; line 75 cuts the commission by 0.1 point per 1 % of special
discount (the same `commission_cut_per_pct` the quote reports). The seed
gives no base rate: `commission_pct` has no default, and without it the
command exits 78 naming the setting and where to put it.

Where the spec is silent:

- `no_vat_discount_pct`, the discount for taking no VAT invoice, is read and
  never cuts the commission (line 75 speaks of special prices only).
- A discount so deep that the rate would fall below 0 earns nothing (never a
  negative commission, which would take money back from other collections);
  the month's row warns how many collections earned nothing that way.
- A month is `YYYY-MM` of `collected_on`. Collections with no salesperson
  (none on the row, no owner in the ledger) are one row under `""`, with a
  warning: someone has to file those customers.
- A receipt number (`receipt`, a 收款单's 单据编号) listed twice is counted
  once: the later row is that row's error, naming the first (two exports of
  overlapping weeks pasted together paid the overlap's commission twice).
  Rows without one are each counted. The numbers seen are kept for the run:
  memory grows with the receipts given, a month's collections.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from bizops.api import (
    CENT,
    HUNDRED,
    ZERO,
    ConfigError,
    Outcome,
    Request,
    RowError,
    Text,
    decimal_text,
    msg,
    name_key,
    quantize_half_up,
)

from .rules import COMMISSION_AMOUNT, COMMISSION_OWNER, COMMISSION_RATE


def rate_pct(commission_pct: Decimal, cut_per_pct: Decimal, discount_pct: Decimal) -> Decimal:
    """cable.commission.rate: the base rate less the cut for the special discount, never below 0."""
    return max(commission_pct - cut_per_pct * discount_pct, ZERO)


def commission(amount: Decimal, rate: Decimal) -> Decimal:
    """cable.commission.amount: one collection's commission, half-up to the fen."""
    return quantize_half_up(amount * rate / HUNDRED, CENT)


def base_rate(policy: Any) -> Decimal:
    """`commission_pct`, which the seed leaves to the company: unset is a config error (exit 78) saying where."""
    value = policy.commission_pct
    if value is None:
        raise ConfigError(
            msg(
                "commission_pct is not set: the regulations give no commission rate. Set it under "
                "[company.{c}] in the config file (bizops.toml, or --config FILE), e.g. commission_pct = 3 "
                "for 3 % of each collection; `bizops --company {c} policy init` writes every setting",
                "未设置 commission_pct：制度未规定提成比例。请在配置文件（bizops.toml 或 --config 指定的文件）的 "
                "[company.{c}] 下设置，如 commission_pct = 3 表示回款的 3%；"
                "`bizops --company {c} policy init` 可写出全部设置",
                c=policy.company,
            )
        )
    return value


class Month:
    """One salesperson's collections in one month; `lines` (discount -> [count, amount, commission]) feed the trace."""

    __slots__ = ("collected", "commission", "count", "lines", "owned", "unowned", "zero_rate")

    def __init__(self) -> None:
        self.count = self.owned = self.unowned = self.zero_rate = 0
        self.collected = self.commission = ZERO
        self.lines: dict[Decimal, list] = {}


class Commissions:
    """Adds collections into months per salesperson, then writes them sorted by salesperson and month."""

    def __init__(self, policy: Any, context: Any):
        self.base = base_rate(policy)
        self.cut = policy.commission_cut_per_pct
        self.context = context
        self.explain = context.explain
        self.owners: dict[str, str | None] = {}

    def run(self, collections: Iterable[Request]) -> Iterator[Outcome]:
        months: dict[tuple[str, str], Month] = {}
        rates: dict[Decimal, Decimal] = {}  # discount -> rate: a month of collections repeats its discounts
        receipts: dict[str, Any] = {}  # receipt number -> the row that counted it
        for row, fields in collections:
            receipt = fields.get("receipt")
            if receipt:
                number = name_key(receipt)
                first = receipts.setdefault(number, row)
                if first != row:
                    yield RowError(
                        msg(
                            "receipt {r} is listed twice (first in row {f}): counted once",
                            "收款单 {r} 重复列出（首次在第 {f} 行）：只计一次",
                            r=receipt,
                            f=first,
                        ),
                        row,
                    )
                    continue
            discount, amount = fields["discount_pct"], fields["amount"]
            rate = rates.get(discount)
            if rate is None:
                rate = rates[discount] = rate_pct(self.base, self.cut, discount)
            named = fields["salesperson"]
            salesperson = named or self.owner(fields["customer"])
            day = fields["collected_on"]
            key = (name_key(salesperson or ""), f"{day.year:04d}-{day.month:02d}")  # `李 明` is 李明: one month
            month = months.get(key)
            if month is None:
                month = months[key] = Month()
            earned = commission(amount, rate)
            month.count += 1
            month.collected += amount
            month.commission += earned
            month.owned += not named and bool(salesperson)
            month.unowned += not salesperson
            month.zero_rate += not rate
            if self.explain:
                line = month.lines.setdefault(discount, [0, ZERO, ZERO])
                line[0], line[1], line[2] = line[0] + 1, line[1] + amount, line[2] + earned
        for (salesperson, period), month in sorted(months.items()):
            result = {
                "salesperson": salesperson,
                "period": period,
                "collections": month.count,
                "collected": month.collected,
                "commission": month.commission,
                "warnings": self.warnings(month),
            }
            if self.explain:
                result["trace"] = self.trace(month, rates)
            yield result

    def owner(self, customer: str) -> str | None:
        """cable.commission.owner: who filed the customer first, looked up once per customer."""
        key = name_key(customer)
        try:
            return self.owners[key]
        except KeyError:
            owner = self.owners[key] = self.context.history.owner(key)
            return owner

    def warnings(self, month: Month) -> list[Text]:
        found = []
        if month.unowned:
            found.append(
                msg(
                    "{n} collection(s) name no salesperson, and the ledger has no owner of their customer",
                    "{n} 笔回款未注明业务员，台账中也没有其客户的建档业务员",
                    n=month.unowned,
                )
            )
        if month.zero_rate:
            found.append(
                msg(
                    "{n} collection(s) at a special discount that leaves no commission",
                    "{n} 笔回款的特价下浮使提成降为 0",
                    n=month.zero_rate,
                )
            )
        return found

    def trace(self, month: Month, rates: dict[Decimal, Decimal]) -> list:
        trace = []
        for discount, (count, amount, earned) in sorted(month.lines.items()):
            rate = rates[discount]
            trace.append(
                COMMISSION_RATE.applied(
                    msg(
                        "{b} − {c} × {d} % special discount = {r} %",
                        "{b} − {c} × 特价下浮 {d}% = {r}%",
                        b=decimal_text(self.base),
                        c=decimal_text(self.cut),
                        d=decimal_text(discount),
                        r=decimal_text(rate.normalize()),
                    )
                )
            )
            trace.append(
                COMMISSION_AMOUNT.applied(
                    msg(
                        "{n} collection(s), {a} at {r} %: {e}",
                        "{n} 笔回款，{a} × {r}%：{e}",
                        n=count,
                        a=amount,
                        r=decimal_text(rate.normalize()),
                        e=earned,
                    )
                )
            )
        if month.owned:
            trace.append(
                COMMISSION_OWNER.applied(
                    msg(
                        "{n} collection(s) naming no salesperson: credited to who filed the customer first",
                        "{n} 笔回款未注明业务员：划归最先建档的业务员",
                        n=month.owned,
                    )
                )
            )
        return trace


def commissions(collections: Iterable[Request], policy: Any, context: Any) -> Iterator[Outcome]:
    """The cable maker's `bizops_commission`: one row per salesperson and month."""
    return Commissions(policy, context).run(collections)
