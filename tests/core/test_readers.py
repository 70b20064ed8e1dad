"""The input readers: row numbers across blocks, CSV rows as the csv module ends them, pieces as one read."""

import ast
import csv
import importlib
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizops.core import readers
from bizops.core.errors import RowError
from bizops.core.formats import INPUT_FORMATS
from bizops.core.readers.csvrows import CsvReader
from bizops.core.readers.csvsplit import splitter
from bizops.core.readers.jsonarray import JsonArrayReader
from bizops.core.readers.jsonlines import JsonLinesReader


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


# -- the package: no import cycles ----------------------------------------------------------------
READERS_DIR = Path(readers.__file__).parent
MODULES = sorted(f"bizops.core.readers.{p.stem}" for p in READERS_DIR.glob("*.py") if p.stem != "__init__")


def test_the_readers_import_each_other_in_one_direction_only():
    """Each module imports only modules listed before it in a topological order, never the package itself."""
    imports: dict[str, set[str]] = {}
    for module in MODULES:
        tree = ast.parse((READERS_DIR / f"{module.rsplit('.', 1)[1]}.py").read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bizops.core.readers"):
                assert node.module != "bizops.core.readers", f"{module} imports the package, which imports it"
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names |= {a.name for a in node.names if a.name.startswith("bizops.core.readers")}
        imports[module] = names
    done: list[str] = []
    while len(done) < len(imports):
        ready = [m for m in imports if m not in done and imports[m] <= set(done)]
        assert ready, f"an import cycle among {sorted(set(imports) - set(done))}"
        done += sorted(ready)


def test_every_input_format_has_a_reader():
    assert set(readers.READERS) == set(INPUT_FORMATS)


@pytest.mark.parametrize("module", MODULES)
def test_each_reader_module_imports_alone(module):
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)


# -- where CSV rows end: as the csv module reads them ---------------------------------------------
CSV_TEXT = st.lists(
    st.sampled_from(["a", '12"', ",", "\n", "\r\n", '"', '""', '"x,\ny"', " ", "\t", "é"]), max_size=40
).map("".join)


@given(text=CSV_TEXT, delimiter=st.sampled_from([",", "\t"]))
@settings(max_examples=500, deadline=None)
def test_csv_rows_end_where_the_csv_module_ends_them(text, delimiter):
    data = text.encode("utf-8")
    rows = list(splitter(delimiter).rows(data))
    if any(broken for _, _, broken in rows):
        return  # an unclosed quote: csv would run on to the end (what bizops refuses to do)
    ours = [next(csv.reader([data[a:b].decode()], delimiter=delimiter), []) for a, b, _ in rows]
    assert ours == list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


# -- one process or pieces: the same rows, numbers and errors -------------------------------------
@pytest.fixture
def small_rows(monkeypatch):
    """Rows of at most 64 bytes, so the limit is reached by small inputs."""
    for module in map(importlib.import_module, MODULES):
        if hasattr(module, "MAX_ROW_BYTES"):
            monkeypatch.setattr(module, "MAX_ROW_BYTES", 64)


def items(rows) -> list:
    return [(item.row, str(item.message)) if isinstance(item, RowError) else item for item in rows]


def serially(cls, data: bytes, chunk: int) -> list:
    reader = cls(io.BufferedReader(io.BytesIO(data)), None)
    reader.CHUNK = chunk
    return items(reader)


def in_pieces(cls, data: bytes, size: int) -> list:
    """As `bizops.core.parallel` reads: pieces, each read alone, its row numbers shifted."""
    reader = cls(io.BufferedReader(io.BytesIO(data)), None)
    blocks = reader.blocks(size)
    found = [] if getattr(reader, "header_error", None) is None else items([reader.header_error])
    offset = 0 if getattr(reader, "header", None) is None else 1
    for block in blocks:
        piece = reader.for_block(block)
        found += [(item[0] + offset, item[1]) for item in items(piece)]
        offset += piece.rows_read
    return found


CSV_BYTES = st.lists(
    st.sampled_from([b"a", b'12"', b",", b"\n", b"\r\n", b"\r", b'"', b'""', b'"x,\ny"', b"\xff", b"\x00", b"a" * 30]),
    max_size=60,
).map(lambda parts: b"sku,qty\n" + b"".join(parts))
JSONL_BYTES = st.lists(
    st.sampled_from([b'{"a": 1}', b'{"a": 1.5}', b"\n", b"\r\n", b"{", b"x" * 40, b"\xff", b'{"a": 1, "a": 2}', b" "]),
    max_size=60,
).map(b"".join)


@given(data=CSV_BYTES, chunk=st.integers(1, 80), size=st.integers(1, 80))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_csv_read_in_pieces_gives_what_one_read_gives(small_rows, data, chunk, size):
    assert in_pieces(CsvReader, data, size) == serially(CsvReader, data, chunk)


@given(data=JSONL_BYTES, chunk=st.integers(1, 80), size=st.integers(1, 80))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_json_lines_read_in_pieces_give_what_one_read_gives(small_rows, data, chunk, size):
    assert in_pieces(JsonLinesReader, data, size) == serially(JsonLinesReader, data, chunk)


def test_a_long_line_after_a_short_one_is_too_long_however_the_input_was_read(small_rows):
    """Found by the test above: a line over the limit that followed a blank line in one read was parsed."""
    long = b'{"a": 1}{"a": 1}{"a": 1}' + b"x" * 40  # 64 bytes and its line end: over the limit
    data = long + b"\n\n" + long + b"\n"
    assert in_pieces(JsonLinesReader, data, 1) == serially(JsonLinesReader, data, 17)
    assert [row for row, what in serially(JsonLinesReader, data, 17)] == [1, 3]
    assert all("longer than" in what for _, what in serially(JsonLinesReader, data, 17))


def test_a_row_over_the_limit_is_one_error_and_reading_goes_on(small_rows):
    long_line = b"B," + b"9" * 100 + b"\n"  # 103 bytes: more than the 64 a row may have
    opened = b'C,"open\n'  # the quote closes only in row 6, more than 64 bytes on
    closed_late = b'"' + b"z" * 70 + b'",5\n'  # its quoted cell alone is longer than a row may be
    data = b"sku,qty\nA,1\n" + long_line + opened + b"D,4\n" + closed_late + b"E,6"
    read = serially(CsvReader, data, 7)
    assert [(row, what if type(what) is dict else what.split(";")[0][:16]) for row, what in read] == [
        (2, {"sku": "A", "qty": "1"}),
        (3, "is longer than 6"),
        (4, "has a quote that"),
        (5, {"sku": "D", "qty": "4"}),
        (6, "is longer than 6"),
        (7, {"sku": "E", "qty": "6"}),
    ]


ARRAYS = st.lists(
    st.sampled_from(
        ['{"a": 1}', '{"a": 1.5}', " ", "oops", '{"a": [1, {"b": "]"}]}', "[" * 30 + "]" * 30, '"x\\"y,"']
        + ['{"a": "' + "x" * 80 + '"}', '{"a": 1} z', '{"a": 1, "a": 2}', "\n"]
    ),
    max_size=30,
).map(lambda elements: ("[" + ",".join(elements) + "]").encode())


@given(data=ARRAYS, chunk=st.integers(1, 50), cut=st.integers(0, 3))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_json_array_gives_the_same_rows_however_it_arrives(small_rows, data, chunk, cut):
    """Each element is one row whatever is wrong with it, wherever the reads end (truncated arrays too)."""
    data = data[: len(data) - cut]
    assert serially(JsonArrayReader, data, chunk) == serially(JsonArrayReader, data, 1 << 16)
