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
        Column("name", "text", "名称", "name"),
        Column("note", "text", "备注", "note"),
        Column("total", "money", "金额", "total", ge=0),
        Column("status", "enum", "结果", "status"),
    ),
)


@hookimpl
def bizops_company():
    return Company("echo", "回声公司", "Echo Co", "1.0", commands={"quote": QUOTE})


def _echo(fields):
    return {"name": fields["name"], "note": fields["note"], "total": Decimal("9.00"), "status": "ok", "warnings": []}


@hookimpl
def bizops_price(company, requests, policy, context):
    if company != "echo":
        return None
    return map_rows(requests, _echo)
