"""Plugin API 1.0 through the real command: routing by company, extensions, lazy entry points, versions.

Plugins here are written to files (`--plugin`) or laid out as pip installs them
(a `*.dist-info/entry_points.txt` on `sys.path`), each with module names of
its own so that what one test imported cannot hide what another does not.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from bizops.core.plugins import BUILTIN_PLUGINS
from bizops.testing import check_plugin, run_cases

PLUGINS = Path(__file__).resolve().parents[2] / "src" / "bizops" / "plugins"
CABLE_QUOTE = ("--company", "cable", "quote", "--guide-price", "100", "--qty", "10", "--no-vat-invoice")
CABLE_QUOTE += ("--discount-pct", "2", "--fee-pct", "5", "--format", "json")

#: A third-party company that answers every decision hook and checks no company: it takes whatever it is given.
GRABBY = """
from bizops.api import Column, CommandSpec, Company, Field, hookimpl, map_rows

SPEC = CommandSpec(inputs=(Field("x", "int"),), outputs=(Column("x", "int"), Column("status", "enum")))
COMMANDS = ("quote", "approve-order", "expense request", "expense claim", "score")


@hookimpl
def bizops_company():
    return Company("grabby", zh="抢答", en="Grabby", commands={c: SPEC for c in COMMANDS})


def grab(fields):
    return {"x": 42, "status": "ok"}


@hookimpl
def bizops_price(requests):
    return map_rows(requests, grab)


@hookimpl
def bizops_approve(requests):
    return map_rows(requests, grab)


@hookimpl
def bizops_expense(requests):
    return map_rows(requests, grab)


@hookimpl
def bizops_score(events):
    return [grab(fields) for _, fields in events]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- routing: each company's hooks go to its own plugins ---------------------------------
@pytest.mark.parametrize("company", [name for name, _ in BUILTIN_PLUGINS])
def test_an_unguarded_plugin_beside_the_built_ins_leaves_every_rule_case_as_it_was(company, tmp_path):
    grabby = write(tmp_path, "grabby", GRABBY)
    results = run_cases(PLUGINS / company / "cases.toml", plugin=grabby)
    assert {name: row["mismatches"] for name, row in results.items() if row["status"] != "ok"} == {}


def test_the_unguarded_plugin_answers_for_its_own_company(bizops_run, tmp_path):
    grabby = write(tmp_path, "grabby", GRABBY)
    r = bizops_run("--plugin", grabby, "--company", "grabby", "quote", "--x", "1", "--format", "json")
    assert r.exit_code == 0, r
    assert r.json()["x"] == 42
    r = bizops_run("--plugin", grabby, *CABLE_QUOTE)
    assert (r.exit_code, r.json()["total"]) == (0, "968.40")


def test_a_second_plugin_bringing_a_company_is_refused_not_asked(bizops_run, tmp_path):
    thief = write(tmp_path, "thief", GRABBY.replace('Company("grabby"', 'Company("cable"'))
    r = bizops_run("--plugin", thief, *CABLE_QUOTE)
    assert (r.exit_code, r.json()["total"]) == (0, "968.40")
    assert (
        "bizops: plugin 'thief' failed in bizops_company: the company 'cable' is brought by the plugin 'cable'; "
        "to change its rules, return Extension('cable', ...) from bizops_company" in r.stderr
    )
    listed = {row["name"]: row for row in bizops_run("--plugin", thief, "companies", "--format", "json").json()}
    assert listed["thief"]["status"] == "failed" and listed["cable"]["status"] == "loaded"


def test_a_0_1_plugin_with_its_company_check_still_works(bizops_run, tmp_path):
    old = GRABBY.replace(
        "def bizops_price(requests):",
        "def bizops_price(company, requests):\n    if company != 'grabby':\n        return None",
    )
    r = bizops_run("--plugin", write(tmp_path, "old", old), "--company", "grabby", "quote", "--x", "1")
    assert r.exit_code == 0 and r.rows()[0]["x"] == 42, r


