"""Nothing invented, nothing dropped (issue 18, items 1, 2, 5, 7).

Every row of an input is decided or named in one error with its own row
number, whatever is wrong with the rows around it, with `--jobs 1` and with
worker processes alike, in time linear in the input. Files here are over a
megabyte where it matters, so `--jobs` cuts them at its real piece size.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time

import pytest
from reliability_support import assert_contract, bizops_command, error_rows, process_env

QUOTE = ("--company", "cable", "quote")


def write_csv(path, rows: list[str]) -> None:
    path.write_text("sku,qty,guide_price\r\n" + "".join(row + "\r\n" for row in rows), encoding="utf-8")


def orders(count: int) -> list[str]:
    return [f"S{i},{i % 50 + 1},{100 + i % 7}.50" for i in range(count)]


def skus(run) -> list[str]:
    return [row["sku"] for row in run.rows()]


def both(cable, *args: str):
    """The same command in one process and in worker processes: the same output, errors and exit code."""
    one = cable("quote", *args, "--jobs", "1")
    many = cable("quote", *args, "--jobs", "3")
    assert (many.stdout, many.stderr, many.exit_code) == (one.stdout, one.stderr, one.exit_code)
    return one


def timed(args: list[str], tmp_path, timeout: float):
    """A real `bizops` process: (completed process, seconds, its peak memory in MB)."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "p = subprocess.run(sys.argv[1:], capture_output=True); "
        "sys.stdout.buffer.write(b'%d %f %d\\n' % (p.returncode, time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + p.stderr)"
    )
    done = subprocess_run([sys.executable, "-c", probe, *bizops_command(), *args], tmp_path, timeout)
    head, _, stderr = done.stdout.partition(b"\n")
    code, seconds, peak_kb = head.split()
    return int(code), float(seconds), int(peak_kb) / 1024, stderr.decode()


def subprocess_run(command, tmp_path, timeout):
    import subprocess

    return subprocess.run(command, cwd=tmp_path, env=process_env(tmp_path), capture_output=True, timeout=timeout)


# -- item 1: --jobs cuts only where a row ends ----------------------------------------------------
def test_an_inch_mark_does_not_make_jobs_cut_inside_a_quoted_cell(cable, tmp_path):
    rows = orders(60_000)
    expected = [f"S{i}" for i in range(60_000)]
    for i in range(0, 60_000, 997):  # quoted line breaks all through the file
        rows[i], expected[i] = f'"BV\n{i}",3,12.50', f"BV\n{i}"
    rows[5], expected[5] = 'PHC 12",4,5.00', 'PHC 12"'  # an inch mark: a quote that opens nothing
    write_csv(tmp_path / "orders.csv", rows)
    assert (tmp_path / "orders.csv").stat().st_size > 1 << 20  # more than one piece
    r = both(cable, "orders.csv")
    assert_contract(r, 0)
    assert r.stderr == ""
    assert skus(r) == expected


@pytest.mark.parametrize(
    "bad_row",
    ['PHC 12",4,5.00', 'S1,"100,1'],  # a stray quote; an unclosed one (issue 18: 54 s and 285 s)
)
def test_jobs_stays_linear_with_a_stray_or_unclosed_quote(tmp_path, bad_row):
    rows = orders(150_000)
    rows[20] = bad_row
    write_csv(tmp_path / "orders.csv", rows)
    code1, one, _, _ = timed([*QUOTE, "orders.csv", "--jobs", "1"], tmp_path, timeout=300)
    code2, many, _, _ = timed([*QUOTE, "orders.csv", "--jobs", "2"], tmp_path, timeout=300)
    assert code1 == code2
    assert many < 3 * one + 5, (one, many)  # was 20 to 60 times as long, growing with the file


# -- item 2: an unclosed quote costs its own row only -------------------------------------------
def test_an_unclosed_quote_is_one_row_error_and_later_rows_keep_their_numbers(cable, tmp_path):
    rows = orders(100_000)
    rows[49_999] = 'S1,"100,1'  # spreadsheet row 50,001
    rows[89_999] = "S9,0,5"  # row 90,001
    write_csv(tmp_path / "orders.csv", rows)
    r = both(cable, "orders.csv", "--format", "csv")
    assert_contract(r, 65)
    assert r.stderr.splitlines() == [
        "row 50001: has a quote that opens cell 2 (qty) and is never closed; "
        "the row is not read, and the next line is read as the next row",
        'row 90001: qty must be > 0, got "0"',
    ]
    decided = r.stdout.splitlines()[1:]
    assert len(decided) == 100_000 - 2
    assert decided[49_998].startswith("cable,S49998,")  # the row before the broken one (S49999)...
    assert decided[49_999].startswith("cable,S50000,")  # ...and the row after it


