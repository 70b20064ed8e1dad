"""`bizops quote` for the cable maker, through the command, at every boundary of spec/cable.md."""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from cable_support import EXAMPLES, REPO, half_up

Q = ("--company", "cable", "quote")
NOW = ("--now", "2026-11-23T09:00")


def quote(bizops_run, *flags, fmt="json"):
    return bizops_run(*Q, *NOW, *flags, "--format", fmt)


def one(bizops_run, *flags):
    r = quote(bizops_run, *flags)
    assert r.exit_code in (0, 1), r
    return r.json()


# -- the spec's example ---------------------------------------------------------------------
def test_spec_example_every_field(bizops_run):
    out = one(
        bizops_run,
        "--guide-price",
        "100.00",
        "--qty",
        "10",
        "--no-vat-invoice",
        "--discount-pct",
        "2",
        "--fee-pct",
        "5",
    )
    assert out == {
        "company": "cable",
        "sku": None,
        "qty": "10",
        "guide_price": "100.00",
        "no_vat_discount_pct": "6",
        "discount_pct": "2",
        "fee_pct": "5",
        "floor_unit_price": "90.00",
        "unit_price": "96.84",
        "total": "968.40",
        "commission_cut_pct": "0.2",
        "status": "ok",
        "reason": None,
        "max_discount_pct": "4",
        "quote_due": None,
        "lead_time": "3-4 days",
        "warnings": [],
    }


def test_spec_example_as_tables(bizops_run):
    args = ("--guide-price", "100.00", "--qty", "10", "--no-vat-invoice", "--discount-pct", "2", "--fee-pct", "5")
    en = quote(bizops_run, *args, fmt="table")
    assert en.exit_code == 0, en
    assert "unit price" in en.stdout and "96.84" in en.stdout and "968.40" in en.stdout
    assert "\x1b[" not in en.stdout
    zh = bizops_run(*Q, *NOW, *args, "--format", "table", "--lang", "zh")
    assert "单价" in zh.stdout and "提成降低%" in zh.stdout and "通过" in zh.stdout and "3~4 天" in zh.stdout
    md = quote(bizops_run, *args, fmt="markdown")
    assert "| 96.84" in md.stdout or "96.84 |" in md.stdout


def test_readme_first_command_on_the_example_file(bizops_run):
    r = bizops_run("--company", "cable", "quote", str(EXAMPLES / "quotes.csv"), "--format", "table", "--explain")
    assert r.exit_code == 1, r  # the third line asks 12 % off: refused
    assert "968.40" in r.stdout
    assert "cable.price.floor (000 三、市场价格 3)" in r.stdout
    assert "the largest special discount allowed is 10 %" in r.stdout


# -- cable.price.no_vat / .special ------------------------------------------------------------
@pytest.mark.parametrize(
    "flags, no_vat, unit",
    [
        (("--no-vat-invoice",), "6", "94.00"),
        (("--no-vat-invoice", "--no-vat-discount-pct", "3"), "3", "97.00"),
        (("--no-vat-invoice", "--no-vat-discount-pct", "6%"), "6%", "94.00"),
        (("--vat-invoice",), "0", "100.00"),
        ((), "0", "100.00"),
    ],
)
def test_no_vat_discount(bizops_run, flags, no_vat, unit):
    out = one(bizops_run, "--guide-price", "100", *flags)
    assert out["no_vat_discount_pct"] in (no_vat, no_vat.rstrip("%"))
    assert out["unit_price"] == unit
    assert out["commission_cut_pct"] == "0"  # the no-VAT discount does not cut commission


@pytest.mark.parametrize(
    "flags, message",
    [
        (("--no-vat-invoice", "--no-vat-discount-pct", "6.01"), "no_vat_discount_pct must be ≤ 6, got 6.01"),
        (("--vat-invoice", "--no-vat-discount-pct", "1"), "must be 0 when vat_invoice is true"),
    ],
)
def test_no_vat_discount_out_of_bounds_is_invalid(bizops_run, flags, message):
    r = quote(bizops_run, "--guide-price", "100", *flags)
    assert r.exit_code == 65, r
    assert message in r.stderr and "row 1" in r.stderr
    assert "unit_price" not in r.stdout


