"""`--record`: every decision stored in the ledger with what it wrote to history.

A decision command (one result per row) decides each row in its own
transaction: take the company's write lock, call the hook with that one
request (so the plugin's history reads and writes for the row happen inside
the transaction and see every earlier row), store the decision with the
entries it wrote, commit, and only then hand the result on to be printed. A
row the plugin finds invalid, a failing plugin or an interruption records
nothing for that row.

An aggregate command (score) runs in one transaction and stores one decision
per output row. Entries written before an output row is returned belong to
that row (a plugin sets a scorecard's history just before yielding it);
entries written after the last row belong to the last one. Each decision's
inputs are the events that agree with it on the text fields both carry
(`person`, …): an aggregate's numbers are sums, not keys.
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from bizops import __version__
from bizops.core.encoder import BadOutput, Encoder
from bizops.core.i18n import Text
from bizops.core.ledger import codec, open_ledger
from bizops.core.ledger.history import LedgerHistory, customer_name
from bizops.core.values import format_datetime

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

    def __init__(self, session, job, context, policy):
        self.ledger = open_ledger(session.ledger_source, write=True)
        self.company = job.company
        self.history = LedgerHistory(self.ledger, job.company, keep=True)
        context.history_factory = lambda: self.history
        self.spec = job.spec
        self.encode = Encoder(job.columns, True)
        self.meta = {
            "company": job.company,
            "command": job.command,
            "decided_at": format_datetime(context.now),
            "user_name": current_user(),
            "host": current_host(),
            "plugin": job.plugin,
            "plugin_version": session.company.version,
            "bizops_version": __version__,
            "policy_fingerprint": policy.fingerprint,
            "reverses": None,
        }

    def wrap(self, process: Callable[[Iterator], Iterable | None]) -> Callable[[Iterator], Iterable | None]:
        def recording(requests):
            if self.spec.aggregate:
                return self._aggregate(process, requests)
            return self._rows(process, iter(requests))

        return recording

    # -- one transaction per row -------------------------------------------------------
    def _rows(self, process, requests: Iterator) -> Iterable | None:
        first = next(requests, _END)
        if first is _END:
            self.ledger.close()
            return process(iter(()))  # nothing to record; still says whether a hook answers
        outcomes = self._decide(process, first)
        if outcomes is None:
            self.ledger.close()
            return None
        return self._rest(outcomes, process, requests)

    def _rest(self, outcomes: list, process, requests: Iterator) -> Iterator:
        try:
            yield from outcomes
            for request in requests:
                yield from self._decide(process, request) or ()
        finally:
            self.ledger.close()

    def _decide(self, process, request) -> list | None:
        ledger = self.ledger
        ledger.begin(self.company)
        try:
            self.history.take()
            answer = process(iter((request,)))
            if answer is None:
                ledger.rollback()
                return None
            outcomes = list(answer)
            entries = self.history.take()
            row, fields = request
            if len(outcomes) == 1 and type(outcomes[0]) is dict and self._store(row, fields, outcomes[0], entries):
                ledger.commit()
            else:  # an invalid row (or a plugin's wrong answer, reported by the stream) records nothing
                ledger.rollback()
        except BaseException:
            ledger.rollback()
            self.history.take()
            raise
        return outcomes

    # -- one transaction per run --------------------------------------------------------
    def _aggregate(self, process, requests) -> list | None:
        events: list[tuple] = []

        def tapped():
            for request in requests:
                events.append(request)
                yield request

        ledger = self.ledger
        ledger.begin(self.company)
        try:
            self.history.take()
            answer = process(tapped())
            if answer is None:
                ledger.rollback()
                return None
            produced: list[tuple[Any, list]] = []
            for outcome in answer:
                produced.append((outcome, self.history.take() if type(outcome) is dict else []))
            results = [pair for pair in produced if type(pair[0]) is dict]
            if results:
                results[-1][1].extend(self.history.take())
            keys = [f.name for f in self.spec.inputs if f.kind in ("text", "enum", "date")]
            stored = all(
                self._store(_rows_label(mine), {"events": [f for _, f in mine]}, outcome, entries)
                for outcome, entries in results
                for mine in [_events_of(outcome, events, keys)]
            )
            if stored:
                ledger.commit()
            else:
                ledger.rollback()
        except BaseException:
            ledger.rollback()
            self.history.take()
            raise
        finally:
            ledger.close()
        return [outcome for outcome, _ in produced]

    # -- storing ------------------------------------------------------------------------
    def _store(self, row, fields: dict, result: dict, entries: list[dict]) -> bool:
        """Store one decision; False when its result cannot be written (the stream reports it)."""
        if result.setdefault("company", self.company) != self.company:
            return False  # an answer for another company: the stream reports it, nothing is stored
        if result.get("warnings") is None:
            result["warnings"] = []
        try:
            outputs = self.encode(result)
            outputs_zh = self.encode(_in_chinese(result))
            inputs = codec.plain(fields)
        except (BadOutput, codec.NotStorable, TypeError):
            return False
        # Kept in the order the command declares them, as `ledger show` prints them.
        inputs_text, outputs_text = codec.dumps(inputs, sort=False), codec.dumps(outputs, sort=False)
        zh_text = codec.dumps(outputs_zh, sort=False)
        decision = dict(
            self.meta,
            row_label=None if row is None else str(row),
            customer=customer_name(fields.get("customer")) or customer_name(result.get("customer")),
            status=outputs.get("status") if isinstance(outputs.get("status"), str) else None,
            recorded_at=recorded_at(),
            inputs=inputs_text,
            outputs=outputs_text,
            outputs_zh=None if zh_text == outputs_text else zh_text,
        )
        self.ledger.insert_decision(decision, entries)
        return True


def _in_chinese(value: Any) -> Any:
    """A result with every bilingual text in Chinese, to keep beside the English one."""
    if isinstance(value, Text):
        return str(value.zh)
    if isinstance(value, dict):
        return {k: _in_chinese(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_chinese(v) for v in value]
    return value


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
