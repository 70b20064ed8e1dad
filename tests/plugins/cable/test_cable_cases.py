"""Every case of `src/bizops/plugins/cable/cases.toml`, run by `bizops check`."""

from __future__ import annotations

import tomllib

import pytest
from cable_support import REPO

from bizops.testing import case_names, run_cases

CASES_FILE = REPO / "src" / "bizops" / "plugins" / "cable" / "cases.toml"
CASES = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))


def test_cases_file_names_the_company_and_covers_every_command():
    assert CASES["company"] == "cable"
    assert {case["command"] for case in CASES["case"]} == {"quote", "approve-order", "score"}
    names = [case["name"] for case in CASES["case"]]
    assert len(names) == len(set(names))


@pytest.fixture(scope="module")
def checked():
    """Every case, run once by `bizops check` (the plugin's defaults, no ledger); results by case name."""
    return run_cases(CASES_FILE)


@pytest.mark.parametrize("name", case_names(CASES_FILE))
def test_case(checked, name):
    row = checked[name]
    assert row["status"] == "ok", "\n".join(row["mismatches"] + row["trace"])
