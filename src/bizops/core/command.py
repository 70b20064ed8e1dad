"""Running one row command end to end: input, hook, output, exit code.

Used by every row command: the core ones (`quote`, `approve-order`,
`expense …`, `score`), answered by the company's hook, and a company's own
(`pile plan`), answered by the `run` its `CommandSpec` declares.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, NamedTuple

from bizops.core.context import Context
from bizops.core.encoder import Encoder
from bizops.core.errors import InputMissing, PluginFailure, UsageError
from bizops.core.formats import INPUT_FORMATS, STREAMING_FORMATS
from bizops.core.i18n import Text, msg, os_reason
from bizops.core.money import use_exact_context
from bizops.core.names import InputNames
from bizops.core.outcomes import RowMap
from bizops.core.readers import Layout, open_input
from bizops.core.schema import CORE_COMMANDS, Column, CommandSpec
from bizops.core.session import Session
from bizops.core.stream import Job, Sink, run
from bizops.core.writers import make_writer

Process = Callable[[Iterator[Any], Any, Context], Iterable[Any] | None]
#: The argument a core command's hook receives its rows by, where it is not `requests` (see `hookspecs`).
STREAMS = {"score": "events", "commission": "collections"}


class RowsRequest(NamedTuple):
    """What the user asked of a row command (read-only)."""

    command: str
    input: str | None = None
    flags: dict[str, Any] = {}  # noqa: RUF012
    input_format: str | None = None
    encoding: str | None = None
    jobs: str | None = None
    now: str | None = None
    record: bool = False
    options: dict[str, Any] = {}  # noqa: RUF012
    amend: bool = False  # under --record: a request recorded with other inputs replaces its recorded decision
    switched_from: tuple[str, str | None] | None = None  # (flag, the input it leaves unread)
    header_row: int | None = None  # --header-row: the spreadsheet row of a table's header
    sheet: str | None = None  # --sheet: a workbook's sheet, by name or number


def output_columns(spec: CommandSpec, options: dict[str, Any] | None = None) -> tuple[Column, ...]:
    """The spec's columns (its view's, for these options), with `company` first and `warnings` last if left out."""
    columns = list(spec.columns(options or {}))
    names = {c.name for c in columns}
    if "company" not in names:
        columns.insert(0, Column("company", "text", zh="公司", en="company"))
    if "warnings" not in names:
        columns.append(Column("warnings", "texts", zh="提示", en="warnings"))
    return tuple(columns)


def hook_process(session: Session, command: str) -> Process:
    """`process` for a command: the company's hook for a core one, its spec's `run` for its own.

    The hook is called through the company's plugins only (`PluginHost.caller`),
    with the requests readable by one of them (`_ReadOnce`).
    """
    company = session.company.name
    if command not in CORE_COMMANDS:
        run_own = session.command_spec(command).run
        assert run_own is not None  # `problems` refuses an own command without one
        return run_own
    hook_name = CORE_COMMANDS[command]
    hook = session.host.caller(hook_name, company)
    stream = STREAMS.get(command, "requests")
    extra = {"kind": command.split(" ", 1)[1]} if command.startswith("expense ") else {}
    host = session.host

    def process(requests: Iterator[Any], policy: Any, context: Context) -> Iterable[Any] | None:
        once = _ReadOnce(requests, hook_name, host.modules(), host.plugin_of(company))
        outcomes = hook(company=company, **{stream: once}, policy=policy, context=context, **extra)
        if type(outcomes) is RowMap and outcomes.requests is once and once.reader is None:
            return RowMap(requests, outcomes.decide)  # the row pipeline's own requests: it drives `decide` itself
        return outcomes

    return process


class _ReadOnce:
    """The requests as a company's plugins receive them: one of them may read them.

    Every plugin of the company is passed the same stream; one that reads it
    and then returns None would leave the next plugin the rows it did not
    read, and they would go undecided without a word. Reading it a second
    time is that plugin's failure, named (exit 70).
    """

    __slots__ = ("hook", "modules", "owner", "reader", "requests")

    def __init__(self, requests: Iterator[Any], hook: str, modules: dict[str, str], owner: str):
        self.requests, self.hook, self.modules, self.owner = requests, hook, modules, owner
        self.reader: str | None = None

    def __iter__(self) -> Iterator[Any]:
        if self.reader is not None:
            raise PluginFailure(
                self.reader,
                self.hook,
                "read the requests, then returned None and left them to the next plugin: return None "
                "before reading them, or change the results with a wrapper",
            )
        module = sys._getframe(1).f_globals.get("__name__", "")
        self.reader = next(
            (p for m, p in self.modules.items() if module == m or module.startswith(m + ".")), self.owner
        )
        return self.requests


def switched(session: Session, request: RowsRequest) -> RowsRequest:
    """The request as the command's switches make it: `flights triage --checklist` is `flights checklist`."""
    for flag, other in session.command_spec(request.command).switch.items():
        if request.options.get(flag):
            options = {k: v for k, v in request.options.items() if k != flag}
            return request._replace(
                command=other, input=None, flags={}, options=options, switched_from=(flag, request.input)
            )
    return request


