"""A request the ledger already holds: the recorded decision shown again, or the row refused.

Under `--record`, a row whose request id (`order_id`, `claim_id`, …) is in
the ledger is not decided again:
- with the same inputs it is the recorded decision, printed as it was
  recorded (the result as stored, in both languages) with a warning saying
  so, and nothing is recorded: re-running last month's file is safe;
- with other inputs it is refused (status `refused`, exit 1), the reason
  naming the recorded decision and the two ways to correct it.
`digest` is what "the same inputs" means: the request's fields as read
(defaults filled in), except empty ones and a field that defaults to the
time of the run and was left at it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from bizops.core.i18n import Text, msg
from bizops.core.ledger import codec
from bizops.core.ledger.store import Known
from bizops.core.schema import NOW, Column, CommandSpec
from bizops.core.values import parse_datetime


class Identity:
    """The request id a command's spec declares, and how a request is compared with a recorded one."""

    def __init__(self, spec: CommandSpec, now: Any):
        self.field: str = getattr(spec, "identity", None) or ""  # "" when the command declares none
        self.at_now = tuple(f.name for f in spec.inputs if f.default == NOW)
        self.now = codec.plain(now) if self.at_now else None  # in its JSON form, as the inputs are compared

    def of(self, fields: dict) -> str | None:
        """The request's id, its whitespace normalised (`codec.normal_id`); None when it has none."""
        value = fields.get(self.field) if self.field else None
        if value is None:
            return None
        return codec.normal_id(str(value)) or None

    def digest(self, inputs: dict) -> str:
        """`inputs` (in their JSON form) as compared with a recorded request's.

        A field left empty does not count, so a plugin that adds an optional
        field does not make every recorded request look different.
        """
        return codec.digest(self._compared(inputs))

    def same_inputs(self, recorded: dict, fields: dict) -> bool:
        """Whether a request whose digest differs from a recorded one's still gives the same inputs: its
        amounts equal as numbers (`1,000.00` read from an accounting export, `1000` from a JSON file), its
        text as the ledger compares names (`恒通　电器 ` is `恒通电器`: one customer everywhere), all else as
        the digest compares it. `recorded` in its JSON form, `fields` as read."""
        theirs, mine = self._compared(recorded), self._compared(fields, codec.plain)
        return theirs.keys() == mine.keys() and all(_same_value(mine[k], theirs[k]) for k in mine)

    def _compared(self, inputs: dict, json_form: Callable[[Any], Any] | None = None) -> dict:
        """`inputs` without what does not count: empty fields, a field left at the run's time (compared in its
        JSON form: `json_form` makes it from fields as read)."""
        now, at_now = self.now, self.at_now
        if not at_now and None not in inputs.values():  # nothing to leave out: most rows
            return inputs
        return {
            k: v
            for k, v in inputs.items()
            if v is not None and not (k in at_now and (json_form(v) if json_form else v) == now)
        }


def _same_value(value: Any, recorded: Any) -> bool:
    """A field as read against its recorded JSON form: an amount by its value, text as a name, at any depth."""
    kind = type(value)
    if kind is str:
        return type(recorded) is str and (value == recorded or codec.normal(value) == codec.normal(recorded))
    if kind is Decimal:
        try:
            return type(recorded) is str and Decimal(recorded) == value
        except ArithmeticError:
            return False
    if kind is dict:
        return (
            type(recorded) is dict
            and value.keys() == recorded.keys()
            and all(_same_value(v, recorded[k]) for k, v in value.items())
        )
    if kind is list or kind is tuple:
        return type(recorded) is list and len(value) == len(recorded) and all(map(_same_value, value, recorded))
    return codec.plain(value) == recorded


def recorded_result(known: Known, columns: tuple[Column, ...], explain: bool = False) -> dict:
    """The decision as it was recorded, typed again for the writers, marked as recorded before.

    Under --explain, a decision recorded without its trace says where to find it (`ledger show`).
    """
    english = codec.outputs(known.outputs) or {}
    chinese = codec.outputs(known.outputs, known.outputs_zh) or {}
    result = {c.name: _typed(c.kind, english.get(c.name), chinese.get(c.name)) for c in columns}
    if english.get("trace"):
        result["trace"] = _both(english["trace"], chinese.get("trace"))
    said = msg(
        "already recorded as decision {i} ({t}, {u}); shown as recorded, nothing recorded again",
        "已记录为决定 {i}（{t}，{u}）；按记录显示，未重复记录",
        i=known.decision_id,
        t=known.decided_at,
        u=known.user,
    )
    if explain and "trace" not in result:
        said += msg(" (its rules: bizops ledger show {i})", "（依据：bizops ledger show {i}）", i=known.decision_id)
    result["warnings"] = list(result.get("warnings") or []) + [said]
    return result


def refusal(columns: tuple[Column, ...], field: str, request_id: str, fields: dict, known: Known) -> dict:
    """The row refused: its id is recorded with other inputs.

    Text columns echo the request; so do money columns (a result carries every
    one it declares), empty where the request has no such amount.
    """
    result: dict[str, Any] = {
        c.name: fields[c.name]
        for c in columns
        if c.kind in ("text", "enum") and isinstance(fields.get(c.name), str) and c.name != "status"
    }
    result.update(
        (c.name, value if isinstance(value := fields.get(c.name), Decimal) else None)
        for c in columns
        if c.kind in ("money", "price")
    )
    result.update(
        status="refused",
        reason=msg(
            "{f} {r} was recorded as decision {i} ({t}, {u}) with other inputs; to correct it, reverse it "
            "(bizops ledger reverse {i}) or record this row with --amend, which does both in one transaction",
            "{f} {r} 已记录为决定 {i}（{t}，{u}），输入不同；如需更正，请冲销（bizops ledger reverse {i}），"
            "或加 --amend 记录本行（在同一事务中冲销并重新记录）",
            f=field,
            r=request_id,
            i=known.decision_id,
            t=known.decided_at,
            u=known.user,
        ),
        warnings=[],
    )
    return result


def _typed(kind: str, english: Any, chinese: Any) -> Any:
    """A value as recorded (JSON form) as the column's type, both languages kept."""
    if english is None:
        return None
    if kind in ("money", "price", "decimal"):
        return Decimal(str(english))
    if kind == "datetime":
        return parse_datetime(english)
    if kind == "date":
        return date.fromisoformat(english)
    return _both(english, chinese)


def _both(english: Any, chinese: Any) -> Any:
    """The English and Chinese records of one value as one value (`Text` where they differ)."""
    if isinstance(english, str):
        return Text(english, chinese) if isinstance(chinese, str) and chinese != english else english
    if isinstance(english, list):
        items = chinese if isinstance(chinese, list) and len(chinese) == len(english) else english
        return [_both(a, b) for a, b in zip(english, items)]
    if isinstance(english, dict):
        fields = chinese if isinstance(chinese, dict) else english
        return {k: _both(v, fields.get(k)) for k, v in english.items()}
    return english
