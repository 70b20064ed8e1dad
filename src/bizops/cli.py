"""The `bizops` command: assembles the command groups, nothing else.

Commands are built lazily: `bizops quote …` imports and builds only the quote
command and the selected company's plugin. The companies' own commands
(`bizops pile plan`) are built from their declarations (`bizops.commands.own`)
only when the name is not a core command, or when the help lists every command.
"""

import importlib
import os
import sys
from typing import Annotated, Any

import typer

from bizops import __version__
from bizops.commands import runtime
from bizops.commands.groups import Group, examples
from bizops.commands.options import (
    BomOpt,
    ColumnsOpt,
    CompanyOpt,
    ConfigOpt,
    DbOpt,
    DebugOpt,
    ExplainOpt,
    FormatOpt,
    LangOpt,
    Options,
    OutputOpt,
)
from bizops.commands.texts import COMMAND_HELP, say, usage_error
from bizops.core.session import PluginSelection

#: Core commands: name -> (module, builder). `builder(name, early_options)` returns a typer.Typer.
COMMAND_GROUPS = {
    "companies": ("bizops.commands.companies", "app"),
    "policy": ("bizops.commands.policy", "app"),
    "quote": ("bizops.commands.decide", "single"),
    "approve-order": ("bizops.commands.decide", "single"),
    "expense": ("bizops.commands.decide", "expense"),
    "score": ("bizops.commands.decide", "single"),
    "receivables": ("bizops.commands.decide", "single"),
    "commission": ("bizops.commands.decide", "single"),
    "ledger": ("bizops.commands.ledger", "app"),
    "check": ("bizops.commands.check", "app"),
    "completion": ("bizops.commands.completion", "app"),
}

ROOT_HELP = say(
    "Sales-department regulations as decisions: quotes, order approval, travel expenses, scorecards, receivables.",
    "把销售部门的规章制度变成决定：报价、订单审批、差旅费用、考核、应收账款。",
)
ROOT_EXAMPLES = (
    ("bizops companies", "the companies installed", "已安装的公司"),
    (
        "bizops --company cable quote examples/cable/quotes.csv --format table",
        "quote an order book as a table",
        "把一本订单报价成表格",
    ),
    ("bizops --company cable quote --help", "the cable maker's fields, as flags", "电缆厂的字段（参数形式）"),
)

_early = Options()


class BizopsGroup(Group):
    """Builds a command only when it is asked for; the help lists them without building."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMAND_GROUPS) + sorted(n for n in _own_groups() if n not in COMMAND_GROUPS)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name in COMMAND_GROUPS:
            module_name, builder = COMMAND_GROUPS[name][:2]
            build = getattr(importlib.import_module(module_name), builder)
            command = typer.main.get_command(build(name, _early))
            command.name = name
            return command
        from bizops.commands import own

        commands = own.declared(name, first=(_early.company,))
        return own.build(name, commands) if commands else None

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        self.epilog = examples(ROOT_EXAMPLES)  # in the help's language, known only once bizops runs
        super().format_epilog(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        own = _own_groups()
        rows = [(name, COMMAND_HELP.get(name) or own.get(name, "")) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


_own_cache: dict[str, str] | None = None


def _own_groups() -> dict[str, str]:
    """The companies' own command groups with their help line (loads every plugin: for the help only)."""
    global _own_cache
    if _own_cache is None:
        from bizops.commands import own

        _own_cache = own.groups()
    return _own_cache


app = typer.Typer(
    cls=BizopsGroup,
    name="bizops",
    help=ROOT_HELP,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)


