"""Issue 15: the files a sales admin keeps, as they are: Chinese headers and values, encodings, delimiters.

Each test writes the file the way the user's program does (Excel/WPS CSV in
GB18030 or UTF-16, Chinese column names, the labels bizops itself prints) and
checks the decisions a user would check.
"""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest

ORDERS = "客户,金额,新客户,城市,结算方式,发票\r\n"


def test_the_cable_quote_takes_chinese_headers_as_they_are(bizops_run, tmp_path):
    (tmp_path / "q.csv").write_text("产品编号,数量,指导价\nBV-2.5,10,100.00\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "quote", "q.csv")
    assert r.exit_code == 0, r
    [row] = r.rows()
    assert (row["sku"], row["qty"], row["guide_price"], row["total"]) == ("BV-2.5", "10", "100.00", "1000.00")
    assert r.stderr == ""


@pytest.mark.parametrize(
    ("settlement", "invoice", "terms", "kind"),
    [
        ("帐期", "增值税专用发票", "credit", "vat"),
        ("账期", "专票", "credit", "vat"),
        ("现款现货", "普通发票", "cash", "ordinary"),
        ("cash", "普票", "cash", "ordinary"),
        # As order books write them (found attacking the desk: each was a row error).
        ("月结", "增值税普通发票", "credit", "ordinary"),
        ("赊销", "专用发票", "credit", "vat"),
        ("款到发货", "增值税专票", "cash", "vat"),
    ],
)
def test_a_choice_reads_as_the_label_bizops_prints_for_it(bizops_run, tmp_path, settlement, invoice, terms, kind):
    (tmp_path / "o.csv").write_text(ORDERS + f"佛山明辉,23000,否,佛山,{settlement},{invoice}\r\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "approve-order", "o.csv")
    assert r.exit_code == 0, r
    [row] = r.rows()
    assert (row["payment_terms"], row["invoice"]) == (terms, kind)


def test_what_bizops_prints_in_zh_reads_back(bizops_run, tmp_path):
    """A zh workbook bizops wrote (headers and values as its tables print them) is an input it reads again."""
    (tmp_path / "o.csv").write_text(ORDERS + "佛山明辉,23000,否,佛山,帐期,增值税专用发票\r\n", encoding="utf-8")
    out = bizops_run("--company", "cable", "approve-order", "o.csv", "-o", "o.xlsx", "--lang", "zh")
    assert out.exit_code == 0, out
    again = bizops_run("--company", "cable", "approve-order", "o.xlsx")
    assert again.exit_code == 0, again
    [row] = again.rows()
    assert (row["customer"], row["amount"], row["invoice"]) == ("佛山明辉", "23000.00", "vat")


def test_a_config_columns_table_maps_any_other_header(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text('[company]\nname = "cable"\n\n[columns]\n"货品" = "sku"\n', encoding="utf-8")
    (tmp_path / "q.csv").write_text("货品,数量,指导价\nBV-4,2,156.30\n", encoding="utf-8")
    r = bizops_run("--config", "bizops.toml", "quote", "q.csv")
    assert r.exit_code == 0, r
    assert r.rows()[0]["sku"] == "BV-4" and r.rows()[0]["total"] == "312.60"


def test_an_unknown_header_is_reported_once_with_the_known_ones(bizops_run, tmp_path):
    (tmp_path / "q.csv").write_text("产品编号,数量,指导价,备注\nA,1,10,急\nB,2,10,急\nC,3,10,\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "quote", "q.csv")
    assert r.exit_code == 0, r
    [warning] = r.stderr.splitlines()
    assert warning.startswith("warning: column '备注' is not a field of cable quote; ignored (")
    assert "sku (" in warning and "guide_price (" in warning and "[columns]" in warning
    assert [row["total"] for row in r.rows()] == ["10.00", "20.00", "30.00"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_unknown_header_over_an_empty_column_is_reported_too(bizops_run, tmp_path, suffix):
    """A workbook (and a CSV row cut short) leaves empty trailing cells out: the header still counts."""
    path = tmp_path / f"q.{suffix}"
    if suffix == "csv":
        path.write_text("产品编号,数量,指导价,备注\nA,1,10\nB,2,10\n", encoding="utf-8")
    else:
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["产品编号", "数量", "指导价", "备注"])
        book.active.append(["A", 1, 10])
        book.save(path)
    r = bizops_run("--company", "cable", "quote", path.name)
    assert r.exit_code == 0, r
    [warning] = r.stderr.splitlines()
    assert warning.startswith("warning: column '备注' is not a field of cable quote; ignored (")
    again = bizops_run("--company", "cable", "quote", path.name)
    assert again.stderr == r.stderr  # the same words every run


def test_a_bad_row_names_all_its_problems_on_one_line(bizops_run, tmp_path):
    (tmp_path / "o.csv").write_text(
        ORDERS + "佛山明辉,23000,否,佛山,帐期,专票\r\n广州恒通,-5,也许,广州,赊账,收据\r\n", encoding="utf-8"
    )
    r = bizops_run("--company", "cable", "approve-order", "o.csv")
    assert r.exit_code == 65, r
    assert len(r.rows()) == 1
    [line] = [x for x in r.stderr.splitlines() if x.startswith("row ")]
    assert line.startswith("row 3: ")
    for field in ("amount", "new_customer", "invoice"):
        assert field in line, line
    assert line.count(";") == 2


def test_a_gbk_file_without_encoding_is_said_once_not_per_row(bizops_run, tmp_path):
    rows = "".join(f"客户{i},{1000 + i},否,广州,现款现货,普票\r\n" for i in range(50))
    (tmp_path / "o.csv").write_bytes((ORDERS + rows).encode("gbk"))
    r = bizops_run("--company", "cable", "approve-order", "o.csv")
    assert r.exit_code == 0, r
    assert len(r.rows()) == 50 and r.rows()[49]["customer"] == "客户49"
    assert len(r.stderr.splitlines()) == 1 and "GB18030" in r.stderr


@pytest.mark.parametrize("bom", [True, False])
def test_utf16_tab_separated_saved_as_csv_is_read_as_columns(bizops_run, tmp_path, bom):
    """Excel's 'Unicode text' (UTF-16, tabs) named .csv: both sniffed, with or without a BOM."""
    text = "产品编号\t数量\t指导价\r\nBV-2.5\t10\t100.00\r\nBV-4\t2\t156.30\r\n"
    data = (codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le")
    (tmp_path / "q.csv").write_bytes(data)
    r = bizops_run("--company", "cable", "quote", "q.csv")
    assert r.exit_code == 0, r
    assert [(x["sku"], x["total"]) for x in r.rows()] == [("BV-2.5", "1000.00"), ("BV-4", "312.60")]


def test_a_semicolon_free_tab_file_from_stdin_is_sniffed(bizops_run):
    r = bizops_run("--company", "cable", "quote", "-", input="sku\tqty\tguide_price\nBV-2.5\t3\t10\n")
    assert r.exit_code == 0, r
    assert r.rows()[0]["total"] == "30.00"


@pytest.mark.parametrize("header", ["金额（万元）", "金额(单位：万元)", "金额（千元）", "Amount (K)", "订单金额(亿元)"])
def test_money_in_larger_units_is_never_read_as_yuan(bizops_run, tmp_path, header):
    """Found attacking the desk: `金额（万元）` lost its note and 12.5 (万元, 125,000 yuan) was read as 12.50.
    Such a header is refused, saying why (an optional field left to its default, `已收（万元）` as nothing
    paid, would be as wrong); `金额（元）` and `单价（元/千克）` still are read."""
    (tmp_path / "o.csv").write_text(f"客户,{header},城市\r\n甲,12.5,广州\r\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "approve-order", "o.csv")
    assert r.exit_code == 65 and r.stdout == "", r
    reason = (
        f"gives column {header!r} in units larger than 元, but bizops reads money in 元 only: give the column in 元"
    )
    assert r.stderr.splitlines() == [f"row 1: the header row {reason}", f"row 2: not read: the header {reason}"]


@pytest.mark.parametrize(
    ("command", "header"),
    [
        (("--company", "cable", "quote"), "指导价（不含税）"),
        (("--company", "cable", "quote"), "指导价(未税)"),
        (("--company", "cable", "receivables", "--as-of", "2026-12-01"), "已收（不含税）"),
        (("--company", "cable", "receivables", "--as-of", "2026-12-01"), "Amount (excl. VAT)"),
    ],
)
def test_money_without_tax_is_never_read_as_money_with_it(bizops_run, tmp_path, command, header):
    """Found attacking the desk: `指导价（不含税）` lost its note and a tax-free guide price was quoted as the
    tax-included one, 13 % low; `已收（不含税）` would leave a paid invoice open by its tax."""
    if command[2] == "quote":
        rows = f"sku,数量,{header}\r\nBV-2.5,2,100\r\n"
    else:
        rows = f"发票号,客户,到期日,金额,{header}\r\nA1,甲,2026-11-01,1130,1000\r\n"
    (tmp_path / "in.csv").write_text(rows, encoding="utf-8")
    r = bizops_run(*command, "in.csv")
    assert r.exit_code == 65 and r.stdout == "", r
    assert f"row 1: the header row gives column {header!r} without tax" in r.stderr


@pytest.mark.parametrize(
    ("header", "currency"), [("金额（美元）", "美元"), ("Amount (USD)", "USD"), ("金额(US$)", "US$")]
)
def test_money_in_another_currency_is_never_read_as_yuan(bizops_run, tmp_path, header, currency):
    """Found attacking the desk: a PV firm's export book headed `金额（美元）` had 1,000 dollars read as 1,000.00
    元 (a cell `$1000` was refused, the header's note was dropped)."""
    (tmp_path / "o.csv").write_text(f"客户,{header},城市\r\n甲,1000,广州\r\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "approve-order", "o.csv")
    assert r.exit_code == 65 and r.stdout == "", r
    assert r.stderr.splitlines()[0] == (
        f"row 1: the header row gives column {header!r} in {currency}, but bizops reads money in 元 (CNY) only: "
        "give the column in 元"
    )


@pytest.mark.parametrize(
    "header", ["金额（元）", "金额(含税)", "Amount (yuan)", "金额（人民币）", "金额(RMB)", "金额（¥）"]
)
def test_money_in_yuan_with_a_note_is_read(bizops_run, tmp_path, header):
    (tmp_path / "o.csv").write_text(f"客户,{header},城市,新客户\r\n甲,12.5,广州,否\r\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "approve-order", "o.csv")
    assert r.exit_code == 0, r
    assert r.rows()[0]["amount"] == "12.50"


PLAN = "office,week,submitted_at,change,spec,{length},qty,project\r\n佛山办事处,2026-11-23,2026-11-23 10:20,add,PHC-500 AB 125,{value},400,万科城三期\r\n"


@pytest.mark.parametrize(("header", "value"), [("桩长（厘米）", "1200"), ("桩长(mm)", "12000"), ("长度 (CM)", "1200")])
def test_a_length_in_another_unit_is_never_read_as_metres(bizops_run, tmp_path, header, value):
    """Found attacking the desk: `桩长（厘米）` lost its note like `金额（万元）` did, and 1200 cm went into the
    weekly plan as 1200 m piles. A header counting a field in another unit than its label (`桩长（米）`)
    names no field, and the warning says why."""
    (tmp_path / "p.csv").write_text(PLAN.format(length=header, value=value), encoding="utf-8")
    r = bizops_run("--company", "pile", "pile", "plan", "p.csv")
    assert r.exit_code == 65 and r.stdout == "", r
    given = header[header.index("(") + 1 if "(" in header else header.index("（") + 1 : -1]
    reason = f"gives column {header!r} in {given}, but bizops reads that field in 米: give the column in 米"
    assert r.stderr.splitlines() == [f"row 1: the header row {reason}", f"row 2: not read: the header {reason}"]


@pytest.mark.parametrize(
    ("command", "header", "value"),
    [
        # 3 months of credit read as 3 days would send the invoice to chasing two months early; not read at
        # all, the policy's 30 days would be as wrong
        (("receivables", "--as-of", "2026-12-01"), "账期（月）", "3"),
        # 90 minutes on a train read as 90 hours earns a sleeper berth (spec pv.legs.train_class)
        (("expense", "claim"), "连续乘车时间（分钟）", "90"),
    ],
)
def test_a_count_of_time_in_another_unit_is_not_read(bizops_run, tmp_path, command, header, value):
    if command[0] == "receivables":
        company, rows = "cable", f"发票号,客户,金额,开票日期,{header}\r\nA1,甲,1000,2026-10-01,{value}\r\n"
    else:
        company = "pv"
        rows = (
            f"claim_id,employee,role,area,交通工具,票价,{header}\r\nC1,王芳,staff,out_of_province,train,300,{value}\r\n"
        )
    (tmp_path / "in.csv").write_text(rows, encoding="utf-8")
    r = bizops_run("--company", company, *command, "in.csv")
    assert r.exit_code == 65 and r.stdout == "", r
    assert f"row 1: the header row gives column {header!r} in" in r.stderr


@pytest.mark.parametrize("header", ["桩长（米）", "桩长(m)", "长度（单位：米）", "桩长"])
def test_a_length_in_metres_is_read_however_its_unit_is_written(bizops_run, tmp_path, header):
    (tmp_path / "p.csv").write_text(PLAN.format(length=header, value="12"), encoding="utf-8")
    r = bizops_run("--company", "pile", "pile", "plan", "p.csv")
    assert r.exit_code == 0, r
    assert r.rows()[0]["length_m"] == "12"


@pytest.mark.parametrize("header", ["连续乘车时间（小时）", "乘车时长(h)", "连续乘车小时", "连续乘车时间"])
def test_hours_on_a_train_are_read_however_the_hour_is_written(bizops_run, tmp_path, header):
    from pathlib import Path

    claims = (Path(__file__).resolve().parents[2] / "examples" / "pv" / "claims.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "in.csv").write_text(claims.replace(",hours,", f",{header},", 1), encoding="utf-8")
    expected = bizops_run("--company", "pv", "expense", "claim", "-", input=claims)
    r = bizops_run("--company", "pv", "expense", "claim", "in.csv")
    assert (r.exit_code, r.stdout) == (expected.exit_code, expected.stdout) and r.stdout, r


def test_a_sales_order_register_as_offices_keep_it(bizops_run, tmp_path):
    """Found attacking approvals with a 销售订单登记表: 所在城市, 是否新客户 and 是否定制 were unknown. A new
    customer's city was missing (the row refused), and 是否定制 是 was taken as a standard product: the
    deposit rule never looked at it. A yes/no field is now also named as a question (是否 + its name)."""
    (tmp_path / "订单.csv").write_text(
        "销售订单登记表\n"
        "订单编号,客户名称,所在城市,是否新客户,订单金额（元）,结算方式,发票类型,是否定制\n"
        'SO-1,东莞瑞丰电子,东莞,是,"12,800.00",现款,专票,是\n'
        "SO-2,佛山明辉机电,佛山,否,900,现款现货,专票,是\n",
        encoding="gb18030",
    )
    r = bizops_run("--company", "cable", "approve-order", "订单.csv", "--format", "csv")
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    rows = r.csv_rows()
    # a new customer's custom product: 30 % deposit (cable.approve.deposit); an existing one's: none
    assert [(x["customer"], x["new_customer"], x["deposit"]) for x in rows] == [
        ("东莞瑞丰电子", "true", "3840.00"),
        ("佛山明辉机电", "false", "0.00"),
    ]


def test_hours_written_with_their_unit_in_the_cell(bizops_run, tmp_path):
    """`14小时` under 连续乘车时间 (a label ending in its unit, 小时) is 14, as `12米` under 桩长（米）is 12."""
    from pathlib import Path

    claims = (Path(__file__).resolve().parents[2] / "examples" / "pv" / "claims.csv").read_text(encoding="utf-8-sig")
    assert ",14,hard_sleeper," in claims
    (tmp_path / "in.csv").write_text(claims.replace(",14,hard_sleeper,", ",14小时,hard_sleeper,", 1), encoding="utf-8")
    expected = bizops_run("--company", "pv", "expense", "claim", "-", input=claims)
    r = bizops_run("--company", "pv", "expense", "claim", "in.csv")
    assert (r.exit_code, r.stdout) == (expected.exit_code, expected.stdout) and r.stdout, r


@pytest.mark.parametrize("percent", ["%", "％", "(%)", "（%）"])
def test_a_percentage_header_with_its_percent_sign_is_read(bizops_run, tmp_path, percent):
    """Found attacking the desk: a collections sheet headed `特价下浮%` had its discounts ignored (a warning,
    and commission paid as if no collection had a special price). A `%` after a percentage field's name
    says what the field is in; after any other field it names nothing."""
    (tmp_path / "bizops.toml").write_text("[company.cable]\ncommission_pct = 3\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(
        f"回款日期,客户名称,回款金额,业务员,特价下浮{percent}\r\n"
        "2026-11-03,佛山明辉机电,20000.00,李明,0\r\n2026-11-06,东莞瑞丰电子,2500.00,李明,2\r\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "cable", "commission", "c.csv", "--format", "csv")
    assert r.exit_code == 0 and r.stderr == "", r
    (row,) = r.csv_rows()
    assert (row["salesperson"], row["collected"], row["commission"]) == ("李明", "22500.00", "670.00")  # 600 + 70
    (tmp_path / "c.csv").write_text(
        "回款日期,客户名称,回款金额%,业务员\r\n2026-11-03,佛山明辉机电,20000.00,李明\r\n", encoding="utf-8"
    )
    r = bizops_run("--company", "cable", "commission", "c.csv", "--format", "csv")
    assert r.exit_code == 65 and "amount is required" in r.stderr, r


def test_a_long_number_excel_shortened_is_never_an_id(bizops_run, tmp_path):
    """Found attacking the desk: order numbers like 202611230001, saved to CSV from a General column, arrive as
    `2.02611E+11`; two orders shared one id, and under --record the second was refused (or, with the same
    inputs, shown as the first and never recorded). Such a cell is a row error saying how to keep the digits;
    the number written out, or a text that only holds `E+`, reads as ever."""
    db = str(tmp_path / "books.db")
    (tmp_path / "o.csv").write_text(
        "订单编号,客户,金额,新客户,结算方式,发票\r\n"
        "2.02611E+11,恒通电器,3000,否,现款,普通发票\r\n"
        "2.02611E+11,恒通电器,2000,否,现款,普通发票\r\n"
        "202611230003,恒通电器,1000,否,现款,普通发票\r\n"
        "SO-E+1,恒通电器,500,否,现款,普通发票\r\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "cable", "--db", db, "approve-order", "o.csv", "--record", "--format", "csv")
    assert r.exit_code == 65, r
    assert [x["amount"] for x in r.csv_rows()] == ["1000.00", "500.00"]
    shortened = "order_id is a long number Excel or WPS shortened (its digits after the sixth are lost)"
    assert [line.split(": ", 1)[0] for line in r.stderr.splitlines() if shortened in line] == ["row 2", "row 3"]
    exported = bizops_run("--db", db, "ledger", "export", "--format", "json").json()
    assert sorted(d["request_id"] for d in exported) == ["202611230003", "SO-E+1"]


def test_json_rows_keyed_as_the_sheet_was_headed_are_read_as_its_header(bizops_run):
    """Found attacking the desk: a script's JSON Lines written from a sheet (pandas' `to_json`, keys 发票号, 客户,
    金额, 已收) were read as having no fields: every row refused, with "did you mean 客户 → customer?". A
    key is now read as that header would be; a field two keys name is that row's error."""
    lines = [
        {"发票号": "A1", "客户": "甲", "金额": "1,000.00", "已收": "400.00", "到期日": "2026/10/1", "备注": "x"},
        {"发票号": "A2", "客户": "乙", "金额": "200.00", "到期日": "2026-11-20"},
        {"invoice": "A3", "客户": "乙", "customer": "丙", "amount": "200.00", "due_date": "2026-10-01"},
        {"invoice": "A4", "customer": "丁", "amount": "300.00", "due_date": "2026-11-20"},
    ]
    text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    r = bizops_run(
        "--company", "cable", "receivables", "-", "--input-format", "jsonl", "--as-of", "2026-12-01", "--format",
        "csv", input=text,
    )  # fmt: skip
    assert r.exit_code == 65, r
    assert [(x["invoice"], x["customer"], x["paid"], x["outstanding"]) for x in r.csv_rows()] == [
        ("A1", "甲", "400.00", "600.00"),
        ("A2", "乙", "0.00", "200.00"),
        ("A4", "丁", "0.00", "300.00"),
    ]
    errors = [line for line in r.stderr.splitlines() if line.startswith("row ")]
    assert errors == ["row 3: names customer twice: keys '客户' and 'customer'"]
    assert "column '备注' is not a field" in r.stderr and "did you mean" not in r.stderr
    assert "'客户'" not in r.stderr.replace("keys '客户'", "")  # read as customer, never said to be unknown


def test_an_unknown_key_on_every_row_is_said_once_and_costs_nothing_more(bizops_run, monkeypatch):
    """Found measuring the desk: a JSON Lines file with one extra key a line ran ten times slower (17 s
    against 1.6 s for 300,000 events): the message, with its "did you mean", was made again for every row."""
    from bizops.core import stream

    made = []
    real = stream.unknown_message
    monkeypatch.setattr(stream, "unknown_message", lambda *a: made.append(a) or real(*a))
    text = "".join(
        json.dumps({"person": "李明", "date": "2026-11-03", "code": "late", "note": f"第{i}次"}, ensure_ascii=False)
        + "\n"
        for i in range(2000)
    )
    r = bizops_run("--company", "cable", "score", "-", "--input-format", "jsonl", "--format", "csv", input=text)
    assert r.exit_code == 0, r
    assert len(made) == 1 and r.stderr.count("column 'note' is not a field") == 1
    assert [(x["person"], x["penalties"]) for x in r.csv_rows()] == [("李明", str(5 * 2000))]


def test_a_json_key_only_near_an_amounts_name_refuses_the_rows_as_a_header_would(bizops_run, tmp_path):
    """Breaking the JSON keys: a key only near paid's names (已核销原币金额) was ignored under a warning and
    the invoice aged as wholly unpaid, where the same CSV header refused the file. [columns] still maps it."""
    text = json.dumps({"发票号": "A1", "客户": "甲", "金额": "100", "已核销原币金额": "50", "到期日": "2026-10-01"})
    args = ("--company", "cable", "receivables", "-", "--input-format", "jsonl", "--as-of", "2026-12-01")
    r = bizops_run(*args, "--format", "csv", input=text + "\n" + text + "\n")
    assert r.exit_code == 65 and r.csv_rows() == [], r
    assert [line[:70] for line in r.stderr.splitlines()] == [
        "row 1: not read: the row gives column '已核销原币金额', which reads like paid",
        "row 2: not read: the row gives column '已核销原币金额', which reads like paid",
    ]
    (tmp_path / "bizops.toml").write_text('[columns]\n"已核销原币金额" = "paid"\n', encoding="utf-8")
    r = bizops_run(*args, "--format", "csv", input=text + "\n")
    assert r.exit_code == 0 and [x["outstanding"] for x in r.csv_rows()] == ["50.00"], r


def test_an_order_in_dollars_by_its_currency_column_is_never_decided_in_yuan(bizops_run, tmp_path):
    """Found attacking approve-order with an ERP's 销售订单列表: its 币种 column was ignored under a
    warning, and a 9,000 dollar order on credit was decided as 9,000 yuan (no sign-off). A row in
    another currency is refused; 人民币, RMB, CNY or an empty cell are 元; the column is read, not
    said to be ignored."""
    book = tmp_path / "orders.csv"
    book.write_text(
        "客户,订单金额,币种,结算方式,新客户\n甲,9000,美元,credit,否\n乙,9000,人民币,credit,否\n丙,9000,人民币(CNY),credit,否\n"
        "丁,9000,,credit,否\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "cable", "approve-order", str(book), "--format", "csv")
    assert r.exit_code == 65, r
    assert [x["customer"] for x in r.csv_rows()] == ["乙", "丙", "丁"]
    assert r.stderr == (
        "row 2: its currency is 美元 (币种), and 订单金额 may be in 美元: bizops reads money in 元 (CNY) only; "
        "give the row's amounts in 元 (an export's 本位币 columns, 本位币金额, are read so) or leave the row out\n"
    )


@pytest.mark.parametrize(
    ("header", "field"),
    [("amt_paid", "paid"), ("Paid So Far", "paid"), ("number_of_chases", "chases"), ("credit_terms", "terms_days")],
)
def test_an_english_header_holding_an_amounts_words_is_no_column_to_ignore(bizops_run, tmp_path, header, field):
    """Found attacking receivables with an English export: `paid_amount` was ignored under a warning (letters
    apart it is far from `paid`), and a paid invoice was chased with exit 0. A header holding the telling
    words of one optional counted field (`paid`, `terms`) now refuses the file as a near Chinese name does;
    one whose words say another kind (`paid_date`) is only said to be ignored."""
    book = tmp_path / "ar.csv"
    book.write_text(f"invoice,customer,amount,{header},due_date\nA1,甲,1000,1000,2026-10-01\n", encoding="utf-8")
    args = ("--company", "pv", "receivables", str(book), "--as-of", "2026-12-01", "--format", "csv")
    r = bizops_run(*args)
    assert r.exit_code == 65 and r.csv_rows() == [], r
    assert r.stderr.startswith(f"row 1: the header row gives column '{header}', which reads like {field} but"), r
    book.write_text("invoice,customer,amount,paid_date,due_date\nA1,甲,1000,2026-11-01,2026-10-01\n", encoding="utf-8")
    r = bizops_run(*args)
    assert r.exit_code == 0 and "column 'paid_date' is not a field" in r.stderr, r
    assert [x["outstanding"] for x in r.csv_rows()] == ["1000.00"]


def test_an_english_ageing_export_is_read_as_it_comes(bizops_run, tmp_path):
    """An accounting package's English ageing report (Invoice No, Amount Paid, Balance Due, Due): read."""
    book = tmp_path / "ar.csv"
    book.write_text(
        "Invoice No,Customer,Amount,Amount Paid,Balance Due,Due,Chase Count\nA1,甲,1000,400,600,2026-10-01,3\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "pv", "receivables", str(book), "--as-of", "2026-12-01", "--format", "csv")
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    assert [(x["invoice"], x["paid"], x["outstanding"], x["chases"], x["next_step"]) for x in r.csv_rows()] == [
        ("A1", "400.00", "600.00", "3", "legal")
    ]


def test_camel_case_keys_of_another_system_are_read_as_their_words(bizops_run):
    """Found attacking with a Java ERP's JSON export: `dueDate`, `amountPaid`, `customerName` named no field
    (customer required: every row refused; `amountPaid` refused the file). A camelCase name is its words
    (`due_date`, `amount_paid`), as `Due Date` and `due-date` were already."""
    row = {
        "invoiceNo": "A1",
        "customerName": "甲",
        "invoiceAmount": "1000",
        "amountPaid": "400",
        "dueDate": "2026-10-01",
        "chaseCount": 3,
    }
    r = bizops_run(
        "--company", "pv", "receivables", "-", "--input-format", "jsonl", "--as-of", "2026-12-01", "--format", "csv",
        input=json.dumps(row, ensure_ascii=False) + "\n",
    )  # fmt: skip
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    assert [(x["invoice"], x["customer"], x["outstanding"], x["next_step"]) for x in r.csv_rows()] == [
        ("A1", "甲", "600.00", "legal")
    ]
    r = bizops_run(
        "--company", "cable", "approve-order", "-", "--input-format", "csv", "--format", "csv",
        input="orderID,customerName,orderAmount,settlement,newCustomer,city\nO1,甲,9000,credit,false,广州\n",
    )  # fmt: skip
    assert r.exit_code == 0 and r.stderr == "", r
    assert [(x["customer"], x["amount"], x["payment_terms"]) for x in r.csv_rows()] == [("甲", "9000.00", "credit")]
