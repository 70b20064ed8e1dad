"""Typer commands that read request rows: the core decision commands and plugin commands.

`rows_command` builds the command function: an optional INPUT, the input and
output options, one flag per input field of the company's spec
(`--guide-price 100`, `--custom/--no-custom`), the plugin's own options, and
the common options. It runs `bizops.core.command.execute` inside the guard.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

import typer

from bizops.commands import runtime
from bizops.commands.options import (
    EncodingOpt,
    InputArg,
    InputFormatOpt,
    JobsOpt,
    NowOpt,
    RecordOpt,
    common_options,
)
from bizops.core.schema import CommandSpec, Field

_KW = inspect.Parameter.KEYWORD_ONLY
AmendOpt = Annotated[
    bool,
    typer.Option(
        "--amend",
        help="With --record: a request whose id is recorded with other inputs replaces that decision "
        "(reversed and recorded again in one transaction).",
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
    name = "--" + field.name.replace("_", "-")
    help_text = (field.help_zh if runtime.help_lang() == "zh" and field.help_zh else field.help) or field.name
    if field.choices:
        help_text += f" [{'|'.join(field.choices)}]"
    if field.kind == "bool":
        return Annotated[bool | None, typer.Option(f"{name}/--no-{name[2:]}", help=help_text, show_default=False)]
    if field.kind == "records":
        help_text += " (a JSON list of objects)"
    return Annotated[
        str | None, typer.Option(name, metavar=_METAVARS.get(field.kind, "TEXT"), help=help_text, show_default=False)
    ]


class RowsCommand(NamedTuple):
    """What a command built by `rows_command` runs, kept on the command function as `bizops_rows`.

    `bizops check` reads it to run a rule case through `execute` as the command would.
    """

    command: str
    spec: CommandSpec | None
    process: Callable | None
    plugin: str | None
    company: str | None
    options: dict[str, Any]  # the command's own options and their defaults
    switch: dict[str, tuple[str, Callable]]  # option -> (the command it turns this into, its process)


def rows_command(
    command: str,
    *,
    spec: CommandSpec | None,
    process: Callable | None = None,
    plugin: str | None = None,
    company: str | None = None,
    options: dict[str, Any] | None = None,
    help: str | None = None,
    switch: dict[str, tuple[str, Callable]] | None = None,
) -> Callable[..., int]:
    """A typer command function for a row command.

    `spec` gives the field flags (None: no flags, e.g. the company is not yet
    known). `process(requests, policy, context)` answers for a plugin command;
    for a core command it is None and the company's hook answers. `company`
    fixes the company of a plugin command (`--company` may still name it).
    `options` are the command's own typer options, `{name: Annotated[...]}`;
    their values reach the plugin as `context.options[name]`. `switch` maps an
    own flag to another command it turns this one into, `(command, process)`,
    which reads no input (`flights triage --checklist` is `flights checklist`).
    """
    fields = spec.inputs if spec else ()
    own = dict(options or {})
    params = [
        inspect.Parameter("input", _KW, default=None, annotation=InputArg),
        inspect.Parameter("input_format", _KW, default=None, annotation=InputFormatOpt),
        inspect.Parameter("encoding", _KW, default=None, annotation=EncodingOpt),
        inspect.Parameter("jobs", _KW, default=None, annotation=JobsOpt),
        inspect.Parameter("now", _KW, default=None, annotation=NowOpt),
        inspect.Parameter("record", _KW, default=False, annotation=RecordOpt),
        inspect.Parameter("amend", _KW, default=False, annotation=AmendOpt),
    ]
    params += [inspect.Parameter(_OPTION_PREFIX + n, _KW, default=_default_of(a), annotation=a) for n, a in own.items()]
    params += [inspect.Parameter(_FIELD_PREFIX + f.name, _KW, default=None, annotation=_flag(f)) for f in fields]

    def run_command(options, **values):
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
            amend=values["amend"],
        )
        answer = process
        for name, (other, other_process) in (switch or {}).items():
            if extra.get(name):
                request = request._replace(command=other, input=None, flags={}, switched_from=(name, request.input))
                answer = other_process
                break
        return runtime.guarded(options, lambda session: execute(session, request, answer, plugin))

    run_command.__signature__ = inspect.Signature(
        [inspect.Parameter("options", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + params
    )
    run_command.__name__ = command.replace(" ", "_").replace("-", "_")
    run_command.__doc__ = help or (spec.help if spec else None)
    run_command.bizops_rows = RowsCommand(
        command, spec, process, plugin, company, {n: _default_of(a) for n, a in own.items()}, dict(switch or {})
    )
    return common_options(run_command)


def _default_of(annotation) -> Any:
    """Plugin options default to None, or False for a bool flag."""
    base = getattr(annotation, "__origin__", annotation)
    return False if base is bool else None
