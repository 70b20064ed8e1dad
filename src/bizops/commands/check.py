"""`bizops check CASES_FILE…`: run a company's rule cases and say which hold.

Each case runs as its command would (see `bizops.core.cases`): a core command,
or one of the company's own as its declaration says, through `execute`, with
the case's policy and no ledger history.
One output row per case: `ok`, or `fail` with each mismatch and the rule trace.
Exit 0 when every case holds, 1 when one does not (or the code of a failure
the case did not expect, 70 when the plugin crashed), 65 for a malformed cases
file, 78 for a case's policy the company refuses.
"""

from __future__ import annotations

import functools
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from bizops.commands import runtime
from bizops.commands.groups import add, examples, new_app
from bizops.commands.options import common_options
from bizops.commands.texts import say
from bizops.core import cases
from bizops.core.command import emit
from bizops.core.errors import Exit, UsageError
from bizops.core.i18n import Text, msg, render
from bizops.core.policy import ConfigFile, build_policy
from bizops.core.schema import Column

COLUMNS = (
    Column("company", "text", zh="公司", en="company"),
    Column("case", "text", zh="用例", en="case"),
    Column("command", "text", zh="命令", en="command"),
    Column("status", "enum", zh="结果", en="status"),
    Column("mismatches", "texts", zh="不符之处", en="mismatches"),
    Column("trace", "texts", zh="依据", en="rule trace"),
)
LABELS = {"ok": ("通过", "ok"), "fail": ("不通过", "FAIL")}

FilesArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="CASES_FILE...",
        help=say(
            "Cases files: TOML ([[case]] tables) or JSON Lines (one case a line).",
            "案例文件：TOML（[[case]] 表）或 JSON Lines（每行一个案例）。",
        ),
        show_default=False,
    ),
]
CaseOpt = Annotated[
    str | None,
    typer.Option(
        "--case",
        "-k",
        help=say("Only the cases whose name contains this text.", "只运行名称含此文字的案例。"),
        show_default=False,
    ),
]
DefaultsOpt = Annotated[
    bool,
    typer.Option(
        "--defaults",
        help=say(
            "Ignore the config file: each case runs on the plugin's defaults and its own policy.",
            "忽略配置文件：每个案例按插件默认值和案例自己的政策运行。",
        ),
    ),
]


def check(options, files: FilesArg, case: CaseOpt = None, defaults: DefaultsOpt = False) -> int:
    """Run rule cases (input → expected output) against a company's plugin; report each mismatch."""

    def body(session) -> int:
        planned = plan(session, options, files, case, defaults)
        rows, code = [], Exit.OK
        with tempfile.TemporaryDirectory(prefix="bizops-check-") as tmp:
            for number, (company, item, runner) in enumerate(planned, 1):
                workdir = Path(tmp) / str(number)
                workdir.mkdir()
                outcome, problems = run_case(item, functools.partial(_run_in, runner, workdir))
                failed = bool(problems)
                if failed:
                    code = max(code, Exit.REFUSED)
                    if outcome.failure is not None:
                        code = max(code, outcome.failure.exit_code)
                rows.append(
                    {
                        "company": company,
                        "case": item.name,
                        "command": item.command,
                        "status": "fail" if failed else "ok",
                        "mismatches": problems,
                        "trace": cases.trace_of(outcome) if failed or session.explain else [],
                    }
                )
        emit(session, COLUMNS, rows, LABELS)
        bad = sum(row["status"] == "fail" for row in rows)
        summary = msg(
            "{n} case{s}: {ok} ok, {bad} failed",
            "{n} 个用例：{ok} 个通过，{bad} 个不通过",
            n=len(rows),
            s="" if len(rows) == 1 else "s",
            ok=len(rows) - bad,
            bad=bad,
        )
        sys.stderr.write(f"check: {render(summary, session.lang)}\n")
        return code

    return runtime.guarded(options, body)


