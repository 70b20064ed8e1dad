"""`bizops receivables`: every company, the files a sales admin has, every format, --explain, --lang zh, exit codes.

The rules themselves are checked case by case in `plugins/general/cases.toml`
(boundaries included); here, what a user sees of them through the command.
"""

from __future__ import annotations

import csv
import io
import json
import os
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "receivables"
COMPANIES = ("cable", "pv", "pile", "airline")

# spec/receivables.md's example, as of 2026-12-01.
SPEC_ROWS = [
    {"invoice": "A1", "customer": "甲", "amount": "12000.00", "due_date": "2026-12-05"},
    {
        "invoice": "B1",
        "customer": "乙",
        "amount": "30000.00",
        "paid": "10000.00",
        "due_date": "2026-10-15",
        "chases": 1,
    },
    {"invoice": "B2", "customer": "乙", "amount": "5000.00", "due_date": "2026-12-20"},
    {"invoice": "C1", "customer": "丙", "amount": "8000.00", "due_date": "2026-08-20", "chases": 3},
]


def jsonl(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def ageing(bizops_run, *args, rows=SPEC_ROWS, company="pv", fmt="json"):
    return bizops_run(
        "--company", company, *args, "receivables", "-", "--input-format", "jsonl",
        "--as-of", "2026-12-01", "--format", fmt, input=jsonl(rows),
    )  # fmt: skip


def aged_csv(bizops_run, path, *args, company="cable"):
    """A book in a file aged as of 2026-12-01, as CSV: the run and its rows as a CSV reader reads them."""
    r = bizops_run("--company", company, "receivables", str(path), "--as-of", "2026-12-01", *args, "--format", "csv")
    return r, r.csv_rows()


@pytest.mark.parametrize("company", COMPANIES)
def test_every_company_ages_the_spec_example(bizops_run, company):
    r = ageing(bizops_run, company=company)
    assert r.exit_code == 0, r
    got = [
        (
            x["invoice"],
            x["outstanding"],
            x["days_overdue"],
            x["bucket"],
            x["next_step"],
            x["notify_from"],
            x["risk_warning"],
        )
        for x in r.json()
    ]
    assert got == [
        ("A1", "12000.00", 0, "not_due", "notify", "2026-11-28", False),
        ("B1", "20000.00", 47, "31-60", "chase", "2026-10-08", True),
        ("B2", "5000.00", 0, "not_due", "none", "2026-12-13", True),
        ("C1", "8000.00", 103, "91+", "legal", "2026-08-13", True),
    ]
    assert {x["company"] for x in r.json()} == {company}


def test_by_customer_and_by_salesperson(bizops_run):
    r = bizops_run(
        "--company", "pile", "receivables", "-", "--input-format", "jsonl", "--as-of", "2026-12-01",
        "--by", "customer", "--format", "json", input=jsonl(SPEC_ROWS),
    )  # fmt: skip
    rows = {x["customer"]: x for x in r.json()}
    assert list(rows) == sorted(rows)  # sorted by key
    b = rows["乙"]
    assert (b["invoices"], b["outstanding"], b["not_due"], b["d31_60"], b["overdue"], b["risk_warning"]) == (
        2, "25000.00", "5000.00", "20000.00", "20000.00", True,
    )  # fmt: skip
    assert (rows["丙"]["at_legal"], rows["丙"]["d91_plus"], rows["甲"]["risk_warning"]) == (1, "8000.00", False)
    by_person = bizops_run(
        "--company", "pile", "receivables", str(EXAMPLES / "ageing.csv"), "--as-of", "2026-12-01",
        "--by", "salesperson", "--format", "csv",
    )  # fmt: skip
    assert by_person.exit_code == 0, by_person
    table = by_person.csv_rows()
    assert [row["salesperson"] for row in table] == ["", "张伟", "李明", "王芳"]
    zhang = table[1]
    assert (zhang["invoices"], zhang["outstanding"], zhang["at_legal"], zhang["risk_warning"]) == (
        "4",
        "55200.00",
        "2",
        "true",
    )
    # The summary adds up to the per-invoice report, fen for fen.
    per_invoice = bizops_run(
        "--company", "pile", "receivables", str(EXAMPLES / "ageing.csv"), "--as-of", "2026-12-01", "--format", "json"
    ).json()
    assert len(per_invoice) >= 20 and len({x["customer"] for x in per_invoice}) >= 5
    from decimal import Decimal

    open_total = sum(Decimal(x["outstanding"]) for x in per_invoice if x["bucket"] != "settled")
    assert sum(Decimal(row["outstanding"]) for row in table) == open_total


def test_the_accounting_export_with_chinese_headers_and_excel_dates(bizops_run, tmp_path):
    # Headers as the fields' zh labels, money with thousands separators, days as Excel writes them:
    # 2026/10/15, 2026年8月20日, and 46361 (a date cell saved as a number: 2026-12-05).
    export = tmp_path / "账龄.csv"
    export.write_bytes(
        textwrap.dedent(
            """\
            发票号,客户,业务员,金额,已收,到期日,催收次数
            A1,甲,李明,"12,000.00",0,46361,0
            B1,乙,王芳,"30,000.00","10,000.00",2026/10/15,1
            C1,丙,张伟,"8,000.00",,2026年8月20日,3
            """
        ).encode("gb18030")
    )
    r = bizops_run(
        "--company", "airline", "receivables", str(export), "--encoding", "gb18030", "--as-of", "2026-12-01",
        "--format", "csv",
    )  # fmt: skip
    assert r.exit_code == 0, r
    assert "not a field" not in r.stderr
    table = r.csv_rows()
    assert [(x["invoice"], x["salesperson"], x["due_date"], x["outstanding"], x["next_step"]) for x in table] == [
        ("A1", "李明", "2026-12-05", "12000.00", "notify"),
        ("B1", "王芳", "2026-10-15", "20000.00", "chase"),
        ("C1", "张伟", "2026-08-20", "8000.00", "legal"),
    ]
    # The example export in examples/ reads the same way: 23 invoices, none refused.
    example = bizops_run(
        "--company",
        "cable",
        "receivables",
        str(EXAMPLES / "ageing-export.csv"),
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    )
    assert example.exit_code == 0 and len(example.json()) == 23 and "not a field" not in example.stderr


def test_the_names_accounting_software_gives_its_columns(bizops_run, tmp_path):
    """Found attacking receivables: an export headed 客户名称, 发票号码, 到期日期, 价税合计, 已收金额
    (as Kingdee or UFIDA name them) had not one column read. 未收金额 (unpaid) is never taken for
    `paid`: one character apart in Chinese can be the opposite."""
    export = tmp_path / "应收.csv"
    export.write_text(
        "客户编码,客户名称,单据日期,发票号码,到期日期,价税合计,已收金额,未收金额,销售员\n"
        'C01,甲公司,2026-09-01,FP001,2026-10-01,"1,000.00",200.00,800.00,李明\n',
        encoding="utf-8",
    )
    r, (row,) = aged_csv(bizops_run, export, company="pile")
    assert r.exit_code == 0, r
    assert (row["invoice"], row["customer"], row["salesperson"], row["amount"], row["paid"]) == (
        "FP001",
        "甲公司",
        "李明",
        "1000.00",
        "200.00",
    )
    assert (row["due_date"], row["outstanding"], row["days_overdue"]) == ("2026-10-01", "800.00", "61")
    # 未收金额 is read as what is still open, and agrees with amount − paid
    assert "column '客户编码' is not a field" in r.stderr and "did you mean" not in r.stderr


def test_an_export_in_two_currencies_is_read_by_its_amount_in_yuan(bizops_run, tmp_path):
    """Found attacking receivables: a Kingdee/UFIDA ageing export gives 原币金额 (the invoice's own currency,
    dollars here) and 本币金额 (元); neither was read ("amount is required" on every row). 本币金额 is the
    amount; 原币金额 never is."""
    export = tmp_path / "账龄.csv"
    export.write_text(
        "客户编码,客户名称,单据日期,单据编号,到期日,币种,原币金额,本币金额,已核销金额,未核销金额,业务员\n"
        "C001,佛山明辉机电,2026-09-01,XS-001,2026-10-01,美元,1000.00,7100.00,0.00,7100.00,李明\n"
        "C002,东莞瑞丰电子,2026-09-05,XS-002,2026-10-05,人民币,5000.00,5000.00,2000.00,3000.00,王芳\n",
        encoding="utf-8",
    )
    r, rows = aged_csv(bizops_run, export)
    assert [(x["invoice"], x["amount"], x["paid"], x["outstanding"]) for x in rows] == [
        ("XS-002", "5000.00", "2000.00", "3000.00"),
    ]
    assert "'原币金额'" in r.stderr  # said to be read as nothing
    # 已核销金额 and 未核销金额 do not say they are in 元: in the dollar row they may be dollars
    assert (
        r.exit_code == 65
        and "row 2: its currency is 美元 (币种), and 已核销金额, 未核销金额 may be in 美元" in r.stderr
    )
    export.write_text(
        export.read_text(encoding="utf-8").replace("已核销金额,未核销金额", "已核销本币金额,未核销本币金额")
    )
    r, rows = aged_csv(bizops_run, export)
    assert r.exit_code == 0, r
    assert [(x["invoice"], x["amount"], x["paid"], x["outstanding"]) for x in rows] == [
        ("XS-001", "7100.00", "0.00", "7100.00"),
        ("XS-002", "5000.00", "2000.00", "3000.00"),
    ]


def test_a_row_in_another_currency_is_refused_unless_its_money_is_read_in_yuan(bizops_run, tmp_path):
    """Found attacking receivables: a 币种 column was ignored under a warning, so an invoice of 1,000.00
    dollars was aged as 1,000.00 yuan owed (and approve-order let a dollar order under a yuan limit). A row
    whose currency is not 元 is refused, unless every money column it is read from counts in 元 (本位币);
    未核销金额 beside a 本位币金额 may be dollars (Kingdee gives both in the row's own currency)."""
    export = tmp_path / "账龄.csv"
    export.write_text(
        "单据编号,客户名称,到期日,币种,金额,未核销金额\n"
        "XS-001,佛山明辉机电,2026-10-01,美元,1000.00,1000.00\n"
        "XS-002,东莞瑞丰电子,2026-10-05,人民币,5000.00,3000.00\n"
        "XS-003,东莞瑞丰电子,2026-10-05,,800.00,800.00\n"
        "XS-004,佛山明辉机电,2026-10-05,RMB,900.00,0\n",
        encoding="utf-8",
    )
    r, rows = aged_csv(bizops_run, export)
    assert r.exit_code == 65, r
    assert [(x["invoice"], x["outstanding"]) for x in rows] == [
        ("XS-002", "3000.00"),
        ("XS-003", "800.00"),
        ("XS-004", "0.00"),
    ]
    assert r.stderr.splitlines()[0] == (
        "row 2: its currency is 美元 (币种), and 金额, 未核销金额 may be in 美元: bizops reads money in 元 (CNY) only; "
        "give the row's amounts in 元 (an export's 本位币 columns, 本位币金额, are read so) or leave the row out"
    )
    assert "not a field" not in r.stderr  # the currency column is read, not ignored
    # The same row, its money in 本位币 columns: read in 元
    export.write_text(
        "单据编号,客户名称,到期日,币别,原币金额,本位币金额,未核销本位币金额\n"
        "XS-001,佛山明辉机电,2026-10-01,美元,1000.00,7100.00,7100.00\n",
        encoding="utf-8",
    )
    r, rows = aged_csv(bizops_run, export)
    assert r.exit_code == 0, r
    assert [(x["amount"], x["outstanding"]) for x in rows] == [("7100.00", "7100.00")]
    # JSON keys, and the same check in Chinese
    r = bizops_run(
        "--company", "pv", "--lang", "zh", "receivables", "-", "--input-format", "jsonl", "--as-of", "2026-12-01",
        "--format", "csv", input='{"invoice": "A1", "customer": "甲", "amount": "10", "currency": "USD"}\n',
    )  # fmt: skip
    assert r.exit_code == 65 and r.csv_rows() == [], r
    assert r.stderr.startswith("第 1 行：币种为 USD（currency），its money 可能以 USD 计"), r.stderr


def test_an_export_in_yuan_gives_what_was_paid_in_yuan_too(bizops_run, tmp_path):
    """Found attacking receivables with a UFIDA-style export: beside 本币金额 it gives 已核销本币金额 and
    未核销本币金额, which were not names of paid and outstanding. Both were ignored under a warning, exit 0:
    XS-0001 was owed 11,300.00 instead of 8,300.00 and the paid XS-0003 was chased for 5,000.00. They are
    read now; and a column only near an optional money field's names (已核销原币金额) refuses the header, so
    that nothing is aged as unpaid on a guess, until [columns] says what it is."""
    header = "单据日期,单据编号,客户编码,客户名称,币种,原币金额,本币金额,{paid},{open},到期日,业务员,部门\n"
    rows = (
        "2026-09-01,XS-0001,C001,广州恒通电器,人民币,11300.00,11300.00,3000.00,8300.00,2026-10-01,李明,销售一部\n"
        "2026-09-05,XS-0002,C002,佛山宏达贸易,美元,1000.00,7100.00,0.00,7100.00,2026-10-05,王芳,销售二部\n"
        "2026-09-09,XS-0003,C001,广州恒通电器,人民币,5000.00,5000.00,5000.00,0.00,2026-10-09,李明,销售一部\n"
    )
    export = tmp_path / "账龄.csv"
    export.write_text(header.format(paid="已核销本币金额", open="未核销本币金额") + rows, encoding="utf-8")
    r, aged = aged_csv(bizops_run, export)
    assert r.exit_code == 0, r
    assert [(x["invoice"], x["amount"], x["paid"], x["outstanding"], x["next_step"]) for x in aged] == [
        ("XS-0001", "11300.00", "3000.00", "8300.00", "chase"),
        ("XS-0002", "7100.00", "0.00", "7100.00", "chase"),
        ("XS-0003", "5000.00", "5000.00", "0.00", "none"),
    ]
    export.write_text(header.format(paid="已核销原币金额", open="备注") + rows, encoding="utf-8")
    r, aged = aged_csv(bizops_run, export, "--lang", "zh")
    assert r.exit_code == 65 and aged == [], r
    assert r.stderr.splitlines()[:2] == [
        "第 1 行：表头行的列 '已核销原币金额' 看似已收（paid），但不是它的列名：若不读取，已收将按未给出计算；"
        "请在 bizops.toml 的 [columns] 中对应（'已核销原币金额' = \"paid\"）或改列名",
        "第 2 行：未读取：表头的列 '已核销原币金额' 看似已收（paid），但不是它的列名：若不读取，已收将按未给出计算；"
        "请在 bizops.toml 的 [columns] 中对应（'已核销原币金额' = \"paid\"）或改列名",
    ]
    (tmp_path / "bizops.toml").write_text('[columns]\n"已核销原币金额" = "paid"\n', encoding="utf-8")
    r, aged = aged_csv(bizops_run, export)
    assert [x["outstanding"] for x in aged] == ["8300.00", "0.00"]
    # … but what was paid is in the row's own currency (原币): the dollar invoice's row is refused
    assert r.exit_code == 65 and "\nrow 3: its currency is 美元 (币种), and 已核销原币金额 may be" in r.stderr, r


@pytest.mark.parametrize(
    ("header", "paid"),
    [
        *[
            (h, "400.00")
            for h in ("实收金额", "已回款金额", "回款金额", "收款金额", "累计收款", "已结算金额", "已付款")
        ],
        *[(h, "600.00") for h in ("未收款金额", "未回款金额", "未结算金额", "尚欠金额", "欠款余额", "欠款")],
    ],
)
def test_what_was_paid_or_is_still_owed_under_the_names_exports_give_it(bizops_run, tmp_path, header, paid):
    """Found attacking receivables: each of these headers was ignored under a warning, exit 0, and the
    invoice aged as wholly unpaid (1,000.00 chased where 600.00 or 400.00 was owed)."""
    export = tmp_path / "h.csv"
    export.write_text(f"发票号,客户,金额,{header},到期日\nA1,甲,1000.00,400.00,2026-10-01\n", encoding="utf-8")
    r, rows = aged_csv(bizops_run, export)
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    assert [(x["amount"], x["paid"], x["outstanding"]) for x in rows] == [
        ("1000.00", paid, str(Decimal("1000.00") - Decimal(paid)))
    ]


def test_chases_and_credit_days_under_other_names_or_refused_when_only_near_one(bizops_run, tmp_path):
    """Found attacking receivables: 已催收次数 was ignored under a warning, and an invoice chased three times
    was to be chased again where the rules say legal action; 信用天数 was ignored and the policy's term
    used. A header only near a counted field's names (催款次) now refuses the file rather than count none."""
    export = tmp_path / "h.csv"
    export.write_text(
        "发票号,客户,金额,开票日期,已催收次数,信用天数\nA1,甲,1000.00,2026-09-01,3,60\n", encoding="utf-8"
    )
    r, rows = aged_csv(bizops_run, export)
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    assert [(x["chases"], x["due_date"], x["next_step"]) for x in rows] == [("3", "2026-10-31", "legal")]
    export.write_text("发票号,客户,金额,到期日,催款次\nA1,甲,1000.00,2026-10-01,3\n", encoding="utf-8")
    r, rows = aged_csv(bizops_run, export)
    assert r.exit_code == 65 and rows == [], r
    assert r.stderr.startswith(
        "row 1: the header row gives column '催款次', which reads like chases but is none of its names: left unread, "
        "chases would count as not given"
    )


def test_an_erp_on_sql_server_writes_days_and_amounts_its_own_way(bizops_run, tmp_path):
    """Found attacking receivables with a U8-style export from SQL Server: every day as
    `2026-10-01 00:00:00.000` and every amount as `11300.0000`; each row was refused twice over."""
    export = tmp_path / "应收.csv"
    export.write_text(
        "单据编号,客户名称,单据日期,到期日,本币金额,已核销本币金额\n"
        "XS-1,甲,2026-09-01 00:00:00.000,2026-10-01 00:00:00.000,11300.0000,3000.0000\n",
        encoding="utf-8",
    )
    r, rows = aged_csv(bizops_run, export)
    assert r.exit_code == 0, r
    assert [(x["invoice"], x["due_date"], x["outstanding"], x["days_overdue"]) for x in rows] == [
        ("XS-1", "2026-10-01", "8300.00", "61")
    ]


def test_a_bad_row_is_numbered_and_the_others_are_aged(bizops_run):
    rows = [
        SPEC_ROWS[0],
        {"invoice": "X", "customer": "丁", "amount": "100.00"},
        {**SPEC_ROWS[1], "amount": "-5"},
        SPEC_ROWS[3],
    ]
    r = ageing(bizops_run, rows=rows)
    assert r.exit_code == 65, r
    assert [x["invoice"] for x in r.json()] == ["A1", "C1"]
    assert "row 2: needs a due_date, or an invoice_date" in r.stderr and "row 3: amount" in r.stderr


def test_explain_names_the_rule_and_clause_of_each_step(bizops_run):
    r = bizops_run(
        "--company", "pv", "--explain", "receivables", "-", "--input-format", "jsonl", "--as-of", "2026-12-01",
        "--format", "json", input=jsonl(SPEC_ROWS[3:]),
    )  # fmt: skip
    trace = r.json()[0]["trace"]
    assert [(t["rule"], t["clause"]) for t in trace if t["rule"] != "receivables.owner"] == [
        ("receivables.outstanding", "003 二(五)1"),
        ("receivables.chase", "003 三(三)2, 二(五)2"),
        ("receivables.legal", "003 三(三)4"),
        ("receivables.buckets", "003 二(五)3, 六(一)3"),
        ("receivables.risk", "003 三(三)3, 二(五)3"),
    ]
    assert "103 days overdue" in trace[2]["effect"] and "chased 3 times" in trace[3]["effect"]


def test_lang_zh_labels_headers_values_and_messages(bizops_run):
    r = ageing(bizops_run, "--lang", "zh", fmt="markdown", rows=SPEC_ROWS[:2])
    assert r.exit_code == 0, r
    assert "提示" not in r.stdout  # a table's essential columns by default; --columns all writes the rest
    r = ageing(bizops_run, "--lang", "zh", "--columns", "all", fmt="markdown", rows=SPEC_ROWS[:2])
    assert r.stdout.startswith("**公司：pv**")  # one value for every row: the table's title
    head = next(line for line in r.stdout.splitlines() if line.startswith("| "))
    assert all(label in head for label in ("发票号", "未收", "逾期天数", "账龄", "下一步", "风险预警"))
    assert "发结算通知" in r.stdout and "逾期31-60天" in r.stdout and "催收" in r.stdout
    assert "无业务员" in r.stdout  # the warning, in Chinese


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "markdown", "table"])
def test_every_output_format(bizops_run, fmt):
    r = ageing(bizops_run, fmt=fmt)
    assert r.exit_code == 0, r
    assert "20000.00" in r.stdout and "31-60" in r.stdout


