"""`bizops ledger …`: see and look after the ledger of past decisions (columns and rows: `ledger_view`).

`list`, `show`, `export` and `info` only read (a ledger that does not exist
reads as empty and is not created); `import-customers` and `reverse` write;
`check` verifies every record; `backup` copies it. `--company` (or
BIZOPS_COMPANY, or the config) limits `list` and `export` to one company.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from bizops.commands import ledger_view as view
from bizops.commands import runtime
from bizops.commands.groups import Group, add, examples
from bizops.commands.options import EncodingOpt, InputFormatOpt, common_options
from bizops.commands.texts import say
from bizops.core.command import emit
from bizops.core.encoder import Encoder
from bizops.core.errors import Exit, InputMissing, UsageError
from bizops.core.i18n import msg, os_reason, render
from bizops.core.writers import make_writer

SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        help=say(
            "Only decisions decided on or after this date or time (YYYY-MM-DD[THH:MM]).",
            "只看此日期或时刻（YYYY-MM-DD[THH:MM]）及以后的决定。",
        ),
        show_default=False,
    ),
]
CommandOpt = Annotated[
    str | None,
    typer.Option(
        "--command",
        help=say(
            "Only decisions of this command (quote, approve-order, 'expense claim', score, …).",
            "只看此命令的决定（quote、approve-order、'expense claim'、score…）。",
        ),
        show_default=False,
    ),
]
IdArg = Annotated[
    str,
    typer.Argument(
        help=say("The decision's id (see bizops ledger list).", "决定的编号（见 bizops ledger list）。"),
        show_default=False,
    ),
]


# -- helpers -------------------------------------------------------------------------
def _open(session, write: bool = False):
    from bizops.core.ledger import open_ledger

    return open_ledger(session.ledger_source, write=write)


def _existing(session, missing):
    """The ledger, which must exist (exit 66 saying `missing` otherwise)."""
    ledger = _open(session)
    if ledger is None or not ledger.exists:
        if ledger is not None:
            ledger.close()
        raise InputMissing(missing)
    return ledger


def _company_filter(session) -> str | None:
    """The company named by --company, BIZOPS_COMPANY or the config; None for all."""
    return session.options.company or session.environ.get("BIZOPS_COMPANY") or session.config.company or None


def _decision_id(text: str) -> int:
    """A decision id as typed: a whole number from 1 up; anything else is a usage error (2), not a crash."""
    from bizops.core.ledger.store import MAX_ID

    value = text.strip()
    if not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise UsageError(
            msg(
                "a decision id is a whole number from 1 to {m}, got {v!r}",
                "决定编号须为 1 到 {m} 之间的整数，实际为 {v!r}",
                m=MAX_ID,
                v=text,
            )
        )
    return int(value)


def _limit(value: int) -> int | None:
    from bizops.core.ledger.store import MAX_ID

    if not 0 <= value <= MAX_ID:
        raise UsageError(
            msg(
                "--limit must be from 0 (all) to {m}, got {v}",
                "--limit 须在 0（全部）到 {m} 之间，实际为 {v}",
                m=MAX_ID,
                v=value,
            )
        )
    return value or None


def _since(text: str | None) -> str | None:
    if not text:
        return None
    from bizops.core.values import BadValue, format_datetime, parse_date, parse_datetime

    try:
        return parse_date(text).isoformat() if len(text.strip()) <= 10 else format_datetime(parse_datetime(text))
    except BadValue as exc:
        raise UsageError(msg("--since {r}", "--since {r}", r=exc.reason)) from None


# -- commands ------------------------------------------------------------------------
def list_(
    options,
    command: CommandOpt = None,
    since: SinceOpt = None,
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer", help=say("Only decisions about this customer.", "只看此客户的决定。"), show_default=False
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            "-n",
            help=say("At most this many, newest first (0: all).", "最多显示这么多条，从新到旧（0：全部）。"),
        ),
    ] = 50,
) -> int:
    """Recent decisions, newest first: id, when, company, command, status, who."""

    def body(session) -> int:
        since_text = _since(since)  # a bad --since or --limit is a usage error even before there is a ledger
        most = _limit(limit)
        ledger = _open(session)
        rows = []
        if ledger is not None:
            from bizops.core.ledger.history import customer_name

            try:
                found = ledger.decisions(
                    company=_company_filter(session),
                    command=command,
                    since=since_text,
                    customer=customer_name(customer) if customer else None,
                    limit=most,
                    newest_first=True,
                )
            finally:
                ledger.close()
            rows = [view.summary(d, session.lang) for d in found]
        emit(session, view.LIST_COLUMNS, rows, view.LABELS)
        return Exit.OK

    return runtime.guarded(options, body)


def show(options, decision_id: IdArg) -> int:
    """One recorded decision again: inputs, outputs, the rules that decided it, what it wrote to history."""

    def body(session) -> int:
        from bizops.core.ledger.explain import explain, recorded_trace

        wanted = _decision_id(decision_id)
        ledger = _open(session)
        try:
            decision = ledger.decision(wanted) if ledger is not None else None
            if decision is None:
                raise UsageError(
                    msg("no decision {i} in the ledger {p}", "账本 {p} 中没有决定 {i}", i=wanted, p=_where(session))
                )
            entries = ledger.entries(wanted)
            # A reversed decision: the later ones that read what it wrote before it was reversed.
            used_by = ledger.used_by(decision) if decision["reversed_by"] is not None else []
            trace, why = None, None
            if recorded_trace(decision, session.lang) is None:
                trace, why = explain(session, ledger, decision)  # made again: a row's trace is not recorded
        finally:
            if ledger is not None:
                ledger.close()
        row = view.full(decision, entries, session.lang, used_by)
        if trace:
            row["outputs"]["trace"] = trace
        if why is not None:
            sys.stderr.write(render(msg("warning: ", "警告：") + why, session.lang) + "\n")
        fmt = session.output_format
        if fmt in ("table", "markdown"):
            view.show_table(session, row, fmt)
        else:
            writer = make_writer(
                fmt,
                session.stdout,
                view.DECISION_COLUMNS,
                lang=session.lang,
                explain=False,
                labels=view.LABELS,
                single=True,
                tty=session.tty,
            )
            writer.write(Encoder(view.DECISION_COLUMNS, False, answers=False)(row), row)  # a record, not an answer
            writer.close()
        return Exit.OK

    return runtime.guarded(options, body)


#: `ledger export --table` -> the columns (in `ledger_view`) it writes.
TABLES = {
    "decisions": "DECISION_COLUMNS",
    "entries": "ENTRY_COLUMNS",
    "customers": "CUSTOMER_COLUMNS",
    "filings": "FILING_COLUMNS",
}


def export(
    options,
    table: Annotated[
        str,
        typer.Option(
            "--table",
            help=say(
                "decisions | entries | customers | filings (who filed which customer).",
                "decisions（决定）| entries（台账记录）| customers（客户）| filings（客户建档记录）。",
            ),
        ),
    ] = "decisions",
    command: CommandOpt = None,
    since: SinceOpt = None,
) -> int:
    """Every record of a table, in --format (csv/jsonl for spreadsheets and scripts)."""

    def body(session) -> int:
        if table not in TABLES:
            raise UsageError(
                msg(
                    "--table must be decisions, entries, customers or filings, got {v!r}",
                    "--table 只能是 decisions、entries、customers 或 filings，实际为 {v!r}",
                    v=table,
                )
            )
        since_text = _since(since)  # a bad --since is a usage error even before there is a ledger
        ledger = _open(session)
        company = _company_filter(session)
        rows, columns = [], getattr(view, TABLES[table])
        if ledger is not None:
            try:
                rows = view.export_rows(ledger, table, company, command, since_text, session.lang)
            finally:
                ledger.close()
        emit(session, columns, view.as_text(rows, columns, session.output_format), view.LABELS)
        return Exit.OK

    return runtime.guarded(options, body)


def import_customers(
    options,
    file: Annotated[
        str,
        typer.Argument(
            help="Customer list: a CRM export as it is (CSV in UTF-8 or GB18030, a workbook, a title above "
            "its header), JSON Lines or a JSON array; - for stdin. Columns: name or 客户名称 (the others are "
            "kept); owner/业务员 and filed_on/建档日期: who filed it when, the earliest filer owns it.",
            show_default=False,
        ),
    ],
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = None,
) -> int:
    """Add a company's existing customers, so they are not taken for new ones (importing twice adds nothing)."""

    def body(session) -> int:
        from bizops.core.ledger.manage import customer_list_names
        from bizops.core.ledger.manage import import_customers as do_import
        from bizops.core.readers import Layout, open_input
        from bizops.core.stream import row_message

        company = session.company.name
        if file == "-":
            stream, handle = sys.stdin.buffer, None
        else:
            try:
                stream = handle = open(file, "rb", buffering=1 << 16)  # noqa: SIM115 - closed in the finally below
            except OSError as exc:
                raise InputMissing(
                    msg("{f}: cannot read input: {e}", "{f}：无法读取输入：{e}", f=file, e=os_reason(exc))
                ) from None
        try:
            # As an order book is read: a CRM export's title above the header, GB18030, a workbook.
            layout = Layout(customer_list_names())

            def warn(text) -> None:
                sys.stderr.write(render(msg("warning: {t}", "警告：{t}", t=text), session.lang) + "\n")

            rows = open_input(stream, file, input_format, encoding, layout, warn)
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
        if result["undated"]:
            from bizops.core.ledger.manage import FILED_COLUMNS

            warning = msg(
                "warning: {n} filing(s) name an owner but no day filed (a column {c}); recorded as filed today, "
                "so an earlier filing imported later still takes the customer",
                "警告：{n} 条建档记录有业务员但没有建档日期（列名 {c}）；按今天建档记录，之后导入的更早建档仍会取得该客户",
                n=result["undated"],
                c=" / ".join(FILED_COLUMNS),
            )
            sys.stderr.write(render(warning, session.lang) + "\n")
        emit(
            session,
            view.IMPORT_COLUMNS,
            [
                dict(
                    company=company, file=file, **{k: result[k] for k in ("rows", "added", "known", "invalid", "filed")}
                )
            ],
        )
        return Exit.DATA if result["errors"] else Exit.OK

    return runtime.guarded(options, body)


