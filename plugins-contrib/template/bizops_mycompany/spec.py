"""What mycompany declares: its policy values, the quote's inputs and outputs, its rules.

bizops reads these declarations to build the command-line flags, read CSV and
JSON, validate every input (your rules get typed values), write every output
format, check a config file and label tables in Chinese and English.
"""

from __future__ import annotations

from decimal import Decimal

from bizops.api import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "mycompany"  # the company's name: --company, [company.NAME] in bizops.toml, rule ids
VERSION = "0.1.0"

# One Rule per rule of your regulation: an id starting with the company's name and
# the clause of the document it comes from (shown with --explain).
DISCOUNT = Rule(
    f"{NAME}.price.discount",
    "价格管理办法 第3条",
    "a salesperson may give at most the maximum discount off the list price",
    "业务员给予的折扣不得超过最高折扣",
)

# Every threshold is a Setting, so each company changes it in its config, not in code:
#   [company.mycompany]
#   max_discount_pct = 8
SETTINGS = (
    Setting(
        "max_discount_pct",
        "pct",
        Decimal(10),
        "Largest discount a salesperson may give, in %",
        "业务员可给予的最高折扣（%）",
        ge=0,
        le=100,
    ),
)

QUOTE = CommandSpec(
    help="Price quotes: list price less the discount, refused above the maximum discount.",
    # Each Field is a flag (--list-price), a JSON key and a CSV column of the same name.
    inputs=(
        Field("list_price", "price", "list price per unit", "目录单价", required=True, gt=0),
        Field("qty", "int", "quantity", "数量", default=1, ge=1),
        Field("discount_pct", "pct", "discount asked for, in %", "折扣（%）", default=Decimal(0), ge=0, le=100),
    ),
    # Each Column is an output key, with its table headers in Chinese and English.
    outputs=(
        Column("company", "text", "公司", "company"),
        Column("unit_price", "money", "单价", "unit price", ge=0),
        Column("total", "money", "金额", "total", ge=0),
        Column("status", "enum", "状态", "status"),
        Column("reason", "text", "原因", "reason"),
        Column("warnings", "texts", "提示", "warnings"),
    ),
)

COMPANY = Company(
    name=NAME,
    zh="我的公司",
    en="My company",
    version=VERSION,
    settings=SETTINGS,
    commands={"quote": QUOTE},
    rules=(DISCOUNT,),
)
