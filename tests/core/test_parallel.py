"""`--jobs`: the same output, in the same order, with the same row numbers, as one process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bizops.core import parallel

BIZOPS = [sys.executable, "-m", "bizops"]
GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "kit" / "gen_orders.py"


@pytest.fixture(scope="module")
def orders(tmp_path_factory) -> Path:
    """35,000 generated quote requests (3 MB: several pieces) with bad rows among them."""
    path = tmp_path_factory.mktemp("orders") / "orders.jsonl"
    lines = subprocess.run(
        [sys.executable, str(GENERATOR), "35000", "7"], capture_output=True, check=True
    ).stdout.splitlines(keepends=True)
    lines[9] = b'{"guide_price": "12", "qty": -1}\n'  # line 10
    lines[20000] = b"not json\n"  # line 20001, in a later piece
    lines[34999] = b'{"guide_price": "1e3"}\n'  # the last line
    path.write_bytes(b"".join(lines))
    return path


def bizops(*args: str, stdin: Path) -> subprocess.CompletedProcess:
    with open(stdin, "rb") as handle:
        return subprocess.run([*BIZOPS, "--company", "cable", "quote", *args], stdin=handle, capture_output=True)


def test_jobs_gives_what_one_process_gives(orders):
    assert orders.stat().st_size > 2 * parallel.BLOCK_BYTES
    one = bizops("--jobs", "1", "-", stdin=orders)
    many = bizops("--jobs", "2", "-", stdin=orders)
    assert one.returncode == many.returncode == 65
    assert one.stdout == many.stdout
    assert len(one.stdout.splitlines()) == 35000 - 3
    errors = many.stderr.decode().splitlines()
    assert errors == one.stderr.decode().splitlines()
    assert [line.split(":")[0] for line in errors] == ["row 10", "row 20001", "row 35000"]


def test_csv_pieces_keep_quoted_line_breaks_and_spreadsheet_rows(tmp_path):
    rows = ["sku,qty,guide_price"] + [f'"BV\n{i}",{i % 50 + 1},{100 + i % 7}.50' for i in range(60000)]
    rows[40001] = "bad,0,5"  # spreadsheet row 40002
    path = tmp_path / "orders.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    one = bizops("--jobs", "1", "--format", "csv", str(path), stdin=path)
    many = bizops("--jobs", "2", "--format", "csv", str(path), stdin=path)
    assert one.stdout == many.stdout and one.returncode == many.returncode == 65
    assert many.stderr.decode().splitlines() == ['row 40002: qty must be > 0, got "0"']


def test_a_small_input_is_decided_in_one_process(bizops_run):
    r = bizops_run("--company", "cable", "quote", "-", "--jobs", "4", input='{"guide_price": "5"}\n')
    assert r.rows()[0]["unit_price"] == "5.00"


def test_jobs_must_be_a_number_or_auto(bizops_run):
    r = bizops_run("--company", "cable", "quote", "-", "--jobs", "0", input=json.dumps({"guide_price": "5"}))
    assert r.exit_code == 2 and "--jobs" in r.stderr