def test_an_unclosed_quote_in_the_last_row_or_the_header(cable, tmp_path):
    write_csv(tmp_path / "last.csv", ["A,1,5", "B,2,6", 'C,"3,7'])
    r = cable("quote", "last.csv")
    assert_contract(r, 65)
    assert skus(r) == ["A", "B"]
    assert error_rows(r.stderr) == [4]
    (tmp_path / "header.csv").write_text('sku,"qty,guide_price\nA,1,5\n', encoding="utf-8")
    r = cable("quote", "header.csv")
    assert_contract(r, 65)
    assert r.stderr.startswith("row 1: the header row has a quote that opens cell 2 and is never closed")


def test_a_quote_closed_only_after_a_megabyte_was_never_a_cell(cable, tmp_path):
    """Excel holds at most 32,767 characters in a cell: a quote that runs on for a megabyte is a mistake."""
    rows = orders(80_000)
    rows[2] = 'S2,"4,5'  # row 4 opens a quote...
    rows[70_000] = 'S70000,3,5 "'  # ...and a quote 1.5 MB later would close it
    write_csv(tmp_path / "orders.csv", rows)
    r = both(cable, "orders.csv")
    assert_contract(r, 65)
    assert error_rows(r.stderr) == [4, 70002]  # the closing quote's own row: a quote in a number
    assert "row 70002: guide_price must be a number" in r.stderr
    assert len(r.rows()) == 80_000 - 2


def test_a_quoted_cell_with_line_breaks_is_still_one_row(cable, tmp_path):
    write_csv(tmp_path / "orders.csv", ['"a\r\nmulti-line\nsku",1,5', 'B "big",2,6', "C,0,7"])
    r = cable("quote", "orders.csv")
    assert_contract(r, 65)
    assert skus(r) == ["a\r\nmulti-line\nsku", 'B "big"']
    assert r.stderr == 'row 4: qty must be > 0, got "0"\n'


def test_old_mac_line_ends_are_line_ends(cable, tmp_path):
    (tmp_path / "mac.csv").write_bytes(b'sku,qty,guide_price\rA,1,5\rB,0,6\r"C\rD",2,7\r')
    r = cable("quote", "mac.csv")
    assert_contract(r, 65)
    assert skus(r) == ["A", "C\nD"]
    assert r.stderr == 'row 3: qty must be > 0, got "0"\n'


# -- item 5: a JSON array element nested too deep -----------------------------------------------
def test_a_deeply_nested_array_element_is_one_row_error(cable):
    elements = [
        '{"sku": "A", "guide_price": "5"}',
        '{"sku": "B", "x": ' + "[" * 1100 + "]" * 1100 + "}",
        '{"sku": "C", "guide_price": "6"}',
    ]
    r = cable("quote", "-", "--input-format", "json", input="[" + ",\n".join(elements) + "]")
    assert_contract(r, 65)
    assert skus(r) == ["A", "C"]
    assert r.stderr == "row 2: not a valid JSON object (nested too deeply)\n"


def test_a_broken_array_element_costs_only_itself(cable):
    elements = [
        '{"sku": "A", "guide_price": "5"}',
        "oops",
        '{"sku": "B", "guide_price": "5"} trailing',
        '{"sku": "C", "guide_price": "6", "note": "' + "x" * (1 << 20) + '"}',
        '{"sku": "D", "guide_price": "7"}',
    ]
    r = cable("quote", "-", "--input-format", "json", input="[" + ", ".join(elements) + "]")
    assert_contract(r, 65)
    assert skus(r) == ["A", "D"]
    assert error_rows(r.stderr) == [2, 3, 4]
    assert "row 4: is longer than 1,048,576 bytes (1 MiB); not read" in r.stderr


# -- item 7: a huge JSON line -------------------------------------------------------------------
def test_a_50_mb_json_line_is_a_row_error_in_linear_time_and_flat_memory(tmp_path):
    good = json.dumps({"sku": "A", "guide_price": "5"})
    with open(tmp_path / "orders.jsonl", "w", encoding="utf-8") as out:
        out.write(good + "\n")
        out.write('{"sku": "X", "note": "' + "y" * (50 << 20) + '"}\n')  # 50 MB: took 40 s, quadratic
        out.write(good + "\n")
        out.write(json.dumps({"sku": "Z", "guide_price": "5", "qty": "0"}) + "\n")
    for jobs in ("1", "auto"):
        start = time.perf_counter()
        code, _, peak_mb, stderr = timed([*QUOTE, "orders.jsonl", "--jobs", jobs], tmp_path, timeout=120)
        assert time.perf_counter() - start < 60
        assert code == 65
        assert stderr.splitlines() == [
            "row 2: is longer than 1,048,576 bytes (1 MiB); not read",
            'row 4: qty must be > 0, got "0"',
        ]
        assert peak_mb < 120, peak_mb  # the line is never held whole


