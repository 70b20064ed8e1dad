"""`bizops ledger …`: see and look after the ledger of past decisions.

`list`, `show`, `export` and `info` only read (a ledger that does not exist
reads as empty and is not created); `import-customers` and `reverse` write;
`check` verifies every record; `backup` copies it. `--company` (or
BIZOPS_COMPANY, or the config) limits `list` and `export` to one company.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bizops.commands import runtime
from bizops.commands.options import EncodingOpt, InputFormatOpt, common_options
from bizops.core.command import emit
from bizops.core.errors import Exit, InputMissing, UsageError
from bizops.core.i18n import msg, render
from bizops.core.schema import Column
from bizops.core.writers import Encoder, make_writer

LABELS = {
    "ok": ("通过", "ok"), "failed": ("未通过", "failed"), "refused": ("拒绝", "refused"),
    "sqlite": ("SQLite 文件", "SQLite file"), "postgres": ("PostgreSQL 服务器", "PostgreSQL server"),
    "jsonl": ("JSON Lines 文件", "JSON Lines file"),
}

LIST_COLUMNS = (
    Column("id", "int", zh="编号", en="id"),
    Column("decided_at", "text", zh="决定时间", en="decided at"),
    Column("company", "text", zh="公司", en="company"),
    Column("command", "text", zh="命令", en="command"),
    Column("row", "text", zh="行", en="row"),
    Column("customer", "text", zh="客户", en="customer"),
    Column("status", "enum", zh="状态", en="status"),
    Column("reason", "text", zh="原因", en="reason"),
    Column("user", "text", zh="用户", en="user"),
    Column("reverses", "int", zh="冲销", en="reverses"),
    Column("reversed_by", "int", zh="被冲销于", en="reversed by"),
)
DECISION_COLUMNS = LIST_COLUMNS[:7] + (
    Column("recorded_at", "text", zh="记录时间", en="recorded at"),
    Column("user", "text", zh="用户", en="user"),
    Column("host", "text", zh="主机", en="host"),
    Column("plugin", "text", zh="插件", en="plugin"),
    Column("plugin_version", "text", zh="插件版本", en="plugin version"),
    Column("bizops_version", "text", zh="bizops 版本", en="bizops version"),
    Column("policy_fingerprint", "text", zh="政策指纹", en="policy fingerprint"),
    Column("reverses", "int", zh="冲销", en="reverses"),
    Column("reversed_by", "int", zh="被冲销于", en="reversed by"),
    Column("inputs", "json", zh="输入", en="inputs"),
    Column("outputs", "json", zh="结果", en="outputs"),
    Column("entries", "json", zh="历史记录", en="history entries"),
)
ENTRY_COLUMNS = (
    Column("id", "int", zh="编号", en="id"),
    Column("decision_id", "int", zh="决定", en="decision"),
    Column("company", "text", zh="公司", en="company"),
    Column("kind", "text", zh="类别", en="kind"),
    Column("key", "text", zh="键", en="key"),
    Column("amount", "text", zh="金额", en="amount"),
    Column("value", "json", zh="取值", en="value"),
    Column("sign", "int", zh="方向", en="sign"),
)
CUSTOMER_COLUMNS = (
    Column("id", "int", zh="编号", en="id"),
    Column("company", "text", zh="公司", en="company"),
    Column("name", "text", zh="客户", en="name"),
    Column("fields", "json", zh="资料", en="fields"),
    Column("source", "text", zh="来源", en="source"),
    Column("imported_at", "text", zh="导入时间", en="imported at"),
    Column("user", "text", zh="用户", en="user"),
)
FIELD_COLUMNS = (Column("field", "text", zh="项目", en="field"), Column("value", "text", zh="内容", en="value"))
CHECK_COLUMNS = (
    Column("check", "text", zh="检查项", en="check"),
    Column("status", "enum", zh="结果", en="status"),
    Column("checked", "int", zh="检查数", en="checked"),
    Column("detail", "text", zh="说明", en="detail"),
)
IMPORT_COLUMNS = (
    Column("company", "text", zh="公司", en="company"),
    Column("file", "text", zh="文件", en="file"),
    Column("rows", "int", zh="行数", en="rows"),
    Column("added", "int", zh="新增", en="added"),
    Column("known", "int", zh="已有", en="already known"),
    Column("invalid", "int", zh="无效", en="invalid"),
)
REVERSE_COLUMNS = (
    Column("id", "int", zh="编号", en="id"),
    Column("reverses", "int", zh="冲销", en="reverses"),
    Column("company", "text", zh="公司", en="company"),
    Column("command", "text", zh="命令", en="command"),
    Column("entries", "int", zh="冲销记录数", en="entries negated"),
    Column("note", "text", zh="备注", en="note"),
)
BACKUP_COLUMNS = (
    Column("path", "text", zh="路径", en="path"),
    Column("kind", "enum", zh="格式", en="kind"),
    Column("decisions", "int", zh="决定数", en="decisions"),
    Column("entries", "int", zh="记录数", en="entries"),
    Column("customers", "int", zh="客户数", en="customers"),
    Column("status", "enum", zh="结果", en="status"),
)
INFO_COLUMNS = (
    Column("location", "text", zh="位置", en="location"),
    Column("backend", "enum", zh="类型", en="backend"),
    Column("source", "text", zh="来自", en="given by"),
    Column("exists", "bool", zh="已存在", en="exists"),
    Column("schema_version", "int", zh="结构版本", en="schema version"),
    Column("decisions", "int", zh="决定数", en="decisions"),
    Column("entries", "int", zh="记录数", en="entries"),
    Column("customers", "int", zh="客户数", en="customers"),
)

SinceOpt = Annotated[Optional[str], typer.Option(
    "--since", help="Only decisions decided on or after this date or time (YYYY-MM-DD[THH:MM]).", show_default=False)]
CommandOpt = Annotated[Optional[str], typer.Option(
    "--command", help="Only decisions of this command (quote, approve-order, 'expense claim', score, …).",
    show_default=False)]
IdArg = Annotated[int, typer.Argument(help="The decision's id (see bizops ledger list).", show_default=False)]


# -- helpers -------------------------------------------------------------------------
def _open(session, write: bool = False):
    from bizops.core.ledger import open_ledger

    return open_ledger(session.ledger_source, write=write)


def _company_filter(session) -> str | None:
    """The company named by --company, BIZOPS_COMPANY or the config; None for all."""
    return session.options.company or session.environ.get("BIZOPS_COMPANY") or session.config.company or None


def _since(text: str | None) -> str | None:
    if not text:
        return None
    from bizops.core.values import BadValue, format_datetime, parse_date, parse_datetime

    try:
        return parse_date(text).isoformat() if len(text.strip()) <= 10 else format_datetime(parse_datetime(text))
    except BadValue as exc:
        raise UsageError(msg("--since {r}", "--since {r}", r=exc.reason)) from None


def _outputs(decision: dict, lang: str) -> dict:
    from bizops.core.ledger import codec

    if lang == "zh" and decision.get("outputs_zh"):
        return codec.loads(decision["outputs_zh"])
    return codec.loads(decision["outputs"])


def _summary(decision: dict, lang: str) -> dict:
    outputs = _outputs(decision, lang)
    reason = outputs.get("reason") if isinstance(outputs, dict) else None
    if decision["reverses"] is not None:
        note = outputs.get("note")
        reason = msg("reverses decision {i}", "冲销决定 {i}", i=decision["reverses"]) + (f": {note}" if note else "")
    return {
        "id": decision["id"], "decided_at": decision["decided_at"], "company": decision["company"],
        "command": decision["command"], "row": decision["row_label"], "customer": decision["customer"],
        "status": decision["status"], "reason": render(reason, lang) if reason else None,
        "user": decision["user_name"], "reverses": decision["reverses"], "reversed_by": decision["reversed_by"],
    }


def _full(decision: dict, entries: list[dict], lang: str) -> dict:
    from bizops.core.ledger import codec

    row = _summary(decision, lang)
    del row["reason"]
    row.update(
        recorded_at=decision["recorded_at"], host=decision["host"], plugin=decision["plugin"],
        plugin_version=decision["plugin_version"], bizops_version=decision["bizops_version"],
        policy_fingerprint=decision["policy_fingerprint"], inputs=codec.loads(decision["inputs"]),
        outputs=_outputs(decision, lang),
        entries=[{"kind": e["kind"], "key": e["key"], "amount": e["amount"], "value": codec.loads(e["value"]),
                  "sign": e["sign"]} for e in entries],
    )
    return row


def _as_text(rows: list[dict], columns, fmt: str) -> list[dict]:
    """For tables, JSON cells as compact JSON text (a table cannot nest)."""
    if fmt not in ("table", "markdown"):
        return rows
    from bizops.core.ledger import codec

    names = [c.name for c in columns if c.kind == "json"]
    return [{**row, **{n: None if row.get(n) is None else codec.dumps(codec.plain(row[n])) for n in names}}
            for row in rows]


# -- commands ------------------------------------------------------------------------
def list_(
    options,
    command: CommandOpt = None,
    since: SinceOpt = None,
    customer: Annotated[Optional[str], typer.Option("--customer", help="Only decisions about this customer.",
                                                    show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many, newest first (0: all).")] = 50,
) -> int:
    """Recent decisions, newest first: id, when, company, command, status, who."""

    def body(session) -> int:
        ledger = _open(session)
        rows = []
        if ledger is not None:
            try:
                found = ledger.decisions(company=_company_filter(session), command=command, since=_since(since),
                                         limit=None if customer else (limit or None), newest_first=True)
            finally:
                ledger.close()
            if customer:
                from bizops.core.ledger.history import customer_name

                name = customer_name(customer)
                found = [d for d in found if d["customer"] == name][: limit or None]
            rows = [_summary(d, session.lang) for d in found]
        emit(session, LIST_COLUMNS, rows, LABELS)
        return Exit.OK

    return runtime.guarded(options, body)


def show(options, decision_id: IdArg) -> int:
    """One recorded decision again: inputs, outputs, the rules that decided it, what it wrote to history."""

    def body(session) -> int:
        ledger = _open(session)
        try:
            decision = ledger.decision(decision_id) if ledger is not None else None
            if decision is None:
                raise UsageError(msg("no decision {i} in the ledger {p}", "账本 {p} 中没有决定 {i}",
                                     i=decision_id, p=_where(session)))
            entries = ledger.entries(decision_id)
        finally:
            if ledger is not None:
                ledger.close()
        row = _full(decision, entries, session.lang)
        fmt = session.output_format
        if fmt in ("table", "markdown"):
            _show_table(session, row, fmt)
        else:
            writer = make_writer(fmt, session.stdout, DECISION_COLUMNS, lang=session.lang, explain=False,
                                 labels=LABELS, single=True, tty=session.tty)
            writer.write(Encoder(DECISION_COLUMNS, False)(row), row)
            writer.close()
        return Exit.OK

    return runtime.guarded(options, body)


def _show_table(session, row: dict, fmt: str) -> None:
    """A decision as a two-column table: its record, each input, each output, the trace, the entries."""
    from bizops.core.ledger import codec

    lang = session.lang
    label = {c.name: c.label(lang) for c in DECISION_COLUMNS}
    labels = _company_labels(session, row["company"], row["command"])
    lines = []
    for name in ("id", "company", "command", "row", "customer", "status", "decided_at", "recorded_at", "user",
                 "host", "plugin", "plugin_version", "bizops_version", "policy_fingerprint", "reverses",
                 "reversed_by"):
        if row.get(name) is not None:
            lines.append({"field": label[name], "value": _text(row[name], lang)})
    prefix_in = "输入" if lang == "zh" else "input"
    prefix_out = "结果" if lang == "zh" else "output"
    for key, value in (row["inputs"] or {}).items():
        lines.append({"field": f"{prefix_in}: {labels.get(key, key)}", "value": _text(value, lang)})
    outputs = dict(row["outputs"] or {})
    trace = outputs.pop("trace", None) or []
    for key, value in outputs.items():
        lines.append({"field": f"{prefix_out}: {labels.get(key, key)}", "value": _text(value, lang)})
    for i, step in enumerate(trace, 1):
        text = f"{step.get('rule')} ({step.get('clause')}): {step.get('effect')}" if isinstance(step, dict) else step
        lines.append({"field": ("规则" if lang == "zh" else "rule") + f" {i}", "value": _text(text, lang)})
    for entry in row["entries"]:
        what = entry["amount"] if entry["amount"] is not None else codec.dumps(codec.plain(entry["value"]))
        if entry["sign"] < 0 and entry["amount"] is None:
            what = ("撤回 " if lang == "zh" else "withdraws ") + what
        field = ("历史" if lang == "zh" else "history") + f": {entry['kind']} {entry['key']}"
        lines.append({"field": field, "value": what})
    emit(session, FIELD_COLUMNS, lines)


def _text(value, lang: str) -> str:
    from bizops.core.ledger import codec

    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, (dict, list)):
        return codec.dumps(codec.plain(value), sort=False)
    if value is True or value is False:
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    return str(value)


def _company_labels(session, company: str, command: str) -> dict:
    """Field labels of the company's command in the session's language, if its plugin is installed."""
    try:
        spec = session.host.company(company).commands.get(command)
    except Exception:  # noqa: BLE001 - an uninstalled plugin: show the keys
        return {}
    if spec is None:
        return {}
    from bizops.core.command import output_columns

    return {c.name: c.label(session.lang) for c in output_columns(spec)}


def export(
    options,
    table: Annotated[str, typer.Option("--table", help="decisions | entries | customers.")] = "decisions",
    command: CommandOpt = None,
    since: SinceOpt = None,
) -> int:
    """Every record of a table, in --format (csv/jsonl for spreadsheets and scripts)."""

    def body(session) -> int:
        if table not in ("decisions", "entries", "customers"):
            raise UsageError(msg("--table must be decisions, entries or customers, got {v!r}",
                                 "--table 只能是 decisions、entries 或 customers，实际为 {v!r}", v=table))
        ledger = _open(session)
        company = _company_filter(session)
        rows, columns = [], {"decisions": DECISION_COLUMNS, "entries": ENTRY_COLUMNS,
                             "customers": CUSTOMER_COLUMNS}[table]
        if ledger is not None:
            try:
                rows = _export_rows(ledger, table, company, command, _since(since), session.lang)
            finally:
                ledger.close()
        emit(session, columns, _as_text(rows, columns, session.output_format), LABELS)
        return Exit.OK

    return runtime.guarded(options, body)


def _export_rows(ledger, table, company, command, since, lang) -> list[dict]:
    from bizops.core.ledger import codec

    if table == "entries":
        return [dict(e, value=codec.loads(e["value"])) for e in ledger.entries(company=company)]
    if table == "customers":
        return [dict(c, fields=codec.loads(c["fields"]), user=c["user_name"]) for c in ledger.customers(company)]
    entries: dict[int, list] = {}
    for entry in ledger.entries(company=company):
        entries.setdefault(entry["decision_id"], []).append(entry)
    return [_full(d, entries.get(d["id"], []), lang)
            for d in ledger.decisions(company=company, command=command, since=since)]


def import_customers(
    options,
    file: Annotated[str, typer.Argument(help="Customer list: CSV with a header (name or 客户名称, other columns "
                                        "kept), JSON Lines or a JSON array; - for stdin.", show_default=False)],
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = None,
) -> int:
    """Add a company's existing customers, so they are not taken for new ones (importing twice adds nothing)."""

    def body(session) -> int:
        import sys

        from bizops.core.ledger.manage import import_customers as do_import
        from bizops.core.readers import format_for, open_reader
        from bizops.core.stream import row_message

        company = session.company.name
        if file == "-":
            stream, handle = sys.stdin.buffer, None
        else:
            try:
                stream = handle = open(file, "rb")
            except OSError as exc:
                raise InputMissing(msg("{f}: cannot read input: {e}", "{f}：无法读取输入：{e}",
                                       f=file, e=exc.strerror or exc)) from None
        try:
            head = stream.peek(512)[:512] if hasattr(stream, "peek") else b""
            rows = open_reader(stream, format_for(file, input_format, head), encoding)
            ledger = _open(session, write=True)
            try:
                result = do_import(ledger, company, rows, source=Path(file).name if file != "-" else "-")
            finally:
                ledger.close()
        finally:
            if handle is not None:
                handle.close()
        for error in result["errors"]:
            sys.stderr.write(row_message(error, session.lang) + "\n")
        emit(session, IMPORT_COLUMNS, [dict(company=company, file=file, **{k: result[k] for k in
                                                                           ("rows", "added", "known", "invalid")})])
        return Exit.DATA if result["errors"] else Exit.OK

    return runtime.guarded(options, body)


