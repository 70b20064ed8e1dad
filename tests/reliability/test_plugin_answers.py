"""A plugin's answer is checked for count and shape before anything is written (issue 18, item 3).

One result per request; `status` one of the contract's (`ok`, `refused`);
`warnings` a list of texts; every declared money column present; `company`
the selected one; numbers finite and writable; text valid Unicode. Anything
else is exit 70 naming the plugin and the hook, in every output format and
on both paths (worker pieces and one process), never "bizops failed" and
never a silent empty output.
"""

from __future__ import annotations

import pytest
from reliability_support import PLUGINS, assert_contract

ROGUE = str(PLUGINS / "rogue.py")
QTYS = "".join(f'{{"qty": {q}}}\n' for q in (1, 2, 3, 13, 5))
PREFIX = "bizops: plugin 'rogue' failed in bizops_price: "

FAULTS = [
    ("none", "gave no answer (the hook returned None for its own company)", None),
    ("status", "status must be ok or refused, got 'maybe'", "maybe"),
    ("warnings", "column 'warnings' (texts) got str 'check the price': must be a list of texts", "check the price"),
    ("warning-items", "column 'warnings' (texts) got list ['check', 3]: must be a list of texts", '"check"'),
    ("no-total", "left out the money column 'total'", '"total":null'),
    ("company", "answered for company 'cable', not 'rogue'", '"cable"'),
    ("infinity", "column 'total' (money) got Decimal('Infinity'): not a finite number", "Infinity"),
    ("snan", "column 'total' (money) got Decimal('sNaN'): not a finite number", "NaN"),
    ("huge", "column 'total' (money) got Decimal('1E+400'): too large to write", "1E+400"),
    ("surrogate", "text that is not valid Unicode (a lone surrogate)", "bad"),
]


@pytest.fixture
def rogue(bizops_run, tmp_path):
    """`rogue(fault, *args)`: the rogue company's quote of QTYS (a file, read by the worker-piece path)."""
    (tmp_path / "qty.jsonl").write_text(QTYS)

    def invoke(fault, *args):
        return bizops_run("--plugin", ROGUE, "--company", "rogue", "quote", *args, input=QTYS, env={"ROGUE": fault})

    return invoke


@pytest.mark.parametrize("fault, detail, shown", FAULTS, ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("qty.jsonl",), id="file-jsonl"),
        pytest.param(("-", "--jobs", "1"), id="stdin-jsonl"),
        pytest.param(("-", "--format", "json"), id="json"),
        pytest.param(("-", "--format", "csv"), id="csv"),
        pytest.param(("-", "--format", "table"), id="table"),
        pytest.param(("-", "--format", "markdown"), id="markdown"),
    ],
)
def test_a_bad_answer_names_the_plugin_and_the_hook(rogue, monkeypatch, tmp_path, fault, detail, shown, args):
    monkeypatch.chdir(tmp_path)
    r = rogue(fault, *args)
    assert_contract(r, 70)
    first = r.stderr.splitlines()[0]
    assert first.startswith(PREFIX), r.stderr
    assert detail in first, r.stderr
    if shown is not None:
        assert shown not in r.stdout  # never written, not even in part


def test_a_well_behaved_answer_still_passes_every_check(rogue, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for args in (("qty.jsonl",), ("-", "--format", "csv"), ("-", "--format", "table")):
        r = rogue("", *args)
        assert_contract(r, 1)  # qty 13 is refused, by policy
        assert r.stderr == ""


@pytest.mark.parametrize("fault", ["status", "no-total", "infinity", "warnings", "company"])
def test_a_bad_answer_is_never_recorded(rogue, bizops_run, tmp_path, fault):
    db = str(tmp_path / "ledger.db")
    r = rogue(fault, "-", "--record", "--db", db)
    assert_contract(r, 70)
    said = r.stderr.splitlines()
    assert said[0] == "bizops: nothing was recorded", r.stderr  # the ledger's account comes first
    assert said[1].startswith(PREFIX), r.stderr
    listing = bizops_run("ledger", "list", "--db", db, "--format", "json")
    assert_contract(listing, 0)
    assert listing.json() == []
