"""JSON Lines read a block at a time: row numbers, blank and broken lines, across block boundaries."""

import io
from decimal import Decimal

import pytest

from bizops.core.errors import RowError
from bizops.core.readers import JsonLinesReader


def read(data: bytes, chunk: int) -> list:
    reader = JsonLinesReader(io.BufferedReader(io.BytesIO(data)), None)
    reader.CHUNK = chunk
    return [(item.row, "error") if isinstance(item, RowError) else item for item in reader]


LINES = b"".join(b'{"sku": "S%d", "qty": %d}\n' % (i, i) for i in range(1, 41))


@pytest.mark.parametrize("chunk", [7, 64, 100, 1 << 15])
def test_every_row_keeps_its_line_number_whatever_the_block_size(chunk):
    rows = read(LINES, chunk)
    assert rows == [(i, {"sku": f"S{i}", "qty": i}) for i in range(1, 41)]


@pytest.mark.parametrize("chunk", [7, 64, 1 << 15])
def test_blank_and_broken_lines_cost_only_themselves(chunk):
    data = b'\xef\xbb\xbf{"qty": 1}\r\n\r\n   \n{"qty": 2\n{"qty": 3}\n[4]\n{"qty": 5, "qty": 6}\n{"qty": 7}'
    assert read(data, chunk) == [
        (1, {"qty": 1}),
        (4, "error"),
        (5, {"qty": 3}),
        (6, "error"),
        (7, "error"),
        (8, {"qty": 7}),
    ]


def test_rows_read_counts_blank_lines_too():
    reader = JsonLinesReader(io.BufferedReader(io.BytesIO(b'{"a": 1}\n\n{"a": 2}\n\n')), None)
    assert len(list(reader)) == 2
    assert reader.rows_read == 4


def test_a_float_in_a_block_read_at_once_is_read_again_exactly():
    reader = JsonLinesReader(io.BufferedReader(io.BytesIO(b'{"a": 1}\n{"a": 0.1}\n{"a": 3}\n')), None)
    rows = iter(reader)
    next(rows)
    row, raw = next(rows)
    assert (row, raw) == (2, {"a": 0.1})
    assert reader.exact(row, raw) == {"a": Decimal("0.1")}


def test_a_byte_order_mark_is_dropped_even_when_it_arrives_a_byte_at_a_time():
    assert read(b'\xef\xbb\xbf{"qty": 1}\n{"qty": 2}', 1) == [(1, {"qty": 1}), (2, {"qty": 2})]
