"""Order approval (三、客户结算与服务 1-4): payment terms, deposit, who signs, invoice.

Each rule is a function of the order and the policy; `Approver.approve` applies
them in the spec's order. History (new customer or not, the VAT amount a
customer has pending) comes from the ledger through `context.history`; writes
are kept only under --record.
"""

from __future__ import annotations

from decimal import Decimal

from bizops.api import HUNDRED, RowError, msg, round_fen

from .rules import CREDIT, DEPOSIT, TERMS, VAT

ZERO_FEN = Decimal("0.00")
SALES_MANAGER, GENERAL_MANAGER = "sales_manager", "general_manager"
#: The ledger kind under which a customer's VAT amounts below the minimum accumulate.
VAT_PENDING = "vat_pending"


def city_key(city: str) -> str:
    """A city name as compared: case and a trailing 市 / "City" do not matter (广州市 = 广州 = Guangzhou city)."""
    key = city.strip().casefold()
    for suffix in ("市", " city", "city"):
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)].rstrip()
            break
    return key


def payment_terms(new: bool, credit: bool, home: bool | None, amount: Decimal, cod_min: Decimal) -> str:
    """cable.approve.new_customer_terms: credit if on credit; else a new customer pays cash, on delivery in
    the home city from `cod_min_amount`, before shipment elsewhere; an existing customer pays cash."""
    if credit:
        return "credit"
    if not new:
        return "cash"
    if not home:
        return "prepay"
    return "cod" if amount >= cod_min else "cash"


def deposit(amount: Decimal, custom: bool, new: bool, pct: Decimal, applies_to: str) -> Decimal:
    """cable.approve.deposit: custom products pay `deposit_pct` of the order, half-up to the fen;
    by default only new customers (the sentence sits in their clause), or all with `deposit_applies_to = "all"`."""
    if custom and (new or applies_to == "all"):
        return round_fen(amount * pct / HUNDRED)
    return ZERO_FEN


def credit_approvers(
    amount: Decimal, new: bool, manager_over: Decimal, gm_over: Decimal, new_both_from: Decimal
) -> list[str]:
    """cable.approve.credit_limits: over 20,000 the sales manager, over 50,000 also the general manager;
    a new customer's order from 20,000 needs both. Only orders on credit are asked."""
    both = new and amount >= new_both_from
    approvers = []
    if both or amount > manager_over:
        approvers.append(SALES_MANAGER)
    if both or amount > gm_over:
        approvers.append(GENERAL_MANAGER)
    return approvers


def vat_invoice(asked: str, amount: Decimal, pending: Decimal, vat_min: Decimal) -> tuple[str, Decimal, Decimal | None]:
    """cable.approve.vat_invoice: a VAT special invoice from `vat_min`; below it the amount accumulates.

    Returns (invoice, pending total after this order, VAT invoice amount). An
    order asking for `vat` whose amount plus the pending total reaches the
    minimum takes the whole pending total with it.
    """
    if asked != "vat":
        return asked, pending, None
    if pending + amount >= vat_min:
        return "vat", ZERO_FEN, pending + amount
    return "vat_pending", pending + amount, None


