"""Days as spreadsheets and accounting exports write them (`parse_date`), and what is never taken for a day."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bizops.core.values import BadValue, parse_date


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2026-12-05", date(2026, 12, 5)),
        ("2026/12/5", date(2026, 12, 5)),
        ("2026.12.05", date(2026, 12, 5)),
        ("2026年12月5日", date(2026, 12, 5)),
        ("20261205", date(2026, 12, 5)),
        ("46361", date(2026, 12, 5)),  # Excel's day number of a date cell saved as General
        (46361, date(2026, 12, 5)),  # … as a JSON number
        (datetime(2026, 12, 5, 0, 0), date(2026, 12, 5)),  # a datetime cell from a workbook
        ("2026-12-05 00:00:00", date(2026, 12, 5)),  # … and as a database or accounting export writes it
        ("2026/12/5 0:00", date(2026, 12, 5)),
        (date(2026, 12, 5), date(2026, 12, 5)),
    ],
)
def test_the_ways_a_day_is_written(raw, day):
    assert parse_date(raw) == day


@pytest.mark.parametrize(
    "raw",
    [
        "-46361",
        "2026-13-01",
        "2026年2月30日",
        "4636",
        "463610",
        True,
        46361.0,
        "46361.5",
        "2026-12-05 14:30",
        "2026-12-05T00:00:01",
    ],
)
def test_no_amount_or_impossible_day_is_taken_for_a_day(raw):
    with pytest.raises(BadValue):
        parse_date(raw)
