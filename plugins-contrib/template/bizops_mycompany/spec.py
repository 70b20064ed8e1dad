"""What mycompany declares: its policy values, the quote's inputs and outputs, its rules.

bizops reads these declarations to build the command-line flags, read CSV and
JSON, validate every input (your rules get typed values), write every output
format, check a config file and label tables in Chinese and English.
"""

from __future__ import annotations

from decimal import Decimal

from bizops.api import Column, CommandSpec, Company, Field, Rule, Setting

NAME = "mycompany"  # the company's name: --company, [company.NAME] in bizops.toml, rule ids

# One Rule per rule of your regulation: an id starting with the company's name and
# the clause of the document it comes from (shown with --explain).
DISCOUNT = Rule(
    f"{NAME}.price.discount",
    "价格管理办法 第3条",
    en="a salesperson may give at most the maximum discount off the list price",
    zh="业务员给予的折扣不得超过最高折扣",
)

# Every threshold is a Setting, so each company changes it in its config, not in code:
#   [company.mycompany]
#   max_discount_pct = 8
SETTINGS = (
    Setting(
        "max_discount_pct",
        "pct",
        Decimal(10),
        en="Largest discount a salesperson may give, in %",
        zh="业务员可给予的最高折扣（%）",
        ge=0,
        le=100,
    ),
)

QUOTE = CommandSpec(
    help="Price quotes: list price less the discount, refused above the maximum discount.",
    # Each Field is a flag (--list-price), a JSON key and a CSV column of the same name.
    inputs=(
        Field("list_price", "price", en="list price per unit", zh="目录单价", required=True, gt=0),
        Field("qty", "int", en="quantity", zh="数量", default=1, ge=1),
        Field("discount_pct", "pct", en="discount asked for, in %", zh="折扣（%）", default=Decimal(0), ge=0, le=100),
    ),
    # Each Column is an output key, with its table headers in Chinese and English.
    outputs=(
        Column("company", "text", zh="公司", en="company"),
        Column("unit_price", "money", zh="单价", en="unit price", ge=0),
        Column("total", "money", zh="金额", en="total", ge=0),
        Column("status", "enum", zh="状态", en="status"),
        Column("reason", "text", zh="原因", en="reason"),
        Column("warnings", "texts", zh="提示", en="warnings"),
    ),
)

COMPANY = Company(
    name=NAME,
    zh="我的公司",
    en="My company",
    settings=SETTINGS,
    commands={"quote": QUOTE},
    rules=(DISCOUNT,),
)