def test_every_input_format(bizops_run, tmp_path):
    as_csv = "invoice,customer,amount,due_date,chases\nB1,乙,20000.00,2026-10-15,1\n"
    inputs = {
        "rows.csv": as_csv,
        "rows.tsv": as_csv.replace(",", "\t"),
        "rows.jsonl": jsonl(
            [{"invoice": "B1", "customer": "乙", "amount": 20000.00, "due_date": "2026-10-15", "chases": 1}]
        ),
        "rows.json": json.dumps(
            [{"invoice": "B1", "customer": "乙", "amount": "20000.00", "due_date": "2026-10-15", "chases": 1}]
        ),
    }
    for name, text in inputs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        r = bizops_run(
            "--company", "pv", "receivables", str(tmp_path / name), "--as-of", "2026-12-01", "--format", "json"
        )
        assert (r.exit_code, r.json()[0]["days_overdue"], r.json()[0]["outstanding"]) == (0, 47, "20000.00"), (name, r)
    # One invoice from flags.
    r = bizops_run(
        "--company", "pv", "receivables", "--customer", "乙", "--amount", "20000.00", "--invoice-date", "2026-09-15",
        "--as-of", "2026-12-01", "--format", "json",
    )  # fmt: skip
    assert (r.json()["due_date"], r.json()["days_overdue"]) == ("2026-10-15", 47)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--by", "region"), 2),
        (("--as-of", "yesterday"), 2),
        (("--input-format", "xml"), 2),
    ],
)
def test_usage_errors_are_2(bizops_run, args, code):
    r = bizops_run("--company", "pv", "receivables", "-", *args, input=jsonl(SPEC_ROWS))
    assert r.exit_code == code, r
    assert "Traceback" not in r.stderr