def test_a_csv_row_over_a_megabyte_is_a_row_error(cable, tmp_path):
    write_csv(tmp_path / "orders.csv", ["A,1,5", "B,1," + "9" * (1 << 20), "C,0,6", "D,1,7"])
    r = both(cable, "orders.csv")
    assert_contract(r, 65)
    assert skus(r) == ["A", "D"]
    assert r.stderr.splitlines() == [
        "row 3: is longer than 1,048,576 bytes (1 MiB); not read",
        'row 4: qty must be > 0, got "0"',
    ]


@pytest.mark.parametrize("company_command", [("cable", "approve-order"), ("pv", "expense", "request")])
def test_a_one_column_csv_whose_header_names_no_field_loses_no_row(bizops_run, company_command):
    """Found by the fuzz test: `unknown` then `0` were both skipped as title rows, and the run said nothing."""
    company, *command = company_command
    r = bizops_run("--company", company, *command, "-", "--input-format", "csv", input="unknown\n0\n")
    assert r.exit_code == 65, r
    assert "column 'unknown' is not a field" in r.stderr and "\nrow 2: " in "\n" + r.stderr.split("\n", 1)[1]


@pytest.mark.parametrize("piece", ["16", "1048576"])
def test_a_title_alone_on_its_line_above_the_header_is_skipped(bizops_run, tmp_path, piece):
    """Found attacking the desk: `应收账款账龄表` on a line of its own (no commas after it, as a

    person or an accounting export writes it) was taken for a header of one column, and every row
    failed with "has 5 cells but the header has 1 columns". The row after a lone cell decides.
    """
    (tmp_path / "quotes.csv").write_text(
        "2026年11月 报价单\r\n\r\nsku,qty,guide_price\r\nS1,2,100.50\r\nS2,0,100\r\n", encoding="utf-8"
    )
    args = (*QUOTE, "quotes.csv", "--format", "jsonl")
    env = {"BIZOPS_JOBS_PIECE_BYTES": piece}
    one = bizops_run(*args, "--jobs", "1", env=env)
    many = bizops_run(*args, "--jobs", "2", env=env)
    assert one.exit_code == 65, one
    assert skus(one) == ["S1"]
    assert one.stderr.splitlines() == ['row 5: qty must be > 0, got "0"']  # title 1, empty 2, header 3
    assert (many.stdout, many.stderr, many.exit_code) == (one.stdout, one.stderr, one.exit_code)


def test_a_lone_cell_followed_by_one_cell_rows_is_a_one_column_header(bizops_run):
    """The same lone cell above rows of one cell is the header of a one-column table: no row is lost."""
    r = bizops_run(*QUOTE, "-", "--input-format", "csv", "--format", "jsonl", input="报价单\n\nS1\nS2\n")
    assert r.exit_code == 65, r
    errors = r.stderr.splitlines()
    assert any("column '报价单' is not a field" in line for line in errors), errors
    assert [line.split(":")[0] for line in errors if line.startswith("row ")] == ["row 1", "row 3", "row 4"]
    assert errors[0].startswith("row 1: the header row names no field (known: sku ")


def test_a_header_naming_no_field_is_said_even_with_no_row_under_it(bizops_run):
    """Found by the fuzz test: an empty first row, then `0`: the `0` became the header, no row
    followed, and the run exited 0 having said nothing about a file that vanished."""
    r = bizops_run(*QUOTE, "-", "--input-format", "csv", input='""\n0\n')
    assert r.exit_code == 65 and r.stdout == "", r
    assert r.stderr.startswith("row 2: the header row names no field (known: sku "), r.stderr


@pytest.mark.parametrize("piece", ["16", "1048576"])
def test_a_row_grouping_the_columns_above_the_header_is_a_title(bizops_run, tmp_path, piece):
    """Found attacking the desk: a report's two-level header (`订单信息,,,付款信息,` over the real one)
    was taken for the header, and every row failed. A row naming no field is a title when a row
    below names one; with none below it, it stays the header (a one-column file keeps its rows)."""
    (tmp_path / "orders.csv").write_text(
        "单位：元,,,,制表：张三\n订单信息,,,付款信息,\n客户,金额,城市,结算方式,发票\n甲,1000,广州,现款,普票\n乙,0,广州,现款,普票\n",
        encoding="utf-8",
    )
    args = ("--company", "cable", "approve-order", "orders.csv", "--format", "jsonl")
    env = {"BIZOPS_JOBS_PIECE_BYTES": piece}
    one = bizops_run(*args, "--jobs", "1", env=env)
    many = bizops_run(*args, "--jobs", "2", env=env)
    assert one.exit_code == 65, one
    assert [row["customer"] for row in one.rows()] == ["甲"]
    assert [line for line in one.stderr.splitlines() if line.startswith("row ")] == [
        'row 5: amount must be > 0, got "0"'
    ]
    assert "not a field" not in one.stderr
    assert (many.stdout, many.stderr, many.exit_code) == (one.stdout, one.stderr, one.exit_code)