def test_the_cores_default_answers_when_the_companys_plugin_does_not(bizops_run, tmp_path, monkeypatch):
    """`bizops.core.defaults` is asked last, for every company: a hook given a default there answers."""
    import bizops.core.defaults as defaults
    from bizops.api import Column, CommandSpec, Field, hookimpl, map_rows

    @hookimpl(trylast=True)
    def bizops_score(events):
        return [{"x": 7, "status": "ok"} for _ in events]

    monkeypatch.setattr(defaults, "bizops_score", bizops_score, raising=False)
    lazy = write(tmp_path, "lazy", GRABBY.replace("@hookimpl\ndef bizops_score(events):", "def _unused(events):"))
    r = bizops_run("--plugin", lazy, "--company", "grabby", "score", "--x", "1", "--format", "json")
    assert (r.exit_code, r.json()["x"]) == (0, 7), r  # the default: grabby has no bizops_score now
    r = bizops_run("--plugin", write(tmp_path, "full", GRABBY), "--company", "grabby", "score", "--x", "1")
    assert r.rows()[0]["x"] == 42  # a plugin that implements the hook answers before the default
    r = bizops_run("--company", "airline", "quote", "--format", "json")
    assert r.exit_code == 69  # no default for bizops_price: a company without it has no rules for quote

    @hookimpl(trylast=True)
    def bizops_price(requests):
        return map_rows(requests, lambda fields: {"x": fields["x"] * 2, "status": "ok"})

    monkeypatch.setattr(defaults, "bizops_price", bizops_price, raising=False)
    monkeypatch.setitem(defaults.COMMANDS, "quote", CommandSpec((Field("x", "int"),), (Column("x", "int"),)))
    r = bizops_run("--company", "airline", "quote", "--x", "4", "--format", "json")
    assert (r.exit_code, r.json()["x"], r.json()["company"]) == (0, 8, "airline"), r  # the core's quote
    r = bizops_run("--company", "cable", "quote", "--guide-price", "100", "--format", "json")
    assert r.json()["unit_price"] == "100.00"  # the cable maker's own spec and hook come first


# -- extensions ---------------------------------------------------------------------------
THRESHOLDS = """
from bizops.api import Extension, hookimpl


@hookimpl
def bizops_company():
    return Extension("cable", version="1.0", defaults={"lead_time_standard": "5 days", "floor_pct": 80})
"""

BIG_ORDERS = """
from bizops.api import Extension, Rule, hookimpl, round_fen

BIG = Rule("cable.price.big", "深圳分公司 第1条", en="guide prices over 1000 are quoted at 95 %", zh="大额九五折")


@hookimpl
def bizops_company():
    return Extension("cable", version="2.1", rules=(BIG,))


@hookimpl(wrapper=True)
def bizops_price(requests, policy, context):
    outcomes = yield  # the cable maker's own results, changed where the branch's rule says
    return (big(result, context) for result in outcomes)


def big(result, context):
    if type(result) is dict and result["guide_price"] > 1000:
        result["unit_price"] = round_fen(result["guide_price"] * 95 / 100)
        result["total"] = round_fen(result["unit_price"] * result["qty"])
        if context.explain:
            result["trace"].append(BIG.applied("95 %"))
    return result
"""

#: An extension that answers every quote of the cable maker itself, and one that reads the quotes and declines.
FIRST = """
from bizops.api import Extension, hookimpl, map_rows


@hookimpl
def bizops_company():
    return Extension("cable")


@hookimpl
def bizops_price(requests):
    money = ("guide_price", "floor_unit_price", "unit_price", "total")  # every money column a quote declares
    return map_rows(requests, lambda f: {**dict.fromkeys(money, f["guide_price"]), "status": "ok"})
"""
DECLINER = FIRST.replace(
    "    return map_rows(", "    if any(f['qty'] > 5 for _, f in requests):\n        return None\n    return map_rows("
)