def test_thresholds_are_policy_settings(bizops_run, tmp_path):
    config = tmp_path / "bizops.toml"
    config.write_text("[company.pv]\nnotice_days = 3\nrisk_after_days = 60\nlegal_after_chases = 4\n", encoding="utf-8")
    shown = bizops_run("--company", "pv", "--config", str(config), "policy", "show", "--format", "json").json()
    settings = {s["name"]: s for s in shown} if isinstance(shown, list) else shown
    assert "bucket_days" in settings and "terms_days" in settings
    r = bizops_run(
        "--company", "pv", "--config", str(config), "receivables", "-", "--input-format", "jsonl", "--as-of",
        "2026-12-01", "--format", "json", input=jsonl(SPEC_ROWS),
    )  # fmt: skip
    assert [(x["next_step"], x["risk_warning"]) for x in r.json()] == [
        ("none", False),  # 4 days before the due date, notices from 3 days before
        ("chase", False),  # 47 days overdue is not over 60: 乙 is not at risk
        ("none", False),
        ("chase", True),  # chased 3 times, legal after 4; 103 days overdue is over 60
    ]
    config.write_text("[company.pv]\nbucket_days = [30, 60]\n", encoding="utf-8")
    r = bizops_run("--company", "pv", "--config", str(config), "receivables", "-", input=jsonl(SPEC_ROWS))
    assert r.exit_code == 78 and "bucket_days" in r.stderr


