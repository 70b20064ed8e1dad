"""Writing the ledger: decisions, their entries and the balances they change, in one transaction.

`Books` is one writer's hold on a company's books. Between `begin` (which
takes the company's write lock) and `commit` it keeps, in memory:
- the balances it has read or changed, so every later row of the stream
  sees every earlier one without asking the database again; after the
  commit they stay valid as long as nobody else records for the company
  (checked at the next `begin` with one query, and re-read in one query if
  someone did);
- the decisions, entries, reads and identities recorded since the last
  `flush`, written with one statement per table.
A row is recorded whole or not at all: `start_row` remembers the balances
before it, `undo_row` puts them back and drops what the row wrote.

Every recorded decision also keeps which balances it read (`bizops_reads`),
so `ledger show` can list the later decisions that used one that was
reversed. `reverse` undoes what a decision added to each balance as `lots`
explains (an invoiced accumulation is not subtracted twice).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import itemgetter
from typing import Any

from bizops import __version__
from bizops.core.errors import UsageError
from bizops.core.i18n import msg
from bizops.core.ledger import codec
from bizops.core.ledger.lots import replay
from bizops.core.ledger.pending import as_text, stored_amount, with_checksums, write_pending
from bizops.core.ledger.store import (
    BALANCE_FIELDS,
    CUSTOMER_KIND,
    DECISION_FIELDS,
    EMPTY,
    RUN_PREFIX,
    Balance,
    Conflict,
    Known,
    Ledger,
)

#: A decision's fields from its company to `reverses`: what `Books.store_head` is given (its id, entry count,
#: checksum and request id it adds).
HEAD_FIELDS = DECISION_FIELDS[1 : DECISION_FIELDS.index("entry_count")]
_head = itemgetter(*HEAD_FIELDS)
_CUSTOMER, _REVERSES = HEAD_FIELDS.index("customer"), HEAD_FIELDS.index("reverses")
# Places in a stored decision row (`DECISION_FIELDS`), for the identity a row keeps.
_INPUTS, _OUTPUTS, _OUTPUTS_ZH, _DECIDED_AT, _USER = (
    DECISION_FIELDS.index(f) for f in ("inputs", "outputs", "outputs_zh", "decided_at", "user_name")
)
#: The fields fixed for a recording's transaction, in `HEAD_FIELDS` between a row's status and its inputs.
_FIXED = HEAD_FIELDS[HEAD_FIELDS.index("status") + 1 : HEAD_FIELDS.index("inputs")]
# The layout `decision_head` writes:
_LAYOUT = (
    "company",
    "command",
    "row_label",
    "customer",
    "status",
    *_FIXED,
    "inputs",
    "outputs",
    "outputs_zh",
    "reverses",
)
assert _LAYOUT == HEAD_FIELDS, HEAD_FIELDS


def decision_head(meta: dict) -> Callable[..., tuple]:
    """How a recorder makes each row's `HEAD_FIELDS` (`Books.store_head`) from what is fixed for its
    transaction (`meta`: company, command, decided_at, recorded_at, …) and the row's own: its label,
    customer, status, inputs, outputs and their Chinese twin. One tuple built at once: this runs for
    every recorded row, where a dict of 21 fields built and read back again cost more."""
    company, command, fixed = meta["company"], meta["command"], tuple(meta[name] for name in _FIXED)

    def head(row_label, customer, status, inputs, outputs, outputs_zh) -> tuple:
        return (company, command, row_label, customer, status, *fixed, inputs, outputs, outputs_zh, None)

    return head


#: Balances kept in memory at most; beyond it the cache starts again (it is only a cache).
CACHE_LIMIT = 200_000
#: Rows handed to a writer process at a time while a batch runs (`SqliteWriter`; an in-process backend
#: writes the whole batch when it commits).
STREAM_ROWS = 256
#: Request ids a writer process looks up at a time for a batch: the first chunk small, so its first row
#: waits little (`Books.known_soon`).
FIRST_LOOKUP, LOOKUP = 32, 512
#: A company with at most this many balances (and as many imported customers) has them all read at once
#: when a writer starts, outside the lock, rather than one round trip each the first time a row reads one.
PREFETCH_LIMIT = 20_000


class Books:
    def __init__(self, ledger: Ledger, company: str):
        self.ledger, self.backend, self.company = ledger, ledger.backend, company
        self.cache: dict[tuple[str, str], Balance] = {}
        self.imported_names: dict[str, bool] = {}
        #: Whether `cache` holds every balance of the company as of `synced` (a miss is then an empty balance),
        #: and `imported_names` every imported customer (a miss is then not imported).
        self.complete = self.all_names = False
        self.synced: tuple[int, int] | None = None  # (last decision id, last customer id) the cache reflects
        self.shared = False  # another writer recorded for the company since this one's last transaction
        self.identities: dict[tuple[str, str], Known] = {}  # this transaction's, by (command, request id)
        #: (command, ids) while this transaction trusts request ids looked up before the lock (`_checked`): the
        #: ids of rows that found none and stored nothing, asked again before the commit (`_confirm`).
        self.unconfirmed: tuple[str, list[str]] | None = None
        #: The balances the current row changed, with their fields before it (`undo_row` puts them back).
        self._saved: dict[tuple[str, str], tuple[Balance, tuple]] | None = None
        self.row_entries: list[dict] = []
        self.row_reads: set[tuple[str, str]] = set()
        self.last_id = 0
        self.renamed: dict[int, int] = {}  # provisional id -> the real one it was given (PostgreSQL)
        #: A request's inputs (their JSON form) -> its digest (`replay.Identity.digest`): for identities stored
        #: without one. A module-level function or a bound method: a writer process gets it pickled.
        self.digest_of: Callable[[dict], str] | None = None
        self._pending()

    def _pending(self) -> None:
        self.decisions: list[tuple] = []
        self.entries: list[tuple] = []
        self.reads: list[tuple] = []
        self.new_identities: dict[tuple[str, str], tuple] = {}  # request ids the ledger did not hold
        self.moved_identities: dict[tuple[str, str], tuple] = {}  # … and the ones a newer decision takes over
        self.forgotten: list[tuple[str, int]] = []  # (command, decision) whose request ids are free again

    # -- the transaction -------------------------------------------------------------
    def begin(self) -> None:
        """Take the company's write lock; the cached balances are re-read if someone else recorded meanwhile."""
        if self.synced is None:
            self._prefetch()
        self.ledger.begin(self.company)
        self.unconfirmed = None
        with self.ledger.guard():
            now = self._newest()
            if self.synced is None or now[1] != self.synced[1]:
                self.imported_names.clear()
                self.all_names = False
            if self.synced is None:
                self.cache.clear()
                self.complete = False
            elif now[0] != self.synced[0]:
                self._refresh(self.synced[0])
            self.shared = self.synced is not None and now[0] != self.synced[0]
            self.synced = now

    def _newest(self) -> tuple[int, int]:
        """The company's newest decision and imported customer: what a cache that reflects them has seen."""
        row = self.backend.execute(
            "SELECT (SELECT MAX(id) FROM bizops_decisions WHERE company = ?), "
            "(SELECT MAX(id) FROM bizops_customers WHERE company = ?)",
            (self.company, self.company),
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0)

    def _prefetch(self) -> None:
        """A small company's balances and imported customers, read before taking the lock (three queries).

        The newest ids are read first: whatever is committed between them and
        the balances is re-read at `begin` (`_refresh`), never missed. So
        four writers starting at once do not each spend a round trip per
        customer while holding the lock the others wait for.
        """
        with self.ledger.guard():
            synced = self._newest()
            rows = self.backend.execute(
                "SELECT kind, key, total, entries, value, value_decision, value_seq FROM bizops_balances "
                f"WHERE company = ? LIMIT {PREFETCH_LIMIT + 1}",
                (self.company,),
            ).fetchall()
            names = self.backend.execute(
                f"SELECT name FROM bizops_customers WHERE company = ? LIMIT {PREFETCH_LIMIT + 1}", (self.company,)
            ).fetchall()
            self.backend.rollback()  # PostgreSQL: no transaction left open while waiting for the lock
        self.cache.clear()
        self.imported_names.clear()
        self.complete = len(rows) <= PREFETCH_LIMIT
        if self.complete:
            for kind, key, *rest in rows:
                self.cache[kind, key] = self.ledger.balance_of(tuple(rest))
        self.all_names = len(names) <= PREFETCH_LIMIT
        if self.all_names:
            self.imported_names.update((codec.normal(name), True) for (name,) in names)  # spelled before schema 4
        self.synced = synced

    def commit(self, meanwhile: Callable[[Callable[[], bool]], None] | None = None) -> None:
        """Write and commit the transaction; `meanwhile`, if the backend commits in another process, runs
        while it does (given a function telling whether the commit has answered)."""
        self._confirm()
        self.flush()
        self.ledger.commit(meanwhile)
        self.unconfirmed = None
        if self.synced is not None:
            self.synced = (max(self.synced[0], self.last_id), self.synced[1])
        self.identities.clear()

    def rollback(self) -> None:
        """Undo the transaction; what was cached from it is forgotten."""
        self.ledger.rollback()
        self.forget()

    def forget(self) -> None:
        self.cache.clear()
        self.imported_names.clear()
        self.complete = self.all_names = False
        self.identities.clear()
        self.unconfirmed = None
        self.synced = None
        self._saved = None
        self.row_entries, self.row_reads = [], set()
        self._pending()

    def _refresh(self, since: int) -> None:
        """Re-read the cached balances other writers changed since decision `since` (one range query)."""
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
            self.complete = False
            return
        with self.ledger.guard():
            rows = self.backend.execute(
                "SELECT kind, key, total, entries, value, value_decision, value_seq FROM bizops_balances "
                "WHERE company = ? AND changed > ?",
                (self.company, since),
            ).fetchall()
        for kind, key, *rest in rows:
            if self.complete or (kind, key) in self.cache:  # a complete cache takes new balances in too
                self.cache[kind, key] = self.ledger.balance_of(tuple(rest))

    # -- balances as this writer sees them ------------------------------------------
    def balance(self, kind: str, key: str) -> Balance:
        found = self.cache.get((kind, key))
        if found is None:
            stored = EMPTY if self.complete else self.ledger.balance(self.company, kind, key)
            found = self.cache[kind, key] = stored.copy()
        return found

    def imported(self, name: str) -> bool:
        found = self.imported_names.get(name)
        if found is None:
            found = self.imported_names[name] = not self.all_names and self.ledger.imported(self.company, name)
        return found

    def read(self, kind: str, key: str) -> Balance:
        """A balance the current row's decision reads (remembered: `ledger show` lists who used what)."""
        self.row_reads.add((kind, key))
        return self.balance(kind, key)

    def known_customer(self, name: str) -> bool:
        self.row_reads.add((CUSTOMER_KIND, name))
        return self.imported(name) or self.balance(CUSTOMER_KIND, name).entries > 0

    def _touch(self, kind: str, key: str) -> Balance:
        found = self.balance(kind, key)
        saved = self._saved
        if saved is not None and (kind, key) not in saved:  # its fields, not a copy: this runs for every row
            saved[kind, key] = (found, found.fields())
        found.dirty = True
        return found

    # -- one row: all or nothing -------------------------------------------------------
    def start_row(self) -> None:
        self._saved = {}
        self.row_entries, self.row_reads = [], set()

    def undo_row(self) -> None:
        for balance, fields in (self._saved or {}).values():
            balance.restore(fields)
        self._saved = None
        self.row_entries, self.row_reads = [], set()

    def keep_row(self) -> None:
        self._saved = None
        self.row_entries, self.row_reads = [], set()
        if self.backend.streams and len(self.decisions) >= STREAM_ROWS:
            if self.backend.behind():  # the writer has more than it can do: these checksums are made here
                self.decisions = with_checksums(as_text(self.decisions), self.entries)
            self.flush(balances=False)  # the writer process stores these while this one decides the next

    def add(self, kind: str, key: str, amount: str) -> None:
        """Add an amount, given as its canonical text (`codec.amount_text`, as the entry keeps it), to a balance."""
        balance = self._touch(kind, key)
        balance.total += Decimal(amount)
        balance.entries += 1
        self.row_entries.append({"kind": kind, "key": key, "amount": amount, "value": None, "sign": 1})

    def set(self, kind: str, key: str, value: str) -> None:
        balance = self._touch(kind, key)
        balance.value, balance.ref = value, None  # the entry's place is known once its decision is stored
        balance.entries += 1
        self.row_entries.append({"kind": kind, "key": key, "amount": None, "value": value, "sign": 1})

    # -- storing decisions -------------------------------------------------------------
    def store(
        self,
        decision: dict,
        entries: list[dict],
        reads: Iterable[tuple[str, str]] = (),
        identities: Iterable[tuple[str, str]] = (),
        moved: bool = False,
    ) -> int:
        """Keep one decision, given as a dict of its fields (`DECISION_FIELDS` from company to reverses, and
        its request id), with its entries (already applied to the balances); returns its id.

        `identities` are the (request id, digest of its inputs) it answers (a
        digest None is worked out from the stored inputs by `digest_of` where
        the rows are written, `write_pending`);
        `moved` when they may already point at an earlier decision (an
        aggregate run's events), else they are new (a row whose id was found
        is never stored: it is shown, refused, or amended after its old
        identity was freed).
        """
        return self.store_head(_head(decision), decision.get("request_id"), entries, reads, identities, moved)

    def store_head(
        self,
        head: tuple,
        request_id: str | None,
        entries: list[dict],
        reads: Iterable[tuple[str, str]] = (),
        identities: Iterable[tuple[str, str]] = (),
        moved: bool = False,
    ) -> int:
        """`store` for a decision's fields as a tuple (`HEAD_FIELDS`, as `decision_head` makes them): the
        recorder's way, with no dict a row to build and take apart again."""
        decision_id = self._new_id()
        if decision_id > 0:
            self.last_id = decision_id
        company = head[0]
        rows = []  # the entries as stored, made in the loop that numbers them (this runs for every row)
        for seq, entry in enumerate(entries, 1):
            entry["seq"] = seq
            kind, key, value, sign = entry["kind"], entry["key"], entry["value"], entry["sign"]
            if value is not None and sign == 1:
                self.balance(kind, key).ref = (decision_id, seq)
            rows.append((decision_id, seq, company, kind, key, entry["amount"], value, sign))
        checksum = None  # a writer process seals it where the rows are written (`write_pending`)
        if not self.backend.streams:
            fields = dict(zip(HEAD_FIELDS, head), entry_count=len(rows), request_id=request_id)
            checksum = codec.sealed(fields, [[r[1], *r[3:]] for r in rows])
        customer = head[_CUSTOMER]
        if customer and head[_REVERSES] is None:
            self._touch(CUSTOMER_KIND, customer).entries += 1
        row = (decision_id, *head, len(rows), checksum, request_id)
        self.decisions.append(row)
        self.entries += rows
        if reads:
            self.reads += [(decision_id, company, kind, key) for kind, key in reads]
        kept = self.moved_identities if moved else self.new_identities
        command = head[1]
        for answered, digest in identities:
            kept[command, answered] = (company, command, answered, decision_id, digest)
            self.identities[command, answered] = Known(
                decision_id,
                digest,
                row[_OUTPUTS],
                row[_OUTPUTS_ZH],
                row[_DECIDED_AT],
                row[_USER],
                request_id,
                row[_INPUTS] if digest is None else None,
            )
        return decision_id

    def known(self, command: str, request_ids: list[str]) -> dict[str, Known]:
        """The standing decisions for these request ids: recorded in this transaction, else in the ledger."""
        found, missing = self._known_here(command, request_ids)
        if missing:
            found.update(self._standing(command, self.ledger.known(self.company, command, missing)))
        return found

    def look_ahead(self, command: str, request_ids: list[str]) -> tuple[int, dict[str, Known]] | None:
        """A batch's request ids looked up before `begin` takes the lock (`known_soon` checks the answer
        under it), so a writer waiting for the lock does it while another writer holds it. None with a
        writer process, which looks them up while the batch is decided."""
        if self.backend.streams or not request_ids or not self.ledger.exists:
            return None
        with self.ledger.guard():
            since = self._newest()[0]  # read first: whatever commits after it has a larger id
            self.backend.rollback()  # PostgreSQL: no transaction left open while waiting for the lock
        return since, self.ledger.known(self.company, command, list(dict.fromkeys(request_ids)))

    def known_soon(
        self, command: str, request_ids: list[str], ahead: tuple[int, dict[str, Known]] | None = None
    ) -> dict[str, Known]:
        """`known` for a batch's rows: under the lock, from what `look_ahead` found before it (`_checked`), or
        looked up by a writer process while the first rows are decided.

        The writer process is asked in chunks, the first small; `get(id)` takes the
        answer of the chunk holding `id` (the only way `Recorder._row` reads it).
        """
        if not self.backend.streams:
            return self.known(command, request_ids) if ahead is None else self._checked(command, request_ids, ahead)
        found, missing = self._known_here(command, request_ids)
        chunks = [missing[:FIRST_LOOKUP]] + [missing[i : i + LOOKUP] for i in range(FIRST_LOOKUP, len(missing), LOOKUP)]
        asked = [(ids, self.ledger.known_soon(self.company, command, ids)) for ids in chunks if ids]
        return _Asked(found, asked, lambda answer: self._standing(command, answer))

    def _checked(self, command: str, request_ids: list[str], ahead: tuple[int, dict[str, Known]]) -> dict[str, Known]:
        """`look_ahead`'s answer under the lock.

        After a reversal or a run recorded since (they free ids and take
        them over: `Ledger.moved_since`) every id is asked again. Otherwise
        the answer stands, and an id another writer recorded since is still
        caught: the identities' key refuses this batch's row for it (a
        `Conflict`: the batch runs again and finds it), and a row that
        stores nothing has its id asked again before the commit (`unstored`).
        Asking which of the batch's ids others recorded took 4–17 ms a batch
        under the lock four writers take turns at (docs/ledger.md, Speed).
        """
        since, found = ahead
        if self.synced is None or self.synced[0] != since:
            if self.ledger.moved_since(self.company, since):
                return self.known(command, request_ids)
            self.unconfirmed = (command, [])
        here, _ = self._known_here(command, request_ids)
        return {**self._standing(command, {r: k for r, k in found.items() if r not in here}), **here}

    def unstored(self, request_id: str) -> None:
        """A row whose request id the ledger did not hold stored nothing (refused, invalid, failed)."""
        if self.unconfirmed is not None:
            self.unconfirmed[1].append(request_id)

    def _confirm(self) -> None:
        """Before the commit: a row that stored nothing for an id another writer recorded while this one waited
        for the lock would have been answered as that recorded decision; the batch runs again instead."""
        if self.unconfirmed is not None and self.unconfirmed[1]:
            command, ids = self.unconfirmed
            if self.ledger.known(self.company, command, ids):
                raise self._taken()

    def _taken(self) -> Conflict:
        return Conflict(
            msg(
                "ledger {p}: another bizops recorded some of the same request ids meanwhile; try again",
                "账本 {p}：另一个 bizops 同时记录了相同的请求编号；请重试",
                p=self.ledger.location.shown,
            )
        )

    def _known_here(self, command: str, request_ids: list[str]) -> tuple[dict[str, Known], list[str]]:
        found = {r: self.identities[command, r] for r in request_ids if (command, r) in self.identities}
        return found, [r for r in dict.fromkeys(request_ids) if r not in found]

    def _standing(self, command: str, looked_up: dict[str, Known]) -> dict[str, Known]:
        """The ledger's answers, without decisions this transaction freed the ids of; kept for later rows."""
        found = {}
        for request_id, known in looked_up.items():
            if (command, known.decision_id) not in self.forgotten:
                found[request_id] = self.identities[command, request_id] = known
        return found

    def _new_id(self) -> int:
        return self.backend.new_id()  # SQLite's next, or PostgreSQL's provisional one: no round trip

    def _real_ids(self) -> None:
        """Give the decisions stored with provisional (negative) ids their real ones, everywhere they appear."""
        provisional = [row[0] for row in self.decisions if row[0] < 0]
        if not provisional:
            return
        real = dict(zip(sorted(provisional, reverse=True), self.backend.real_ids(len(provisional))))
        self.renamed.update(real)

        def fix(row: tuple) -> tuple:
            return (real.get(row[0], row[0]), *row[1:])

        self.decisions = [fix(r) for r in self.decisions]
        self.entries = [fix(r) for r in self.entries]
        self.reads = [fix(r) for r in self.reads]
        for kept in (self.new_identities, self.moved_identities):
            for k, v in kept.items():
                kept[k] = (*v[:3], real.get(v[3], v[3]), v[4])
        for known in self.identities.values():
            known.decision_id = real.get(known.decision_id, known.decision_id)
        for balance in self.cache.values():
            if balance.ref is not None and balance.ref[0] in real:
                balance.ref = (real[balance.ref[0]], balance.ref[1])
        self.last_id = max(real.values())

    def flush(self, balances: bool = True) -> None:
        """Hand what was stored since the last flush to the backend to write (the transaction stays open).

        `balances=False` while a batch streams its rows to a writer process
        (`keep_row`): the decisions and what they keep, not yet the balances,
        which are written once, when the batch ends.
        """
        backend = self.backend
        with self.ledger.guard():
            self._real_ids()
            dirty = [(k, b) for k, b in self.cache.items() if b.dirty] if balances else []
            totals = [
                (
                    self.company,
                    kind,
                    key,
                    stored_amount(backend.dialect, codec.amount_text(b.total)),
                    b.entries,
                    b.value,
                    *(b.ref or (None, None)),
                    self.last_id,  # under the lock, newer than anything another writer recorded
                )
                for (kind, key), b in dirty
            ]
            if self.decisions or self.forgotten or self.new_identities or self.moved_identities or totals:
                self._submit(
                    write_pending,
                    self.digest_of,
                    self.company,
                    self.decisions,
                    self.entries,
                    self.reads,
                    self.forgotten,
                    list(self.new_identities.values()),
                    list(self.moved_identities.values()),
                    totals,
                )
            for _, b in dirty:
                b.dirty = False
        self._pending()

    def _submit(self, *pending) -> None:
        """`backend.submit`: an identity row the ledger refuses because another writer recorded its request id
        while this one trusted what it had looked up before the lock (`_checked`) is a `Conflict`."""
        try:
            self.backend.submit(*pending)
        except self.backend.driver_errors as exc:
            if self.unconfirmed is not None and self.backend.taken(exc):
                raise self._taken() from None
            raise

    # -- corrections -------------------------------------------------------------------
    def reverse(self, decision_id: int, note: str | None, now: str, by: dict) -> dict:
        """Record a decision undoing `decision_id` inside this transaction; `by` says who and where.

        Each balance gets back what the decision's part of it still is (`lots`);
        its values are withdrawn (the latest standing value before it shows
        again); its request id is free to be recorded again.
        """
        self.flush()
        original = self.ledger.decision(decision_id)
        _may_reverse(original, decision_id)
        assert original is not None
        negated, withdrawn, changed = [], [], set()
        for entry in self.ledger.entries(decision_id):
            kind, key = entry["kind"], codec.normal(entry["key"])
            balance = self._touch(kind, key)
            balance.entries -= 1
            if entry["amount"] is None:
                if balance.ref == (decision_id, entry["seq"]):
                    withdrawn.append((kind, key))
                amount = None
            else:
                change = Decimal(0) if (kind, key) in changed else self._undo(kind, key, decision_id)
                changed.add((kind, key))
                balance.total += change
                amount = codec.amount_text(change)
            negated.append({"kind": kind, "key": key, "amount": amount, "value": entry["value"], "sign": -1})
        if original["customer"]:
            self._touch(CUSTOMER_KIND, codec.normal(original["customer"])).entries -= 1
        body = {"reverses": decision_id, "note": note}
        fields = {f: original[f] for f in ("company", "command", "customer", "plugin", "plugin_version")}
        reversal = dict(
            fields,
            row_label=None,
            status=None,
            decided_at=now,
            bizops_version=__version__,
            policy_fingerprint=original["policy_fingerprint"],
            inputs=codec.dumps(body),
            outputs=codec.dumps(body),
            outputs_zh=None,
            reverses=decision_id,
            request_id=None,
            **by,
        )
        new_id = self.store(reversal, negated)
        # Its request id may be recorded again; a scorecard frees the events of its whole run.
        run = original["request_id"]
        freed = {decision_id}
        if run and run.startswith(RUN_PREFIX):
            freed |= {d["id"] for d in self.ledger.run_decisions(original["company"], original["command"], run)}
        self.forgotten.extend((original["command"], d) for d in sorted(freed))
        self.identities = {k: v for k, v in self.identities.items() if v.decision_id not in freed}
        self.flush()  # the reversal is in: the values it withdrew give way to the latest standing ones
        new_id = self.renamed.get(new_id, new_id)
        for kind, key in withdrawn:
            balance = self._touch(kind, key)
            balance.value, balance.ref = self._latest_standing(kind, key)
        self.flush()
        return {
            "id": new_id,
            "reverses": decision_id,
            "company": original["company"],
            "command": original["command"],
            "entries": len(negated),
            "note": note,
            "used_by": self.ledger.used_by(dict(original, reversed_by=new_id)),
        }

    def _undo(self, kind: str, key: str, decision_id: int) -> Decimal:
        keys = self.ledger.spellings(self.company, kind, key)
        with self.ledger.guard():
            rows = self.backend.execute(
                "SELECT e.decision_id, e.amount, d.reverses FROM bizops_entries e "
                "JOIN bizops_decisions d ON d.id = e.decision_id WHERE e.company = ? AND e.kind = ? "
                f"AND e.key IN ({', '.join('?' * len(keys))}) AND e.amount IS NOT NULL ORDER BY e.id",
                (self.company, kind, *keys),
            ).fetchall()
            lots, _ = replay((d, self.ledger.amount(a), r) for d, a, r in rows)
        return lots.undo(decision_id)

    def _latest_standing(self, kind: str, key: str) -> tuple[str | None, tuple | None]:
        keys = self.ledger.spellings(self.company, kind, key)
        with self.ledger.guard():
            row = self.backend.execute(
                "SELECT e.value, e.decision_id, e.seq FROM bizops_entries e WHERE e.company = ? AND e.kind = ? "
                f"AND e.key IN ({', '.join('?' * len(keys))}) AND e.value IS NOT NULL AND e.sign = 1 AND NOT EXISTS "
                "(SELECT 1 FROM bizops_decisions r WHERE r.reverses = e.decision_id) ORDER BY e.id DESC LIMIT 1",
                (self.company, kind, *keys),
            ).fetchone()
        return (None, None) if row is None else (row[0], (int(row[1]), int(row[2])))

    @contextlib.contextmanager
    def savepoint(self):
        """A part of the transaction that can be undone alone (an amendment that turns out invalid).

        What it wrote is flushed first, so undoing it is the database's
        ROLLBACK TO; the cache then starts again from the database.
        """
        self.flush()
        with self.ledger.guard():
            self.backend.execute("SAVEPOINT bizops_row")
        try:
            yield
        except BaseException:
            with self.ledger.guard():
                self.backend.execute("ROLLBACK TO SAVEPOINT bizops_row")
            last, synced = self.last_id, self.synced
            self.forget()
            self.last_id, self.synced = last, synced
            raise
        self.flush()
        with self.ledger.guard():
            self.backend.execute("RELEASE SAVEPOINT bizops_row")


