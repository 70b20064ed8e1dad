"""Policy: defaults, the config file, `policy show / init / check`, and config errors (exit 78)."""

import tomllib


def test_show_gives_each_value_and_its_source(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.cable]\nfloor_pct = 85\n")
    rows = {row["name"]: row for row in bizops_run("--company", "cable", "policy", "show").rows()}
    assert rows["floor_pct"]["value"] == 85 and rows["floor_pct"]["source"].endswith("bizops.toml")
    assert rows["cod_min_amount"]["value"] == 1500 and rows["cod_min_amount"]["source"] == "default"


def test_init_writes_a_complete_valid_file(bizops_run, tmp_path):
    for company in ("cable", "pv", "pile", "airline"):
        text = bizops_run("--company", company, "policy", "init").stdout
        data = tomllib.loads(text)
        assert data["company"]["name"] == company
        out = tmp_path / f"{company}.toml"
        out.write_text(text)
        checked = bizops_run("policy", "check", str(out))
        assert checked.exit_code == 0, checked
        assert checked.rows()[0]["status"] == "ok"


def test_init_refuses_to_overwrite_without_force(bizops_run, tmp_path):
    target = tmp_path / "bizops.toml"
    target.write_text("# mine\n")
    assert bizops_run("--company", "cable", "policy", "init", "-o", str(target)).exit_code == 2
    assert target.read_text() == "# mine\n"
    assert bizops_run("--company", "cable", "policy", "init", "-o", str(target), "--force").exit_code == 0
    assert "cod_min_amount = 1500" in target.read_text()


def test_a_threshold_in_the_config_changes_the_decision(bizops_run, tmp_path):
    order = (
        "--company",
        "cable",
        "approve-order",
        "--customer",
        "新客户",
        "--amount",
        "1800",
        "--city",
        "广州",
        "--new-customer",
        "--format",
        "json",
    )
    assert bizops_run(*order).json()["payment_terms"] == "cod"
    (tmp_path / "bizops.toml").write_text("[company.cable]\ncod_min_amount = 2000\n")
    assert bizops_run(*order).json()["payment_terms"] == "cash"


def test_bad_config_names_the_file_the_key_and_what_is_allowed(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.cable]\nfloor_pct = 150\n")
    r = bizops_run("--company", "cable", "quote", "--guide-price", "1")
    assert r.exit_code == 78
    assert "bizops.toml" in r.stderr and "floor_pct" in r.stderr and "≤ 100" in r.stderr


def test_an_unknown_key_and_malformed_toml_are_exit_78(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.cable]\nflor_pct = 85\n")
    r = bizops_run("--company", "cable", "quote", "--guide-price", "1")
    assert r.exit_code == 78 and "unknown key 'flor_pct'" in r.stderr and "floor_pct" in r.stderr
    (tmp_path / "bizops.toml").write_text("[company.cable\n")
    r = bizops_run("--company", "cable", "quote", "--guide-price", "1")
    assert r.exit_code == 78 and "line 1" in r.stderr


def test_a_config_cannot_load_plugins(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text('plugins = ["evil"]\n')
    r = bizops_run("--company", "cable", "quote", "--guide-price", "1")
    assert r.exit_code == 78 and "plugins are not loaded from a config file" in r.stderr