def reverse(
    options,
    decision_id: IdArg,
    note: Annotated[Optional[str], typer.Option("--note", help="Why it is reversed (kept with the reversal).",
                                                show_default=False)] = None,
) -> int:
    """Correct a recorded decision: a new decision with its history entries negated (the old one stays)."""

    def body(session) -> int:
        from bizops.core.ledger.manage import reverse as do_reverse
        from bizops.core.values import format_datetime

        ledger = _open(session, write=True)
        try:
            result = do_reverse(ledger, decision_id, note, format_datetime(session.now()))
        finally:
            ledger.close()
        emit(session, REVERSE_COLUMNS, [result], LABELS)
        return Exit.OK

    return runtime.guarded(options, body)


def check(options) -> int:
    """Verify the ledger: storage, schema, every decision complete and unchanged, reversals exact (exit 74 if not)."""

    def body(session) -> int:
        from bizops.core.ledger.manage import check as do_check

        ledger = _open(session)
        if ledger is None:
            raise InputMissing(msg("no ledger at {p}; nothing to check", "{p} 没有账本；无需检查", p=_where(session)))
        try:
            findings = do_check(ledger)
        finally:
            ledger.close()
        emit(session, CHECK_COLUMNS, findings, LABELS)
        return Exit.IO if any(f["status"] != "ok" for f in findings) else Exit.OK

    return runtime.guarded(options, body)


