"""The airline office has no price list, order approval or travel rules: exit 69, plainly."""

import pytest


@pytest.mark.parametrize("command", [("quote",), ("approve-order",), ("expense", "request"), ("expense", "claim")])
def test_no_such_rules(bizops_run, command):
    r = bizops_run("--company", "airline", *command, "--format", "json")
    assert r.exit_code == 69, r
    name = " ".join(command)
    assert f"airline has no rules for {name}; it supports: score, flights triage, flights checklist" in r.stderr
    assert r.stdout == ""


def test_listed_in_companies(bizops_run):
    r = bizops_run("companies", "--format", "json")
    (airline,) = [c for c in r.json() if c["name"] == "airline"]
    assert (airline["zh"], airline["en"]) == ("航空营业部", "Airline sales office")
    assert airline["commands"] == ["score", "flights triage", "flights checklist", "receivables"]
    assert airline["hooks"] == ["bizops_score"]  # its own commands are declared, not hooks


def test_policy_show(bizops_run):
    r = bizops_run("--company", "airline", "policy", "show", "--format", "json")
    assert r.exit_code == 0, r
    values = {row["name"]: row["value"] for row in r.json()}
    assert str(values["completion_alert"]) in ("1", "1.0")  # written as TOML writes it
    assert (values["key_max_days"], values["horizon_max_days"]) == (3, 30)
    assert (values["first_pass_by"], values["revenue_check_from"], values["day_end"]) == ("12:00", "13:00", "18:00")


def test_plugin_checks_clean():
    import bizops.plugins.airline as airline
    from bizops.testing import check_plugin

    assert check_plugin(airline) == []
