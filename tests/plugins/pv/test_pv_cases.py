"""The pv cases file names every rule of the spec (the cases themselves run in tests/plugins/test_rule_cases.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import bizops.plugins.pv

CASES_FILE = Path(bizops.plugins.pv.__file__).with_name("cases.toml")
DATA = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
CASES = DATA["case"]


def test_cases_file_covers_every_rule():
    from bizops.plugins.pv.spec import RULES

    assert DATA["company"] == "pv"
    text = " ".join(c["name"] for c in CASES)
    untested = [r.id for r in RULES if r.id not in text]
    assert untested == []
