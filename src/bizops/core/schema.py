"""What a company plugin declares: its inputs, outputs, policy values, rules and commands.

A plugin describes each command it answers with a `CommandSpec` (the input
`Field`s it reads and the output `Column`s it writes) and its thresholds as
`Setting`s. The core turns those declarations into flags, CSV/JSON readers,
validation, `policy init/show/check`, table labels and output checks, so the
plugin's own functions receive typed values and return typed values. A plugin
that changes another company's rules declares an `Extension` of it instead.

Every declaration takes its translations as keywords (`en=`, `zh=`) and is
read-only: compared and shown by value, copied with `replace(...)`.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, get_args

from bizops.core.errors import RowError
from bizops.core.i18n import Text

if TYPE_CHECKING:
    from bizops.core.context import Context
    from bizops.core.policy import Policy

#: Input kinds a `Field` may have.
FieldKind: TypeAlias = Literal[
    "text", "int", "decimal", "money", "price", "pct", "bool", "date", "datetime", "time", "enum", "records"
]
#: Output kinds a `Column` may have (how the writer checks and prints it).
ColumnKind: TypeAlias = Literal[
    "text", "enum", "int", "decimal", "money", "price", "bool", "date", "datetime", "texts", "records", "json"
]
#: Policy value kinds a `Setting` may have.
SettingKind: TypeAlias = Literal["text", "int", "decimal", "money", "pct", "bool", "time", "enum", "path"]
FIELD_KINDS: tuple[str, ...] = get_args(FieldKind)
COLUMN_KINDS: tuple[str, ...] = get_args(ColumnKind)
SETTING_KINDS: tuple[str, ...] = get_args(SettingKind)

#: A request as a hook receives it: the row number the user sees, and the typed fields.
Request: TypeAlias = tuple[int | str, dict[str, Any]]
#: What a hook returns per request: a result dict, or the row's error.
Outcome: TypeAlias = dict[str, Any] | RowError
#: A company command's function: requests, policy and context in, outcomes out (as a decision hook).
Runner: TypeAlias = Callable[[Iterator[Request], "Policy", "Context"], Iterable[Outcome]]
Bound: TypeAlias = Decimal | int | None
#: A setting's bound: a number, or the name of another number setting (see `Setting`).
SettingBound: TypeAlias = Decimal | int | str | None

#: Placeholder default meaning "the time of this run" (`--now`, else the clock).
NOW = "now"

#: The core commands and the hook that answers each; any other command a company declares is its own.
CORE_COMMANDS: dict[str, str] = {
    "quote": "bizops_price",
    "approve-order": "bizops_approve",
    "expense request": "bizops_expense",
    "expense claim": "bizops_expense",
    "score": "bizops_score",
    "receivables": "bizops_collect",
    "commission": "bizops_commission",
}
#: First words a company's own command may not start with: the core's commands and groups.
RESERVED_WORDS = (
    "quote",
    "approve-order",
    "expense",
    "score",
    "receivables",
    "commission",
    "companies",
    "policy",
    "ledger",
    "check",
)

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_COMMAND_WORD = re.compile(r"[a-z][a-z0-9-]*\Z")


class Declaration:
    """Base of the declarations: read-only, compared and shown by value, copied with `replace`.

    A subclass annotates its attributes and sets them all at once in its
    `__init__` with `_keep(self, locals())`, so a new attribute is one
    annotation and one keyword. (Not a frozen dataclass: generating one costs
    about a millisecond per class on every start, and bizops starts in ninety.)
    """

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use .replace({name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def replace(self, **changes: Any) -> Any:
        """A copy with some attributes changed (as `dataclasses.replace`)."""
        unknown = changes.keys() - self.__dict__.keys()
        if unknown:
            raise TypeError(f"{type(self).__name__} has no attribute {sorted(unknown)[0]!r}")
        copy = object.__new__(type(self))
        object.__setattr__(copy, "__dict__", {**self.__dict__, **changes})
        return copy

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({shown})"


def _keep(self: Declaration, values: dict[str, Any]) -> None:
    """Set a declaration's attributes from its `__init__`'s arguments (`locals()`)."""
    values = dict(values)
    del values["self"]
    object.__setattr__(self, "__dict__", values)


class Field(Declaration):
    """One input field: a flag, a JSON key and a CSV column of the same name.

    `en`/`zh` describe it (the flag's help in either language). `default` is a
    typed value (or `NOW`); `None` means absent. Bounds are inclusive (`ge`,
    `le`) or exclusive (`gt`, `lt`). `places` caps decimals (money 2 and price
    4 unless set). `fields` describes the items of a `records` field (a list
    of objects, such as the legs of a trip).

    A spreadsheet's column is this field when its header is the name, the
    Chinese name (`zh`, also without a bracketed note: `指导价（含税）` is
    `指导价`), the table label of the output column of the same name, or one
    of `aliases` (`("产品编号", "货号")`). An enum value may be a choice, the
    label the company's tables print for it (`Company.labels`), or one of
    `choice_aliases` (`{"credit": ("账期",)}`); a yes/no field's words beyond
    是/否 are `choice_aliases` of `"true"` and `"false"` (`{"true": ("新客户",)}`).
    """

    name: str
    kind: FieldKind
    en: str
    zh: str
    default: Any
    required: bool
    choices: tuple[str, ...]
    ge: Bound
    gt: Bound
    le: Bound
    lt: Bound
    places: int | None
    fields: tuple[Field, ...]
    aliases: tuple[str, ...]
    choice_aliases: dict[str, tuple[str, ...]]

    def __init__(
        self,
        name: str,
        kind: FieldKind = "text",
        *,
        en: str = "",
        zh: str = "",
        default: Any = None,
        required: bool = False,
        choices: tuple[str, ...] = (),
        ge: Bound = None,
        gt: Bound = None,
        le: Bound = None,
        lt: Bound = None,
        places: int | None = None,
        fields: tuple[Field, ...] = (),
        aliases: tuple[str, ...] = (),
        choice_aliases: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        aliases = tuple(aliases)
        choice_aliases = {choice: tuple(names) for choice, names in (choice_aliases or {}).items()}
        _keep(self, locals())

    def __hash__(self) -> int:
        return hash((type(self), self.name, self.kind))

    def help(self, lang: str) -> str:
        """What the field is, in `lang` (English when there is no Chinese)."""
        return (self.zh if lang == "zh" and self.zh else self.en) or self.name


class Column(Declaration):
    """One output field: its JSON key, how it is written, and its table labels.

    `ge` is a lower bound the core checks before writing a number column
    (`ge=0`: a price or total is never negative); a result outside it is a
    failure of the plugin (exit 70), never a row written. `key` marks what
    people look a row up by (a SKU, a customer, an invoice or order number):
    a table shows it whole, as it shows money, numbers, dates and choices,
    however narrow the terminal; only free text (a reason) is wrapped.
    """

    name: str
    kind: ColumnKind
    zh: str
    en: str
    ge: Bound
    key: bool

    def __init__(
        self, name: str, kind: ColumnKind = "text", *, zh: str = "", en: str = "", ge: Bound = None, key: bool = False
    ) -> None:
        _keep(self, locals())

    def label(self, lang: str) -> str:
        if lang == "zh" and self.zh:
            return self.zh
        return self.en or self.name.replace("_", " ")


class Setting(Declaration):
    """One policy value: a threshold a company may change in its TOML config.

    `many` makes it a list of the kind (the dispatch batch cut-offs, say).
    A bound may name another number setting instead of a number: with
    `ge="credit_manager_over"` no policy may set this one below that one
    (`policy check` and every run refuse it, exit 78).
    """

    name: str
    kind: SettingKind
    default: Any
    en: str
    zh: str
    choices: tuple[str, ...]
    ge: SettingBound
    gt: SettingBound
    le: SettingBound
    lt: SettingBound
    many: bool

    def __init__(
        self,
        name: str,
        kind: SettingKind,
        default: Any,
        *,
        en: str = "",
        zh: str = "",
        choices: tuple[str, ...] = (),
        ge: SettingBound = None,
        gt: SettingBound = None,
        le: SettingBound = None,
        lt: SettingBound = None,
        many: bool = False,
    ) -> None:
        _keep(self, locals())

    def help(self, lang: str) -> str:
        """What the value means, in `lang` (English when there is no Chinese)."""
        return (self.zh or self.en) if lang == "zh" else self.en


class Rule(Declaration):
    """A rule of the regulation: its id, the clause it comes from, what it says."""

    id: str
    clause: str
    en: str
    zh: str

    def __init__(self, id: str, clause: str, *, en: str = "", zh: str = "") -> None:
        _keep(self, locals())

    def applied(self, effect: str | Text) -> dict[str, Any]:
        """The trace entry saying what this rule did to one result."""
        return {"rule": self.id, "clause": self.clause, "effect": effect}


class CommandSpec(Declaration):
    """A command a company answers: its inputs and outputs, and for its own commands how they run.

    `aggregate` commands (score) read a stream of events and write one row per
    group; the others write exactly one row per input row. `group_by` names a
    column that joins consecutive CSV rows into one request, with the fields
    of the `records` field `group_into` taken from each row (a trip's legs).
    `parallel` may be set False by a plugin whose rows are not independent.

    `options` are the command's own flags, declared as `Field`s and typed the
    same way (`context.options["at"]` is a datetime); a core command may have
    them too (`receivables --as-of DATE --by customer`). `views` gives other
    output columns for an enum option's values: with
    `views={"by": {"customer": COLUMNS}}`, `--by customer` writes `COLUMNS`
    instead of `outputs` (an ageing summary instead of one row per invoice).
    `labels` translate the enum values of this command's results, over the
    company's (`none` is a next step here, "no invoice" in a quote).

    A company's own command (`pile plan`: any name not in `CORE_COMMANDS`) also
    says how it runs: `run(requests, policy, context)` returns its outcomes as
    a decision hook does; `switch` maps a bool option to another command of
    the company it turns this one into (`flights triage --checklist` is
    `flights checklist`).

    For people: `zh` is the help in Chinese (`help` the English); `essential`
    names the output columns a table shows by default (all when empty; the
    others by `--columns`), the ones a sales admin reads a row by; `examples`
    are two or three command lines that `--help` ends with, each a string
    (`"bizops --company acme quote --list-price 200"`) or `(command, en, zh)`
    with what it shows. They must run from a bizops checkout: tests run them.
    `identity` names the text input field that identifies a request (an
    order number, a claim number, an event id): under `--record` a request
    whose id the ledger holds is not recorded twice (docs/ledger.md).
    """

    inputs: tuple[Field, ...]
    outputs: tuple[Column, ...]
    help: str
    zh: str
    essential: tuple[str, ...]
    examples: tuple[tuple[str, str, str], ...]
    aggregate: bool
    group_by: str | None
    group_into: str | None
    parallel: bool
    run: Runner | None
    options: tuple[Field, ...]
    switch: dict[str, str]
    views: dict[str, dict[str, tuple[Column, ...]]]
    labels: dict[str, tuple[str, str]]
    identity: str | None

    def __init__(
        self,
        inputs: tuple[Field, ...] = (),
        outputs: tuple[Column, ...] = (),
        *,
        help: str = "",
        aggregate: bool = False,
        group_by: str | None = None,
        group_into: str | None = None,
        parallel: bool = True,
        run: Runner | None = None,
        options: tuple[Field, ...] = (),
        switch: Mapping[str, str] | None = None,
        views: Mapping[str, Mapping[str, tuple[Column, ...]]] | None = None,
        labels: Mapping[str, tuple[str, str]] | None = None,
        zh: str = "",
        essential: tuple[str, ...] = (),
        examples: tuple[str | tuple[str, str] | tuple[str, str, str], ...] = (),
        identity: str | None = None,
    ) -> None:
        switch = dict(switch or {})
        views = {option: dict(columns) for option, columns in (views or {}).items()}
        labels = dict(labels or {})
        essential = tuple(essential)
        examples = tuple(_example(e) for e in examples)
        _keep(self, locals())

    def columns(self, options: Mapping[str, Any]) -> tuple[Column, ...]:
        """The output columns for these option values: a view's when an option picks one, else `outputs`."""
        for option, columns in self.views.items():
            picked = columns.get(options.get(option))  # type: ignore[arg-type]
            if picked is not None:
                return picked
        return self.outputs

    def help_text(self, lang: str) -> str:
        """The command's help in `lang` (English when there is no Chinese)."""
        return (self.zh or self.help) if lang == "zh" else self.help


def _example(example: str | tuple[str, ...]) -> tuple[str, str, str]:
    """An example as `(command, en, zh)`."""
    if isinstance(example, str):
        return (example, "", "")
    command, en, zh = (tuple(example) + ("", ""))[:3]
    return (command, en, zh or en)


class Company(Declaration):
    """What `bizops_company` returns for a plugin that brings a company: who it is and what it answers.

    `commands` maps command names to their specs: the core ones (`quote`,
    `approve-order`, `expense request`, `expense claim`, `score`), which exit
    69 for a company without them, and the company's own (`pile plan`), each
    with its `run`. `labels` translates enum values in tables:
    `{"cod": ("货到付款", "pay on delivery")}`. `version` is for a plugin
    without package metadata (a file loaded with `--plugin`): bizops takes an
    installed plugin's version from its package, a built-in's from bizops.
    """

    name: str
    zh: str
    en: str
    version: str | None
    settings: tuple[Setting, ...]
    commands: dict[str, CommandSpec]
    rules: tuple[Rule, ...]
    labels: dict[str, tuple[str, str]]

    def __init__(
        self,
        name: str,
        *,
        zh: str = "",
        en: str = "",
        version: str | None = None,
        settings: tuple[Setting, ...] = (),
        commands: Mapping[str, CommandSpec] | None = None,
        rules: tuple[Rule, ...] = (),
        labels: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        commands, labels = dict(commands or {}), dict(labels or {})
        _keep(self, locals())

    def display(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def own_commands(self) -> dict[str, CommandSpec]:
        """The commands this company adds to bizops (`pile plan`), not the core ones."""
        return {name: spec for name, spec in self.commands.items() if name not in CORE_COMMANDS}


class Extension(Declaration):
    """What `bizops_company` returns for a plugin that changes another company's rules.

    `extends` names the company. `defaults` replaces some of its settings'
    defaults (a company's config still overrides them); `rules` are the rules
    the extension's own hooks apply (ids starting with the company's name);
    `labels` translate the enum values its results add. Its decision hooks are
    asked before the company's own for that company, and for no other.
    """

    extends: str
    version: str | None
    defaults: dict[str, Any]
    rules: tuple[Rule, ...]
    labels: dict[str, tuple[str, str]]

    def __init__(
        self,
        extends: str,
        *,
        version: str | None = None,
        defaults: Mapping[str, Any] | None = None,
        rules: tuple[Rule, ...] = (),
        labels: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        defaults, labels = dict(defaults or {}), dict(labels or {})
        _keep(self, locals())


def problems(declared: Company | Extension) -> list[str]:
    """What is wrong with a declaration (unknown kinds, repeated names…); empty if nothing.

    Checked when the plugin is registered, so a typo fails at load time,
    named, rather than in the middle of a stream.
    """
    if isinstance(declared, Extension):
        return _extension_problems(declared)
    company = declared
    found = []
    if not isinstance(company.name, str) or not _NAME.match(company.name):
        found.append(f"company name {company.name!r}: lowercase letters, digits and _, starting with a letter")

    def check_fields(where: str, fields: Iterable[Field]) -> None:
        fields = tuple(fields)
        names = [f.name for f in fields]
        if len(set(names)) != len(names):
            found.append(f"{where}: an input field appears twice")
        for f in fields:
            if not isinstance(f, Field):
                found.append(f"{where}: {f!r} is not a Field")
                continue
            if f.kind not in FIELD_KINDS:
                found.append(f"{where}: field {f.name!r} has unknown kind {f.kind!r}")
            if f.kind == "enum" and not f.choices:
                found.append(f"{where}: enum field {f.name!r} has no choices")
            for choice in f.choice_aliases:
                if choice not in (("true", "false") if f.kind == "bool" else f.choices):
                    found.append(f"{where}: field {f.name!r} has aliases for {choice!r}, which is not a choice")
            if f.kind == "records":
                check_fields(f"{where}.{f.name}", f.fields)

    settings = [s.name for s in company.settings]
    if len(set(settings)) != len(settings):
        found.append("a setting name appears twice")
    numbers = {s.name: s for s in company.settings if s.kind in ("int", "decimal", "money", "pct") and not s.many}
    for setting in company.settings:
        if setting.kind not in SETTING_KINDS:
            found.append(f"setting {setting.name!r} has unknown kind {setting.kind!r}")
        for bound, other in setting_bounds(setting):
            if setting.name not in numbers or other not in numbers or other == setting.name:
                found.append(f"setting {setting.name!r}: {bound}={other!r} must name another number setting")
            elif not holds(setting.default, bound, numbers[other].default):
                found.append(f"setting {setting.name!r}: its default breaks {bound}={other!r}")
    for command, spec in company.commands.items():
        if not isinstance(spec, CommandSpec):
            found.append(f"{command}: {type(spec).__name__} is not a CommandSpec")
            continue
        check_fields(command, spec.inputs)
        if spec.identity and not any(f.name == spec.identity and f.kind == "text" for f in spec.inputs):
            found.append(f"{command}: identity {spec.identity!r} is not a text input field")
        for where, outputs in _outputs(command, spec):
            columns = [c.name for c in outputs]
            if len(set(columns)) != len(columns):
                found.append(f"{where}: an output column appears twice")
            for column in outputs:
                if column.kind not in COLUMN_KINDS:
                    found.append(f"{where}: column {column.name!r} has unknown kind {column.kind!r}")
                if column.ge is not None and column.kind not in ("int", "decimal", "money", "price"):
                    found.append(f"{where}: column {column.name!r} has a bound but is not a number ({column.kind})")
        printed = {c.name for _, outputs in _outputs(command, spec) for c in outputs} | {"company", "warnings"}
        for name in spec.essential:
            if name not in printed:
                found.append(f"{command}: essential column {name!r} is not an output column")
        for example in spec.examples:
            if not isinstance(example[0], str) or not example[0].startswith("bizops "):
                found.append(f"{command}: example {example[0]!r} must be a command line starting with 'bizops '")
        found += _command_problems(company, command, spec, check_fields)
    found += _rule_problems(company.name, company.rules)
    return found


def _outputs(command: str, spec: CommandSpec) -> list[tuple[str, tuple[Column, ...]]]:
    """Every set of output columns a command may write, with where it is declared (for messages)."""
    found = [(command, spec.outputs)]
    for option, columns in spec.views.items():
        found += [(f"{command} --{option} {value}", outputs) for value, outputs in columns.items()]
    return found


def _command_problems(company: Company, command: str, spec: CommandSpec, check_fields: Callable) -> list[str]:
    """A core command is answered by its hook; an own command needs a name and a `run`; options are sound."""
    found = _option_problems(command, spec, check_fields)
    if command in CORE_COMMANDS:
        if spec.run is not None or spec.switch:
            found.append(f"{command}: a core command is answered by {CORE_COMMANDS[command]}: no run or switch")
        return found
    words = command.split(" ")
    if len(words) > 2 or not all(_COMMAND_WORD.match(w) for w in words) or words[0] in RESERVED_WORDS:
        found.append(
            f"{command!r}: a command of the company's own is one or two lowercase words, not starting "
            f"with a core command ({', '.join(RESERVED_WORDS)})"
        )
    if not callable(spec.run):
        found.append(f"{command}: a command of the company's own needs run=, the function that answers it")
    options = {o.name: o for o in spec.options}
    for flag, other in spec.switch.items():
        if flag not in options or options[flag].kind != "bool":
            found.append(f"{command}: switch {flag!r} is not a bool option of the command")
        if other == command or other not in company.own_commands():
            found.append(f"{command}: switch {flag!r} turns it into {other!r}, which is no other own command")
    return found


def _option_problems(command: str, spec: CommandSpec, check_fields: Callable) -> list[str]:
    """A command's options are flags of their own; a view is picked by a value of an enum option."""
    found = []
    check_fields(f"{command} options", spec.options)
    options = {o.name: o for o in spec.options}
    common = {"input", "input_format", "encoding", "jobs", "now", "header_row", "sheet", "output", "columns", "bom"}
    clash = options.keys() & ({f.name for f in spec.inputs} | common)
    if clash:
        found.append(f"{command}: option {sorted(clash)[0]!r} has the name of an input field or a common option")
    for option in spec.options:
        if option.kind == "records" or option.required:
            found.append(f"{command}: option {option.name!r} cannot be records or required (it is a flag)")
    for name, columns in spec.views.items():
        picker = options.get(name)
        if picker is None or picker.kind != "enum":
            found.append(f"{command}: views are picked by {name!r}, which is no enum option of the command")
        elif not set(columns) <= set(picker.choices):
            found.append(f"{command}: views of {sorted(set(columns) - set(picker.choices))} are no choices of {name!r}")
    return found


def _rule_problems(company: str, rules: Iterable[Rule]) -> list[str]:
    return [
        f"rule {rule.id}: an id starts with the company name and a rule cites a clause"
        for rule in rules
        if not rule.id.startswith(company + ".") or not rule.clause
    ]


def _extension_problems(extension: Extension) -> list[str]:
    found = []
    if not isinstance(extension.extends, str) or not _NAME.match(extension.extends):
        found.append(f"extends {extension.extends!r}: not a company name")
    return found + _rule_problems(extension.extends, extension.rules)


#: How a setting may be bound to another one.
_ORDERS = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt}


def setting_bounds(setting: Setting) -> list[tuple[str, str]]:
    """The bounds of a setting that name other settings: `[("ge", "credit_manager_over")]`."""
    return [(attr, getattr(setting, attr)) for attr in _ORDERS if isinstance(getattr(setting, attr), str)]


def holds(value: Any, bound: str, other: Any) -> bool:
    """Whether `value` keeps the bound (`ge`, `gt`, `le`, `lt`) against `other`; None on either side holds."""
    return value is None or other is None or _ORDERS[bound](value, other)
