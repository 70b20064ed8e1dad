"""The plugin as bizops sees it: sound hooks, its rule cases, listed once installed."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from bizops.testing import case_names, check_plugin, run_cases

PACKAGE = Path(__file__).resolve().parents[1] / "bizops_fieldsales"
CASES = PACKAGE / "cases.toml"


def test_hooks_and_company_declaration_are_sound():
    assert check_plugin(PACKAGE) == []


@pytest.fixture(scope="module")
def checked():
    return run_cases(CASES, plugin=PACKAGE)


@pytest.mark.parametrize("name", case_names(CASES))
def test_rule_case(checked, name):
    row = checked[name]
    assert row["status"] == "ok", "\n".join(row["mismatches"] + row["trace"])


def test_bizops_check_passes_the_cases_file(bizops_plugin):
    r = bizops_plugin(PACKAGE)("check", CASES, "--defaults", "--format", "json")
    assert r.exit_code == 0, r
    assert len(r.json()) == len(case_names(CASES)) >= 20


def test_companies_lists_the_plugin(bizops_plugin):
    rows = bizops_plugin(PACKAGE)("companies", "--format", "json").json()
    [row] = [r for r in rows if r["name"] == "fieldsales"]
    assert (row["zh"], row["en"], row["hooks"], row["commands"], row["status"]) == (
        "外勤销售",
        "Field sales",
        ["bizops_score"],
        ["score", "receivables"],  # receivables: bizops' own rules, every company's
        "loaded",
    )


def _installed() -> bool:
    try:
        metadata.distribution("bizops-fieldsales")
    except metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(
    not _installed(), reason="bizops-fieldsales is not installed (pip install ./plugins-contrib/field-sales)"
)
def test_installed_plugin_is_found_through_its_entry_point(bizops_run):
    rows = bizops_run("companies", "--format", "json").json()
    [row] = [r for r in rows if r["name"] == "fieldsales"]
    assert row["status"] == "loaded"
    assert row["source"].startswith("entry point (bizops_fieldsales")
    r = bizops_run(
        "--company",
        "fieldsales",
        "score",
        "--person",
        "王海",
        "--date",
        "2026-11-23",
        "--activity",
        "visit",
        "--count",
        "4",
        "--format",
        "json",
    )
    assert r.json()["visits"] == 4
