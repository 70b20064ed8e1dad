"""The plugin test kit shipped as `bizops.testing`: `check_plugin`, `bizops_plugin`, `run_cases`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from contrib_support import CONTRIB, install

from bizops.testing import case_names, check_plugin, load_plugin, run_cases

FIELD_SALES = CONTRIB / "field-sales" / "bizops_fieldsales"

SOUND = """
from bizops.api import Column, CommandSpec, Company, Field, Rule, hookimpl, map_rows

SPEC = CommandSpec(inputs=(Field("x", "int"),), outputs=(Column("x", "int", zh="x", en="x"),))
COMPANY = Company("kit", zh="工具", en="Kit", commands={"quote": SPEC}, rules=(Rule("kit.x", "第1条"),))


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl
def bizops_price(requests, policy, context):
    return map_rows(requests, lambda fields: {"x": fields["x"], "status": "ok", "reason": None})
"""


def plugin(tmp_path: Path, text: str, name: str = "kit") -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_sound_plugin_has_no_problems(tmp_path):
    assert check_plugin(plugin(tmp_path, SOUND)) == []


def test_a_plugin_may_be_given_as_a_path_a_module_name_or_a_module():
    import bizops.plugins.pile as pile

    assert check_plugin(pile) == check_plugin("bizops.plugins.pile") == check_plugin(Path(pile.__file__).parent) == []
    assert load_plugin(pile) is pile


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("def bizops_price(", "def bizops_quote("),
            "bizops_quote: not a bizops hook (did you mean bizops_price?); the hooks are: bizops_company, bizops_price",
        ),
        (("def bizops_price(", "def bizops_scroe("), "bizops_scroe: not a bizops hook (did you mean bizops_score?)"),
        (
            ("(requests, policy, context)", "(request, policy, context)"),
            "bizops_price: argument 'request' is not passed to this hook; it passes: company, requests, policy, context",
        ),
        (('Field("x", "int")', 'Field("x", "integer")'), "bizops_company: quote: field 'x' has unknown kind 'integer'"),
        (
            ('Field("x", "int")', 'Field("x", "bool", choice_aliases={"maybe": ("也许",)})'),
            "bizops_company: quote: field 'x' has aliases for 'maybe', which is not a choice",
        ),
        (
            ('Column("x", "int", zh="x", en="x")', 'Column("x", "float", zh="x", en="x")'),
            "bizops_company: quote: column 'x' has unknown kind 'float'",
        ),
        (
            ('Rule("kit.x", "第1条")', 'Rule("x.kit", "第1条")'),
            "bizops_company: rule x.kit: an id starts with the company name and a rule cites a clause",
        ),
        (
            ("return COMPANY", "return COMPANY.name"),
            "bizops_company: returned str, not a bizops.api.Company or bizops.api.Extension",
        ),
        (("return COMPANY", "return None"), "bizops_price: bizops never asks it: bizops_company declares no Company"),
        (
            ("def bizops_price(", "def bizops_register_commands(app):\n    pass\n\n\ndef bizops_price("),
            "bizops_register_commands: plugin API 1.0 has no bizops_register_commands: declare the command in "
            "Company.commands with run=",
        ),
        (("return COMPANY", "raise KeyError('boom')"), "bizops_company: raised KeyError: 'boom'"),
        (
            ('commands={"quote": SPEC}', 'commands={"quote": SPEC, "score": SPEC}'),
            "kit: declares the command 'score' but implements no bizops_score",
        ),
        (
            ('commands={"quote": SPEC}', 'commands={"quote": SPEC, "kit plan": SPEC}'),
            "bizops_company: kit plan: a command of the company's own needs run=, the function that answers it",
        ),
        (
            ('commands={"quote": SPEC}', 'commands={"quote": SPEC, "score plan": SPEC.replace(run=print)}'),
            "bizops_company: 'score plan': a command of the company's own is one or two lowercase words, not "
            "starting with a core command",
        ),
        (
            ('commands={"quote": SPEC}', 'commands={"approve-order": SPEC}'),
            "kit: implements bizops_price but declares no 'quote' command in Company.commands",
        ),
    ],
)
def test_problems_are_named(tmp_path, change, problem):
    text = SOUND.replace(*change)
    assert text != SOUND
    found = check_plugin(plugin(tmp_path, text))
    assert any(p.startswith(problem) for p in found), found


def test_a_hook_registration_bizops_refuses_is_reported(tmp_path):
    # a wrapper that is not a generator passes the name and argument checks; pluggy refuses it
    text = SOUND.replace("@hookimpl\ndef bizops_price", "@hookimpl(wrapper=True)\ndef bizops_price")
    found = check_plugin(plugin(tmp_path, text))
    assert found and found[0].startswith("register: ")


def test_bizops_plugin_loads_only_the_plugin_under_test(bizops_plugin, tmp_path, monkeypatch):
    install(CONTRIB / "template", tmp_path / "site")  # an installed plugin that must stay out
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    for spec in (FIELD_SALES, str(FIELD_SALES)):
        names = {row["name"] for row in bizops_plugin(spec)("companies", "--format", "json").json()}
        assert names == {"fieldsales", "cable", "pv", "pile", "airline"}
    r = bizops_plugin(FIELD_SALES)(
        "--company",
        "fieldsales",
        "score",
        "--person",
        "王海",
        "--date",
        "2026-11-23",
        "--activity",
        "visit",
        "--count",
        "5",
        "--format",
        "jsonl",
    )
    assert [row["visits"] for row in r.rows()] == [5]


def test_bizops_plugin_takes_an_imported_module(bizops_plugin, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(CONTRIB / "field-sales"))
    import bizops_fieldsales

    rows = bizops_plugin(bizops_fieldsales)("companies", "--format", "json").json()
    assert [row["source"] for row in rows if row["name"] == "fieldsales"] == ["bizops_fieldsales"]


def test_run_cases_and_case_names():
    cases = FIELD_SALES / "cases.toml"
    names = case_names(cases)
    results = run_cases(cases, plugin=FIELD_SALES)
    assert list(results) == names
    assert {row["status"] for row in results.values()} == {"ok"}


def test_run_cases_raises_for_a_file_bizops_check_refuses(tmp_path):
    (tmp_path / "cases.toml").write_text('company = "cable"\n[[case]]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="exit_code=65"):
        run_cases(tmp_path / "cases.toml")
