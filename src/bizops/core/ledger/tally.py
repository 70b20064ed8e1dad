"""What a `--record` run recorded, and what it says when it ends: normally, or early.

`Tally` counts as batches commit. At the end of a run `summary` warns about
the rows recognised as recorded before and the rows recorded without an id;
when something ends a run early (Ctrl-C, a busy or lost ledger, a closed
pipe, a full disk) `stopped` says on stderr how many rows were recorded
(exactly what the ledger holds), which results were not printed, and from
where to resume, and chooses the exit code: 75 ("try again") only when
nothing was recorded or running the same input again is safe (every
recorded row has an id); otherwise 74, so a script does not run it again as
it is. A closed pipe after every row was recorded stays quiet (`| head -1`
of a finished run), as it does without `--record`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from bizops.core.errors import LedgerBusy, LedgerError, OutputError
from bizops.core.i18n import Text, msg, render

_END = object()


class Tally:
    """What a run recorded so far: enough to say, whenever it ends, what is in the ledger."""

    def __init__(self, field: str, command: str) -> None:
        self.field, self.command = field, command  # the request id the command declares ("" if none)
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
        #: The input not yet read, to tell at a stop whether any was left.
        self.rest: Iterator = iter(())

    @property
    def safe(self) -> bool:
        """Whether running the same input again records nothing twice: every recorded row has an id."""
        return bool(self.field) and self.without_id == 0

    def summary(self, warn: Callable[[Text], None]) -> None:
        """At the end of a run: what was recognised as recorded before, what carries no id."""
        tally, field = self, self.field
        if tally.replayed:
            warn(
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
            warn(
                msg(
                    "{n} recorded without {f}: recording the same input again would record {t} again",
                    "{n}没有 {f} 就记录了：再次记录同一输入会重复记录{t}",
                    n=_rows(tally.without_id),
                    f=field,
                    t=them,
                )
            )
        else:
            warn(
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
        tally = self
        if isinstance(exc, OutputFailed):
            exc = exc.error
        if not tally.started:
            return exc  # it ended before recording began: its own message says all
        if isinstance(exc, BrokenPipeError) and not tally.unsure and tally.pending is None:
            tally.complete = tally.complete or next(self.rest, _END) is _END
            if tally.complete:
                return exc
        safe = self.safe
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
        tally = self
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


def _say(err, text: str) -> None:
    try:
        err.write(f"bizops: {text}\n")
        err.flush()
    except (OSError, ValueError):
        pass  # nobody reads stderr any more: the exit code still tells


def _rows(n: int) -> Text:
    return Text(f"{n} row" if n == 1 else f"{n} rows", f"{n} 行")
