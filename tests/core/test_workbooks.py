"""Issue 15: Excel and WPS both ways, checked with a real client library (openpyxl), never bizops itself.

Reading: workbooks made by openpyxl as a sales admin keeps them (Chinese
headers, merged title rows above the header, dates, formulas' cached values,
floats Excel stores for money). Writing: `-o FILE.xlsx` read back by openpyxl
(typed cells, number formats, frozen header, widths, zh/en header, the trace
sheet).
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl  # a dependency of bizops itself
import pytest


def order_book(path: Path, *, title_rows: int = 2, extra: list | None = None) -> None:
    """The cable maker's order book as a sales admin keeps it: a merged title, Chinese headers, dates."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "十一月订单"
    for number in range(1, title_rows + 1):
        sheet.cell(number, 1, "广州某电缆厂 2026 年 11 月订单" if number == 1 else "制表：张伟")
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=5)
    sheet.append(["产品编号", "数量", "指导价", "询价时间", "特价下浮%"])
    sheet.append(["YJV-3x95", 10, 100, datetime(2026, 11, 23, 9, 30), 2])
    sheet.append(["BV-2.5", 20, 96.84, datetime(2026, 11, 24), 0])
    for row in extra or []:
        sheet.append(row)
    book.create_sheet("备注").append(["不是订单"])
    book.save(path)


def test_an_openpyxl_workbook_with_title_rows_and_chinese_headers(bizops_run, tmp_path):
    order_book(tmp_path / "orders.xlsx")
    for args in ((), ("--header-row", "3")):
        r = bizops_run("--company", "cable", "quote", "orders.xlsx", *args)
        assert r.exit_code == 0, r
        rows = r.rows()
        assert [(x["sku"], x["qty"], x["guide_price"], x["total"]) for x in rows] == [
            ("YJV-3x95", "10", "100.00", "980.00"),
            ("BV-2.5", "20", "96.84", "1936.80"),
        ]


