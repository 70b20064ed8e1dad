"""Claims kept in a spreadsheet: one CSV row per leg, grouped by `trip_id` (and the examples)."""

from __future__ import annotations

import csv
import io

from pv_support import EXAMPLES

HEAD = "trip_id,employee,scope,depart,return,purpose,customer,trip_number,mode,fare,invoice,area,at,reason,note"


def run_csv(bizops_run, tmp_path, text: str, *args: str, encoding: str = "utf-8"):
    (tmp_path / "claims.csv").write_bytes(text.encode(encoding))
    return bizops_run("--company", "pv", "expense", "claim", "claims.csv", "--format", "jsonl", *args)


def test_example_spreadsheet(bizops_run):
    r = bizops_run("--company", "pv", "expense", "claim", str(EXAMPLES / "claims.csv"))
    assert r.exit_code == 1, r  # T4 is a third trip
    rows = r.rows()
    assert [(row["employee"], row["total"], row["balance"], row["status"]) for row in rows] == [
        ("张伟", "1868.00", "1368.00", "ok"),
        ("李娜", "67.00", "67.00", "ok"),
        ("王强", "204.00", "-96.00", "ok"),
        ("张伟", "0.00", "0.00", "refused"),
    ]
    first = rows[0]
    assert (first["allowance"], first["transport"], first["client_meals"]) == ("390.00", "758.00", "720.00")
    assert [(d["item"], d["amount"], d["rule"]) for d in first["disallowed"]] == [
        ("allowance", "130.00", "pv.claim.days"),
        ("leg 3: train", "192.00", "pv.claim.train"),
        ("client_meal 1", "80.00", "pv.claim.client_meal"),
    ]
    assert [(d["item"], d["amount"]) for d in rows[1]["disallowed"]] == [
        ("leg 4: taxi", "15.00"),
        ("leg 5: bus", "18.00"),
    ]
    assert rows[2]["needs_review"][0]["item"] == "leg 3: taxi"
    assert rows[2]["reviewers"] == ["general_manager"]
    assert rows[3]["disallowed"][0]["amount"] == "1102.00"


def test_example_spreadsheet_as_a_chinese_table(bizops_run):
    r = bizops_run(
        "--company", "pv", "expense", "claim", str(EXAMPLES / "claims.csv"), "--format", "table", "--lang", "zh"
    )
    assert r.exit_code == 1, r
    for text in (
        "不予报销",
        "待审核",
        "审核人",
        "第 3 段：火车 192.00 软卧 高于连续乘车 14 小时的标准 硬卧",
        "第 5 段：汽车 18.00 没有正式发票",
        "总经理",
        "拒绝",
        "应补(退)",
    ):
        assert text in r.stdout, text


def test_example_json_claim(bizops_run):
    r = bizops_run("--company", "pv", "expense", "claim", str(EXAMPLES / "claim.json"), "--format", "json")
    assert r.exit_code == 0, r
    out = r.json()
    assert isinstance(out, list) and len(out) == 1
    assert (out[0]["total"], out[0]["balance"]) == ("1868.00", "1368.00")


def test_rows_of_a_trip_become_one_claim_labelled_by_its_span(bizops_run, tmp_path):
    text = (
        HEAD + "\r\n"
        "A,张伟,in_province,2026-03-10,2026-03-10,new_market,,,bus,18,是,,,,\r\n"
        "A,,,,,,,,bus,18,否,,,,\r\n"
        "B,李娜,in_province,2026-03-10,2026-03-09,new_market,,,bus,18,是,,,,\r\n"
        "B,李娜,in_province,2026-03-10,2026-03-09,new_market,,,bus,18,是,,,,\r\n"
        "C,李娜,in_province,2026-03-10,2026-03-10,visit,义乌阳光建材,1,taxi,20,,yiwu,2026-03-10 20:00,,站—宾馆\r\n"
    )
    r = run_csv(bizops_run, tmp_path, "\ufeff" + text)
    assert r.exit_code == 65
    rows = r.rows()
    assert [row["employee"] for row in rows] == ["张伟", "李娜"]
    assert rows[0]["transport"] == "18.00"  # the second row's trip fields come from the first
    assert rows[1]["transport"] == "20.00"
    assert r.stderr.strip() == "row 4-5: trip B: return 2026-03-09 is before the departure 2026-03-10"


