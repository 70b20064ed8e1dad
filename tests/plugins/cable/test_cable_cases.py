"""Every case of `src/bizops/plugins/cable/cases.toml`, run through the `bizops` command.

Until `bizops check` runs the cases file, this test does: a case's input goes
in as JSON Lines on stdin, its policy as `[company.cable]` in `./bizops.toml`,
and its expectations are compared with the JSON output.
"""

from __future__ import annotations

import json
import tomllib

import pytest
import tomli_w
from cable_support import REPO

CASES_FILE = REPO / "src" / "bizops" / "plugins" / "cable" / "cases.toml"
CASES = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))


def test_cases_file_names_the_company_and_covers_every_command():
    assert CASES["company"] == "cable"
    assert {case["command"] for case in CASES["case"]} == {"quote", "approve-order", "score"}
    names = [case["name"] for case in CASES["case"]]
    assert len(names) == len(set(names))


def plain(value):
    """TOML values in their JSON output form (datetimes as the contract writes them)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="minutes") if hasattr(value, "hour") else value.isoformat()
    return value


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_case(bizops_run, tmp_path, case):
    if "policy" in case:
        (tmp_path / "bizops.toml").write_text(tomli_w.dumps({"company": {"cable": case["policy"]}}), encoding="utf-8")
    inputs = case["inputs"] if "inputs" in case else [case["input"]]
    text = "".join(json.dumps(plain(item), ensure_ascii=False) + "\n" for item in inputs)
    args = ["--company", "cable", *case["command"].split(), "-", "--input-format", "jsonl", "--format", "json"]
    if "now" in case:
        args += ["--now", str(plain(case["now"]))]
    for name, value in case.get("options", {}).items():
        args += [f"--{name.replace('_', '-')}", str(plain(value))]
    r = bizops_run(*args, input=text)
    if "expect_error" in case:
        assert r.exit_code == 65, r
        assert case["expect_error"] in r.stderr, r.stderr
        return
    assert r.exit_code in (0, 1), r
    rows = r.json()
    expected = case["expect_rows"] if "expect_rows" in case else [case["expect"]]
    assert len(rows) == len(expected), rows
    for row, want in zip(rows, expected, strict=True):
        assert {k: row.get(k) for k in want} == plain(want), row
