"""Files as Excel, WPS and other programs write them: encodings, line ends, broken rows.

A row that cannot be read is an error naming its row (the spreadsheet row of
a CSV, the line of a JSON Lines file); every other row is still decided, in
one process and in `--jobs` worker processes alike.
"""

from __future__ import annotations

import codecs
import json

import pytest
from reliability_support import assert_contract, error_rows

HEADER = "customer,amount,new_customer,city\r\n"


def amounts(run) -> list[str]:
    return [row["amount"] for row in run.rows()]


# -- encodings ------------------------------------------------------------------------------
def test_excel_csv_utf8_with_bom_and_crlf(cable, tmp_path):
    text = HEADER + '广州电缆,1500,yes,广州\r\n老客户,"2,000.00",no,\r\n'
    (tmp_path / "orders.csv").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 0)
    rows = r.rows()
    assert [(x["customer"], x["amount"], x["payment_terms"]) for x in rows] == [
        ("广州电缆", "1500.00", "cod"),
        ("老客户", "2000.00", "cash"),
    ]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_a_chinese_excel_csv_is_read_as_gb18030_with_one_warning(cable, tmp_path, encoding):
    """No BOM and not UTF-8: GB18030 (what Chinese Excel and WPS save), said once, no row errors (issue 15)."""
    text = HEADER + "广州电缆,1500,是,广州市\r\n深圳线材,"
    text += '"￥2,000.00",否,深圳\r\n'
    (tmp_path / "orders.csv").write_bytes(text.encode(encoding))
    expected = [("广州电缆", "1500.00", "cod"), ("深圳线材", "2000.00", "cash")]
    for given in ((), ("--encoding", encoding)):
        r = cable("approve-order", "orders.csv", *given)
        assert_contract(r, 0)
        assert [(x["customer"], x["amount"], x["payment_terms"]) for x in r.rows()] == expected
        if given:
            assert r.stderr == ""
        else:
            [warned] = r.stderr.splitlines()
            assert warned.startswith("warning: orders.csv is not UTF-8: read as GB18030"), warned
    r = cable("approve-order", "orders.csv", "--lang", "zh")
    assert "不是 UTF-8：已按 GB18030 读取" in r.stderr


def test_a_bom_decides_the_encoding(cable, tmp_path):
    text = HEADER + "广州电缆,1500,是,广州市\r\n"
    (tmp_path / "orders.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 0)
    assert r.rows()[0]["customer"] == "广州电缆" and r.stderr == ""


def test_the_encoding_hint_is_given_in_chinese(cable, tmp_path):
    """A UTF-8 file with one row saved in GBK: that row is the error, named, with the hint."""
    good = (HEADER + "广州电缆,1500,是,广州\r\n深圳线材,200,否,深圳\r\n").encode("utf-8")
    (tmp_path / "orders.csv").write_bytes(good + "佛山明辉,300,否,佛山\r\n".encode("gb18030"))
    r = cable("approve-order", "orders.csv", "--lang", "zh")
    assert_contract(r, 65)
    assert "第 4 行" in r.stderr and "--encoding gb18030" in r.stderr and "不是有效的 UTF-8" in r.stderr
    assert [x["customer"] for x in r.rows()] == ["广州电缆", "深圳线材"]


def test_an_unknown_encoding_is_a_usage_error(cable, tmp_path):
    (tmp_path / "orders.csv").write_text(HEADER)
    r = cable("approve-order", "orders.csv", "--encoding", "klingon")
    assert_contract(r, 2)
    assert "unknown encoding 'klingon'" in r.stderr


def test_excel_unicode_text_is_utf16_and_tab_separated(cable, tmp_path):
    text = "customer\tamount\tnew_customer\r\n张三\t1,500.00\t否\r\n李四\t￥200\tno\r\n"
    (tmp_path / "orders.txt").write_bytes(text.encode("utf-16"))  # with its BOM, as Excel writes it
    for args in (["orders.txt"], ["-"]):
        r = cable("approve-order", *args, input=(tmp_path / "orders.txt").read_bytes())
        assert_contract(r, 0)
        assert [(x["customer"], x["amount"]) for x in r.rows()] == [("张三", "1500.00"), ("李四", "200.00")]
    (tmp_path / "le.tsv").write_bytes(text.encode("utf-16-le"))  # no BOM: say which
    r = cable("approve-order", "le.tsv", "--encoding", "utf-16-le")
    assert amounts(r) == ["1500.00", "200.00"]


def test_invalid_utf16_is_an_input_error_not_a_crash(cable, tmp_path):
    (tmp_path / "bad.txt").write_bytes(codecs.BOM_UTF16_LE + "customer\tamount\r\n".encode("utf-16-le") + b"\x00\xd8")
    r = cable("approve-order", "bad.txt")
    assert_contract(r, 65)
    assert "not valid UTF-16" in r.stderr


def test_invalid_utf8_and_nul_bytes_spoil_only_their_own_rows(cable, tmp_path):
    data = (
        HEADER.encode()
        + b"A,100,no,\r\n"
        + b"B\xff\xfe,200,no,\r\n"
        + b"C,300,no,\r\n"
        + b"D,4\x0000,no,\r\n"
        + b"E,500,no,\r\n"
    )
    (tmp_path / "orders.csv").write_bytes(data)
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 65)
    assert amounts(r) == ["100.00", "300.00", "500.00"]
    assert r.stderr.splitlines() == [
        "row 3: is not valid UTF-8; a file saved by Excel or WPS in Chinese needs --encoding gb18030",
        "row 5: contains a NUL byte",
    ]
    lines = [
        b'{"customer":"A","amount":"100","new_customer":false}',
        b'{"customer":"B\xff","amount":"200"}',
        b'{"customer":"C","amount":"300","new_customer":false}',
        b'{"customer":"D\x00","amount":"400"}',
        b'{"customer":"E","amount":"500","new_customer":false}',
    ]
    r = cable("approve-order", "-", input=b"\n".join(lines) + b"\n")
    assert_contract(r, 65)
    assert amounts(r) == ["100.00", "300.00", "500.00"]
    assert error_rows(r.stderr) == [2, 4]
    assert "not valid UTF-8" in r.stderr and "row 4: contains a NUL byte" in r.stderr


