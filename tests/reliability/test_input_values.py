"""Amounts as people type them: every accepted form read exactly, everything else a row-numbered error.

Each bad value sits between good rows: the good rows are still decided, the
bad one is named by its row, and nothing is ever read as zero or misread.
"""

from __future__ import annotations

import csv
import gc
import io
import json

import pytest
from reliability_support import assert_contract, error_rows

#: Accepted spellings of one thousand five hundred yuan.
ACCEPTED = [
    "1500",
    "1500.00",
    "1,500",
    "1,500.00",
    "¥1500",
    "￥1500",
    "￥1,500.00",
    "1500元",
    "¥1,500.00元",
    " 1500 ",
    "+1500",
    "１５００",
    "１，５００．００",
    "￥１５００",
    "１５００元",
    "1500\u3000",
    # SQL Server's money type, and the ERPs on it, export every amount with four decimals: zeros past the fen
    "1500.0000",
    "1,500.0000",
    "1500.00000000",
    # the word for yuan before or after the number, as English-language exports write it
    "RMB1500",
    "RMB 1,500.00",
    "CNY 1500",
    "1500 RMB",
    "人民币1500元",
]

#: Values that are not an amount, and the message each must give.
REFUSED = {
    "NaN": "must be a number",
    "nan": "must be a number",
    "Infinity": "must be a number",
    "-Infinity": "must be a number",
    "inf": "must be a number",
    "1e3": "must be a number",
    "1E3": "must be a number",
    "1e999": "must be a number",
    "1_000": "must be a number",
    "0x5DC": "must be a number",
    "2万": "Chinese number words are not read",
    "壹万元整": "Chinese number words are not read",
    "一千五百": "Chinese number words are not read",
    "1.5千": "Chinese number words are not read",
    "1500²": "must be a number",
    "①⑤⓪⓪": "must be a number",
    "١٥٠٠": "must be a number",
    "¹⁵⁰⁰": "must be a number",
    "1.500,00": "must be a number",
    "1,50": "must be a number",
    "15,00,000": "must be a number",
    "1 500": "must be a number",
    "(1500)": "must be > 0",  # the accounting format's negative: -1500
    "(-1500)": "must be a number",
    "()": "must be a number",
    "RMB": "must be a number, not empty",
    "RMB USD 1500": "is in another currency than 元 (CNY)",
    "1500 USD": "is in another currency than 元 (CNY)",
    "$1,500.00": "is in another currency than 元 (CNY)",
    "HK$1500": "is in another currency than 元 (CNY)",
    "--1500": "must be a number",
    "1500.001": "more than 2 decimals",
    "1500.0010": "more than 2 decimals",
    "1500.00000000000000000000000001": "more than 2 decimals",
    "-1500": "must be > 0",
    "0": "must be > 0",
    "1" * 400: "too many digits",
    "9" * 16: "too many digits",
    "abc": "must be a number",
    "¥": "must be a number",
    "true": "must be a number",
}


def orders(amounts) -> str:
    """Known customers on cash terms: the amount is the only thing that can go wrong."""
    return "".join(
        json.dumps({"customer": f"C{i}", "amount": a, "new_customer": False}, ensure_ascii=False) + "\n"
        for i, a in enumerate(amounts, 1)
    )


@pytest.mark.parametrize("text", ACCEPTED)
def test_every_spreadsheet_spelling_of_an_amount_is_read_exactly(cable, text):
    r = cable("approve-order", "-", input=orders([text]))
    assert_contract(r, 0)
    assert r.rows()[0]["amount"] == "1500.00"


@pytest.mark.parametrize("text", ["１５００", "1,500", "¥1500", "1500元"])
def test_the_same_spellings_work_as_flags_and_in_csv(cable, tmp_path, text):
    r = cable("approve-order", "--customer", "C", "--amount", text, "--no-new-customer")
    assert r.rows()[0]["amount"] == "1500.00", r
    quoted = '"' + text + '"'
    (tmp_path / "orders.csv").write_text(f"customer,amount,new_customer\nC,{quoted},no\n", encoding="utf-8")
    r = cable("approve-order", "orders.csv")
    assert r.rows()[0]["amount"] == "1500.00", r


