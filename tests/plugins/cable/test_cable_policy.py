"""The cable maker's declaration: its policy values, its rules, and no float anywhere near money."""

from __future__ import annotations

import ast

import pytest
from cable_support import REPO

PLUGIN = REPO / "src" / "bizops" / "plugins" / "cable"

THRESHOLDS = {
    "price_list": None,
    "max_no_vat_discount_pct": 6,
    "floor_pct": 90,
    "commission_cut_per_pct": "0.1",
    "home_city": ["广州", "Guangzhou"],
    "cod_min_amount": 1500,
    "deposit_pct": 30,
    "deposit_applies_to": "new",
    "credit_manager_over": 20000,
    "credit_gm_over": 50000,
    "new_credit_both_from": 20000,
    "vat_min": 5000,
    "base_points": 100,
    "bonus_cap": 100,
    "yuan_per_point": 1,
    "dismissal_below": 60,
    "dismissal_months": 2,
    "task_single_penalty": 15,
    "task_each_unfinished_penalty": 10,
}


def test_policy_show_lists_every_threshold(bizops_run):
    r = bizops_run("--company", "cable", "policy", "show", "--format", "json")
    assert r.exit_code == 0, r
    shown = {row["name"]: row["value"] for row in r.json()}
    for name, value in THRESHOLDS.items():
        assert shown[name] == value, name


def test_policy_show_source_follows_the_config(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.cable]\nvat_min = 6000\n", encoding="utf-8")
    rows = {row["name"]: row for row in bizops_run("--company", "cable", "policy", "show", "--format", "json").json()}
    assert rows["vat_min"]["value"] == 6000 and rows["vat_min"]["source"].endswith("bizops.toml")
    assert rows["cod_min_amount"]["source"] == "default"


def test_policy_init_round_trips(bizops_run, tmp_path):
    r = bizops_run("--company", "cable", "policy", "init", "--output", "full.toml")
    assert r.exit_code == 0, r
    q = bizops_run(
        "--company",
        "cable",
        "--config",
        str(tmp_path / "full.toml"),
        "approve-order",
        "--customer",
        "甲",
        "--amount",
        "1500",
        "--new-customer",
        "--city",
        "Guangzhou",
        "--format",
        "json",
    )
    assert q.exit_code == 0, q
    assert q.json()["payment_terms"] == "cod"


@pytest.mark.parametrize("line", ['vat_min = "lots"', "cod_min_amount = -1", 'home_city = "广州"', "price = 1"])
def test_bad_config_values_are_exit_78(bizops_run, tmp_path, line):
    (tmp_path / "bizops.toml").write_text(f"[company.cable]\n{line}\n", encoding="utf-8")
    r = bizops_run(
        "--company", "cable", "approve-order", "--customer", "甲", "--amount", "1", "--new-customer", "--city", "广州"
    )
    assert r.exit_code == 78, r
    assert line.split(" ")[0] in r.stderr


def test_companies_lists_the_commands(bizops_run):
    rows = {row["name"]: row for row in bizops_run("companies", "--format", "json").json()}
    assert rows["cable"]["commands"] == ["quote", "approve-order", "score", "commission", "receivables"]
    assert (rows["cable"]["zh"], rows["cable"]["en"]) == ("电线电缆厂", "Cable maker")


def test_expense_is_unavailable_with_exit_69(bizops_run):
    r = bizops_run("--company", "cable", "expense", "claim", "--format", "json")
    assert r.exit_code == 69 and "quote" in r.stderr


def test_no_float_in_the_plugin():
    """Money never passes through a float: no float literal, no float() call in the plugin's code."""
    for path in PLUGIN.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), f"{path.name}:{node.lineno}"
            assert not (isinstance(node, ast.Name) and node.id == "float"), f"{path.name}:{node.lineno}"


def test_rule_ids_and_clauses(bizops_run):
    import bizops.plugins.cable as cable
    from bizops.testing import check_plugin

    assert check_plugin(cable) == []
    ids = [rule.id for rule in cable.COMPANY.rules]
    assert ids[:11] == [
        "cable.price.list",
        "cable.price.no_vat",
        "cable.price.special",
        "cable.price.floor",
        "cable.price.fee",
        "cable.price.quote_due",
        "cable.price.lead_time",
        "cable.approve.new_customer_terms",
        "cable.approve.deposit",
        "cable.approve.credit_limits",
        "cable.approve.vat_invoice",
    ]
    assert all(rule.clause.startswith("000 ") and rule.en and rule.zh for rule in cable.COMPANY.rules)


def test_every_output_column_and_enum_value_has_both_labels():
    import bizops.plugins.cable as cable

    for spec in cable.COMPANY.commands.values():
        for column in spec.outputs:
            assert column.zh and column.en, column.name
    for value in (
        "cod",
        "cash",
        "prepay",
        "credit",
        "vat",
        "vat_pending",
        "ordinary",
        "none",
        "approved",
        "needs_approval",
        "sales_manager",
        "general_manager",
        "dismissal_review",
        "ok",
        "refused",
    ):
        zh, en = cable.COMPANY.labels[value]
        assert zh and en