class _Asked(dict):
    """`Books.known_soon`'s answer: a chunk's identities taken when a row first asks for an id in it."""

    def __init__(self, found: dict, asked: list[tuple[list[str], Callable[[], dict]]], accept: Callable):
        super().__init__(found)
        self._asked = asked[::-1]  # popped from the end: the first chunk first
        self._waiting = {request_id for ids, _ in asked for request_id in ids}
        self._accept = accept

    def get(self, key: Any, default: Any = None) -> Any:
        while key in self._waiting:
            ids, answered = self._asked.pop()
            self._waiting.difference_update(ids)
            self.update(self._accept(answered()))
        return super().get(key, default)


def _may_reverse(original: dict | None, decision_id: int) -> None:
    if original is None:
        raise UsageError(msg("no decision {i} in the ledger", "账本中没有决定 {i}", i=decision_id))
    if original["reverses"] is not None:
        raise UsageError(
            msg(
                "decision {i} is itself a reversal (of {o}); record the decision again instead",
                "决定 {i} 本身就是冲销（冲销 {o}）；请重新记录该决定",
                i=decision_id,
                o=original["reverses"],
            )
        )
    if original["reversed_by"] is not None:
        raise UsageError(
            msg(
                "decision {i} was already reversed by decision {r}",
                "决定 {i} 已被决定 {r} 冲销",
                i=decision_id,
                r=original["reversed_by"],
            )
        )