def test_a_nul_written_as_json_or_by_a_workbook_spoils_only_its_row(cable, tmp_path):
    """A NUL reaches a row as a JSON `\\u0000` (in a value, a key, a nested list) or a workbook cell's `_x0000_`,
    not only as a CSV's byte. Found attacking `--record`: PostgreSQL cannot keep one, so such a row stopped the
    whole run there (exit 74: "text fields cannot contain NUL"), reading too, while SQLite took it."""
    rows = [
        {"customer": "A", "amount": "100", "new_customer": False},
        {"customer": "B\u0000C", "amount": "200"},
        {"customer": "D", "amount": "300", "new_customer": False, "x\u0000": "1"},
        {"customer": "E", "amount": "500", "new_customer": False, "note": ["a", "b\u0000"]},
        {"customer": "F \\u0000", "amount": "600", "new_customer": False},  # a backslash and u0000: no NUL
    ]
    text = "".join(json.dumps(r) + "\n" for r in rows)
    assert "\\u0000" in text
    for args in (("--jobs", "1"), ("--jobs", "2")):
        r = cable("approve-order", "-", *args, input=text)
        assert_contract(r, 65)
        assert amounts(r) == ["100.00", "600.00"]
        assert r.stderr.splitlines() == [f"row {n}: contains a NUL byte" for n in (2, 3, 4)]
    (tmp_path / "orders.json").write_text(json.dumps(rows))
    r = cable("approve-order", "orders.json")
    assert_contract(r, 65)
    assert amounts(r) == ["100.00", "600.00"]
    assert error_rows(r.stderr) == [2, 3, 4]

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["customer", "amount", "new_customer"])
    for customer, amount in (("A", "100"), ("B_x0000_C", "200"), ("D", "300")):
        book.active.append([customer, amount, "no"])
    book.save(tmp_path / "orders.xlsx")
    r = cable("approve-order", "orders.xlsx")
    assert_contract(r, 65)
    assert amounts(r) == ["100.00", "300.00"]
    assert r.stderr.splitlines() == ["row 3: contains a NUL byte"]


