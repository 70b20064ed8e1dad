"""pile.dispatch.windows: which daily batch a dispatch request goes into.

Plans are collected in batches due at the policy's cut-offs (09:00, 11:00,
15:00, 17:00). "9:00前报完" is read as including 09:00 itself, so a request
at a cut-off is in that batch and one a minute later is in the next.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bizops.api import ConfigError, msg


def cutoffs(policy) -> tuple[time, ...]:
    """The policy's cut-offs in the day's order; a day needs at least one."""
    windows = tuple(sorted(set(policy.windows)))
    if not windows:
        raise ConfigError(
            msg(
                "{f}: [company.pile] windows must list at least one cut-off time",
                "{f}：[company.pile] windows 至少要有一个截止时间",
                f=policy.sources.get("windows"),
            )
        )
    return windows


def batch_for(submitted_at: datetime, wanted: date, windows: tuple[time, ...]) -> tuple[datetime, bool]:
    """(batch cut-off, rolled over) for a request wanted on `wanted` (not before the submission day).

    For the submission day: the first cut-off at or after `submitted_at`;
    after the last one, the next day's first batch (rolled over). For a later
    day (tomorrow's morning plans sent the evening before): that day's first batch.
    """
    day = submitted_at.date()
    if wanted > day:
        return datetime.combine(wanted, windows[0]), False
    clock = submitted_at.time()
    for cutoff in windows:
        if clock <= cutoff:
            return datetime.combine(day, cutoff), False
    return datetime.combine(day + timedelta(days=1), windows[0]), True