def test_gb18030_spreadsheet(bizops_run, tmp_path):
    text = HEAD + "\r\nA,张伟,in_province,2026-03-10,2026-03-10,new_market,,,bus,18,是,,,,\r\n"
    r = run_csv(bizops_run, tmp_path, text, "--encoding", "gb18030", encoding="gb18030")
    assert r.exit_code == 0, r
    assert r.rows()[0]["employee"] == "张伟"


def test_trip_field_differing_between_rows_is_an_error(bizops_run, tmp_path):
    text = (
        HEAD + "\n"
        "A,张伟,in_province,2026-03-10,2026-03-10,new_market,,,bus,18,是,,,,\n"
        "A,张伟,in_province,2026-03-10,2026-03-11,new_market,,,bus,18,是,,,,\n"
    )
    r = run_csv(bizops_run, tmp_path, text)
    assert r.exit_code == 65
    assert "row 2-3: trip_id A: return differs between its rows" in r.stderr


def test_flight_consent_may_stand_on_another_legs_row(bizops_run, tmp_path):
    text = (
        "trip_id,employee,scope,depart,return,purpose,mode,fare,class,hours,gm_flight_approval\n"
        "F,赵敏,out_of_province,2026-05-04,2026-05-06,new_market,train,20,hard_seat,1,yes\n"
        "F,赵敏,out_of_province,2026-05-04,2026-05-06,new_market,plane,1280,,,\n"
        "G,赵敏,out_of_province,2026-05-04,2026-05-06,new_market,plane,1280,,,\n"
    )
    rows = run_csv(bizops_run, tmp_path, text).rows()
    assert [row["transport"] for row in rows] == ["1300.00", "0.00"]


def test_a_row_without_leg_cells_carries_the_trips_flight_consent(bizops_run, tmp_path):
    """The trip-level `gm_flight_approval` column is the trip's: never taken for a leg (issue 18, 12)."""
    text = (
        "trip_id,employee,scope,depart,return,purpose,gm_flight_approval\n"
        "H,赵敏,out_of_province,2026-05-04,2026-05-06,new_market,yes\n"
        ",赵敏,out_of_province,2026-05-04,2026-05-06,new_market,no\n"
    )
    r = run_csv(bizops_run, tmp_path, text)
    assert r.exit_code == 0, r
    assert [(row["status"], row["transport"]) for row in r.rows()] == [("ok", "0.00"), ("ok", "0.00")]


def test_bad_leg_row_names_the_trip_rows_and_the_leg(bizops_run, tmp_path):
    text = (
        HEAD + "\n"
        "A,张伟,in_province,2026-03-10,2026-03-10,new_market,,,bus,18,是,,,,\n"
        "A,张伟,in_province,2026-03-10,2026-03-10,new_market,,,rocket,18,是,,,,\n"
        "B,张伟,in_province,2026-03-10,2026-03-10,new_market,,,bus,-18,是,,,,\n"
        "C,张伟,in_province,2026-03-10,2026-03-10,new_market,,,taxi,,,,,,\n"
    )
    r = run_csv(bizops_run, tmp_path, text)
    assert r.exit_code == 65
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith("row 2-3: trip_id A: legs[2].mode must be one of train, bus")
    assert lines[1].endswith(': legs[1].fare must be ≥ 0, got "-18"')
    assert lines[2] == "row 5: trip C: leg 1 (taxi): fare is required"


def test_core_leg_errors_name_the_trip_id(bizops_run, tmp_path):
    text = HEAD + "\nA,张伟,in_province,2026-03-10,2026-03-10,new_market,,,rocket,18,是,,,,\n"
    assert "A" in run_csv(bizops_run, tmp_path, text).stderr.split(":", 1)[1].split("legs")[0]


def test_row_without_trip_id_keeps_its_leg(bizops_run, tmp_path):
    text = HEAD + "\n,张伟,in_province,2026-03-10,2026-03-10,new_market,,,bus,18,是,,,,\n"
    assert run_csv(bizops_run, tmp_path, text).rows()[0]["transport"] == "18.00"