@pytest.mark.parametrize("discount, cut", [("0", "0"), ("1", "0.1"), ("2.5", "0.25"), ("10", "1")])
def test_commission_cut_is_a_tenth_of_the_special_discount(bizops_run, discount, cut):
    out = one(bizops_run, "--guide-price", "100", "--discount-pct", discount)
    assert out["commission_cut_pct"] == cut


# -- cable.price.floor ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "vat_flag, discount, status, unit, max_discount",
    [
        ("--no-vat-invoice", "4", "ok", "90.00", "4"),  # 6 + 4 = 10 %: exactly on the floor
        ("--no-vat-invoice", "4.01", "refused", None, "4"),
        ("--vat-invoice", "10", "ok", "90.00", "10"),
        ("--vat-invoice", "10.01", "refused", None, "10"),
    ],
)
def test_floor_at_its_boundary(bizops_run, vat_flag, discount, status, unit, max_discount):
    r = quote(bizops_run, "--guide-price", "100.00", vat_flag, "--discount-pct", discount)
    out = r.json()
    assert (out["status"], out["unit_price"], out["max_discount_pct"]) == (status, unit, max_discount)
    assert out["floor_unit_price"] == "90.00"
    if status == "refused":
        assert r.exit_code == 1
        assert out["total"] is None
        assert out["reason"] == (
            f"below the floor of 90 % of the guide price (90.00); "
            f"the largest special discount allowed is {max_discount} %"
        )
    else:
        assert r.exit_code == 0 and out["reason"] is None


def test_floor_is_compared_exactly_not_after_rounding(bizops_run):
    # floor 90.0045 shows as 90.00; a base of 90.004 rounds to 90.00 but is below it.
    out = one(bizops_run, "--guide-price", "100.005", "--discount-pct", "10.0009")
    assert out["floor_unit_price"] == "90.00"
    assert out["status"] == "refused"


def test_floor_applies_before_the_fee_gross_up(bizops_run):
    out = one(bizops_run, "--guide-price", "100", "--no-vat-invoice", "--discount-pct", "4", "--fee-pct", "10")
    assert (out["status"], out["unit_price"]) == ("ok", "100.00")


def test_refused_row_in_chinese_table(bizops_run):
    r = bizops_run(*Q, *NOW, "--guide-price", "100", "--discount-pct", "12", "--format", "table", "--lang", "zh")
    assert r.exit_code == 1
    assert "拒绝" in r.stdout and "最多可特价下浮 10%" in r.stdout


# -- rounding: half-up to the fen ----------------------------------------------------------------
@pytest.mark.parametrize(
    "flags, field, expected",
    [
        (("--guide-price", "8.004", "--fee-pct", "20"), "unit_price", "10.01"),  # 8.004 / 0.8 = 10.005
        (("--guide-price", "100.025"), "unit_price", "100.03"),  # not banker's 100.02
        (("--guide-price", "100.005"), "floor_unit_price", "90.00"),  # 90.0045
        (("--guide-price", "0.05"), "floor_unit_price", "0.05"),  # 0.045
        (("--guide-price", "10.05", "--qty", "0.5"), "total", "5.03"),  # 5.025
        (("--guide-price", "10.05", "--qty", "0.3"), "total", "3.02"),  # 3.015
        (("--guide-price", "100", "--fee-pct", "3"), "unit_price", "103.09"),  # 103.0927…
    ],
)
def test_half_up_at_half_a_fen(bizops_run, flags, field, expected):
    assert one(bizops_run, *flags)[field] == expected


