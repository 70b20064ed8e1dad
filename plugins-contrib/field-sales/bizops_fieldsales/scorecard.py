"""The daily scorecard: one salesperson's day of visits, calls and contacts against the day's quota.

Counting (the seed counts customers, "家", except for calls, "个"):
- `visits` are the customers visited; `calls` are calls, each `count` times;
- `contacts` are the customers kept in touch with: visited, reached in a real
  conversation on the phone, or contacted otherwise (WeChat, SMS, e-mail); a
  call nobody really answered is not contact;
- `conversations` are the customers reached in a real conversation by phone.
A customer is counted once a day however often they are seen; an activity
without a customer name counts as `count` customers (a tally from a day sheet).
"""

from __future__ import annotations

from bizops.api import RowError, Rule, Text, msg

from .spec import CALLS, CONTACTS, CONVERSATIONS, DAY_TYPE, VISITS


class Customers:
    """Customers counted once each by name; a nameless entry counts as `count` customers."""

    def __init__(self):
        self.named: set[str] = set()
        self.unnamed = 0

    def add(self, customer: str | None, count: int) -> None:
        if customer is None:
            self.unnamed += count
        else:
            self.named.add(customer)

    def __len__(self) -> int:
        return len(self.named) + self.unnamed


class Day:
    """What one salesperson did on one day."""

    def __init__(self):
        self.calls = 0
        self.visited, self.in_touch, self.spoken = Customers(), Customers(), Customers()
        self.planned: str | None = None

    def add(self, event: dict) -> None:
        activity, count = event["activity"], event["count"]
        customer = _customer(event["customer"])
        reached = activity != "call" or event["conversation"]
        if activity == "visit":
            self.visited.add(customer, count)
        elif activity == "call":
            self.calls += count
            if reached:
                self.spoken.add(customer, count)
        if reached:
            self.in_touch.add(customer, count)

    @property
    def visits(self) -> int:
        return len(self.visited)

    @property
    def contacts(self) -> int:
        return len(self.in_touch)

    @property
    def conversations(self) -> int:
        return len(self.spoken)


def _customer(name: str | None) -> str | None:
    """The customer as the same one however it was typed (spaces, letter case)."""
    if name is None:
        return None
    key = " ".join(name.split()).casefold()
    return key or None


def score(events, policy, context):
    """One scorecard per salesperson and day, sorted; a day planned two ways is a bad event."""
    days: dict[tuple[str, object], Day] = {}
    for row, event in events:
        key = (event["person"], event["date"])
        day = days.get(key)
        if day is None:
            day = days[key] = Day()
        planned = event["day_type"]
        if planned is not None and day.planned not in (None, planned):
            yield RowError(
                msg(
                    "day_type {p} contradicts the {q} day planned earlier for {n} on {d}",
                    "day_type {p} 与前面为 {n} {d} 计划的 {q} 矛盾",
                    p=planned,
                    q=day.planned,
                    n=event["person"],
                    d=event["date"].isoformat(),
                ),
                row,
            )
            continue
        day.planned = planned or day.planned
        day.add(event)
    for (person, date), day in sorted(days.items(), key=lambda item: (item[0][0], item[0][1])):
        yield scorecard(person, date, day, policy, context.explain)


def scorecard(person: str, date, day: Day, policy, explain: bool) -> dict:
    kind, why = day_type(day, policy)
    checks: tuple[tuple[Rule, int, int, Text], ...]  # (rule, done, needed, what it says)
    if kind == "visit":
        checks = (
            (
                VISITS,
                day.visits,
                policy.visit_min_visits,
                msg("visits {n} of {m}", "拜访 {n} 家，要求 {m} 家", n=day.visits, m=policy.visit_min_visits),
            ),
            (
                CONTACTS,
                day.contacts,
                policy.visit_min_contacts,
                msg(
                    "customers in touch {n} of {m}",
                    "保持联络客户 {n} 家，要求 {m} 家",
                    n=day.contacts,
                    m=policy.visit_min_contacts,
                ),
            ),
        )
    else:
        checks = (
            (
                CALLS,
                day.calls,
                policy.phone_min_calls,
                msg("calls {n} of {m}", "电话 {n} 个，要求 {m} 个", n=day.calls, m=policy.phone_min_calls),
            ),
            (
                CONVERSATIONS,
                day.conversations,
                policy.phone_min_conversations,
                msg(
                    "real conversations {n} of {m}",
                    "有效沟通 {n} 家，要求 {m} 家",
                    n=day.conversations,
                    m=policy.phone_min_conversations,
                ),
            ),
        )
    shortfall = [
        text + msg(" ({s} short)", "（差 {s}）", s=needed - done) for _, done, needed, text in checks if done < needed
    ]
    result = {
        "person": person,
        "date": date,
        "day_type": kind,
        "visits": day.visits,
        "contacts": day.contacts,
        "calls": day.calls,
        "conversations": day.conversations,
        "quota": "missed" if shortfall else "met",
        "shortfall": shortfall,
        "warnings": [],
    }
    if explain:
        result["trace"] = [DAY_TYPE.applied(why)] + [
            rule.applied(text + (msg(": met", "：达标") if done >= needed else msg(": short", "：未达标")))
            for rule, done, needed, text in checks
        ]
    return result


def day_type(day: Day, policy) -> tuple[str, Text]:
    """fieldsales.day.type: as planned; else what the day mainly was.

    Reading: "mainly" is measured against the quotas, so 3 of 4 visits (75 %)
    outweighs 40 of 80 calls (50 %); a tie is a visiting day, the seed's first case.
    """
    if day.planned is not None:
        visiting = day.planned == "visit"
        return day.planned, msg(
            "planned as a {k} day",
            "计划为{z}",
            k="visiting" if visiting else "phone",
            z="拜访日" if visiting else "电话日",
        )
    visit_share = day.visits * policy.phone_min_calls
    phone_share = day.calls * policy.visit_min_visits
    kind = "visit" if visit_share >= phone_share else "phone"
    pct_visits = day.visits * 100 // policy.visit_min_visits
    pct_calls = day.calls * 100 // policy.phone_min_calls
    return kind, msg(
        "mainly {k}: visits at {v} % of their quota, calls at {c} % of theirs",
        "以{z}为主：拜访达定额的 {v}%，电话达定额的 {c}%",
        k="visits" if kind == "visit" else "calls",
        z="拜访" if kind == "visit" else "电话",
        v=pct_visits,
        c=pct_calls,
    )