def test_a_plugin_may_answer_collect_instead(bizops_run, tmp_path):
    plugin = tmp_path / "mineco.py"
    plugin.write_text(
        textwrap.dedent(
            """
            from bizops.api import Company, hookimpl

            @hookimpl
            def bizops_company():
                return Company(name="mineco", zh="我的", en="Mine", version="1.0")

            @hookimpl
            def bizops_collect(requests, policy, context):
                return [dict(invoice=f["invoice"], customer=f["customer"], salesperson="desk", amount=f["amount"],
                             paid=f["paid"], outstanding=f["amount"] - f["paid"], due_date=f["due_date"],
                             days_overdue=0, bucket="not_due", next_step="none", notify_from=None, chases=0,
                             risk_warning=False, warnings=[]) for _, f in requests]
            """
        ),
        encoding="utf-8",
    )
    r = bizops_run(
        "--plugin", str(plugin), "--company", "mineco", "receivables", "-", "--input-format", "jsonl",
        "--as-of", "2026-12-01", "--format", "json", input=jsonl(SPEC_ROWS),
    )  # fmt: skip
    assert r.exit_code == 0, r
    assert [(x["salesperson"], x["next_step"]) for x in r.json()] == [("desk", "none")] * 4


def test_thousands_of_invoices_keep_input_order_and_the_risk_found_last(bizops_run):
    # More rows than a spool batch (2,048): the customer's risk shows on its first invoice, found at the end.
    rows = [
        {"invoice": f"N{i}", "customer": f"c{i % 7}", "amount": "10.00", "due_date": "2026-12-20"} for i in range(5000)
    ]
    rows.append({"invoice": "LATE", "customer": "c3", "amount": "10.00", "due_date": "2026-10-01"})
    r = ageing(bizops_run, rows=rows, fmt="jsonl")
    out = r.rows()
    assert [x["invoice"] for x in out] == [r["invoice"] for r in rows]
    assert {x["risk_warning"] for x in out if x["customer"] == "c3"} == {True}
    assert {x["risk_warning"] for x in out if x["customer"] != "c3"} == {False}


