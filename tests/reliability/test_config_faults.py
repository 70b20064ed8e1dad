"""Broken policy files: exit 78 naming the file, the key and what is allowed; passwords never shown."""

from __future__ import annotations

import pytest
from reliability_support import assert_contract

QUOTE = ("--company", "cable", "quote", "--guide-price", "100")
SECRET = "S3cr3t-pa55"
URL = f"postgresql://sales:{SECRET}@127.0.0.1:1/books"


def with_config(bizops_run, tmp_path, text: str | bytes, *args: str):
    path = tmp_path / "bizops.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return bizops_run(*(args or QUOTE))


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "[company.cable\nfloor_pct = 80\n",
            "bizops.toml: not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 15)",
        ),
        ("[company.cable]\nfloor_pct = 80\nfloor_pct = 81\n", "(at line 3, column 15)"),
        ("[company.cable]\nfloor_pct = \n", "not valid TOML: Invalid value (at line 2, column 13)"),
        ("[company.cable]\nfloor_pct = 8 0\n", "(at line 2, column 15)"),
        ('company = "cable\n', "not valid TOML: Illegal character '\\n' (at line 1, column 17)"),
        (b"[company.cable]\nfloor_pct = \xff\n", "bizops.toml: not valid TOML: a TOML file is UTF-8 text"),
    ],
)
def test_malformed_toml_gives_line_and_column(bizops_run, tmp_path, text, message):
    r = with_config(bizops_run, tmp_path, text)
    assert_contract(r, 78)
    assert r.stdout == ""
    assert message in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "[company.cable]\nflor_pct = 80\n",
            "bizops.toml: [company.cable] unknown key 'flor_pct'; known keys: price_list, max_no_vat_discount_pct, floor_pct",
        ),
        ("plugins = ['evil']\n", "bizops.toml: unknown key 'plugins'; allowed at the top: company, lang, format, db"),
        (
            "[company.cable]\nfloor_pct = 'abc'\n",
            'bizops.toml: [company.cable] floor_pct must be a number, got "abc" (allowed: pct, ≥ 0, ≤ 100)',
        ),
        (
            "[company.cable]\nfloor_pct = true\n",
            "floor_pct must not be true/false, got true (allowed: pct, ≥ 0, ≤ 100)",
        ),
        ("[company.cable]\nfloor_pct = [90]\n", "floor_pct must be a number, got [90]"),
        ("[company.cable]\nfloor_pct = 1979-05-27\n", "floor_pct must be a number, got 1979-05-27"),
        ("[company.cable]\nfloor_pct = {a = 1}\n", "floor_pct must be a number, got {a = 1}"),
        ("[company.cable]\nfloor_pct = 150\n", "floor_pct must be ≤ 100, got 150 (allowed: pct, ≥ 0, ≤ 100)"),
        ("[company.cable]\nfloor_pct = -1\n", "floor_pct must be ≥ 0, got -1"),
        ("[company.cable]\nfloor_pct = nan\n", "floor_pct must be a finite number, got nan"),
        ("[company.cable]\nfloor_pct = inf\n", "floor_pct must be a finite number, got inf"),
        ("[company.cable]\nquote_due_hours = 0\n", "quote_due_hours must be ≥ 1, got 0 (allowed: int, ≥ 1, ≤ 8760)"),
        ("[company.cable]\nquote_due_hours = 2.5\n", "quote_due_hours must be a whole number, got 2.5"),
        ("[company.cable]\nquote_due_hours = 99999999999999999999\n", "quote_due_hours has too many digits"),
        (
            "[company.cable]\ncod_min_amount = 1500.005\n",
            "cod_min_amount has more than 2 decimals (the fen), got 1500.005",
        ),
        ("[company.cable]\ncod_min_amount = '2万'\n", "cod_min_amount Chinese number words are not read"),
        ("[company.cable]\nhome_city = '广州'\n", 'home_city must be a list, got "广州" (allowed: text list)'),
        ("[company.cable]\ndeposit_applies_to = 'some'\n", 'deposit_applies_to must be one of new, all, got "some"'),
        ("company = 5\n", "bizops.toml: 'company' must be a company name, or a table of [company.NAME] tables"),
        ("db = 5\n", "bizops.toml: 'db' must be text"),
        ("lang = 'fr'\n", "bizops.toml: lang must be one of zh, en, got 'fr'"),
        (
            "format = 'xml'\n",
            "bizops.toml: format must be one of table, markdown, json, jsonl, csv, tsv, xlsx, got 'xml'",
        ),
    ],
)
def test_a_wrong_setting_is_exit_78_naming_the_key_and_what_is_allowed(bizops_run, tmp_path, text, message):
    r = with_config(bizops_run, tmp_path, text)
    assert_contract(r, 78)
    assert r.stdout == ""
    assert message in r.stderr, r.stderr


