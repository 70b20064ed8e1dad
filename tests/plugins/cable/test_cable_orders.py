"""`bizops approve-order` for the cable maker: terms, deposit, sign-off, VAT invoices, at their boundaries."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from cable_support import EXAMPLES, ledger

A = ("--company", "cable", "approve-order")


def order(run, *flags, fmt="json"):
    r = run(*A, *flags, "--format", fmt)
    assert r.exit_code == 0, r
    return r.json() if fmt == "json" else r


def config(tmp_path, **values):
    lines = ["[company.cable]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    (tmp_path / "bizops.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- cable.approve.new_customer_terms -----------------------------------------------------------
@pytest.mark.parametrize(
    "flags, terms",
    [
        (("--new-customer", "--city", "广州", "--amount", "1500"), "cod"),  # exactly 1,500
        (("--new-customer", "--city", "广州市", "--amount", "1,500.00"), "cod"),
        (("--new-customer", "--city", "Guangzhou", "--amount", "¥1500"), "cod"),
        (("--new-customer", "--city", "guangzhou city", "--amount", "99999"), "cod"),
        (("--new-customer", "--city", "广州", "--amount", "1499.99"), "cash"),
        (("--new-customer", "--city", "佛山", "--amount", "1500"), "prepay"),
        (("--new-customer", "--city", "佛山", "--amount", "10"), "prepay"),
        (("--no-new-customer", "--city", "佛山", "--amount", "1500"), "cash"),
        (("--no-new-customer", "--amount", "1500"), "cash"),  # city not needed
        (("--new-customer", "--city", "广州", "--amount", "1500", "--settlement", "credit"), "credit"),
        (("--new-customer", "--amount", "1500", "--settlement", "credit"), "credit"),
        (("--no-new-customer", "--amount", "1500", "--settlement", "credit"), "credit"),
    ],
)
def test_payment_terms(bizops_run, flags, terms):
    out = order(bizops_run, "--customer", "甲", *flags)
    assert out["payment_terms"] == terms
    assert (out["status"], out["reason"]) == ("ok", None)


def test_new_cash_customer_needs_a_city(bizops_run):
    r = bizops_run(*A, "--customer", "甲", "--amount", "1500", "--new-customer")
    assert r.exit_code == 65 and "city is needed" in r.stderr


def test_cod_minimum_and_home_city_from_config(bizops_run, tmp_path):
    flags = ("--customer", "甲", "--new-customer", "--amount", "1500")
    assert order(bizops_run, *flags, "--city", "广州")["payment_terms"] == "cod"
    config(tmp_path, cod_min_amount=2000)
    assert order(bizops_run, *flags, "--city", "广州")["payment_terms"] == "cash"
    assert order(bizops_run, *flags, "--city", "广州", "--amount", "2000")["payment_terms"] == "cod"
    config(tmp_path, home_city=["深圳", "Shenzhen"])
    assert order(bizops_run, *flags, "--city", "广州")["payment_terms"] == "prepay"
    assert order(bizops_run, *flags, "--city", "深圳市")["payment_terms"] == "cod"


# -- cable.approve.deposit ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "flags, deposit",
    [
        (("--new-customer", "--custom", "--amount", "1000"), "300.00"),
        (("--new-customer", "--custom", "--amount", "0.05"), "0.02"),  # 0.015 half-up
        (("--new-customer", "--custom", "--amount", "100.05"), "30.02"),  # 30.015 half-up
        (("--new-customer", "--no-custom", "--amount", "1000"), "0.00"),
        (("--no-new-customer", "--custom", "--amount", "1000"), "0.00"),  # deposit_applies_to = new
        (("--new-customer", "--custom", "--amount", "60000", "--settlement", "credit"), "18000.00"),
    ],
)
def test_deposit(bizops_run, flags, deposit):
    assert order(bizops_run, "--customer", "甲", "--city", "广州", *flags)["deposit"] == deposit


def test_deposit_for_all_customers_by_config(bizops_run, tmp_path):
    config(tmp_path, deposit_applies_to="all", deposit_pct=50)
    out = order(bizops_run, "--customer", "甲", "--no-new-customer", "--custom", "--amount", "1000")
    assert out["deposit"] == "500.00"


def test_bad_deposit_applies_to_is_exit_78(bizops_run, tmp_path):
    config(tmp_path, deposit_applies_to="some")
    r = bizops_run(*A, "--customer", "甲", "--amount", "1")
    assert r.exit_code == 78 and "deposit_applies_to" in r.stderr


# -- cable.approve.credit_limits ------------------------------------------------------------------
@pytest.mark.parametrize(
    "new, amount, approvers",
    [
        ("--no-new-customer", "20000", []),
        ("--no-new-customer", "20000.00", []),
        ("--no-new-customer", "20000.01", ["sales_manager"]),
        ("--no-new-customer", "50000", ["sales_manager"]),
        ("--no-new-customer", "50000.01", ["sales_manager", "general_manager"]),
        ("--new-customer", "19999.99", []),
        ("--new-customer", "20000", ["sales_manager", "general_manager"]),
        ("--new-customer", "20000.01", ["sales_manager", "general_manager"]),
        ("--new-customer", "50000.01", ["sales_manager", "general_manager"]),
    ],
)
def test_credit_sign_off(bizops_run, new, amount, approvers):
    out = order(bizops_run, "--customer", "甲", new, "--amount", amount, "--settlement", "credit")
    assert out["approvers"] == approvers
    assert out["decision"] == ("needs_approval" if approvers else "approved")


def test_cash_orders_need_no_sign_off(bizops_run):
    out = order(bizops_run, "--customer", "甲", "--no-new-customer", "--amount", "90000")
    assert (out["approvers"], out["decision"]) == ([], "approved")


def test_credit_thresholds_from_config(bizops_run, tmp_path):
    flags = ("--customer", "甲", "--amount", "30000", "--settlement", "credit")
    assert order(bizops_run, *flags, "--no-new-customer")["approvers"] == ["sales_manager"]
    config(tmp_path, credit_manager_over=10000, credit_gm_over=25000, new_credit_both_from=40000)
    assert order(bizops_run, *flags, "--no-new-customer")["approvers"] == ["sales_manager", "general_manager"]
    config(tmp_path, credit_manager_over=30000, credit_gm_over=35000, new_credit_both_from=20000)
    assert order(bizops_run, *flags, "--no-new-customer")["approvers"] == []
    assert order(bizops_run, *flags, "--new-customer")["approvers"] == ["sales_manager", "general_manager"]


def test_a_general_manager_threshold_below_the_sales_managers_is_refused(bizops_run, tmp_path):
    config(tmp_path, credit_manager_over=30000, credit_gm_over=25000)
    r = bizops_run(*A, "--customer", "甲", "--amount", "30000", "--settlement", "credit")
    assert r.exit_code == 78 and r.stdout == ""
    assert "credit_gm_over must be ≥ credit_manager_over, got credit_gm_over = 25000" in r.stderr


def test_sign_off_in_a_chinese_table(bizops_run):
    r = order(
        bizops_run,
        "--customer",
        "甲",
        "--new-customer",
        "--amount",
        "20000",
        "--settlement",
        "credit",
        "--custom",
        "--invoice",
        "vat",
        "--lang",
        "zh",
        fmt="table",
    )
    for label in ("确认人", "业务经理", "总经理", "需审批", "帐期", "增值税专用发票", "6000.00"):
        assert label in r.stdout, label


# -- cable.approve.vat_invoice -------------------------------------------------------------------
@pytest.mark.parametrize(
    "invoice, amount, expected, pending, vat_amount",
    [
        ("vat", "5000", "vat", "0.00", "5000.00"),
        ("vat", "4999.99", "vat_pending", "4999.99", None),
        ("ordinary", "4000", "ordinary", "0.00", None),
        ("none", "9000", "none", "0.00", None),
    ],
)
def test_vat_invoice_without_history(bizops_run, invoice, amount, expected, pending, vat_amount):
    out = order(bizops_run, "--customer", "甲", "--no-new-customer", "--amount", amount, "--invoice", invoice)
    assert (out["invoice"], out["vat_pending_total"], out["vat_invoice_amount"]) == (expected, pending, vat_amount)


def test_vat_vat_min_from_config(bizops_run, tmp_path):
    config(tmp_path, vat_min=3000)
    out = order(bizops_run, "--customer", "甲", "--no-new-customer", "--amount", "3000", "--invoice", "vat")
    assert out["invoice"] == "vat"


def test_vat_accumulates_in_the_ledger_under_record(ledger):
    flags = ("--customer", "乙", "--no-new-customer", "--invoice", "vat")
    first = order(ledger.run, *flags, "--amount", "3000", "--record")
    assert (first["invoice"], first["vat_pending_total"]) == ("vat_pending", "3000.00")
    assert ledger.total("vat_pending", "乙") == Decimal("3000")
    dry = order(ledger.run, *flags, "--amount", "1999.99")  # no --record: nothing written
    assert (dry["invoice"], dry["vat_pending_total"]) == ("vat_pending", "4999.99")
    assert ledger.total("vat_pending", "乙") == Decimal("3000")
    other = order(ledger.run, "--customer", "乙", "--no-new-customer", "--amount", "800", "--record")
    assert (other["invoice"], other["vat_pending_total"]) == ("ordinary", "3000.00")
    reach = order(ledger.run, *flags, "--amount", "2000", "--record")  # 3,000 + 2,000 reaches 5,000
    assert (reach["invoice"], reach["vat_invoice_amount"], reach["vat_pending_total"]) == ("vat", "5000.00", "0.00")
    assert ledger.total("vat_pending", "乙") == 0
    assert ("add", "vat_pending", "乙", Decimal("-3000")) in ledger.writes


def test_a_large_order_takes_the_pending_amount_with_it(ledger):
    ledger.totals[("vat_pending", "丙")] = Decimal("1200.00")
    out = order(ledger.run, "--customer", "丙", "--no-new-customer", "--invoice", "vat", "--amount", "8000", "--record")
    assert (out["invoice"], out["vat_invoice_amount"], out["vat_pending_total"]) == ("vat", "9200.00", "0.00")
    assert ledger.total("vat_pending", "丙") == 0


def test_rows_of_a_recorded_stream_see_each_other(ledger, tmp_path):
    lines = [{"customer": "丁", "amount": "2000", "new_customer": False, "invoice": "vat"}] * 3
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    recorded = ledger.run(*A, "-", "--input-format", "jsonl", "--format", "json", "--record", input=text).json()
    assert [(o["invoice"], o["vat_pending_total"], o["vat_invoice_amount"]) for o in recorded] == [
        ("vat_pending", "2000.00", None),
        ("vat_pending", "4000.00", None),
        ("vat", "0.00", "6000.00"),
    ]


def test_rows_of_an_unrecorded_stream_do_not(ledger):
    lines = [{"customer": "戊", "amount": "2000", "new_customer": False, "invoice": "vat"}] * 3
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    out = ledger.run(*A, "-", "--input-format", "jsonl", "--format", "json", input=text).json()
    assert [o["vat_pending_total"] for o in out] == ["2000.00"] * 3


# -- new_customer from the ledger ----------------------------------------------------------------
def test_new_customer_taken_from_the_ledger(ledger):
    ledger.customers.add("老客户")
    known = order(ledger.run, "--customer", "老客户", "--amount", "1500", "--city", "佛山")
    assert (known["new_customer"], known["payment_terms"]) == (False, "cash")
    assert known["warnings"] == [
        "new_customer not given: taken from the ledger, which knows 老客户 (existing customer)"
    ]
    unknown = order(ledger.run, "--customer", "新来的", "--amount", "1500", "--city", "佛山")
    assert (unknown["new_customer"], unknown["payment_terms"]) == (True, "prepay")
    assert unknown["warnings"] == [
        "new_customer not given: taken from the ledger, where 新来的 is unknown (new customer)"
    ]
    given = order(ledger.run, "--customer", "新来的", "--amount", "1500", "--city", "佛山", "--no-new-customer")
    assert (given["new_customer"], given["warnings"]) == (False, [])


def test_without_a_ledger_an_unnamed_customer_is_new_with_a_warning(bizops_run):
    r = bizops_run(*A, "--customer", "甲", "--amount", "1500", "--city", "广州", "--format", "json")
    assert r.json()["new_customer"] is True and r.json()["payment_terms"] == "cod"
    assert "unknown (new customer)" in r.json()["warnings"][0]


# -- the example file, --explain ------------------------------------------------------------------
def test_example_orders_file(bizops_run):
    r = bizops_run(*A, str(EXAMPLES / "orders.csv"), "--format", "json")
    assert r.exit_code == 0, r
    out = r.json()
    assert [o["payment_terms"] for o in out] == [
        "cod",
        "cash",
        "prepay",
        "cash",
        "credit",
        "credit",
        "credit",
        "credit",
        "cod",
    ]
    assert [o["approvers"] for o in out][4:8] == [
        [],
        ["sales_manager"],
        ["sales_manager", "general_manager"],
        ["sales_manager", "general_manager"],
    ]
    assert out[2]["deposit"] == "2640.00"
    assert out[3]["invoice"] == "vat_pending"


def test_an_erp_sales_order_list_gives_the_order_total_as_its_tax_inclusive_total(bizops_run, tmp_path):
    """Found attacking approve-order with an ERP's 销售订单列表: its total is 价税合计, which was no name of
    amount: every row refused as having none, though the same word is read in receivables."""
    (tmp_path / "订单.csv").write_text(
        "订单编号,订单日期,客户名称,价税合计,结算方式,发票类型,城市,是否新客户\n"
        'SO-001,2026-11-02,佛山明辉机电,"56,000.00",月结,增值税专用发票,佛山,否\n'
        'SO-002,2026-11-03,东莞瑞丰电子,"3,600.00",现款,增值税普通发票,东莞,是\n',
        encoding="utf-8",
    )
    r = bizops_run(*A, str(tmp_path / "订单.csv"), "--format", "csv")
    assert r.exit_code == 0, r
    rows = r.csv_rows()
    assert [(x["amount"], x["payment_terms"], x["approvers"], x["invoice"]) for x in rows] == [
        ("56000.00", "credit", "sales_manager; general_manager", "vat"),
        ("3600.00", "prepay", "", "ordinary"),
    ]


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("付款方式", "月结", ("needs_approval", "credit", "ordinary")),
        ("收款方式", "月结", ("needs_approval", "credit", "ordinary")),
        ("付款条件", "货到付款", ("approved", "cash", "ordinary")),
        ("开票类型", "专票", ("approved", "cash", "vat")),
        ("票种", "增值税专用发票", ("approved", "cash", "vat")),
    ],
)
def test_settlement_and_invoice_under_the_names_order_books_give_them(bizops_run, tmp_path, header, value, expected):
    """Found attacking approve-order: under 付款方式 a 60,000.00 order on 月结 was decided as cash with no
    sign-off, and under 开票类型 a 专票 as an ordinary invoice; each column ignored under a warning, exit 0."""
    (tmp_path / "o.csv").write_text(
        f"客户,金额,城市,新客户,{header}\n恒通,60000.00,广州,否,{value}\n", encoding="utf-8"
    )
    r = bizops_run(*A, str(tmp_path / "o.csv"), "--format", "csv")
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    [row] = r.csv_rows()
    assert (row["decision"], row["payment_terms"], row["invoice"]) == expected


def test_a_column_holding_a_choice_under_an_unknown_name_refuses_every_row(bizops_run, tmp_path):
    """A header no list can foresee (付款安排) whose cells are settlement's choices: ignored, every order
    would be decided as cash. No row is read until [columns] says what the column is."""
    (tmp_path / "o.csv").write_text(
        "客户,金额,城市,新客户,付款安排,备注\n恒通,60000.00,广州,否,月结,急\n华强,100.00,广州,否,现款,\n",
        encoding="utf-8",
    )
    r = bizops_run(*A, str(tmp_path / "o.csv"), "--format", "csv")
    assert r.exit_code == 65 and r.csv_rows() == [], r
    why = (
        "not read: column '付款安排' holds settlement's choices (月结) but is none of its names: left unread, every "
        "row would take settlement = cash; map it in [columns] of bizops.toml ('付款安排' = \"settlement\") or rename it"
    )
    assert r.stderr.splitlines() == [f"row 2: {why}", f"row 3: {why}"]
    (tmp_path / "bizops.toml").write_text('[columns]\n"付款安排" = "settlement"\n', encoding="utf-8")
    r = bizops_run(*A, str(tmp_path / "o.csv"), "--format", "csv")
    assert r.exit_code == 0, r
    assert [(x["customer"], x["payment_terms"]) for x in r.csv_rows()] == [("恒通", "credit"), ("华强", "cash")]
    assert "'备注' is not a field" in r.stderr


def test_explain_cites_each_rule(bizops_run):
    out = order(
        bizops_run,
        "--customer",
        "甲",
        "--new-customer",
        "--amount",
        "20000",
        "--settlement",
        "credit",
        "--custom",
        "--invoice",
        "vat",
        "--explain",
    )
    assert [t["rule"] for t in out["trace"]] == [
        "cable.approve.new_customer_terms",
        "cable.approve.deposit",
        "cable.approve.credit_limits",
        "cable.approve.vat_invoice",
    ]
    assert out["trace"][2]["clause"] == "000 三、客户结算与服务 3"
    assert "20000.00 ≥ 20000" in out["trace"][2]["effect"]


@pytest.mark.parametrize(
    "flags, message",
    [
        (("--customer", "甲"), "amount is required"),
        (("--amount", "100"), "customer is required"),
        (("--customer", "甲", "--amount", "0"), "amount must be > 0"),
        (("--customer", "甲", "--amount", "100", "--settlement", "monthly"), "settlement must be one of"),
        (("--customer", "甲", "--amount", "100", "--invoice", "special"), "invoice must be one of"),
    ],
)
def test_invalid_orders_exit_65(bizops_run, flags, message):
    r = bizops_run(*A, *flags, "--format", "json")
    assert r.exit_code == 65 and message in r.stderr, r


def test_a_new_or_old_customer_column_says_which_in_its_own_words(bizops_run, tmp_path):
    """Found attacking approve-order: a 新老客户 column of 新客户/老客户 was ignored under a warning, and an
    existing customer decided as a new one (cash on delivery instead of cash). A yes/no field may declare
    its own words (`choice_aliases` of "true" and "false"); other words are still the row's error."""
    (tmp_path / "o.csv").write_text(
        "客户,金额,城市,新老客户\n恒通,6000.00,广州,老客户\n华强,6000.00,广州,新客户\n瑞丰,6000.00,广州,经销商\n",
        encoding="utf-8",
    )
    r = bizops_run(*A, str(tmp_path / "o.csv"), "--format", "csv")
    assert r.exit_code == 65 and "not a field" not in r.stderr, r
    assert [(x["customer"], x["new_customer"], x["payment_terms"]) for x in r.csv_rows()] == [
        ("恒通", "false", "cash"),
        ("华强", "true", "cod"),
    ]
    assert "row 4: new_customer must be true or false" in r.stderr


