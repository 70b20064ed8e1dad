"""Every rule case in the plugin's `cases.toml`, run through the `bizops` command."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import tomli_w

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


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, bizops_run, tmp_path):
    args = ["--company", "pv", *case["command"].split(), "in.jsonl", "--format", "jsonl"]
    if "policy" in case:
        (tmp_path / "bizops.toml").write_text(tomli_w.dumps({"company": {"pv": case["policy"]}}), encoding="utf-8")
    if "now" in case:
        args += ["--now", case["now"]]
    inputs = case["inputs"] if "inputs" in case else [case["input"]]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in inputs),
                                       encoding="utf-8")
    run = bizops_run(*args)
    if "expect_error" in case:
        assert run.exit_code == 65, run
        assert case["expect_error"] in run.stderr, run
        return
    assert run.exit_code in (0, 1), run
    rows = run.rows()
    expected = case["expect_rows"] if "expect_rows" in case else [case["expect"]]
    assert len(rows) == len(expected), rows
    for row, want in zip(rows, expected):
        assert {k: row.get(k) for k in want} == want
