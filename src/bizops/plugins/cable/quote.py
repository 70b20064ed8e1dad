"""Cable quotes (三、市场价格 and 四、其他事项): one function per rule, applied in order.

    base  = guide × (1 − (no_vat_discount + discount) / 100)      cable.price.no_vat, .special
    floor = guide × floor_pct / 100; base < floor is refused      cable.price.floor
    unit  = base / (1 − fee / 100), half-up to the fen            cable.price.fee
    total = unit × qty, half-up to the fen

Money stays `Decimal` throughout; the floor is compared exactly and only the
shown `floor_unit_price`, `unit_price` and `total` are rounded. The fee
quotient is inexact, but its denominator has at most a few digits, so it is
never within the context's 50 digits of a half fen without being on it: the
half-up rounding of the true value and of the computed one agree.

This runs once per row of million-row order books: what depends only on the
policy is read once in `Quoter`, and the trace is built only under --explain.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from bizops.api import CENT, HUNDRED, ZERO, RowError, decimal_text, format_datetime, msg, name_key, quantize_half_up

from .prices import ListedProduct, load_price_list
from .rules import FEE, FLOOR, LEAD_TIME, NO_VAT, PRICE_LIST, QUOTE_DUE, SPECIAL


def plain(value: Decimal) -> Decimal:
    """The same number without trailing zeros (`0.0` → `0`, `1.0` → `1`), never an exponent."""
    value = value.normalize()
    exponent = value.as_tuple().exponent  # an int for every finite number
    return value.quantize(1) if isinstance(exponent, int) and exponent > 0 else value


def shown(value: Decimal) -> Decimal:
    """An exact amount for a trace: two decimals, or more when it has them (`90.000` → `90.00`)."""
    rounded = value.quantize(CENT)
    return rounded if rounded == value else plain(value)


#: The default lead times in Chinese, for the trace (tables translate the column with the labels).
LEAD_TIME_ZH = {"3-4 days": "3~4 天", "per production": "按生产部门回复"}


def _same_unit(given: str, listed: str) -> bool:
    from bizops.api import same_unit  # only for an order book that says its unit

    return same_unit(given, listed)


class Quoter:
    """Quotes one request at a time with the policy's values, read once."""

    def __init__(self, policy, context):
        self.prices: dict[str, ListedProduct] | None = (
            load_price_list(policy.price_list, context.warn) if policy.price_list else None
        )
        self.max_no_vat = policy.max_no_vat_discount_pct
        self.floor_pct = policy.floor_pct
        self.floor_share = policy.floor_pct / HUNDRED
        self.cut_per_pct = policy.commission_cut_per_pct
        self.due_hours = policy.quote_due_hours
        self.due = timedelta(hours=self.due_hours)
        self.lead_standard = policy.lead_time_standard
        self.lead_custom = policy.lead_time_custom
        self.explain = context.explain
        # A stream repeats a handful of discounts: derive their columns once each.
        self._cuts: dict[Decimal, Decimal] = {}
        self._max_discounts: dict[Decimal, Decimal] = {}
        self._kept: dict[tuple[Decimal, Decimal], Decimal] = {}
        self._fee_shares: dict[Decimal, Decimal] = {}  # 100 − fee, the share of the price left after it

    def quote(self, request: dict) -> dict:
        """One quote: every rule of the spec, in the order the spec lists them."""
        explain = self.explain
        # A list under --explain, else None: the rules append to it only under --explain.
        trace: Any = [] if explain else None
        warnings: list = []
        # The common row (its own guide price, no list; a VAT invoice) skips the rule functions' calls.
        guide = request["guide_price"]
        if self.prices is None and guide is not None and not request["custom"] and not explain:
            listed = None
        else:
            guide, listed = self.guide_price(request, warnings, trace)
        if request["vat_invoice"] and not request["no_vat_discount_pct"] and not explain:
            no_vat = ZERO
        else:
            no_vat = self.no_vat_discount(request, trace)
        discount = request["discount_pct"]
        fee = request["fee_pct"]
        qty = request["qty"]
        cut = self._cuts.get(discount)
        if cut is None:
            cut = self.commission_cut(discount)
        max_discount = self._max_discounts.get(no_vat)
        if max_discount is None:
            max_discount = self.max_discount(no_vat)
        # base = guide × kept / 100, with kept = 100 − both discounts. Compared with
        # the floor (guide × floor_pct / 100) it is below exactly when kept < floor_pct
        # (for a guide price above zero), so the row needs no base unless shown.
        kept = self._kept.get((no_vat, discount))
        if kept is None:
            kept = self.kept(no_vat, discount)
        scaled = guide * kept  # base × 100, exact
        floor = guide * self.floor_share
        custom = request["custom"]
        if explain and discount:
            trace.append(
                SPECIAL.applied(
                    msg(
                        "{d} % special discount cuts commission by {c} points",
                        "特价下浮 {d}%，提成降 {c} 个百分点",
                        d=discount,
                        c=cut,
                    )
                )
            )
        refused = kept < self.floor_pct and guide
        if refused:
            unit = total = None
        else:
            # unit = base / (1 − fee/100) = guide × kept / (100 − fee), half-up to the fen
            kept_of_price = self._fee_shares.get(fee)
            if kept_of_price is None:
                kept_of_price = HUNDRED - fee
                if len(self._fee_shares) < 1024:
                    self._fee_shares[fee] = kept_of_price
            unit = quantize_half_up(scaled / kept_of_price, CENT)
            total = quantize_half_up(unit * qty, CENT)
        result = {
            "sku": request["sku"],
            "qty": qty,
            "guide_price": guide,
            "no_vat_discount_pct": no_vat,
            "discount_pct": discount,
            "fee_pct": fee,
            "floor_unit_price": quantize_half_up(floor, CENT),
            "unit_price": unit,
            "total": total,
            "commission_cut_pct": cut,
            "status": "ok",
            "reason": None,
            "max_discount_pct": max_discount,
            "quote_due": None,
            "lead_time": self.lead_custom if custom else self.lead_standard,
            "warnings": warnings,
        }
        if refused:
            self.refuse(result, scaled / HUNDRED, floor, max_discount, trace)
        elif explain:
            base = scaled / HUNDRED
            trace.append(
                FLOOR.applied(
                    msg(
                        "base {b} is not below the floor {f}",
                        "基价 {b} 不低于最低价 {f}",
                        b=shown(base),
                        f=shown(floor),
                    )
                )
            )
            if fee:
                trace.append(
                    FEE.applied(
                        msg(
                            "{b} / (1 - {x} %) = {u} after rounding",
                            "{b} / (1 - {x}%) = {u}（四舍五入到分）",
                            b=shown(base),
                            x=fee,
                            u=unit,
                        )
                    )
                )
        if custom or listed is not None or self.prices is not None:
            result["quote_due"] = self.quote_due(request, listed, trace)
        if explain:
            lead = result["lead_time"]
            lead_zh = LEAD_TIME_ZH.get(lead, lead)
            trace.append(
                LEAD_TIME.applied(
                    msg("custom product: {l}", "定制产品：{z}", l=lead, z=lead_zh)
                    if custom
                    else msg("standard product: {l}", "常规产品：{z}", l=lead, z=lead_zh)
                )
            )
            result["trace"] = trace
        return result

    def guide_price(self, request: dict, warnings: list, trace: list) -> tuple[Decimal, ListedProduct | None]:
        """cable.price.list: the list's price for a standard product, else the finance department's.

        A listed SKU that is not custom takes the list's price (a different
        `guide_price` in the request draws a warning). A custom product, or
        one not on the list, needs the finance department's `guide_price`.
        """
        given = request["guide_price"]
        prices = self.prices
        listed = prices.get(name_key(request["sku"])) if prices is not None and request["sku"] else None
        if (
            listed is not None
            and request["qty_unit"]
            and listed.unit
            and not _same_unit(request["qty_unit"], listed.unit)
        ):
            # 200 under 数量（米） for a wire sold by the 100 m roll is 2 rolls, not 200: never guessed
            raise RowError(
                msg(
                    "the quantity is counted in {g}, but {s} is priced per {u} on the price list: "
                    "give the quantity in {u}",
                    "数量的单位是{g}，而价格表上 {s} 按{u}计价：请按{u}填写数量",
                    g=request["qty_unit"],
                    s=listed.sku,
                    u=listed.unit,
                )
            )
        if listed is not None and not request["custom"]:
            if given is not None and given != listed.guide_price:
                warnings.append(
                    msg(
                        "the price list's guide price {l} is used, not the {g} given",
                        "采用价格表指导价 {l}，而非输入的 {g}",
                        l=listed.guide_price,
                        g=given,
                    )
                )
            if self.explain:
                trace.append(
                    PRICE_LIST.applied(
                        msg("guide price {l} from the price list", "指导价 {l} 取自价格表", l=listed.guide_price)
                    )
                )
            return listed.guide_price, listed
        if given is None:
            if request["custom"]:
                why = msg(
                    "a custom product needs the finance department's guide_price",
                    "定制产品需要财务部提供的指导价 guide_price",
                )
            elif prices is None:
                why = msg(
                    "guide_price is required: no price list is configured, so give the finance "
                    "department's guide price",
                    "需要指导价 guide_price：未配置价格表，请填写财务部提供的指导价",
                )
            else:
                why = msg(
                    "{s!r} is not on the price list: give the finance department's guide_price",
                    "{s!r} 不在价格表上：请填写财务部提供的指导价 guide_price",
                    s=request["sku"] or "",
                )
            raise RowError(why)
        if self.explain:
            trace.append(
                PRICE_LIST.applied(
                    msg(
                        "guide price {g} from the request (finance department)",
                        "指导价 {g} 取自请求（财务部）",
                        g=given,
                    )
                )
            )
        return given, listed

    def no_vat_discount(self, request: dict, trace: list) -> Decimal:
        """cable.price.no_vat: up to 6 % off for a customer who takes no VAT invoice (default: all of it)."""
        asked = request["no_vat_discount_pct"]
        if request["vat_invoice"]:
            if asked:
                raise RowError(
                    msg(
                        "no_vat_discount_pct must be 0 when vat_invoice is true, got {a}",
                        "开增值税发票时不开票下浮必须为 0，实际为 {a}",
                        a=asked,
                    )
                )
            return ZERO
        if asked is None:
            asked = self.max_no_vat
        elif asked > self.max_no_vat:
            raise RowError(
                msg(
                    "no_vat_discount_pct must be ≤ {m}, got {a}",
                    "不开票下浮不能超过 {m}，实际为 {a}",
                    m=self.max_no_vat,
                    a=asked,
                )
            )
        if self.explain and asked:
            trace.append(NO_VAT.applied(msg("no VAT invoice: {a} % off", "不开增值税：下浮 {a}%", a=asked)))
        return asked

    def commission_cut(self, discount: Decimal) -> Decimal:
        """cable.price.special: 0.1 commission point per 1 % of special discount (no-VAT discount: none)."""
        cut = plain(discount * self.cut_per_pct)
        if len(self._cuts) < 1024:
            self._cuts[discount] = cut
        return cut

    def kept(self, no_vat: Decimal, discount: Decimal) -> Decimal:
        """cable.price.no_vat and .special: the share of the guide price kept, 100 − both discounts."""
        kept = HUNDRED - no_vat - discount
        if len(self._kept) < 1024:
            self._kept[no_vat, discount] = kept
        return kept

    def max_discount(self, no_vat: Decimal) -> Decimal:
        """cable.price.floor: the special discount the no-VAT discount leaves before the floor (10 − no-VAT)."""
        room = plain(max(HUNDRED - self.floor_pct - no_vat, ZERO))
        if len(self._max_discounts) < 1024:
            self._max_discounts[no_vat] = room
        return room

    def refuse(self, result: dict, base: Decimal, floor: Decimal, max_discount: Decimal, trace: list) -> None:
        """cable.price.floor: a base price under the floor is refused, saying how much discount fits."""
        shown_floor = result["floor_unit_price"]
        result["status"] = "refused"
        result["reason"] = msg(
            "below the floor of {p} % of the guide price ({f}); the largest special discount allowed is {m} %",
            "低于指导价的 {p}%（{f}）；最多可特价下浮 {m}%",
            p=decimal_text(self.floor_pct),
            f=shown_floor,
            m=decimal_text(max_discount),
        )
        if self.explain:
            trace.append(
                FLOOR.applied(
                    msg(
                        "base {b} is below the floor {f}: refused",
                        "基价 {b} 低于最低价 {f}：拒绝",
                        b=shown(base),
                        f=shown(floor),
                    )
                )
            )

    def quote_due(self, request: dict, listed: ListedProduct | None, trace: list):
        """cable.price.quote_due: custom, unlisted, non-standard and harness products within 24 h."""
        if not request["custom"] and listed is not None and listed.standard and not listed.harness:
            return None
        try:
            due = request["requested_at"] + self.due
        except OverflowError:  # requested_at 9999-12-31T12:00: the input's date leaves the calendar, not the rule
            raise RowError(
                msg(
                    "requested_at {r} + {h} hours is past 9999-12-31, the last date bizops can write",
                    "询价时间 {r} 加 {h} 小时超过 9999-12-31（可写出的最后日期）",
                    r=format_datetime(request["requested_at"]),
                    h=self.due_hours,
                )
            ) from None
        if self.explain:
            if request["custom"]:
                en, zh = "custom product", "定制产品"
            elif listed is None:
                en, zh = "not on the price list", "不在价格表上"
            elif listed.harness:
                en, zh = "harness product", "线束产品"
            else:
                en, zh = "non-standard product", "非国标产品"
            trace.append(
                QUOTE_DUE.applied(
                    msg(
                        en + ": quote due by {d}",
                        zh + "：须在 {z} 前报价",
                        d=format_datetime(due),
                        z=due.isoformat(" ", "minutes"),  # not strftime: its %Y writes the year 1 as 1
                    )
                )
            )
        return due