def reverse(
    options,
    decision_id: IdArg,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            help=say("Why it is reversed (kept with the reversal).", "冲销原因（与冲销一起保存）。"),
            show_default=False,
        ),
    ] = None,
) -> int:
    """Correct a recorded decision: a new decision with its history entries negated (the old one stays)."""

    def body(session) -> int:
        from bizops.core.ledger.manage import reverse as do_reverse
        from bizops.core.values import format_datetime

        wanted = _decision_id(decision_id)
        ledger = _open(session, write=True)
        try:
            result = do_reverse(ledger, wanted, note, format_datetime(session.now()))
        finally:
            ledger.close()
        if result["used_by"]:
            sys.stderr.write(render(view.used_by_warning(result["reverses"], result["used_by"]), session.lang) + "\n")
        emit(session, view.REVERSE_COLUMNS, [result], view.LABELS)
        return Exit.OK

    return runtime.guarded(options, body)


def check(options) -> int:
    """Verify the ledger: storage, schema, every decision complete and unchanged, reversals exact (exit 74 if not)."""

    def body(session) -> int:
        from bizops.core.ledger.check import check as do_check

        ledger = _existing(
            session, msg("no ledger at {p}; nothing to check", "{p} 没有账本；无需检查", p=_where(session))
        )
        try:
            findings = do_check(ledger)
        finally:
            ledger.close()
        emit(session, view.CHECK_COLUMNS, findings, view.LABELS)
        return Exit.IO if any(f["status"] != "ok" for f in findings) else Exit.OK

    return runtime.guarded(options, body)


