"""The PV firm's declaration: hooks, company, policy round trip, commands it does not answer."""

from __future__ import annotations

import bizops.plugins.pv
from bizops.testing import check_plugin


def test_plugin_declaration_is_sound():
    assert check_plugin(bizops.plugins.pv) == []


def test_every_threshold_is_a_setting():
    from bizops.plugins.pv.spec import COMPANY

    names = {s.name for s in COMPANY.settings}
    assert {
        "max_advance",
        "paid_days_in_province",
        "paid_days_out_of_province",
        "absence_days_in_province",
        "absence_days_out_of_province",
        "rate_same_day",
        "rate_overnight",
        "rate_out_of_province",
        "sleeper_hours",
        "meal_min_order",
        "meal_cap_pct",
        "report_days",
        "night_start",
        "night_end",
        "max_paid_trips",
    } <= names


def test_policy_init_round_trip(bizops_run, tmp_path):
    r = bizops_run("--company", "pv", "policy", "init", "--output", "bizops.toml")
    assert r.exit_code == 0, r
    text = (tmp_path / "bizops.toml").read_text(encoding="utf-8")
    assert "max_advance = 500" in text and 'night_start = "20:00"' in text
    r = bizops_run("--company", "pv", "policy", "check")
    assert r.exit_code == 0, r


def test_unknown_policy_key_is_a_config_error(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.pv]\nmax_advanse = 600\n", encoding="utf-8")
    r = bizops_run(
        "--company",
        "pv",
        "expense",
        "request",
        "--employee",
        "x",
        "--scope",
        "in_province",
        "--depart",
        "2026-03-10",
        "--return",
        "2026-03-10",
        "--purpose",
        "new_market",
    )
    assert r.exit_code == 78
    assert "max_advanse" in r.stderr


def test_quote_is_not_a_pv_command(bizops_run):
    r = bizops_run("--company", "pv", "quote", "--sku", "x")
    assert r.exit_code == 69
    assert "expense request, expense claim" in r.stderr