# -- balances from the records (the v2 migration builds them; `ledger check` compares) ----------
def computed_balances(ledger: Ledger) -> tuple[dict[tuple, list], set[tuple]]:
    """Every balance as the records say it: `{(company, kind, key): [total, entries, value, ref]}`.

    Also the key spellings that are not normalised, as `(company, kind, key, written)`.
    """
    backend = ledger.backend
    reversed_ids = {
        int(r[0]) for r in backend.execute("SELECT reverses FROM bizops_decisions WHERE reverses IS NOT NULL")
    }
    balances: dict[tuple, list] = {}
    aliases: set[tuple] = set()
    cursor = backend.execute(
        "SELECT decision_id, seq, company, kind, key, amount, value, sign FROM bizops_entries ORDER BY id"
    )
    for decision_id, seq, company, kind, written, amount, value, sign in cursor:
        key = codec.normal(written)
        if key != written:
            aliases.add((company, kind, key, written))
        balance = balances.setdefault((company, kind, key), [Decimal(0), 0, None, None])
        if amount is not None:
            balance[0] += ledger.amount(amount)
        balance[1] += int(sign)
        if value is not None and sign == 1 and decision_id not in reversed_ids:
            balance[2], balance[3] = value, (int(decision_id), int(seq))
    # A decision naming a customer counts it once; its reversal (which names it too) takes that back.
    cursor = backend.execute("SELECT company, customer, reverses FROM bizops_decisions WHERE customer IS NOT NULL")
    for company, customer, reverses in cursor:
        balance = balances.setdefault((company, CUSTOMER_KIND, codec.normal(customer)), [Decimal(0), 0, None, None])
        balance[1] += 1 if reverses is None else -1
    return balances, aliases


