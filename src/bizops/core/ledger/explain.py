"""A recorded row explained again: decided once more, as it was decided, with its trace.

Recording a row keeps its inputs, outputs, policy and what it wrote, not
its trace (building the trace in two languages cost a third of recording a
row). `ledger show` makes the trace when asked: it runs the command again
on the recorded inputs, through the same pipeline as a `.jsonl` input,
with
- the policy it was recorded under (`bizops_policies`, by fingerprint; the
  config's own when it is still the same),
- its clock (`decided_at`), and
- the history as it stood just before it (`AsOfHistory`: every entry of an
  earlier decision, and none of a later one or of a reversal made since),
and shows the trace only when the decision comes out exactly as recorded.
A decision the installed plugin decides otherwise (a newer rule, a customer
imported after it) is shown with the reason instead: a trace that did not
make the recorded decision would not explain it.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from bizops.core.cases.running import CaseSession, keeping, outcome_of
from bizops.core.command import RowsRequest, execute, hook_process
from bizops.core.errors import BizopsError
from bizops.core.i18n import Text, msg, render
from bizops.core.ledger import codec
from bizops.core.ledger.history import LedgerHistory, checked_key, checked_kind, customer_name
from bizops.core.ledger.record import AMEND_NOTE
from bizops.core.ledger.store import CUSTOMER_KIND
from bizops.core.policy import build_policy, policy_from_settings


class AsOfHistory(LedgerHistory):
    """The history a recorded decision saw: entries of decisions before `before` (reversals made before it too),
    then what the decision itself writes (a plugin may read its own write back)."""

    def __init__(self, ledger, company: str, before: int, recorded_at: str):
        super().__init__(ledger, company)
        self.before, self.recorded_at = before, recorded_at
        self.written: dict[tuple[str, str], list] = {}  # (kind, key) -> [amount added, entries, value set or _UNSET]

    def _entries(self, kind: str, key: str, what: str, where: str = "", last: bool = False) -> list[tuple]:
        keys = self.ledger.spellings(self.company, kind, key)
        params: tuple = (self.company, kind, *keys, self.before)
        if last:
            where += " AND NOT EXISTS (SELECT 1 FROM bizops_decisions r WHERE r.reverses = e.decision_id AND r.id < ?)"
            params += (self.before,)
        return self.ledger._q(
            f"SELECT {what} FROM bizops_entries e WHERE e.company = ? AND e.kind = ? "
            f"AND e.key IN ({', '.join('?' * len(keys))}) AND e.decision_id < ?{where} "
            f"ORDER BY e.id{' DESC LIMIT 1' if last else ''}",
            params,
        )

    def _own(self, kind: str, key: str) -> list:
        return self.written.get((kind, key)) or [Decimal(0), 0, _UNSET]

    def total(self, kind: str, key: str) -> Decimal:
        kind, key = checked_kind(kind), checked_key(key)
        rows = self._entries(kind, key, "e.amount", " AND e.amount IS NOT NULL")
        return sum((self.ledger.amount(amount) for (amount,) in rows), self._own(kind, key)[0])

    def count(self, kind: str, key: str) -> int:
        kind, key = checked_kind(kind), checked_key(key)
        return sum((int(sign) for (sign,) in self._entries(kind, key, "e.sign")), self._own(kind, key)[1])

    def latest(self, kind: str, key: str) -> Any:
        kind, key = checked_kind(kind), checked_key(key)
        own = self._own(kind, key)[2]
        if own is not _UNSET:
            return codec.loads(own)
        rows = self._entries(kind, key, "e.value", " AND e.value IS NOT NULL AND e.sign = 1", last=True)
        return codec.loads(rows[0][0]) if rows else None

    def add(self, kind: str, key: str, amount: Decimal) -> None:
        kind, key, text = checked_kind(kind), checked_key(key), codec.amount_text(amount)
        own = self.written.setdefault((kind, key), self._own(kind, key))
        own[0] += Decimal(text)
        own[1] += 1

    def set(self, kind: str, key: str, value: Any) -> None:
        kind, key, text = checked_kind(kind), checked_key(key), codec.exact_dumps(value)
        own = self.written.setdefault((kind, key), self._own(kind, key))
        own[1] += 1
        own[2] = text

    def known_customer(self, customer: str) -> bool:
        name = customer_name(customer)
        if name is None:
            return False
        names = self.ledger.spellings(self.company, CUSTOMER_KIND, name)
        marks = ", ".join("?" * len(names))
        imported = self.ledger._q(
            f"SELECT 1 FROM bizops_customers WHERE company = ? AND name IN ({marks}) AND imported_at <= ? LIMIT 1",
            (self.company, *names, self.recorded_at),
        )
        if imported:
            return True
        # A decision naming the customer counts it; its reversal (which names it too) takes that back.
        (named,) = self.ledger._q(
            "SELECT COALESCE(SUM(CASE WHEN reverses IS NULL THEN 1 ELSE -1 END), 0) FROM bizops_decisions "
            f"WHERE company = ? AND customer IN ({marks}) AND id < ?",
            (self.company, *names, self.before),
        )[0]
        return int(named) > 0


_UNSET = object()


def recorded_trace(decision: dict, lang: str) -> list | None:
    """The trace a decision was recorded with (under --explain, or a run's), in `lang`; None when none was kept."""
    outputs = codec.outputs(decision["outputs"], decision.get("outputs_zh") if lang == "zh" else None)
    trace = outputs.get("trace") if isinstance(outputs, dict) else None
    return trace or None


def explain(session, ledger, decision: dict) -> tuple[list | None, Text | None]:
    """(the decision's trace in the session's language, None), or (None, why it cannot be made again)."""
    if decision["reverses"] is not None:
        return None, None  # a reversal decides nothing: its record says what it undid
    try:
        company = session.host.company(decision["company"])
        spec = company.commands.get(decision["command"])
        if spec is not None and spec.aggregate:
            return None, None  # a run's trace needs all its events: kept when it was recorded, or there is none
        outcome = _decide_again(session, ledger, decision, company)
    except BizopsError as exc:
        return None, _cannot(exc.message)
    except Exception as exc:  # the decision is shown whatever goes wrong making its trace (--debug: the traceback)
        if session.debug:
            raise
        return None, _cannot(
            msg("deciding it again failed: {e}", "重新决定时出错：{e}", e=f"{type(exc).__name__}: {exc}")
        )
    if isinstance(outcome, Text):
        return None, _cannot(outcome)
    result, row = outcome
    recorded = json.loads(decision["outputs"], parse_float=Decimal)
    recorded.pop("trace", None)
    if isinstance(recorded.get("warnings"), list):  # what the plugin said, without the note --amend added
        recorded["warnings"] = [w for w in recorded["warnings"] if not AMEND_NOTE.fullmatch(str(w))]
    row.pop("trace", None)
    differing = sorted(k for k in set(recorded) | set(row) if recorded.get(k) != row.get(k))
    if differing:
        return None, _cannot(
            msg(
                "deciding it again with plugin {p} {v} gives other {f} than recorded (plugin {r} then)",
                "用插件 {p} {v} 重新决定，{f} 与记录不同（记录时插件版本 {r}）",
                p=session.host.plugin_of(decision["company"]),
                v=company.version,
                f=", ".join(differing),
                r=decision["plugin_version"],
            )
        )
    return [{k: render(v, session.lang) for k, v in step.items()} for step in result.get("trace") or []], None


def _cannot(reason: Any) -> Text:
    return msg("no trace: {r} (the decision stands as recorded)", "无法给出依据：{r}（决定以记录为准）", r=reason)


def _decide_again(session, ledger, decision: dict, company):
    """(result dict, its JSON row) from running the command on the recorded inputs; a `Text` saying why not."""
    policy = build_policy(company, session.config)  # the config's for the decision's company, whichever is selected
    if policy.fingerprint != decision["policy_fingerprint"]:
        kept = ledger.policy_settings(company.name, decision["policy_fingerprint"])
        if kept is None:
            return msg(
                "policy {f} was not kept (recorded before schema 5) and the config's is {c}",
                "未保存策略 {f}（在结构版本 5 之前记录），当前配置的策略是 {c}",
                f=decision["policy_fingerprint"],
                c=policy.fingerprint,
            )
        policy = policy_from_settings(company, kept)
        if policy.fingerprint != decision["policy_fingerprint"]:
            return msg(
                "the policy kept as {f} gives {g}: it was changed behind bizops (bizops ledger check)",
                "保存的策略 {f} 实际为 {g}：已被绕过 bizops 修改（bizops ledger check）",
                f=decision["policy_fingerprint"],
                g=policy.fingerprint,
            )
    history = AsOfHistory(ledger, company.name, decision["id"], decision["recorded_at"])
    again = _AgainSession(session, company.name, policy, history)
    command = decision["command"]
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bizops-explain-") as work:
        path = Path(work) / "inputs.jsonl"
        path.write_text(decision["inputs"] + "\n", encoding="utf-8")
        request = RowsRequest(
            command=command, input=str(path), input_format="jsonl", jobs="1", now=decision["decided_at"]
        )
        with contextlib.redirect_stderr(io.StringIO()) as err:
            code = execute(again, request, keeping(hook_process(again, command), results))
    outcome = outcome_of(again.written.getvalue(), err.getvalue(), code, None, results, session.lang)
    if len(outcome.results) != 1 or len(outcome.rows) != 1:
        return msg("deciding it again gave no decision: {e}", "重新决定没有得到结果：{e}", e="; ".join(outcome.errors))
    return outcome.results[0], outcome.rows[0]


class _AgainSession(CaseSession):
    """The decision's company, its policy and its history as it stood; JSON into a buffer."""

    def __init__(self, base, company: str, policy, history: AsOfHistory):
        super().__init__(base, company, base.config, policy, base.lang)
        self._as_of = history

    @property
    def history_factory(self):
        return lambda: self._as_of