class Approver:
    """Decides one order at a time with the policy's values, read once."""

    def __init__(self, policy, context):
        self.home_names = policy.home_city
        self.home = frozenset(city_key(name) for name in policy.home_city)
        self.cod_min = policy.cod_min_amount
        self.deposit_pct = policy.deposit_pct
        self.deposit_applies_to = policy.deposit_applies_to
        self.manager_over = policy.credit_manager_over
        self.gm_over = policy.credit_gm_over
        self.new_both_from = policy.new_credit_both_from
        self.vat_min = policy.vat_min
        self.context = context
        self.history = context.history
        self.explain = context.explain
        # Without a ledger every customer is unknown: say so once, not on every row.
        self._no_ledger_warned = getattr(self.history, "exists", True) is not False

    def approve(self, order: dict) -> dict:
        """One order: terms, deposit, approvers, invoice; history read and written through the ledger."""
        customer, amount = order["customer"], order["amount"]
        credit = order["settlement"] == "credit"
        warnings: list = []
        trace: list = []
        new = self.is_new(customer, order["new_customer"], warnings)
        home = None
        if new and not credit:
            if not order["city"]:
                raise RowError(
                    msg(
                        "city is needed to set a new customer's payment terms (home city: {h})",
                        "新客户需填写城市 city 才能确定付款方式（本市：{h}）",
                        h=" / ".join(self.home_names),
                    )
                )
            home = city_key(order["city"]) in self.home
        terms = payment_terms(new, credit, home, amount, self.cod_min)
        down = deposit(amount, order["custom"], new, self.deposit_pct, self.deposit_applies_to)
        approvers = credit_approvers(amount, new, self.manager_over, self.gm_over, self.new_both_from) if credit else []
        pending = self.history.total(VAT_PENDING, customer)
        invoice, pending_after, vat_amount = vat_invoice(order["invoice"], amount, pending, self.vat_min)
        if invoice == "vat_pending":
            self.history.add(VAT_PENDING, customer, amount)
        elif invoice == "vat" and pending:
            self.history.add(VAT_PENDING, customer, -pending)
        result = {
            "customer": customer,
            "amount": amount,
            "new_customer": new,
            "status": "ok",
            "decision": "needs_approval" if approvers else "approved",
            "approvers": approvers,
            "payment_terms": terms,
            "deposit": down,
            "invoice": invoice,
            "vat_pending_total": round_fen(pending_after),
            "vat_invoice_amount": None if vat_amount is None else round_fen(vat_amount),
            "reason": None,
            "warnings": warnings,
        }
        if self.explain:
            trace.append(TERMS.applied(self.terms_effect(terms, new, amount, order["city"])))
            trace.append(DEPOSIT.applied(self.deposit_effect(down, order["custom"], new)))
            if credit:
                trace.append(CREDIT.applied(self.credit_effect(approvers, amount, new)))
            if order["invoice"] == "vat":
                trace.append(VAT.applied(self.vat_effect(invoice, amount, pending, pending_after)))
            result["trace"] = trace
        return result

    def is_new(self, customer: str, given: bool | None, warnings: list) -> bool:
        """A new customer is as the order says; when it does not say, one the ledger has never seen."""
        if given is not None:
            return given
        if not self._no_ledger_warned:
            self._no_ledger_warned = True
            self.context.warn(
                msg(
                    "no ledger: a customer without new_customer is taken as new",
                    "没有台账：未填 new_customer 的客户按新客户处理",
                )
            )
        known = self.history.known_customer(customer)
        if known:
            warnings.append(
                msg(
                    "new_customer not given: taken from the ledger, which knows {c} (existing customer)",
                    "未填 new_customer：按台账判断，{c} 是老客户",
                    c=customer,
                )
            )
        else:
            warnings.append(
                msg(
                    "new_customer not given: taken from the ledger, where {c} is unknown (new customer)",
                    "未填 new_customer：按台账判断，{c} 未曾出现，按新客户处理",
                    c=customer,
                )
            )
        return not known

    # -- trace wording (only under --explain) ------------------------------------------
    def terms_effect(self, terms: str, new: bool, amount: Decimal, city: str | None):
        if terms == "credit":
            return msg("credit settlement", "帐期结算")
        if not new:
            return msg("existing customer: cash", "老客户：现款现货")
        if terms == "prepay":
            return msg(
                "new customer outside the home city ({c}): pay before shipment", "市外新客户（{c}）：款到发货", c=city
            )
        if terms == "cod":
            return msg(
                "new customer in {c}, {a} ≥ {m}: pay on delivery",
                "市内新客户（{c}），{a} ≥ {m}：货到付款",
                c=city,
                a=round_fen(amount),
                m=self.cod_min,
            )
        return msg(
            "new customer in {c}, {a} < {m}: cash",
            "市内新客户（{c}），{a} < {m}：现款现货",
            c=city,
            a=round_fen(amount),
            m=self.cod_min,
        )

    def deposit_effect(self, down: Decimal, custom: bool, new: bool):
        if custom and (new or self.deposit_applies_to == "all"):
            return msg("custom product: {p} % deposit = {d}", "定制产品：{p}% 定金 = {d}", p=self.deposit_pct, d=down)
        if custom:
            return msg(
                "custom product of an existing customer: no deposit (deposit_applies_to = new)",
                "老客户定制产品：无须定金（deposit_applies_to = new）",
            )
        return msg("not a custom product: no deposit", "非定制产品：无须定金")

    def credit_effect(self, approvers: list, amount: Decimal, new: bool):
        if new and amount >= self.new_both_from:
            return msg(
                "new customer on credit, {a} ≥ {m}: sales manager and general manager",
                "新客户帐期，{a} ≥ {m}：业务经理和总经理确认",
                a=round_fen(amount),
                m=self.new_both_from,
            )
        if GENERAL_MANAGER in approvers:
            return msg(
                "credit order {a} > {m}: sales manager and general manager",
                "帐期订单 {a} > {m}：业务经理和总经理确认",
                a=round_fen(amount),
                m=self.gm_over,
            )
        if approvers:
            return msg(
                "credit order {a} > {m}: sales manager",
                "帐期订单 {a} > {m}：业务经理确认",
                a=round_fen(amount),
                m=self.manager_over,
            )
        return msg(
            "credit order {a} ≤ {m}: no sign-off needed",
            "帐期订单 {a} ≤ {m}：无须确认",
            a=round_fen(amount),
            m=self.manager_over,
        )

    def vat_effect(self, invoice: str, amount: Decimal, pending: Decimal, after: Decimal):
        if invoice == "vat":
            return msg(
                "{p} pending + {a} ≥ {m}: VAT invoice for {t}",
                "累计 {p} + {a} ≥ {m}：开增值税专用发票 {t}",
                p=round_fen(pending),
                a=round_fen(amount),
                m=self.vat_min,
                t=round_fen(pending + amount),
            )
        return msg(
            "{p} pending + {a} < {m}: accumulates ({t} pending)",
            "累计 {p} + {a} < {m}：继续累计（待开 {t}）",
            p=round_fen(pending),
            a=round_fen(amount),
            m=self.vat_min,
            t=round_fen(after),
        )
