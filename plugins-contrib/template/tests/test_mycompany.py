"""Tests of the mycompany plugin: through the bizops command, as a user runs it.

The fixtures come with bizops (`bizops.testing`, loaded by pytest on its own):
`bizops_plugin(PACKAGE)` runs `bizops` in this process with this source tree's
plugin loaded and returns the exit code, stdout and stderr (`.json()` parses it).
"""

from __future__ import annotations

from pathlib import Path

from bizops.testing import check_plugin

PACKAGE = Path(__file__).resolve().parents[1] / "bizops_mycompany"
CASES = PACKAGE / "cases.toml"


def test_hooks_and_declarations_are_sound():
    # misspelt hooks, wrong hook arguments, a bad Company declaration
    assert check_plugin(PACKAGE) == []


def test_rule_cases_hold(bizops_plugin):
    r = bizops_plugin(PACKAGE)("check", CASES, "--defaults", "--format", "json")
    assert r.exit_code == 0, r.stdout


def test_quote(bizops_plugin):
    bizops = bizops_plugin(PACKAGE)
    r = bizops(
        "--company",
        "mycompany",
        "quote",
        "--list-price",
        "99.99",
        "--qty",
        "3",
        "--discount-pct",
        "5",
        "--format",
        "json",
    )
    assert r.exit_code == 0, r
    assert (r.json()["unit_price"], r.json()["total"]) == ("94.99", "284.97")


def test_refused_quote_exits_1_with_a_chinese_reason(bizops_plugin):
    bizops = bizops_plugin(PACKAGE)
    r = bizops(
        "--company",
        "mycompany",
        "quote",
        "--list-price",
        "100",
        "--discount-pct",
        "11",
        "--format",
        "table",
        "--lang",
        "zh",
    )
    assert r.exit_code == 1
    assert "折扣 11% 超过最高折扣 10%" in r.stdout
