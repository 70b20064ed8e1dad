"""`--record`: every decision stored in the ledger with what it wrote to history, at stream speed.

A decision command (one result per row) records its rows in batches, one
transaction each (`books.Books`): take the company's write lock, decide the
rows one by one (the plugin's history reads and writes go through the
transaction, so a later row sees every earlier one), store each decision,
commit, and only then hand the batch's results on to be printed. What was
printed is in the ledger, whenever the run ends; a row is never half
recorded (an invalid row, or a row whose result cannot be stored, is undone
alone, as a savepoint would). A batch is committed after `BATCH` rows or
`SECONDS`, or as soon as the input has no row ready (a person typing, a slow
pipe: the lock is never held while waiting for input), and it starts small
(1, 2, 4, … rows) so the first results show at once and a broken output
(`> /dev/full`) costs as little as possible. A batch that meets a
serialisation failure is run again, up to `RETRIES` times, invisibly.

Rows are read and checked before their batch starts, outside the lock, so
concurrent writers hold it only to decide and store.

With a request id (`replay`): a row already recorded with the same inputs
is shown as recorded and not recorded again; with other inputs it is
refused, or with `--amend` the recorded decision is reversed and the row
recorded in its place, in one transaction.

An aggregate command (score) runs in one transaction and stores one decision
per output row. Entries written before an output row is returned belong to
that row (a plugin sets a scorecard's history just before yielding it);
entries written after the last row belong to the last one. Each decision's
inputs are the events that agree with it on the text fields both carry
(`person`, …): an aggregate's numbers are sums, not keys. With event ids the
run is the unit: all of its events recorded before with the same inputs
shows the recorded scorecards again; any other set is scored and recorded.

Whatever ends a run early, `stopped` says on stderr how many rows were
recorded and where to resume (`Tally`).
"""

from __future__ import annotations

import getpass
import random
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from bizops import __version__
from bizops.core.encoder import BadOutput, Encoder
from bizops.core.errors import BizopsError, LedgerBusy, LedgerError, OutputError, RowError
from bizops.core.i18n import Text, msg, render
from bizops.core.ledger import codec, open_ledger
from bizops.core.ledger.books import Books
from bizops.core.ledger.history import RecordingHistory, customer_name
from bizops.core.ledger.replay import Identity, recorded_result, refusal
from bizops.core.ledger.store import RUN_PREFIX, Conflict, Known
from bizops.core.outcomes import RowMap
from bizops.core.values import format_datetime

#: A batch is committed after this many rows …
BATCH = 512
#: … or after this many seconds, whichever comes first.
SECONDS = 0.2
#: Times a batch is run again after a serialisation failure before the run gives up (exit 75).
RETRIES = 8

_END = object()


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def current_host() -> str:
    try:
        return socket.gethostname() or "unknown"
    except OSError:
        return "unknown"


