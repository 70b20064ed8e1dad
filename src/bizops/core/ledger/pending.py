"""What `Books.flush` hands its backend, and the function that writes it where the ledger's connection is.

In one process that is the backend itself; under `--record` on SQLite it
is a forked writer (`sqlite_writer`), which receives `write_pending` and its
rows pickled. What the deciding process leaves to be worked out there is
worked out here: a decision's checksum (`with_checksums`), a request's digest from
its stored inputs, an amount as the backend stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bizops.core.ledger import codec
from bizops.core.ledger.store import BALANCE_COLUMNS, DECISION_FIELDS, IDENTITY_COLUMNS

_ENTRY_COLUMNS = ("decision_id", "seq", "company", "kind", "key", "amount", "value", "sign")
_READ_COLUMNS = ("decision_id", "company", "kind", "key")
_IDENTITY_NAMES = tuple(name for name, _ in IDENTITY_COLUMNS)
_CHECKSUM = DECISION_FIELDS.index("checksum")
_INPUTS = DECISION_FIELDS.index("inputs")
_OUTPUTS, _OUTPUTS_ZH = DECISION_FIELDS.index("outputs"), DECISION_FIELDS.index("outputs_zh")
assert _OUTPUTS == _INPUTS + 1 and _OUTPUTS_ZH == _INPUTS + 2  # `as_text` takes the three together


def write_pending(
    backend,
    digest_of: Callable[[dict], str] | None,
    company: str,
    decisions: list[tuple],
    entries: list[tuple],
    reads: list[tuple],
    forgotten: list[tuple[str, int]],
    new_identities: list[tuple],
    moved_identities: list[tuple],
    balances: list[tuple],
) -> None:
    """Write what `Books.flush` handed on, where the connection is (this process, or a writer process).

    A decision's checksum is sealed here (`with_checksums`), from the row and its
    entries as they are stored (amounts as canonical text), unless the
    deciding process did it while the writer was behind (`Books.keep_row`);
    a request's digest left None is worked out from its stored inputs.
    """
    dialect = backend.dialect
    if decisions:
        backend.insert_rows("bizops_decisions", DECISION_FIELDS, with_checksums(as_text(decisions), entries))
    if entries:
        if dialect != "sqlite":
            entries = [(*e[:5], stored_amount(dialect, e[5]), *e[6:]) for e in entries]
        backend.insert_rows("bizops_entries", _ENTRY_COLUMNS, entries)
    if reads:
        backend.insert_rows("bizops_reads", _READ_COLUMNS, reads)
    if forgotten:
        backend.execute_many(
            "DELETE FROM bizops_identities WHERE company = ? AND command = ? AND decision_id = ?",
            [(company, command, d) for command, d in forgotten],
        )
    if new_identities:
        if digest_of is not None and any(i[4] is None for i in new_identities):  # the deciding process left them
            inputs = {row[0]: row[_INPUTS] for row in decisions}
            new_identities = [
                i if i[4] is not None else (*i[:4], digest_of(codec.plain_loads(inputs[i[3]]))) for i in new_identities
            ]
        backend.insert_rows("bizops_identities", _IDENTITY_NAMES, new_identities)
    if moved_identities:
        backend.upsert("bizops_identities", IDENTITY_COLUMNS, 3, moved_identities)
    if balances:
        backend.upsert("bizops_balances", BALANCE_COLUMNS, 3, balances)


def as_text(decisions: list[tuple]) -> list[tuple]:
    """Decision rows with their JSON as text: the recorder hands a writer process UTF-8 bytes
    (`Recorder.json_bytes`), which the database would keep as a BLOB and a checksum cannot read."""
    return [
        row
        if type(row[_OUTPUTS]) is not bytes and type(row[_INPUTS]) is not bytes
        else (
            *row[:_INPUTS],
            _text(row[_INPUTS]),
            _text(row[_OUTPUTS]),
            _text(row[_OUTPUTS_ZH]),
            *row[_OUTPUTS_ZH + 1 :],
        )
        for row in decisions
    ]


def _text(value: str | bytes | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def with_checksums(decisions: list[tuple], entries: list[tuple]) -> list[tuple]:
    """Decision rows with their checksums (`codec.sealed`), from the rows and their entries as stored."""
    if all(row[_CHECKSUM] is not None for row in decisions):
        return decisions
    listed: dict[int, list] = {}
    for e in entries:
        listed.setdefault(e[0], []).append([e[1], e[3], e[4], e[5], e[6], e[7]])
    seal = codec.sealed
    return [
        row
        if row[_CHECKSUM] is not None
        else (*row[:_CHECKSUM], seal(dict(zip(DECISION_FIELDS, row)), listed.get(row[0], [])), *row[_CHECKSUM + 1 :])
        for row in decisions
    ]


def stored_amount(dialect: str, amount: str | None) -> Any:
    """An amount as the backend stores it: exact text in SQLite, a Decimal for PostgreSQL's NUMERIC."""
    if amount is None:
        return None
    return amount if dialect == "sqlite" else Decimal(amount)
