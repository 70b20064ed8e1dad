"""Running a rule case: its command through `execute`, with the case's policy, clock and options.

The case's inputs are written to a JSON Lines file and read back as any
input is; the command writes JSON into a buffer, and what it wrote, what it
said on stderr and the result dicts themselves (their `Text` keeps the
Chinese) make the `Outcome` that `judging` compares. No ledger: history
reads as empty.
"""

from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from bizops.core.cases.loading import Case
from bizops.core.errors import BizopsError
from bizops.core.i18n import render
from bizops.core.policy import ConfigFile, Policy
from bizops.core.session import Session


class Outcome(NamedTuple):
    """What a case's command did."""

    rows: list  # the JSON it wrote, parsed
    results: list  # the result dicts as the plugin returned them (their Text keeps the Chinese)
    errors: list[str]  # row errors, or the command's own error, as written for a person
    code: int
    failure: BizopsError | None = None  # the error the command ended with, if any


class _Options(NamedTuple):
    company: str
    lang: str
    format: str = "json"
    explain: bool = True
    config: str | None = None
    db: str | None = None
    debug: bool = False


class CaseSession(Session):
    """A session for one case: its policy, JSON into a buffer, and no ledger (history reads as empty)."""

    def __init__(self, base: Session, company: str, config: ConfigFile, policy: Policy, lang: str):
        self.written = io.BytesIO()
        super().__init__(
            _Options(company, lang), base.selection, environ=base.environ, stdout=self.written, host=base.host
        )
        self.config = config  # cached properties: set, not computed
        self.policy = policy

    @property
    def history_factory(self):
        return None


def run_rows(
    session: CaseSession,
    case: Case,
    process,
    plugin: str | None,
    options: dict,
    workdir: Path,
    command: str | None = None,
) -> Outcome:
    """Run the case as `execute` runs a row command: input from a JSON Lines file, JSON out.

    `command` is what the case's command turns into under one of its switches
    (`flights triage` with `checklist` set is `flights checklist`).
    """
    from bizops.core.command import RowsRequest, execute, hook_process

    path = None
    if case.inputs is not None:
        path = workdir / "case.jsonl"
        path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in case.inputs), encoding="utf-8")
    command = command or case.command
    request = RowsRequest(
        command=command,
        input=None if path is None else str(path),
        input_format=None if path is None else "jsonl",
        jobs="1",
        now=case.now,
        options={**options, **case.options},
    )
    kept: list[dict] = []
    if process is None:
        process = hook_process(session, command)
    failure, code = None, 0
    with contextlib.redirect_stderr(io.StringIO()) as err:
        try:
            code = execute(session, request, keeping(process, kept), plugin)
        except BizopsError as exc:
            failure, code = exc, exc.exit_code
    return outcome_of(session.written.getvalue(), err.getvalue(), code, failure, kept, session.lang)


def outcome_of(stdout: bytes, stderr: str, code: int, failure: BizopsError | None, kept: list, lang: str) -> Outcome:
    """An `Outcome` from what a command wrote: its JSON, and its stderr split into errors and warnings."""
    text = stdout.decode("utf-8", "replace").strip()
    try:
        rows = json.loads(text, parse_float=Decimal) if text else []
    except ValueError:
        rows = []
    if isinstance(rows, dict):
        rows = [rows]
    errors = [
        line
        for line in stderr.splitlines()
        if line.strip() and not line.startswith(("warning: ", "警告: ", "bizops: "))
    ]
    if failure is not None:
        errors.append(str(render(failure.message, lang)))
    return Outcome(rows, kept, errors, code, failure)


def keeping(process, kept: list):
    """`process`, keeping each result dict it returns (for the trace in both languages)."""

    def wrapped(requests, policy, context):
        outcomes = process(requests, policy, context)
        return None if outcomes is None else _tee(outcomes, kept)

    return wrapped


def _tee(outcomes, kept: list):
    for outcome in outcomes:
        if type(outcome) is dict:
            kept.append(outcome)
        yield outcome