def _version(value: bool) -> None:
    if value:
        print(f"bizops {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    company: CompanyOpt = None,
    config: ConfigOpt = None,
    format: FormatOpt = None,
    lang: LangOpt = None,
    db: DbOpt = None,
    explain: ExplainOpt = None,
    debug: DebugOpt = None,
    output: OutputOpt = None,
    columns: ColumnsOpt = None,
    bom: BomOpt = None,
    plugin: Annotated[
        list[str] | None,
        typer.Option(
            "--plugin",
            help=say(
                "Also load this plugin (a .py file, package dir or module), for plugin development.",
                "另外加载此插件（.py 文件、包目录或模块名），用于开发插件。",
            ),
        ),
    ] = None,
    no_plugins: Annotated[
        bool,
        typer.Option(
            "--no-plugins",
            help=say(
                "Load no installed plugins (built-in companies still work).", "不加载已安装的插件（内置公司照常可用）。"
            ),
        ),
    ] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help=say("Show the version.", "显示版本。")),
    ] = None,
) -> None:
    """Sales-department regulations as decisions: quotes, order approval, travel expenses, scorecards."""
    ctx.obj = Options(
        company=company,
        config=config,
        format=format,
        lang=lang,
        db=db,
        explain=explain,
        debug=debug,
        output=output,
        columns=columns,
        bom=bom,
    )


def scan(argv: list[str]) -> tuple[Options, PluginSelection]:
    """Read the options needed before parsing: which plugins load, which company's flags to build."""
    values: dict[str, Any] = {}
    plugins: list[str] = []
    no_plugins = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if name in ("--company", "--config", "--lang", "--plugin", "--db", "--format"):
            if not eq:
                value = argv[i + 1] if i + 1 < len(argv) else ""
                i += 1
            if name == "--plugin":
                plugins.append(value)
            else:
                values[name[2:]] = value
        elif arg == "--no-plugins":
            no_plugins = True
        elif arg == "--debug":
            values["debug"] = True
        i += 1
    return Options(**values), PluginSelection(tuple(plugins), no_plugins)


#: The environment variable a shell's completion script sets to ask for completions (typer's name for it).
COMPLETE_VAR = "_BIZOPS_COMPLETE"


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `bizops` script: parse, run, exit with the contract's code."""
    global _early, _own_cache
    argv = sys.argv[1:] if argv is None else list(argv)
    if os.environ.get(COMPLETE_VAR):
        from bizops.commands.completion import words_typed

        _early, selection = scan(words_typed())  # `--company cable` typed so far: complete cable's fields
    else:
        _early, selection = scan(argv)
    closed = runtime.check_std_streams(_early.lang)
    if closed is not None:
        sys.exit(closed)
    _own_cache = None
    runtime.start(selection, _early.lang)
    from bizops.core.signals import stop_on_signals

    stop_on_signals()
    try:
        command = typer.main.get_group(app)
        code = command.main(args=argv, prog_name="bizops", standalone_mode=False)
    except BrokenPipeError:  # `bizops --help | head -1`: the reader has what it wanted
        runtime.silence(sys.stdout)
        code = 0
    except SystemExit:
        if type(sys.stdout).__name__ != "PacifyFlushWrapper":
            raise
        code = 0  # typer's own answer to a broken pipe is exit 1; the contract's is 0
    except Exception as exc:
        code = _usage_error(exc)
    except KeyboardInterrupt as exc:  # while the command is being built: no traceback either
        code = runtime.report(exc, _early.lang or "en", bool(_early.debug))
    runtime.flush_quietly()
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error(exc: Exception) -> int:
    """Parsing errors from typer: its message and exit 2 (in Chinese under --lang zh); anything else
    is a bizops failure."""
    show = getattr(exc, "show", None)
    if callable(show) and type(exc).__module__.startswith("typer"):
        try:
            if runtime.help_lang() == "zh" and getattr(exc, "message", None) is not None:
                _show_in_chinese(exc)
            else:
                show()
        except BrokenPipeError:  # `bizops … 2>&1 | head -1` left before the whole message
            runtime.silence(sys.stderr)
        return getattr(exc, "exit_code", 2)
    return runtime.report(exc, _early.lang or "en", bool(_early.debug))


def _show_in_chinese(exc: Any) -> None:
    """typer's usage error as `show()` writes it, in Chinese: the usage, where to find help, the error."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        lines.append(f"试试 '{ctx.command_path} --help' 查看帮助。")
        lines.append("")
    lines.append(f"错误：{usage_error(exc.format_message())}")  # with click's close matches of an option
    sys.stderr.write("\n".join(lines) + "\n")
