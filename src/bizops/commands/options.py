"""Options shared by every command, as `Annotated` aliases, and the decorator that adds them.

`--company`, `--config`, `--format`, `--lang`, `--db`, `--explain` and `--debug`
may stand before the command or after it; the value after it wins. The
top-level callback keeps the ones before it in `ctx.obj`; `common_options`
adds the same options to a command and merges both into one `Options`.
"""

from __future__ import annotations

import functools
import inspect
from typing import Annotated, Any, NamedTuple

import typer

from bizops.core.formats import INPUT_FORMATS, OUTPUT_FORMATS

_GLOBAL = "Global options"

CompanyOpt = Annotated[
    str | None,
    typer.Option(
        "--company",
        metavar="NAME",
        help="Company plugin to use (else BIZOPS_COMPANY, else the config).",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="PATH",
        help="Policy file (else BIZOPS_CONFIG, ./bizops.toml, the user config).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help=f"Output: {'|'.join(OUTPUT_FORMATS)} (default: table on a terminal, else jsonl).",
        show_default=False,
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang", metavar="zh|en", help="zh|en for table labels and messages (default from LANG).", show_default=False
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="Ledger: a SQLite path or postgresql://… (else BIZOPS_DB, else the user data dir).",
        show_default=False,
    ),
]
ExplainOpt = Annotated[
    bool | None,
    typer.Option("--explain", help="Add the trace of rules that decided each result.", show_default=False),
]
DebugOpt = Annotated[
    bool | None,
    typer.Option("--debug", help="Show a traceback when something fails.", show_default=False),
]

InputArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[INPUT]",
        help="Requests file (JSON Lines, JSON array or CSV), or - for stdin. Without it: one request from flags.",
        show_default=False,
    ),
]
InputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        metavar="FORMAT",
        help=f"{'|'.join(INPUT_FORMATS)} (default: by extension, else sniffed).",
        show_default=False,
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="ENCODING",
        help="Input encoding, e.g. gb18030 for a CSV from Chinese Excel/WPS (default utf-8).",
        show_default=False,
    ),
]
JobsOpt = Annotated[
    str | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N|auto",
        help="Processes for a large input: a number, or auto (all cores once the input "
        "outgrows one chunk). Output order is kept.",
        show_default=False,
    ),
]
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now",
        metavar="TIME",
        help="The time to decide as of (YYYY-MM-DDTHH:MM), for defaults such as requested_at.",
        show_default=False,
    ),
]
RecordOpt = Annotated[
    bool,
    typer.Option("--record", help="Write the decisions to the ledger (by default it is only read)."),
]


class Options(NamedTuple):
    """The common options, merged from before and after the command."""

    company: str | None = None
    config: str | None = None
    format: str | None = None
    lang: str | None = None
    db: str | None = None
    explain: bool | None = None
    debug: bool | None = None

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
    params = own + _COMMON + [_CONTEXT]

    @functools.wraps(func)
    def command(**kwargs):
        ctx = kwargs.pop(_CONTEXT.name)
        given = Options(**{p.name: kwargs.pop(p.name) for p in _COMMON})
        root = ctx.find_root().obj
        return func(options=given.over(root if isinstance(root, Options) else None), **kwargs)

    command.__signature__ = signature.replace(parameters=params)
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command