def test_an_erp_order_list_says_new_or_old_and_custom_or_standard_in_columns_of_its_own(bizops_run, tmp_path):
    """Found attacking approve-order with an ERP's 销售订单列表: its 客户类型 (新客户/老客户) and 产品类别
    (定制品/标准品) were ignored under a warning: every old customer was decided as new (two managers to sign a
    35,000.00 credit order) and a custom order took no custom deposit, exit 0. A column holding a yes/no
    field's own words now refuses the sheet, as one holding a choice does, until [columns] says what it is."""
    book = tmp_path / "销售订单列表.csv"
    book.write_text(
        "订单编号,客户名称,客户类型,所在城市,产品类别,价税合计,结算方式,发票类型\n"
        'SO-001,佛山明辉机电,老客户,佛山,标准品,"35,000.00",月结,增值税专用发票\n'
        'SO-002,东莞瑞丰电子,新客户,东莞,定制品,"128,000.00",款到发货,增值税普通发票\n',
        encoding="utf-8",
    )
    r = bizops_run("--company", "cable", "approve-order", str(book), "--format", "csv")
    assert r.exit_code == 65 and r.csv_rows() == [], r
    assert r.stderr.startswith(
        "row 2: not read: column '客户类型' holds new_customer's choices (老客户) but is none of its names: left "
        "unread, every row would have no new_customer; map it in [columns] of bizops.toml"
    )
    (tmp_path / "bizops.toml").write_text('[columns]\n"客户类型" = "new_customer"\n', encoding="utf-8")
    r = bizops_run("--company", "cable", "approve-order", str(book), "--format", "csv")
    assert r.exit_code == 65 and "column '产品类别' holds custom's choices (标准品)" in r.stderr, r
    (tmp_path / "bizops.toml").write_text(
        '[columns]\n"客户类型" = "new_customer"\n"产品类别" = "custom"\n', encoding="utf-8"
    )
    r = bizops_run("--company", "cable", "approve-order", str(book), "--format", "csv")
    assert r.exit_code == 0, r
    got = [(x["customer"], x["new_customer"], x["decision"], x["approvers"], x["deposit"]) for x in r.csv_rows()]
    assert got == [
        ("佛山明辉机电", "false", "needs_approval", "sales_manager", "0.00"),
        ("东莞瑞丰电子", "true", "approved", "", "38400.00"),
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_column_holding_a_choice_is_found_at_its_first_value_not_only_in_the_first_row(
    bizops_run, tmp_path, monkeypatch, jobs
):
    """Found breaking the refusal: a 产品类别 column empty in the first row was only said to be ignored, and
    a custom order further down decided as standard (no deposit), exit 0. Each row with a value in it is
    refused; a row leaving it empty gives custom as a row without the column does. The same rows either way,
    in one process or cut into pieces across several."""
    monkeypatch.setenv("BIZOPS_JOBS_PIECE_BYTES", "120")
    lines = ["客户,订单金额,结算方式,新客户,城市,产品类别"]
    lines += [f"客户{i},9000,credit,否,广州,{'定制品' if i in (3, 7) else ''}" for i in range(10)]
    book = tmp_path / "orders.csv"
    book.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "approve-order", str(book), "--format", "csv", "--jobs", jobs)
    assert r.exit_code == 65, r
    assert [x["customer"] for x in r.csv_rows()] == [f"客户{i}" for i in range(10) if i not in (3, 7)]
    refused = [line.split(":")[0] for line in r.stderr.splitlines() if line.startswith("row")]
    assert refused == ["row 5", "row 9"]
    assert "row 5: not read: column '产品类别' holds custom's choices (定制品)" in r.stderr


@pytest.mark.parametrize(
    ("written", "invoice"),
    [
        ("数电票（增值税专用发票）", "vat"),
        ("数电票(增值税专用发票)", "vat"),
        ("全电发票（增值税专用发票）", "vat"),
        ("电子专票", "vat"),
        ("增值税电子普通发票", "ordinary"),
        ("数电票（普通发票）", "ordinary"),
        ("电子普票", "ordinary"),
    ],
)
def test_the_invoices_of_the_digital_era_are_read(bizops_run, tmp_path, written, invoice):
    """Found attacking approve-order with a 2025 order book: the fully digital invoice (数电票, 全电发票) and the
    e-invoice, as tax software names them (full-width brackets or not), were each refused."""
    book = tmp_path / "orders.csv"
    book.write_text(f"客户,订单金额,结算方式,新客户,城市,发票类型\n甲,9000,现款,否,广州,{written}\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "approve-order", str(book), "--format", "csv")
    assert r.exit_code == 0, r
    assert [x["invoice"] for x in r.csv_rows()] == [invoice]
