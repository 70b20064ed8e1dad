"""One emitter for every format: the same two results written as each format reads back the same."""

import csv
import io
import json

import pytest

QUOTES = "sku,qty,guide_price,vat_invoice,discount_pct,fee_pct\nBV-2.5,10,100.00,no,2,5\n=cmd,1,50.005,yes,12,0\n"


def run_quotes(bizops_run, fmt, *extra):
    return bizops_run(
        "--company", "cable", "quote", "-", "--input-format", "csv", "--format", fmt, *extra, input=QUOTES
    )


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv", "table", "markdown"])
def test_every_format_carries_the_same_decisions(bizops_run, fmt):
    r = run_quotes(bizops_run, fmt)
    assert r.exit_code == 1, r  # the second row is refused (12 % is below the floor)
    if fmt == "jsonl":
        rows = r.rows()
    elif fmt == "json":
        rows = r.json()
    elif fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(r.stdout), delimiter="," if fmt == "csv" else "\t"))
    else:
        text = r.stdout
        assert "96.84" in text and "968.40" in text and "refused" in text
        assert "\x1b[" not in text  # no colour codes off a terminal
        if fmt == "markdown":
            assert text.splitlines()[3].startswith("|---|")  # after the title (the company) and a blank line
        return
    assert [row["unit_price"] or None for row in rows] == ["96.84", None]
    assert [row["total"] or None for row in rows] == ["968.40", None]
    assert [row["status"] for row in rows] == ["ok", "refused"]
    assert rows[1]["guide_price"] == "50.005"  # a price keeps its four decimals
    assert rows[1]["floor_unit_price"] == "45.00"  # 45.0045 half-up to the fen


def test_json_is_one_object_for_one_request_from_flags(bizops_run):
    r = bizops_run("--company", "cable", "quote", "--guide-price", "100", "--format", "json")
    assert isinstance(r.json(), dict) and r.json()["unit_price"] == "100.00"


def test_json_is_an_array_for_a_stream_even_of_one(bizops_run):
    r = bizops_run("--company", "cable", "quote", "-", "--format", "json", input='{"guide_price": "100"}\n')
    assert isinstance(r.json(), list) and len(r.json()) == 1


def test_csv_is_safe_to_open_in_excel(bizops_run):
    rows = list(csv.reader(io.StringIO(run_quotes(bizops_run, "csv").stdout)))
    assert rows[0][:3] == ["company", "sku", "qty"]  # keys stay English
    assert rows[2][1] == "'=cmd"  # a cell that would start a formula is quoted for Excel


def test_table_labels_follow_lang(bizops_run):
    zh = run_quotes(bizops_run, "table", "--lang", "zh").stdout
    en = run_quotes(bizops_run, "table", "--lang", "en").stdout
    assert zh.splitlines()[0] == "公司：cable"  # one value for every row: the title
    assert zh.split()[1:4] == ["产品", "数量", "单价"]  # the quote's essential columns
    assert "拒绝" in zh and "refused" not in zh
    assert en.splitlines()[0] == "company: cable" and en.split()[2:4] == ["sku", "qty"]


def test_explain_adds_the_trace_in_json_and_under_the_table(bizops_run):
    r = run_quotes(bizops_run, "jsonl", "--explain")
    rules = [step["rule"] for step in r.rows()[0]["trace"]]
    assert "cable.price.floor" in rules and "cable.price.fee" in rules
    assert all(step["clause"].startswith("000 ") for step in r.rows()[0]["trace"])
    table = run_quotes(bizops_run, "table", "--explain").stdout
    assert "cable.price.fee (000 三、市场价格 4)" in table


def test_default_format_off_a_terminal_is_jsonl(bizops_run):
    r = bizops_run("--company", "cable", "quote", "--guide-price", "100")
    assert json.loads(r.stdout.strip())["unit_price"] == "100.00"