def recorded_at() -> str:
    """The wall clock with its UTC offset: offices sharing a ledger may sit in different zones."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Tally:
    """What a run recorded so far: enough to say, whenever it ends, what is in the ledger."""

    def __init__(self) -> None:
        self.recorded = 0  # decisions committed
        self.without_id = 0  # … of which carry no request id (recording them again would count them twice)
        self.replayed = 0  # rows recognised as recorded before
        self.first: Any = None  # the rows of the first and last recorded decisions
        self.last: Any = None
        self.committed = 0  # results whose transaction committed …
        self.shown = 0  # … handed to the writer (a table prints them when the run stops) …
        self.delivered = 0  # … and written out (flushed), what survives an output that fails
        self.pending: Any = None  # the first row of the batch in progress (not committed)
        self.unsure: tuple | None = None  # the rows of a batch whose COMMIT got no answer (a lost server)
        self.complete = False  # every input row was read and dealt with
        self.started = False  # a transaction was begun


class Recorder:
    """Opens the ledger for writing (creating it) and wraps a job's `process` to record."""

    def __init__(self, session, job, context, policy, *, amend: bool = False, flush: Callable | None = None):
        self.ledger = open_ledger(session.ledger_source, write=True)
        self.company, self.command = job.company, job.command
        self.books = Books(self.ledger, job.company)
        self.history = RecordingHistory(self.books)
        context.history_factory = lambda: self.history
        self.spec, self.columns = job.spec, job.columns
        self.identity = Identity(job.spec, context.now)
        self.amend = amend
        self.warn = context.warn
        self.flush_output = flush or (lambda: None)
        #: Whether the input has a row ready without waiting (`input_ready`); set once the input is open.
        self.ready: Callable[[], bool] = lambda: True
        self.encode = Encoder(job.columns, False)  # the trace: `_plain_trace`
        #: The output columns that may hold bilingual text (the others are the same in both languages).
        self.textual = [c.name for c in job.columns if c.kind in ("text", "enum", "texts", "records", "json")] + [
            "trace"
        ]
        self.tally = Tally()
        self.by = {"user_name": current_user(), "host": current_host()}
        self.meta = {
            "company": job.company,
            "command": job.command,
            "decided_at": format_datetime(context.now),
            "plugin": job.plugin,
            "plugin_version": session.company.version,
            "bizops_version": __version__,
            "policy_fingerprint": policy.fingerprint,
            "reverses": None,
            **self.by,
        }
        self._rest: Iterator = iter(())  # the input not yet read, to tell at a stop whether any was left

    def wrap(self, process: Callable[[Iterator], Iterable | None]) -> Callable[[Iterator], Iterable | None]:
        def recording(requests):
            if self.spec.aggregate:
                return self._aggregate(process, iter(requests))
            return self._rows(process, iter(requests))

        return recording

    def close(self) -> None:
        self.ledger.close()

    # -- decision commands: batches of rows ----------------------------------------------------
    def _rows(self, process, requests: Iterator) -> Iterable | None:
        first = next(requests, _END)
        if first is _END:
            self.close()
            self.tally.complete = True
            return process(iter(()))  # nothing to record; still says whether a hook answers
        decide = _decider(process)
        if decide is None:
            self.close()
            return None
        self._rest = requests
        return self._batches(decide, first, requests)

    def _batches(self, decide, first, requests: Iterator) -> Iterator:
        tally, size, held, more, prepare = self.tally, 1, [self._prepare(first)], True, self._prepare
        try:
            while held:
                while more and len(held) < size and self.ready():
                    item = next(requests, _END)
                    if item is _END:
                        more = False
                    else:
                        held.append(prepare(item))
                outcomes, held, failure = self._batch(decide, held)
                self._rest = _chain(held, requests)
                for outcome in outcomes:
                    yield outcome  # printed only now: its transaction committed
                    tally.shown += 1
                self._flush()
                tally.delivered = tally.committed
                if failure is not None:
                    raise failure
                size = min(size * 2, BATCH)
                if not held and more:
                    item = next(requests, _END)  # waits for input outside any transaction
                    if item is _END:
                        more = False
                    else:
                        held = [prepare(item)]
            tally.complete = True
            self._summary()
        finally:
            self.close()

    def _flush(self) -> None:
        """The batch's results out of the buffer: what the output refuses is not the plugin's failure."""
        try:
            self.flush_output()
        except OSError as exc:
            raise OutputFailed(exc) from exc

    def _prepare(self, request: tuple) -> tuple:
        """A row as its batch needs it, worked out before the batch takes the lock: (request, id, inputs, digest)."""
        identity = self.identity
        request_id = identity.of(request[1])
        inputs = codec.plain(request[1])
        return request, request_id, inputs, identity.digest(inputs) if request_id else None

    def _batch(self, decide, rows: list) -> tuple[list, list, BaseException | None]:
        """Decide and record a batch of prepared rows; returns its outcomes, the rows left, a plugin failure."""
        self.tally.started = True
        self.tally.pending = rows[0][0][0]
        for attempt in range(RETRIES):
            try:
                return self._attempt(decide, rows)
            except Conflict:
                time.sleep(random.uniform(0, 0.005 * 2**attempt))  # the other writer goes first
        return self._attempt(decide, rows)  # the last try: a conflict now ends the run (exit 75)

    def _attempt(self, decide, rows: list) -> tuple[list, list, BaseException | None]:
        books, tally = self.books, self.tally
        books.begin()
        try:
            self.meta["recorded_at"] = recorded_at()
            known = books.known(self.command, [p[1] for p in rows if p[1]])
            outcomes: list = []
            failure, started, done = None, time.monotonic(), 0
            recorded, without_id, first, last = 0, 0, None, None
            for request in rows:
                if done and time.monotonic() - started > SECONDS:
                    break
                done += 1
                answer, stored, stop = self._row(decide, request, known)
                if isinstance(stop, BaseException):
                    failure = stop
                outcomes.extend(answer)
                if stored is not None:
                    recorded += 1
                    without_id += not stored
                    first = request[0][0] if first is None else first
                    last = request[0][0]
                if stop:
                    break
            self._commit(rows[0][0][0], last if last is not None else rows[done - 1][0][0])
        except BaseException:
            books.rollback()
            raise
        tally.recorded += recorded
        tally.without_id += without_id
        if first is not None:
            tally.first = tally.first if tally.first is not None else first
            tally.last = last
        tally.committed += len(outcomes)
        tally.pending = None
        return outcomes, rows[done:], failure

    def _commit(self, first_row, last_row) -> None:
        try:
            self.books.commit()
        except BizopsError as exc:  # the server went away during COMMIT: it may or may not have happened
            if exc.exit_code == 69:
                self.tally.unsure = (first_row, last_row)
            raise

    def _row(self, decide, prepared: tuple, known: dict) -> tuple[list, bool | None, Any]:
        """One row: its outcomes; True/False when recorded with/without an id, None when not; whether to stop.

        The batch stops after a row when the plugin failed (the exception) or
        answered what cannot be recorded (True): the stream reports it, and
        nothing after it is decided.
        """
        books, identity = self.books, self.identity
        request, request_id, inputs, digest = prepared
        row, fields = request
        found = known.get(request_id) if request_id else None
        if found is not None:
            if found.decision_id < 0:  # recorded earlier in this batch: written now, so it has its real id to show
                books.flush()
            if found.digest == digest:
                self.tally.replayed += 1
                return [recorded_result(found, self.columns)], None, False
            if not self.amend:
                return [refusal(self.columns, identity.field, request_id, fields, found)], None, False
            return self._amend(decide, request, inputs, request_id, digest, found, known)
        books.start_row()
        try:
            answer = decide(request)
        except (BizopsError, KeyboardInterrupt):
            raise
        except Exception as exc:  # the plugin failed: the rows before are recorded and shown, then the stream says so
            books.undo_row()
            return [], None, exc
        if len(answer) == 1 and type(answer[0]) is dict:
            if self._store(row, fields, inputs, answer[0], request_id, digest):
                books.keep_row()
                if request_id:
                    known[request_id] = books.identities[self.command, request_id]
                return answer, request_id is not None, False
            books.undo_row()
            return answer, None, True
        books.undo_row()  # an invalid row records nothing; anything else the stream reports
        return answer, None, not (len(answer) == 1 and isinstance(answer[0], RowError))

    def _amend(self, decide, request, inputs, request_id, digest, found: Known, known: dict):
        """--amend: reverse the recorded decision and record the row in its place, all or nothing."""
        row, fields = request
        answer: list = []
        try:
            with self.books.savepoint():
                reversal = self.books.reverse(
                    found.decision_id,
                    f"--amend: {self.identity.field} {request_id} recorded again (row {row})",
                    self.meta["decided_at"],
                    dict(self.by, recorded_at=self.meta["recorded_at"]),
                )
                self.books.start_row()
                answer = decide(request)
                if not (len(answer) == 1 and type(answer[0]) is dict):
                    raise _Undo
                answer[0]["warnings"] = list(answer[0].get("warnings") or []) + [_amended(reversal)]
                if not self._store(row, fields, inputs, answer[0], request_id, digest):
                    raise _Undo
                self.books.keep_row()
        except _Undo:
            return answer, None, not (len(answer) == 1 and isinstance(answer[0], RowError))
        known[request_id] = self.books.identities[self.command, request_id]
        return answer, True, False

    # -- storing ------------------------------------------------------------------------
    def _store(self, row, fields: dict, inputs: dict, result: dict, request_id, digest, identities=None) -> bool:
        """Store one decision; False when its result cannot be written (the stream reports it)."""
        if "company" not in result:
            result["company"] = self.company
        if result.get("warnings") is None:
            result["warnings"] = []
        try:
            outputs = self.encode(result)
            outputs["trace"] = _plain_trace(result.get("trace"))
        except (BadOutput, codec.NotStorable, TypeError):
            return False
        # Kept in the order the command declares them, as `ledger show` prints them.
        inputs_text, outputs_text = codec.dumps(inputs, sort=False), codec.dumps(outputs, sort=False)
        chinese = {}  # only what reads differently in Chinese: `codec.outputs` lays it over the English
        for name in self.textual:
            value = result.get(name)
            if value is not None and type(value) is not str:
                translated = _chinese(value, outputs[name])
                if translated != outputs[name]:
                    chinese[name] = translated
        decision = dict(
            self.meta,
            row_label=None if row is None else str(row),
            customer=customer_name(fields.get("customer")) or customer_name(result.get("customer")),
            status=outputs.get("status") if isinstance(outputs.get("status"), str) else None,
            inputs=inputs_text,
            outputs=outputs_text,
            outputs_zh=codec.dumps(chinese, sort=False) if chinese else None,
            request_id=request_id,
        )
        if identities is None:
            identities = [(request_id, digest)] if request_id else []
        books = self.books
        books.store(decision, books.row_entries, books.row_reads, identities)
        return True

    # -- aggregate commands: one transaction per run ------------------------------------------------
    def _aggregate(self, process, requests: Iterator) -> list | None:
        events = list(requests)  # read and checked first: whether the run is new is a question about all of it
        books, tally = self.books, self.tally
        books.begin()
        try:
            self.meta["recorded_at"] = recorded_at()
            events, run, ids, errors = self._run_identity(events)
            answer = self._recorded_run(ids) if run is not None else None
            recorded = 0
            if answer is None:
                answer, recorded = self._score(process, events, run, ids)
            if answer is None:
                books.rollback()
                return None
            books.commit()
        except BaseException:
            books.rollback()
            raise
        finally:
            self.close()
        tally.recorded += recorded
        tally.without_id += recorded if run is None else 0
        tally.complete = True
        self._summary()
        return errors + answer

    def _run_identity(self, events: list) -> tuple[list, str | None, list, list]:
        """The events to score, the run's key and (id, digest) pairs, and the events refused as repeats.

        An event repeating an earlier one's id with other inputs is a bad row;
        with the same inputs it counts once. An event without an id leaves
        the run without a key: it is recorded as events without ids are.
        """
        identity = self.identity
        if not identity.field or not events or any(identity.of(f) is None for _, f in events):
            return events, None, [], []
        seen: dict[str, tuple] = {}
        kept, ids, errors = [], [], []
        for row, fields in events:
            request_id = str(identity.of(fields))  # every event has one (checked above)
            digest = identity.digest(codec.plain(fields))
            if request_id in seen:
                if seen[request_id][1] != digest:
                    errors.append(
                        RowError(
                            msg(
                                "{f} {i} was given to row {o} with other inputs; give each event its own {f}",
                                "{f} {i} 已用于第 {o} 行且输入不同；每个事件须有自己的 {f}",
                                f=identity.field,
                                i=request_id,
                                o=seen[request_id][0],
                            ),
                            row,
                        )
                    )
                continue  # the same event twice counts once
            seen[request_id] = (row, digest)
            kept.append((row, fields))
            ids.append((request_id, digest))
        return kept, RUN_PREFIX + codec.digest(sorted(ids)), ids, errors

    def _recorded_run(self, ids: list) -> list | None:
        """Every event recorded before with the same inputs: the recorded scorecards again, nothing recorded."""
        known = self.books.known(self.command, [i for i, _ in ids])
        if len(known) != len(ids) or any(known[i].digest != d for i, d in ids):
            return None
        runs = list(dict.fromkeys(k.run for k in known.values() if k.run))
        decisions = [d for key in runs for d in self.ledger.run_decisions(self.company, self.command, key)]
        if not decisions:
            return None
        self.tally.replayed += len(decisions)
        return [
            recorded_result(
                Known(d["id"], None, d["outputs"], d["outputs_zh"], d["decided_at"], d["user_name"], d["request_id"]),
                self.columns,
            )
            for d in decisions
        ]

    def _score(self, process, events: list, run: str | None, ids: list) -> tuple[list | None, int]:
        """Score the run and record its scorecards; refused (shown, not recorded) if an id holds other inputs."""
        books = self.books
        conflicts = self._conflicts(ids)
        if conflicts and self.amend:
            self._reverse_runs(conflicts)
            conflicts = []
        books.start_row()
        answer = process(iter(events))
        if answer is None:
            return None, 0
        produced: list[tuple[Any, list]] = []
        for outcome in answer:
            if type(outcome) is dict:
                produced.append((outcome, books.row_entries))
                books.row_entries = []
            else:
                produced.append((outcome, []))
        results = [pair for pair in produced if type(pair[0]) is dict]
        if results:
            results[-1][1].extend(books.row_entries)
        outcomes = [outcome for outcome, _ in produced]
        if conflicts:
            books.undo_row()
            for result, _ in results:
                result["status"] = "refused"  # not a column of a scorecard: it makes the exit code 1
                result["warnings"] = list(result.get("warnings") or []) + [
                    _not_recorded(self.identity.field, conflicts)
                ]
            return outcomes, 0
        keys = [f.name for f in self.spec.inputs if f.kind in ("text", "enum", "date")]
        reads, identities = books.row_reads, list(ids)
        for result, entries in results:
            mine = _events_of(result, events, keys)
            books.row_entries, books.row_reads = entries, reads
            inputs = codec.plain({"events": [f for _, f in mine]})
            if not self._store(_rows_label(mine), {}, inputs, result, run, None, identities):
                books.undo_row()
                return outcomes, 0  # the stream reports the result that cannot be stored
            identities = []  # the run's events point at its first scorecard
        books.keep_row()
        return outcomes, len(results)

    def _conflicts(self, ids: list) -> list[tuple[str, Known]]:
        if not ids:
            return []
        known = self.books.known(self.command, [i for i, _ in ids])
        return [(i, known[i]) for i, d in ids if i in known and known[i].digest != d]

    def _reverse_runs(self, conflicts: list) -> None:
        """--amend for an aggregate: reverse every standing scorecard of the runs holding the conflicting events."""
        for decision_id in sorted({k.decision_id for _, k in conflicts}):
            run = self.ledger.decision(decision_id)["request_id"]
            for decision in self.ledger.run_decisions(self.company, self.command, run):
                self.books.reverse(
                    decision["id"],
                    f"--amend: {self.identity.field}s recorded again",
                    self.meta["decided_at"],
                    dict(self.by, recorded_at=self.meta["recorded_at"]),
                )

    # -- how the run ended ----------------------------------------------------------------------
    def _summary(self) -> None:
        """At the end of a run: what was recognised as recorded before, what carries no id."""
        tally, field = self.tally, self.identity.field
        if tally.replayed:
            self.warn(
                msg(
                    "{n} already recorded with the same inputs: shown as recorded, nothing recorded again",
                    "{n}已按相同输入记录过：按记录显示，未重复记录",
                    n=_rows(tally.replayed),
                )
            )
        if not tally.without_id:
            return
        them = Text("it", "它") if tally.without_id == 1 else Text("them", "它们")
        if field:
            self.warn(
                msg(
                    "{n} recorded without {f}: recording the same input again would record {t} again",
                    "{n}没有 {f} 就记录了：再次记录同一输入会重复记录{t}",
                    n=_rows(tally.without_id),
                    f=field,
                    t=them,
                )
            )
        else:
            self.warn(
                msg(
                    "{c} has no request id: recording the same input again would record {t} again",
                    "{c} 没有请求编号：再次记录同一输入会重复记录{t}",
                    c=self.command,
                    t=Text("this row", "这一行")
                    if tally.without_id == 1
                    else Text(f"these {tally.without_id} rows", f"这 {tally.without_id} 行"),
                )
            )

    def stopped(self, exc: BaseException, lang: str, err) -> BaseException:
        """A run ended early by `exc`: say on `err` what the ledger holds; returns what to raise (its exit code).

        A closed pipe after every row was recorded stays quiet (`| head -1`
        of a finished run). A busy ledger is exit 75 only when nothing was
        recorded or re-running the same input is safe (every recorded row
        has an id); otherwise 74, so a script does not run it again as it is.
        """
        tally = self.tally
        if isinstance(exc, OutputFailed):
            exc = exc.error
        if not tally.started:
            return exc  # it ended before recording began: its own message says all
        if isinstance(exc, BrokenPipeError) and not tally.unsure and tally.pending is None:
            tally.complete = tally.complete or next(self._rest, _END) is _END
            if tally.complete:
                return exc
        safe = bool(self.identity.field) and tally.without_id == 0
        lines = [
            msg(
                "recorded {n} (rows {a} to {b}) before the run stopped",
                "运行中止前已记录{n}（第 {a} 至 {b} 行）",
                n=_rows(tally.recorded),
                a=tally.first,
                b=tally.last,
            )
            if tally.recorded
            else msg("nothing was recorded", "未记录任何内容")
        ]
        if tally.unsure is not None:
            lines.append(
                msg(
                    "the connection was lost while committing rows {a} to {b}: they may or may not be recorded "
                    "(bizops ledger list shows which)",
                    "提交第 {a} 至 {b} 行时连接中断：这些行可能已记录，也可能没有（用 bizops ledger list 查看）",
                    a=tally.unsure[0],
                    b=tally.unsure[1],
                )
            )
        # An output that failed lost what was not flushed; otherwise what reached the writer is printed.
        printed = tally.delivered if isinstance(exc, OSError) else tally.shown
        if tally.committed > printed and tally.recorded:
            lines.append(
                msg(
                    "the results of the last {n} recorded were not printed",
                    "最后记录的 {n} 条结果未能输出",
                    n=min(tally.committed - printed, tally.recorded),
                )
            )
        if tally.recorded or tally.unsure:
            lines.append(self._resume(safe))
        for line in lines:
            _say(err, render(line, lang))
        if isinstance(exc, LedgerBusy) and tally.recorded and not safe:
            # 75 would tell a script to run the same input again, recording the rows above twice.
            return LedgerError(
                exc.message
                + msg(
                    "; rows were recorded before: running the same input again as it is would record them twice",
                    "；之前已有行被记录：原样重新运行会重复记录它们",
                )
            )
        if isinstance(exc, BrokenPipeError):
            return OutputError(msg("the output was closed before the run ended", "运行结束前输出已被关闭"))
        return exc

    def _resume(self, safe: bool) -> Text:
        tally = self.tally
        if safe:
            return msg(
                "running the same input again is safe: rows already recorded are shown, not recorded again",
                "可以原样重新运行：已记录的行只显示，不会重复记录",
            )
        if tally.pending is not None:
            return msg(
                "nothing from row {r} on was recorded: resume from row {r}",
                "第 {r} 行起均未记录：请从第 {r} 行继续",
                r=tally.pending,
            )
        return msg(
            "nothing after row {r} was recorded: resume after row {r}",
            "第 {r} 行之后均未记录：请从第 {r} 行之后继续",
            r=tally.last,
        )


