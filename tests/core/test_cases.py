"""The rule-case engine behind `bizops check`: loading, running, judging (`bizops.core.cases`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bizops.core import cases

PRICES = Path(__file__).parents[2] / "examples" / "cable" / "prices.csv"
LISTED = """company = "cable"
[[case]]
name = "a listed sku takes the list's price"
command = "quote"
{policy}
input = {{ sku = "BV-2.5", qty = 1 }}
expect = {{ status = "ok", guide_price = "{price}" }}
"""


def listed_price() -> str:
    line = next(line for line in PRICES.read_text(encoding="utf-8-sig").splitlines() if line.startswith("BV-2.5,"))
    return line.split(",")[1]


def test_a_relative_path_in_a_cases_policy_is_relative_to_the_cases_file(bizops_run, tmp_path):
    (tmp_path / "rules").mkdir()
    shutil.copy(PRICES, tmp_path / "rules" / "prices.csv")
    file = tmp_path / "rules" / "cases.toml"
    file.write_text(LISTED.format(policy='policy = { price_list = "prices.csv" }', price=listed_price()), "utf-8")
    r = bizops_run("check", str(file), "--format", "json")
    assert r.exit_code == 0, r
    assert [row["status"] for row in r.json()] == ["ok"]


def test_a_relative_path_from_the_users_config_stays_relative_to_the_config(bizops_run, tmp_path):
    (tmp_path / "office").mkdir()
    shutil.copy(PRICES, tmp_path / "office" / "prices.csv")
    config = tmp_path / "office" / "bizops.toml"
    config.write_text('[company.cable]\nprice_list = "prices.csv"\n', encoding="utf-8")
    file = tmp_path / "cases.toml"
    file.write_text(LISTED.format(policy="", price=listed_price()), encoding="utf-8")
    r = bizops_run("--config", str(config), "check", str(file), "--format", "json")
    assert r.exit_code == 0, r
    assert [row["status"] for row in r.json()] == ["ok"]


def test_the_engine_reads_in_three_parts():
    assert cases.load.__module__ == "bizops.core.cases.loading"
    assert cases.run_rows.__module__ == "bizops.core.cases.running"
    assert cases.judge.__module__ == "bizops.core.cases.judging"
