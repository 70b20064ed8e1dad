"""Issue 15: `-o FILE` on every command (format from the extension), `--bom` for Excel, `--columns`, and the
ledger's views in the user's language; each file read back by the client that would read it."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
QUOTES = str(REPO / "examples" / "cable" / "quotes.csv")


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("q.csv", lambda text: [r["total"] for r in csv.DictReader(io.StringIO(text))]),
        ("q.tsv", lambda text: [r["total"] for r in csv.DictReader(io.StringIO(text), delimiter="\t")]),
        ("q.jsonl", lambda text: [json.loads(line)["total"] for line in text.splitlines()]),
        ("q.json", lambda text: [r["total"] for r in json.loads(text)]),
        ("q.md", lambda text: [line.split("|")[4].strip() for line in text.splitlines()[4:]]),
    ],
)
def test_o_file_takes_its_format_from_the_extension(bizops_run, tmp_path, name, read):
    r = bizops_run("--company", "cable", "quote", QUOTES, "-o", name)
    assert r.exit_code == 1, r  # one quote refused by policy
    assert r.stdout == ""
    totals = read((tmp_path / name).read_text(encoding="utf-8"))
    assert [t or None for t in totals] == ["968.40", "31260.00", None]


def test_format_wins_over_the_extension(bizops_run, tmp_path):
    r = bizops_run("--company", "cable", "quote", QUOTES, "-o", "q.txt", "--format", "csv")
    assert r.exit_code == 1
    assert (tmp_path / "q.txt").read_text(encoding="utf-8").startswith("company,sku,")


def test_bom_writes_utf8_with_bom_for_excel(bizops_run, tmp_path):
    bizops_run("--company", "cable", "quote", QUOTES, "-o", "q.csv", "--bom")
    data = (tmp_path / "q.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcompany,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["sku"] == "BV-2.5"
    plain = bizops_run("--company", "cable", "quote", QUOTES, "--format", "csv")
    assert not plain.stdout.startswith("\ufeff")


def test_columns_for_csv_by_name_or_label(bizops_run):
    r = bizops_run("--company", "cable", "quote", QUOTES, "--format", "csv", "--columns", "sku,金额,status")
    assert r.stdout.splitlines()[:2] == ["sku,total,status", "BV-2.5,968.40,ok"]
    every = bizops_run("--company", "cable", "quote", QUOTES, "--format", "csv", "--columns", "all")
    assert every.stdout.splitlines()[0].startswith("company,sku,qty,guide_price")
    wrong = bizops_run("--company", "cable", "quote", QUOTES, "--columns", "sku,totl")
    assert wrong.exit_code == 2 and "totl" in wrong.stderr and "total" in wrong.stderr


def test_o_file_is_written_whole_or_not_at_all(bizops_run, tmp_path):
    (tmp_path / "q.csv").write_text("earlier results\n", encoding="utf-8")
    r = bizops_run("--company", "nosuch", "quote", QUOTES, "-o", "q.csv")
    assert r.exit_code == 2
    assert (tmp_path / "q.csv").read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.csv"]  # no temporary file left behind


def test_markdown_escapes_pipes_and_keeps_lists_on_one_line(bizops_run):
    rows = '{"sku":"A|B","qty":"1","guide_price":"10"}\n{"sku":"C","qty":"2","guide_price":"10"}\n'
    r = bizops_run("--company", "cable", "quote", "-", "--format", "markdown", input=rows)
    lines = r.stdout.splitlines()
    assert lines[4].startswith(r"| A\|B |") and len(lines) == 6


def test_ledger_show_labels_inputs_in_the_users_language(bizops_run, tmp_path):
    orders = str(REPO / "examples" / "cable" / "orders.csv")
    recorded = bizops_run("--company", "cable", "--db", "l.db", "approve-order", orders, "--record")
    assert recorded.exit_code in (0, 1), recorded
    zh = bizops_run("--db", "l.db", "--lang", "zh", "ledger", "show", "1", "--format", "markdown")
    fields = [line.split("|")[1].strip() for line in zh.stdout.splitlines()[2:]]
    assert {"输入: 订单编号", "输入: 客户", "输入: 城市", "输入: 结算方式", "结果: 付款方式"} <= set(fields), fields
    en = bizops_run("--db", "l.db", "ledger", "show", "1", "--format", "markdown")
    assert "input: order id" in en.stdout and "input: settlement" in en.stdout
    for suffix in ("-wal", "-shm"):  # reading left nothing behind
        assert not (tmp_path / f"l.db{suffix}").exists()
    with sqlite3.connect(tmp_path / "l.db") as db:
        assert db.execute("SELECT count(*) FROM bizops_decisions").fetchone()[0] >= 1
