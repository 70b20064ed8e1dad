"""Cable quotes (三、市场价格 and 四、其他事项): one function per rule, applied in order.

    base  = guide × (1 − (no_vat_discount + discount) / 100)      cable.price.no_vat, .special
    floor = guide × floor_pct / 100; base < floor is refused      cable.price.floor
    unit  = base / (1 − fee / 100), half-up to the fen            cable.price.fee
    total = unit × qty, half-up to the fen

Money stays `Decimal` throughout; the floor is compared exactly and only the
shown `floor_unit_price`, `unit_price` and `total` are rounded.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bizops.core.errors import RowError
from bizops.core.i18n import msg
from bizops.core.money import HUNDRED, ZERO, decimal_text, round_fen
from bizops.plugins.cable.prices import ListedProduct, load_price_list
from bizops.plugins.cable.spec import FEE, FLOOR, LEAD_TIME, NO_VAT, PRICE_LIST, QUOTE_DUE, SPECIAL


class Quoter:
    """Quotes one request at a time with the policy's values, read once."""

    def __init__(self, policy, context):
        self.prices: dict[str, ListedProduct] | None = (
            load_price_list(policy.price_list) if policy.price_list else None
        )
        self.max_no_vat = policy.max_no_vat_discount_pct
        self.floor_pct = policy.floor_pct
        self.cut_per_pct = policy.commission_cut_per_pct
        self.due = timedelta(hours=policy.quote_due_hours)
        self.lead_standard = policy.lead_time_standard
        self.lead_custom = policy.lead_time_custom
        self.explain = context.explain

    def quote(self, request: dict) -> dict:
        warnings: list = []
        trace: list = []
        guide, listed = self.guide_price(request, warnings, trace)
        no_vat = self.no_vat_discount(request, trace)
        discount = request["discount_pct"]
        fee = request["fee_pct"]
        qty = request["qty"]
        max_discount = HUNDRED - self.floor_pct - no_vat
        base = guide * (HUNDRED - no_vat - discount) / HUNDRED
        floor = guide * self.floor_pct / HUNDRED
        cut = discount * self.cut_per_pct
        result = {
            "sku": request["sku"],
            "qty": qty,
            "guide_price": guide,
            "no_vat_discount_pct": no_vat,
            "discount_pct": discount,
            "fee_pct": fee,
            "floor_unit_price": round_fen(floor),
            "commission_cut_pct": cut,
            "max_discount_pct": max_discount,
            "warnings": warnings,
        }
        if self.explain and discount:
            trace.append(SPECIAL.applied(msg("{d} % special discount cuts commission by {c} points",
                                             "特价下浮 {d}%，提成降 {c} 个百分点", d=discount, c=cut)))
        if base < floor:
            result.update(unit_price=None, total=None, status="refused", reason=msg(
                "below the floor of {p} % of the guide price ({f}); the largest special discount allowed is {m} %",
                "低于指导价的 {p}%（{f}）；最多可特价下浮 {m}%",
                p=decimal_text(self.floor_pct), f=round_fen(floor), m=decimal_text(max_discount)))
            if self.explain:
                trace.append(FLOOR.applied(msg("base {b} is below the floor {f}: refused",
                                               "基价 {b} 低于最低价 {f}：拒绝", b=base, f=floor)))
        else:
            unit = round_fen(base * HUNDRED / (HUNDRED - fee)) if fee else round_fen(base)
            result.update(unit_price=unit, total=round_fen(unit * qty), status="ok", reason=None)
            if self.explain:
                trace.append(FLOOR.applied(msg("base {b} is not below the floor {f}", "基价 {b} 不低于最低价 {f}",
                                               b=base, f=floor)))
                if fee:
                    trace.append(FEE.applied(msg("{b} / (1 - {x} %) = {u} after rounding",
                                                 "{b} / (1 - {x}%) = {u}（四舍五入到分）", b=base, x=fee, u=unit)))
        result["quote_due"] = self.quote_due(request, listed, trace)
        result["lead_time"] = self.lead_time(request, listed, trace)
        if self.explain:
            result["trace"] = trace
        return result

    def guide_price(self, request: dict, warnings: list, trace: list) -> tuple[Decimal, ListedProduct | None]:
        """cable.price.list: the list's price for a standard product, else the finance department's."""
        given = request["guide_price"]
        listed = self.prices.get(request["sku"]) if self.prices is not None and request["sku"] else None
        if listed is not None and not request["custom"]:
            if given is not None and given != listed.guide_price:
                warnings.append(msg("the price list's guide price {l} is used, not the {g} given",
                                    "采用价格表指导价 {l}，而非输入的 {g}", l=listed.guide_price, g=given))
            if self.explain:
                trace.append(PRICE_LIST.applied(msg("guide price {l} from the price list", "指导价 {l} 取自价格表",
                                                    l=listed.guide_price)))
            return listed.guide_price, listed
        if given is None:
            if request["custom"]:
                why = msg("a custom product needs the finance department's guide_price",
                          "定制产品需要财务部提供的指导价 guide_price")
            elif self.prices is None:
                why = msg("guide_price is required (no price list is configured)",
                          "需要指导价 guide_price（未配置价格表）")
            else:
                why = msg("{s!r} is not on the price list: give the finance department's guide_price",
                          "{s!r} 不在价格表上：请填写财务部提供的指导价 guide_price", s=request["sku"] or "")
            raise RowError(why)
        if self.explain:
            trace.append(PRICE_LIST.applied(msg("guide price {g} from the request (finance department)",
                                                "指导价 {g} 取自请求（财务部）", g=given)))
        return given, listed

    def no_vat_discount(self, request: dict, trace: list) -> Decimal:
        """cable.price.no_vat: up to 6 % off for a customer who takes no VAT invoice."""
        asked = request["no_vat_discount_pct"]
        if request["vat_invoice"]:
            if asked:
                raise RowError(msg("no_vat_discount_pct must be 0 when vat_invoice is true, got {a}",
                                   "开增值税发票时不开票下浮必须为 0，实际为 {a}", a=asked))
            return ZERO
        if asked is None:
            asked = self.max_no_vat
        if asked > self.max_no_vat:
            raise RowError(msg("no_vat_discount_pct must be ≤ {m}, got {a}", "不开票下浮不能超过 {m}，实际为 {a}",
                               m=self.max_no_vat, a=asked))
        if self.explain and asked:
            trace.append(NO_VAT.applied(msg("no VAT invoice: {a} % off", "不开增值税：下浮 {a}%", a=asked)))
        return asked

    def quote_due(self, request: dict, listed: ListedProduct | None, trace: list):
        """cable.price.quote_due: custom, unlisted, non-standard and harness products within 24 h."""
        if request["custom"]:
            why = msg("custom product", "定制产品")
        elif self.prices is not None and listed is None:
            why = msg("not on the price list", "不在价格表上")
        elif listed is not None and (not listed.standard or listed.harness):
            why = msg("harness product" if listed.harness else "non-standard product",
                      "线束产品" if listed.harness else "非国标产品")
        else:
            return None
        due = request["requested_at"] + self.due
        if self.explain:
            trace.append(QUOTE_DUE.applied(msg("{w}: quote due by {d:%Y-%m-%d %H:%M}", "{w}：须在 {d:%Y-%m-%d %H:%M} 前报价",
                                               w=why, d=due)))
        return due

    def lead_time(self, request: dict, listed: ListedProduct | None, trace: list) -> str:
        """cable.price.lead_time: 3-4 days for standard products, as production says for custom ones."""
        custom = request["custom"] or (listed is not None and not listed.standard)
        lead = self.lead_custom if custom else self.lead_standard
        if self.explain:
            trace.append(LEAD_TIME.applied(msg("lead time: {l}", "发货周期：{l}", l=lead)))
        return lead