class OutputFailed(OutputError):
    """Writing a batch's results failed (a closed pipe, a full disk): carried past the stream as what it is."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


class _Undo(Exception):
    """An amended row that cannot be recorded: its reversal is undone with it."""


def _chain(held: list, rest: Iterator) -> Iterator:
    yield from held
    yield from rest


def input_ready(stream) -> Callable[[], bool]:
    """Whether the input has bytes at hand (or its end): a batch is committed before waiting for more."""
    import select

    try:
        fd = stream.fileno()
        select.select([fd], [], [], 0)
    except (AttributeError, OSError, ValueError):
        return lambda: True
    return lambda: bool(select.select([fd], [], [], 0)[0])


def _decider(process) -> Callable[[tuple], list] | None:
    """How to decide one request: the plugin's per-row function (`map_rows`), else its hook with that one request.

    None when no plugin answers for the company.
    """
    probe: Iterator = iter(())
    answer = process(probe)
    if answer is None:
        return None
    if type(answer) is RowMap and answer.requests is probe:
        function = answer.decide

        def one(request: tuple) -> list:
            try:
                return [function(request[1])]
            except RowError as exc:
                exc.row = request[0]
                return [exc]

        return one
    return lambda request: list(process(iter((request,))) or ())


def _say(err, text: str) -> None:
    try:
        err.write(f"bizops: {text}\n")
        err.flush()
    except (OSError, ValueError):
        pass  # nobody reads stderr any more: the exit code still tells


def _rows(n: int) -> Text:
    return Text(f"{n} row" if n == 1 else f"{n} rows", f"{n} 行")


def _amended(reversal: dict) -> Text:
    text = msg(
        "replaces decision {o}, reversed by decision {r} (--amend)",
        "取代决定 {o}，已由决定 {r} 冲销（--amend）",
        o=reversal["reverses"],
        r=reversal["id"],
    )
    if reversal["used_by"]:
        text += msg(
            "; later decisions that used it: {d}",
            "；之后用到它的决定：{d}",
            d=", ".join(str(i) for i in reversal["used_by"]),
        )
    return text


def _not_recorded(field: str, conflicts: list) -> Text:
    (request_id, known), *_ = conflicts
    return msg(
        "not recorded: {f} {i} was recorded in decision {d} with other inputs; reverse it "
        "(bizops ledger reverse {d}) or record with --amend",
        "未记录：{f} {i} 已在决定 {d} 中以不同输入记录；请冲销（bizops ledger reverse {d}）或加 --amend 记录",
        f=field,
        i=request_id,
        d=known.decision_id,
    )


def _chinese(value: Any, encoded: Any) -> Any:
    """The Chinese twin of an encoded value: where the result held a bilingual `Text`, its Chinese.

    Walks the result beside its English encoding (already checked), so the
    Chinese needs no second encoding; plain text and numbers are taken as
    encoded, without a call each (a trace is a list of small dicts of text).
    """
    if isinstance(value, Text):
        return value.zh
    if type(encoded) is dict and isinstance(value, dict):
        return {k: _zh(value.get(k), v) for k, v in encoded.items()}
    if type(encoded) is list and isinstance(value, (list, tuple)):
        return [_zh(a, b) for a, b in zip(value, encoded)]
    return encoded


def _zh(value: Any, encoded: Any) -> Any:
    if type(value) is Text:
        return value.zh
    if type(encoded) is dict or type(encoded) is list:
        return _chinese(value, encoded)
    return encoded


def _plain_trace(trace: Any) -> list:
    """A result's trace in its JSON form: steps of text as they are (orjson writes `Text` as text), else `plain`."""
    if not trace:
        return []
    if type(trace) is list and all(
        type(step) is dict and all(isinstance(v, str) for v in step.values()) for step in trace
    ):
        return trace
    return codec.plain(trace)  # anything else is checked: no floats, no objects


def _events_of(result: dict, events: list[tuple], keys: list[str]) -> list[tuple]:
    """The events behind one aggregate row: those agreeing with it on every field both carry."""
    shared = [k for k in keys if k in result and k != "company"]
    if not shared:
        return events
    return [(row, f) for row, f in events if all(f.get(k) == result[k] for k in shared)]


def _rows_label(events: list[tuple]) -> str | None:
    rows = [str(row) for row, _ in events]
    if not rows:
        return None
    return rows[0] if len(rows) == 1 else f"{rows[0]}…{rows[-1]}"
