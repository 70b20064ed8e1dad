"""Every rule case of `bizops/plugins/airline/cases.toml`, run by `bizops check`."""

from pathlib import Path

import pytest

import bizops.plugins.airline as airline
from bizops.testing import case_names, run_cases

CASES_FILE = Path(airline.__file__).parent / "cases.toml"


@pytest.fixture(scope="module")
def checked():
    """Every case, run once by `bizops check` (the plugin's defaults, no ledger); results by case name."""
    return run_cases(CASES_FILE)


@pytest.mark.parametrize("name", case_names(CASES_FILE))
def test_case(checked, name):
    row = checked[name]
    assert row["status"] == "ok", "\n".join(row["mismatches"] + row["trace"])