def test_an_extension_changing_thresholds_only(bizops_run, tmp_path):
    ext = write(tmp_path, "cable_sz", THRESHOLDS)
    assert check_plugin(ext) == []
    quote = ("--company", "cable", "quote", "--guide-price", "100", "--discount-pct", "15", "--format", "json")
    plain = bizops_run(*quote)
    assert (plain.exit_code, plain.json()["lead_time"], plain.json()["status"]) == (1, "3-4 days", "refused")
    r = bizops_run("--plugin", ext, *quote)
    assert (r.exit_code, r.json()["lead_time"], r.json()["status"], r.json()["unit_price"]) == (
        0,
        "5 days",
        "ok",
        "85.00",
    )
    shown = {
        row["name"]: row
        for row in bizops_run("--plugin", ext, "--company", "cable", "policy", "show", "--format", "json").json()
    }
    assert shown["floor_pct"]["value"] == 80 and shown["floor_pct"]["source"] == "default of cable_sz"
    assert shown["deposit_pct"]["source"] == "default"
    (tmp_path / "bizops.toml").write_text("[company.cable]\nfloor_pct = 85\n", encoding="utf-8")
    assert bizops_run("--plugin", ext, *quote).json()["status"] == "ok"  # 85 % of 100 is the floor itself
    listed = {row["name"]: row for row in bizops_run("--plugin", ext, "companies", "--format", "json").json()}
    assert (listed["cable_sz"]["extends"], listed["cable_sz"]["version"]) == ("cable", "1.0")
    assert listed["cable"]["extends"] is None


def test_an_extension_is_asked_first_and_only_for_its_company(bizops_run, tmp_path):
    first = write(tmp_path, "first", FIRST)
    assert check_plugin(first) == []
    r = bizops_run(
        "--plugin", first, "--company", "cable", "quote", "--guide-price", "100", "--qty", "3", "--format", "json"
    )
    assert (r.exit_code, r.json()["total"], r.json()["discount_pct"]) == (0, "100.00", None), (
        r
    )  # its answer, not cable's
    r = bizops_run("--plugin", first, "--company", "pv", "quote", "--format", "json")
    assert r.exit_code == 69  # an extension of cable adds nothing to pv


def test_an_extension_changes_results_with_a_wrapper(bizops_run, tmp_path):
    ext = write(tmp_path, "big", BIG_ORDERS)
    assert check_plugin(ext) == []
    quote = ("--plugin", ext, "--company", "cable", "quote", "-", "--format", "json", "--explain")
    r = bizops_run(*quote, input='{"guide_price": "2000", "qty": 2}\n{"guide_price": "100", "qty": 2}\n')
    assert r.exit_code == 0, r
    assert [(x["unit_price"], x["total"]) for x in r.json()] == [("1900.00", "3800.00"), ("100.00", "200.00")]
    assert r.json()[0]["trace"][-1]["rule"] == "cable.price.big"


def test_a_wrong_result_from_an_extended_company_names_every_plugin_that_answered(bizops_run, tmp_path):
    floaty = write(
        tmp_path,
        "floaty",
        BIG_ORDERS.replace(
            "        if context.explain:",
            '        result["total"] = float(result["total"])\n        if context.explain:',
        ),
    )
    r = bizops_run("--plugin", floaty, "--company", "cable", "quote", "--guide-price", "2000")
    assert r.exit_code == 70 and r.stdout == "", r
    assert r.stderr.startswith("bizops: plugin 'floaty + cable' failed in bizops_price: returned an invalid result: ")
    assert "float" in r.stderr.splitlines()[0]


def test_an_extension_reading_the_requests_then_declining_is_named(bizops_run, tmp_path):
    """It would leave the cable maker's plugin an empty stream: quotes lost without a word."""
    declines = write(tmp_path, "declines", DECLINER)
    r = bizops_run("--plugin", declines, "--company", "cable", "quote", "-", input='{"guide_price": "100", "qty": 9}\n')
    assert r.exit_code == 70 and r.stdout == "", r
    assert r.stderr.startswith(
        "bizops: plugin 'declines' failed in bizops_price: read the requests, then returned None and left them "
        "to the next plugin"
    )


