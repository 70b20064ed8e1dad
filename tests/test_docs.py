"""The plugin author's guide (docs/plugin-guide.md) keeps up with the hooks, and every hook is exercised.

A new hook in `bizops.core.hookspecs` fails these tests until it has a
docstring, a section in the guide with its arguments, and a run below that
calls it through a real plugin and checks what came back.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from bizops.core import hookspecs
from bizops.core.schema import COLUMN_KINDS, FIELD_KINDS, SETTING_KINDS

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "plugin-guide.md").read_text(encoding="utf-8")
HOOKS = {name: fn for name, fn in vars(hookspecs).items() if hasattr(fn, "bizops_spec")}


def test_there_are_hooks():
    assert {"bizops_company", "bizops_price", "bizops_approve", "bizops_expense", "bizops_score"} <= set(HOOKS)


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_has_a_docstring(name):
    doc = inspect.getdoc(HOOKS[name]) or ""
    for says in ("Receives", "Returns", "combine"):
        assert says in doc, f"{name}'s docstring should say what it receives, returns and how results combine"


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_is_typed(name):
    hints = inspect.signature(HOOKS[name])
    assert hints.return_annotation is not inspect.Signature.empty, name
    assert all(p.annotation is not inspect.Parameter.empty for p in hints.parameters.values()), name


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_has_a_section_in_the_guide_with_its_arguments(name):
    arguments = ", ".join(inspect.signature(HOOKS[name]).parameters)
    heading = f"### `{name}({arguments})`"
    assert heading in GUIDE.splitlines(), f"docs/plugin-guide.md has no section {heading!r}"
    section = GUIDE.split(heading, 1)[1].split("\n### ", 1)[0]
    assert "eturns" in section, f"the guide's {name} section should say what it returns"


@pytest.mark.parametrize("kind", sorted(set(FIELD_KINDS) | set(COLUMN_KINDS) | set(SETTING_KINDS)))
def test_every_kind_is_in_the_guide(kind):
    assert re.search(rf"`[^`]*\b{kind}\b[^`]*`", GUIDE), f"the guide does not name the kind {kind!r}"


def test_the_guide_covers_what_an_author_needs():
    headings = {line.lstrip("# ").strip() for line in GUIDE.splitlines() if line.startswith("## ")}
    assert {
        "Start from the template",
        "Declaring the company",
        "Hooks",
        "Results",
        "Policy values",
        "The context",
        "Adding a command",
        "Errors",
        "Testing",
        "Publishing",
    } <= headings


def test_the_guides_python_compiles():
    blocks = re.findall(r"```python\n(.*?)```", GUIDE, re.S)
    assert len(blocks) >= 4
    for number, block in enumerate(blocks, 1):
        compile(block, f"docs/plugin-guide.md python block {number}", "exec")


def test_the_guides_paths_exist():
    for path in (
        "plugins-contrib/template",
        "plugins-contrib/field-sales",
        "src/bizops/plugins/pile",
        "src/bizops/plugins/airline/spec.py",
    ):
        assert path in GUIDE and (REPO / path).exists(), path


# -- every hook is exercised -------------------------------------------------------------
#: A run that calls the hook through a real plugin, and a check of what came back.
EXERCISES = {
    "bizops_company": (
        ("companies", "--format", "json"),
        lambda run: {r["name"]: r["zh"] for r in run.json()}["cable"] == "电线电缆厂",
    ),
    "bizops_price": (
        (
            "--company",
            "cable",
            "quote",
            "--guide-price",
            "100",
            "--qty",
            "10",
            "--no-vat-invoice",
            "--discount-pct",
            "2",
            "--fee-pct",
            "5",
            "--format",
            "json",
        ),
        lambda run: run.json()["total"] == "968.40",
    ),
    "bizops_approve": (
        ("--company", "pile", "approve-order", "--submitted-at", "2026-11-23T09:01", "--format", "json"),
        lambda run: run.json()["batch"] == "2026-11-23T11:00",
    ),
    "bizops_expense": (
        (
            "--company",
            "pv",
            "check",
            str(REPO / "src/bizops/plugins/pv/cases.toml"),
            "-k",
            "request",
            "--format",
            "json",
        ),
        lambda run: run.exit_code == 0 and all(r["command"] == "expense request" for r in run.json()),
    ),
    "bizops_score": (
        (
            "--company",
            "pile",
            "score",
            "--person",
            "王海",
            "--date",
            "2026-11-23",
            "--code",
            "route_violation",
            "--count",
            "2",
            "--format",
            "json",
        ),
        lambda run: run.json()["fines"] == "20.00",
    ),
    "bizops_collect": (  # the core's own rules (bizops.core.defaults), for a company with no money rules
        (
            "--company",
            "airline",
            "receivables",
            "--customer",
            "甲",
            "--amount",
            "12000.00",
            "--due-date",
            "2026-12-05",
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ),
        lambda run: (run.json()["next_step"], run.json()["notify_from"]) == ("notify", "2026-11-28"),
    ),
    "bizops_commission": (
        (
            "--company",
            "cable",
            "check",
            str(REPO / "src/bizops/plugins/cable/cases.toml"),
            "-k",
            "commission spec example",
            "--format",
            "json",
        ),
        lambda run: (
            run.exit_code == 0 and len(run.json()) == 3 and all(r["command"] == "commission" for r in run.json())
        ),
    ),
}


def test_every_hook_has_an_exercise():
    assert set(EXERCISES) == set(HOOKS)


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_is_exercised(name, bizops_run, monkeypatch):
    """A plugin's implementation of the hook runs, and what it answered reaches the output."""
    import bizops.commands.runtime as runtime

    calls: list[tuple[str, object]] = []
    hosts = []
    make_host = runtime.get_plugin_manager

    def monitored(**kwargs):
        host = make_host(**kwargs)

        def after(outcome, hook_name, impls, kwargs):
            calls.append((hook_name, outcome.get_result() if outcome.exception is None else outcome.exception))

        host.pm.add_hookcall_monitoring(lambda *a: None, after)
        hosts.append(host)
        return host

    monkeypatch.setattr(runtime, "get_plugin_manager", monitored)
    args, looks_right = EXERCISES[name]
    run = bizops_run(*args)
    assert looks_right(run), run
    answers = [result for hook, result in calls if hook == name]
    assert answers, f"{name} was not called by `bizops {' '.join(args)}`"
    assert any(a not in (None, []) and not isinstance(a, BaseException) for a in answers), answers
