"""Typer commands that read request rows: the core decision commands and the companies' own.

`rows_command` builds the command function from a `CommandSpec`: an optional
INPUT, the input and output options, one flag per input field
(`--guide-price 100`, `--custom/--no-custom`), one per option the command
declares (`--at TIME`, `--all`), and the common options. It runs
`bizops.core.command.execute` inside the guard.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from bizops.commands import runtime
from bizops.commands.options import (
    EncodingOpt,
    HeaderRowOpt,
    InputArg,
    InputFormatOpt,
    JobsOpt,
    NowOpt,
    Options,
    RecordOpt,
    SheetOpt,
    common_options,
)
from bizops.commands.texts import say
from bizops.core.schema import CommandSpec, Field

_KW = inspect.Parameter.KEYWORD_ONLY
AmendOpt = Annotated[
    bool,
    typer.Option(
        "--amend",
        help=say(
            "With --record: a request whose id is recorded with other inputs replaces that decision "
            "(reversed and recorded again in one transaction).",
            "与 --record 同用：编号已记录但输入不同的请求替换原决定（在一个事务中冲销并重新记录）。",
        ),
    ),
]
_FIELD_PREFIX = "field__"
_OPTION_PREFIX = "option__"


_METAVARS = {
    "int": "N",
    "decimal": "NUMBER",
    "money": "AMOUNT",
    "price": "PRICE",
    "pct": "PERCENT",
    "date": "DATE",
    "datetime": "TIME",
    "time": "HH:MM",
    "enum": "CHOICE",
    "records": "JSON",
}


def _flag(field: Field) -> Any:
    """An input field's flag: `--guide-price 100`, or `--custom/--no-custom` (absent when not given)."""
    name = "--" + field.name.replace("_", "-")
    help_text = field.help(runtime.help_lang())
    if field.choices:
        help_text += f" [{'|'.join(field.choices)}]"
    if field.kind == "bool":
        return Annotated[bool | None, typer.Option(f"{name}/--no-{name[2:]}", help=help_text, show_default=False)]
    if field.kind == "records":
        help_text += "（JSON 对象列表）" if runtime.help_lang() == "zh" else " (a JSON list of objects)"
    choices = field.choices

    def complete(incomplete: str) -> list[str]:  # a Tab after --settlement: its choices
        return [c for c in choices if c.startswith(incomplete)]

    return Annotated[
        str | None,
        typer.Option(
            name,
            metavar=_METAVARS.get(field.kind, "TEXT"),
            help=help_text,
            show_default=False,
            autocompletion=complete if choices else None,
        ),
    ]


def _option(field: Field) -> Any:
    """A command's own option: a value flag as a field's, a bool one a plain switch (`--all`)."""
    if field.kind != "bool":
        return _flag(field)
    name = "--" + field.name.replace("_", "-")
    return Annotated[bool, typer.Option(name, help=field.help(runtime.help_lang()))]


def rows_command(
    command: str,
    *,
    spec: CommandSpec | None,
    company: str | None = None,
    help: str | None = None,
) -> Callable[..., int]:
    """A typer command function for a row command.

    `spec` gives the field flags and the command's own options (None: no
    flags, e.g. the company is not yet known). `company` fixes the company of
    a company's own command (`--company` may still name it). The command runs
    `bizops.core.command.execute`: a core command is answered by the
    company's hook, its own by the spec's `run`, with the options typed in
    `context.options`.
    """
    fields = spec.inputs if spec else ()
    own = spec.options if spec else ()
    params = [
        inspect.Parameter("input", _KW, default=None, annotation=InputArg),
        inspect.Parameter("input_format", _KW, default=None, annotation=InputFormatOpt),
        inspect.Parameter("encoding", _KW, default=None, annotation=EncodingOpt),
        inspect.Parameter("header_row", _KW, default=None, annotation=HeaderRowOpt),
        inspect.Parameter("sheet", _KW, default=None, annotation=SheetOpt),
        inspect.Parameter("jobs", _KW, default=None, annotation=JobsOpt),
        inspect.Parameter("now", _KW, default=None, annotation=NowOpt),
        inspect.Parameter("record", _KW, default=False, annotation=RecordOpt),
        inspect.Parameter("amend", _KW, default=False, annotation=AmendOpt),
    ]
    params += [
        inspect.Parameter(
            _OPTION_PREFIX + o.name, _KW, default=False if o.kind == "bool" else None, annotation=_option(o)
        )
        for o in own
    ]
    params += [inspect.Parameter(_FIELD_PREFIX + f.name, _KW, default=None, annotation=_flag(f)) for f in fields]

    def run_command(options: Options, **values: Any) -> int:
        flags = {
            name[len(_FIELD_PREFIX) :]: v
            for name, v in values.items()
            if name.startswith(_FIELD_PREFIX) and v is not None
        }
        extra = {name[len(_OPTION_PREFIX) :]: v for name, v in values.items() if name.startswith(_OPTION_PREFIX)}
        if company and not options.company:
            options = options._replace(company=company)
        from bizops.core.command import RowsRequest, execute  # the run's machinery: not to build --help

        request = RowsRequest(
            command=command,
            input=values["input"],
            flags=flags,
            input_format=values["input_format"],
            encoding=values["encoding"],
            jobs=values["jobs"],
            now=values["now"],
            record=values["record"],
            options=extra,
            header_row=values["header_row"],
            sheet=values["sheet"],
            amend=values["amend"],
        )
        return runtime.guarded(options, lambda session: execute(session, request))

    run_command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("options", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + params
    )
    run_command.__name__ = command.replace(" ", "_").replace("-", "_")
    run_command.__doc__ = help or (spec.help if spec else None)
    return common_options(run_command)