def test_a_recorded_decision_keeps_the_extensions_version(bizops_run, tmp_path):
    ext = write(tmp_path, "big", BIG_ORDERS)
    db = str(tmp_path / "l.db")
    r = bizops_run("--plugin", ext, "--db", db, "--company", "cable", "quote", "--guide-price", "2000", "--record")
    assert r.exit_code == 0, r
    [shown] = bizops_run("--db", db, "ledger", "list", "--format", "json").json()
    shown = bizops_run("--db", db, "ledger", "show", str(shown["id"]), "--format", "json").json()
    assert (shown["plugin"], shown["plugin_version"]) == ("big + cable", "0.2.0 + big 2.1")


@pytest.mark.parametrize(
    ("defaults", "problem"),
    [
        (
            '{"floor_pct": 180}',
            "plugin 'bad' failed in bizops_company: defaults: floor_pct must be ≤ 100, got 180 (allowed: pct, ≥ 0, ≤ 100)",
        ),
        (
            '{"no_such": 1}',
            "plugin 'bad' failed in bizops_company: defaults: cable has no setting 'no_such'; its settings: ",
        ),
    ],
)
def test_an_extension_with_a_bad_default_fails_its_companys_commands_only(bizops_run, tmp_path, defaults, problem):
    bad = write(tmp_path, "bad", THRESHOLDS.replace('{"lead_time_standard": "5 days", "floor_pct": 80}', defaults))
    r = bizops_run("--plugin", bad, *CABLE_QUOTE)
    assert r.exit_code == 70 and r.stderr.startswith("bizops: " + problem), r
    detail = problem.split("bizops_company: ", 1)[1]
    assert any(detail in found for found in check_plugin(bad))
    r = bizops_run("--plugin", bad, "--company", "pile", "approve-order", "--submitted-at", "2026-11-23T09:01")
    assert r.exit_code == 0, r


def test_check_plugin_knows_an_extension_of_nobody(tmp_path):
    ext = write(tmp_path, "nobody", THRESHOLDS.replace('Extension("cable"', 'Extension("nobody"'))
    [problem] = check_plugin(ext)
    assert problem.startswith("extends 'nobody': unknown company 'nobody'; installed: airline, cable, ")


def test_hooks_with_nothing_declared_are_never_asked_and_check_plugin_says_so(tmp_path):
    lost = write(
        tmp_path, "lost", "from bizops.api import hookimpl\n\n@hookimpl\ndef bizops_price(requests):\n    return []\n"
    )
    assert check_plugin(lost) == ["bizops_price: bizops never asks it: bizops_company declares no Company or Extension"]


