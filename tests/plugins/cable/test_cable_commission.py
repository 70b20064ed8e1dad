"""`bizops commission` (cable): commission on a month of collections, per salesperson and month.

The rule cases (spec examples, rounding, the 0 floor) are in cable/cases.toml;
here what a user sees through the command: the example file, formats,
--explain, --lang zh, Chinese headers and the exit codes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
COLLECTIONS = REPO / "examples" / "cable" / "collections.csv"
CONFIG = REPO / "examples" / "cable" / "bizops.toml"


def commission(bizops_run, *args, source=COLLECTIONS, fmt="json"):
    return bizops_run("--company", "cable", "--config", str(CONFIG), *args, "commission", str(source), "--format", fmt)


def test_a_month_of_collections(bizops_run):
    r = commission(bizops_run, fmt="csv")
    assert r.exit_code == 0, r
    rows = r.csv_rows()
    assert [(x["salesperson"], x["period"], x["collections"], x["collected"], x["commission"]) for x in rows] == [
        ("", "2026-11", "3", "15300.00", "452.00"),
        ("张伟", "2026-11", "2", "8300.00", "229.00"),
        # 20000 + 2500 at 3 %, 16200 at 2.7 % (3 % special), 40000 at 2.6 % (4 %): 600 + 75 + 437.40 + 1040
        ("李明", "2026-11", "4", "78700.00", "2152.40"),
        ("王芳", "2026-11", "3", "21293.33", "620.55"),
    ]
    assert "name no salesperson" in rows[0]["warnings"]


def test_explain_gives_rule_and_clause_of_each_rate(bizops_run):
    r = commission(bizops_run, "--explain")
    li = next(x for x in r.json() if x["salesperson"] == "李明")
    rules = {(t["rule"], t["clause"]) for t in li["trace"]}
    assert rules == {("cable.commission.rate", "000 三、市场价格 3"), ("cable.commission.amount", "000 二、2")}
    assert any("16200.00 at 2.7 %: 437.40" in t["effect"] for t in li["trace"])


def test_lang_zh_and_chinese_headers(bizops_run, tmp_path):
    sheet = tmp_path / "回款.csv"
    sheet.write_text(
        '客户,业务员,回款金额,回款日期,特价下浮\n甲,李,"50,000.00",2026/11/3,0\n甲,李,40000.00,46347,4\n',
        encoding="utf-8",
    )
    r = commission(bizops_run, "--lang", "zh", source=sheet, fmt="markdown")
    assert r.exit_code == 0, r
    assert "not a field" not in r.stderr and "不是" not in r.stderr
    card = dict(line.strip("| ").split(" | ") for line in r.stdout.splitlines()[2:])  # one result: a card
    assert (card["业务员"], card["月份"], card["回款笔数"], card["提成"]) == ("李", "2026-11", "2", "2540.00")


def test_a_bank_statement_export_names_its_columns_otherwise(bizops_run, tmp_path):
    """客户名称, 收款金额, 收款日期, 销售员: the names a finance export gives, read without a [columns] map."""
    sheet = tmp_path / "收款.csv"
    sheet.write_text(
        '客户名称,销售员,收款金额,收款日期,特价下浮\n甲,李,"50,000.00",2026/11/3,0\n甲,李,40000.00,46347,4\n',
        encoding="utf-8",
    )
    r = commission(bizops_run, "--lang", "zh", source=sheet, fmt="markdown")
    assert r.exit_code == 0, r
    assert "不是" not in r.stderr
    card = dict(line.strip("| ").split(" | ") for line in r.stdout.splitlines()[2:])
    assert (card["业务员"], card["月份"], card["回款笔数"], card["提成"]) == ("李", "2026-11", "2", "2540.00")


def test_a_kingdee_receipt_list_names_the_customer_and_the_day_its_own_way(bizops_run, tmp_path):
    """Found attacking commission with Kingdee's 收款单序时簿: its customer is 往来单位 and a receipt's day its
    单据日期; every row was refused (customer and collected_on required) until the sheet was renamed by hand."""
    sheet = tmp_path / "收款单序时簿.csv"
    sheet.write_text(
        "单据日期,单据编号,往来单位,收款金额,结算方式,业务员,部门,币别,特价下浮\n"
        '2026-11-03,SKD-001,佛山明辉机电,"20,000.00",电汇,李明,销售一部,人民币,0\n'
        '2026-11-06,SKD-002,东莞瑞丰电子,"2,500.00",承兑汇票,李明,销售一部,人民币,2\n',
        encoding="utf-8",
    )
    config = tmp_path / "bizops.toml"
    config.write_text("[company.cable]\ncommission_pct = 3\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "--config", str(config), "commission", str(sheet), "--format", "csv")
    assert r.exit_code == 0, r
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    # 20,000.00 × 3 % + 2,500.00 × (3 − 0.2) %: the special price cuts 0.1 point per 1 %
    assert [(x["salesperson"], x["period"], x["collections"], x["commission"]) for x in rows] == [
        ("李明", "2026-11", "2", "670.00")
    ]
    assert "'往来单位'" not in r.stderr and "'单据日期'" not in r.stderr


def test_without_a_rate_it_is_78_and_other_companies_69(bizops_run):
    r = bizops_run("--company", "cable", "commission", str(COLLECTIONS))
    assert r.exit_code == 78 and "commission_pct" in r.stderr and r.stdout == ""
    for company in ("pv", "pile", "airline"):
        r = bizops_run("--company", company, "commission", str(COLLECTIONS))
        assert r.exit_code == 69 and "commission" in r.stderr, r


def test_a_bad_collection_is_numbered_and_the_rest_counted(bizops_run, tmp_path):
    sheet = tmp_path / "c.csv"
    sheet.write_text(
        "customer,salesperson,amount,collected_on\n甲,李,100.00,2026-11-01\n乙,李,-3,2026-11-02\n", encoding="utf-8"
    )
    r = commission(bizops_run, source=sheet)
    assert r.exit_code == 65 and "row 3: amount" in r.stderr
    assert [(x["collections"], x["commission"]) for x in r.json()] == [(1, "3.00")]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "markdown", "table"])
def test_every_output_format(bizops_run, fmt):
    r = commission(bizops_run, fmt=fmt)
    assert r.exit_code == 0 and "2152.40" in r.stdout, r


def test_a_collections_book_headed_as_finance_heads_it(bizops_run, tmp_path):
    """Found attacking commission with a 回款明细表: its 特价折扣 column was ignored with a warning and every
    collection paid at the full 3 %; 王芳's 2 % and 张伟's 4 % special prices cut nothing. A refund written
    `(500.00)` and the 合计 line are named errors; 不开票折扣 is read and cuts nothing."""
    book = tmp_path / "回款明细.csv"
    book.write_text(
        "回款明细表（2026年11月）,,,,,\n"
        "回款日期,客户名称,回款金额,特价折扣,不开票折扣,业务员\n"
        '2026/11/3,佛山明辉机电,"20,000.00",0%,,李明\n'
        '2026/11/5,广州恒通电气,"8,960.00",2%,,王芳\n'
        '2026/11/6,东莞瑞丰电子,"2,500.00",,6%,李明\n'
        '2026-11-30,深圳华强五金,"5,000.00",4,,张伟\n'
        '2026-11-30,深圳华强五金,"(500.00)",0,,张伟\n'
        ',合计,"35,960.00",,,\n',
        encoding="utf-8",
    )
    r = commission(bizops_run, source=book, fmt="csv")
    assert r.exit_code == 65, r
    rows = r.csv_rows()
    # 5000 at 2.6 %, 8960 at 2.8 %, 22500 at 3 %
    assert [(x["salesperson"], x["collected"], x["commission"]) for x in rows] == [
        ("张伟", "5000.00", "130.00"),
        ("李明", "22500.00", "675.00"),
        ("王芳", "8960.00", "250.88"),
    ]
    assert "not a field" not in r.stderr
    assert [line for line in r.stderr.splitlines() if line.startswith("row ")] == [
        'row 7: amount must be > 0, got "(500.00)"',
        "row 8: a totals row (合计), not a request: collected_on is required",
    ]


def test_one_salesperson_however_the_name_is_typed(bizops_run, tmp_path):
    """`李明` and `李 明` were two salespeople with a month each; their commission is one month's."""
    book = tmp_path / "collections.csv"
    book.write_text(
        "customer,salesperson,amount,collected_on\n甲,李明,1000,2026-11-03\n乙,李 明,2000,2026-11-04\n",
        encoding="utf-8",
    )
    rows = commission(bizops_run, source=book, fmt="csv").csv_rows()
    assert [(x["salesperson"], x["collections"], x["commission"]) for x in rows] == [("李明", "2", "90.00")]


