"""The CLI contract: where options stand, choosing the company, dispatch, errors."""

import pytest


def test_common_options_before_or_after_the_command(bizops_run):
    before = bizops_run("--company", "cable", "--format", "json", "quote", "--guide-price", "100")
    after = bizops_run("quote", "--company", "cable", "--format", "json", "--guide-price", "100")
    assert before.json() == after.json()
    assert before.json()["unit_price"] == "100.00"


def test_the_company_from_the_environment_and_from_the_config(bizops_run, tmp_path):
    env = bizops_run("quote", "--guide-price", "1", env={"BIZOPS_COMPANY": "cable"})
    assert env.rows()[0]["company"] == "cable"
    (tmp_path / "bizops.toml").write_text('company = "cable"\n')
    assert bizops_run("quote", "--guide-price", "1").rows()[0]["company"] == "cable"


def test_no_company_is_exit_2_listing_what_is_installed(bizops_run):
    r = bizops_run("quote", "--guide-price", "1")
    assert r.exit_code == 2
    assert "no company selected" in r.stderr
    for name in ("airline", "cable", "pile", "pv"):
        assert name in r.stderr


def test_an_unknown_company_is_exit_2(bizops_run):
    r = bizops_run("--company", "nope", "quote")
    assert r.exit_code == 2 and "unknown company 'nope'" in r.stderr


def test_a_company_without_rules_for_a_command_is_exit_69(bizops_run):
    r = bizops_run("--company", "pv", "quote", "--guide-price", "1")
    assert r.exit_code == 69
    assert "pv has no rules for quote; it supports: expense request, expense claim" in r.stderr


def test_an_unknown_flag_is_exit_2(bizops_run):
    r = bizops_run("--company", "cable", "quote", "--no-such-field", "1")
    assert r.exit_code == 2 and "No such option" in r.stderr


def test_companies_lists_the_four_built_ins(bizops_run):
    rows = {row["name"]: row for row in bizops_run("companies").rows()}
    assert {"cable", "pv", "pile", "airline"} <= set(rows)
    assert rows["cable"]["zh"] == "电线电缆厂" and rows["cable"]["source"] == "builtin"
    assert rows["cable"]["hooks"] == ["bizops_approve", "bizops_commission", "bizops_price", "bizops_score"]
    assert "pile plan" in rows["pile"]["commands"]
    assert all("receivables" in rows[name]["commands"] for name in ("cable", "pv", "pile", "airline"))  # the core's


PLUGIN = """
from decimal import Decimal
from bizops.api import hookimpl, Company, CommandSpec, Field, Column, Rule, map_rows, round_fen

DOUBLE = Rule("acme.price.double", "acme rules 1", en="twice the list price", zh="两倍价格")
QUOTE = CommandSpec(inputs=(Field("price", "money", required=True),),
                    outputs=(Column("price", "money"), Column("status", "enum"), Column("reason", "text")))

@hookimpl
def bizops_company():
    return Company("acme", zh="阿克米", en="Acme", version="1.0", commands={"quote": QUOTE}, rules=(DOUBLE,))

@hookimpl
def bizops_price(requests, policy, context):
    return map_rows(requests, lambda f: {"price": round_fen(f["price"] * 2), "status": "ok", "reason": None,
                                         "trace": [DOUBLE.applied("doubled")]})
"""


def test_a_plugin_in_development_loads_with_plugin(bizops_run, tmp_path):
    path = tmp_path / "acme_plugin.py"
    path.write_text(PLUGIN)
    r = bizops_run(
        "--plugin", str(path), "--company", "acme", "quote", "--price", "12.34", "--format", "json", "--explain"
    )
    assert r.exit_code == 0, r
    assert r.json()["price"] == "24.68"
    assert r.json()["trace"] == [{"rule": "acme.price.double", "clause": "acme rules 1", "effect": "doubled"}]
    listed = {row["name"]: row for row in bizops_run("--plugin", str(path), "companies").rows()}
    assert listed["acme"]["source"] == str(path)


def test_version_and_help(bizops_run):
    assert bizops_run("--version").stdout.startswith("bizops ")
    help_text = bizops_run("--help").stdout
    for command in ("quote", "approve-order", "expense", "score", "ledger", "check", "pile", "flights"):
        assert f"  {command} " in help_text


@pytest.mark.parametrize("lang, message", [("en", "row 1: qty must be > 0"), ("zh", "第 1 行：qty 必须大于 0")])
def test_messages_follow_lang(bizops_run, lang, message):
    r = bizops_run("--company", "cable", "--lang", lang, "quote", "--guide-price", "1", "--qty", "0")
    assert r.exit_code == 65 and message in r.stderr


def test_lang_defaults_from_the_locale(bizops_run):
    r = bizops_run("--company", "cable", "quote", "--guide-price", "1", "--qty", "0", env={"LANG": "zh_CN.UTF-8"})
    assert "第 1 行" in r.stderr