def test_an_exports_totals_row_is_named_in_its_error(bizops_run, tmp_path):
    """Found attacking receivables: an accounting export ends with `合计,,1,500.00`; it is still an
    error (nothing is dropped unsaid) but the message says what the row is, in both languages."""
    (tmp_path / "ageing.csv").write_text(
        '发票号,客户,金额,已收,到期日\nA1,甲,1000,0,2026-10-01\nA2,乙,500,0,2026-11-01\n合计,,"1,500.00",0,\n',
        encoding="utf-8",
    )
    args = ("--company", "pv", "receivables", "ageing.csv", "--as-of", "2026-12-01", "--format", "jsonl")
    r = bizops_run(*args)
    assert r.exit_code == 65 and [x["invoice"] for x in r.rows()] == ["A1", "A2"], r
    assert r.stderr.splitlines() == ["row 4: a totals row (合计), not a request: customer is required"]
    zh = bizops_run("--lang", "zh", *args)
    assert zh.stderr.splitlines() == ["第 4 行：合计行（合计），不是一笔请求：缺少必填字段 customer"]


def test_a_subtotal_line_with_an_amount_is_never_decided_as_an_order(bizops_run, tmp_path):
    """Found attacking receivables with a Kingdee-style export: `广州甲公司 小计` and `合计` sit in the
    customer column with the amounts filled in. A line whose other cells pass (an order book's 合计 with
    an amount) was decided, and recorded, as an order of a customer called 合计: VAT accumulated on the
    sum of the book. Now a required name that is, or ends in, 合计/小计/总计 makes the row a named error."""
    (tmp_path / "orders.csv").write_text(
        '客户,金额,new_customer\n甲,1000,否\n甲 小计,1000,否\n乙,500,否\n合 计,"1,500.00",否\n',
        encoding="utf-8",
    )
    db = tmp_path / "ledger.db"
    args = ("--company", "cable", "--db", str(db), "approve-order", "orders.csv", "--format", "jsonl", "--record")
    r = bizops_run(*args)
    assert r.exit_code == 65 and [x["customer"] for x in r.rows()] == ["甲", "乙"], r
    assert [line for line in r.stderr.splitlines() if line.startswith("row ")] == [
        "row 3: a totals row (甲 小计), not a request",
        "row 5: a totals row (合 计), not a request",
    ]
    with sqlite3.connect(db) as conn:
        assert [c for (c,) in conn.execute("SELECT customer FROM bizops_decisions ORDER BY id")] == ["甲", "乙"]
    zh = bizops_run("--lang", "zh", "--company", "cable", "approve-order", "orders.csv", "--format", "jsonl")
    assert "第 3 行：合计行（甲 小计），不是一笔请求" in zh.stderr.splitlines()


def test_a_customer_called_total_is_still_a_customer(bizops_run):
    """The totals check is Chinese-only in a name: Total is a company (道达尔), 合计 is not."""
    r = bizops_run("--company", "cable", "approve-order", "--customer", "Total", "--amount", "100", "--no-new-customer")
    assert r.exit_code == 0 and r.rows()[0]["customer"] == "Total", r


@pytest.mark.parametrize(
    ("company", "header", "rows", "column", "expected"),
    [
        ("cable", "person,date,code,count", ["{p},2026-11-03,late,1", "{p},2026-11-04,late,1"], "score", "90"),
        ("pile", "person,date,code,count,amount", ["{p},2026-11-05,route_violation,1,20"] * 2, "fines", "40.00"),
        (
            "airline",
            "person,route,period,revenue,target_revenue",
            ["{p},DLC-PEK,2026-10,1000,2000", "{p},DLC-PEK,2026-10,500,2000"],
            "revenue",
            "1500.00",
        ),
    ],
)
def test_one_person_however_the_name_is_typed_gets_one_card(
    bizops_run, tmp_path, company, header, rows, column, expected
):
    """Found attacking the scorecards: `张三` and `张 三` (a space typed between the characters) got two
    cards, each with half the penalties; recorded, both set one ledger key. A name is compared as the
    ledger keys it (`name_key`)."""
    lines = [rows[0].format(p="张三"), rows[1].format(p="张 三")]
    (tmp_path / "events.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    r = bizops_run("--company", company, "score", "events.csv", "--format", "jsonl")
    assert r.exit_code == 0, r
    assert [(x["person"], str(x[column])) for x in r.rows()] == [("张三", expected)]
