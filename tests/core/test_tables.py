"""`read_table` and `typed_rows` (plugin API 1.1): a table beside the policy, read as an order book is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bizops.api import ConfigError, Field, RowError, read_table, typed_rows

FIELDS = (
    Field("sku", "text", zh="型号", required=True, aliases=("型号规格",)),
    Field("price", "price", zh="指导价", required=True, ge=0),
    Field("standard", "bool", zh="国标", default=True),
)


def test_a_gb18030_csv_with_a_title_and_chinese_headers(tmp_path):
    path = tmp_path / "价格表.csv"
    path.write_bytes(
        '价格表（11月）,,\n型号规格,指导价（元）,国标,备注\nBV-1,"¥1,086.50",否,x\nBV-2,abc,是,\n'.encode("gb18030")
    )
    told = []
    rows = list(read_table(path, FIELDS, told.append))
    assert rows[0] == (3, {"sku": "BV-1", "price": Decimal("1086.50"), "standard": False})
    assert [str(t) for t in told] == [f"{path}: columns not read: 备注"]
    assert isinstance(rows[1], RowError) and rows[1].row == 4 and "price must be a number" in str(rows[1].message)


def test_rows_read_otherwise_are_typed_with_the_same_messages():
    rows = list(typed_rows([("item 1", {"sku": "A", "price": Decimal("1.5")}), ("item 2", {"price": "1"})], FIELDS))
    assert rows[0] == ("item 1", {"sku": "A", "price": Decimal("1.5"), "standard": True})
    assert isinstance(rows[1], RowError) and rows[1].row == "item 2" and str(rows[1].message) == "sku is required"


def test_a_missing_file_is_a_config_error_naming_it(tmp_path):
    with pytest.raises(ConfigError) as caught:
        list(read_table(tmp_path / "nowhere.xlsx", FIELDS))
    assert "nowhere.xlsx: cannot read: No such file or directory" in str(caught.value.message)
    assert caught.value.exit_code == 78
