"""`--jobs`: a large stream decided on every core, written in input order.

The main process only cuts the input into pieces of about a megabyte, each
ending at a record boundary, and writes back what the workers return, in
order. Each worker process reads, validates, decides and encodes whole
pieces. Rows are numbered within a piece; the main process adds the rows of
the pieces before it, so every error names the row a user sees. At most two
pieces per worker are in flight, so memory stays flat however long the input.
Workers are forked after the plugin and policy are loaded, so they decide with
exactly the same rules.

Only decision commands (one result per row) run in parallel, without
`--record` and into a streaming format (jsonl, csv, tsv); anything else, or a
platform without fork, runs in one process.

Where pieces end is decided by the reader (`bizops.core.readers.pieces`), in
the same way as one process reads, so the rows, errors and exit code are those
of `--jobs 1`. `BIZOPS_JOBS_PIECE_BYTES` makes pieces smaller, for tests that
cut small inputs into many pieces.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import queue
import signal
import threading
from itertools import islice
from typing import Any

from bizops.core import guard
from bizops.core.encoder import Encoder
from bizops.core.errors import BizopsError, PluginFailure, RowError, UsageError
from bizops.core.i18n import msg
from bizops.core.requests import compile_fields
from bizops.core.stream import Job, Sink, run
from bizops.core.writers import make_writer

BLOCK_BYTES = 1 << 20  # a piece of input: a few thousand rows, a few milliseconds of a worker's time

_work: Any = None  # (job, reader, context, …): set in the parent before forking; each worker reads its copy


def job_count(jobs: str | None) -> int:
    """`--jobs` as a number of processes; `auto` (the default) is every core."""
    if jobs in (None, "", "auto"):
        return os.cpu_count() or 1
    try:
        count = int(jobs)
    except ValueError:
        count = 0
    if count < 1:
        raise UsageError(
            msg(
                "--jobs must be a number ≥ 1 or auto, got {v!r}",
                "--jobs 必须是 ≥ 1 的数字或 auto，实际为 {v!r}",
                v=jobs,
            )
        )
    return count


def piece_bytes() -> int:
    """The size of a piece: BLOCK_BYTES, or less when a test sets BIZOPS_JOBS_PIECE_BYTES."""
    value = os.environ.get("BIZOPS_JOBS_PIECE_BYTES", "")
    return min(int(value), BLOCK_BYTES) if value.isdigit() and int(value) > 0 else BLOCK_BYTES


class _Collecting(Sink):
    """A worker's sink: row errors and warnings kept in the order they came (row numbers relative to the piece).

    The parent writes them in that order (each warning once for all workers),
    so stderr reads as that of one process.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.messages: list[tuple[int | str | None, object]] = []  # (row, error) or (None, warning)

    def row_error(self, error: RowError) -> None:
        self.row_errors += 1
        self.messages.append((error.row, error.message))

    def warn(self, text) -> None:
        if text not in self._warned:
            self._warned.add(text)
            self.messages.append((None, text))


def _decide_block(seq: int, block: bytes):
    """In a worker: one piece of input -> its output (written here when it is its turn) and counts."""
    job, reader, context, writer_args, turn, build, encoder = _work
    piece = reader.for_block(block)
    out = io.BytesIO()
    writer = make_writer(out=out, columns=job.columns, header=False, **writer_args)
    sink = _Collecting(writer, encoder, job.company, writer_args["lang"])
    context.warn = sink.warn
    failed = None
    try:
        run(job, piece, sink, exact=getattr(piece, "exact", None), build=build)
        writer.close()
    except BizopsError as exc:
        failed = ("error", exc.exit_code, exc.message)
    except Exception as exc:
        failed = ("crash", 0, f"{type(exc).__name__}: {exc}")
    data = out.getvalue() if failed is None else b""
    # The run's closures hold the sink, and with it this buffer, in a reference cycle that only a
    # full collection frees: empty it now, or each piece's output stays until then (+70 MB a worker).
    out.seek(0)
    out.truncate()
    if turn is not None:
        turn.submit(seq, data, failed is not None)
        data = b""
    counts = failed or (sink.refused, 0)
    return data, sink.messages, piece.rows_read, counts, _printed()


def _printed() -> list[str]:
    """Modules that printed in this worker (the command's print guard was forked with it)."""
    return guard.printed()


