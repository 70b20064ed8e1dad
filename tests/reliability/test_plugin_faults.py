"""Plugins that misbehave: each is named, with exit 70, while the other plugins and `bizops companies` work.

`plugins/rogue.py` is a company whose fault is picked by the `ROGUE`
variable; `broken_syntax.py` does not compile and `misspelt.py` implements
`bizops_quoet`. Installed plugins are simulated the way pip installs them: a
`*.dist-info/entry_points.txt` in a directory on `PYTHONPATH`.
"""

from __future__ import annotations

import json

import pytest
from reliability_support import PLUGINS, assert_contract, run_process

ROGUE = str(PLUGINS / "rogue.py")
QTYS = "".join(json.dumps({"qty": q}) + "\n" for q in (1, 2, 3, 13, 5))


@pytest.fixture
def rogue(bizops_run):
    """`rogue(fault, *args)`: bizops with the rogue plugin misbehaving as `fault` says."""

    def invoke(fault, *args, input=None):
        return bizops_run("--plugin", ROGUE, *args, input=input, env={"ROGUE": fault})

    return invoke


def cable_quote_works(run) -> None:
    assert_contract(run, 0)
    assert [r["total"] for r in run.rows()] == ["968.40"]


CABLE_QUOTE = (
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
)


def test_a_well_behaved_rogue_is_exact(rogue):
    r = rogue("", "--company", "rogue", "quote", "-", input=QTYS)
    assert_contract(r, 1)  # qty 13 is refused
    assert [x["total"] for x in r.rows()] == ["2.50", "5.00", "7.50", "32.50", "12.50"]


# -- faults in a hook ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fault, message",
    [
        ("raise", "plugin 'rogue' failed in bizops_price: ValueError: qty 3 is unlucky"),
        ("exit", "plugin 'rogue' failed in bizops_price: called sys.exit(3)"),
        (
            "float",
            "plugin 'rogue' failed in bizops_price: returned an invalid result: column 'total' (money) got "
            "float 2.5: money must be a Decimal",
        ),
        (
            "negative",
            "plugin 'rogue' failed in bizops_price: returned an invalid result: column 'unit_price' (money) "
            "got Decimal('-2.50'): must be ≥ 0",
        ),
        (
            "unrounded",
            "plugin 'rogue' failed in bizops_price: returned an invalid result: column 'total' (money) got "
            "Decimal('0.8333",
        ),
        ("short", "plugin 'rogue' failed in bizops_price: returned no result for 1 request(s)"),
        ("not-dict", "plugin 'rogue' failed in bizops_price: returned str, not a result dict or RowError"),
    ],
)
def test_a_failing_hook_is_named_with_exit_70_and_no_traceback(rogue, fault, message):
    r = rogue(fault, "--company", "rogue", "quote", "-", input=QTYS)
    assert_contract(r, 70)
    assert r.stderr.splitlines()[0].startswith("bizops: " + message), r.stderr
    assert "bizops: (run with --debug for the traceback)" in r.stderr
    for row in r.rows():  # whatever was written before the failure is whole and right
        assert row["total"] == f"{row['qty'] * 5 // 2}.{(row['qty'] * 250) % 100:02d}"
    cable_quote_works(rogue(fault, *CABLE_QUOTE))  # the other companies are untouched


def test_debug_shows_the_traceback_of_a_failing_hook(rogue):
    r = rogue("raise", "--company", "rogue", "quote", "-", "--debug", input=QTYS)
    assert r.exit_code == 70
    assert "Traceback" in r.stderr and "rogue.py" in r.stderr and "ValueError: qty 3 is unlucky" in r.stderr


def test_a_plugin_raising_whatever_it_is_asked_breaks_only_its_own_company(rogue):
    """Hooks are routed by company: the rogue is never asked about the cable maker's quotes."""
    cable_quote_works(rogue("everywhere", *CABLE_QUOTE))
    r = rogue("everywhere", "--company", "rogue", "quote", "--qty", "1")
    assert_contract(r, 70)
    assert r.stderr.startswith("bizops: plugin 'rogue' failed in bizops_price: RuntimeError: rogue breaks every quote")


def test_a_plugin_that_prints_cannot_spoil_the_data(rogue):
    r = rogue("print", "--company", "rogue", "quote", "-", input=QTYS)
    assert_contract(r, 70)
    assert [x["total"] for x in r.rows()] == ["2.50", "5.00", "7.50", "32.50", "12.50"]  # stdout is pure JSON Lines
    assert "rogue: pricing 13" in r.stderr
    assert (
        "bizops: plugin 'rogue' failed in print: wrote to stdout (moved to stderr, where messages belong)" in r.stderr
    )


