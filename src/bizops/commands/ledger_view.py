"""What `bizops ledger` prints: its columns, and decisions shaped as rows for them.

`summary` is a decision as `list` shows it; `full` as `show` and `export` do
(inputs, outputs with their trace, history entries); `show_table` prints one
decision as a two-column table, with the company's own labels when its plugin
is installed.
"""

from __future__ import annotations

from bizops.core.command import emit, output_columns
from bizops.core.i18n import Text, msg, render
from bizops.core.ledger import codec
from bizops.core.names import field_label
from bizops.core.schema import Column

LABELS = {
    "ok": ("通过", "ok"),
    "failed": ("未通过", "failed"),
    "refused": ("拒绝", "refused"),
    "sqlite": ("SQLite 文件", "SQLite file"),
    "postgres": ("PostgreSQL 服务器", "PostgreSQL server"),
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
    Column("request_id", "text", zh="请求编号", en="request id"),
    Column("recorded_at", "text", zh="记录时间", en="recorded at"),
    Column("user", "text", zh="用户", en="user"),
    Column("host", "text", zh="主机", en="host"),
    Column("plugin", "text", zh="插件", en="plugin"),
    Column("plugin_version", "text", zh="插件版本", en="plugin version"),
    Column("bizops_version", "text", zh="bizops 版本", en="bizops version"),
    Column("policy_fingerprint", "text", zh="政策指纹", en="policy fingerprint"),
    Column("reverses", "int", zh="冲销", en="reverses"),
    Column("reversed_by", "int", zh="被冲销于", en="reversed by"),
    Column("used_by", "json", zh="曾用到它的决定", en="used by"),
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
FILING_COLUMNS = (
    Column("id", "int", zh="编号", en="id"),
    Column("company", "text", zh="公司", en="company"),
    Column("customer", "text", zh="客户", en="customer"),
    Column("owner", "text", zh="建档业务员", en="owner"),
    Column("filed_on", "text", zh="建档日期", en="filed on"),
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
    Column("filed", "int", zh="新增建档记录", en="filings added"),
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


def outputs_of(decision: dict, lang: str) -> dict:
    """A decision's outputs as recorded, in Chinese when asked and kept."""
    return codec.outputs(decision["outputs"], decision.get("outputs_zh") if lang == "zh" else None)


def summary(decision: dict, lang: str) -> dict:
    """A decision as `ledger list` shows it."""
    outputs = outputs_of(decision, lang)
    reason = outputs.get("reason") if isinstance(outputs, dict) else None
    if decision["reverses"] is not None:
        note = outputs.get("note")
        reason = msg("reverses decision {i}", "冲销决定 {i}", i=decision["reverses"]) + (f": {note}" if note else "")
    return {
        "id": decision["id"],
        "decided_at": decision["decided_at"],
        "company": decision["company"],
        "command": decision["command"],
        "row": decision["row_label"],
        "customer": decision["customer"],
        "status": decision["status"],
        "reason": render(reason, lang) if reason else None,
        "user": decision["user_name"],
        "reverses": decision["reverses"],
        "reversed_by": decision["reversed_by"],
    }


def full(decision: dict, entries: list[dict], lang: str, used_by: list[int] | None = None) -> dict:
    """A decision with everything it recorded, as `ledger show` and `ledger export` give it.

    `used_by` (for a reversed decision, from `ledger show`): the later
    decisions that read what it wrote before it was reversed.
    """
    row = summary(decision, lang)
    del row["reason"]
    row.update(
        request_id=decision.get("request_id"),
        used_by=used_by or None,
        recorded_at=decision["recorded_at"],
        host=decision["host"],
        plugin=decision["plugin"],
        plugin_version=decision["plugin_version"],
        bizops_version=decision["bizops_version"],
        policy_fingerprint=decision["policy_fingerprint"],
        inputs=codec.loads(decision["inputs"]),
        outputs=outputs_of(decision, lang),
        entries=[
            {
                "kind": e["kind"],
                "key": e["key"],
                "amount": e["amount"],
                "value": codec.loads(e["value"]),
                "sign": e["sign"],
            }
            for e in entries
        ],
    )
    return row


def used_by_warning(decision_id: int, used_by: list[int]) -> Text:
    """Later decisions that read what a reversed decision wrote: they stand as they were; a person checks them."""
    shown = ", ".join(str(i) for i in used_by[:50]) + (" …" if len(used_by) > 50 else "")
    return msg(
        "warning: decisions recorded after {i} read history it wrote and were not changed: {d} "
        "(bizops ledger show ID; correct one with ledger reverse or --amend)",
        "警告：决定 {i} 之后记录的决定读取过它写入的历史，未被更改：{d}（用 bizops ledger show 编号 查看；"
        "用 ledger reverse 或 --amend 更正）",
        i=decision_id,
        d=shown,
    )


def as_text(rows: list[dict], columns, fmt: str) -> list[dict]:
    """For tables, JSON cells as compact JSON text (a table cannot nest)."""
    if fmt not in ("table", "markdown"):
        return rows
    names = [c.name for c in columns if c.kind == "json"]
    return [
        {**row, **{n: None if row.get(n) is None else codec.dumps(codec.plain(row[n])) for n in names}} for row in rows
    ]


def show_table(session, row: dict, fmt: str) -> None:
    """A decision as a two-column table: its record, each input, each output, the trace, the entries."""
    lang = session.lang
    label = {c.name: c.label(lang) for c in DECISION_COLUMNS}
    labels, values = company_labels(session, row["company"], row["command"])
    lines = []
    for name in (
        "id",
        "company",
        "command",
        "row",
        "request_id",
        "customer",
        "status",
        "decided_at",
        "recorded_at",
        "user",
        "host",
        "plugin",
        "plugin_version",
        "bizops_version",
        "policy_fingerprint",
        "reverses",
        "reversed_by",
    ):
        if row.get(name) is not None:
            lines.append({"field": label[name], "value": text_of(row[name], lang)})
    if row.get("used_by"):
        warning = used_by_warning(row["id"], row["used_by"])
        lines.append({"field": label["used_by"], "value": render(warning, lang)})
    prefix_in = "输入" if lang == "zh" else "input"
    prefix_out = "结果" if lang == "zh" else "output"
    for key, value in (row["inputs"] or {}).items():
        lines.append({"field": f"{prefix_in}: {labels.get(key, key)}", "value": text_of(value, lang)})
    outputs = dict(row["outputs"] or {})
    trace = outputs.pop("trace", None) or []
    for key, value in outputs.items():
        lines.append({"field": f"{prefix_out}: {labels.get(key, key)}", "value": text_of(value, lang)})
    for i, step in enumerate(trace, 1):
        text = f"{step.get('rule')} ({step.get('clause')}): {step.get('effect')}" if isinstance(step, dict) else step
        lines.append({"field": ("规则" if lang == "zh" else "rule") + f" {i}", "value": text_of(text, lang)})
    for entry in row["entries"]:
        what = entry["amount"] if entry["amount"] is not None else codec.dumps(codec.plain(entry["value"]))
        if entry["sign"] < 0 and entry["amount"] is None:
            what = ("撤回 " if lang == "zh" else "withdraws ") + what
        field = ("历史" if lang == "zh" else "history") + f": {entry['kind']} {entry['key']}"
        lines.append({"field": field, "value": what})
    emit(session, FIELD_COLUMNS, lines, values)


def text_of(value, lang: str) -> str:
    """One value as a table cell: lists joined, objects as JSON, booleans in words."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, (dict, list)):
        return codec.dumps(codec.plain(value), sort=False)
    if value is True or value is False:
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    return str(value)


def company_labels(session, company: str, command: str) -> tuple[dict, dict]:
    """The company's labels for the command's fields and columns (in the session's language), and its enum
    value labels: an input is labelled as the output column of its name, else by its field's own name.

    Empty when its plugin is not installed: the keys and values are shown as recorded.
    """
    try:
        found = session.host.company(company)
    except Exception:
        return {}, {}
    spec = found.commands.get(command)
    if spec is None:
        return {}, dict(found.labels)
    names = {f.name: field_label(f, session.lang) for f in spec.inputs}
    names.update((c.name, c.label(session.lang)) for c in output_columns(spec))
    return names, dict(found.labels)


def export_rows(ledger, table, company, command, since, lang) -> list[dict]:
    """Every row of one table (decisions with their entries), for `ledger export`."""
    if table == "entries":
        return [dict(e, value=codec.loads(e["value"])) for e in ledger.entries(company=company)]
    if table == "customers":
        return [dict(c, fields=codec.loads(c["fields"]), user=c["user_name"]) for c in ledger.customers(company)]
    if table == "filings":
        return [dict(f, user=f["user_name"]) for f in ledger.filings(company)]
    entries: dict[int, list] = {}
    for entry in ledger.entries(company=company):
        entries.setdefault(entry["decision_id"], []).append(entry)
    return [
        full(d, entries.get(d["id"], []), lang) for d in ledger.decisions(company=company, command=command, since=since)
    ]