def backup(
    options,
    path: Annotated[Path, typer.Argument(help=say("Where to write the copy.", "备份写到哪里。"), show_default=False)],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=say(
                "Replace an existing regular file (never the ledger, never a device).",
                "覆盖已有的普通文件（绝不覆盖台账或设备）。",
            ),
        ),
    ] = False,
) -> int:
    """Copy the ledger: SQLite's online backup to one file; for PostgreSQL every row as JSON Lines."""

    def body(session) -> int:
        from bizops.core.ledger.manage import backup as do_backup
        from bizops.core.ledger.manage import may_replace

        may_replace(path, force)  # a wrong target is its own error, ledger or not
        ledger = _existing(
            session, msg("no ledger at {p}; nothing to back up", "{p} 没有账本；无需备份", p=_where(session))
        )
        try:
            kind = do_backup(ledger, path, force)  # checks `path` first: never the ledger, never a device
            counts = ledger.counts()
        finally:
            ledger.close()
        if kind == "jsonl":
            sys.stderr.write(
                render(
                    msg(
                        "note: this is every ledger row as JSON Lines; for a full server backup use pg_dump "
                        "(pg_dump -Fc -t 'bizops_*' DBNAME)",
                        "提示：这是账本全部记录的 JSON Lines 导出；完整的服务器备份请用 pg_dump（pg_dump -Fc -t 'bizops_*' 数据库名）",
                    ),
                    session.lang,
                )
                + "\n"
            )
        emit(session, view.BACKUP_COLUMNS, [dict(path=str(path), kind=kind, status="ok", **counts)], view.LABELS)
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
        emit(
            session,
            view.INFO_COLUMNS,
            [
                dict(
                    location=location.shown,
                    backend=location.kind,
                    source=location.source,
                    exists=version is not None,
                    schema_version=version,
                    **counts,
                )
            ],
            view.LABELS,
        )
        return Exit.OK

    return runtime.guarded(options, body)