def test_messages_about_the_config_come_in_chinese(bizops_run, tmp_path):
    r = with_config(bizops_run, tmp_path, "[company.cable]\nfloor_pct = 150\n", *QUOTE, "--lang", "zh")
    assert_contract(r, 78)
    assert "floor_pct 不能大于 100，实际为 150（允许：pct, ≥ 0, ≤ 100）" in r.stderr


def test_policy_check_reports_the_same_and_a_good_file_passes(bizops_run, tmp_path):
    (tmp_path / "bad.toml").write_text("[company.cable]\nfloor_pct = 150\n")
    r = bizops_run("--company", "cable", "policy", "check", "bad.toml")
    assert_contract(r, 78)
    assert "floor_pct must be ≤ 100" in r.stderr
    (tmp_path / "good.toml").write_text("[company.cable]\nfloor_pct = 85\n")
    assert_contract(bizops_run("--company", "cable", "policy", "check", "good.toml"), 0)


def test_a_missing_config_file_named_explicitly_is_an_error(bizops_run, tmp_path):
    r = bizops_run(*QUOTE, "--config", "nowhere.toml")
    assert_contract(r, 78)
    assert "nowhere.toml: config file not found" in r.stderr
    (tmp_path / "adir").mkdir()
    r = bizops_run(*QUOTE, env={"BIZOPS_CONFIG": str(tmp_path / "adir")})
    assert_contract(r, 78)


def test_a_good_value_is_used(bizops_run, tmp_path):
    r = with_config(bizops_run, tmp_path, "[company.cable]\nfloor_pct = 95\n", *QUOTE, "--discount-pct", "6")
    assert_contract(r, 1)
    assert r.rows()[0]["status"] == "refused" and r.rows()[0]["floor_unit_price"] == "95.00"


# -- passwords -------------------------------------------------------------------------------
def assert_secret_kept(run) -> None:
    assert SECRET not in run.stdout and SECRET not in run.stderr, run


@pytest.mark.parametrize("extra", [(), ("--debug",), ("--record",), ("--lang", "zh")])
def test_a_database_password_in_the_config_is_never_echoed(bizops_run, tmp_path, extra):
    pytest.importorskip("psycopg", reason="needs the postgres extra: pip install 'bizops[postgres]'")
    r = with_config(
        bizops_run,
        tmp_path,
        f'db = "{URL}"\n',
        "--company",
        "cable",
        "approve-order",
        "--customer",
        "A",
        "--amount",
        "100",
        *extra,
    )
    assert r.exit_code == 69, r  # --debug adds a traceback: it must not hold the password either
    assert_secret_kept(r)
    assert "postgresql://sales:***@127.0.0.1:1/books" in r.stderr


@pytest.mark.parametrize(
    "text",
    [
        f'db = "{URL}"\nbogus = 1\n',  # another key is wrong
        f'db = "{URL}\n',  # the URL's own line is broken
        f'db = "{URL}"\n[company.cable]\nfloor_pct = "x"\n',
        f'db = ["{URL}"]\n',  # the db value has the wrong type
    ],
)
def test_config_errors_near_a_database_url_do_not_show_its_password(bizops_run, tmp_path, text):
    r = with_config(bizops_run, tmp_path, text)
    assert_contract(r, 78)
    assert_secret_kept(r)
    r = bizops_run(*QUOTE, "--debug")
    assert_secret_kept(r)


def test_ledger_info_and_policy_show_mask_the_password(bizops_run, tmp_path):
    pytest.importorskip("psycopg", reason="needs the postgres extra: pip install 'bizops[postgres]'")
    (tmp_path / "bizops.toml").write_text(f'db = "{URL}"\n')
    for args in (
        ("ledger", "info"),
        ("--company", "cable", "policy", "show"),
        ("ledger", "list"),
        ("--db", URL, "ledger", "info", "--debug"),
    ):
        r = bizops_run(*args)
        assert r.exit_code in (0, 69), r
        assert_secret_kept(r)
