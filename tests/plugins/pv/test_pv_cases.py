"""Every rule case in the plugin's `cases.toml`, run by `bizops check`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import bizops.plugins.pv
from bizops.testing import case_names, run_cases

CASES_FILE = Path(bizops.plugins.pv.__file__).with_name("cases.toml")
DATA = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
CASES = DATA["case"]


def test_cases_file_covers_every_rule():
    from bizops.plugins.pv.spec import RULES

    assert DATA["company"] == "pv"
    text = " ".join(c["name"] for c in CASES)
    untested = [r.id for r in RULES if r.id not in text]
    assert untested == []


@pytest.fixture(scope="module")
def checked():
    """Every case, run once by `bizops check` (the plugin's defaults, no ledger); results by case name."""
    return run_cases(CASES_FILE)


@pytest.mark.parametrize("name", case_names(CASES_FILE))
def test_case(checked, name):
    row = checked[name]
    assert row["status"] == "ok", "\n".join(row["mismatches"] + row["trace"])
