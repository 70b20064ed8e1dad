"""The core row commands: quote, approve-order, expense request/claim, score, receivables, commission.

Each is a `rows_command` answered by the selected company's hook. The field
flags come from that company's spec, so `bizops --company cable quote --help`
lists the cable maker's fields; the company is read from argv, the environment
or the config before the command is built (`early_spec`). The help ends with
the company's examples; without a company it says how to list them and shows
the fields of one that answers the command.
"""

from __future__ import annotations

import typer

from bizops.commands import runtime
from bizops.commands.groups import Group, add, examples, new_app
from bizops.commands.rows import rows_command
from bizops.commands.texts import COMMAND_HELP, say
from bizops.core.schema import CommandSpec

HELP = {
    **{command: COMMAND_HELP[command] for command in ("quote", "approve-order", "score", "receivables", "commission")},
    "expense request": say("Before a trip: approval chain and travel advance.", "出差前：审批流程和预支差旅费。"),
    "expense claim": say(
        "After a trip: what is paid, what is not and why, balance against the advance.",
        "出差后：报销多少、哪些不报及原因、与预支款的差额。",
    ),
}
EXPENSE = say("Travel expenses: request before, claim after.", "差旅费用：出差前申请，出差后报销。")


def early_spec(command: str, early_options) -> CommandSpec | None:
    """The spec of `command` for the company named before parsing, if one is named and has it."""
    try:
        return runtime.session(early_options).command_spec(command)
    except Exception:
        return None


def epilog(command: str, spec: CommandSpec | None, company: str | None = None) -> str:
    """What the help ends with: the company's examples (bizops' own when its plugin declares none);
    without a company, or one without this command, how to choose one, and one that has it."""
    zh = runtime.help_lang() == "zh"
    if spec is not None:
        return examples(spec.examples or generic_examples(company or "NAME", command))
    found = _some_company_with(command)
    if company:
        lines = [
            f"{company} 没有 {command} 的规则（`bizops companies` 列出各公司能回答什么）。"
            if zh
            else f"{company} has no rules for {command} (`bizops companies` lists what each company answers)."
        ]
    else:
        lines = [
            "未选择公司，故未列出各公司的字段。`bizops companies` 列出已安装的公司；用 --company NAME 选择。"
            if zh
            else "No company selected, so no company's fields are listed: `bizops companies` lists the installed "
            "ones; choose one with --company NAME."
        ]
    if found is not None:
        name, display, spec = found
        fields = ", ".join(f.name for f in spec.inputs)
        flags = f"bizops --company {name} {command} --help"
        lines.append(
            f"{display}（{name}）的字段：{fields}（{flags} 显示为参数）。"
            if zh
            else f"The fields of {display} ({name}): {fields} (`{flags}` shows them as flags)."
        )
        if spec.examples:
            lines += ["", examples(spec.examples)]
    return "\n".join(lines)


def generic_examples(company: str, command: str) -> tuple[tuple[str, str, str], ...]:
    """Examples for a plugin that declares none: the forms every row command takes."""
    return (
        (f"bizops --company {company} {command} --help", "its fields, as flags", "字段（参数形式）"),
        (f"bizops --company {company} {command} requests.csv --format table", "a file of requests", "一批请求"),
        (f"bizops --company {company} {command} requests.xlsx -o decided.xlsx", "workbook in and out", "读写工作簿"),
    )


def _some_company_with(command: str) -> tuple[str, str, CommandSpec] | None:
    """The first installed company (built-ins first) that answers `command`: its fields make the example."""
    host = runtime.host()
    for name in sorted(host.known_companies(), key=lambda n: (n not in ("cable", "pile", "pv", "airline"), n)):
        try:
            company = host.company(name)
        except Exception:
            continue
        spec = company.commands.get(command)
        if spec is not None:
            return name, company.display(runtime.help_lang()) or name, spec
    return None


#: Without a company the field flags are unknown: accept any, and let the run say
#: that no company is selected (exit 2) instead of "no such option".
_LENIENT = {"ignore_unknown_options": True, "allow_extra_args": True}


def _add(app: typer.Typer, name: str, command: str, early_options) -> None:
    spec = early_spec(command, early_options)
    help_text = spec.help_text(runtime.help_lang()) if spec is not None and spec.zh else HELP[command]
    add(
        app,
        name,
        rows_command(command, spec=spec, help=HELP[command]),
        help=help_text,
        context_settings=None if spec else _LENIENT,
        epilog=epilog(command, spec, getattr(early_options, "company", None)),
    )


def single(command: str, early_options) -> typer.Typer:
    app = new_app()
    _add(app, command, command, early_options)
    return app


EXPENSE_EXAMPLES = (
    (
        "bizops --company pv expense request --employee 张伟 --scope out_of_province --depart 2026-03-02 "
        "--return 2026-03-05 --customer 广州粤能电力 --advance 500",
        "before a trip: who approves, the advance",
        "出差前：谁审批、预支多少",
    ),
    (
        "bizops --company pv expense claim examples/pv/claims.csv --format table --lang zh",
        "after trips: a spreadsheet with one row per leg",
        "出差后：每段行程一行的表格",
    ),
)


def expense(name: str, early_options) -> typer.Typer:
    app = typer.Typer(
        cls=Group, add_completion=False, rich_markup_mode=None, help=EXPENSE, epilog=examples(EXPENSE_EXAMPLES)
    )
    for kind in ("request", "claim"):
        _add(app, kind, f"expense {kind}", early_options)
    return app