def test_a_discount_over_100_percent_is_a_typo_not_a_zero_commission(bizops_run, tmp_path):
    """`40` typed for `4.0` cut the rate below 0, so the collection earned nothing, without a word."""
    book = tmp_path / "collections.csv"
    book.write_text(
        "customer,salesperson,amount,collected_on,discount_pct\n甲,李,1000,2026-11-03,400\n", encoding="utf-8"
    )
    r = commission(bizops_run, source=book, fmt="csv")
    assert r.exit_code == 65 and r.stderr.splitlines() == ['row 2: discount_pct must be ≤ 100, got "400"'], r


@pytest.mark.parametrize("header", ["特价率", "特价幅度", "特价比例", "特价下浮幅度"])
def test_the_special_price_discount_under_other_names_cuts_the_commission(bizops_run, tmp_path, header):
    """Found attacking commission: under 特价率 or 特价幅度 a 5 % special price was ignored under a warning
    and the collection paid at the full rate (300.00 instead of 250.00)."""
    (tmp_path / "bizops.toml").write_text("[company.cable]\ncommission_pct = 3\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(
        f"客户,回款金额,回款日期,业务员,{header}\n甲,10000.00,2026-11-03,李明,5\n", encoding="utf-8"
    )
    r = bizops_run("--company", "cable", "commission", "c.csv", "--format", "csv")
    assert r.exit_code == 0 and r.stderr == "", r
    assert [(x["salesperson"], x["commission"]) for x in r.csv_rows()] == [("李明", "250.00")]  # 3 − 0.5 points