# -- cable.price.list / .quote_due / .lead_time with a price list ---------------------------------
def config(tmp_path: Path, **values) -> None:
    lines = ["[company.cable]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    (tmp_path / "bizops.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(params=["prices.csv", "prices.toml"])
def price_list(request, tmp_path):
    config(tmp_path, price_list=str(EXAMPLES / request.param))
    return request.param


@pytest.mark.parametrize(
    "flags, guide, due, lead",
    [
        (("--sku", "BV-2.5"), "138.00", None, "3-4 days"),  # standard, listed
        (("--sku", "RVV-3x1.5"), "6.2850", None, "3-4 days"),  # four-decimal list price
        (("--sku", "ZR-BVR-6"), "4.1250", "2026-11-24T10:30", "3-4 days"),  # non-standard
        (("--sku", "WH-CAR-12P"), "38.60", "2026-11-24T10:30", "3-4 days"),  # harness
        (("--sku", "KVV-10x1.5", "--guide-price", "12.80"), "12.80", "2026-11-24T10:30", "3-4 days"),  # unlisted
        (("--sku", "BV-4", "--custom", "--guide-price", "236"), "236.00", "2026-11-24T10:30", "per production"),
    ],
)
def test_price_list_rows(bizops_run, price_list, flags, guide, due, lead):
    out = one(bizops_run, *flags, "--requested-at", "2026-11-23T10:30")
    assert (out["guide_price"], out["quote_due"], out["lead_time"]) == (guide, due, lead)
    assert out["warnings"] == []


def test_quote_due_defaults_to_now(bizops_run, price_list):
    out = one(bizops_run, "--sku", "WH-CAR-12P")
    assert out["quote_due"] == "2026-11-24T09:00"


def test_list_price_wins_over_a_different_given_price(bizops_run, price_list):
    out = one(bizops_run, "--sku", "BV-2.5", "--guide-price", "140")
    assert out["guide_price"] == "138.00" and out["unit_price"] == "138.00"
    assert out["warnings"] == ["the price list's guide price 138.00 is used, not the 140 given"]
    same = one(bizops_run, "--sku", "BV-2.5", "--guide-price", "138")
    assert same["warnings"] == []


@pytest.mark.parametrize(
    "flags, message",
    [
        (("--sku", "KVV-10x1.5"), "'KVV-10x1.5' is not on the price list: give the finance department's guide_price"),
        (("--sku", "BV-2.5", "--custom"), "a custom product needs the finance department's guide_price"),
    ],
)
def test_finance_price_required(bizops_run, price_list, flags, message):
    r = quote(bizops_run, *flags)
    assert r.exit_code == 65 and message in r.stderr, r


def test_without_a_price_list_the_guide_price_is_required(bizops_run):
    r = quote(bizops_run, "--sku", "BV-2.5")
    assert r.exit_code == 65 and "finance department" in r.stderr
    assert one(bizops_run, "--sku", "BV-2.5", "--guide-price", "100")["quote_due"] is None
    assert (
        one(bizops_run, "--guide-price", "100", "--custom", "--requested-at", "2026-11-30T23:30")["quote_due"]
        == "2026-12-01T23:30"
    )


def test_csv_and_toml_lists_quote_the_same(bizops_run, tmp_path):
    outputs = []
    for name in ("prices.csv", "prices.toml"):
        config(tmp_path, price_list=str(EXAMPLES / name))
        r = bizops_run(*Q, str(EXAMPLES / "quotes-list.csv"), "--format", "json")
        assert r.exit_code == 1, r  # YJV-3x95 at 12 % is refused
        outputs.append(r.json())
    assert outputs[0] == outputs[1]
    assert [o["status"] for o in outputs[0]].count("refused") == 1
    assert len(outputs[0]) == 7


def test_price_list_path_is_relative_to_the_config(bizops_run):
    r = bizops_run("--config", str(EXAMPLES / "bizops.toml"), "quote", "--sku", "BV-1.5", "--format", "json")
    assert r.exit_code == 0, r
    assert r.json()["guide_price"] == "86.50"


@pytest.mark.parametrize(
    "content, message",
    [
        ("sku,guide_price\nBV-1,abc\n", "price list"),
        ("sku,guide_price\nBV-1,1.23456\n", "(row 2): guide_price has more than 4 decimals"),
        ("产品,售价\nBV-1,1\n", "the header row names no field"),
        ("sku,guide_price\n", "no products in it"),
        ("sku,guide_price,harness\nBV-1,1,maybe\n", "price list"),
        ("sku,guide_price\nBV-1,1\nBV-1,2\n", "listed twice"),
    ],
)
def test_bad_price_list_is_a_config_error(bizops_run, tmp_path, content, message):
    (tmp_path / "list.csv").write_text(content, encoding="utf-8")
    config(tmp_path, price_list="list.csv")
    r = quote(bizops_run, "--sku", "BV-1")
    assert r.exit_code == 78 and message in r.stderr, r


def test_missing_price_list_is_a_config_error(bizops_run, tmp_path):
    config(tmp_path, price_list="nowhere.csv")
    r = quote(bizops_run, "--guide-price", "1")
    assert r.exit_code == 78 and "nowhere.csv" in r.stderr


def test_gbk_price_list_from_chinese_excel(bizops_run, tmp_path):
    (tmp_path / "list.csv").write_bytes(
        "sku,guide_price,standard,harness,unit,name\r\nBV-1,10.50,是,否,卷,电线\r\n".encode("gb18030")
    )
    config(tmp_path, price_list="list.csv")
    assert one(bizops_run, "--sku", "BV-1")["guide_price"] == "10.50"


# -- policy values change decisions -------------------------------------------------------------
def test_floor_pct_from_config_changes_the_decision(bizops_run, tmp_path):
    assert one(bizops_run, "--guide-price", "100", "--discount-pct", "12")["status"] == "refused"
    config(tmp_path, floor_pct=85)
    out = one(bizops_run, "--guide-price", "100", "--discount-pct", "12")
    assert (out["status"], out["unit_price"], out["max_discount_pct"], out["floor_unit_price"]) == (
        "ok",
        "88.00",
        "15",
        "85.00",
    )


def test_other_quote_settings_from_config(bizops_run, tmp_path):
    config(tmp_path, max_no_vat_discount_pct=4, commission_cut_per_pct="0.2", quote_due_hours=48)
    out = one(bizops_run, "--guide-price", "100", "--no-vat-invoice", "--discount-pct", "1", "--custom")
    assert (out["no_vat_discount_pct"], out["unit_price"], out["commission_cut_pct"]) == ("4", "95.00", "0.2")
    assert out["quote_due"] == "2026-11-25T09:00"


def test_out_of_range_policy_is_exit_78(bizops_run, tmp_path):
    config(tmp_path, floor_pct=120)
    r = quote(bizops_run, "--guide-price", "100")
    assert r.exit_code == 78 and "floor_pct" in r.stderr


# -- --explain ------------------------------------------------------------------------------------
def test_explain_names_every_rule_that_decided(bizops_run, price_list):
    out = one(
        bizops_run, "--explain", "--sku", "WH-CAR-12P", "--no-vat-invoice", "--discount-pct", "2", "--fee-pct", "5"
    )
    rules = [t["rule"] for t in out["trace"]]
    assert rules == [
        "cable.price.list",
        "cable.price.no_vat",
        "cable.price.special",
        "cable.price.floor",
        "cable.price.fee",
        "cable.price.quote_due",
        "cable.price.lead_time",
    ]
    assert all(t["clause"].startswith("000 ") and t["effect"] for t in out["trace"])
    assert "trace" not in one(bizops_run, "--guide-price", "1")


# -- a generated stream against an independent computation --------------------------------------
def generated(n: int) -> str:
    script = Path("/work/shared/bench/gen_orders.py")
    if not script.exists():
        script = REPO / "bench" / "gen_orders.py"
    if script.exists():
        return subprocess.run([sys.executable, str(script), str(n)], check=True, capture_output=True, text=True).stdout
    rng = random.Random(1)  # the generator's shape, for a checkout without it
    return "".join(
        json.dumps(
            {
                "sku": f"BV-{i}",
                "qty": rng.randint(1, 500),
                "guide_price": f"{rng.uniform(50, 3000):.2f}",
                "vat_invoice": rng.random() < 0.7,
                "discount_pct": rng.choice([0, 0, 1, 2, 3, 5, 8, 12]),
                "fee_pct": rng.choice([0, 0, 3, 5]),
            }
        )
        + "\n"
        for i in range(n)
    )


def expected_quote(request: dict) -> dict:
    """The spec's arithmetic in fractions, from the request's text."""
    guide = Fraction(request["guide_price"])
    qty = Fraction(str(request["qty"]))
    no_vat = Fraction(0) if request["vat_invoice"] else Fraction(6)
    discount, fee = Fraction(str(request["discount_pct"])), Fraction(str(request["fee_pct"]))
    base = guide * (100 - no_vat - discount) / 100
    floor = guide * Fraction(90, 100)
    out = {
        "floor_unit_price": half_up(floor),
        "commission_cut_pct": discount / 10,
        "max_discount_pct": 10 - no_vat,
        "no_vat_discount_pct": no_vat,
    }
    if base < floor:
        out.update(status="refused", unit_price=None, total=None)
    else:
        unit = half_up(base / (1 - fee / 100))
        out.update(status="ok", unit_price=unit, total=half_up(Fraction(unit) * qty))
    return out


def test_thousand_generated_requests_match_exact_fractions(bizops_run):
    text = generated(1000)
    requests = [json.loads(line) for line in text.splitlines()]
    r = bizops_run(*Q, "-", "--input-format", "jsonl", "--format", "json", input=text)
    assert r.exit_code == 1, r.stderr  # some rows ask for more than the floor allows
    results = r.json()
    assert len(results) == len(requests) == 1000
    refused = 0
    for request, result in zip(requests, results, strict=True):
        want = expected_quote(request)
        assert result["sku"] == request["sku"]
        assert result["guide_price"] == half_up(Fraction(request["guide_price"]))
        for key in ("status", "unit_price", "total", "floor_unit_price"):
            assert result[key] == want[key], (request, result)
        for key in ("commission_cut_pct", "max_discount_pct", "no_vat_discount_pct"):
            assert Fraction(result[key]) == want[key], (request, result)
        refused += result["status"] == "refused"
    assert 0 < refused < 1000


def test_generated_stream_as_csv_and_jsonl_agree(bizops_run):
    text = generated(200)
    jsonl = bizops_run(*Q, "-", "--input-format", "jsonl", "--format", "jsonl", input=text).rows()
    csv_out = bizops_run(*Q, "-", "--input-format", "jsonl", "--format", "csv", input=text).stdout.splitlines()
    header = csv_out[0].split(",")
    for line, row in zip(csv_out[1:], jsonl, strict=True):
        cells = dict(zip(header, line.split(","), strict=False))
        assert cells["unit_price"] == (row["unit_price"] or "")
        assert cells["total"] == (row["total"] or "")


def test_a_price_list_kept_in_excel_as_finance_heads_it(bizops_run, tmp_path):
    """Found attacking quotes: finance's price list is a workbook with a title, Chinese headers (型号规格,
    指导价（元）, 是否国标 …), prices as numbers and a SKU typed with full-width letters. A CSV with such
    headers was read as an empty list: every quote said 'not on the price list', and a workbook could
    not be read at all."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["产品指导价表（2026年11月起执行）"])
    sheet.merge_cells("A1:E1")
    sheet.append(["型号规格", "指导价（元）", "是否国标", "单位", "品名"])
    sheet.append(["BV-1.5", 86.5, "是", "卷(100米)", "BV 1.5mm² 铜芯线"])
    sheet.append(["ＢＶ－２.５", 138, "是", "卷(100米)", "BV 2.5mm²"])
    sheet.append(["RVV-3x1.5", 6.285, "否", "米", "护套线"])
    book.save(tmp_path / "指导价.xlsx")
    config(tmp_path, price_list="指导价.xlsx")
    orders = "sku,qty\nBV-1.5,10\nBV-2.5,5\nRVV-3x1.5,100\n"
    r = bizops_run(*Q, *NOW, "-", "--format", "csv", input=orders)
    assert r.exit_code == 0, r
    rows = r.csv_rows()
    assert [(x["sku"], x["guide_price"], x["total"]) for x in rows] == [
        ("BV-1.5", "86.50", "865.00"),
        ("BV-2.5", "138.00", "690.00"),
        ("RVV-3x1.5", "6.285", "629.00"),  # 6.29 a metre
    ]
    # 是否国标 否: a non-standard product, quoted within the longer time (cable.price.quote_due)
    assert rows[0]["quote_due"] != rows[2]["quote_due"], rows


def test_a_price_list_column_it_does_not_read_is_named(bizops_run, tmp_path):
    """是否标准品 is not 是否国标: the column was dropped without a word, every product taken as standard."""
    (tmp_path / "list.csv").write_text("型号,指导价,是否标准品\nBV-1,10,否\n", encoding="utf-8")
    config(tmp_path, price_list="list.csv")
    r = quote(bizops_run, "--sku", "BV-1")
    assert r.exit_code == 0 and "warning: price list list.csv: columns not read: 是否标准品" in r.stderr, r


# -- the quantity's unit against the price list's ------------------------------------------------
def quoted_csv(bizops_run, tmp_path, rows: str, *flags, encoding="utf-8"):
    """The run quoting `rows` (a CSV order book) as CSV, and its output rows as a CSV reader reads them."""
    (tmp_path / "q.csv").write_text(rows, encoding=encoding)
    r = bizops_run(*Q, *NOW, "q.csv", "--format", "csv", *flags)
    return r, r.csv_rows()


def test_a_quantity_headed_in_metres_is_never_quoted_as_rolls(bizops_run, tmp_path, price_list):
    """Found attacking quotes: under `数量（米）`, 200 m of BV-2.5 (sold by the 100 m roll) was quoted as
    200 rolls, 27,600.00 instead of 276.00, without a word. The header's unit is now checked against the
    price list's: the roll row is refused, the wire sold by the metre is quoted."""
    r, rows = quoted_csv(bizops_run, tmp_path, "产品编码,数量（米）\nBV-2.5,200\nRVV-3x1.5,200\n")
    assert r.exit_code == 65, r
    assert [(x["sku"], x["qty"], x["total"]) for x in rows] == [("RVV-3x1.5", "200", "1258.00")]
    assert (
        "row 2: the quantity is counted in 米, but BV-2.5 is priced per roll (100 m) on the price list: "
        "give the quantity in roll (100 m)"
    ) in r.stderr


def test_a_unit_column_beside_the_quantity_is_checked_row_by_row(bizops_run, tmp_path, price_list):
    """`品名,数量,单位` is how a sales order is laid out: 卷 and 盘 are the list's roll, m is 米; 捆 is not known
    to be a roll, so it is not guessed; a row with no unit is quoted as before."""
    rows = "产品编码,数量,单位\nBV-2.5,2,卷\nBV-2.5,3,盘\nRVV-3x1.5,150,M\nBV-4,3,捆\nBV-4,1,\nBV-2.5,200,米\n"
    r, quoted = quoted_csv(bizops_run, tmp_path, rows, "--lang", "zh", encoding="gb18030")
    assert r.exit_code == 65, r
    assert [(x["sku"], x["qty"], x["total"]) for x in quoted] == [
        ("BV-2.5", "2", "276.00"),
        ("BV-2.5", "3", "414.00"),
        ("RVV-3x1.5", "150", "943.50"),
        ("BV-4", "1", "215.80"),
    ]
    errors = [line for line in r.stderr.splitlines() if not line.startswith("警告")]  # GB18030, as WPS saves
    assert [e.split("：")[0] for e in errors] == ["第 5 行", "第 7 行"], r.stderr
    assert "数量的单位是捆，而价格表上 BV-4 按roll (100 m)计价" in errors[0]


def test_an_excel_order_book_with_a_unit_in_its_header(bizops_run, tmp_path, price_list):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年12月 报价单"])
    sheet.append(["产品编号", "数量(卷)"])
    sheet.append(["BV-4", 2])
    sheet.append(["RVV-3x1.5", 100])
    book.save(tmp_path / "报价单.xlsx")
    r = bizops_run(*Q, *NOW, "报价单.xlsx", "-o", "out.xlsx")
    assert r.exit_code == 65 and "row 4: the quantity is counted in 卷, but RVV-3x1.5 is priced per m" in r.stderr, r
    written = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    header, *values = [list(row) for row in written.iter_rows(values_only=True)]
    assert [f"{dict(zip(header, v))['total']:.2f}" for v in values] == ["431.60"]  # a number cell, as Excel keeps it


def test_without_a_price_list_the_unit_is_not_checked(bizops_run, tmp_path):
    (tmp_path / "q.csv").write_text("sku,数量（米）,指导价\nBV-2.5,200,1.38\n", encoding="utf-8")
    r = bizops_run(*Q, *NOW, "q.csv")
    assert r.exit_code == 0 and r.rows()[0]["total"] == "276.00", r


def test_a_header_mapped_in_the_config_keeps_its_unit(bizops_run, tmp_path):
    """`[columns]` naming `数量（米）` as qty says which field it is, not that metres are rolls."""
    config(tmp_path, price_list=str(EXAMPLES / "prices.csv"))
    with open(tmp_path / "bizops.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[columns]\n"数量（米）" = "qty"\n')
    (tmp_path / "q.csv").write_text("sku,数量（米）\nBV-2.5,200\n", encoding="utf-8")
    r = bizops_run(*Q, *NOW, "q.csv")
    assert r.exit_code == 65 and "the quantity is counted in 米, but BV-2.5 is priced per roll" in r.stderr, r


def test_a_quantity_written_with_its_unit_is_read_and_checked(bizops_run, tmp_path, price_list):
    """`2卷` and `200米` typed in the 数量 cell were refused as not numbers; now the unit is the row's, checked
    against the price list's like a 单位 column (which, when the row fills it, says the unit)."""
    rows = 'sku,数量,单位\nBV-2.5,2卷,\nBV-2.5,200米,\nRVV-3x1.5,"1,000 m",\nBV-4,3,卷\nBV-4,3箱,\nBV-4,abc,\nBV-4,200米,卷\n'
    r, quoted = quoted_csv(bizops_run, tmp_path, rows)
    assert r.exit_code == 65, r
    assert [(x["sku"], x["qty"], x["total"]) for x in quoted] == [
        ("BV-2.5", "2", "276.00"),
        ("RVV-3x1.5", "1000", "6290.00"),
        ("BV-4", "3", "647.40"),
    ]
    assert [line.split(":")[0] for line in r.stderr.splitlines()] == ["row 3", "row 6", "row 7", "row 8"], r.stderr
    assert 'row 7: qty must be a number, got "abc"' in r.stderr
    assert "row 8: qty '200米' is in 米, but qty_unit says 卷" in r.stderr  # 200 rolls or 2: not guessed


def test_a_cell_unit_the_header_contradicts_is_the_rows_error(bizops_run, tmp_path, price_list):
    r, quoted = quoted_csv(bizops_run, tmp_path, "sku,数量（米）\nRVV-3x1.5,150米\nBV-2.5,2卷\n")
    assert [(x["sku"], x["qty"]) for x in quoted] == [("RVV-3x1.5", "150")]
    assert r.exit_code == 65 and "row 3: qty '2卷' is in 卷, but qty_unit says 米" in r.stderr, r


def test_money_in_larger_units_mapped_in_the_config_is_read_as_the_user_says(bizops_run, tmp_path):
    """`[columns]` naming a header, note and all, is the user's word: the column is read as written."""
    (tmp_path / "bizops.toml").write_text('[columns]\n"指导价（不含税）" = "guide_price"\n', encoding="utf-8")
    r, quoted = quoted_csv(bizops_run, tmp_path, "sku,数量,指导价（不含税）\nBV-2.5,2,100\n")
    assert r.exit_code == 0 and [x["total"] for x in quoted] == ["200.00"], r


def test_units_read_in_pieces_as_in_one_process(bizops_run, tmp_path, price_list, monkeypatch):
    """`--jobs`: each piece reads the header's unit and the cells' as one process does (small pieces)."""
    monkeypatch.setenv("BIZOPS_JOBS_PIECE_BYTES", "4096")
    rows = "sku,数量（米）\n" + "".join(f"{sku},{n}\n" for n in range(1, 1500) for sku in ("RVV-3x1.5", "BV-2.5"))
    (tmp_path / "q.csv").write_text(rows, encoding="utf-8")
    one = bizops_run(*Q, *NOW, "q.csv", "--format", "csv", "--jobs", "1")
    many = bizops_run(*Q, *NOW, "q.csv", "--format", "csv", "--jobs", "2")
    assert (one.exit_code, many.exit_code) == (65, 65)
    assert one.stdout == many.stdout and one.stderr == many.stderr
    assert len(one.stdout.splitlines()) == 1 + 1499  # every metre of RVV quoted, every roll of BV refused
    assert one.stderr.count("is priced per roll (100 m)") == 1499


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        # a quote sheet's own words for the VAT invoice (each was ignored: every quote priced as if with one)
        ("是否开专票", "否", ("6", "94.00")),
        ("专票", "否", ("6", "94.00")),
        ("专票", "是", ("0", "100.00")),
        # … and for the fees (ignored: every quote priced as if there were none)
        ("公关费比例", "5", ("0", "105.26")),
    ],
)
def test_a_quote_sheet_names_the_invoice_and_the_fees_its_own_way(bizops_run, tmp_path, header, value, expected):
    (tmp_path / "q.csv").write_text(f"型号,数量,指导价,{header}\nBV-2.5,10,100.00,{value}\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "quote", "q.csv", "--format", "csv")
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    [row] = r.csv_rows()
    assert (row["no_vat_discount_pct"], row["unit_price"]) == expected


def test_a_bare_discount_column_is_refused_until_the_office_says_which(bizops_run, tmp_path):
    """A bare 折扣 or 下浮 could be the special-price discount (which cuts commission) or the no-VAT one
    (which does not): it was ignored under a warning and the quote priced with no discount at all. Both
    fields declare it, so it names neither and the sheet is refused; [columns] says which it is."""
    (tmp_path / "q.csv").write_text("型号,数量,指导价,折扣\nBV-2.5,10,100.00,2\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "quote", "q.csv", "--format", "csv")
    assert r.exit_code == 65 and r.csv_rows() == [], r
    assert r.stderr.splitlines()[0] == (
        "row 1: the header row gives column '折扣', which could be discount_pct or no_vat_discount_pct: left "
        "unread, neither would count as given; say which in [columns] of bizops.toml ('折扣' = \"…\") or rename it"
    )
    (tmp_path / "bizops.toml").write_text('[columns]\n"折扣" = "discount_pct"\n', encoding="utf-8")
    r = bizops_run("--company", "cable", "quote", "q.csv", "--format", "csv")
    assert r.exit_code == 0, r
    assert [(x["discount_pct"], x["unit_price"], x["commission_cut_pct"]) for x in r.csv_rows()] == [
        ("2", "98.00", "0.2")
    ]


def test_a_quotation_sheet_names_its_products_by_their_model(bizops_run, tmp_path, price_list):
    """Found attacking quotes with a 报价单 as offices lay it out (序号, 产品名称, 规格型号, 单位, 数量, 单价,
    金额): 规格型号 holds the model the price list is keyed by, and was ignored: every row refused as ''
    not being on the price list."""
    rows = "序号,产品名称,规格型号,单位,数量,单价,金额\n1,布电线,BV-2.5,卷,2,130.00,260.00\n"
    r, quoted = quoted_csv(bizops_run, tmp_path, rows)
    assert r.exit_code == 0, r
    assert [(x["sku"], x["qty"], x["guide_price"], x["total"]) for x in quoted] == [("BV-2.5", "2", "138.00", "276.00")]