class _Turns:
    """Workers write their pieces straight to the output file, one after another in input order.

    Sending every result back to the parent would copy the whole output
    through a pipe twice more. A worker hands a finished piece to its writer
    thread and goes on to the next piece; the thread waits for the piece's
    turn. After a failed piece or a failed write nothing more is written, as
    in one process.
    """

    def __init__(self, mp, fd: int):
        self.fd = fd
        self.next = mp.Value("q", 0, lock=False)
        self.error = mp.Value("q", 0, lock=False)  # errno of a failed write; -1 after a failed piece
        self.condition = mp.Condition()
        # Each worker has its own copies (forked): its writer thread's queue, and the lock
        # a SIGTERM waits for.
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._writing = threading.Lock()
        self._started = False

    # -- in a worker ---------------------------------------------------------
    def submit(self, seq: int, data: bytes, failed: bool) -> None:
        """Queue a piece to be written in its turn; returns at once."""
        if not self._started:  # first piece in this worker: start its writer thread
            self._started = True
            threading.Thread(target=self._drain, daemon=True).start()
            # SIGTERM (how bizops stops its workers on Ctrl-C) waits for a write under
            # way: a worker stopped mid-write would leave half a row.
            signal.signal(signal.SIGTERM, self._stop)
        self._queue.put((seq, data, failed))

    def _stop(self, signum, frame):
        with self._writing:
            os._exit(128 + signum)

    def _drain(self) -> None:
        # SIGTERM must reach the worker's main thread, which may be waiting for its
        # next piece: a signal delivered to this thread would wake nobody.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        while True:
            seq, data, failed = self._queue.get()
            with self.condition:
                self.condition.wait_for(lambda: self.next.value == seq)  # noqa: B023 - called before the loop moves on
                try:
                    if self.error.value:
                        pass
                    elif failed:
                        self.error.value = -1
                    else:
                        with self._writing:
                            view = memoryview(data)
                            while view:
                                view = view[os.write(self.fd, view) :]
                except OSError as exc:
                    self.error.value = exc.errno or -2
                finally:
                    self.next.value = seq + 1
                    self.condition.notify_all()

    # -- in the parent -------------------------------------------------------
    def wait_written(self, count: int, check_workers) -> None:
        """Until the first `count` pieces are written; a failed write raises its OSError.

        `check_workers()` raises if a worker died: its unwritten piece would never come.
        """
        done = lambda: self.next.value >= count or self.error.value > 0  # noqa: E731
        with self.condition:
            while not self.condition.wait_for(done, timeout=0.2):
                check_workers()
        code = self.error.value
        if code > 0:
            raise OSError(code, os.strerror(code))


def _worker_start() -> None:
    # Ctrl-C and SIGTERM are the parent's to handle: it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run_parallel(job: Job, reader, context, sink: Sink, processes: int, writer_args: dict) -> None:
    """Decide `reader`'s input in `processes` workers, writing through `sink`'s stream.

    An input that fits in one piece is decided here, without starting workers.
    """
    global _work
    pieces = reader.blocks(piece_bytes())
    first = next(pieces, None)
    second = next(pieces, None) if first is not None else None
    offset = getattr(reader, "header_row", 0)  # a CSV's header and the titles above it
    if getattr(reader, "header_error", None) is not None:
        sink.row_error(reader.header_error)
    if second is None:
        _Renumbered.run(job, reader.for_block(first or b""), sink, offset)
        return
    out = sink.writer.out
    mp = multiprocessing.get_context("fork")
    out.flush()  # a CSV header, before the workers write after it
    fd = _fileno(out)
    turn = _Turns(mp, fd) if fd is not None else None
    # Compiled once here, so every worker's memo of parsed values stays warm across its pieces.
    build = compile_fields(job.spec.inputs, job.now, watch_unknown=True)
    _work = (job, reader, context, writer_args, turn, build, Encoder(job.columns, writer_args["explain"]))
    workers = _Workers(mp, processes)
    finished = False
    try:

        def worker_died():
            # A worker that died (killed, out of memory, a plugin's os._exit) takes its piece
            # with it: nothing else would ever answer for it.
            raise PluginFailure(
                job.plugin, job.hook, "a --jobs worker process died while deciding; run with --jobs 1 to see the row"
            )

        pieces = enumerate(_chain((first, second), pieces))
        for seq, block in islice(pieces, processes * workers.AHEAD):  # work queued in each worker
            workers.send(seq, block)
        written = 0
        while written < workers.sent:
            done = workers.receive(written, worker_died)
            following = next(pieces, None)  # the worker that answered gets the next piece
            if following is not None:
                workers.send(*following)
            if turn is not None:
                if len(done[3]) == 3:
                    turn.wait_written(written, workers.check)  # what comes before a failed piece is out first
                elif turn.error.value > 0:  # a closed pipe, a full disk: stop deciding now
                    turn.wait_written(0, workers.check)
            offset = _write(done, out, sink, offset)
            written += 1
        if turn is not None:
            turn.wait_written(written, workers.check)
        finished = True
    finally:
        workers.stop() if finished else workers.kill()
        _work = None


