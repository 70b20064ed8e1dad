"""The monthly scorecard: 十奖十罚 points on the 100-point review (五、绩效考核).

    score  = base_points + rewards − penalties                        cable.score.rewards, .penalties, .tasks
    bonus  = min(max(score, 0), bonus_cap) × yuan_per_point            cable.score.monthly
    flags  = dismissal_review when this month and the month before     cable.score.dismissal
             are both under dismissal_below

The month before comes from the same input, else from the ledger
(`monthly_score` under `person|YYYY-MM`, set under --record for every month
scored). A month is scored from all of its events in one input: recording a
month again replaces its score.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bizops.api import ZERO, NotANumber, RowError, decimal_text, msg, name_key, round_fen, to_decimal

from .points import POINTS, TASKS_CODE
from .rules import DISMISSAL, MONTHLY, PENALTIES, REWARDS, TASKS

#: The ledger kind holding each person's recorded monthly scores.
MONTHLY_SCORE = "monthly_score"
DISMISSAL_REVIEW = "dismissal_review"


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_before(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def task_penalty(assigned: int, unfinished: int, single: Decimal, each: Decimal) -> Decimal:
    """cable.score.tasks (罚6): all of a week's tasks done costs nothing; a week with one task, not
    done, costs `task_single_penalty` (15); with two or more, each unfinished one costs
    `task_each_unfinished_penalty` (10)."""
    if not unfinished:
        return ZERO
    if assigned == 1:
        return single
    return each * unfinished


def bonus(score: Decimal, cap: Decimal, yuan_per_point: Decimal) -> Decimal:
    """cable.score.monthly: one yuan a point, none below zero, at most `bonus_cap` points."""
    return round_fen(min(max(score, ZERO), cap) * yuan_per_point)


@dataclass
class Card:
    """One person's month as the events add it up; `lines` feed the trace (under --explain only)."""

    person: str
    period: str
    rewards: Decimal = ZERO
    penalties: Decimal = ZERO
    lines: dict = field(default_factory=dict)


