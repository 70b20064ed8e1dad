"""Every package in `plugins-contrib/`: installable on its own, found by its entry point, sound, its cases hold."""

from __future__ import annotations

import pytest
from contrib_support import PACKAGES, entry_points, install, project

from bizops.testing import check_plugin, run_cases


def test_there_are_a_field_sales_plugin_and_a_template():
    assert {p.name for p in PACKAGES} >= {"field-sales", "template"}


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_package_layout(folder):
    meta = project(folder)["project"]
    assert meta["name"].startswith("bizops-")
    assert any(d.replace(" ", "").startswith("bizops") for d in meta["dependencies"])
    [(_company, module)] = entry_points(folder).items()
    assert (folder / module / "__init__.py").is_file()
    assert (folder / module / "cases.toml").is_file()
    assert (folder / "README.md").is_file()
    assert list((folder / "tests").glob("test_*.py"))


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_hooks_and_company_are_sound(folder):
    [(_company, module)] = entry_points(folder).items()
    assert check_plugin(folder / module) == []


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_installed_it_is_listed_under_its_entry_point_name(folder, tmp_path, monkeypatch, bizops_run):
    [(company, module)] = entry_points(folder).items()
    site = tmp_path / "site"
    install(folder, site)
    monkeypatch.syspath_prepend(str(site))
    rows = {row["name"]: row for row in bizops_run("companies", "--format", "json").json()}
    assert rows[company]["status"] == "loaded", rows[company]
    assert rows[company]["source"].startswith(f"entry point ({project(folder)['project']['name'].replace('-', '_')}")
    cases = site / module / "cases.toml"  # shipped with the package
    r = bizops_run("check", cases, "--format", "json")
    assert r.exit_code == 0, r
    assert {row["company"] for row in r.json()} == {company}


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_rule_cases_hold(folder):
    [(_company, module)] = entry_points(folder).items()
    results = run_cases(folder / module / "cases.toml", plugin=folder / module)
    assert {name: row["mismatches"] for name, row in results.items() if row["status"] != "ok"} == {}
