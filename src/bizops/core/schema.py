"""What a company plugin declares: its inputs, outputs, policy values and rules.

A plugin describes each command it answers with a `CommandSpec` (the input
`Field`s it reads and the output `Column`s it writes) and its thresholds as
`Setting`s. The core turns those declarations into flags, CSV/JSON readers,
validation, `policy init/show/check`, table labels and output checks, so the
plugin's own functions receive typed values and return typed values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from bizops.core.i18n import Text

#: Input kinds a `Field` may have.
FIELD_KINDS = (
    "text",
    "int",
    "decimal",
    "money",
    "price",
    "pct",
    "bool",
    "date",
    "datetime",
    "time",
    "enum",
    "records",
)
#: Output kinds a `Column` may have (how the writer checks and prints it).
COLUMN_KINDS = (
    "text",
    "enum",
    "int",
    "decimal",
    "money",
    "price",
    "bool",
    "date",
    "datetime",
    "texts",
    "records",
    "json",
)
#: Policy value kinds a `Setting` may have.
SETTING_KINDS = ("text", "int", "decimal", "money", "pct", "bool", "time", "enum", "path")

#: Placeholder default meaning "the time of this run" (`--now`, else the clock).
NOW = "now"


class Field(NamedTuple):
    """One input field: a flag, a JSON key and a CSV column of the same name.

    `default` is a typed value (or `NOW`); `None` means absent. Bounds are
    inclusive (`ge`, `le`) or exclusive (`gt`, `lt`). `places` caps decimals
    (money 2 and price 4 unless set). `fields` describes the items of a
    `records` field (a list of objects, such as the legs of a trip).
    """

    name: str
    kind: str = "text"
    help: str = ""
    help_zh: str = ""
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    ge: Decimal | int | None = None
    gt: Decimal | int | None = None
    le: Decimal | int | None = None
    lt: Decimal | int | None = None
    places: int | None = None
    fields: tuple[Field, ...] = ()


class Column(NamedTuple):
    """One output field: its JSON key, how it is written, and its table labels.

    `ge` is a lower bound the core checks before writing a number column
    (`ge=0`: a price or total is never negative); a result outside it is a
    failure of the plugin (exit 70), never a row written.
    """

    name: str
    kind: str = "text"
    zh: str = ""
    en: str = ""
    ge: Decimal | int | None = None

    def label(self, lang: str) -> str:
        if lang == "zh" and self.zh:
            return self.zh
        return self.en or self.name.replace("_", " ")


class Setting(NamedTuple):
    """One policy value: a threshold a company may change in its TOML config.

    `many` makes it a list of the kind (the dispatch batch cut-offs, say).
    """

    name: str
    kind: str
    default: Any
    help: str = ""
    help_zh: str = ""
    choices: tuple[str, ...] = ()
    ge: Decimal | int | None = None
    gt: Decimal | int | None = None
    le: Decimal | int | None = None
    lt: Decimal | int | None = None
    many: bool = False


class Rule(NamedTuple):
    """A rule of the spec: its id, the seed clause it comes from, what it says."""

    id: str
    clause: str
    en: str = ""
    zh: str = ""

    def applied(self, effect: str | Text) -> dict:
        """The trace entry saying what this rule did to one result."""
        return {"rule": self.id, "clause": self.clause, "effect": effect}


class CommandSpec(NamedTuple):
    """A command a company answers: its inputs and outputs.

    `aggregate` commands (score) read a stream of events and write one row per
    group; the others write exactly one row per input row. `group_by` names a
    column that joins consecutive CSV rows into one request, with the fields
    of the `records` field `group_into` taken from each row (a trip's legs).
    `parallel` may be set False by a plugin whose rows are not independent.
    `identity` names the text input field that identifies a request (an
    order number, a claim number, an event id): under `--record` a request
    whose id the ledger holds is not recorded twice (docs/ledger.md).
    """

    inputs: tuple[Field, ...]
    outputs: tuple[Column, ...]
    help: str = ""
    aggregate: bool = False
    group_by: str | None = None
    group_into: str | None = None
    parallel: bool = True
    identity: str | None = None


class Company(NamedTuple):
    """What `bizops_company` returns: who the company is and what it answers.

    `commands` maps command names to their specs: the core ones (`quote`,
    `approve-order`, `expense request`, `expense claim`, `score`), which exit
    69 for a company without them, and the plugin's own (`pile plan`), which it
    adds with `bizops_register_commands`. `labels` translates enum values in
    tables: `{"cod": ("货到付款", "pay on delivery")}`.
    """

    name: str
    zh: str
    en: str
    version: str
    settings: tuple[Setting, ...] = ()
    commands: dict[str, CommandSpec] = {}  # noqa: RUF012 - read-only by contract
    rules: tuple[Rule, ...] = ()
    labels: dict[str, tuple[str, str]] = {}  # noqa: RUF012 - read-only by contract

    def display(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def problems(company: Company) -> list[str]:
    """What is wrong with a company declaration (unknown kinds, repeated names…); empty if nothing.

    Checked when the plugin is registered, so a typo fails at load time,
    named, rather than in the middle of a stream.
    """
    found = []

    def check_fields(where: str, fields) -> None:
        names = [f.name for f in fields]
        if len(set(names)) != len(names):
            found.append(f"{where}: an input field appears twice")
        for f in fields:
            if f.kind not in FIELD_KINDS:
                found.append(f"{where}: field {f.name!r} has unknown kind {f.kind!r}")
            if f.kind == "enum" and not f.choices:
                found.append(f"{where}: enum field {f.name!r} has no choices")
            if f.kind == "records":
                check_fields(f"{where}.{f.name}", f.fields)

    settings = [s.name for s in company.settings]
    if len(set(settings)) != len(settings):
        found.append("a setting name appears twice")
    for setting in company.settings:
        if setting.kind not in SETTING_KINDS:
            found.append(f"setting {setting.name!r} has unknown kind {setting.kind!r}")
    for command, spec in company.commands.items():
        check_fields(command, spec.inputs)
        columns = [c.name for c in spec.outputs]
        if len(set(columns)) != len(columns):
            found.append(f"{command}: an output column appears twice")
        if spec.identity and not any(f.name == spec.identity and f.kind == "text" for f in spec.inputs):
            found.append(f"{command}: identity {spec.identity!r} is not a text input field")
        for column in spec.outputs:
            if column.kind not in COLUMN_KINDS:
                found.append(f"{command}: column {column.name!r} has unknown kind {column.kind!r}")
            if column.ge is not None and column.kind not in ("int", "decimal", "money", "price"):
                found.append(f"{command}: column {column.name!r} has a bound but is not a number ({column.kind})")
    for rule in company.rules:
        if not rule.id.startswith(company.name + ".") or not rule.clause:
            found.append(f"rule {rule.id}: an id starts with the company name and a rule cites a clause")
    return found
