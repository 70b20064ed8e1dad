"""`bizops.core.units`: a unit however it is written, and only a unit we know is taken for one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.core.units import same_unit, split_unit, unit_key
from bizops.core.values import label_unit


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("米", "m"),
        ("M", "m"),
        ("metres", "m"),
        ("ｍ", "m"),  # typed with a Chinese input method: full width
        ("单位：米", "m"),
        ("roll (100 m)", "roll"),
        ("卷(100米)", "roll"),
        ("盘", "roll"),
        ("千米", "km"),
        ("厘米", "cm"),
        ("公斤", "kg"),
        ("根", "piece"),
        ("捆", None),
        ("含税", None),
        ("", None),
        (None, None),
    ],
)
def test_unit_key(text, key):
    assert unit_key(text) == key


@pytest.mark.parametrize(
    ("given", "listed", "same"),
    [
        ("卷", "roll (100 m)", True),
        ("米", "m", True),
        ("米", "roll (100 m)", False),
        ("厘米", "米", False),
        ("捆", "捆", True),  # not a unit bizops knows, but the same word
        ("捆", "roll", False),
    ],
)
def test_same_unit(given, listed, same):
    assert same_unit(given, listed) is same


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("桩长（米）", "米"),
        ("桩长(米)", "米"),
        ("指导价（含税）", "含税"),
        ("连续乘车小时", "小时"),
        ("账期天数", "天"),
        ("根数", "根"),
        ("积分", None),  # points, not minutes
        ("到期日", None),
        ("数量", None),
        ("", None),
    ],
)
def test_label_unit(label, unit):
    assert label_unit(label) == unit


@pytest.mark.parametrize(
    ("cell", "split"),
    [
        ("200米", ("200", "米")),
        ("2 卷", ("2", "卷")),
        ("1,000 m", ("1,000", "m")),
        ("1.5吨", ("1.5", "吨")),
        ("3捆", None),  # not a unit bizops knows: the cell stays as it is, and is refused as a number
        ("abc", None),
        ("200", None),
        ("-2卷", None),
    ],
)
def test_split_unit(cell, split):
    assert split_unit(cell) == split


@given(st.text(max_size=20))
def test_any_cell_splits_into_a_number_and_a_known_unit_or_not_at_all(cell):
    split = split_unit(cell)
    if split is not None:
        number, unit = split
        assert unit_key(unit) is not None and number.replace(",", "").replace(".", "", 1).isdigit()
        assert cell.strip().startswith(number) and cell.strip().endswith(unit)
