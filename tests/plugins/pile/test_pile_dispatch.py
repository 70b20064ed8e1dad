"""`bizops approve-order` for the pile factory: batches, approvals, fines at stake."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "pile"


def approve(bizops_run, *args):
    return bizops_run("--company", "pile", "approve-order", *args)


def one(bizops_run, *args):
    run = approve(bizops_run, *args, "--format", "json")
    assert run.exit_code in (0, 1), run
    return run.exit_code, run.json()


def test_day_of_requests_streamed_from_csv_in_one_pass(bizops_run):
    run = approve(bizops_run, str(EXAMPLES / "dispatch.csv"))
    assert run.exit_code == 1, run  # three requests wait for the department manager
    rows = run.rows()
    got = {r["request_id"]: (r["status"], r["batch"], r["rolled_over"]) for r in rows}
    assert [r["request_id"] for r in rows] == [f"BZ-1123-{n:02}" for n in range(1, 14)]
    assert got == {
        "BZ-1123-01": ("ok", "2026-11-23T09:00", False),
        "BZ-1123-02": ("ok", "2026-11-23T09:00", False),  # at the cut-off
        "BZ-1123-03": ("ok", "2026-11-23T11:00", False),  # a minute after
        "BZ-1123-04": ("ok", "2026-11-23T11:00", False),
        "BZ-1123-05": ("ok", "2026-11-23T11:00", False),  # abnormal, approved
        "BZ-1123-06": ("refused", None, None),  # abnormal, not approved
        "BZ-1123-07": ("refused", None, None),  # test piles without a contract
        "BZ-1123-08": ("ok", "2026-11-23T15:00", False),
        "BZ-1123-09": ("refused", None, None),  # power of attorney incomplete
        "BZ-1123-10": ("ok", "2026-11-24T09:00", False),  # tomorrow's plan, sent the day before
        "BZ-1123-11": ("ok", "2026-11-23T17:00", False),  # the last cut-off itself
        "BZ-1123-12": ("ok", "2026-11-24T09:00", True),  # a minute after the last cut-off
        "BZ-1123-13": ("ok", "2026-11-24T09:00", True),
    }
    # the two item rows of BZ-1123-01 are one request
    assert rows[0]["warnings"] == []
    assert "oral request" in rows[12]["warnings"][0]
    assert "already past" in rows[12]["warnings"][1]


def test_csv_in_csv_out_keeps_one_row_per_request(bizops_run):
    run = approve(bizops_run, str(EXAMPLES / "dispatch.csv"), "--format", "csv")
    lines = run.stdout.strip().splitlines()
    assert lines[0].startswith("company,request_id,site,office,kind,decision,status,reason,batch,rolled_over")
    assert len(lines) == 14
    assert ",2026-11-24T09:00,true," in lines[12]


def test_gbk_csv_with_crlf_from_excel(bizops_run, tmp_path):
    text = (EXAMPLES / "dispatch.csv").read_text(encoding="utf-8").replace("\n", "\r\n")
    (tmp_path / "gbk.csv").write_bytes(text.encode("gb18030"))
    run = approve(bizops_run, "gbk.csv", "--encoding", "gb18030")
    assert run.exit_code == 1, run
    assert run.rows()[0]["site"] == "万科城三期"


def test_boundaries_from_flags(bizops_run):
    cases = [
        ("2026-11-23T08:59", None, "2026-11-23T09:00", False),
        ("2026-11-23T09:00", None, "2026-11-23T09:00", False),
        ("2026-11-23T09:00:30", None, "2026-11-23T11:00", False),
        ("2026-11-23T09:01", None, "2026-11-23T11:00", False),
        ("2026-11-23T15:00", None, "2026-11-23T15:00", False),
        ("2026-11-23T15:01", None, "2026-11-23T17:00", False),
        ("2026-11-23T17:00", None, "2026-11-23T17:00", False),
        ("2026-11-23T17:01", None, "2026-11-24T09:00", True),
        ("2026-11-30T23:00", None, "2026-12-01T09:00", True),
        ("2027-02-28T17:05", None, "2027-03-01T09:00", True),
        ("2026-11-23T16:59", "2026-11-24", "2026-11-24T09:00", False),
        ("2026-11-23T21:00", "2026-11-24", "2026-11-24T09:00", False),
        ("2026-11-30T16:00", "2026-12-01", "2026-12-01T09:00", False),
        ("2026-11-23T10:00", "2026-11-23", "2026-11-23T11:00", False),
    ]
    for submitted, wanted, batch, rolled in cases:
        args = ["--submitted-at", submitted] + (["--for-date", wanted] if wanted else [])
        code, out = one(bizops_run, *args)
        assert (code, out["batch"], out["rolled_over"]) == (0, batch, rolled), (submitted, wanted, out)
        assert out["decision"] == "scheduled" and out["reason"] is None and out["fine_exposure"] == []


def test_past_for_date_warns_and_counts_as_today(bizops_run):
    _, out = one(bizops_run, "--submitted-at", "2026-12-01T18:00", "--for-date", "2026-11-30")
    assert (out["batch"], out["rolled_over"]) == ("2026-12-02T09:00", True)
    assert "for_date 2026-11-30 is already past: scheduled as if for 2026-12-01" in out["warnings"]


def test_oral_request_is_accepted_with_a_warning(bizops_run):
    code, out = one(
        bizops_run,
        "--submitted-at",
        "2026-11-23T10:00",
        "--channel",
        "oral",
        "--items",
        '[{"spec": "PHC-500 AB 125", "length_m": "12", "qty": 10}]',
    )
    assert code == 0
    assert out["status"] == "ok"
    assert out["warnings"] == ["oral request: errors in it are the salesperson's responsibility"]


def test_abnormal_without_approval_is_refused_and_names_the_office_clerk(bizops_run):
    code, out = one(bizops_run, "--request-id", "B6", "--submitted-at", "2026-11-23T13:20", "--abnormal")
    assert code == 1
    assert out["decision"] == "refused" and out["status"] == "refused"
    assert out["batch"] is None and out["rolled_over"] is None
    assert "department manager's approval" in out["reason"]
    assert out["fine_exposure"] == [
        {"who": "office_clerk", "min": "50.00", "max": "100.00", "rule": "pile.fine.unapproved_abnormal"}
    ]
    assert out["route"] == ["salesperson", "office_clerk", "company_clerk", "dispatch"]


def test_approval_lets_abnormal_and_incomplete_paperwork_through(bizops_run):
    code, out = one(
        bizops_run,
        "--submitted-at",
        "2026-11-23T13:20",
        "--abnormal",
        "--no-contract-signed",
        "--test-piles",
        "--manager-approved",
    )
    assert code == 0
    assert (out["status"], out["batch"], out["fine_exposure"]) == ("ok", "2026-11-23T15:00", [])


def test_each_incomplete_paper_names_the_dispatcher(bizops_run):
    for flags in (
        ["--no-contract-signed", "--test-piles"],
        ["--no-power-of-attorney-complete"],
        ["--no-supplementary-agreement-complete"],
    ):
        code, out = one(bizops_run, "--submitted-at", "2026-11-23T08:00", *flags)
        assert code == 1, flags
        assert out["fine_exposure"] == [
            {"who": "dispatcher", "min": "50.00", "max": "100.00", "rule": "pile.fine.private_dispatch"}
        ]
    code, out = one(bizops_run, "--submitted-at", "2026-11-23T08:00", "--no-contract-signed")
    assert (code, out["status"]) == (0, "ok")  # no test piles: the spec's list does not include it


def test_fine_exposure_follows_the_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text(
        '[company.pile]\nprivate_dispatch_fine_min = 60\nprivate_dispatch_fine_max = "120.50"\n', encoding="utf-8"
    )
    _, out = one(bizops_run, "--submitted-at", "2026-11-23T08:00", "--no-power-of-attorney-complete")
    assert out["fine_exposure"][0]["min"] == "60.00"
    assert out["fine_exposure"][0]["max"] == "120.50"


def test_windows_from_the_policy(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text('[company.pile]\nwindows = ["14:00", "08:00"]\n', encoding="utf-8")
    for submitted, batch, rolled in (
        ("2026-11-23T08:00", "2026-11-23T08:00", False),
        ("2026-11-23T12:00", "2026-11-23T14:00", False),
        ("2026-11-23T14:01", "2026-11-24T08:00", True),
    ):
        _, out = one(bizops_run, "--submitted-at", submitted)
        assert (out["batch"], out["rolled_over"]) == (batch, rolled)


def test_bad_policy_is_a_config_error(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text("[company.pile]\nwindows = []\n", encoding="utf-8")
    run = approve(bizops_run, "--submitted-at", "2026-11-23T08:00")
    assert run.exit_code == 78 and "windows must list at least one" in run.stderr
    (tmp_path / "bizops.toml").write_text('[company.pile]\nwindows = ["9:60"]\n', encoding="utf-8")
    assert approve(bizops_run, "--submitted-at", "2026-11-23T08:00").exit_code == 78
    (tmp_path / "bizops.toml").write_text("[company.pile]\nroute_violation_fine_min = 60\n", encoding="utf-8")
    run = approve(bizops_run, "--submitted-at", "2026-11-23T08:00")
    assert run.exit_code == 78 and "bizops.toml: [company.pile] route_violation_fine_min 60" in run.stderr


def test_bad_rows_are_numbered_and_the_stream_goes_on(bizops_run, tmp_path):
    rows = [
        {"request_id": "A", "submitted_at": "2026-11-23T09:00"},
        {"request_id": "B"},
        {"request_id": "C", "submitted_at": "2026-11-23 25:00"},
        {"request_id": "D", "submitted_at": "2026-11-23T10:00", "kind": "sold"},
        {"request_id": "E", "submitted_at": "2026-11-23T10:00", "items": [{"spec": "PHC", "length_m": "12", "qty": 0}]},
        {"request_id": "F", "submitted_at": "2026-11-23T17:01", "kind": "transfer"},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run = approve(bizops_run, "in.jsonl")
    assert run.exit_code == 65, run
    assert [(r["request_id"], r["batch"]) for r in run.rows()] == [("A", "2026-11-23T09:00"), ("F", "2026-11-24T09:00")]
    assert "row 2: request_id B: submitted_at is required" in run.stderr
    assert "row 3: request_id C: submitted_at" in run.stderr
    assert "row 4: request_id D: kind must be one of dispatch, return, transfer, broken" in run.stderr
    assert "row 5: request_id E: items[1].qty" in run.stderr


def test_table_in_chinese(bizops_run):
    run = approve(bizops_run, str(EXAMPLES / "dispatch.csv"), "--format", "table", "--lang", "zh")
    assert run.exit_code == 1
    for text in (
        "批次",
        "顺延",
        "可能罚款",
        "已安排",
        "拒绝",
        "办事处内勤 50.00 100.00 未经批准报非正常发桩",
        "公司调度 50.00 100.00 手续不全私自发桩",
        "手续不全（委托书未完善）",
        "口头报桩",
        "退桩",
        "烂桩",
        "转桩",
    ):
        assert text in run.stdout, text
    assert "\x1b[" not in run.stdout


def test_explain_names_the_rules(bizops_run):
    _, out = one(bizops_run, "--submitted-at", "2026-11-23T17:01", "--abnormal", "--manager-approved", "--explain")
    rules = [t["rule"] for t in out["trace"]]
    assert rules == ["pile.dispatch.route", "pile.dispatch.sms", "pile.dispatch.abnormal", "pile.dispatch.windows"]
    assert "rolled over to 2026-11-24 09:00" in out["trace"][-1]["effect"]


def test_a_dispatch_sheet_without_its_request_column_is_not_one_request_per_pile_line(bizops_run, tmp_path):
    """Found breaking the grouping: the example's sheet without its request_id column made each pile line a
    dispatch request of its own (BZ-1123-01's two lines were two requests, scheduled twice). Consecutive lines
    repeating one request's fields with no request_id are one error over their span; the other requests go on."""
    lines = (EXAMPLES / "dispatch.csv").read_text(encoding="utf-8-sig").splitlines()
    sheet = tmp_path / "报桩单.csv"
    sheet.write_text("\n".join(line.split(",", 1)[1] for line in lines[:4]) + "\n", encoding="utf-8")
    run = approve(bizops_run, str(sheet), "--format", "csv")
    assert run.exit_code == 65, run
    assert [(r["site"], r["decision"]) for r in run.csv_rows()] == [("保利天汇", "scheduled")]
    assert run.stderr.startswith("row 2-3: these rows repeat one request's fields with no request_id")