def test_the_ageing_book_as_a_workbook_openpyxl_reads(bizops_run, tmp_path):
    """What a sales admin opens in Excel: money as numbers at 0.00, dates as dates, the header in Chinese."""
    import datetime
    from decimal import Decimal

    import openpyxl

    book = Path(__file__).parents[3] / "examples" / "receivables" / "ageing.csv"
    out = tmp_path / "账龄.xlsx"
    r = bizops_run(
        "--company", "cable", "--lang", "zh", "receivables", str(book), "--as-of", "2026-12-01", "-o", str(out)
    )  # fmt: skip
    assert r.exit_code == 0, r
    sheet = openpyxl.load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    assert {"发票号", "未收", "到期日", "逾期天数", "下一步"} <= set(header)
    rows = [dict(zip(header, (cell for cell in row))) for row in sheet.iter_rows(min_row=2)]
    expected = list(csv.DictReader(book.open(encoding="utf-8")))
    assert len(rows) == len(expected)
    first = rows[0]
    assert first["发票号"].value == expected[0]["invoice"]
    owed = Decimal(expected[0]["amount"]) - Decimal(expected[0]["paid"])
    assert Decimal(str(first["未收"].value)) == owed and first["未收"].number_format == "0.00"
    assert isinstance(first["到期日"].value, datetime.datetime)
    assert first["到期日"].value.date().isoformat() == expected[0]["due_date"]