#: The example's choices as a claim form in Chinese writes them (found attacking the desk: every one was refused).
IN_CHINESE = {
    "role": {"staff": "员工", "dept_head": "部门主管"},
    "scope": {"in_province": "省内", "out_of_province": "省外"},
    "purpose": {"visit": "拜访客户", "new_market": "开拓新市场"},
    "mode": {"train": "火车", "bus": "大巴", "taxi": "出租车", "plane": "飞机", "city_bus": "公交车", "ship": "轮船"},
    "class": {"hard_seat": "硬座", "soft_seat": "软座", "hard_sleeper": "硬卧", "soft_sleeper": "软卧"},
    "area": {"jinhua": "金华", "pujiang": "浦江", "yiwu": "义乌"},
    "reason": {"night": "夜间", "bulky": "携带大件物品", "no_bus_or_over_3km": "无公交", "other": "其他"},
}


def test_the_example_with_its_choices_in_chinese_decides_the_same(bizops_run, tmp_path):
    source = (EXAMPLES / "claims.csv").read_text(encoding="utf-8-sig")
    table = list(csv.DictReader(io.StringIO(source)))
    changed = 0
    for row in table:
        for column, words in IN_CHINESE.items():
            if row.get(column) in words:
                row[column] = words[row[column]]
                changed += 1
    assert changed > 20
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0]))
    writer.writeheader()
    writer.writerows(table)
    chinese = run_csv(bizops_run, tmp_path, out.getvalue())
    english = bizops_run("--company", "pv", "expense", "claim", str(EXAMPLES / "claims.csv"), "--format", "jsonl")
    assert chinese.exit_code == english.exit_code == 1, chinese
    assert chinese.stdout == english.stdout and chinese.stderr == english.stderr


