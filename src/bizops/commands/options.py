"""Options shared by every command, as `Annotated` aliases, and the decorator that adds them.

`--company`, `--config`, `--format`, `--lang`, `--db`, `--explain`, `--debug`,
`-o`, `--columns` and `--bom` may stand before the command or after it; the
value after it wins. The top-level callback keeps the ones before it in
`ctx.obj`; `common_options` adds the same options to a command and merges
both into one `Options`. Help texts are said in both languages (`texts.say`).
"""

from __future__ import annotations

import functools
import inspect
from typing import Annotated, Any, NamedTuple

import typer

from bizops.commands.texts import say
from bizops.core.formats import INPUT_FORMATS, OUTPUT_FORMATS

_GLOBAL = "Global options"

CompanyOpt = Annotated[
    str | None,
    typer.Option(
        "--company",
        metavar="NAME",
        help=say(
            "Company plugin to use (else BIZOPS_COMPANY, else the config); `bizops companies` lists them.",
            "使用的公司插件（否则取 BIZOPS_COMPANY，再否则取配置文件）；`bizops companies` 列出全部。",
        ),
        autocompletion=lambda incomplete: _complete_companies(incomplete),
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="PATH",
        help=say(
            "Policy file (else BIZOPS_CONFIG, ./bizops.toml, the user config).",
            "政策配置文件（否则取 BIZOPS_CONFIG、./bizops.toml、用户配置）。",
        ),
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help=say(
            f"Output: {'|'.join(OUTPUT_FORMATS)} (default: from -o FILE's extension, else table on a terminal, "
            "else jsonl).",
            f"输出格式：{'|'.join(OUTPUT_FORMATS)}（默认：按 -o 文件的扩展名，否则终端上为 table，其他为 jsonl）。",
        ),
        autocompletion=lambda incomplete: [f for f in OUTPUT_FORMATS if f.startswith(incomplete)],
        show_default=False,
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="zh|en",
        help=say(
            "zh|en for tables, messages and help (default from LANG).",
            "zh|en：表格、提示和帮助的语言（默认按 LANG）。",
        ),
        show_default=False,
        autocompletion=lambda incomplete: [c for c in ("zh", "en") if c.startswith(incomplete)],
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help=say(
            "Ledger: a SQLite path or postgresql://… (else BIZOPS_DB, else the user data dir).",
            "台账：SQLite 文件路径或 postgresql://…（否则取 BIZOPS_DB，再否则为用户数据目录）。",
        ),
        show_default=False,
    ),
]
ExplainOpt = Annotated[
    bool | None,
    typer.Option(
        "--explain",
        help=say("Add the trace of rules that decided each result.", "附上决定每条结果的规则。"),
        show_default=False,
    ),
]
DebugOpt = Annotated[
    bool | None,
    typer.Option(
        "--debug", help=say("Show a traceback when something fails.", "出错时显示调用栈。"), show_default=False
    ),
]

InputArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[INPUT]",
        help=say(
            "Requests file (CSV, an Excel/WPS workbook, JSON Lines or a JSON array), or - for stdin. "
            "Without it: one request from flags.",
            "请求文件（CSV、Excel/WPS 工作簿、JSON Lines 或 JSON 数组），- 表示标准输入。不给则从参数读一条请求。",
        ),
        show_default=False,
    ),
]
InputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        metavar="FORMAT",
        help=say(
            f"{'|'.join(INPUT_FORMATS)} (default: by extension, else sniffed).",
            f"{'|'.join(INPUT_FORMATS)}（默认按扩展名，否则自动识别）。",
        ),
        autocompletion=lambda incomplete: [f for f in INPUT_FORMATS if f.startswith(incomplete)],
        show_default=False,
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="ENCODING",
        help=say(
            "Input encoding (default: a BOM decides, else UTF-8, else GB18030 as Chinese Excel/WPS save a CSV).",
            "输入编码（默认：有 BOM 按 BOM，否则 UTF-8，再否则按中文 Excel/WPS 的 GB18030）。",
        ),
        show_default=False,
    ),
]
JobsOpt = Annotated[
    str | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N|auto",
        help=say(
            "Processes for a large input: a number, or auto (all cores once the input "
            "outgrows one chunk). Output order is kept.",
            "大输入用的进程数：数字，或 auto（输入超过一块时用全部核心）。输出顺序不变。",
        ),
        show_default=False,
    ),
]
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now",
        metavar="TIME",
        help=say(
            "The time to decide as of (YYYY-MM-DDTHH:MM), for defaults such as requested_at.",
            "按此时刻决定（YYYY-MM-DDTHH:MM），用于 requested_at 等默认值。",
        ),
        show_default=False,
    ),
]
HeaderRowOpt = Annotated[
    int | None,
    typer.Option(
        "--header-row",
        metavar="N",
        help=say(
            "The spreadsheet row of a table's header (default: the first row that is not a title above it).",
            "表头所在的行号（默认：表头上方标题行之后的第一行）。",
        ),
        show_default=False,
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="NAME|N",
        help=say(
            "A workbook's sheet, by name or number (default: the first).",
            "工作簿中的工作表，名称或序号（默认第一个）。",
        ),
        show_default=False,
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=say(
            "Write to FILE, in the format its extension names (.xlsx .csv .tsv .json .jsonl .md .txt) unless "
            "--format says; written whole or not at all.",
            "写入 FILE，格式按扩展名（.xlsx .csv .tsv .json .jsonl .md .txt），--format 优先；要么完整写出，要么不写。",
        ),
        show_default=False,
    ),
]
ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="A,B,…|all",
        help=say(
            "Columns to write, by name or label, or all (default: a table's essential columns; every "
            "column in other formats).",
            "输出哪些列，按列名或标签，或 all（默认：表格为主要列；其他格式为全部列）。",
        ),
        show_default=False,
    ),
]
BomOpt = Annotated[
    bool | None,
    typer.Option(
        "--bom",
        help=say(
            "Start CSV/TSV with a UTF-8 BOM, so Excel on a Chinese Windows reads it as UTF-8.",
            "CSV/TSV 以 UTF-8 BOM 开头，中文 Windows 上的 Excel 才能按 UTF-8 打开。",
        ),
        show_default=False,
    ),
]
RecordOpt = Annotated[
    bool,
    typer.Option(
        "--record",
        help=say(
            "Write the decisions to the ledger (by default it is only read).", "把决定写入台账（默认只读取台账）。"
        ),
    ),
]


def _complete_companies(incomplete: str = "") -> list[str]:
    """The installed companies' names, for shell completion after `--company`."""
    from bizops.commands import runtime

    return sorted(n for n in runtime.host().known_companies() if n.startswith(incomplete))


class Options(NamedTuple):
    """The common options, merged from before and after the command."""

    company: str | None = None
    config: str | None = None
    format: str | None = None
    lang: str | None = None
    db: str | None = None
    explain: bool | None = None
    debug: bool | None = None
    output: str | None = None
    columns: str | None = None
    bom: bool | None = None

    def over(self, base: Options | None) -> Options:
        """These options, falling back to `base` where they are not given."""
        if base is None:
            return self
        given: dict[str, Any] = {name: value for name, value in zip(self._fields, self) if value is not None}
        return base._replace(**given)


_COMMON = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
    for name, annotation in (
        ("company", CompanyOpt),
        ("config", ConfigOpt),
        ("format", FormatOpt),
        ("lang", LangOpt),
        ("db", DbOpt),
        ("explain", ExplainOpt),
        ("debug", DebugOpt),
        ("output", OutputOpt),
        ("columns", ColumnsOpt),
        ("bom", BomOpt),
    )
]
_CONTEXT = inspect.Parameter("bizops_typer_ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)


def common_options(func):
    """Give a command the common options; it receives them as `options: Options`.

    The command's own parameters stay as they are; its return value (an exit
    code) is what the command exits with.
    """
    # eval_str: a module with `from __future__ import annotations` has its option
    # annotations as text, which typer would not resolve here (help and short flags lost).
    signature = inspect.signature(func, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "options"]
    # A command's own option of a common name (`policy init -o`, which writes a config) is its own.
    common = [p for p in _COMMON if p.name not in {q.name for q in own}]
    params = own + common + [_CONTEXT]

    @functools.wraps(func)
    def command(**kwargs):
        ctx = kwargs.pop(_CONTEXT.name)
        given = Options(**{p.name: kwargs.pop(p.name) for p in common})
        root = ctx.find_root().obj
        return func(options=given.over(root if isinstance(root, Options) else None), **kwargs)

    command.__signature__ = signature.replace(parameters=params)
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command
