"""Days and times as spreadsheets and accounting exports write them (`parse_date`, `parse_datetime`), and what is
never taken for one."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bizops.core.values import BadValue, parse_date, parse_datetime


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2026-12-05", date(2026, 12, 5)),
        ("2026/12/5", date(2026, 12, 5)),
        ("2026.12.05", date(2026, 12, 5)),
        ("2026年12月5日", date(2026, 12, 5)),
        ("2026年12月05号", date(2026, 12, 5)),
        ("20261205", date(2026, 12, 5)),
        ("46361", date(2026, 12, 5)),  # Excel's day number of a date cell saved as General
        (46361, date(2026, 12, 5)),  # … as a JSON number
        (datetime(2026, 12, 5, 0, 0), date(2026, 12, 5)),  # a datetime cell from a workbook
        ("2026-12-05 00:00:00", date(2026, 12, 5)),  # … and as a database or accounting export writes it
        ("2026/12/5 0:00", date(2026, 12, 5)),
        # Found attacking receivables: SQL Server's datetime, as the ERPs on it export a day, refused every row
        ("2026-12-05 00:00:00.000", date(2026, 12, 5)),
        ("2026-12-05T00:00:00.0", date(2026, 12, 5)),
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
        "2026-12-05 00:00:00.120",
        "2026-12-05 00:00:00.000Z",
        "2026-12-05 00:00:00.1234567",
    ],
)
def test_no_amount_or_impossible_day_is_taken_for_a_day(raw):
    with pytest.raises(BadValue):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "when"),
    [
        ("2026-11-23T09:30", datetime(2026, 11, 23, 9, 30)),
        ("2026/11/23 9:30:15", datetime(2026, 11, 23, 9, 30, 15)),
        ("2026-11-23", datetime(2026, 11, 23)),
        # Found attacking the desk: a WPS column formatted yyyy年m月d日 h:mm (or dotted) refused every row,
        # though the same days without a time were read.
        ("2026年11月23日 9:30", datetime(2026, 11, 23, 9, 30)),
        ("2026年11月23日9时30分", datetime(2026, 11, 23, 9, 30)),
        ("2026年11月23日 9点30分15秒", datetime(2026, 11, 23, 9, 30, 15)),
        ("2026.11.23 9:30", datetime(2026, 11, 23, 9, 30)),
        ("2026年11月23日", datetime(2026, 11, 23)),
        ("2026.11.23", datetime(2026, 11, 23)),
        # … and with SQL Server's fraction of a second: kept to the second, as every rule reads it
        ("2026-11-23 09:30:15.123", datetime(2026, 11, 23, 9, 30, 15)),
        ("2026-11-23 09:30:00.000", datetime(2026, 11, 23, 9, 30)),
    ],
)
def test_the_ways_a_time_is_written(raw, when):
    assert parse_datetime(raw) == when


@pytest.mark.parametrize(
    "raw", ["2026年13月5日 9:30", "2026年11月5日 25:30", "2026.11.5 9:61", "46361", "20261205 9:30"]
)
def test_no_impossible_time_is_taken_for_one(raw):
    with pytest.raises(BadValue):
        parse_datetime(raw)