@pytest.mark.parametrize("fault", ["raise", "print", "float", "exit", "os-exit"])
def test_faults_in_worker_processes_are_reported_the_same(rogue, tmp_path, fault):
    """Over a megabyte of input: `--jobs` decides it in forked workers."""
    (tmp_path / "qty.jsonl").write_text(
        "".join(f'{{"qty": {i % 12 + 1}, "pad": "{"x" * 30}"}}\n' for i in range(40_000))
    )
    r = rogue(fault, "--company", "rogue", "quote", "qty.jsonl", "--jobs", "3")
    assert_contract(r, 70)
    assert "plugin 'rogue' failed in " in r.stderr
    if fault == "print":
        assert len(r.rows()) == 40_000
    if fault == "os-exit":  # a dead worker is a failure, not a hang
        assert "a --jobs worker process died while deciding; run with --jobs 1 to see the row" in r.stderr


def test_a_negative_price_is_refused_in_every_output_format_and_under_record(rogue, tmp_path):
    for fmt in ("table", "csv", "json", "markdown"):
        r = rogue("negative", "--company", "rogue", "quote", "--qty", "2", "--format", fmt)
        assert_contract(r, 70)
        assert "must be ≥ 0" in r.stderr and "-2.50" not in r.stdout
    r = rogue("negative", "--company", "rogue", "--db", str(tmp_path / "l.db"), "quote", "--qty", "2", "--record")
    assert_contract(r, 70)
    listing = rogue("", "ledger", "list", "--db", str(tmp_path / "l.db"), "--format", "json")
    assert_contract(listing, 0)
    assert listing.json() == []  # nothing recorded for a result that could not be written


# -- faults while loading --------------------------------------------------------------------------
def test_a_plugin_with_a_syntax_error_is_named_and_the_others_still_load(bizops_run):
    broken = str(PLUGINS / "broken_syntax.py")
    r = bizops_run("--plugin", broken, *CABLE_QUOTE)
    cable_quote_works(r)
    assert (
        "bizops: plugin 'broken_syntax' failed in import: SyntaxError: expected ':' (broken_syntax.py, line 6); "
        "left out, the other plugins still work" in r.stderr
    )
    r = bizops_run("--plugin", broken, "companies", "--format", "json")
    assert_contract(r, 0)
    listed = {row["name"]: row for row in r.json()}
    assert {"cable", "pv", "pile", "airline"} <= set(listed)
    assert listed["broken_syntax"]["status"] == "failed" and "SyntaxError" in listed["broken_syntax"]["error"]
    assert all(row["status"] == "loaded" for name, row in listed.items() if name != "broken_syntax")
    r = bizops_run("--plugin", broken, "--company", "broken_syntax", "quote", "--x", "1")
    assert_contract(r, 70)
    assert r.stderr.startswith("bizops: plugin 'broken_syntax' failed in import: SyntaxError")


def test_a_misspelt_hook_is_refused_by_name_not_ignored(bizops_run):
    misspelt = str(PLUGINS / "misspelt.py")
    r = bizops_run("--plugin", misspelt, "--company", "misspelt", "quote", "--x", "1")
    assert_contract(r, 70)
    assert r.stderr.startswith(
        "bizops: plugin 'misspelt' failed in register: unknown hook 'bizops_quoet' "
        "(the hooks are: bizops_approve, bizops_collect, bizops_commission, bizops_company, bizops_expense, "
        "bizops_price, "
    )
    cable_quote_works(bizops_run("--plugin", misspelt, *CABLE_QUOTE))
    listed = {
        row["name"]: row["status"] for row in bizops_run("--plugin", misspelt, "companies", "--format", "json").json()
    }
    assert listed["misspelt"] == "failed" and listed["cable"] == "loaded"


@pytest.mark.parametrize(
    "fault, hook, detail",
    [
        ("import-exit", "import", "called sys.exit(4)"),
        ("company-raise", "bizops_company", "RuntimeError: no company today"),
    ],
)
def test_a_plugin_failing_to_load_leaves_the_others_working(rogue, fault, hook, detail):
    r = rogue(fault, "--company", "rogue", "quote", "--qty", "1")
    assert_contract(r, 70)
    assert r.stderr.startswith(f"bizops: plugin 'rogue' failed in {hook}: {detail}")
    cable_quote_works(rogue(fault, *CABLE_QUOTE))
    r = rogue(fault, "companies", "--format", "json")
    assert_contract(r, 0)
    assert {row["name"]: row["status"] for row in r.json()}["rogue"] == "failed"


