"""Rule cases as data: input → expected output, run the way the CLI runs them (`bizops check`).

A cases file pins a company's rules down without Python. TOML:

    company = "cable"
    [[case]]
    name = "spec example: 6 % no-VAT, 2 % special, 5 % fee"
    command = "quote"
    input = { guide_price = "100.00", qty = 10, vat_invoice = false }
    expect = { unit_price = "96.84", status = "ok" }

or JSON Lines, one case object a line (a line may carry `company`). A case has
a `name`, a `command`, its input (`input`, one request, or `inputs`, a stream),
optionally `now`, `policy` (values over the effective policy) and `options`
(the command's own), and what it expects: `expect` (a subset of the one
result), `expect_rows` (subsets of every result, in order), `expect_error` (a
piece of the error message, English or Chinese) and/or `expect_rules` (rule ids
that must appear in the trace).

Each case is run by `bizops.core.command.execute`, the function behind every
row command, with the case's policy, clock and options, no ledger history, and
a JSON writer into a buffer; the JSON it writes is what is compared. A file
that is not a cases file is exit 65; a case's policy the company refuses, 78.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from bizops.core.errors import BizopsError, Exit, InputMissing, PluginFailure
from bizops.core.i18n import Text, msg
from bizops.core.policy import ConfigFile, Policy, build_policy
from bizops.core.schema import Company, Field
from bizops.core.session import Session
from bizops.core.values import BadValue, format_datetime, parse_datetime

CASE_KEYS = (
    "name",
    "command",
    "note",
    "now",
    "policy",
    "options",
    "input",
    "inputs",
    "expect",
    "expect_rows",
    "expect_error",
    "expect_rules",
)
EXPECTATIONS = ("expect", "expect_rows", "expect_error", "expect_rules")


class CasesError(BizopsError):
    """A file that is not a valid cases file (exit 65, like any invalid input)."""

    exit_code = Exit.DATA


class Case(NamedTuple):
    name: str
    command: str
    where: str  # `case 3` or `line 5`, for messages
    inputs: tuple[dict, ...] | None  # None: no input at all (a bare command)
    now: str | None = None
    policy: dict = {}  # noqa: RUF012 - read-only
    options: dict = {}  # noqa: RUF012 - read-only
    expect: tuple[dict, ...] | None = None
    one: bool = False  # `expect` (exactly one result) rather than `expect_rows`
    expect_error: str | None = None
    expect_rules: tuple[str, ...] = ()


class CasesFile(NamedTuple):
    path: str
    company: str | None
    cases: tuple[Case, ...]

    def problem(self, case: Case | None, text: Text) -> CasesError:
        where = f"{case.where} ({case.name!r})" if case else ""
        sep = ": " if where else ""
        return CasesError(Text(f"{self.path}: {where}{sep}{text}", f"{self.path}：{where}{sep}{text.zh}"))


# -- reading ---------------------------------------------------------------------------
def load(path: str | Path) -> CasesFile:
    """Read and shape-check a cases file (TOML, JSON Lines or a JSON array)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CasesError(msg("{f}: not UTF-8 text", "{f}：不是 UTF-8 文本", f=name)) from None
    except OSError as exc:
        raise InputMissing(
            msg("{f}: cannot read the cases file: {e}", "{f}：无法读取用例文件：{e}", f=name, e=exc.strerror or exc)
        ) from None
    return parse(text, name)


def parse(text: str, name: str) -> CasesFile:
    suffix = Path(name).suffix.lower()
    json_like = suffix in (".jsonl", ".ndjson", ".json") or (suffix != ".toml" and text.lstrip()[:1] in ("{", "["))
    raw, company = _json_cases(text, name) if json_like else _toml_cases(text, name)
    if not raw:
        raise CasesError(msg("{f}: no cases in the file", "{f}：文件中没有用例", f=name))
    cases, names = [], set()
    for where, item in raw:
        case = _case(item, where, name)
        if case.name in names:
            raise CasesError(
                msg(
                    "{f}: {w}: a second case named {n!r} (names must be unique)",
                    "{f}：{w}：用例名 {n!r} 重复（用例名须唯一）",
                    f=name,
                    w=where,
                    n=case.name,
                )
            )
        names.add(case.name)
        cases.append(case)
    return CasesFile(name, company, tuple(cases))