def _run_in(runner: Callable[[str, Path], cases.Outcome], workdir: Path, lang: str) -> cases.Outcome:
    """A case's run in `lang`, in its own working directory."""
    return runner(lang, workdir)


def run_case(item: cases.Case, run: Callable[[str], cases.Outcome]) -> tuple[cases.Outcome, list[Text]]:
    """Run a case and judge it; an expected error may be written in English or Chinese."""
    outcome = run("en")
    problems = cases.judge(item, outcome)
    if problems and item.expect_error and not any(item.expect_error in e for e in outcome.errors):
        other = run("zh")
        if any(item.expect_error in e for e in other.errors):
            outcome, problems = other, cases.judge(item, other)
    return outcome, problems


def plan(session, options, files: list[Path], pattern: str | None, defaults: bool) -> list[tuple]:
    """Every selected case with its company and how it runs; all checked before any runs."""
    planned = []
    for path in files:
        loaded = cases.load(path)
        if options.company and loaded.company not in (None, options.company):
            raise UsageError(
                msg(
                    "{f} holds cases of {c}, not of --company {o}",
                    "{f} 是 {c} 的用例，不是 --company {o} 的",
                    f=loaded.path,
                    c=loaded.company,
                    o=options.company,
                )
            )
        company = session.host.company(loaded.company or session.company_name)
        base = ConfigFile(None, {}) if defaults else session.config
        build_policy(company, base)  # the config file's own errors name the config file
        for item in loaded.cases:
            if pattern is not None and pattern not in item.name:
                continue
            cases.check_inputs(loaded, item, company)
            config = cases.case_config(base, company.name, item, f"{loaded.path}: {item.where} ({item.name!r}) policy")
            policy = cases.case_policy(company, config)
            planned.append((company.name, item, runner_for(session, loaded, item, company, config, policy)))
    if pattern is not None and not planned:
        raise UsageError(msg("no case name contains {p!r}", "没有名称包含 {p!r} 的用例", p=pattern))
    return planned


def runner_for(session, loaded: cases.CasesFile, item: cases.Case, company, config, policy):
    """`run(lang, workdir) -> Outcome` for the case's command, its options checked now.

    The command is looked up in the company's declarations (a core command, or
    one of its own with its options and switches), never in the CLI.
    """
    spec = company.commands[item.command]  # `check_inputs` made sure it is declared
    command = item.command
    for flag, other in spec.switch.items():
        if item.options.get(flag):
            command = other
            if item.inputs is not None:
                raise loaded.problem(
                    item, msg("{m} with {o} reads no input", "{m} 加 {o} 时不读取输入", m=item.command, o=flag)
                )
            break
    known = [option.name for option in spec.options]
    unknown = [name for name in item.options if name not in known]
    if unknown:
        raise loaded.problem(
            item,
            msg(
                "{m} has no option {o!r}; its options: {a}",
                "{m} 没有选项 {o!r}；可用选项：{a}",
                m=item.command,
                o=unknown[0],
                a=", ".join(known) or "-",
            ),
        )

    def run_rows(lang: str, workdir: Path) -> cases.Outcome:
        case_session = cases.CaseSession(session, company.name, config, policy, lang)
        return cases.run_rows(case_session, item, None, None, {}, workdir, command)

    return run_rows


EXAMPLES = (
    (
        "bizops check src/bizops/plugins/cable/cases.toml --format table",
        "the cable maker's rule cases: which hold",
        "电缆厂的规则案例：哪些通过",
    ),
    (
        "bizops check src/bizops/plugins/pv/cases.toml -k claim --lang zh",
        "only the cases whose name has 'claim', in Chinese",
        "只运行名称含 claim 的案例，中文显示",
    ),
)


def app(name: str = "check", early_options=None) -> typer.Typer:
    typer_app = new_app()
    add(
        typer_app,
        "check",
        common_options(check),
        help=say(check.__doc__ or "", "用规则案例（输入 → 预期结果）检查公司插件；报告每处不符。"),
        epilog=examples(EXAMPLES),
    )
    return typer_app
