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