class _Workers:
    """Forked worker processes, each with its own pipe, given pieces in turn (piece k to worker k mod n).

    Not `multiprocessing.Pool`: its workers share one task-queue lock, and a
    worker stopped while holding it (Ctrl-C, SIGTERM, out of memory) leaves
    the pool's terminate() waiting for that lock forever. Per worker, one
    thread feeds it its pieces and one takes its answers as they come, so
    neither bizops nor a worker ever waits on the other's pipe.
    """

    AHEAD = 2  # pieces given to a worker before its first answer: it never waits for work

    def __init__(self, mp, count: int):
        self.slots = []
        self.sent = 0
        for _ in range(count):
            ours, theirs = mp.Pipe()
            process = mp.Process(target=_serve, args=(theirs,), daemon=True)
            process.start()
            theirs.close()
            answers: queue.SimpleQueue = queue.SimpleQueue()
            pieces: queue.SimpleQueue = queue.SimpleQueue()
            threading.Thread(target=self._listen, args=(ours, answers), daemon=True).start()
            threading.Thread(target=self._feed, args=(ours, pieces), daemon=True).start()
            self.slots.append((process, pieces, answers))

    @staticmethod
    def _listen(pipe, answers) -> None:
        while True:
            try:
                answers.put(pipe.recv())
            except (EOFError, OSError):
                answers.put(_GONE)
                return

    @staticmethod
    def _feed(pipe, pieces) -> None:
        while True:
            piece = pieces.get()
            try:
                pipe.send(piece)
            except OSError:  # the worker died: `receive` says so
                return
            if piece is None:
                return

    def send(self, seq: int, block: bytes) -> None:
        self.slots[seq % len(self.slots)][1].put((seq, block))
        self.sent += 1

    def receive(self, seq: int, worker_died):
        process, _, answers = self.slots[seq % len(self.slots)]
        while True:
            try:
                answer = answers.get(timeout=0.2)
                break
            except queue.Empty:
                if not process.is_alive():
                    worker_died()
        if answer is _GONE:
            worker_died()
        return answer

    def check(self) -> None:
        """Raise if a worker died (see `_Turns.wait_written`)."""
        if any(not process.is_alive() for process, _, _ in self.slots):
            raise PluginFailure("bizops", "--jobs", "a worker process died while writing its piece")

    def stop(self) -> None:
        """Every piece is done: let the workers end."""
        for _, pieces, _ in self.slots:
            pieces.put(None)
        for process, _, _ in self.slots:
            process.join()

    def kill(self) -> None:
        """Stop now (an error, Ctrl-C): SIGTERM, which a worker takes once a write under way is done."""
        for process, _, _ in self.slots:
            if process.is_alive():
                process.terminate()
        for process, _, _ in self.slots:
            process.join(2)
            if process.is_alive():
                process.kill()
                process.join()


_GONE = object()  # a worker's pipe closed: it died


def _serve(pipe) -> None:
    """A worker's life: pieces in, answers out, until told to stop."""
    _worker_start()
    while True:
        try:
            task = pipe.recv()
        except EOFError:
            return
        if task is None:
            return
        pipe.send(_decide_block(*task))


class _Renumbered:
    """Runs one piece in this process, shifting its row numbers by `offset`."""

    @staticmethod
    def run(job: Job, piece, sink: Sink, offset: int) -> None:
        rows = (_shift(item, offset) for item in piece) if offset else iter(piece)
        run(job, rows, sink, exact=getattr(piece, "exact", None))


def _shift(item, offset: int):
    if type(item) is tuple:
        return item[0] + offset, item[1]
    item.row = item.row + offset
    return item


def _fileno(out) -> int | None:
    """The file descriptor the output goes to, when it is a real file or pipe."""
    try:
        return out.fileno()
    except (AttributeError, OSError, ValueError):  # a BytesIO (tests)
        return None


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable


def _write(done, out, sink: Sink, offset: int) -> int:
    """Write one piece's results and errors; return the row offset of the next piece."""
    data, messages, rows_read, counts, printed = done
    guard.note_printed(printed)  # a worker's print counts as the command's
    for row, message in messages:
        if row is None:
            sink.warn(message)
        else:
            sink.row_error(RowError(message, row + offset if isinstance(row, int) else row))
    if len(counts) == 3:
        kind, code, message = counts
        if kind == "crash":
            raise PluginFailure("bizops", "a --jobs worker", message)
        if kind == "error":
            raise BizopsError(message, code)
    if data:
        out.write(data)
    sink.refused = sink.refused or counts[0]
    return offset + rows_read