def _toml_cases(text: str, name: str) -> tuple[list, str | None]:
    import tomllib

    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise CasesError(msg("{f}: not valid TOML: {e}", "{f}：TOML 格式错误：{e}", f=name, e=exc)) from None
    unknown = [k for k in data if k not in ("company", "case")]
    if unknown:
        raise CasesError(
            msg(
                "{f}: unknown key {k!r}; a cases file has company and [[case]] tables",
                "{f}：未知键 {k!r}；用例文件只有 company 和 [[case]] 表",
                f=name,
                k=unknown[0],
            )
        )
    company = data.get("company")
    if company is not None and not (isinstance(company, str) and company):
        raise CasesError(msg("{f}: company must be a company name", "{f}：company 必须是公司名", f=name))
    cases = data.get("case", [])
    if not isinstance(cases, list):
        raise CasesError(msg("{f}: cases are [[case]] tables", "{f}：用例须写成 [[case]] 表", f=name))
    return [(f"case {i}", item) for i, item in enumerate(cases, 1)], company


def _json_cases(text: str, name: str) -> tuple[list, str | None]:
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text, parse_float=Decimal)
        except ValueError as exc:
            raise CasesError(msg("{f}: not valid JSON: {e}", "{f}：JSON 格式错误：{e}", f=name, e=exc)) from None
        raw = [(f"case {i}", item) for i, item in enumerate(items, 1)]
    else:
        raw = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw.append((f"line {number}", json.loads(line, parse_float=Decimal)))
            except ValueError as exc:
                raise CasesError(
                    msg(
                        "{f}: line {n}: not valid JSON: {e}",
                        "{f}：第 {n} 行：JSON 格式错误：{e}",
                        f=name,
                        n=number,
                        e=exc,
                    )
                ) from None
    companies = {item.pop("company") for _, item in raw if isinstance(item, dict) and "company" in item}
    if len(companies) > 1:
        raise CasesError(
            msg(
                "{f}: the cases name different companies: {c}",
                "{f}：用例属于不同的公司：{c}",
                f=name,
                c=", ".join(sorted(map(str, companies))),
            )
        )
    company = companies.pop() if companies else None
    if company is not None and not (isinstance(company, str) and company):
        raise CasesError(msg("{f}: company must be a company name", "{f}：company 必须是公司名", f=name))
    return raw, company


