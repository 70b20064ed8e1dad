"""Every rule case of `bizops/plugins/airline/cases.toml`, run through the `bizops` command."""

import json
import tomllib
from pathlib import Path

import pytest
import tomli_w

import bizops.plugins.airline as airline

CASES = tomllib.loads((Path(airline.__file__).parent / "cases.toml").read_text(encoding="utf-8"))["case"]


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def arguments(case: dict, tmp_path: Path) -> list[str]:
    args = ["--company", "airline", *case["command"].split(), "--format", "json"]
    if "now" in case:
        args += ["--now", case["now"]]
    for name, value in case.get("options", {}).items():
        if value is True:
            args.append(flag(name))
        elif value is not False:
            args += [flag(name), str(value)]
    if "policy" in case:
        (tmp_path / "bizops.toml").write_bytes(tomli_w.dumps({"company": {"airline": case["policy"]}}).encode())
    if "inputs" in case:
        rows = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in case["inputs"])
        (tmp_path / "case.jsonl").write_text(rows, encoding="utf-8")
        args.insert(len(case["command"].split()) + 2, "case.jsonl")
    for name, value in case.get("input", {}).items():
        args += [flag(name), str(value)]
    return args


def subset(expected: dict, got: dict) -> dict:
    return {key: got.get(key) for key in expected}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(bizops_run, tmp_path, case):
    r = bizops_run(*arguments(case, tmp_path))
    if "expect_error" in case:
        assert r.exit_code == 65, r
        assert case["expect_error"] in r.stderr
        return
    assert r.exit_code in (0, 1), r
    out = r.json()
    if "expect" in case:
        assert subset(case["expect"], out) == case["expect"]
    if "expect_rows" in case:
        assert len(out) == len(case["expect_rows"]), out
        for expected, got in zip(case["expect_rows"], out):
            assert subset(expected, got) == expected