def test_half_a_character_in_json_spoils_only_its_row(cable, tmp_path):
    """JSON may escape half a character (a lone `\\ud800`), which no text holds. It reached the plugin, whose
    result could not then be written: "plugin 'cable' failed … a lone surrogate", exit 70, the rest of the run
    lost (under --record: "bizops failed: UnicodeEncodeError"). An emoji escaped as a pair is one character."""
    lines = [
        r'{"customer":"A","amount":"100","new_customer":false}',
        r'{"customer":"B\ud800","amount":"200","new_customer":false}',
        r'{"customer":"C\ud83d\ude00","amount":"300","new_customer":false}',
        r'{"customer":"D","amount":"400","new_customer":false,"x":{"y":["\uDFFF"]}}',
        r'{"customer":"E","amount":"500","new_customer":false}',
    ]
    for args in (("--jobs", "1"), ("--jobs", "2")):
        r = cable("approve-order", "-", *args, input="\n".join(lines) + "\n")
        assert_contract(r, 65)
        assert amounts(r) == ["100.00", "300.00", "500.00"]
        assert [row["customer"] for row in r.rows()][1] == "C\U0001f600"
        assert error_rows(r.stderr) == [2, 4] and "row 2: holds text that is not valid Unicode" in r.stderr
    (tmp_path / "orders.json").write_text("[" + ",".join(lines) + "]")
    r = cable("approve-order", "orders.json", "--record")
    assert_contract(r, 65)
    assert amounts(r) == ["100.00", "300.00", "500.00"]
    assert error_rows(r.stderr) == [2, 4]


def test_rows_taken_for_titles_with_no_header_below_are_header_and_data(cable, tmp_path):
    """Found by the fuzz test: `unknown,` then `,0` (one filled cell of two, as a title merged across the
    columns) were both skipped as titles, no header ever came, and the file ended with nothing said, exit 0.
    With no header below them, the first is the header after all (naming no field: exit 65) and the rest data,
    read in one process and in pieces (`--jobs`), from CSV and from a workbook."""
    (tmp_path / "orders.csv").write_text("unknown,\r\n,\r\n,0\r\n")
    for jobs in ("1", "2"):
        r = cable("approve-order", "orders.csv", "--jobs", jobs)
        assert_contract(r, 65)
        assert r.stdout == ""
        assert error_rows(r.stderr) == [1, 3] and "row 1: the header row names no field" in r.stderr
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["2026年11月 订单", None])
    book.active.append([None, "0"])
    book.save(tmp_path / "orders.xlsx")
    r = cable("approve-order", "orders.xlsx")
    assert_contract(r, 65)
    assert error_rows(r.stderr) == [2]  # the lone cell above a wider row is its title; the wider row the header
    assert "row 2: the header row names no field" in r.stderr
    # Titles above a header are still skipped without a word.
    (tmp_path / "titled.csv").write_text("2026年11月 订单,,\r\ncustomer,amount,new_customer\r\nA,100,no\r\n")
    r = cable("approve-order", "titled.csv")
    assert_contract(r, 0)
    assert amounts(r) == ["100.00"] and r.stderr == ""


def test_a_header_that_cannot_be_read_is_named(cable, tmp_path):
    (tmp_path / "orders.csv").write_bytes(b"cust\xffomer,amount\r\nA,100\r\n")
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 65)
    assert r.stderr.startswith("row 1: the header row is not valid UTF-8")


# -- line ends and quoting -------------------------------------------------------------------
def test_quoted_line_breaks_stay_in_their_cell_and_rows_keep_spreadsheet_numbers(cable, tmp_path):
    text = (
        HEADER
        + '"广州\r\n电缆厂",1500,yes,广州\r\n'  # row 2 spans two lines
        + "B,abc,no,\r\n"  # row 3
        + '"C ""quoted""\nname",300,no,\r\n'  # row 4, a bare LF inside quotes
        + "D,,no,\r\n"
    )  # row 5
    (tmp_path / "orders.csv").write_text(text, encoding="utf-8", newline="")
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 65)
    assert [x["customer"] for x in r.rows()] == ["广州\r\n电缆厂", 'C "quoted"\nname']
    assert r.stderr.splitlines() == ['row 3: amount must be a number, got "abc"', "row 5: amount is required"]


def test_old_mac_and_mixed_line_ends(cable, tmp_path):
    (tmp_path / "mixed.csv").write_bytes(b"customer,amount,new_customer\nA,100,no\r\nB,200,no\n\nC,300,no")
    r = cable("approve-order", "mixed.csv")
    assert_contract(r, 0)
    assert amounts(r) == ["100.00", "200.00", "300.00"]


def test_an_unclosed_quote_is_an_error_not_a_swallowed_file(cable, tmp_path):
    (tmp_path / "orders.csv").write_text(HEADER + 'A,100,no,\r\n"B,200,no,\r\nC,300,no,\r\n')
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 65)
    assert amounts(r) == ["100.00", "300.00"]  # the row after it is read
    assert error_rows(r.stderr) == [3]
    assert "row 3: has a quote that opens cell 1 (customer) and is never closed" in r.stderr