def _case(item: Any, where: str, path: str) -> Case:
    def bad(en: str, zh: str, **params) -> CasesError:
        return CasesError(msg(f"{{f}}: {{w}}: {en}", f"{{f}}：{{w}}：{zh}", f=path, w=where, **params))

    if not isinstance(item, dict):
        raise bad("a case is a table of keys", "用例须是键值表")
    name, command = item.get("name"), item.get("command")
    named = isinstance(name, str) and name.strip()
    label = where
    if named:
        where = f"{where} ({name!r})"
    unknown = [k for k in item if k not in CASE_KEYS]
    if unknown:
        raise bad(
            "unknown key {k!r}; a case has: {a}",
            "未知键 {k!r}；用例可用的键：{a}",
            k=unknown[0],
            a=", ".join(CASE_KEYS),
        )
    if not named:
        raise bad("a case needs a name", "用例须有 name")
    if not isinstance(command, str) or not command.strip():
        raise bad(
            "a case needs a command (quote, approve-order, pile plan…)", "用例须有 command（quote、approve-order…）"
        )
    for a, b in (("input", "inputs"), ("expect", "expect_rows")):
        if a in item and b in item:
            raise bad("give {a} or {b}, not both", "{a} 与 {b} 只能给一个", a=a, b=b)
    if not any(k in item for k in EXPECTATIONS):
        raise bad("a case needs something to expect: {e}", "用例须给出预期：{e}", e=", ".join(EXPECTATIONS))
    shapes = {
        "input": dict,
        "inputs": list,
        "policy": dict,
        "options": dict,
        "expect": dict,
        "expect_rows": list,
        "expect_error": str,
        "expect_rules": list,
        "note": str,
    }
    for key, kind in shapes.items():
        if key in item and not isinstance(item[key], kind):
            shape = {dict: "a table", list: "a list", str: "text"}[kind]
            raise bad(
                "{k} must be {s}", "{k} 须为{z}", k=key, s=shape, z={dict: "键值表", list: "列表", str: "文本"}[kind]
            )
    for key in ("inputs", "expect_rows"):
        if key in item and not all(isinstance(x, dict) for x in item[key]):
            raise bad("{k} must be a list of tables", "{k} 须为键值表的列表", k=key)
    if "expect_rules" in item and not all(isinstance(x, str) for x in item["expect_rules"]):
        raise bad("expect_rules must be a list of rule ids", "expect_rules 须为规则编号列表")
    if item.get("expect_error") == "":
        raise bad("expect_error must not be empty", "expect_error 不能为空")
    now = item.get("now")
    if now is not None:
        try:
            now = format_datetime(parse_datetime(now if isinstance(now, str | datetime) else str(now)))
        except BadValue as exc:
            raise bad(
                "now {r}, got {v!r}",
                "now {rz}，实际为 {v!r}",
                r=exc.reason,
                rz=getattr(exc.reason, "zh", exc.reason),
                v=str(now),
            ) from None
    if "input" in item:
        inputs = (item["input"],)
    elif "inputs" in item:
        inputs = tuple(item["inputs"])
    else:
        inputs = None
    expect = (item["expect"],) if "expect" in item else (tuple(item["expect_rows"]) if "expect_rows" in item else None)
    return Case(
        name=name,
        command=" ".join(command.split()),
        where=label,
        inputs=None if inputs is None else tuple(plain(i, exact=False) for i in inputs),
        now=now,
        policy=dict(item.get("policy", {})),
        options=plain(dict(item.get("options", {})), exact=False),
        expect=None if expect is None else tuple(plain(e) for e in expect),
        one="expect" in item,
        expect_error=item.get("expect_error"),
        expect_rules=tuple(item.get("expect_rules", ())),
    )


def plain(value: Any, exact: bool = True) -> Any:
    """A TOML/JSON value in the form the JSON output has: times as text.

    With `exact` numbers stay numbers (an expected `968.4` equals the output's
    "968.40"); without it (inputs) decimals become text, as a JSON row gives them.
    """
    if isinstance(value, dict):
        return {k: plain(v, exact) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v, exact) for v in value]
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, Decimal) and not exact:
        return str(value)
    return value


# -- checking a file against the company ---------------------------------------------
def check_inputs(cases: CasesFile, case: Case, company: Company) -> None:
    """The case's command exists for the company and its inputs name only fields it reads."""
    spec = company.commands.get(case.command)
    if spec is None:
        raise cases.problem(
            case,
            msg(
                "{c} has no command {m!r}; it has: {a}",
                "{c} 没有命令 {m!r}；它有：{a}",
                c=company.name,
                m=case.command,
                a=", ".join(company.commands) or "-",
            ),
        )
    fields = {f.name: f for f in spec.inputs}
    if spec.group_by:  # CSV-shaped rows: the grouped items' fields may stand at the top
        into = fields.get(spec.group_into)
        fields = {**fields, spec.group_by: Field(spec.group_by), **{f.name: f for f in (into.fields if into else ())}}
    for request in case.inputs or ():
        _known_keys(cases, case, request, fields, "")


def _known_keys(cases: CasesFile, case: Case, request: dict, fields: dict[str, Field], prefix: str) -> None:
    for key, value in request.items():
        field = fields.get(key)
        if field is None:
            raise cases.problem(
                case,
                msg(
                    "input {k!r} is not a field of {m}; its fields: {a}",
                    "输入 {k!r} 不是 {m} 的字段；字段有：{a}",
                    k=prefix + key,
                    m=case.command,
                    a=", ".join(fields) or "-",
                ),
            )
        if field.kind == "records" and isinstance(value, list):
            inner = {f.name: f for f in field.fields}
            for index, item in enumerate(value, 1):
                if isinstance(item, dict):
                    _known_keys(cases, case, item, inner, f"{prefix}{key}[{index}].")