def test_a_receipt_listed_twice_is_counted_once(bizops_run, tmp_path):
    """Found attacking commission: two weeks' 收款单序时簿 exports pasted together list the receipts of the
    overlapping days twice, and their commission was paid twice with exit 0. A receipt number (单据编号)
    seen before is that row's error, naming the first row; rows without a number are each counted."""
    sheet = tmp_path / "收款单.csv"
    sheet.write_text(
        "单据日期,单据编号,往来单位,收款金额,业务员\n"
        "2026-11-03,SKD-001,佛山明辉机电,20000.00,李明\n"
        "2026-11-06,SKD-002,东莞瑞丰电子,2500.00,李明\n"
        "2026-11-03,ＳＫＤ-001,佛山明辉机电,20000.00,李明\n"  # the same number, typed full-width
        "2026-11-07,,东莞瑞丰电子,100.00,李明\n"
        "2026-11-07,,东莞瑞丰电子,100.00,李明\n",
        encoding="utf-8",
    )
    config = tmp_path / "bizops.toml"
    config.write_text("[company.cable]\ncommission_pct = 3\n", encoding="utf-8")
    args = ("--company", "cable", "--config", str(config), "commission", str(sheet), "--format", "csv")
    r = bizops_run(*args)
    assert r.exit_code == 65, r
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["collections"], x["collected"], x["commission"]) for x in rows] == [("4", "22700.00", "681.00")]
    assert r.stderr == "row 4: receipt ＳＫＤ-001 is listed twice (first in row 2): counted once\n"
    r = bizops_run("--lang", "zh", *args)
    assert r.stderr == "第 4 行：收款单 ＳＫＤ-001 重复列出（首次在第 2 行）：只计一次\n"
