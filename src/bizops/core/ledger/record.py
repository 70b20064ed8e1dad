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
(1, 8, 64, … rows) so the first results show at once and a broken output
(`> /dev/full`) costs as little as possible. A batch that meets a
serialisation failure is run again, up to `RETRIES` times, invisibly.

Rows are read and checked before their batch starts, outside the lock, so
concurrent writers hold it only to decide and store.

With a request id (`replay`): a row already recorded with the same inputs
is shown as recorded and not recorded again; with other inputs it is
refused, or with `--amend` the recorded decision is reversed and the row
recorded in its place, in one transaction.

An aggregate command (score) records a whole run in one transaction
(`runs`). Whatever ends a run early, `Tally.stopped` says on stderr how many
rows were recorded and where to resume (`tally`).
"""

from __future__ import annotations

import gc
import getpass
import os
import random
import re
import socket
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from bizops import __version__
from bizops.core.encoder import BadOutput, Encoder
from bizops.core.errors import BizopsError, KeyTooLong, RowError
from bizops.core.i18n import Text, msg
from bizops.core.ledger import codec, open_ledger
from bizops.core.ledger.books import Books, decision_head
from bizops.core.ledger.history import RecordingHistory, customer_name
from bizops.core.ledger.replay import Identity, recorded_result, refusal
from bizops.core.ledger.schema import POLICIES_SINCE
from bizops.core.ledger.store import Conflict, Known
from bizops.core.ledger.tally import OutputFailed, Tally
from bizops.core.outcomes import Encoded, RowMap
from bizops.core.signals import held, hold, release, reset
from bizops.core.values import format_datetime

#: A batch is committed after this many rows …
BATCH = 4096
#: … or after this many seconds, whichever comes first …
SECONDS = 0.2
#: … each times this while other writers take turns at the lock: fewer, longer turns (docs/ledger.md, Speed).
SHARED = 2
#: Times a batch is run again after a serialisation failure before the run gives up (exit 75).
RETRIES = 8
#: The garbage collector passes after each batch is printed (`Recorder._collect`); amid a batch only once
#: this many more objects it tracks are alive (a plugin's garbage, 20–40 MB; Python's is 700).
YOUNG_LIMIT = 100_000

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


class Recorder:
    """Opens the ledger for writing (creating it) and wraps a job's `process` to record."""

    def __init__(
        self,
        session,
        job,
        context,
        policy,
        *,
        amend: bool = False,
        flush: Callable | None = None,
        writer_process: bool = False,
    ):
        self.ledger = open_ledger(session.ledger_source, write=True)
        if writer_process and self.ledger.backend.dialect == "sqlite":
            from bizops.core.ledger.sqlite_writer import SqliteWriter  # the statements beside the deciding

            self.ledger.backend = SqliteWriter(self.ledger.backend)
        self.company, self.command = job.company, job.command
        self.books = Books(self.ledger, job.company)
        self.history = RecordingHistory(self.books)
        context.history_factory = lambda: self.history
        self.spec, self.columns = job.spec, job.columns
        self.identity = Identity(job.spec, context.now)
        self.books.digest_of = self.identity.digest
        #: Whether a row's digest is made as it is prepared (in one process: from its plain inputs, cheapest);
        #: a writer process makes it from the stored inputs instead, off the deciding process.
        self.digest_here = not self.ledger.backend.streams
        #: Whether a decision's JSON (inputs, outputs) is kept as orjson's UTF-8 bytes: a writer process
        #: decodes it (`pending.as_text`), so this one neither decodes it nor pickles it back into UTF-8.
        self.json_bytes = self.ledger.backend.streams
        self.amend = amend
        self.warn = context.warn
        self.explain = context.explain
        self.flush_output = flush or (lambda: None)
        #: Whether the input has a row ready without waiting (`input_ready`); set once the input is open.
        self.ready: Callable[[], bool] = lambda: True
        # The trace: `_plain_trace`. `textual`: which values to keep the Chinese of (`store`).
        self.encode = Encoder(job.columns, False, textual=True)
        self.tally = Tally(self.identity.field, job.command)
        # The input and the rows read ahead of their batch (`_read_ahead`), with what reading them raised.
        self._requests: Iterator = iter(())
        self._ahead: deque = deque()
        self._ahead_error: BaseException | None = None
        self._want = 0
        self._thresholds: tuple | None = None  # the garbage collector's, while it passes after batches (`_batches`)
        self._passes = 0
        self._replayed = 0  # rows of the batch in progress shown as recorded before (counted once it commits)
        self.by = {"user_name": current_user(), "host": current_host()}
        # The policy is kept where the ledger has room for it (a ledger of schema 5 or later).
        self.policy_settings = policy.settings_text() if (self.ledger.version or 0) >= POLICIES_SINCE else None
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
        #: A row's decision fields (`books.decision_head`), made again with each transaction's time (`stamp`).
        self.head = decision_head(dict(self.meta, recorded_at=None))

    def wrap(self, process: Callable[[Iterator], Iterable | None]) -> Callable[[Iterator], Iterable | None]:
        def recording(requests):
            if self.spec.aggregate:
                from bizops.core.ledger.runs import record_run

                return record_run(self, process, iter(requests))
            return self._rows(process, iter(requests))

        return recording

    def close(self) -> None:
        reset()  # a run that ended inside a held step (the writer failed): later signals end what follows
        self.ledger.close()

    def stamp(self) -> None:
        """The time the transaction now begun records its decisions at; the policy they are made under kept."""
        self.meta["recorded_at"] = when = recorded_at()
        self.head = decision_head(self.meta)
        if self.policy_settings is not None:  # until a transaction keeping it commits: `ledger.explain` uses it
            self.ledger.keep_policy(self.company, self.meta["policy_fingerprint"], self.policy_settings, when)

    def stopped(self, exc: BaseException, lang: str, err) -> BaseException:
        """A run ended early by `exc`: see `Tally.stopped`."""
        return self.tally.stopped(exc, lang, err)

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
        self.tally.rest = requests
        return self._batches(decide, first, requests)

    def _batches(self, decide, first, requests: Iterator) -> Iterator:
        tally, size, held, more = self.tally, 1, [self._prepare(first)], True
        self._requests = requests
        # The garbage collector passes once a batch is printed (`_collect`), not amid it: its automatic passes
        # went over the batch's results, rows and decisions, held until the commit, again and again (7% of the
        # deciding process, measured); reference counting frees them once they are printed.
        if gc.isenabled():
            self._thresholds = gc.get_threshold()
            gc.set_threshold(YOUNG_LIMIT, 1000, 1000)
        try:
            while held:
                while more and len(held) < size and self.ready():
                    item = self._next_prepared()
                    if item is _END:
                        more = False
                    else:
                        held.append(item)
                # 1, 8, 64, … rows: the first results at once, full batches soon (each batch costs a commit the
                # run waits for: ×8 measured 3–9% faster than ×4); while other writers take turns at the lock,
                # longer batches (`SHARED`) mean fewer turns to wait for.
                size = min(size * 8, BATCH * SHARED if self.books.shared else BATCH)
                self._want = size if more else 0  # read ahead while a writer process commits (`_read_ahead`)
                outcomes, held, failure = self._batch(decide, held)
                tally.rest = _chain(held, self._ahead, requests)
                for outcome in outcomes:
                    hold()  # a signal waits until the writer has it and it is counted
                    yield outcome  # printed only now: its transaction committed
                    tally.shown += 1
                    release()
                outcomes = []  # printed: the batch's rows are freed before the collector passes (`_collect`)
                self._flush()
                tally.delivered = tally.committed
                if self._thresholds is not None:
                    self._collect()
                if failure is not None:
                    raise failure
                if not held and more:
                    item = self._next_prepared()  # waits for input outside any transaction
                    if item is _END:
                        more = False
                    else:
                        held = [item]
            tally.complete = True
            tally.summary(self.warn)
        finally:
            if self._thresholds is not None:
                gc.set_threshold(*self._thresholds)
            self.close()

    def _next_prepared(self) -> Any:
        """The next row, prepared (`_prepare`), or `_END`: what `_read_ahead` read first."""
        if self._ahead:
            return self._ahead.popleft()
        if self._ahead_error is not None:
            error, self._ahead_error = self._ahead_error, None
            raise error
        item = next(self._requests, _END)
        return item if item is _END else self._prepare(item)  # type: ignore[arg-type]

    def _read_ahead(self, answered: Callable[[], bool]) -> None:
        """While a writer process commits: read and prepare the next batch's rows, until it has answered.

        Work the next batch needs anyway, done while this process would
        wait. Whatever reading raises waits for its turn (`_next_prepared`),
        so the commit is counted first.
        """
        ahead, want = self._ahead, self._want
        try:
            while len(ahead) < want and not (ahead and ahead[-1] is _END) and self.ready():
                item = next(self._requests, _END)
                ahead.append(item if item is _END else self._prepare(item))  # type: ignore[arg-type]
                if len(ahead) % 32 == 0 and answered():
                    break
        except BaseException as exc:
            self._ahead_error = exc

    def _collect(self) -> None:
        """The garbage collector's pass after a batch is printed (`_batches`): the youngest objects, and every
        other pass those that outlived one, so a cycle made in a batch (a plugin's) is not left uncollected for
        long. Not while the commit is waited for: the batch is still held then, and the rows read ahead
        (`_read_ahead`) leave that wait short; a pass over what is left after printing (mostly those rows)
        took 2–3 ms where one over the held batch took 10–12."""
        self._passes += 1
        gc.collect(self._passes % 2)

    def _flush(self) -> None:
        """The batch's results out of the buffer: what the output refuses is not the plugin's failure."""
        try:
            self.flush_output()
        except OSError as exc:
            raise OutputFailed(exc) from exc

    def _prepare(self, request: tuple) -> tuple:
        """A row as its batch needs it, worked out before the batch takes the lock (with a writer process,
        often while it commits: `_read_ahead`).

        (request, id, its inputs as stored: JSON in the order the command declares them, digest, its
        customer as the ledger keys it, the row's error when its id or customer is too long to key).
        With a writer process the digest is None: worked out when its id is found (`_row`), else by the
        writer from the stored inputs (`pending.write_pending`).
        """
        identity, fields = self.identity, request[1]
        request_id = identity.of(fields)
        digest = identity.digest(codec.plain(fields)) if request_id and self.digest_here else None
        inputs = _json(codec.plain_json(fields, sort=False), self.json_bytes)
        customer = customer_name(fields.get("customer"))
        return request, request_id, inputs, digest, customer, self.too_long(request_id, fields)

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
        ids = [p[1] for p in rows if p[1]]
        ahead = books.look_ahead(self.command, ids)  # outside the lock other writers wait for
        books.begin()
        try:
            self.stamp()
            known = books.known_soon(self.command, ids, ahead)
            outcomes: list = []
            failure, started, done = None, time.monotonic(), 0
            limit = SECONDS * SHARED if books.shared else SECONDS
            recorded, without_id, first, last = 0, 0, None, None
            self._replayed = 0  # a batch run again counts its rows again
            for request in rows:
                if done and time.monotonic() - started > limit:
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
            with held():  # committed and counted together, whenever Ctrl-C comes
                self._commit(rows[0][0][0], last if last is not None else rows[done - 1][0][0])
                self.policy_settings = None  # kept now
                tally.recorded += recorded
                tally.without_id += without_id
                tally.replayed += self._replayed
                if first is not None:
                    tally.first = tally.first if tally.first is not None else first
                    tally.last = last
                tally.committed += len(outcomes)
                tally.pending = None
        except BaseException:
            books.rollback()
            raise
        return outcomes, rows[done:], failure

    def _commit(self, first_row, last_row) -> None:
        try:
            self.books.commit(self._read_ahead)
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
        row = prepared[0][0]
        too_long = prepared[5]
        if too_long is not None:
            return [too_long.at(row)], None, False
        try:
            answer, stored, stop = self._decided(decide, prepared, known)
        except KeyTooLong as exc:  # a name the plugin made (a history key, its result's customer), too long to key
            self.books.undo_row()
            answer, stored, stop = [exc.at(row)], None, False
        if stored is None and prepared[1] and known.get(prepared[1]) is None:
            self.books.unstored(prepared[1])  # its id found in no decision: asked again before the commit
        return answer, stored, stop

    def _decided(self, decide, prepared: tuple, known: dict) -> tuple[list, bool | None, Any]:
        books, identity = self.books, self.identity
        request, request_id, inputs, digest, customer, _ = prepared
        row, fields = request
        found = known.get(request_id) if request_id else None
        if found is not None:
            if found.decision_id < 0:  # recorded earlier in this batch: written now, so it has its real id to show
                books.flush()
            if digest is None:
                digest = identity.digest(codec.plain(fields))
            if found.digest is None:  # recorded earlier in this transaction
                found.digest = identity.digest(codec.plain_loads(found.inputs))
            if found.digest == digest or self._same_as_recorded(found, fields):
                self._replayed += 1
                return [recorded_result(found, self.columns, self.explain)], None, False
            if not self.amend:
                return [refusal(self.columns, identity.field, request_id, fields, found)], None, False
            return self._amend(decide, request, inputs, request_id, digest, found, known)
        books.start_row()
        try:
            answer = decide(request)
        except (BizopsError, KeyboardInterrupt, KeyTooLong):
            raise
        except Exception as exc:  # the plugin failed: the rows before are recorded and shown, then the stream says so
            books.undo_row()
            return [], None, exc
        if len(answer) == 1 and type(answer[0]) is dict:
            stored = self.store(row, fields, inputs, answer[0], request_id, digest, customer=customer)
            if stored is not None:
                books.keep_row()
                if request_id:
                    known[request_id] = books.identities[self.command, request_id]
                if not self.explain:  # printed as stored: not encoded a second time
                    answer = [stored]
                return answer, request_id is not None, False
            books.undo_row()
            return answer, None, True
        books.undo_row()  # an invalid row records nothing; anything else the stream reports
        return answer, None, not (len(answer) == 1 and isinstance(answer[0], RowError))

    def _same_as_recorded(self, found: Known, fields: dict) -> bool:
        """`Identity.same_inputs` against the recorded request, read back (a rare row: its digest differs)."""
        self.books.flush()  # a request recorded earlier in this transaction is then in it too
        recorded = self.ledger.decision(found.decision_id)
        inputs = codec.plain_loads(recorded["inputs"]) if recorded is not None else None
        return type(inputs) is dict and self.identity.same_inputs(inputs, fields)

    def too_long(self, request_id: str | None, fields: dict) -> RowError | None:
        """A request id or customer longer than the ledger keys by (`codec.KEY_LIMIT`): the row's error, on
        SQLite as on PostgreSQL (which cannot index it)."""
        customer = fields.get("customer")
        if request_id is not None and len(request_id) > codec.KEY_LIMIT:
            return codec.too_long(request_id, Text(self.identity.field))
        if type(customer) is str and len(customer) > codec.KEY_LIMIT:  # its spaces may still bring it within
            return codec.too_long(customer_name(customer) or "", codec.CUSTOMER)
        return None

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
                if self.store(row, fields, inputs, answer[0], request_id, digest) is None:
                    raise _Undo
                self.books.keep_row()
        except _Undo:
            return answer, None, not (len(answer) == 1 and isinstance(answer[0], RowError))
        known[request_id] = self.books.identities[self.command, request_id]
        return answer, True, False

    # -- storing ------------------------------------------------------------------------
    def store(
        self, row, fields: dict, inputs, result: dict, request_id, digest, identities=None, moved=False, customer=None
    ) -> Encoded | None:
        """Store one decision; returns the result with its outputs as encoded (and, without a trace, their
        JSON, which the stream writes as the row's line), None when they cannot be written (the stream
        reports it).

        `inputs` is the request as stored: JSON (`codec.dumps`, the command's order), text or, for a writer
        process, its UTF-8 bytes (`json_bytes`). `customer`: the request's, as `_prepare` keyed it; else
        the request's or the result's.
        """
        if result.setdefault("company", self.company) != self.company:
            return None  # an answer for another company: the stream reports it, nothing is stored
        if result.get("warnings") is None:
            result["warnings"] = []
        try:
            # `textual`: the columns whose value may read differently in Chinese (`Encoder`'s `textual`)
            encoded, textual = self.encode(result)
            outputs, trace = encoded, result.get("trace")
            if trace:  # built under --explain (or for a run): kept as shown; else `explain` makes it
                outputs = dict(encoded, trace=_plain_trace(trace))
                if type(trace) is not str:
                    textual.append("trace")
        except (BadOutput, codec.NotStorable, TypeError):
            return None
        # Kept in the order the command declares them, as `ledger show` prints them; bytes are what a JSON
        # line is written as, and what a writer process takes (`json_bytes`).
        outputs_json = codec.compact(codec.dumped(outputs, sort=False))
        chinese = {}  # only what reads differently in Chinese: `codec.outputs` lays it over the English
        for name in textual:
            value = result[name]
            if value is outputs[name] and name == "trace":  # steps of text kept as they are (`_plain_trace`)
                translated = [{k: v.zh if type(v) is Text else v for k, v in step.items()} for step in value]
            else:
                translated = _chinese(value, outputs[name])
            if translated != outputs[name]:
                chinese[name] = translated
        customer = customer or customer_name(fields.get("customer")) or customer_name(result.get("customer"))
        if customer is not None and len(customer) > codec.KEY_LIMIT:  # the plugin's (the input's: `too_long`)
            codec.short_key(customer, codec.CUSTOMER)
        status = outputs.get("status")
        head = self.head(
            None if row is None else str(row),
            customer,
            status if isinstance(status, str) else None,
            inputs,
            outputs_json if self.json_bytes else outputs_json.decode(),
            None if not chinese else _json(codec.dumped(chinese, sort=False), self.json_bytes),
        )
        if identities is None:
            identities = [(request_id, digest)] if request_id else []
        books = self.books
        books.store_head(head, request_id, books.row_entries, books.row_reads, identities, moved)
        return Encoded(result, encoded, outputs_json if outputs is encoded else None)


