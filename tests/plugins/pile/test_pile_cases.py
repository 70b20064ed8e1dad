"""Every rule case in the plugin's `cases.toml`, run by `bizops check`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import bizops.plugins.pile
from bizops.testing import case_names, run_cases

CASES_FILE = Path(bizops.plugins.pile.__file__).with_name("cases.toml")
CASES = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]


def test_cases_file_names_the_company():
    assert tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["company"] == "pile"
    assert len(CASES) >= 30


@pytest.fixture(scope="module")
def checked():
    """Every case, run once by `bizops check` (the plugin's defaults, no ledger); results by case name."""
    return run_cases(CASES_FILE)


@pytest.mark.parametrize("name", case_names(CASES_FILE))
def test_case(checked, name):
    row = checked[name]
    assert row["status"] == "ok", "\n".join(row["mismatches"] + row["trace"])