def backup(
    options,
    path: Annotated[Path, typer.Argument(help="Where to write the copy.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> int:
    """Copy the ledger: SQLite's online backup to one file; for PostgreSQL every row as JSON Lines."""

    def body(session) -> int:
        import sys

        from bizops.core.ledger.manage import backup as do_backup

        if path.exists() and not force:
            raise UsageError(msg("{f} exists; add --force to overwrite it", "{f} 已存在；加 --force 覆盖", f=path))
        ledger = _open(session)
        if ledger is None:
            raise InputMissing(msg("no ledger at {p}; nothing to back up", "{p} 没有账本；无需备份", p=_where(session)))
        try:
            if path.exists():
                path.unlink()
            kind = do_backup(ledger, path)
            counts = ledger.counts()
        finally:
            ledger.close()
        if kind == "jsonl":
            sys.stderr.write(render(msg(
                "note: this is every ledger row as JSON Lines; for a full server backup use pg_dump "
                "(pg_dump -Fc -t 'bizops_*' DBNAME)",
                "提示：这是账本全部记录的 JSON Lines 导出；完整的服务器备份请用 pg_dump（pg_dump -Fc -t 'bizops_*' 数据库名）"),
                session.lang) + "\n")
        emit(session, BACKUP_COLUMNS, [dict(path=str(path), kind=kind, status="ok", **counts)], LABELS)
        return Exit.OK

    return runtime.guarded(options, body)


def info(options) -> int:
    """Where the ledger is, whether it exists, its schema version and size."""

    def body(session) -> int:
        from bizops.core.ledger import location_of

        location = location_of(session.ledger_source)
        ledger = _open(session)
        counts = {"decisions": 0, "entries": 0, "customers": 0}
        version = None
        if ledger is not None:
            try:
                counts, version = ledger.counts(), ledger.version
            finally:
                ledger.close()
        emit(session, INFO_COLUMNS, [dict(location=location.shown, backend=location.kind, source=location.source,
                                          exists=version is not None, schema_version=version, **counts)], LABELS)
        return Exit.OK

    return runtime.guarded(options, body)


def _where(session) -> str:
    from bizops.core.ledger import location_of

    return location_of(session.ledger_source).shown


def app(name: str = "ledger", early_options=None) -> typer.Typer:
    typer_app = typer.Typer(add_completion=False, rich_markup_mode=None, no_args_is_help=True,
                            help="The ledger of recorded decisions: list, show, export, check, back up, correct.")
    typer_app.command("list")(common_options(list_))
    typer_app.command("show")(common_options(show))
    typer_app.command("export")(common_options(export))
    typer_app.command("import-customers")(common_options(import_customers))
    typer_app.command("reverse")(common_options(reverse))
    typer_app.command("check")(common_options(check))
    typer_app.command("backup")(common_options(backup))
    typer_app.command("info")(common_options(info))
    return typer_app