def test_printing_while_loading_goes_to_stderr(rogue):
    r = rogue("import-print", *CABLE_QUOTE)
    cable_quote_works(r)  # stdout holds only the result
    assert "rogue: hello from import" in r.stderr
    assert "plugin 'rogue' failed in loading: wrote to stdout" in r.stderr


# -- installed plugins, BIZOPS_PLUGINS and --no-plugins --------------------------------------------
@pytest.fixture
def site(tmp_path):
    """A directory laid out as pip installs plugins: the rogue and broken plugins with their dist-info."""
    root = tmp_path / "site"
    root.mkdir()
    for dist, name, module in (
        ("bizops_rogue-1.0", "rogue", "rogue"),
        ("bizops_broken-0.1", "broken", "broken_syntax"),
    ):
        (root / f"{module}.py").write_text((PLUGINS / f"{module}.py").read_text(encoding="utf-8"), encoding="utf-8")
        info = root / f"{dist}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist.split('-')[0]}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(f"[bizops]\n{name} = {module}\n")
    return root


def installed(tmp_path, site, *args, **env):
    return run_process(list(args), tmp_path, PYTHONPATH=str(site), **env)


def test_installed_plugins_load_from_entry_points_and_a_broken_one_is_named(tmp_path, site):
    r = installed(tmp_path, site, "--company", "rogue", "quote", "--qty", "4")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["total"] == "10.00"
    assert r.stderr == b""  # only rogue's entry point was imported: the broken one is not about rogue
    r = installed(tmp_path, site, "companies", "--format", "json")
    assert r.returncode == 0
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert rows["rogue"]["source"] == "entry point (bizops_rogue-1.0)" and rows["rogue"]["status"] == "loaded"
    assert rows["rogue"]["version"] == "1.0"  # the package's, not the 6.6.6 it declares
    assert rows["broken"]["status"] == "failed"
    assert b"plugin 'broken' failed in import: SyntaxError" in r.stderr
    r = installed(tmp_path, site, "--company", "broken", "quote", "--qty", "1")
    assert r.returncode == 70 and r.stderr.startswith(b"bizops: plugin 'broken' failed in import: SyntaxError")


def test_bizops_plugins_limits_what_loads(tmp_path, site):
    r = installed(tmp_path, site, "companies", "--format", "json", BIZOPS_PLUGINS="rogue")
    names = {row["name"] for row in json.loads(r.stdout)}
    assert "rogue" in names and "broken" not in names and r.stderr == b""
    r = installed(tmp_path, site, "companies", "--format", "json", BIZOPS_PLUGINS="")
    names = {row["name"] for row in json.loads(r.stdout)}
    assert names == {"cable", "pv", "pile", "airline"} and r.stderr == b""  # built-ins are part of bizops
    r = installed(tmp_path, site, "--company", "rogue", "quote", "--qty", "1", BIZOPS_PLUGINS="broken")
    assert r.returncode == 2 and b"unknown company 'rogue'" in r.stderr


def test_no_plugins_works_whatever_an_installed_plugin_does(tmp_path, site):
    for fault in ("import-exit", "import-print", "company-raise", "everywhere"):
        r = installed(tmp_path, site, "--no-plugins", "companies", "--format", "json", ROGUE=fault)
        assert r.returncode == 0 and r.stderr == b"", r
        assert {row["name"] for row in json.loads(r.stdout)} == {"cable", "pv", "pile", "airline"}
        r = installed(tmp_path, site, "--no-plugins", *CABLE_QUOTE, ROGUE=fault)
        assert r.returncode == 0 and json.loads(r.stdout)["total"] == "968.40"
        r = installed(tmp_path, site, *CABLE_QUOTE, ROGUE=fault)  # without --no-plugins: rogue is not imported
        assert r.returncode == 0 and json.loads(r.stdout)["total"] == "968.40", r
        assert r.stderr == b""
        r = installed(tmp_path, site, "companies", "--format", "json", ROGUE=fault)  # imported: named
        assert r.returncode == 0 and b"Traceback" not in r.stderr
        if fault != "everywhere":
            assert b"plugin 'rogue' failed in " in r.stderr


def test_a_config_file_cannot_add_plugins(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text(f'plugins = ["{ROGUE}"]\n')
    r = bizops_run(*CABLE_QUOTE)
    assert_contract(r, 78)
    assert "unknown key 'plugins'" in r.stderr and "plugins are not loaded from a config file" in r.stderr