def test_odd_values_are_row_errors_and_the_calendar_edge_is_aged(bizops_run, tmp_path):
    book = tmp_path / "odd.csv"
    book.write_text(
        "invoice,customer,salesperson,invoice_date,due_date,terms_days,amount,paid,chases\n"
        "A1,甲,李,2026-08-30,2026-09-29,,1e400,0,0\n"
        "A2,甲,李,2026-08-30,9999-12-31,,100,0,0\n"
        "A3,乙,,2026-08-30,2026-09-29,,100.005,0,-1\n"
        "A4,乙,王,2026-08-30,,30,99999999999999999999.99,0,2\n"
        "A5,丙,王,2026-08-30,,36500000,100,0,0\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "cable", "receivables", str(book), "--as-of", "9999-12-31", "--format", "json")
    assert r.exit_code == 65, r
    [aged] = r.json()
    assert (aged["invoice"], aged["bucket"], aged["days_overdue"], aged["notify_from"]) == (
        "A2",
        "not_due",
        0,
        "9999-12-24",
    )
    errors = r.stderr.splitlines()
    assert [line.split(":")[0] for line in errors] == ["row 2", "row 4", "row 5", "row 6"]
    assert "more than 2 decimals" in errors[1] and "chases must be ≥ 0" in errors[1]  # every problem of the row


def test_an_accounting_ledger_with_subtotals_and_credit_notes(bizops_run, tmp_path):
    """Found attacking receivables with a Kingdee-style 应收明细: a title, the company line, subtotals per
    customer (`广州甲公司 小计`), a credit note written `(1,000.00)` and a grand total. The subtotal had
    its due date missing by chance: with one it would have been aged as a second invoice of 17,000.00.
    The credit note said `must be a number`; it is -1000.00, which an invoice cannot be. And the unknown
    未核销金额 (still open) was offered as `paid`, the opposite of what it holds."""
    export = tmp_path / "应收明细.csv"
    export.write_text(
        "应收账款明细表,,,,,,,\n"
        "编制单位：广州某某电缆有限公司,,,,期间：2026年11月,,,\n"
        "单据日期,单据编号,客户名称,业务员,价税合计,已核销金额,未核销金额,到期日\n"
        '2026/10/5,XS-0001,广州甲公司,张三,"12,000.00","2,000.00","10,000.00",2026/11/4\n'
        '2026/11/20,XS-0002,广州甲公司,张三,"5,000.00",0.00,"5,000.00",2026/12/20\n'
        ',,广州甲公司 小计,,"17,000.00","2,000.00","15,000.00",2026/12/20\n'
        '2026年8月1日,XS-0003,佛山乙公司,李四,"8,000.00",,"8,000.00",2026年8月31日\n'
        '2026-09-01,XS-0004,佛山乙公司, 李四 ,"(1,000.00)",0,"(1,000.00)",2026-10-01\n'
        ',,合计,,"29,000.00","2,000.00","22,000.00",\n',
        encoding="utf-8",
    )
    r, rows = aged_csv(bizops_run, export)
    assert r.exit_code == 65, r
    assert [(x["invoice"], x["customer"], x["outstanding"], x["bucket"]) for x in rows] == [
        ("XS-0001", "广州甲公司", "10000.00", "1-30"),
        ("XS-0002", "广州甲公司", "5000.00", "not_due"),
        ("XS-0003", "佛山乙公司", "8000.00", "91+"),
    ]
    assert [line for line in r.stderr.splitlines() if line.startswith("row ")] == [
        "row 6: a totals row (广州甲公司 小计), not a request",
        'row 8: amount must be > 0, got "(1,000.00)"; outstanding must be ≥ 0, got "(1,000.00)"',
        "row 9: a totals row (合计), not a request",
    ]
    assert "not a field" not in r.stderr
    _, by = aged_csv(bizops_run, export, "--by", "customer")
    totals = {x["customer"]: x["outstanding"] for x in by}
    assert totals == {"佛山乙公司": "8000.00", "广州甲公司": "15000.00"}


def test_one_customer_however_its_name_is_typed_is_at_risk_together(bizops_run, tmp_path):
    """Found attacking receivables: 广州甲公司（番禺） 100 days overdue put only the rows typed with
    full-width brackets at risk; the same customer typed 广州甲公司(番禺) by the export, or 恒通 电器 with a
    space, got no warning, and the summary split it in two. Names are compared as the ledger keys them."""
    book = tmp_path / "ageing.csv"
    book.write_text(
        "发票号,客户,金额,到期日\n"
        "A1,广州甲公司（番禺）,1000,2026-08-01\n"
        "A2,广州甲公司(番禺),500,2026-12-20\n"
        "A3,广州甲公司 (番禺),300,2026-12-25\n"
        "B1,恒通  电器,100,2026-08-01\n"
        "B2,恒通电器,100,2026-12-28\n"
        "C1,ABC Trading,100,2026-08-01\n"
        "C2,ABCTrading,100,2026-12-28\n",
        encoding="utf-8",
    )
    _, rows = aged_csv(bizops_run, book, company="pile")
    assert [(x["invoice"], x["customer"], x["risk_warning"]) for x in rows] == [
        ("A1", "广州甲公司（番禺）", "true"),
        ("A2", "广州甲公司(番禺)", "true"),
        ("A3", "广州甲公司 (番禺)", "true"),
        ("B1", "恒通  电器", "true"),
        ("B2", "恒通电器", "true"),
        ("C1", "ABC Trading", "true"),
        ("C2", "ABCTrading", "false"),  # a space between two Latin words is part of the name
    ]
    _, by = aged_csv(bizops_run, book, "--by", "customer", company="pile")
    summary = [(x["customer"], x["invoices"], x["outstanding"]) for x in by]
    assert summary == [
        ("ABC Trading", "1", "100.00"),
        ("ABCTrading", "1", "100.00"),
        ("广州甲公司(番禺)", "3", "1800.00"),
        ("恒通电器", "2", "200.00"),
    ]


def test_an_export_giving_what_is_still_open_instead_of_what_was_paid(bizops_run, tmp_path):
    """Found attacking receivables: an ageing export with 价税合计 and 未核销金额 but no paid column aged
    every invoice as wholly unpaid (未核销金额 was ignored): 10,000.00 outstanding where the export says
    8,000.00. What is open now gives paid as the rest; the three given and disagreeing is the row's error."""
    book = tmp_path / "ageing.csv"
    book.write_text(
        "发票号,客户,价税合计,未核销金额,已收,到期日\n"
        'A1,甲,"10,000.00","8,000.00",,2026-11-01\n'
        "A2,甲,500.00,500.00,,2026-11-01\n"
        "A3,甲,1000,300,600,2026-11-01\n"
        "A4,甲,1000,1200,,2026-11-01\n"
        "A5,甲,1000,0,,2026-11-01\n",
        encoding="utf-8",
    )
    r, rows = aged_csv(bizops_run, book)
    assert r.exit_code == 65, r
    assert [(x["invoice"], x["amount"], x["paid"], x["outstanding"], x["bucket"]) for x in rows] == [
        ("A1", "10000.00", "2000.00", "8000.00", "1-30"),
        ("A2", "500.00", "0.00", "500.00", "1-30"),
        ("A5", "1000.00", "1000.00", "0.00", "settled"),
    ]
    assert [line for line in r.stderr.splitlines() if line.startswith("row ")] == [
        "row 4: amount 1000.00 − paid 600.00 is 400.00, but outstanding says 300.00",
        "row 5: outstanding 1200.00 is more than the amount 1000.00",
    ]


BOOK_TWICE = (
    "发票号,客户,金额,已收,到期日\n"
    "A1,甲,1000,0,2026-10-01\n"
    "A2,甲,2000,0,2026-11-20\n"
    "A3,乙,500,0,2026-09-01\n"
    # the same export pasted again under the first, A1 since paid in part: the same invoice, listed twice
    "A1,甲,1000,400,2026-10-01\n"
    "A2,甲　,2000,0,2026-11-20\n"
    # one invoice in two instalments: two due dates, two amounts owed, not a copy
    "A4,乙,300,0,2026-11-01\n"
    "A4,乙,300,0,2026-12-01\n"
)


def test_an_invoice_listed_twice_is_aged_once(bizops_run, tmp_path):
    """Found attacking receivables: two exports pasted into one book counted every invoice twice (甲 owed
    6,000.00 for 3,000.00 of invoices). A row repeating an invoice's number, customer, amount and due date
    is its error, naming the row it repeats; an invoice in instalments (other due dates) is not a copy."""
    book = tmp_path / "ageing.csv"
    book.write_text(BOOK_TWICE, encoding="utf-8")
    r, rows = aged_csv(bizops_run, book)
    assert r.exit_code == 65, r
    assert [(x["invoice"], x["customer"], x["outstanding"]) for x in rows] == [
        ("A1", "甲", "1000.00"),
        ("A2", "甲", "2000.00"),
        ("A3", "乙", "500.00"),
        ("A4", "乙", "300.00"),
        ("A4", "乙", "300.00"),
    ]
    assert r.stderr.splitlines() == [
        "row 5: invoice A1 is listed again (same customer, amount and due date as row 2): aged once, on row 2; "
        "if both are owed, give them different numbers",
        "row 6: invoice A2 is listed again (same customer, amount and due date as row 3): aged once, on row 3; "
        "if both are owed, give them different numbers",
    ]


@pytest.mark.parametrize("by", ["customer", "salesperson"])
def test_the_summary_counts_an_invoice_listed_twice_once(bizops_run, tmp_path, by):
    book = tmp_path / "ageing.csv"
    book.write_text(BOOK_TWICE, encoding="utf-8")
    once = tmp_path / "once.csv"
    once.write_text("".join(line + "\n" for line in BOOK_TWICE.splitlines()[:4] + BOOK_TWICE.splitlines()[6:]))
    r, rows = aged_csv(bizops_run, book, "--by", by)
    expected, wanted = aged_csv(bizops_run, once, "--by", by)
    assert (r.exit_code, expected.exit_code) == (65, 0), (r, expected)
    assert rows == wanted
    assert sum(Decimal(x["outstanding"]) for x in rows) == Decimal("4100.00")
    assert [line.split(":")[0] for line in r.stderr.splitlines() if line.startswith("row")] == ["row 5", "row 6"]


def test_copies_are_found_among_many_invoices_in_bounded_memory(bizops_run, tmp_path):
    """20,000 invoices and three copies spread through them: exactly the copies are refused, each naming its
    first row; the suspects the bit array lets through are compared exactly (none is taken for a copy)."""
    lines = ["invoice,customer,amount,due_date"]
    for i in range(20_000):
        lines.append(f"INV-{i},客户{i % 300},{100 + i % 977}.00,2026-{1 + i % 12:02d}-{1 + i % 28:02d}")
    for i in (17, 9_999, 19_998):
        lines.append(lines[i + 1])
    book = tmp_path / "big.csv"
    book.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r, rows = aged_csv(bizops_run, book)
    assert r.exit_code == 65 and len(rows) == 20_000, r
    assert [line.split(" is listed")[0] for line in r.stderr.splitlines()] == [
        "row 20002: invoice INV-17",
        "row 20003: invoice INV-9999",
        "row 20004: invoice INV-19998",
    ]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [(), ("--by", "customer")])