def typed_options(spec: CommandSpec, given: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A command's own options as the plugin reads them: typed as its `Field`s say, defaults filled.

    A bad value is a usage error (exit 2) naming the flag: `--at must be a date and time…`.
    """
    if not spec.options:
        return dict(given)
    from bizops.core.requests import compile_fields
    from bizops.core.values import BadValue

    known = {option.name for option in spec.options}
    try:
        return compile_fields(spec.options, now)({k: v for k, v in given.items() if k in known and v is not None})
    except BadValue as exc:
        reason = exc.reason
        raise UsageError(Text(f"--{reason}", f"--{getattr(reason, 'zh', reason)}")) from None


def execute(session: Session, request: RowsRequest, process: Process | None = None, plugin: str | None = None) -> int:
    """Run a row command and return its exit code (errors above 65 raise instead).

    `process` and `plugin` replace the command's own (`bizops check` keeps the results it returns).
    """
    request = switched(session, request)
    spec = session.command_spec(request.command)
    use_exact_context()
    company = session.company
    policy = session.policy
    lang, fmt = session.lang, session.output_format
    now = session.now(request.now)
    options = typed_options(spec, request.options, now)
    if process is None:
        process = hook_process(session, request.command)
    columns = output_columns(spec, options)
    viewed = spec.columns(options) is not spec.outputs  # `--by customer`: `essential` names the outputs' columns
    single = request.input is None
    labels = {**company.labels, **spec.labels}
    writer = make_writer(
        fmt,
        session.stdout,
        columns,
        lang=lang,
        explain=session.explain,
        labels=labels,
        single=single,
        tty=session.tty,
        **people_options(session, None if viewed else spec),
    )
    sink = Sink(writer, Encoder(columns, session.explain), company.name, lang)
    # A recorded row's trace is made when `ledger show` asks (`ledger.explain`), not while recording;
    # an aggregate's (a month's scorecard) needs every event of the run, so it is recorded with the run.
    context = Context(
        company=company,
        now=now,
        lang=lang,
        explain=session.explain or (request.record and spec.aggregate),
        record=request.record,
        options=options,
        history_factory=session.history_factory,
        warn=sink.warn,
    )
    host = session.host
    hook = CORE_COMMANDS.get(request.command)
    names = InputNames(spec.inputs, spec.outputs, session.column_names) if request.input is not None else None
    job = Job(
        company=company.name,
        command=request.command,
        spec=spec,
        columns=columns,
        process=lambda requests: process(requests, policy, context),
        hook=hook or request.command,
        plugin=plugin or (host.answering(hook, company.name) if hook else host.plugin_of(company.name)),
        plugin_modules=host.modules(),
        now=now,
        names=names,
    )
    recorder = None
    if request.amend and not (request.record and spec.identity):
        raise UsageError(_amend_needs(request.command, spec, request.record))
    if request.record:  # rows decided and stored in ledger transactions; printed once committed
        from bizops.core.ledger.record import Recorder

        recorder = Recorder(
            session,
            job,
            context,
            policy,
            amend=request.amend,
            flush=writer.out.flush,
            writer_process=_writer_process(request),
        )
        job = job._replace(process=recorder.wrap(job.process))
    if request.switched_from and request.switched_from[1] is not None:
        flag, unread = request.switched_from
        sink.warn(msg("--{o} reads no input; {f} was not read", "--{o} 不读取输入；未读取 {f}", o=flag, f=unread))
    layout = Layout(names, request.header_row, request.sheet)
    if recorder is not None:
        return _recording(recorder, job, request, sink, writer, session, layout)
    opened = open_rows(request, layout, sink.warn)
    with opened as (reader, rows), watched(opened.stream, sink, session):
        if hasattr(reader, "blocks") and _parallel(spec, request, fmt, session.tty):  # a JSON array is one piece
            from bizops.core.parallel import job_count, run_parallel

            processes = job_count(request.jobs)
            if processes > 1:
                writer_args = {
                    "fmt": fmt,
                    "lang": lang,
                    "explain": session.explain,
                    "labels": labels,
                    "single": False,
                    "tty": False,
                    "select": session.options.columns,
                }
                run_parallel(job, reader, context, sink, processes, writer_args)
                writer.close()
                return sink.exit_code()
        run(job, rows, sink, exact=getattr(reader, "exact", None))
        writer.close()
    return sink.exit_code()


def _recording(recorder, job: Job, request: RowsRequest, sink: Sink, writer, session: Session, layout: Layout) -> int:
    """Run a `--record` job; whatever ends it early, the recorder says what the ledger holds (see its `stopped`)."""
    from bizops.core.ledger.record import input_ready

    opened = open_rows(request, layout, sink.warn)
    try:
        with opened as (reader, rows), watched(opened.stream, sink, session):
            if opened.stream is not None:
                recorder.ready = input_ready(opened.stream)
            run(job, rows, sink, exact=getattr(reader, "exact", None))  # a hook that gives no answer is its failure
            writer.close()
    except BaseException as exc:
        if not isinstance(exc, OSError):  # the results recorded so far are printed (a table waits for its end)
            with contextlib.suppress(Exception):
                writer.close()
        error = recorder.stopped(exc, session.lang, sys.stderr)
        if error is exc:
            raise
        raise error from None
    return sink.exit_code()


def _amend_needs(command: str, spec: CommandSpec, record: bool):
    if not record:
        return msg(
            "--amend corrects recorded decisions: use it with --record",
            "--amend 用于更正已记录的决定：请与 --record 一起使用",
        )
    return msg(
        "--amend needs a request id, and {c} has none: correct a decision with bizops ledger reverse ID",
        "--amend 需要请求编号，{c} 没有：请用 bizops ledger reverse 编号 更正",
        c=command,
    )


def people_options(session: Session, spec: CommandSpec | None = None, titled: tuple[str, ...] = ("company",)) -> dict:
    """What the writers need beyond the format: `--columns`, `--bom`, the spec's essential
    columns, the columns of one value by construction, the terminal's width."""
    options = session.options
    return {
        "select": getattr(options, "columns", None),
        "essential": spec.essential if spec is not None else (),
        "titled": titled,
        "bom": bool(getattr(options, "bom", None)),
        "width": session.width,
    }


def watched(stream: Any, sink: Sink, session: Session) -> Any:
    """The run's progress on stderr (`bizops.core.progress`), only when stderr is a terminal the results
    do not go to: nothing is imported or started otherwise."""
    try:
        shown = stream is not None and not session.tty and sys.stderr.isatty()
    except (AttributeError, ValueError):
        shown = False
    if not shown:
        return contextlib.nullcontext()
    from bizops.core.progress import Progress

    return Progress(stream, sink, session.lang)


def _parallel(spec: CommandSpec, request: RowsRequest, fmt: str, tty: bool) -> bool:
    """Whether rows may be decided in worker processes (see `bizops.core.parallel`).

    Not when a person types the rows or watches them come (a terminal on
    either side): workers take a megabyte of input before the first answer.
    """
    typed = request.input == "-" and getattr(sys.stdin, "isatty", lambda: False)()
    return (
        not spec.aggregate
        and spec.parallel
        and not spec.group_by
        and not request.record
        and not tty
        and not typed
        and fmt in STREAMING_FORMATS
        and request.jobs != "1"
        and not request.flags
        and can_fork()
    )


def _writer_process(request: RowsRequest) -> bool:
    """Whether a recorded stream's SQLite statements run in a second process (`ledger.sqlite_writer`).

    Rows from a file or a pipe, where there are many: not one row given as
    flags (a fork for nothing), nor under `--jobs 1` (one process, asked for).
    """
    return request.input is not None and request.jobs != "1" and can_fork()


def can_fork() -> bool:
    """Whether this platform forks (`--jobs` workers, the SQLite writer process). Asked here rather than of
    `multiprocessing`: importing it and `bizops.core.parallel` cost a recording run 5 ms it has no use for."""
    return hasattr(os, "fork")


class open_rows:
    """The request rows: one from flags, or a stream from a file or stdin.

    Entering gives `(reader, rows)`: the reader (None for flags), whose
    `records()`/`parse()` `--jobs` splits across processes, and its rows.
    `layout` says how a table's header is found and read; `warn` is told of
    what was guessed about the input (an encoding).
    """

    def __init__(self, request: RowsRequest, layout: Layout | None = None, warn: Callable | None = None):
        self.request = request
        self.layout = layout
        self.warn = warn
        self.handle = None
        self.stream = None  # the input's bytes (None for flags): `--record` asks whether more are ready

    def __enter__(self):
        request = self.request
        if request.input is None:
            return None, iter([(1, dict(request.flags))])
        if request.input_format and request.input_format not in INPUT_FORMATS:
            raise UsageError(
                msg(
                    "--input-format must be one of {a}, got {v!r}",
                    "--input-format 必须是 {a} 之一，实际为 {v!r}",
                    a=", ".join(INPUT_FORMATS),
                    v=request.input_format,
                )
            )
        if request.encoding:
            import codecs

            try:
                codecs.lookup(request.encoding)
            except LookupError:
                raise UsageError(msg("unknown encoding {e!r}", "未知编码 {e!r}", e=request.encoding)) from None
        if request.header_row is not None and request.header_row < 1:
            raise UsageError(
                msg("--header-row must be ≥ 1, got {v}", "--header-row 不能小于 1，实际为 {v}", v=request.header_row)
            )
        if request.input == "-":
            stream = sys.stdin.buffer
        else:
            try:
                # 64 KiB buffered: the first 64 KiB decide the encoding (see `bizops.core.readers.open_input`)
                stream = self.handle = open(request.input, "rb", buffering=1 << 16)
            except OSError as exc:
                raise InputMissing(
                    msg("{f}: cannot read input: {e}", "{f}：无法读取输入：{e}", f=request.input, e=os_reason(exc))
                ) from None
        self.stream = stream
        reader = open_input(stream, request.input, request.input_format, request.encoding, self.layout, self.warn)
        rows = iter(reader)
        if request.flags:
            rows = _with_defaults(rows, request.flags)
        return reader, rows

    def __exit__(self, *exc):
        if self.handle is not None:
            self.handle.close()


def _with_defaults(rows, defaults: dict):
    """Flags given beside an input file fill the fields its rows leave empty."""
    for item in rows:
        if type(item) is tuple:
            raw = item[1]
            for name, value in defaults.items():
                if raw.get(name) in (None, ""):
                    raw[name] = value
        yield item


def emit(session: Session, columns: tuple[Column, ...], results: Iterable[dict], labels: dict | None = None) -> None:
    """Write plain result dicts (not from a hook) in the session's format."""
    writer = make_writer(
        session.output_format,
        session.stdout,
        columns,
        lang=session.lang,
        explain=False,
        labels=labels or {},
        single=False,
        tty=session.tty,
        **people_options(session, titled=()),
    )
    encode = Encoder(columns, False, answers=False)  # bizops' own rows: nothing to hold a plugin to
    for result in results:
        writer.write(encode(result), result)
    writer.close()