def test_a_two_level_header_with_merged_groups_reads_under_its_lower_row(bizops_run, tmp_path):
    """A report's header in two rows: merged groups (产品信息 over three columns, 价格 over two) above
    the field names. Found attacking the desk: the group row was taken for the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["产品信息", None, None, "价格", None])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:E1")
    sheet.append(["产品编号", "数量", "询价时间", "指导价", "特价下浮%"])
    sheet.append(["YJV-3x95", 10, datetime(2026, 11, 23, 9, 30), 100, 2])
    book.save(tmp_path / "report.xlsx")
    r = bizops_run("--company", "cable", "quote", "report.xlsx")
    assert r.exit_code == 0, r
    assert [(x["sku"], x["total"]) for x in r.rows()] == [("YJV-3x95", "980.00")]
    assert "not a field" not in r.stderr


def test_a_percentage_cell_is_read_as_the_percentage_it_shows(bizops_run, tmp_path):
    """Found attacking the desk: a discount cell formatted `0%` showing `5%` holds 0.05, and was read as
    0.05 %: a price wrong without a word. Read as shown, the same book with its discounts typed as plain
    numbers gives the same output, row for row (titles, dates and row numbers included)."""
    for name, percent in (("plain.xlsx", False), ("percent.xlsx", True)):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.cell(1, 2, "十一月报价")
        sheet.merge_cells("B1:F1")
        for column, label in enumerate(["产品编号", "数量", "指导价", "询价时间", "特价下浮%"], 2):
            sheet.cell(3, column, label)
        rows = [
            ["YJV-3x95", 10, 100, datetime(2026, 11, 23, 9, 30), 5],
            ["BV-2.5", 20, 96.84, datetime(2026, 11, 24), 0.5],
        ]
        for number, row in enumerate(rows, 4):
            for column, value in enumerate(row, 2):
                cell = sheet.cell(number, column, value)
                if column == 6 and percent:
                    cell.value, cell.number_format = Decimal(str(value)) / 100, "0.0%"
        book.save(tmp_path / name)
    plain = bizops_run("--company", "cable", "quote", "plain.xlsx", "--format", "jsonl")
    shown = bizops_run("--company", "cable", "quote", "percent.xlsx", "--format", "jsonl")
    assert shown.exit_code == plain.exit_code == 0, shown
    assert shown.stdout == plain.stdout
    assert [(x["discount_pct"], x["unit_price"]) for x in shown.rows()] == [("5", "95.00"), ("0.5", "96.36")]


def test_a_workbook_date_is_the_date_it_shows(bizops_run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["employee", "scope", "depart", "return", "customer"])
    sheet.append(["张伟", "out_of_province", datetime(2026, 3, 2), datetime(2026, 3, 5), "广州粤能电力"])
    sheet["C2"].number_format = sheet["D2"].number_format = "yyyy/m/d"  # as Chinese Excel shows a date
    book.save(tmp_path / "trips.xlsx")
    r = bizops_run("--company", "pv", "expense", "request", "trips.xlsx")
    assert r.exit_code in (0, 1), r
    [row] = r.rows()
    assert row["days"] == 4  # 2 to 5 March, both days counted: the cells were read as those dates


def test_header_row_and_sheet_by_name(bizops_run, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active.append(["没有订单"])
    sheet = book.create_sheet("明细")
    sheet.append(["说明：以下为报价"])
    sheet.append([])
    sheet.append(["产品", "数量", "指导价"])
    sheet.append(["BV-4", 2, 156.3])
    book.save(tmp_path / "b.xlsx")
    r = bizops_run("--company", "cable", "quote", "b.xlsx", "--sheet", "明细", "--header-row", "3")
    assert r.exit_code == 0, r
    assert r.rows()[0]["total"] == "312.60"
    missing = bizops_run("--company", "cable", "quote", "b.xlsx", "--sheet", "汇总")
    assert missing.exit_code == 2 and "封面, 明细" in missing.stderr


def with_cached_values(path: Path, values: dict[str, str], sheet: str = "sheet1") -> None:
    """Give formulas the values Excel saves beside them (openpyxl writes formulas without one), and drop the
    workbook's request to be calculated when opened, as saving it in Excel does."""
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    parts["xl/workbook.xml"] = re.sub(rb'\s*fullCalcOnLoad="1"', b"", parts["xl/workbook.xml"])
    xml = parts[f"xl/worksheets/{sheet}.xml"].decode()
    for ref, value in values.items():
        xml = re.sub(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v>[^<]*</v>|<v ?/>)?', rf"\1\2<v>{value}</v>", xml)
    parts[f"xl/worksheets/{sheet}.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as new:
        for name, data in parts.items():
            new.writestr(name, data)


def test_a_formula_is_read_as_its_cached_value(bizops_run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["订单编号", "客户", "单价", "数量", "金额", "新客户", "结算方式"])
    sheet.append(["SO-1", "佛山明辉", 1150.5, 20, "=C2*D2", "否", "现款现货"])
    sheet.append(["SO-2", "佛山明辉", 0.1, 3, "=C3*D3", "否", "现款现货"])
    book.save(tmp_path / "f.xlsx")
    with_cached_values(tmp_path / "f.xlsx", {"E2": "23010", "E3": "0.30000000000000004"})
    assert openpyxl.load_workbook(tmp_path / "f.xlsx", data_only=True).active["E3"].value == 0.30000000000000004
    r = bizops_run("--company", "cable", "approve-order", "f.xlsx")
    assert r.exit_code == 0, r
    assert [x["amount"] for x in r.rows()] == ["23010.00", "0.30"]  # as Excel displays it, exactly


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
def test_formulas_a_program_wrote_and_nobody_calculated_are_refused(bizops_run, tmp_path, writer):
    """Found attacking the desk: openpyxl leaves a formula without a value (the amount read as missing), and
    xlsxwriter with 0 (a payment column all 0.00, a receivable all outstanding, without a word)."""
    rows = [
        ["SO-1", "佛山明辉", 1150.5, 20, "=C2*D2", "否", "现款现货"],
        ["SO-2", "佛山明辉", 10, 3, 30, "否", "现款现货"],
    ]
    header = ["订单编号", "客户", "单价", "数量", "金额", "新客户", "结算方式"]
    path = tmp_path / "generated.xlsx"
    if writer == "openpyxl":
        book = openpyxl.Workbook()
        book.active.append(header)
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("订单")
        for number, row in enumerate([header, *rows]):
            sheet.write_row(number, 0, row)  # a text starting with = is written as a formula, with 0 as its value
        book.close()
    assert openpyxl.load_workbook(path).active["E2"].value == "=C2*D2"
    r = bizops_run("--company", "cable", "approve-order", "generated.xlsx", "--format", "csv")
    assert r.exit_code == 66, r
    assert "formulas were never calculated (cells E2)" in r.stderr and "open it in Excel or WPS and save it" in r.stderr
    zh = bizops_run("--company", "cable", "--lang", "zh", "approve-order", "generated.xlsx")
    assert zh.exit_code == 66 and "公式从未计算过（单元格 E2）" in zh.stderr
    # Saved by Excel since (its values kept, the request dropped): read as it shows.
    with_cached_values(path, {"E2": "23010"}, sheet="sheet1")
    r = bizops_run("--company", "cable", "approve-order", "generated.xlsx")
    assert r.exit_code == 0 and [x["amount"] for x in r.rows()] == ["23010.00", "30.00"], r


def test_a_money_float_with_more_than_two_decimals_is_the_usual_row_error(bizops_run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户", "金额", "新客户", "结算方式"])
    sheet.append(["佛山明辉", 1500.1 + 0.2, "否", "现款现货"])  # 1500.3000000000002 stored, 1500.3 shown
    sheet.append(["佛山明辉", 23000.005, "否", "现款现货"])
    sheet.append(["佛山明辉", 2000, "否", "现款现货"])
    book.save(tmp_path / "m.xlsx")
    r = bizops_run("--company", "cable", "approve-order", "m.xlsx")
    assert r.exit_code == 65, r
    assert [x["amount"] for x in r.rows()] == ["1500.30", "2000.00"]
    assert r.stderr.strip().splitlines() == ['row 3: amount has more than 2 decimals (the fen), got "23000.005"']


def test_a_workbook_named_csv_is_read_as_a_workbook(bizops_run, tmp_path):
    order_book(tmp_path / "orders.xlsx")
    (tmp_path / "orders.csv").write_bytes((tmp_path / "orders.xlsx").read_bytes())
    r = bizops_run("--company", "cable", "quote", "orders.csv")
    assert r.exit_code == 0, r
    assert [x["total"] for x in r.rows()] == ["980.00", "1936.80"]
    assert "NUL" not in r.stderr


# -- writing -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_output_is_a_typed_table_openpyxl_reads(bizops_run, tmp_path, lang):
    order_book(tmp_path / "orders.xlsx")
    r = bizops_run("--company", "cable", "quote", "orders.xlsx", "-o", "decided.xlsx", "--lang", lang, "--explain")
    assert r.exit_code == 0, r
    assert r.stdout == ""
    book = openpyxl.load_workbook(tmp_path / "decided.xlsx")
    assert book.sheetnames == (["结果", "依据"] if lang == "zh" else ["results", "why"])
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == (
        ["公司", "产品", "数量", "指导价"] if lang == "zh" else ["company", "sku", "qty", "guide price"]
    )
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    column = {name: index for index, name in enumerate(header)}
    total = sheet.cell(2, column["金额" if lang == "zh" else "total"] + 1)
    assert total.value == 980 and isinstance(total.value, (int, float)) and total.number_format == "0.00"
    assert Decimal(str(sheet.cell(3, column["金额" if lang == "zh" else "total"] + 1).value)) == Decimal("1936.8")
    assert sheet.cell(2, column["数量" if lang == "zh" else "qty"] + 1).value == 10
    status = sheet.cell(2, column["结果" if lang == "zh" else "status"] + 1).value
    assert status == ("通过" if lang == "zh" else "ok")
    assert sheet.column_dimensions["B"].width >= len("YJV-3x95")
    why = book.worksheets[1]
    rules = list(why.iter_rows(min_row=2, values_only=True))
    assert rules and {row[0] for row in rules} == {2, 3}  # each result's row on the first sheet
    assert any(row[1] == "cable.price.special" for row in rules)


def test_xlsx_dates_are_dates(bizops_run, tmp_path):
    r = bizops_run("--company", "pile", "approve-order", "--submitted-at", "2026-11-23T09:01", "-o", "b.xlsx")
    assert r.exit_code == 0, r
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    batch = sheet.cell(2, header.index("batch") + 1)
    assert batch.is_date and batch.value == datetime(2026, 11, 23, 11, 0)


def test_xlsx_text_is_never_a_formula(bizops_run, tmp_path):
    r = bizops_run("--company", "cable", "quote", "--sku", "=HYPERLINK(1)", "--guide-price", "5", "--qty", "1",
                   "-o", "x.xlsx")  # fmt: skip
    assert r.exit_code == 0, r
    cell = openpyxl.load_workbook(tmp_path / "x.xlsx").worksheets[0]["B2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


# -- .xls and .ods: the same reader (python-calamine), files as other programs write them ---------
CUSTOM_ORDER = ["YJV-3x95", 10, 100.5, "是"]
HEADERS = ["产品编号", "数量", "指导价", "定制产品", "询价时间"]
QUOTED = {"sku": "YJV-3x95", "qty": "10", "guide_price": "100.50", "total": "1005.00", "quote_due": "2026-11-04T09:30"}


def test_an_xls_workbook_as_older_excel_and_wps_save_it(bizops_run, tmp_path):
    import xlwt  # the test extra

    book = xlwt.Workbook()
    sheet = book.add_sheet("订单")
    for column, value in enumerate(HEADERS):
        sheet.write(0, column, value)
    for column, value in enumerate(CUSTOM_ORDER):
        sheet.write(1, column, value)
    sheet.write(1, 4, datetime(2026, 11, 3, 9, 30), xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm"))
    book.save(str(tmp_path / "订单.xls"))
    r = bizops_run("--company", "cable", "quote", str(tmp_path / "订单.xls"), "--columns", ",".join(QUOTED))
    assert (r.exit_code, r.json()) == (0, QUOTED), r


def test_an_ods_workbook_as_libreoffice_and_wps_save_it(bizops_run, tmp_path):
    """No client library here writes OpenDocument: the file is the XML those programs write, zipped."""

    def cell(value) -> str:
        if isinstance(value, datetime):
            return f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%dT%H:%M:%S}"/>'
        if isinstance(value, str):
            return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'

    rows = [HEADERS, [*CUSTOM_ORDER, datetime(2026, 11, 3, 9, 30)]]
    table = "".join("<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows)
    office, ns = "urn:oasis:names:tc:opendocument:xmlns", 'office:version="1.2"'
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}:office:1.0" '
        f'xmlns:table="{office}:table:1.0" xmlns:text="{office}:text:1.0" {ns}><office:body><office:spreadsheet>'
        f'<table:table table:name="订单">{table}</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{office}:manifest:1.0" {ns}>'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(tmp_path / "订单.ods", "w") as ods:
        ods.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        ods.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    r = bizops_run("--company", "cable", "quote", str(tmp_path / "订单.ods"), "--columns", ",".join(QUOTED))
    assert (r.exit_code, r.json()) == (0, QUOTED), r


@pytest.mark.parametrize("percent", [False, True], ids=["calamine", "openpyxl"])
def test_a_name_merged_down_beside_its_orders_is_each_orders(bizops_run, tmp_path, percent):
    """Found attacking the desk: an order book merges a customer's name down beside its orders, as
    offices do. Only the first order had a customer; the others were 'customer is required'. A merged
    name or day is each row's, as a person reads it; a merged number is not (one payment beside three
    orders is not three payments), nor the title merged across the top. Both ways a workbook is read."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["十一月订单"])
    sheet.merge_cells("A1:E1")
    sheet.append(["客户", "金额", "结算方式", "新客户", "特价下浮"])
    sheet.append(["广州甲公司", 1000, "现款", "否", 0])
    sheet.append([None, 2000, None, "否", 0])
    sheet.append([None, 3000, None, "否", 0])
    sheet.append(["佛山乙公司", 500, "现款", "否", 0])
    sheet.append(["东莞丙公司", 800, "现款", "否", 0])
    sheet.append([None, None, "现款", "否", 0])
    sheet.merge_cells("A3:A5")  # the customer beside its three orders
    sheet.merge_cells("C3:C5")  # … and its settlement
    sheet.merge_cells("A7:A8")
    sheet.merge_cells("B7:B8")  # one amount beside two rows: not each row's
    if percent:
        for row in range(3, 9):
            sheet.cell(row, 5).number_format = "0%"  # read with openpyxl, which knows formats
    book.save(tmp_path / "orders.xlsx")
    r = bizops_run("--company", "cable", "approve-order", "orders.xlsx", "--format", "jsonl")
    assert [(x["customer"], x["amount"], x["payment_terms"]) for x in r.rows()] == [
        ("广州甲公司", "1000.00", "cash"),
        ("广州甲公司", "2000.00", "cash"),
        ("广州甲公司", "3000.00", "cash"),
        ("佛山乙公司", "500.00", "cash"),
        ("东莞丙公司", "800.00", "cash"),
    ]
    # (特价下浮 is no field of approve-order: it is there to be formatted as a percentage)
    assert r.exit_code == 65 and [x for x in r.stderr.splitlines() if x.startswith("row")] == [
        "row 8: amount is required"
    ], r


def test_an_amount_formatted_in_dollars_is_never_read_as_yuan(bizops_run, tmp_path):
    """Found attacking the desk with a PV exporter's ageing book: an amount cell formatted `[$$-409]#,##0.00`
    shows `$1,000.00` and holds 1000, which was aged as 1,000.00 yuan owed. Such a cell is read as shown and
    refused (its row only); the yuan formats (`¥`, `[$¥-804]`, `"元"`) and Excel's built-in currency format
    (the computer's own sign: ¥ in China) are read as yuan."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["发票号", "客户", "金额", "到期日"])
    formats = {
        "A1": "[$$-409]#,##0.00",
        "A2": '"US$"#,##0.00',
        "A3": "#,##0.00 [$EUR]",
        "A4": "[$¥-411]#,##0",
        "A5": openpyxl.styles.numbers.FORMAT_CURRENCY_USD_SIMPLE,
        "B1": "¥#,##0.00",
        "B2": "[$¥-804]#,##0.00",
        "B3": '#,##0.00"元"',
        "B4": "#,##0.00_);(#,##0.00)",
        "B5": openpyxl.styles.numbers.BUILTIN_FORMATS[7],  # one of Excel's own: shown in the locale's sign
    }
    for invoice, code in formats.items():
        sheet.append([invoice, "甲", 1000, datetime(2026, 10, 1)])
        sheet.cell(sheet.max_row, 3).number_format = code
    book.save(tmp_path / "ageing.xlsx")
    r = bizops_run("--company", "pv", "receivables", "ageing.xlsx", "--as-of", "2026-12-01", "--format", "csv")
    assert r.exit_code == 65, r
    assert [(x["invoice"], x["amount"]) for x in r.csv_rows()] == [(i, "1000.00") for i in formats if i[0] == "B"]
    assert [line.split(", got ")[1] for line in r.stderr.splitlines() if line.startswith("row")] == [
        '"$1000"',
        '"US$1000"',
        '"EUR1000"',
        '"JPY 1000"',
        '"$1000"',
    ]
    assert r.stderr.startswith("row 2: amount is in another currency than 元 (CNY), which bizops does not convert")


def test_rows_hidden_by_a_filter_are_read_and_said_to_be(bizops_run, tmp_path):
    """Found attacking the desk: a sales admin filters her ageing book to one salesperson and saves it; the
    rows out of view were aged with the others, without a word, and the output taken for the view's. The
    file is the book, so they are still read, and a warning says which rows were hidden."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "应收"
    sheet.append(["发票号", "客户", "业务员", "金额", "到期日"])
    for number, person in enumerate(["李明", "王芳", "李明", "王芳"], 1):
        sheet.append([f"A{number}", "甲", person, 1000, datetime(2026, 10, 1)])
    sheet.auto_filter.ref = "A1:E5"
    for row in (3, 5):  # 王芳's rows, filtered out
        sheet.row_dimensions[row].hidden = True
    book.save(tmp_path / "应收.xlsx")
    r = bizops_run("--company", "pv", "receivables", "应收.xlsx", "--as-of", "2026-12-01", "--format", "csv")
    assert r.exit_code == 0, r
    assert [x["invoice"] for x in r.csv_rows()] == ["A1", "A2", "A3", "A4"]
    assert r.stderr == (
        "warning: sheet 应收 has 2 hidden row(s) (3, 5), filtered out or hidden by hand: they are read like every "
        "other row; to leave them out, delete them or copy the rows you see to a sheet of their own\n"
    )
    sheet.row_dimensions[3].hidden = sheet.row_dimensions[5].hidden = False
    book.save(tmp_path / "应收.xlsx")
    r = bizops_run("--company", "pv", "receivables", "应收.xlsx", "--as-of", "2026-12-01", "--format", "csv")
    assert r.exit_code == 0 and r.stderr == "", r
