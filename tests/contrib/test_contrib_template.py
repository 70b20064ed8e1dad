"""The template, copied and renamed exactly as docs/plugin-guide.md says, works with no other edit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from contrib_support import CONTRIB, GUIDE, IGNORED, entry_points, install

from bizops.testing import check_plugin


def guide_steps() -> str:
    """The shell commands of the guide's "Start from the template", as written there."""
    text = GUIDE.read_text(encoding="utf-8")
    block = re.search(r"<!-- new-plugin -->\s*```sh\n(.*?)```\s*<!-- /new-plugin -->", text, re.S)
    assert block, "the guide has no <!-- new-plugin --> block"
    return block.group(1)


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> Path:
    """A checkout-like directory where the guide's steps ran; the new plugin's folder."""
    root = tmp_path_factory.mktemp("newco")
    shutil.copytree(CONTRIB / "template", root / "plugins-contrib" / "template", ignore=IGNORED)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", guide_steps()], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return root / "bizops-acme"


def test_the_steps_rename_everything(acme):
    assert (acme / "bizops_acme" / "__init__.py").is_file()
    assert (acme / "tests" / "test_acme.py").is_file()
    left = [
        str(p.relative_to(acme))
        for p in acme.rglob("*")
        if "mycompany" in p.name or (p.is_file() and "mycompany" in p.read_text(encoding="utf-8"))
    ]
    assert left == []
    assert not list(acme.rglob("*.bak"))
    assert entry_points(acme) == {"acme": "bizops_acme"}


def test_the_new_plugin_is_sound(acme):
    assert check_plugin(acme / "bizops_acme") == []


def test_it_runs_loaded_with_plugin(acme, bizops_plugin):
    bizops = bizops_plugin(acme / "bizops_acme")
    rows = {row["name"]: row for row in bizops("companies", "--format", "json").json()}
    assert rows["acme"]["status"] == "loaded" and rows["acme"]["commands"] == ["quote", "receivables"]
    r = bizops(
        "--company", "acme", "quote", "--list-price", "200", "--qty", "3", "--discount-pct", "10", "--format", "json"
    )
    assert r.exit_code == 0, r
    assert (r.json()["unit_price"], r.json()["total"], r.json()["status"]) == ("180.00", "540.00", "ok")
    r = bizops(
        "--company", "acme", "quote", "--list-price", "200", "--discount-pct", "11", "--format", "json", "--explain"
    )
    assert r.exit_code == 1
    assert r.json()["trace"][0]["rule"] == "acme.price.discount"
    (Path.cwd() / "bizops.toml").write_text("[company.acme]\nmax_discount_pct = 12\n", encoding="utf-8")
    assert bizops("--company", "acme", "quote", "--list-price", "200", "--discount-pct", "11").exit_code == 0


def test_its_rule_cases_hold(acme, bizops_plugin):
    r = bizops_plugin(acme / "bizops_acme")("check", acme / "bizops_acme" / "cases.toml", "--format", "json")
    assert r.exit_code == 0, r
    assert {row["company"] for row in r.json()} == {"acme"}


def test_installed_it_is_found_by_its_entry_point(acme, tmp_path, monkeypatch, bizops_run):
    install(acme, tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    r = bizops_run(
        "--company", "acme", "quote", "--list-price", "99.99", "--qty", "3", "--discount-pct", "5", "--format", "json"
    )
    assert r.exit_code == 0, r
    assert r.json()["total"] == "284.97"


def test_its_own_tests_pass(acme):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BIZOPS_", "PYTEST_"))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=acme,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b4 passed\b", done.stdout), done.stdout
