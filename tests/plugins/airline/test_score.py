"""`bizops score` for the airline office: route revenue completion per person and period."""

from __future__ import annotations

from datetime import datetime

EVENTS = """person,route,period,revenue,target_revenue
王芳,DLC-SZX,2026-11,"900,000.00",1000000.00
王芳,DLC-PEK,2026-11,1300000.00,1200000.00
李强,DLC-PVG,2026-11,500000.00,500000.00
王芳,DLC-CTU,2026-11,599999.99,600000.00
王芳,DLC-SZX,2026/10,700000.00,1000000.00
王芳,DLC-SZX,2026-11,50000.00,0
王芳,DLC-SZX,2026-11,100000.00,50000.00
李强,DLC-PVG,Nov 2026,1.00,1.00
"""


def test_score_per_person_and_period(bizops_run, tmp_path):
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    r = bizops_run("--company", "airline", "score", "events.csv", "--format", "json")
    assert r.exit_code == 65, r
    assert r.json() == [
        {
            "company": "airline",
            "person": "李强",
            "period": "2026-11",
            "revenue": "500000.00",
            "target_revenue": "500000.00",
            "completion": "1.0000",
            "gap": "0.00",
            "routes_below": [],
            "warnings": [],
        },
        {
            "company": "airline",
            "person": "王芳",
            "period": "2026-10",
            "revenue": "700000.00",
            "target_revenue": "1000000.00",
            "completion": "0.7000",
            "gap": "300000.00",
            "routes_below": ["DLC-SZX"],
            "warnings": [],
        },
        # DLC-SZX twice in 2026-11: 1,000,000.00 / 1,050,000.00 summed is still below; CTU a fen below
        {
            "company": "airline",
            "person": "王芳",
            "period": "2026-11",
            "revenue": "2899999.99",
            "target_revenue": "2850000.00",
            "completion": "1.0175",
            "gap": "-49999.99",
            "routes_below": ["DLC-SZX", "DLC-CTU"],
            "warnings": [],
        },
    ]
    assert 'row 7: target_revenue must be > 0, got "0"' in r.stderr
    assert 'row 9: period must be a month YYYY-MM, got "Nov 2026"' in r.stderr


def test_completion_exactly_at_the_alert_is_not_below(bizops_run, tmp_path):
    (tmp_path / "bizops.toml").write_text('[company.airline]\ncompletion_alert = "0.95"\n', encoding="utf-8")
    (tmp_path / "events.csv").write_text(
        "person,route,period,revenue,target_revenue\n"
        "王芳,DLC-PEK,2026-11,950.00,1000.00\n王芳,DLC-SZX,2026-11,949.99,1000.00\n",
        encoding="utf-8",
    )
    (card,) = bizops_run("--company", "airline", "score", "events.csv", "--format", "json").json()
    assert card["routes_below"] == ["DLC-SZX"]
    assert (card["completion"], card["gap"]) == ("0.9500", "100.01")


def test_one_event_from_flags_and_explain(bizops_run):
    r = bizops_run(
        "--company",
        "airline",
        "score",
        "--person",
        "王芳",
        "--route",
        "DLC-PEK",
        "--period",
        "2026-11",
        "--revenue",
        "80000",
        "--target-revenue",
        "90000",
        "--format",
        "json",
        "--explain",
    )
    assert r.exit_code == 0, r
    card = r.json()
    assert (card["completion"], card["gap"], card["routes_below"]) == ("0.8889", "10000.00", ["DLC-PEK"])
    assert card["trace"][0]["rule"] == "airline.watch.revenue"


def test_table_in_chinese(bizops_run, tmp_path):
    (tmp_path / "events.csv").write_text(
        EVENTS.splitlines()[0] + "\n" + EVENTS.splitlines()[1] + "\n", encoding="utf-8"
    )
    r = bizops_run("--company", "airline", "score", "events.csv", "--format", "table", "--lang", "zh")
    assert r.exit_code == 0, r
    card = dict(line.split(None, 1) for line in r.stdout.splitlines() if line.strip())  # one result: a card
    assert card == {
        "公司": "airline",
        "责任人": "王芳",
        "月份": "2026-11",
        "收入": "900000.00",
        "合理收入": "1000000.00",
        "完成率": "0.9000",
        "差额": "100000.00",
        "未达标航线": "DLC-SZX",
    } | {k: v for k, v in card.items() if k == "提示"}


def test_a_route_sheet_headed_and_dated_as_the_office_keeps_it(bizops_run, tmp_path):
    """Found attacking the scorecard with a 航线收入完成情况 sheet: 姓名, 实际收入（元）and 目标收入（元）were
    unknown (every row refused), and a month cell, a date on the 1st shown as 2026年10月, was refused as a
    period. Read now; the months written three ways are one period."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["航线收入完成情况"])
    sheet.append(["姓名", "航线", "月份", "实际收入（元）", "目标收入（元）"])
    sheet.append(["王芳", "DLC-PEK", datetime(2026, 10, 1), 2874310.5, 2917100])
    sheet.append(["王芳", "DLC-PVG", "2026年10月", 1702460, 1608200])
    sheet.cell(row=3, column=3).number_format = 'yyyy"年"m"月"'
    book.save(tmp_path / "航线.xlsx")
    r = bizops_run("--company", "airline", "score", "航线.xlsx", "--format", "json")
    assert r.exit_code == 0, r
    [card] = r.json()
    assert (card["person"], card["period"], card["revenue"], card["target_revenue"], card["completion"]) == (
        "王芳",
        "2026-10",
        "4576770.50",
        "4525300.00",
        "1.0114",
    )