def case_config(base: ConfigFile, company: str, case: Case, label: str) -> ConfigFile:
    """The config a case runs under: the effective one, with the case's `policy` over its company table."""
    return ConfigFile(label, {"company": {company: {**base.table(company), **case.policy}}})


def case_policy(company: Company, config: ConfigFile) -> Policy:
    """The case's policy; values the company refuses are a config error (exit 78) naming the case."""
    return build_policy(company, config)


# -- running -------------------------------------------------------------------------
class Outcome(NamedTuple):
    """What a case's command did."""

    rows: list  # the JSON it wrote, parsed
    results: list  # the result dicts as the plugin returned them (their Text keeps the Chinese)
    errors: list[str]  # row errors, or the command's own error, as written for a person
    code: int
    failure: BizopsError | None = None  # the error the command ended with, if any


class _Options(NamedTuple):
    company: str
    lang: str
    format: str = "json"
    explain: bool = True
    config: str | None = None
    db: str | None = None
    debug: bool = False


class CaseSession(Session):
    """A session for one case: its policy, JSON into a buffer, and no ledger (history reads as empty)."""

    def __init__(self, base: Session, company: str, config: ConfigFile, policy: Policy, lang: str):
        super().__init__(
            _Options(company, lang), base.selection, environ=base.environ, stdout=io.BytesIO(), host=base.host
        )
        self.config = config  # cached properties: set, not computed
        self.policy = policy

    @property
    def history_factory(self):
        return None


def run_rows(
    session: CaseSession,
    case: Case,
    process,
    plugin: str | None,
    options: dict,
    workdir: Path,
    command: str | None = None,
) -> Outcome:
    """Run the case as `execute` runs a row command: input from a JSON Lines file, JSON out.

    `command` is what the case's command turns into under one of its switches
    (`flights triage` with `checklist` set is `flights checklist`).
    """
    from bizops.core.command import RowsRequest, execute, hook_process

    path = None
    if case.inputs is not None:
        path = workdir / "case.jsonl"
        path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in case.inputs), encoding="utf-8")
    command = command or case.command
    request = RowsRequest(
        command=command,
        input=None if path is None else str(path),
        input_format=None if path is None else "jsonl",
        jobs="1",
        now=case.now,
        options={**options, **case.options},
    )
    kept: list[dict] = []
    if process is None:
        process = hook_process(session, command)
    failure, code = None, 0
    with contextlib.redirect_stderr(io.StringIO()) as err:
        try:
            code = execute(session, request, _keeping(process, kept), plugin)
        except BizopsError as exc:
            failure, code = exc, exc.exit_code
    return outcome_of(session.stdout.getvalue(), err.getvalue(), code, failure, kept, session.lang)


def outcome_of(stdout: bytes, stderr: str, code: int, failure: BizopsError | None, kept: list, lang: str) -> Outcome:
    """An `Outcome` from what a command wrote: its JSON, and its stderr split into errors and warnings."""
    text = stdout.decode("utf-8", "replace").strip()
    try:
        rows = json.loads(text, parse_float=Decimal) if text else []
    except ValueError:
        rows = []
    if isinstance(rows, dict):
        rows = [rows]
    errors = [
        line
        for line in stderr.splitlines()
        if line.strip() and not line.startswith(("warning: ", "警告: ", "bizops: "))
    ]
    if failure is not None:
        from bizops.core.i18n import render

        errors.append(str(render(failure.message, lang)))
    return Outcome(rows, kept, errors, code, failure)


def _keeping(process, kept: list):
    """`process`, keeping each result dict it returns (for the trace in both languages)."""

    def wrapped(requests, policy, context):
        outcomes = process(requests, policy, context)
        return None if outcomes is None else _tee(outcomes, kept)

    return wrapped


def _tee(outcomes, kept: list):
    for outcome in outcomes:
        if type(outcome) is dict:
            kept.append(outcome)
        yield outcome