def _where(session) -> str:
    from bizops.core.ledger import location_of

    return location_of(session.ledger_source).shown


#: Each command: its Chinese help, and the examples its help ends with (run by the tests, from a fresh clone).
_LEDGER = "demo.db"
COMMANDS = {
    "list": (
        list_,
        "最近的决定，从新到旧：编号、时间、公司、命令、结果、记录人。",
        (
            (
                f"bizops --company cable --db {_LEDGER} approve-order examples/cable/orders.csv --record",
                "record the example orders (a new ledger demo.db)",
                "记录示例订单（新建台账 demo.db）",
            ),
            (f"bizops --db {_LEDGER} ledger list --format table", "the newest first", "从新到旧"),
            (f"bizops --db {_LEDGER} ledger list --customer 佛山明辉机电 --lang zh", "one customer's", "某客户的决定"),
        ),
    ),
    "show": (
        show,
        "再次查看一条已记录的决定：输入、结果、决定它的规则、写入台账的记录。",
        (
            (f"bizops --db {_LEDGER} ledger show 1", "decision 1, as a card", "第 1 条决定"),
            (f"bizops --db {_LEDGER} --lang zh ledger show 1 --format json", "as JSON", "JSON 格式"),
        ),
    ),
    "export": (
        export,
        "导出一张表的全部记录（--format csv/jsonl 供表格和脚本使用）。",
        (
            (f"bizops --db {_LEDGER} ledger export --format csv -o decisions.csv --bom", "for Excel", "供 Excel 打开"),
            (f"bizops --db {_LEDGER} ledger export -o decisions.xlsx", "as a workbook", "导出为工作簿"),
        ),
    ),
    "import-customers": (
        import_customers,
        "导入公司的老客户，使其不被当作新客户（重复导入不会重复添加）。",
        (
            (
                "bizops --company cable --db demo.db ledger import-customers examples/cable/customers.csv",
                "existing customers are not new",
                "老客户不算新客户",
            ),
            (
                "bizops --company cable --db demo.db ledger list",
                "then the ledger (empty until something is recorded)",
                "然后查看台账",
            ),
        ),
    ),
    "reverse": (
        reverse,
        "更正一条已记录的决定：新增一条冲销其台账记录的决定（原决定保留）。",
        (
            ("bizops --db demo.db ledger reverse 1 --note 重复录入", "a decision entered twice", "重复录入的决定"),
            ("bizops --db demo.db ledger show 1", "the original, now reversed", "原决定（已冲销）"),
        ),
    ),
    "check": (
        check,
        "检查台账：存储、结构、每条决定完整未改、冲销准确（有误则退出码 74）。",
        (
            (f"bizops --db {_LEDGER} ledger check", "exit 74 if anything is wrong", "有误则退出码 74"),
            (f"bizops --db {_LEDGER} ledger check --lang zh --format table", "in Chinese", "中文"),
        ),
    ),
    "backup": (
        backup,
        "备份台账：SQLite 在线备份到一个文件；PostgreSQL 则把每行写成 JSON Lines。",
        (
            (f"bizops --db {_LEDGER} ledger backup demo-backup.db", "SQLite to one file", "SQLite 备份到一个文件"),
            ("bizops --db demo-backup.db ledger check", "the copy checks too", "检查备份"),
        ),
    ),
    "info": (
        info,
        "台账在哪里、是否存在、结构版本和大小。",
        (
            ("bizops ledger info", "where bizops keeps it by default", "默认位置"),
            (f"bizops --db {_LEDGER} ledger info --format json", "a given one, for a script", "指定的台账，供脚本读取"),
        ),
    ),
}


def app(name: str = "ledger", early_options=None) -> typer.Typer:
    typer_app = typer.Typer(
        cls=Group,
        add_completion=False,
        rich_markup_mode=None,
        no_args_is_help=True,
        help=say(
            "The ledger of recorded decisions: list, show, export, check, back up, correct.",
            "已记录决定的台账：列表、查看、导出、检查、备份、更正。",
        ),
        epilog=examples([*COMMANDS["list"][2][:2], COMMANDS["show"][2][0], COMMANDS["check"][2][0]]),
    )
    for command, (function, chinese, lines) in COMMANDS.items():
        add(
            typer_app,
            command,
            common_options(function),
            help=say(function.__doc__ or "", chinese),
            epilog=examples(lines),
        )
    return typer_app