# -- columns ---------------------------------------------------------------------------------
def test_missing_and_extra_csv_columns(cable, tmp_path):
    (tmp_path / "orders.csv").write_text(
        "Customer, Amount ,New Customer,remark\n"  # loose header names; `remark` is not a field
        "A,100,no,ok\n"
        "B,200\n"  # short row: the missing cells are empty
        "C,300,no,ok,surplus\n"  # a cell beyond the header
        "D,400,no,ok,,\n"  # trailing empty cells are harmless
        "E,500,no\n",
        encoding="utf-8",
    )
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 65)
    assert [(x["customer"], x["amount"]) for x in r.rows()] == [("A", "100.00"), ("D", "400.00"), ("E", "500.00")]
    err = r.stderr.splitlines()
    assert err[0].startswith("warning: column 'remark' is not a field of cable approve-order; ignored (known: ")
    assert "row 3: city is needed to set a new customer's payment terms (home city: 广州 / Guangzhou)" in err
    assert "row 4: has 5 cells but the header has 4 columns" in err
    assert "warning: no ledger: a customer without new_customer is taken as new" in err


def test_a_required_column_missing_from_the_header_fails_every_row_by_name(cable, tmp_path):
    (tmp_path / "orders.csv").write_text("customer,amout\nA,100\nB,200\n")
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 65)
    assert r.stdout == ""
    assert (
        "warning: column 'amout' is not a field of cable approve-order; ignored (did you mean amout → amount? "
        in r.stderr
    )
    assert "row 2: amount is required" in r.stderr and "row 3: amount is required" in r.stderr


def test_a_column_named_twice_is_never_guessed(cable, tmp_path):
    (tmp_path / "orders.csv").write_text("customer,Amount,amount ,new_customer\nA,100,200,no\nB,300,400,no\n")
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 65)
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        "row 1: the header row names column 'amount' twice (after ignoring case and spaces)",
        "row 2: not read: the header names column 'amount' twice",
        "row 3: not read: the header names column 'amount' twice",
    ]


def test_an_empty_input_decides_nothing_and_succeeds(cable, tmp_path):
    for name, data in (
        ("empty.csv", b""),
        ("header.csv", HEADER.encode()),
        ("empty.jsonl", b"\n\n"),
        ("empty.json", b"[]"),
        ("bom.csv", codecs.BOM_UTF8),
    ):
        (tmp_path / name).write_bytes(data)
        r = cable("approve-order", name)
        assert_contract(r, 0)
        assert r.stdout == "" and r.stderr == "", (name, r)


# -- JSON ------------------------------------------------------------------------------------
def test_a_truncated_last_json_line_is_a_row_error(cable):
    good = (
        '{"customer":"A","amount":"100","new_customer":false}\n\n{"customer":"B","amount":"200","new_customer":false}\n'
    )
    r = cable("approve-order", "-", input=good + '{"customer":"C","amou')
    assert_contract(r, 65)
    assert amounts(r) == ["100.00", "200.00"]
    assert r.stderr.startswith("row 4: not a valid JSON object")  # blank line 2 still counts


def test_a_truncated_json_array_keeps_the_elements_before_the_break(cable):
    r = cable(
        "approve-order",
        "-",
        "--input-format",
        "json",
        input='[{"customer":"A","amount":"100","new_customer":false},{"customer":"B","amount":"2',
    )
    assert_contract(r, 65)
    assert amounts(r) == ["100.00"]
    assert r.stderr.startswith("row 2: not a valid JSON object")


def test_repeated_json_keys_are_refused_in_both_json_formats(cable):
    rows = [
        '{"customer":"A","amount":"100","new_customer":false}',
        '{"customer":"B","amount":"100","amount":"900","new_customer":false}',
        '{"customer":"C","amount":"300","new_customer":false}',
    ]
    for fmt, data in (("jsonl", "\n".join(rows) + "\n"), ("json", "[" + ",\n".join(rows) + "]")):
        r = cable("approve-order", "-", "--input-format", fmt, input=data)
        assert_contract(r, 65)
        assert amounts(r) == ["100.00", "300.00"], fmt
        assert r.stderr == "row 2: key 'amount' appears twice; give each field once\n", fmt


@pytest.mark.parametrize(
    "line, message",
    [
        ("[1, 2]", "must be a JSON object"),
        ('"just text"', "must be a JSON object"),
        ("null", "must be a JSON object"),
        ('{"customer": "B", "amount": "200"', "not a valid JSON object"),
        ("{'customer': 'B'}", "not a valid JSON object"),
        ('{"customer": ' + "[" * 5000 + "]" * 5000 + "}", "not a valid JSON object"),
    ],
)
def test_lines_that_are_not_objects(cable, line, message):
    data = (
        '{"customer":"A","amount":"100","new_customer":false}\n'
        + line
        + "\n"
        + '{"customer":"C","amount":"300","new_customer":false}\n'
    )
    r = cable("approve-order", "-", "--input-format", "jsonl", input=data)
    assert_contract(r, 65)
    assert amounts(r) == ["100.00", "300.00"]
    assert r.stderr.startswith("row 2: ") and message in r.stderr, r.stderr