class Scorer:
    """Adds events into monthly cards, then writes them sorted by person and period."""

    def __init__(self, policy, context):
        self.base = policy.base_points
        self.cap = policy.bonus_cap
        self.yuan = policy.yuan_per_point
        self.below = policy.dismissal_below
        self.months = policy.dismissal_months
        self.single = policy.task_single_penalty
        self.each = policy.task_each_unfinished_penalty
        self.context = context
        self.explain = context.explain

    def score(self, events: Iterable[tuple]) -> Iterator:
        """Every event into its card (a bad one is a RowError with its row), then one result per card."""
        cards: dict[tuple[str, str], Card] = {}
        for row, event in events:
            try:
                points = self.points(event)
            except RowError as exc:
                exc.row = row
                yield exc
                continue
            key = (name_key(event["person"]), period_of(event["date"]))  # `张 三` is 张三: one card
            card = cards.get(key)
            if card is None:
                card = cards[key] = Card(*key)
            if points > 0:
                card.rewards += points
            else:
                card.penalties -= points
            if self.explain:
                self.note(card, event, points)
        scores = {key: self.base + card.rewards - card.penalties for key, card in cards.items()}
        history = self.context.history
        for key in sorted(cards):
            card, score = cards[key], scores[key]
            flagged = self.failed_run(card.person, card.period, scores)
            history.set(MONTHLY_SCORE, f"{card.person}|{card.period}", decimal_text(score))
            result = {
                "person": card.person,
                "period": card.period,
                "base_points": self.base,
                "rewards": card.rewards,
                "penalties": card.penalties,
                "score": score,
                "bonus_yuan": bonus(score, self.cap, self.yuan),
                "flags": [DISMISSAL_REVIEW] if flagged else [],
                "warnings": [],
            }
            if self.explain:
                result["trace"] = self.trace(card, result, flagged)
            yield result

    def points(self, event: dict) -> Decimal:
        """cable.score.rewards / .penalties: the standard's points × count; `tasks` by cable.score.tasks."""
        code, count = event["code"], event["count"]
        assigned, unfinished = event["assigned"], event["unfinished"]
        if code != TASKS_CODE:
            if assigned or unfinished:
                raise RowError(
                    msg(
                        "assigned and unfinished belong to code tasks, not {c}",
                        "assigned 和 unfinished 只用于 tasks，不用于 {c}",
                        c=code,
                    )
                )
            return POINTS[code][0] * count
        if assigned is None or unfinished is None:
            raise RowError(
                msg(
                    "code tasks needs assigned and unfinished (the week's tasks and how many were not done)",
                    "tasks 需要 assigned 和 unfinished（本周安排的任务数及未完成数）",
                )
            )
        if unfinished > assigned:
            raise RowError(
                msg(
                    "unfinished ({u}) cannot exceed assigned ({a})",
                    "未完成数 {u} 不能大于安排数 {a}",
                    u=unfinished,
                    a=assigned,
                )
            )
        return -task_penalty(assigned, unfinished, self.single, self.each) * count

    def failed_run(self, person: str, period: str, scores: dict) -> bool:
        """cable.score.dismissal: this month and the `dismissal_months − 1` before it all under the bar."""
        for _ in range(self.months):
            score = scores.get((person, period))
            if score is None:
                score = self.recorded(person, period)
            if score is None or score >= self.below:
                return False
            period = month_before(period)
        return True

    def recorded(self, person: str, period: str) -> Decimal | None:
        """A month's score as the ledger keeps it (text), or None when it has none."""
        value = self.context.history.latest(MONTHLY_SCORE, f"{person}|{period}")
        if value is None:
            return None
        try:
            return to_decimal(value if isinstance(value, (str, int, Decimal)) else str(value))
        except NotANumber:
            return None

    # -- trace (only under --explain) -------------------------------------------------------
    def note(self, card: Card, event: dict, points: Decimal) -> None:
        code = event["code"]
        if code == TASKS_CODE:
            line = (event["date"], event["assigned"], event["unfinished"], event["count"], points)
            card.lines.setdefault(TASKS_CODE, []).append(line)
        else:
            count, total = card.lines.get(code, (0, ZERO))
            card.lines[code] = (count + event["count"], total + points)

    def trace(self, card: Card, result: dict, flagged: bool) -> list:
        trace = []
        for code, line in card.lines.items():
            if code == TASKS_CODE:
                for day, assigned, unfinished, count, points in line:
                    trace.append(
                        TASKS.applied(
                            msg(
                                "week of {d}: {u} of {a} tasks unfinished{x}: {p}",
                                "{d} 周：{a} 项任务 {u} 项未完成{x}：{p} 分",
                                d=day.isoformat(),
                                u=unfinished,
                                a=assigned,
                                x=f" ×{count}" if count > 1 else "",
                                p=decimal_text(points),
                            )
                        )
                    )
                continue
            count, points = line
            _, clause, zh, en = POINTS[code]
            rule = REWARDS if points > 0 else PENALTIES
            trace.append(
                rule.applied(
                    msg("{c} {e} ×{n}: {p:+}", "{c} {z} ×{n}：{p:+} 分", c=clause, e=en, z=zh, n=count, p=points)
                )
            )
        trace.append(
            MONTHLY.applied(
                msg(
                    "{b} + {r} − {q} = {s}; bonus {y} yuan",
                    "{b} + {r} − {q} = {s} 分；绩效奖金 {y} 元",
                    b=self.base,
                    r=card.rewards,
                    q=card.penalties,
                    s=result["score"],
                    y=result["bonus_yuan"],
                )
            )
        )
        if flagged:
            trace.append(
                DISMISSAL.applied(
                    msg(
                        "{n} months in a row under {b}: review for dismissal",
                        "连续 {n} 个月低于 {b} 分：辞退审查",
                        n=self.months,
                        b=self.below,
                    )
                )
            )
        return trace