def _json(data: bytes, keep_bytes: bool) -> bytes | str:
    """JSON a decision keeps, as the backend takes it: bytes for a writer process (`Recorder.json_bytes`)."""
    return codec.compact(data) if keep_bytes else data.decode()


class _Undo(Exception):
    """An amended row that cannot be recorded: its reversal is undone with it."""


def _chain(*parts: Iterable) -> Iterator:
    for part in parts:
        yield from part


def input_ready(stream) -> Callable[[], bool]:
    """Whether the input has bytes at hand (or its end): a batch is committed before waiting for more."""
    import select

    try:
        fd = stream.fileno()
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return lambda: True  # a file has its next bytes at hand, or its end: no system call a row
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


#: The note `--amend` adds to the warnings of the row it records (not the plugin's: `explain` leaves it out).
AMEND_NOTE = re.compile(
    r"replaces decision \d+, reversed by decision \d+ \(--amend\)(; later decisions that used it: .*)?"
)


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
    if type(trace) is not list:
        return codec.plain(trace)
    for step in trace:  # plain loops: this runs for every recorded row
        if type(step) is not dict:
            return codec.plain(trace)  # anything else is checked: no floats, no objects
        for value in step.values():
            if not isinstance(value, str):
                return codec.plain(trace)
    return trace