def test_a_json_document_that_is_not_an_array_of_objects(cable):
    r = cable("approve-order", "-", "--input-format", "json", input='"orders"')
    assert_contract(r, 65)
    assert "the JSON input must be an array of objects" in r.stderr


# -- large files: the same rows and row numbers with and without worker processes -------------
def big_csv(path, rows: int) -> dict[int, str]:
    """A CSV of `rows` orders (over a megabyte, so --jobs cuts it in pieces) with known bad rows."""
    bad: dict[int, str] = {}
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("customer,amount,new_customer,note\r\n")
        line = 2
        for i in range(rows):
            if i % 5000 == 17:
                out.write(f'"multi\r\nline {i}",{i % 900 + 1},no,"a ""quoted""\nnote"\r\n')
            elif i % 7919 == 3:
                out.write(f"bad {i},{i}万,no,\r\n")
                bad[line] = (
                    f'row {line}: amount Chinese number words are not read; write the amount in digits, got "{i}万"'
                )
            elif i % 10007 == 5:
                out.write(f"short {i}\r\n")
                bad[line] = f"row {line}: amount is required"
            else:
                out.write(f'C{i},"{i % 900 + 1},000.50",no,a plain note to fill the piece\r\n')
            line += 1
    return bad


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_large_files_give_the_same_rows_and_row_numbers_with_jobs(cable, tmp_path, fmt):
    bad = big_csv(tmp_path / "orders.csv", 40_000)
    one = cable("approve-order", "orders.csv", "--jobs", "1", "--format", fmt)
    many = cable("approve-order", "orders.csv", "--jobs", "4", "--format", fmt)
    assert_contract(one, 65)
    assert_contract(many, 65)
    assert one.stdout == many.stdout
    assert sorted(one.stderr.splitlines()) == sorted(many.stderr.splitlines())
    for run in (one, many):
        assert sorted(set(error_rows(run.stderr))) == sorted(bad)
        for text in bad.values():
            assert text in run.stderr
    if fmt == "jsonl":
        assert len(one.rows()) == 40_000 - len(bad)
        assert "multi\r\nline 17" in [x["customer"] for x in one.rows()]


def test_a_large_json_lines_file_with_bad_lines_numbers_them_across_pieces(cable, tmp_path):
    lines, bad = [], []
    for i in range(1, 30_001):
        if i % 9973 == 0:
            lines.append('{"customer":"X","amount":"1","amount":"2"}')
            bad.append(i)
        elif i % 7001 == 0:
            lines.append(b'{"customer":"\xff"}'.decode("latin-1"))
            bad.append(i)
        else:
            lines.append(json.dumps({"customer": f"C{i}", "amount": f"{i}.25", "new_customer": False, "pad": "x" * 20}))
    (tmp_path / "orders.jsonl").write_bytes("\n".join(lines).encode("latin-1") + b"\n")
    one = cable("approve-order", "orders.jsonl", "--jobs", "1")
    many = cable("approve-order", "orders.jsonl", "--jobs", "3")
    assert one.stdout == many.stdout and len(one.rows()) == 30_000 - len(bad)
    assert error_rows(one.stderr) == bad
    assert sorted(error_rows(many.stderr)) == bad
    assert one.exit_code == many.exit_code == 65


@pytest.mark.parametrize("percent", [False, True])
def test_a_workbook_piped_in_is_read(tmp_path, percent):
    """`bizops quote - < book.xlsx` through a real pipe (not seekable): found when percentage cells
    made the reader seek its input, which a pipe refuses ("File or stream is not seekable")."""
    import openpyxl
    from reliability_support import run_process

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["产品编号", "数量", "指导价", "特价下浮%"])
    sheet.append(["BV-2.5", 10, 100, 0.05 if percent else 5])
    if percent:
        sheet["D2"].number_format = "0%"
    path = tmp_path / "book.xlsx"
    book.save(path)
    done = run_process(
        ["--company", "cable", "quote", "-", "--input-format", "xlsx", "--format", "jsonl"],
        tmp_path,
        input=path.read_bytes(),
    )
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert (row["discount_pct"], row["unit_price"]) == ("5", "95.00")
