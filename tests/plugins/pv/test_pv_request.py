"""`bizops expense request` for the PV firm: approval chain, advance, flying and length warnings."""

from __future__ import annotations

from pv_support import EXAMPLES, one, request

STAFF = {
    "employee": "张伟",
    "scope": "out_of_province",
    "depart": "2026-03-02",
    "return": "2026-03-04",
    "customer": "广州粤能电力",
}


def test_staff_chain_from_flags(bizops_run):
    r = bizops_run(
        "--company",
        "pv",
        "expense",
        "request",
        "--employee",
        "张伟",
        "--scope",
        "in_province",
        "--depart",
        "2026-03-10",
        "--return",
        "2026-03-11",
        "--customer",
        "义乌阳光建材",
        "--format",
        "json",
    )
    assert r.exit_code == 0, r
    out = r.json()
    assert out == {
        "company": "pv",
        "employee": "张伟",
        "days": 2,
        "decision": "needs_approval",
        "status": "ok",
        "reason": None,
        "approvers": ["dept_head", "general_manager"],
        "advance": "0.00",
        "advance_approvers": [],
        "max_advance": "500.00",
        "warnings": [],
    }


def test_department_head_goes_to_the_general_manager(bizops_run):
    out = one(request(bizops_run, {**STAFF, "role": "dept_head"}))
    assert out["approvers"] == ["general_manager"]


def test_advance_of_exactly_500_is_signed_by_finance_and_gm(bizops_run):
    r = request(bizops_run, {**STAFF, "advance": "¥500"})
    out = one(r)
    assert r.exit_code == 0
    assert (out["status"], out["decision"], out["advance"]) == ("ok", "needs_approval", "500.00")
    assert out["advance_approvers"] == ["finance", "general_manager"]


def test_advance_over_500_is_refused(bizops_run):
    r = request(bizops_run, {**STAFF, "advance": "500.01"})
    out = one(r)
    assert r.exit_code == 1
    assert (out["status"], out["decision"], out["max_advance"]) == ("refused", "refused", "500.00")
    assert out["reason"] == "a travel advance may not exceed 500.00; 500.01 was asked"
    assert out["approvers"] == ["dept_head", "general_manager"]


def test_advance_limit_from_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.pv]\nmax_advance = 1000\n", encoding="utf-8")
    out = one(request(bizops_run, {**STAFF, "advance": "900"}))
    assert (out["status"], out["max_advance"]) == ("ok", "1000.00")


def test_plane_gives_a_warning_not_a_refusal(bizops_run):
    out = one(request(bizops_run, {**STAFF, "plane": "是"}))
    assert out["status"] == "ok"
    assert out["warnings"] == [
        "flying needs the general manager's consent before the trip; without it the fare is not paid"
    ]


def test_length_warnings_at_their_boundaries(bizops_run):
    def warnings(scope, depart, back):
        return one(request(bizops_run, {**STAFF, "scope": scope, "depart": depart, "return": back}))["warnings"]

    assert warnings("in_province", "2026-03-30", "2026-03-31") == []
    assert len(warnings("in_province", "2026-03-30", "2026-04-01")) == 1  # 3 days: one unpaid
    assert len(warnings("in_province", "2026-03-30", "2026-04-02")) == 1  # 4 days: not absence yet
    assert warnings("in_province", "2026-03-30", "2026-04-03")[1] == (
        "a trip in province over 4 days counts as absence unless the general manager excuses it"
    )
    assert warnings("out_of_province", "2026-12-30", "2027-01-01") == []  # 3 days across the year end
    assert len(warnings("out_of_province", "2026-12-30", "2027-01-03")) == 1  # 5 days
    assert len(warnings("out_of_province", "2026-12-30", "2027-01-04")) == 2  # 6 days


def test_neither_customer_nor_new_market_is_invalid(bizops_run):
    fields = {k: v for k, v in STAFF.items() if k != "customer"}
    r = request(bizops_run, fields)
    assert r.exit_code == 65
    assert "row 1: name the customer visited, or give purpose new_market" in r.stderr
    assert one(request(bizops_run, {**fields, "purpose": "new_market"}))["status"] == "ok"
    r = request(bizops_run, {**fields, "purpose": "visit"})
    assert r.exit_code == 65


def test_return_before_departure_is_invalid(bizops_run):
    r = request(bizops_run, {**STAFF, "depart": "2026-03-04", "return": "2026-03-02"})
    assert r.exit_code == 65
    assert "return 2026-03-02 is before the departure 2026-03-04" in r.stderr
    assert r.stdout == ""


def test_trace_names_the_rules(bizops_run):
    out = one(request(bizops_run, {**STAFF, "advance": "600", "plane": True}, "--explain"))
    assert [t["rule"] for t in out["trace"]] == [
        "pv.request.chain",
        "pv.request.advance",
        "pv.request.plane",
        "pv.request.length",
    ]
    assert out["trace"][1]["effect"] == "advance 600.00 is over the limit of 500.00: refused"
    assert out["trace"][0]["clause"].endswith("一")


def test_examples_table_in_chinese(bizops_run):
    r = bizops_run(
        "--company", "pv", "expense", "request", str(EXAMPLES / "requests.jsonl"), "--format", "table", "--lang", "zh"
    )
    assert r.exit_code == 1, r  # the fourth asks 800
    for label in ("出差人", "审批人", "部门主管", "总经理", "财务部", "需审批", "拒绝", "预支差旅费不得超过 500.00 元"):
        assert label in r.stdout
    assert "\x1b[" not in r.stdout


def test_examples_as_jsonl(bizops_run):
    r = bizops_run("--company", "pv", "expense", "request", str(EXAMPLES / "requests.jsonl"))
    assert r.exit_code == 1, r
    rows = r.rows()
    assert [row["status"] for row in rows] == ["ok", "ok", "ok", "refused"]
    assert [row["days"] for row in rows] == [4, 3, 1, 7]