def test_a_full_disk_under_the_spool_is_an_io_error_not_a_bug(bizops_run, tmp_path, monkeypatch, args):
    """Found attacking receivables with a full temporary directory: the spool's ENOSPC came out as
    "plugin 'bizops' failed" (exit 70). It is the disk's: exit 74, saying where, no row written."""
    import tempfile

    monkeypatch.setattr(tempfile, "TemporaryFile", lambda **_: open("/dev/full", "w+b", buffering=0))  # noqa: SIM115
    book = tmp_path / "many.csv"
    book.write_text(
        "invoice,customer,amount,due_date\n"
        + "".join(f"INV-{i},客户{i % 30},100.00,2026-11-01\n" for i in range(5000)),
        encoding="utf-8",
    )
    r, rows = aged_csv(bizops_run, book, *args)
    assert (r.exit_code, rows) == (74, []), r
    assert "cannot keep the rows read so far in a temporary file" in r.stderr and "No space left on device" in r.stderr
    assert "plugin" not in r.stderr


def test_recorded_each_invoice_keeps_its_row_and_inputs(bizops_run, tmp_path):
    """Found attacking --record: 9 of the example's 23 invoices were recorded with no inputs (`{"events": []}`)
    and no row, those without a due date or a salesperson (the report shows the ones it worked out, which
    the invoice's empty field did not equal). Read back with sqlite3, each decision holds its own invoice."""
    import sqlite3

    db = tmp_path / "ledger.db"
    export = EXAMPLES / "ageing-export.csv"
    r = bizops_run(
        "--company", "cable", "--db", str(db), "receivables", str(export), "--as-of", "2026-12-01", "--record"
    )
    assert r.exit_code == 0, r
    with sqlite3.connect(db) as conn:
        recorded = conn.execute("SELECT row_label, inputs, outputs FROM bizops_decisions ORDER BY id").fetchall()
    assert [label for label, _, _ in recorded] == [str(n) for n in range(2, 25)]  # the CSV's rows, header row 1
    for _, inputs, outputs in recorded:
        (event,) = json.loads(inputs)["events"]
        assert event["invoice"] == json.loads(outputs)["invoice"]
