"""A company that answers with what it was given: the text a table shows is the user's own.

`quote` reads a `name` and a `note` and writes them back beside a fixed
amount, so a test can put any text in a row and see how each output format
shows it.
"""

from decimal import Decimal

from bizops.api import Column, CommandSpec, Company, Field, hookimpl, map_rows

QUOTE = CommandSpec(
    inputs=(Field("name", "text", required=True), Field("note", "text")),
    outputs=(
        Column("name", "text", zh="名称", en="name"),
        Column("note", "text", zh="备注", en="note"),
        Column("total", "money", zh="金额", en="total", ge=0),
        Column("status", "enum", zh="结果", en="status"),
    ),
)


@hookimpl
def bizops_company():
    return Company("echo", zh="回声公司", en="Echo Co", version="1.0", commands={"quote": QUOTE})


def _echo(fields):
    return {"name": fields["name"], "note": fields["note"], "total": Decimal("9.00"), "status": "ok", "warnings": []}


@hookimpl
def bizops_price(requests, policy, context):
    return map_rows(requests, _echo)
