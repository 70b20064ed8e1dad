"""The 十奖十罚 points per occurrence (seed 000, lines 101-139).

Kept in code, not policy: it is the standard's table itself. The weekly task
rule (罚6, code `tasks`) depends on the week's tasks and its points are policy
values (see `score.task_points`).
"""

from __future__ import annotations

from decimal import Decimal

#: code -> (points, clause, zh, en); rewards positive, penalties negative.
POINTS: dict[str, tuple[Decimal, str, str, str]] = {
    "efficiency": (Decimal(5), "奖1", "工作效率高", "efficient work"),
    "suggestion_adopted": (Decimal(10), "奖2", "建议被采纳", "suggestion adopted"),
    "customer_praise": (Decimal(10), "奖3", "获得客户表扬", "praised by a customer"),
    "overachieve": (Decimal(5), "奖4", "超前、超额完成任务", "tasks done early or beyond target"),
    "extra_help": (Decimal(5), "奖5", "主动承担或帮助他人", "took on extra work or helped others"),
    "cross_dept_praise": (Decimal(10), "奖6", "其他部门认可", "praised by another department"),
    "tidy_office": (Decimal(5), "奖7", "维护办公环境", "kept the office clean"),
    "activities": (Decimal(5), "奖8", "积极参加活动", "took part in activities"),
    "cost_saving": (Decimal(5), "奖9", "厉行节约", "cut costs"),
    "resources": (Decimal(10), "奖10", "提供资源创造效益", "brought resources and profit"),
    "late": (Decimal(-5), "罚1", "迟到", "late"),
    "proxy_clock_in": (Decimal(-5), "罚2", "代替他人打卡", "clocked in for someone else"),
    "conduct": (Decimal(-10), "罚3", "违反管理制度", "broke the house rules"),
    "cleaning_duty": (Decimal(-5), "罚4", "不按值日表打扫", "skipped cleaning duty"),
    "log_late": (Decimal(-3), "罚5", "日志迟交", "work log late"),
    "log_missing": (Decimal(-10), "罚5", "日志不交", "work log missing"),
    "travel_log_missing": (Decimal(-15), "罚5", "出差周日志不交", "weekly travel log missing"),
    "idle": (Decimal(-5), "罚7", "工作不饱和", "idle at work"),
    "report_late": (Decimal(-5), "罚8", "未按时汇报", "report not on time"),
    "customer_unresponsive": (Decimal(-10), "罚9", "不及时响应客户", "slow to answer a customer"),
    "insubordination": (Decimal(-10), "罚10", "拒绝服从", "refused an assignment"),
}

#: Other words a sales admin's tally uses for an event, beside the standard's (`未写日志` for 日志不交).
OTHER_WORDS: dict[str, tuple[str, ...]] = {
    "efficiency": ("效率高",),
    "suggestion_adopted": ("合理化建议被采纳",),
    "customer_praise": ("客户表扬",),
    "overachieve": ("超额完成任务", "超前完成任务"),
    "extra_help": ("帮助他人", "主动承担工作"),
    "cross_dept_praise": ("其他部门表扬",),
    "activities": ("参加活动",),
    "cost_saving": ("节约成本",),
    "proxy_clock_in": ("代打卡",),
    "conduct": ("违反制度",),
    "cleaning_duty": ("未值日", "不值日"),
    "log_missing": ("未交日志", "未写日志"),
    "insubordination": ("不服从安排",),
}


def words_for(code: str) -> tuple[str, ...]:
    """What a tally may write for an event: the standard's words, its clause when that names one event
    (`罚1`; not `罚5`, which names three), and `OTHER_WORDS`."""
    clause = POINTS[code][1]
    unique = sum(1 for points in POINTS.values() if points[1] == clause) == 1
    return (POINTS[code][2], *((clause,) if unique else ()), *OTHER_WORDS.get(code, ()))


#: The weekly task-completion event (罚6); its points come from `assigned` and `unfinished`.
TASKS_CODE = "tasks"

CODES = (*POINTS, TASKS_CODE)
