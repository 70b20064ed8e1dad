"""The pile factory's files with their choices in Chinese, as the office writes them (the seed's words).

Found attacking the desk: `短信`, `口头`, `报桩`, a fine's reason in words and a plan's `变更` were each
a row error. Each example, rewritten in Chinese, decides exactly as it does in codes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "pile"

IN_CHINESE = {
    "channel": {"sms": "短信", "oral": "口头"},
    "kind": {"dispatch": "报桩", "return": "退桩", "transfer": "转桩", "broken": "烂桩"},
    "code": {
        "route_violation": "违反报桩流程",
        "unapproved_abnormal": "未经批准报非正常发桩",
        "private_dispatch": "手续不全私自发桩",
        "data_error": "报桩数据有误",
        "missed_plan": "公司调度漏下发桩计划",
        "wrong_plan": "公司调度下错计划",
    },
    "change": {"add": "新增", "set": "变更", "remove": "取消"},
}


@pytest.mark.parametrize(
    ("example", "command"),
    [("dispatch.csv", ("approve-order",)), ("fines.csv", ("score",)), ("plans.csv", ("pile", "plan"))],
)
def test_each_example_in_chinese_decides_as_in_codes(bizops_run, tmp_path, example, command):
    table = list(csv.DictReader(io.StringIO((EXAMPLES / example).read_text(encoding="utf-8-sig"))))
    changed = 0
    for row in table:
        for column, words in IN_CHINESE.items():
            if row.get(column) in words:
                row[column], changed = words[row[column]], changed + 1
    assert changed >= 3
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0]))
    writer.writeheader()
    writer.writerows(table)
    (tmp_path / example).write_text(out.getvalue(), encoding="utf-8")
    args = ("--company", "pile", *command)
    chinese = bizops_run(*args, str(tmp_path / example), "--format", "jsonl", "--now", "2026-11-23T12:00")
    codes = bizops_run(*args, str(EXAMPLES / example), "--format", "jsonl", "--now", "2026-11-23T12:00")
    assert chinese.exit_code == codes.exit_code, chinese
    assert chinese.stdout == codes.stdout and chinese.stdout
    assert chinese.stderr == codes.stderr


def test_a_dispatch_sheet_headed_as_an_office_heads_it(bizops_run, tmp_path):
    """Found attacking dispatch with a 报桩单 as an office keeps it: 规格, 桩长, 数量 were unknown (the
    request was refused), and so were 已签合同, 经理批准, 异常 …: an unknown yes/no column took its default,
    a contract not signed read as signed. `12米` under 桩长（米） is 12; `20根` is 20 piles."""
    sheet = tmp_path / "报桩单.csv"
    header = "报桩单号,工地,办事处,报桩时间,报桩方式,类型,异常,经理批准,已签合同,试桩,委托书齐全,补充协议齐全,规格,桩长,数量\n"
    sheet.write_text(
        header
        + "BZ-01,万科城三期,佛山办事处,2026年11月23日 8:42,短信,报桩,否,否,否,是,是,是,PHC-500 AB 125,12米,40\n"
        + "BZ-01,万科城三期,佛山办事处,2026年11月23日 8:42,短信,报桩,否,否,否,是,是,是,PHC-500 AB 125,10,20根\n",
        encoding="utf-8",
    )
    chinese = bizops_run("--company", "pile", "approve-order", str(sheet), "--format", "csv")
    assert chinese.exit_code in (0, 1) and "not a field" not in chinese.stderr, chinese
    coded = tmp_path / "dispatch.csv"
    coded.write_text(
        "request_id,site,office,submitted_at,channel,kind,abnormal,manager_approved,contract_signed,test_piles,"
        "power_of_attorney_complete,supplementary_agreement_complete,spec,length_m,qty\n"
        "BZ-01,万科城三期,佛山办事处,2026-11-23T08:42,sms,dispatch,no,no,no,yes,yes,yes,PHC-500 AB 125,12,40\n"
        "BZ-01,万科城三期,佛山办事处,2026-11-23T08:42,sms,dispatch,no,no,no,yes,yes,yes,PHC-500 AB 125,10,20\n",
        encoding="utf-8",
    )
    codes = bizops_run("--company", "pile", "approve-order", str(coded), "--format", "csv")
    assert (chinese.stdout, chinese.exit_code) == (codes.stdout, codes.exit_code)
    # test piles before the contract is signed need the manager: read as signed, they were scheduled
    assert codes.csv_rows()[0]["decision"] != "scheduled", codes


def test_a_length_in_another_unit_is_refused(bizops_run, tmp_path):
    sheet = tmp_path / "报桩单.csv"
    sheet.write_text(
        "报桩单号,报桩时间,规格,桩长,数量\nBZ-02,2026-11-23 08:42,PHC-500 AB 125,1200厘米,40\n", encoding="utf-8"
    )
    r = bizops_run("--company", "pile", "approve-order", str(sheet), "--format", "csv")
    assert r.exit_code == 65 and 'length_m must be a number, got "1200厘米"' in r.stderr, r


def test_a_fines_register_headed_as_an_office_keeps_it(bizops_run, tmp_path):
    """Found attacking fines with a 罚款登记表: 被罚人 and 违规事项 were unknown (every row refused), and the
    offences written as registers write them (不按流程报桩, 数据错误, 私自发桩) were not choices. A bare
    罚款金额 is not taken for the fine per time: it may be the line's total, and 2 times 100 is not 2 × 200.
    Nor is it ignored (fines by the rule's minimum beside the register's own, under a warning): the office says
    which it is, in [columns] or by the column's name."""
    (tmp_path / "罚款.csv").write_text(
        "罚款登记表\n"
        "序号,被罚人,日期,违规事项,次数,罚款金额（元/次）\n"
        "1,陈小燕,2026-11-05,不按流程报桩,1,20\n"
        "2,陈小燕,2026-11-18,数据错误,1,\n"
        "3,李刚,2026-11-20,私自发桩,2,100\n",
        encoding="gb18030",
    )
    r = bizops_run("--company", "pile", "score", "罚款.csv", "--format", "csv")
    assert r.exit_code == 0, r
    rows = r.csv_rows()
    # 20 as written, then data_error at its range's minimum (50); 2 × 100
    assert [(x["person"], x["fines"], x["count"]) for x in rows] == [("李刚", "200.00", "2"), ("陈小燕", "70.00", "2")]
    (tmp_path / "总额.csv").write_text(
        "被罚人,日期,违规事项,次数,罚款金额\n李刚,2026-11-20,私自发桩,2,200\n", encoding="utf-8"
    )
    total = bizops_run("--company", "pile", "score", "总额.csv", "--format", "csv")
    assert total.exit_code == 65 and total.csv_rows() == [], total
    assert total.stderr.splitlines()[0] == (
        "row 1: the header row gives column '罚款金额', which reads like amount but is none of its names: left "
        "unread, amount would count as not given; map it in [columns] of bizops.toml ('罚款金额' = \"amount\") "
        "or rename it"
    )
    (tmp_path / "bizops.toml").write_text('[columns]\n"罚款金额" = "amount"\n', encoding="utf-8")
    per_time = bizops_run("--company", "pile", "score", "总额.csv", "--format", "csv")
    assert per_time.exit_code == 65 and "row 2: amount 200 is outside the 50.00–100.00" in per_time.stderr  # a time
    (tmp_path / "总额.csv").write_text(
        "被罚人,日期,违规事项,次数,罚款金额\n李刚,2026-11-20,私自发桩,2,100\n", encoding="utf-8"
    )
    per_time = bizops_run("--company", "pile", "score", "总额.csv", "--format", "csv")
    assert [(x["person"], x["fines"]) for x in per_time.csv_rows()] == [("李刚", "200.00")]  # 2 × 100, as mapped


def test_submission_time_and_manager_approval_as_a_dispatch_sheet_heads_them(bizops_run, tmp_path):
    """Found attacking dispatch with an office's sheet: 提交时间 was no name of submitted_at (every row
    refused as lacking it), and 经理审批 no name of manager_approved: an approved abnormal dispatch was
    refused as unapproved."""
    (tmp_path / "报桩.csv").write_text(
        "报桩单号,工地,办事处,提交时间,报送方式,类型,非正常发桩,经理审批,合同已签,规格,桩长（米）,数量\n"
        "BZ-1,万科城三期,佛山办事处,2026-11-23 08:42,短信,报桩,是,是,是,PHC-500 AB 125,12,40\n"
        "BZ-2,万科城三期,佛山办事处,2026-11-23 08:42,短信,报桩,是,否,是,PHC-500 AB 125,12,40\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "pile", "approve-order", "报桩.csv", "--format", "csv")
    assert r.exit_code == 1 and "not a field" not in r.stderr, r  # BZ-2 refused by policy
    assert [(x["request_id"], x["decision"], x["batch"]) for x in r.csv_rows()] == [
        ("BZ-1", "scheduled", "2026-11-23T09:00"),
        ("BZ-2", "refused", ""),
    ]
