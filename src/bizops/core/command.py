"""Running one row command end to end: input, hook, output, exit code.

Used by the core commands (`quote`, `approve-order`, `expense …`, `score`) and
by plugin commands built with `bizops.api.rows_command`; the difference is only
where `process` comes from (a hook, or the plugin's own function).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from bizops.core.context import Context
from bizops.core.encoder import Encoder
from bizops.core.errors import InputMissing, UsageError
from bizops.core.formats import INPUT_FORMATS, STREAMING_FORMATS
from bizops.core.i18n import msg
from bizops.core.money import use_exact_context
from bizops.core.readers import format_for, is_utf16, open_reader, utf16_as_utf8
from bizops.core.schema import Column, CommandSpec
from bizops.core.session import CORE_COMMANDS, Session
from bizops.core.stream import Job, Sink, run
from bizops.core.writers import make_writer

Process = Callable[[Iterable, Any, Context], Iterable | None]


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


def output_columns(spec: CommandSpec) -> tuple[Column, ...]:
    """The spec's columns, with `company` first and `warnings` last if it left them out."""
    columns = list(spec.outputs)
    names = {c.name for c in columns}
    if "company" not in names:
        columns.insert(0, Column("company", "text", zh="公司", en="company"))
    if "warnings" not in names:
        columns.append(Column("warnings", "texts", zh="提示", en="warnings"))
    return tuple(columns)


def hook_process(session: Session, command: str) -> Process:
    """`process` for a core command: the company's hook, called once per stream."""
    hook_name = CORE_COMMANDS[command]
    hook = getattr(session.host.pm.hook, hook_name)
    company = session.company.name
    if command.startswith("expense "):
        kind = command.split(" ", 1)[1]
        return lambda requests, policy, context: hook(
            company=company, kind=kind, requests=requests, policy=policy, context=context
        )
    if command == "score":
        return lambda requests, policy, context: hook(company=company, events=requests, policy=policy, context=context)
    return lambda requests, policy, context: hook(company=company, requests=requests, policy=policy, context=context)


def execute(session: Session, request: RowsRequest, process: Process | None = None, plugin: str | None = None) -> int:
    """Run a row command and return its exit code (errors above 65 raise instead)."""
    spec = session.command_spec(request.command)
    use_exact_context()
    company = session.company
    policy = session.policy
    lang, fmt = session.lang, session.output_format
    if process is None:
        process = hook_process(session, request.command)
    columns = output_columns(spec)
    now = session.now(request.now)
    single = request.input is None
    writer = make_writer(
        fmt,
        session.stdout,
        columns,
        lang=lang,
        explain=session.explain,
        labels=company.labels,
        single=single,
        tty=session.tty,
    )
    sink = Sink(writer, Encoder(columns, session.explain), company.name, lang)
    # Under --record the trace is always built: `bizops ledger show` explains any past decision.
    context = Context(
        company=company,
        now=now,
        lang=lang,
        explain=session.explain or request.record,
        record=request.record,
        options=request.options,
        history_factory=session.history_factory,
        warn=sink.warn,
    )
    host = session.host
    job = Job(
        company=company.name,
        command=request.command,
        spec=spec,
        columns=columns,
        process=lambda requests: process(requests, policy, context),
        hook=CORE_COMMANDS.get(request.command, request.command),
        plugin=plugin or host.plugin_of(company.name),
        plugin_modules={getattr(p.module, "__name__", name): name for name, p in host.loaded.items()},
        now=now,
    )
    recorder = None
    if request.amend and not (request.record and spec.identity):
        raise UsageError(_amend_needs(request.command, spec, request.record))
    if request.record:  # rows decided and stored in ledger transactions; printed once committed
        from bizops.core.ledger.record import Recorder

        recorder = Recorder(session, job, context, policy, amend=request.amend, flush=writer.out.flush)
        job = job._replace(process=recorder.wrap(job.process))
    if request.switched_from and request.switched_from[1] is not None:
        flag, unread = request.switched_from
        sink.warn(msg("--{o} reads no input; {f} was not read", "--{o} 不读取输入；未读取 {f}", o=flag, f=unread))
    if recorder is not None:
        return _recording(recorder, job, request, sink, writer, session)
    with open_rows(request) as (reader, rows):
        if hasattr(reader, "blocks") and _parallel(spec, request, fmt, session.tty):  # a JSON array is one piece
            from bizops.core.parallel import job_count, run_parallel

            processes = job_count(request.jobs)
            if processes > 1:
                writer_args = {
                    "fmt": fmt,
                    "lang": lang,
                    "explain": session.explain,
                    "labels": company.labels,
                    "single": False,
                    "tty": False,
                }
                run_parallel(job, reader, context, sink, processes, writer_args)
                writer.close()
                return sink.exit_code()
        if run(job, rows, sink, exact=getattr(reader, "exact", None)) is None:  # no hook answered
            raise session.unavailable(request.command)
        writer.close()
    return sink.exit_code()


def _recording(recorder, job: Job, request: RowsRequest, sink: Sink, writer, session: Session) -> int:
    """Run a `--record` job; whatever ends it early, the recorder says what the ledger holds (see its `stopped`)."""
    from bizops.core.ledger.record import input_ready

    opened = open_rows(request)
    try:
        with opened as (reader, rows):
            if opened.stream is not None:
                recorder.ready = input_ready(opened.stream)
            answered = run(job, rows, sink, exact=getattr(reader, "exact", None))  # type: ignore[func-returns-value]
            if answered is None:  # no hook answered
                raise session.unavailable(request.command)
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


def _parallel(spec: CommandSpec, request: RowsRequest, fmt: str, tty: bool) -> bool:
    """Whether rows may be decided in worker processes (see `bizops.core.parallel`).

    Not when a person types the rows or watches them come (a terminal on
    either side): workers take a megabyte of input before the first answer.
    """
    from bizops.core.parallel import can_fork

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


class open_rows:
    """The request rows: one from flags, or a stream from a file or stdin.

    Entering gives `(reader, rows)`: the reader (None for flags), whose
    `records()`/`parse()` `--jobs` splits across processes, and its rows.
    """

    def __init__(self, request: RowsRequest):
        self.request = request
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
        if request.input == "-":
            stream = sys.stdin.buffer
        else:
            try:
                stream = self.handle = open(request.input, "rb")
            except OSError as exc:
                raise InputMissing(
                    msg("{f}: cannot read input: {e}", "{f}：无法读取输入：{e}", f=request.input, e=exc.strerror or exc)
                ) from None
        self.stream = stream
        head = stream.peek(512)[:512] if hasattr(stream, "peek") else b""
        encoding = request.encoding
        if is_utf16(head, encoding):
            stream, encoding = utf16_as_utf8(stream, encoding), None
            head = stream.peek(512)[:512]
        fmt = format_for(request.input, request.input_format, head)
        reader = open_reader(stream, fmt, encoding)
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
    )
    encode = Encoder(columns, False)
    for result in results:
        writer.write(encode(result), result)
    writer.close()
