"""Every rule case each built-in plugin ships (`src/bizops/plugins/<name>/cases.toml`), run by `bizops check`.

The files are the plugins' examples and boundaries as data a sales admin can
read and extend; each must name its company, cover every command the company
answers, and hold.
"""

import importlib
import tomllib
from pathlib import Path

import pytest

from bizops.core.plugins import BUILTIN_PLUGINS
from bizops.testing import case_names, run_cases


def cases_file(company: str) -> Path:
    return Path(importlib.import_module(f"bizops.plugins.{company}").__file__).parent / "cases.toml"


CASES = [(company, name) for company, _ in BUILTIN_PLUGINS for name in case_names(cases_file(company))]


@pytest.fixture(scope="module")
def checked():
    """Every company's cases, each run once (the plugin's defaults, no ledger); results by company and name."""
    return {company: run_cases(cases_file(company)) for company, _ in BUILTIN_PLUGINS}


@pytest.mark.parametrize("company, name", CASES)
def test_case(checked, company, name):
    row = checked[company][name]
    assert row["status"] == "ok", "\n".join(row["mismatches"] + row["trace"])


@pytest.mark.parametrize("company", [company for company, _ in BUILTIN_PLUGINS])
def test_cases_file_names_the_company_and_covers_every_command(company):
    data = tomllib.loads(cases_file(company).read_text(encoding="utf-8"))
    module = importlib.import_module(f"bizops.plugins.{company}")
    declared = set(module.bizops_company().commands)
    assert data["company"] == company
    assert {case["command"] for case in data["case"]} == declared
    names = [case["name"] for case in data["case"]]
    assert len(names) == len(set(names))