def respell_keys(ledger: Ledger) -> None:
    """Migration to schema 4: keys compare full-width forms as ASCII (`codec.normal`).

    The balances are added up again under the new keys. The records keep
    their spellings, each known as an alias of its key: entries' keys (as
    `build_balances` finds them) and customers' names in decisions, imports
    and filings (kind `bizops:customer`), so a customer imported as
    `广州甲公司（番禺）` is known, and owned, as `广州甲公司(番禺)`.
    """
    backend = ledger.backend
    backend.execute("DELETE FROM bizops_balances")
    backend.execute("DELETE FROM bizops_key_aliases")
    build_balances(ledger)
    names = set()
    for table, column in (
        ("bizops_decisions", "customer"),
        ("bizops_customers", "name"),
        ("bizops_filings", "customer"),
    ):
        rows = backend.execute(f"SELECT DISTINCT company, {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()
        for company, written in rows:
            key = codec.normal(written)
            if key != written:
                names.add((company, CUSTOMER_KIND, key, written))
    if names:
        backend.execute_many(
            "INSERT INTO bizops_key_aliases (company, kind, key, written) VALUES (?, ?, ?, ?)", sorted(names)
        )


def build_balances(ledger: Ledger) -> None:
    """Migration to schema 2: the balances of every entry recorded so far, and the old key spellings."""
    balances, aliases = computed_balances(ledger)
    dialect = ledger.backend.dialect
    rows = [
        (company, kind, key, stored_amount(dialect, codec.amount_text(total)), entries, value, *(ref or (None, None)))
        for (company, kind, key), (total, entries, value, ref) in balances.items()
    ]
    if rows:
        ledger.backend.execute_many(
            f"INSERT INTO bizops_balances ({', '.join(BALANCE_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
    if aliases:
        ledger.backend.execute_many(
            "INSERT INTO bizops_key_aliases (company, kind, key, written) VALUES (?, ?, ?, ?)", sorted(aliases)
        )


__all__ = ["EMPTY", "Books", "build_balances", "computed_balances", "respell_keys"]