# -- installed plugins: found by entry point, imported only when their company is ----------
def install(site: Path, dist: str, points: dict[str, str], modules: dict[str, str]) -> None:
    site.mkdir(exist_ok=True)
    for module, text in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    info = site / f"{dist}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist.split('-')[0]}\n", encoding="utf-8")
    lines = "".join(f"{name} = {module}\n" for name, module in points.items())
    (info / "entry_points.txt").write_text(f"[bizops]\n{lines}", encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """Installed plugins with module names no other test uses: `site.names[...]`."""
    tag = uuid.uuid4().hex[:8]
    names = {key: f"{key}_{tag}" for key in ("grabby", "cable_sz", "misnamed")}
    root = tmp_path / "site"
    install(root, "bizops_grabby-3.1", {"grabby": names["grabby"]}, {names["grabby"]: GRABBY})
    install(root, "bizops_cable_sz-1.4", {"cable-shenzhen": names["cable_sz"]}, {names["cable_sz"]: THRESHOLDS})
    install(
        root,
        "bizops_misnamed-0.9",
        {"misnamed": names["misnamed"]},
        {names["misnamed"]: GRABBY.replace("grabby", "other")},
    )
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    return names


def test_a_decision_imports_only_the_plugins_of_its_company(bizops_run, site):
    r = bizops_run("--company", "cable", "quote", "--guide-price", "100", "--discount-pct", "15", "--format", "json")
    assert (r.exit_code, r.json()["lead_time"]) == (0, "5 days"), r  # the installed extension of cable applied
    assert site["cable_sz"] in sys.modules
    assert site["grabby"] not in sys.modules and site["misnamed"] not in sys.modules
    r = bizops_run("--company", "grabby", "quote", "--x", "1")
    assert r.rows()[0]["x"] == 42 and site["grabby"] in sys.modules
    assert site["misnamed"] not in sys.modules


def test_companies_imports_every_plugin_and_shows_versions_and_misnamed_entry_points(bizops_run, site):
    rows = {row["name"]: row for row in bizops_run("companies", "--format", "json").json()}
    assert site["misnamed"] in sys.modules
    assert (rows["grabby"]["version"], rows["grabby"]["source"]) == ("3.1", "entry point (bizops_grabby-3.1)")
    assert (rows["cable-shenzhen"]["version"], rows["cable-shenzhen"]["extends"]) == ("1.4", "cable")
    assert rows["cable"]["version"] == "0.2.0"  # a built-in's own: the version of its rules
    assert rows["misnamed"]["status"] == "failed"
    assert rows["misnamed"]["error"] == (
        "bizops_company: the entry point 'misnamed' brings the company 'other': name the entry point after its company"
    )


def test_an_installed_plugin_named_like_a_built_in_company_is_named_not_silently_skipped(
    bizops_run, tmp_path, monkeypatch
):
    module = f"fake_cable_{uuid.uuid4().hex[:8]}"
    install(tmp_path / "site", "bizops_fake-1.0", {"cable": module}, {module: GRABBY.replace("grabby", "cable")})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    r = bizops_run(*CABLE_QUOTE)
    assert (r.exit_code, r.json()["total"]) == (0, "968.40")
    assert (
        "bizops: plugin 'cable' failed in register: a built-in company has the name 'cable' (an extension of it"
        in r.stderr
    )
    assert module not in sys.modules


def test_bizops_plugins_and_no_plugins_still_limit_installed_plugins(bizops_run, site):
    quote = ("--company", "cable", "quote", "--guide-price", "100", "--format", "json")
    assert bizops_run(*quote, env={"BIZOPS_PLUGINS": "grabby"}).json()["lead_time"] == "3-4 days"
    assert bizops_run("--no-plugins", *quote).json()["lead_time"] == "3-4 days"
    assert bizops_run(*quote, env={"BIZOPS_PLUGINS": "cable-shenzhen"}).json()["lead_time"] == "5 days"


def test_a_plugin_in_development_takes_its_version_from_its_package(bizops_run, tmp_path):
    template = Path(__file__).resolve().parents[2] / "plugins-contrib" / "template" / "bizops_mycompany"
    rows = {row["name"]: row for row in bizops_run("--plugin", template, "companies", "--format", "json").json()}
    assert rows["mycompany"]["version"] == "0.1.0"  # pyproject.toml beside the package
    lone = write(tmp_path, "lone", GRABBY)
    rows = {row["name"]: row for row in bizops_run("--plugin", lone, "companies", "--format", "json").json()}
    assert rows["grabby"]["version"] == "dev"  # no package, no version declared


# -- the companies' own commands, as data ----------------------------------------------------
FORECAST = """
from bizops.api import NOW, Column, CommandSpec, Company, Field, hookimpl


def _forecast(requests, policy, context):
    weeks, at = context.options["horizon"], context.options["at"]
    return [{"sku": f["sku"], "weeks": weeks, "at": at, "status": "ok"} for _, f in requests]


def _summary(requests, policy, context):
    return [{"sku": "all", "weeks": context.options["horizon"], "at": context.options["at"], "status": "ok"}]


OPTIONS = (Field("horizon", "int", en="Weeks ahead.", default=4, ge=1), Field("at", "datetime", default=NOW))
OUT = (Column("sku", "text"), Column("weeks", "int"), Column("at", "datetime"), Column("status", "enum"))
COMMANDS = {
    "fore forecast": CommandSpec(
        inputs=(Field("sku", "text", required=True),), outputs=OUT, help="Demand forecast.", run=_forecast,
        options=OPTIONS + (Field("summary", "bool", default=False),), switch={"summary": "fore summary"},
        aggregate=True,
    ),
    "fore summary": CommandSpec(outputs=OUT, help="One line.", run=_summary, options=OPTIONS, aggregate=True),
}


@hookimpl
def bizops_company():
    return Company("fore", zh="预测", en="Forecasts", commands=COMMANDS)
"""


def test_a_command_of_the_companys_own_is_built_from_its_declaration(bizops_run, tmp_path):
    fore = write(tmp_path, "fore", FORECAST)
    assert check_plugin(fore) == []
    bizops = ("--plugin", fore)
    r = bizops_run(
        *bizops, "fore", "forecast", "--sku", "A1", "--horizon", "6", "--now", "2026-11-23T09:00", "--format", "json"
    )
    assert r.exit_code == 0, r
    assert r.json() == {
        "company": "fore",
        "sku": "A1",
        "weeks": 6,
        "at": "2026-11-23T09:00",
        "status": "ok",
        "warnings": [],
    }
    r = bizops_run(*bizops, "fore", "forecast", "--sku", "A1", "--horizon", "0")
    assert r.exit_code == 2 and 'bizops: --horizon must be ≥ 1, got "0"' in r.stderr, r
    r = bizops_run(*bizops, "fore", "forecast", "--summary", "--at", "2026-12-01T08:00", "--format", "json")
    assert (r.json()["sku"], r.json()["weeks"], r.json()["at"]) == ("all", 4, "2026-12-01T08:00"), r
    help_text = bizops_run(*bizops, "--help").stdout
    assert "  fore " in help_text and "Forecasts (预测): forecast, summary." in help_text


def test_bizops_check_runs_a_command_of_the_companys_own_from_the_registry(bizops_run, tmp_path):
    fore = write(tmp_path, "fore", FORECAST)
    (tmp_path / "cases.toml").write_text(
        'company = "fore"\n'
        '[[case]]\nname = "ok: six weeks"\ncommand = "fore forecast"\noptions = { horizon = 6 }\n'
        'input = { sku = "A1" }\nexpect = { weeks = 6 }\n'
        '[[case]]\nname = "ok: summary"\ncommand = "fore forecast"\noptions = { summary = true }\n'
        'expect = { sku = "all", weeks = 4 }\n'
        '[[case]]\nname = "no such option"\ncommand = "fore forecast"\noptions = { months = 1 }\nexpect = {}\n',
        encoding="utf-8",
    )
    r = bizops_run("--plugin", fore, "check", "cases.toml", "-k", "ok:", "--format", "json")
    assert r.exit_code == 0 and [row["status"] for row in r.json()] == ["ok", "ok"], r
    r = bizops_run("--plugin", fore, "check", "cases.toml", "--format", "json")
    assert r.exit_code == 65 and "fore forecast has no option 'months'; its options: horizon, at, summary" in r.stderr


def test_a_0_1_plugin_adding_commands_with_typer_is_refused_saying_what_to_do(bizops_run, tmp_path):
    old = write(tmp_path, "grabby", GRABBY + "\n\n@hookimpl\ndef bizops_register_commands(app):\n    pass\n")
    r = bizops_run("--plugin", old, "--company", "grabby", "quote", "--x", "1")
    assert r.exit_code == 70, r
    assert r.stderr.startswith(
        "bizops: plugin 'grabby' failed in register: plugin API 1.0 has no bizops_register_commands: declare the "
        "command in Company.commands with run= (docs/plugin-guide.md, 'Migrating from plugin API 0.1')"
    )
