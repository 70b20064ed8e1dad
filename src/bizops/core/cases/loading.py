"""Loading rule cases: a cases file read and shape-checked, each case checked against its company.

A file that is not a cases file is `CasesError` (exit 65) naming the file and
the case; a case's `policy` is the effective config with the case's values
over its company's table, and a value the company refuses is a config error
(exit 78) naming the case.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from bizops.core.errors import BizopsError, Exit, InputMissing
from bizops.core.i18n import Text, msg, os_reason
from bizops.core.policy import ConfigFile, Policy, build_policy
from bizops.core.schema import Company, Field
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
    path: str = ""  # the cases file: a relative path in the case's policy is relative to it


class CasesFile(NamedTuple):
    path: str
    company: str | None
    cases: tuple[Case, ...]

    def problem(self, case: Case | None, text: Text) -> CasesError:
        where = f"{case.where} ({case.name!r})" if case else ""
        sep = ": " if where else ""
        zh = getattr(text, "zh", text)
        return CasesError(Text(f"{self.path}: {where}{sep}{text}", f"{self.path}：{where}{sep}{zh}"))


def load(path: str | Path) -> CasesFile:
    """Read and shape-check a cases file (TOML, JSON Lines or a JSON array)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CasesError(msg("{f}: not UTF-8 text", "{f}：不是 UTF-8 文本", f=name)) from None
    except OSError as exc:
        raise InputMissing(
            msg("{f}: cannot read the cases file: {e}", "{f}：无法读取用例文件：{e}", f=name, e=os_reason(exc))
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
        name=str(name),
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
        path=path,
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


# -- a case against its company -----------------------------------------------------------
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
    if spec.group_by and spec.group_into:  # CSV-shaped rows: the grouped items' fields may stand at the top
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
    """The config a case runs under: the effective one, with the case's `policy` over its company table.

    Messages name it by `label` (the case); a relative path in the case's
    policy (`price_list = "prices.csv"`) is relative to the cases file.
    """
    inherited = {key: base.path for key in base.table(company) if key not in case.policy}
    table = {**base.table(company), **case.policy}
    return ConfigFile(Path(case.path) if case.path else None, {"company": {company: table}}, label, inherited)


def case_policy(company: Company, config: ConfigFile) -> Policy:
    """The case's policy; values the company refuses are a config error (exit 78) naming the case."""
    return build_policy(company, config)