def test_the_accounting_formats_dash_is_zero(cable, tmp_path):
    """Found attacking receivables: Excel's accounting format (会计专用) shows 0 as a dash, and a CSV
    saved from it keeps ` ¥-   `; every unpaid invoice of such a book was a row error."""
    (tmp_path / "ageing.csv").write_text(
        "发票号,客户,金额,已收,到期日\n"
        'A1,甲," ¥1,000.00 "," ¥-   ",2026-10-01\n'
        'A2,甲,"500"," -   ",2026-10-01\n'
        "A3,甲,-,0,2026-10-01\n",
        encoding="utf-8",
    )
    r = cable("receivables", "ageing.csv", "--as-of", "2026-12-01", "--format", "csv")
    assert_contract(r, 65)
    rows = r.csv_rows()
    assert [(x["invoice"], x["paid"], x["outstanding"]) for x in rows] == [
        ("A1", "0.00", "1000.00"),
        ("A2", "0.00", "500.00"),
    ]
    assert r.stderr.splitlines() == ['row 4: amount must be > 0, got "-"']


def test_guide_prices_keep_four_decimals_and_refuse_a_fifth(cable):
    rows = [{"guide_price": "￥1,234.5678"}, {"guide_price": "1.23456"}, {"guide_price": "１００"}]
    r = cable("quote", "-", input="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows))
    assert_contract(r, 65)
    assert [x["guide_price"] for x in r.rows()] == ["1234.5678", "100.00"]
    assert r.stderr.count("\n") == 1 and "row 2: guide_price has more than 4 decimals" in r.stderr


def test_every_value_that_is_not_an_amount_is_a_row_error_and_the_other_rows_go_on(cable):
    bad = list(REFUSED)
    amounts = []
    for value in bad:
        amounts += ["100", value]
    amounts.append("100")
    r = cable("approve-order", "-", input=orders(amounts))
    assert_contract(r, 65)
    assert [x["amount"] for x in r.rows()] == ["100.00"] * (len(bad) + 1)
    assert error_rows(r.stderr) == [2 * i for i in range(1, len(bad) + 1)]
    lines = r.stderr.splitlines()
    for line, (value, message) in zip(lines, REFUSED.items()):
        assert line.startswith(f"row {2 * (bad.index(value) + 1)}: amount "), line
        assert message in line, (value, line)


def test_a_bad_row_leaves_no_cycle_for_the_garbage_collector(cable):
    """A row's error is kept for its reason only: its traceback held the frames that held it (25 objects a row)."""

    def cycles_left(bad_rows: int) -> int:
        gc.collect()
        gc.disable()
        try:
            r = cable("approve-order", "-", "--jobs", "1", input=orders(["12x"] * bad_rows + ["100"]))
            assert_contract(r, 65)
            return gc.collect()
        finally:
            gc.enable()

    assert cycles_left(201) - cycles_left(1) < 50


def test_chinese_number_words_are_explained_in_chinese_too(cable):
    r = cable("approve-order", "--customer", "C", "--amount", "2万", "--lang", "zh")
    assert_contract(r, 65)
    assert "第 1 行" in r.stderr and "不识别中文数字" in r.stderr


@pytest.mark.parametrize(
    "raw, message",
    [
        ("NaN", "not a valid JSON object (NaN is not a number)"),
        ("Infinity", "not a valid JSON object (Infinity is not a number)"),
        ("-Infinity", "not a valid JSON object (-Infinity is not a number)"),
        ("1e999", "amount must be a number"),
        ("1e3", "amount must be a number"),
        ("1" * 400, "amount has too many digits"),
        ("1" * 5000, "amount has too many digits"),
        ("true", "amount must be a number"),
        ("[1500]", "amount must be a number"),
        ('{"yuan": 1500}', "amount must be a number"),
        ('"1500" , "amount": "1600"', "key 'amount' appears twice"),
    ],
)
def test_json_values_that_are_not_amounts_are_row_errors(cable, raw, message):
    text = (
        '{"customer": "A", "amount": 100, "new_customer": false}\n'
        '{"customer": "B", "amount": ' + raw + ', "new_customer": false}\n'
        '{"customer": "C", "amount": 300.50, "new_customer": false}\n'
    )
    for fmt in ("jsonl", "json"):
        data = text if fmt == "jsonl" else "[" + text.replace("}\n{", "},\n{") + "]"
        r = cable("approve-order", "-", "--input-format", fmt, input=data)
        assert_contract(r, 65)
        assert [x["amount"] for x in r.rows()] == ["100.00", "300.50"], (fmt, r)
        assert r.stderr.startswith("row 2: ") and message in r.stderr, (fmt, r.stderr)


def test_a_json_decimal_is_read_from_its_text_not_through_a_float(cable):
    # 0.1 + 0.2 in floats is 0.30000000000000004; read as text it is exact.
    r = cable("quote", "-", input='{"guide_price": 0.1, "qty": 3}\n{"guide_price": 1234567890123.4567}\n')
    assert_contract(r, 0)
    assert [x["total"] for x in r.rows()] == ["0.30", "1234567890123.46"]
    assert r.rows()[1]["guide_price"] == "1234567890123.4567"


def test_empty_cells_take_the_default_or_say_what_is_required(cable, tmp_path):
    (tmp_path / "orders.csv").write_text(
        "customer,amount,new_customer,settlement,invoice\n"
        "A,100,no,,\n"  # empty settlement and invoice: the defaults (cash, ordinary)
        ",200,no,cash,none\n"  # no customer
        "C,,no,cash,none\n"  # no amount
        "D,  ,no,cash,none\n"  # a blank amount is no amount, never zero
        "E,500,no,credit,vat\n",
        encoding="utf-8",
    )
    r = cable("approve-order", "orders.csv")
    assert_contract(r, 65)
    rows = r.rows()
    assert [(x["customer"], x["amount"], x["payment_terms"], x["invoice"]) for x in rows] == [
        ("A", "100.00", "cash", "ordinary"),
        ("E", "500.00", "credit", "vat_pending"),
    ]
    assert r.stderr.splitlines() == [
        "row 3: customer is required",
        "row 4: amount is required",
        'row 5: amount must be a number, not empty, got "  "',
    ]


@pytest.mark.parametrize("value, shown", [("5", "5"), ("5%", "5"), ("５％", "5"), (" 2.5 % ", "2.5")])
def test_percentages_take_a_percent_sign(cable, value, shown):
    r = cable("quote", "--guide-price", "100", "--fee-pct", value)
    assert_contract(r, 0)
    assert r.rows()[0]["fee_pct"] == shown


@pytest.mark.parametrize("value", ["5%%", "%5", "5‰", "五", "5 percent", "NaN%"])
def test_percentages_refuse_anything_else(cable, value):
    r = cable("quote", "--guide-price", "100", "--fee-pct", value)
    assert_contract(r, 65)
    assert r.stderr.startswith("row 1: fee_pct "), r.stderr


@pytest.mark.parametrize(
    "value, expected",
    [
        ("true", True),
        ("是", True),
        ("YES", True),
        ("1", True),
        ("否", False),
        ("no", False),
        ("0", False),
        # a Chinese form ticks or says 有/无 (found attacking the desk: each was a row error)
        ("√", True),
        ("×", False),
        ("有", True),
        ("无", False),
    ],
)
def test_booleans_as_the_contract_lists_them(cable, value, expected):
    csv_in = f"customer,amount,new_customer,city\nA,100,{value},广州\n"
    r = cable("approve-order", "-", "--input-format", "csv", input=csv_in)
    assert_contract(r, 0, 1)
    assert r.rows()[0]["new_customer"] is expected


@pytest.mark.parametrize("value", ["maybe", "2", "对", "-1", "yes please"])
def test_a_boolean_that_is_not_one_is_a_row_error_never_false(cable, value):
    r = cable("approve-order", "-", "--input-format", "csv", input=f"customer,amount,new_customer\nA,100,{value}\n")
    assert_contract(r, 65)
    assert r.stdout == "" and r.stderr.startswith("row 2: new_customer must be true or false")


def test_a_count_written_with_its_unit_is_read(bizops_run, tmp_path):
    """Found attacking receivables: an ageing book writes 账期 `30天` and 催收 `3次`; every such row was
    refused. A whole number may end with its unit (天 日 次 份 个 张 人 趟 件 笔), which is not checked;
    Chinese numerals and fractions are still refused."""
    (tmp_path / "ageing.csv").write_text(
        "发票号,客户,金额,开票日期,账期天数,催收次数\n"
        "A1,甲,1000,2026-09-01,30天,3次\nA2,甲,1000,2026-09-01,30 天,2 次\n"
        "A3,甲,1000,2026-09-01,三十天,1\nA4,甲,1000,2026-09-01,1.5天,1\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "pile", "receivables", "ageing.csv", "--as-of", "2026-12-01", "--format", "jsonl")
    assert_contract(r, 65)
    assert [(x["invoice"], x["due_date"], x["chases"], x["next_step"]) for x in r.rows()] == [
        ("A1", "2026-10-01", 3, "legal"),
        ("A2", "2026-10-01", 2, "chase"),
    ]
    assert r.stderr.splitlines() == [
        'row 4: terms_days Chinese number words are not read; write the amount in digits, got "三十天"',
        'row 5: terms_days must be a whole number, got "1.5天"',
    ]
