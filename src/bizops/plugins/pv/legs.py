"""Transport (三 1 ⑴②, 2 ⑴): what each leg of a trip pays.

One function per kind of leg; each returns the amount paid and puts what is not
paid, or not yet, in the `Book` with the rule that said so. Amounts under review
are not paid until a person has looked.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from bizops.api import ZERO, RowError, Text

from .spec import BUS_SHIP, JINHUA, MODE_NAMES, OWN_TRANSPORT, PLACE_NAMES, PLANE, TAXI, TRAIN
from .trip import Book, say, trip_name

#: Train classes, cheapest first: a ticket is paid in full up to the class the hours allow.
TRAIN_CLASSES = ("hard_seat", "soft_seat", "hard_sleeper", "soft_sleeper")
SHIP_ENTITLED = "economy"
NOT_PAID_MODES = ("company_car", "own_vehicle", "host_provided")


def named(code: str) -> Text:
    """A class or area code, shown in Chinese in Chinese messages."""
    return Text(code, PLACE_NAMES.get(code, code))


def mode_text(mode: str) -> Text:
    return Text(mode.replace("_", " "), MODE_NAMES[mode])


def leg_name(number: int, mode: str) -> Text:
    return Text(f"leg {number}: {mode}", f"第 {number} 段：{MODE_NAMES[mode]}")


def class_code(written: str | None) -> str | None:
    """A seat or cabin class as the rules name it: `硬卧` (the seed's word) or `Hard_Sleeper` is `hard_sleeper`."""
    if written is None:
        return None
    text = written.strip()
    return _CLASS_CODES.get(text, text.lower())


_CLASS_CODES = {zh: code for code, zh in PLACE_NAMES.items()}


def check_legs(fields: dict) -> None:
    """A paid leg without a fare, or a train class nobody sells, is an invalid row: never a silent zero."""
    for number, leg in enumerate(fields["legs"] or (), 1):
        mode = leg["mode"]
        where = trip_name(fields) + say("leg {n} ({m}): ", "第 {n} 段（{m}）：", n=number, m=mode_text(mode))
        if leg["fare"] is None and mode not in NOT_PAID_MODES:
            raise RowError(where + say("fare is required", "缺少票价 fare"))
        cls = leg["class"] = class_code(leg["class"])
        if mode == "train" and cls is not None and cls not in TRAIN_CLASSES:
            raise RowError(
                where
                + say(
                    "class must be one of {c}, got {g!r}",
                    "座席 class 必须是 {c} 之一，实际为 {g!r}",
                    c=", ".join(TRAIN_CLASSES),
                    g=cls,
                )
            )


class Transport:
    """Pays the legs of one claim.

    `trip_flight_ok` is the general manager's consent to fly given for the
    whole trip (`gm_flight_approval` on the claim); a plane leg may also carry
    its own. In a spreadsheet of leg rows the column is the trip's: a field
    the trip has is never a leg's (see `bizops.core.stream.run`).
    """

    def __init__(self, policy, book: Book, dept_reviewer: str, trip_flight_ok: bool):
        self.sleeper_hours = policy.sleeper_hours
        self.night_start: time = policy.night_start
        self.night_end: time = policy.night_end
        self.book = book
        self.dept_reviewer = dept_reviewer
        self.trip_flight_ok = trip_flight_ok

    def pay(self, legs: list[dict]) -> Decimal:
        total = ZERO
        for number, leg in enumerate(legs, 1):
            total += self.leg(leg_name(number, leg["mode"]), leg)
        return total

    def leg(self, name: Text, leg: dict) -> Decimal:
        mode = leg["mode"]
        if mode == "train":
            return self.train(name, leg)
        if mode in ("bus", "city_bus") and leg["area"]:
            return self.jinhua(name, leg)
        if mode == "bus" or mode == "ship":
            return self.bus_ship(name, leg)
        if mode == "city_bus":
            return self.city_bus(name, leg)
        if mode == "plane":
            return self.plane(name, leg)
        if mode in ("taxi", "pedicab"):
            return self.taxi(name, leg)
        return self.own_transport(name, leg)

    def train(self, name: Text, leg: dict) -> Decimal:
        """pv.claim.train: under 10 hours on board a hard or soft seat, from 10 hours a hard sleeper."""
        fare, cls, hours = leg["fare"], leg["class"], leg["hours"]
        book = self.book
        if cls is None:
            book.warn(say("{n}: no class given; paid as ticketed", "{n}：未填写座席，按票价报销", n=name))
            book.why(
                TRAIN,
                "{n}: no class given, {f:.2f} paid as ticketed",
                "{n}：未填写座席，按票价 {f:.2f} 报销",
                n=name,
                f=fare,
            )
            return fare
        cls = named(cls.lower())
        rank = TRAIN_CLASSES.index(cls)
        if hours is None:
            if rank <= TRAIN_CLASSES.index("soft_seat"):
                book.why(
                    TRAIN,
                    "{n}: a seat is always allowed, {f:.2f} paid",
                    "{n}：座票均可报销，报销 {f:.2f}",
                    n=name,
                    f=fare,
                )
                return fare
            book.review(
                name,
                fare,
                say("a sleeper needs the hours on board to check the class", "卧铺须填写连续乘车小时数以核对标准"),
                TRAIN,
                "finance",
            )
            book.why(
                TRAIN,
                "{n}: sleeper without hours on board: {f:.2f} to review",
                "{n}：卧铺未填乘车小时：{f:.2f} 待审核",
                n=name,
                f=fare,
            )
            return ZERO
        entitled = named("hard_sleeper" if hours >= self.sleeper_hours else "soft_seat")
        if rank <= TRAIN_CLASSES.index(entitled):
            book.why(
                TRAIN,
                "{n}: {h} hours on board allow up to {e}; {c} paid {f:.2f}",
                "{n}：连续乘车 {h} 小时，标准至 {e}；{c} 报销 {f:.2f}",
                n=name,
                h=hours,
                e=entitled,
                c=cls,
                f=fare,
            )
            return fare
        why = say(
            "{c} is above the {e} allowed for {h} hours on board",
            "{c} 高于连续乘车 {h} 小时的标准 {e}",
            c=cls,
            e=entitled,
            h=hours,
        )
        return self.above_class(name, leg, why, TRAIN)

    def above_class(self, name: Text, leg: dict, why: Text, rule) -> Decimal:
        """A ticket above the entitled class: paid up to `entitled_fare`, else a person decides."""
        fare, entitled_fare = leg["fare"], leg["entitled_fare"]
        if entitled_fare is None:
            self.book.review(
                name,
                fare,
                why + say("; give entitled_fare, the fare of the allowed class", "；请填写标准座席票价 entitled_fare"),
                rule,
                "finance",
            )
            self.book.why(
                rule,
                "{n}: {w}, no entitled fare: {f:.2f} to review",
                "{n}：{w}，未填标准票价：{f:.2f} 待审核",
                n=name,
                w=why,
                f=fare,
            )
            return ZERO
        paid = min(fare, entitled_fare)
        capped = say("; paid up to the entitled fare {e:.2f}", "；按标准票价 {e:.2f} 报销", e=entitled_fare)
        self.book.disallow(name, fare - paid, why + capped, rule)
        self.book.why(
            rule, "{n}: {w}; {p:.2f} of {f:.2f} paid", "{n}：{w}；{f:.2f} 中报销 {p:.2f}", n=name, w=why, p=paid, f=fare
        )
        return paid

    def bus_ship(self, name: Text, leg: dict) -> Decimal:
        """pv.claim.bus_ship: coach and ship fares as ticketed with an official invoice; ships in economy."""
        fare, book = leg["fare"], self.book
        if not leg["invoice"]:
            book.disallow(name, fare, say("no official invoice (正式发票)", "没有正式发票"), BUS_SHIP)
            book.why(
                BUS_SHIP,
                "{n}: no official invoice, {f:.2f} not paid",
                "{n}：无正式发票，{f:.2f} 不予报销",
                n=name,
                f=fare,
            )
            return ZERO
        cls = (leg["class"] or "").lower()
        if leg["mode"] == "ship":
            if not cls:
                book.warn(say("{n}: no class given; taken as economy", "{n}：未填写舱位，按经济舱处理", n=name))
            elif cls != SHIP_ENTITLED:
                why = say("{c} is above economy class", "{c} 高于经济舱", c=named(cls))
                return self.above_class(name, leg, why, BUS_SHIP)
        book.why(
            BUS_SHIP,
            "{n}: official invoice, {f:.2f} paid as ticketed",
            "{n}：有正式发票，按票价报销 {f:.2f}",
            n=name,
            f=fare,
        )
        return fare

    def jinhua(self, name: Text, leg: dict) -> Decimal:
        """pv.claim.jinhua: local buses in Jinhua prefecture, as recorded, the department head reviewing."""
        fare, book = leg["fare"], self.book
        book.reviewer(self.dept_reviewer)
        if not leg["note"]:
            book.review(
                name,
                fare,
                say(
                    "local transport in Jinhua prefecture needs a record of time, place and business",
                    "金华地区交通费须填写公出时间、地点和办理事项",
                ),
                JINHUA,
                self.dept_reviewer,
            )
            book.why(JINHUA, "{n}: no record, {f:.2f} to review", "{n}：未填写记录，{f:.2f} 待审核", n=name, f=fare)
            return ZERO
        book.why(
            JINHUA,
            "{n}: local transport in {a}, {f:.2f} paid as recorded",
            "{n}：{a}市内交通，据实报销 {f:.2f}",
            n=name,
            a=named(leg["area"]),
            f=fare,
        )
        return fare

    def city_bus(self, name: Text, leg: dict) -> Decimal:
        """A city bus outside Jinhua prefecture: the rules only restrict taxis, so it is paid as recorded."""
        self.book.why(
            JINHUA,
            "{n}: city bus outside Jinhua prefecture, {f:.2f} paid as recorded",
            "{n}：金华地区以外的公交车，据实报销 {f:.2f}",
            n=name,
            f=leg["fare"],
        )
        return leg["fare"]

    def plane(self, name: Text, leg: dict) -> Decimal:
        """pv.claim.plane: paid only with the general manager's consent beforehand, for the trip or this flight.

        Another leg's consent is not this one's: consent to one flight is no
        consent to the next, and `false` on this leg is its own answer.
        """
        fare, book = leg["fare"], self.book
        if self.trip_flight_ok or leg["gm_flight_approval"]:
            book.why(
                PLANE,
                "{n}: the general manager agreed beforehand, {f:.2f} paid",
                "{n}：事先经总经理同意，报销 {f:.2f}",
                n=name,
                f=fare,
            )
            return fare
        book.disallow(
            name,
            fare,
            say("flying without the general manager's consent beforehand", "乘飞机未事先经总经理同意"),
            PLANE,
        )
        book.why(
            PLANE,
            "{n}: no prior consent, {f:.2f} not paid",
            "{n}：未事先经总经理同意，{f:.2f} 不予报销",
            n=name,
            f=fare,
        )
        return ZERO

    def taxi(self, name: Text, leg: dict) -> Decimal:
        """pv.claim.taxi: in Pujiang and Yiwu only on one of four grounds, from and to noted."""
        fare, area, book = leg["fare"], leg["area"], self.book
        if area is None:
            book.warn(
                say(
                    "{n}: a taxi outside Jinhua prefecture is paid as ticketed",
                    "{n}：金华地区以外的出租车按票价报销",
                    n=name,
                )
            )
            book.why(
                TAXI,
                "{n}: outside Jinhua prefecture, {f:.2f} paid as ticketed",
                "{n}：金华地区以外，按票价报销 {f:.2f}",
                n=name,
                f=fare,
            )
            return fare
        if area == "jinhua":
            book.review(
                name,
                fare,
                say(
                    "a taxi in Jinhua prefecture needs the department head's consent",
                    "金华地区乘出租车须经部门领导同意",
                ),
                TAXI,
                self.dept_reviewer,
            )
            book.why(
                TAXI,
                "{n}: taxi in Jinhua prefecture, {f:.2f} to the department head",
                "{n}：金华地区出租车，{f:.2f} 待部门领导审核",
                n=name,
                f=fare,
            )
            return ZERO
        ground = self.taxi_ground(leg)
        if isinstance(ground, tuple):
            verdict, why = ground
            if verdict == "review":
                book.review(name, fare, why, TAXI, "finance")
            else:
                book.disallow(name, fare, why, TAXI)
            book.why(TAXI, "{n}: {w}; {f:.2f} not paid", "{n}：{w}；{f:.2f} 不予报销", n=name, w=why, f=fare)
            return ZERO
        if not leg["note"]:
            book.review(
                name, fare, say("{g}, but the from–to is not noted", "{g}，但未写明起止地点", g=ground), TAXI, "finance"
            )
            book.why(
                TAXI,
                "{n}: {g}, no from–to: {f:.2f} to review",
                "{n}：{g}，未写起止地点：{f:.2f} 待审核",
                n=name,
                g=ground,
                f=fare,
            )
            return ZERO
        book.why(TAXI, "{n}: {g}, {f:.2f} paid", "{n}：{g}，报销 {f:.2f}", n=name, g=ground, f=fare)
        return fare

    def taxi_ground(self, leg: dict) -> Text | tuple[str, Text]:
        """The ground a Pujiang or Yiwu ride qualifies on, or (disallow|review, why) when none holds."""
        at, reason = leg["at"], leg["reason"]
        if at is not None and self.at_night(at.time()):
            return say("at night ({t:%H:%M})", "夜间（{t:%H:%M}）", t=at)
        if reason == "bulky":
            return say("valuable equipment or bulky goods", "携带贵重设备或大件物品")
        if reason == "no_bus_or_over_3km":
            return say("no bus there, or over 3 km", "无公共汽车或路程超过 3 公里")
        if reason == "other":
            if leg["note"]:
                return say("another reason, noted", "其他特殊情况（已注明）")
            return "disallow", say("reason other without a note explaining it", "其他特殊情况未注明原因")
        window = f"{self.night_start:%H:%M}–{self.night_end:%H:%M}"
        if reason == "night":
            if at is None:
                return "review", say(
                    "a night ride needs its time (at) to check it was {w}",
                    "夜间乘车须填写乘车时间 at 以核对是否在 {w}",
                    w=window,
                )
            return "disallow", say(
                "{t:%H:%M} is outside the night window {w}", "{t:%H:%M} 不在夜间 {w} 内", t=at, w=window
            )
        return "disallow", say(
            "none of night ({w}), bulky goods, no bus or over 3 km, or another noted reason",
            "不符合夜间（{w}）、大件物品、无公交或超过 3 公里、其他特殊情况之一",
            w=window,
        )

    def at_night(self, moment: time) -> bool:
        """Both ends of the night window are included; the window may wrap past midnight."""
        start, end = self.night_start, self.night_end
        if start <= end:
            return start <= moment <= end
        return moment >= start or moment <= end

    def own_transport(self, name: Text, leg: dict) -> Decimal:
        """pv.claim.own_transport: company car, own vehicle or the host's transport: no transport paid."""
        fare = leg["fare"] or ZERO
        self.book.disallow(
            name, fare, say("{m}: no transport is paid", "{m}：不报销交通费", m=mode_text(leg["mode"])), OWN_TRANSPORT
        )
        self.book.why(OWN_TRANSPORT, "{n}: no transport paid", "{n}：不报销交通费", n=name)
        return ZERO