def test_a_reimbursement_form_headed_in_its_own_words(bizops_run, tmp_path):
    """Found attacking claims with a 差旅费报销单 as finance heads it: 借款 (the advance), 车船费, 有无发票,
    乘车时长, 座位等级, 出差范围 and the role 业务员 were all unknown. The advance ignored, the balance paid
    it a second time; the fares ignored, the trip was refused. The seed's own 连续乘车时间 too."""
    (tmp_path / "报销单.csv").write_text(
        "行程编号,出差人,职务,出差范围,出发时间,返回时间,客户,借款,报告提交日期,反馈表份数,"
        "交通工具,车船费,有无发票,连续乘车时间,座位等级,起止地点及事由\n"
        "T1,张伟,业务员,省外,2026/3/2 8:00,2026/3/5 19:00,广州粤能电力,500,2026/3/7,1,火车,356,有,14,硬卧,浦江—广州\n"
        "T1,张伟,业务员,省外,2026/3/2 8:00,2026/3/5 19:00,广州粤能电力,500,2026/3/7,1,火车,356,有,14,硬卧,广州—浦江\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "pv", "expense", "claim", "报销单.csv", "--format", "csv")
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    claim = r.csv_rows()[0]
    # 4 days, 3 paid at 130 (out of province); two hard sleepers, invoiced; the 500 advance taken off.
    assert (claim["allowance"], claim["transport"], claim["advance"], claim["balance"]) == (
        "390.00",
        "712.00",
        "500.00",
        "602.00",
    )


def test_a_travel_request_form_headed_in_its_own_words(bizops_run, tmp_path):
    """Found attacking requests with a 出差申请单 as offices head it: 申请单号, 申请人, 出发日期, 返回日期,
    拜访客户, 借支金额（元）and 是否乘飞机 were all unknown, so every row lacked employee and dates (exit 65)."""
    (tmp_path / "申请单.csv").write_text(
        "出差申请单\n"
        "申请单号,申请人,职务,出差范围,出发日期,返回日期,拜访客户,出差目的,借支金额（元）,是否乘飞机\n"
        "SQ-1,张伟,业务员,省外,2026/3/2,2026/3/5,广州粤能电力,拜访客户,500,否\n"
        "SQ-2,王强,部门经理,省内,2026年3月16日,2026年3月18日,,开拓新市场,300,是\n",
        encoding="gb18030",
    )
    r = bizops_run("--company", "pv", "expense", "request", "申请单.csv", "--format", "csv")
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    rows = r.csv_rows()
    assert [(x["employee"], x["days"], x["approvers"], x["advance"]) for x in rows] == [
        ("张伟", "4", "dept_head; general_manager", "500.00"),
        ("王强", "3", "general_manager", "300.00"),
    ]
    assert "flying needs the general manager's consent" in rows[1]["warnings"]  # 是否乘飞机 是


def test_a_department_head_named_in_a_column_headed_otherwise(bizops_run, tmp_path):
    """Found attacking expense request: under 职位 a 部门经理's trip was asked of the department head (the
    approver for staff), the column ignored under a warning. 职位 and 岗位 name the role; a header no list can
    foresee (级别) holding a role refuses the rows instead of taking everyone as staff."""
    sheet = tmp_path / "出差申请.csv"
    header = "出差人,{role},省内/省外,出发日期,返回日期,拜访客户,预支金额\n"
    row = "张伟,部门经理,省外,2026-03-02,2026-03-03,广州粤能电力,500\n"
    sheet.write_text(header.format(role="职位") + row, encoding="utf-8")
    r = bizops_run("--company", "pv", "expense", "request", str(sheet), "--format", "csv")
    assert r.exit_code == 0 and "not a field" not in r.stderr, r
    [staff_form] = list(csv.DictReader(io.StringIO(r.stdout)))
    assert staff_form["approvers"] == "general_manager"
    sheet.write_text(header.format(role="级别") + row, encoding="utf-8")
    r = bizops_run("--company", "pv", "expense", "request", str(sheet), "--format", "csv")
    assert r.exit_code == 65 and r.stderr.startswith(
        "row 2: not read: column '级别' holds role's choices (部门经理)"
    ), r


def test_a_note_column_reading_like_a_legs_choice_is_only_unknown_when_the_legs_give_it(bizops_run, tmp_path):
    """Breaking the choice-column check: a claim sheet with an extra 说明 column of 其他 (a taxi reason's
    word) was refused as hiding `reason`, though every leg gives its reason in its own column."""
    rows = list(csv.reader(io.StringIO((EXAMPLES / "claims.csv").read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out).writerows([rows[0] + ["说明"], *(r + ["其他"] for r in rows[1:])])
    (tmp_path / "claims.csv").write_text(out.getvalue(), encoding="utf-8")
    r = bizops_run("--company", "pv", "expense", "claim", str(tmp_path / "claims.csv"), "--format", "csv")
    plain = bizops_run("--company", "pv", "expense", "claim", str(EXAMPLES / "claims.csv"), "--format", "csv")
    assert r.exit_code == plain.exit_code and r.stdout == plain.stdout, r
    assert "column '说明' is not a field" in r.stderr


def test_a_claim_form_without_its_trip_column_never_claims_a_trip_once_per_leg(bizops_run, tmp_path):
    """Found attacking claims with a 差旅费报销单 whose trip column was headed 单号 (no field): each leg row
    was a trip of its own, and 张伟's four days were paid three times over (allowance 390.00 a leg), exit 0
    once the seat classes were right. Rows that repeat one trip's fields without a trip_id are one error; a
    column naming no field (说明, beside each leg) is only said to be ignored, and never splits a trip."""
    head = "{id},报销人,出差范围,出发时间,返回时间,出差目的,拜访客户,交通方式,票价,有无发票,座位等级,说明\n"
    legs = (
        "T1,张伟,省外,2026-03-02 08:00,2026-03-05 19:00,拜访客户,广州粤能电力,火车,356.00,有,硬卧,浦江—广州\n"
        "T1,张伟,省外,2026-03-02 08:00,2026-03-05 19:00,拜访客户,广州粤能电力,出租车,46.00,有,,广州站—厂区\n"
        "T1,张伟,省外,2026-03-02 08:00,2026-03-05 19:00,拜访客户,广州粤能电力,火车,356.00,有,硬卧,广州—浦江\n"
        "T2,李娜,省内,2026-03-10 07:00,2026-03-10 18:00,拜访客户,义乌阳光建材,大巴,18.00,有,,浦江—义乌\n"
    )
    r = run_csv(bizops_run, tmp_path, head.format(id="单号") + legs, "--input-format", "csv")
    assert r.exit_code == 65, r
    assert [(x["employee"], x["transport"]) for x in r.rows()] == [("李娜", "18.00")]
    assert "row 2-4: these rows repeat one request's fields with no trip_id: read apart, each row" in r.stderr
    r = run_csv(bizops_run, tmp_path, head.format(id="出差单号") + legs, "--input-format", "csv")
    assert r.exit_code == 0, r
    # one trip of three legs: the allowance once; the sleepers wait for their hours on board
    assert [(x["employee"], x["allowance"], x["transport"], len(x["needs_review"])) for x in r.rows()] == [
        ("张伟", "390.00", "46.00", 2),
        ("李娜", "15.00", "18.00", 0),
    ]
    assert "'说明'" in r.stderr and "differs" not in r.stderr