# -- judging -------------------------------------------------------------------------
def judge(case: Case, outcome: Outcome) -> list[Text]:
    """What differs from the case's expectations; empty when the case passes."""
    found: list[Text] = []
    crashed = isinstance(outcome.failure, PluginFailure)
    if case.expect_error is not None and not crashed:
        if not any(case.expect_error in e for e in outcome.errors):
            got = "; ".join(outcome.errors)
            found.append(
                msg(
                    "expected an error containing {e}; {g}",
                    "预期出现包含 {e} 的错误；{z}",
                    e=_shown(case.expect_error),
                    g=f"got: {got}" if got else "there was none",
                    z=f"实际：{got}" if got else "没有出现错误",
                )
            )
    else:
        found += [msg("unexpected error: {e}", "意外的错误：{e}", e=e) for e in outcome.errors]
    rows = outcome.rows
    if case.expect is not None:
        if case.one:
            if len(rows) != 1:
                found.append(msg("expected one result, got {n}", "预期一个结果，实际 {n} 个", n=len(rows)))
            else:
                found += differences(case.expect[0], rows[0], "")
        else:
            if len(rows) != len(case.expect):
                found.append(
                    msg(
                        "expected {e} results, got {n}", "预期 {e} 个结果，实际 {n} 个", e=len(case.expect), n=len(rows)
                    )
                )
            for number, (want, got) in enumerate(zip(case.expect, rows, strict=False), 1):
                found += differences(want, got, f"[{number}]")
    if case.expect_rules:
        applied = [step.get("rule") for row in rows for step in (row.get("trace") or []) if isinstance(step, dict)]
        for rule in case.expect_rules:
            if rule not in applied:
                found.append(
                    msg(
                        "rule {r} did not apply (applied: {a})",
                        "规则 {r} 未适用（适用的：{a}）",
                        r=rule,
                        a=", ".join(dict.fromkeys(applied)) or "-",
                    )
                )
    return found


def differences(want: Any, got: Any, where: str) -> list[Text]:
    """Where `got` differs from `want`: tables compare the keys they name, lists item by item."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [_differ(where, want, got)]
        found = []
        for key, value in want.items():
            here = f"{where}.{key}" if where else key
            if key not in got:
                found.append(
                    msg(
                        "{w}: expected {e}, not in the output", "{w}：预期 {e}，输出中没有该项", w=here, e=_shown(value)
                    )
                )
            else:
                found += differences(value, got[key], here)
        return found
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [_differ(where, want, got)]
        found = []
        for index, (w, g) in enumerate(zip(want, got, strict=True), 1):
            found += differences(w, g, f"{where}[{index}]")
        return found
    return [] if same(want, got) else [_differ(where, want, got)]


def same(want: Any, got: Any) -> bool:
    """A scalar of the output equals the expected one: numbers by value, text as written."""
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return type(want) is type(got) and want == got
    if isinstance(want, int | Decimal):
        try:
            return Decimal(str(got)) == want if isinstance(got, str | int | Decimal) else False
        except InvalidOperation:
            return False
    if isinstance(want, str) and isinstance(got, int):
        return str(got) == want
    return want == got


def _differ(where: str, want: Any, got: Any) -> Text:
    if where:
        return msg("{w}: expected {e}, got {g}", "{w}：预期 {e}，实际 {g}", w=where, e=_shown(want), g=_shown(got))
    return msg("expected {e}, got {g}", "预期 {e}，实际 {g}", e=_shown(want), g=_shown(got))


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def trace_of(outcome: Outcome) -> list[Text]:
    """The rules behind the case's results, one line a step (numbered by result when there are several)."""
    lines = []
    results = outcome.results if len(outcome.results) == len(outcome.rows) else outcome.rows
    for number, result in enumerate(results, 1):
        for step in result.get("trace") or []:
            if not isinstance(step, dict):
                continue
            effect = step.get("effect", "")
            head = f"[{number}] " if len(results) > 1 else ""
            lines.append(
                Text(
                    f"{head}{step.get('rule')} ({step.get('clause')}): {effect}",
                    f"{head}{step.get('rule')}（{step.get('clause')}）：{getattr(effect, 'zh', effect)}",
                )
            )
    return lines
