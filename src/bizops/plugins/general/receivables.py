"""Receivables ageing and the next collection step: the general rules (seed 003) every company gets.

Per invoice (`bizops receivables INPUT --as-of DATE`), in this order:

    outstanding   amount − paid; 0 or less: bucket settled, next step none    receivables.outstanding
    due date      the row's, else invoice_date + terms_days (neither: the row is invalid)
    not yet due   next step notify from due_date − notice_days to the due     receivables.notice
                  date, both days included; none before; bucket not_due
    overdue       days_overdue = as_of − due_date; next step chase            receivables.chase
                  legal once chases ≥ legal_after_chases                      receivables.legal
                  bucket by days_overdue: 1-30, 31-60, 61-90, 91+             receivables.buckets
    risk_warning  on every open invoice of a customer with an open invoice    receivables.risk
                  more than risk_after_days overdue, or at legal
    salesperson   the row's, else the customer's owner in the ledger          receivables.owner

Where the spec is silent, what a sales admin chasing payments expects:

- `notify_from` is given for every open invoice (for an overdue one, the day
  the notice was due), never for a settled one.
- A customer is the `customer` text of its rows as the ledger keys it
  (`name_key`: `广州甲公司（番禺）` and `广州甲公司(番禺)`, `恒通  电器` and
  `恒通 电器` are one customer, at risk together; the summary shows that key,
  each invoice its name as written). An overpaid
  invoice is not set against the customer's others: it is settled with a
  warning naming the amount, and the summary counts open invoices only.
- Chases of an invoice not yet due change nothing: chasing starts after the due date.
- A `due_date` before the `invoice_date` is kept (the contract's date wins)
  with a warning: it is usually a typo.
- `bucket_days` is three edges (sorted; any other count is a config error):
  the summary's four overdue columns `d1_30` … `d91_plus` are the four
  buckets in order whatever the edges, and a warning names them when they are
  not 30, 60, 90.
- The summary has a row for every key met, also one whose invoices are all
  settled (0 open invoices): the customer was collected, not forgotten.
- A row naming no salesperson, whose customer has no owner in the ledger,
  gets an empty salesperson and a warning; the summary by salesperson puts
  such invoices under "".
- An invoice listed again (the same number, customer, amount and due date:
  two exports pasted into one book) is aged once, on its first row; each
  copy is its row's error naming that row (exit 65). Instalments of one
  invoice differ in due date and are not copies. Found in bounded memory
  (`Copies`).

Two passes, memory by customers. A row's risk warning depends on invoices of
the same customer anywhere in the input, and rows are written in input order,
so no row can be written before the last one is read. The first pass decides
each row but its warning, keeps per customer only whether it is at risk (and
why), and spools the decided row to a temporary file as plain values
(`Spool`: one batch of 2,048 rows in memory); the second pass reads the spool
back and adds the warning. Memory grows with the number of customers, not of
invoices, for a file and for stdin alike. The summary (`--by`) needs one
pass: each invoice is added into its (salesperson, customer) pair, whose risk
is its customer's, known at the end.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bizops.api import CENT, ZERO, ConfigError, Outcome, Request, RowError, Spool, Text, msg, name_key

from .copies import Copies, listed_again, listing_of
from .spec import BUCKETS, CHASE, LEGAL, NOTICE, OUTSTANDING, OWNER, RECEIVABLES, RISK

SETTLED, NOT_DUE = "settled", "not_due"
NONE, NOTIFY, CHASING, AT_LEGAL = "none", "notify", "chase", "legal"
DEFAULT_EDGES = (30, 60, 90)


def collect(requests: Iterable[Request], policy: Any, context: Any) -> Iterator[Outcome]:
    """The core's `bizops_collect`: one row per invoice in input order, or with `--by` the ageing summary."""
    ageing = Ageing(policy, context)
    by = context.options.get("by")
    return ageing.summary(requests, by) if by else ageing.invoices(requests)


# -- the rules, one function each -----------------------------------------------------------
def due_date(due: date | None, invoice_date: date | None, terms_days: int) -> date | None:
    """The row's due date, else its invoice date plus the credit term; None when it has neither date."""
    if due is not None:
        return due
    if invoice_date is None:
        return None
    return invoice_date + timedelta(days=terms_days)


def next_step(as_of: date, due: date, notify_from: date, chases: int, legal_after: int) -> str:
    """receivables.notice, .chase, .legal: the next step for an open invoice.

    Not yet due: `notify` from `notify_from` to the due date, both included,
    `none` before. Overdue (the day after the due date on): `chase`, or
    `legal` once it has been chased `legal_after` times.
    """
    if as_of > due:
        return AT_LEGAL if chases >= legal_after else CHASING
    return NOTIFY if as_of >= notify_from else NONE


def bucket_edges(policy: Any) -> tuple[int, ...]:
    """receivables.buckets: the policy's three edges, sorted; another count is the config's error (78)."""
    edges = tuple(sorted(set(policy.bucket_days)))
    if len(edges) != 3:
        where = policy.sources.get("bucket_days", "default")
        raise ConfigError(
            msg(
                "{f}: [company.{c}] bucket_days must be three different day counts (as [30, 60, 90]), got {v}",
                "{f}：[company.{c}] bucket_days 须为三个不同的天数（如 [30, 60, 90]），实际为 {v}",
                f=where,
                c=policy.company,
                v=list(policy.bucket_days),
            )
        )
    return edges


def bucket_names(edges: tuple[int, ...]) -> tuple[str, ...]:
    """The overdue buckets' names: `1-30`, `31-60`, `61-90`, `91+` for the edges 30, 60, 90."""
    lows = (1,) + tuple(edge + 1 for edge in edges)
    return tuple(f"{low}-{high}" for low, high in zip(lows, edges)) + (f"{lows[-1]}+",)


def bucket(days: int, edges: tuple[int, ...], names: tuple[str, ...]) -> str:
    """receivables.buckets: an invoice `days` (≥ 1) overdue is in the first bucket whose edge it does not pass."""
    return names[bisect_left(edges, days)]


def at_risk(days: int, step: str, risk_after: int) -> bool:
    """receivables.risk: an open invoice more than `risk_after` days overdue, or at legal, puts its customer at risk."""
    return days > risk_after or step == AT_LEGAL


# -- one stream ---------------------------------------------------------------------------------
#: A decided invoice, as `Ageing.decide` returns it (a plain tuple: a million are made), and the
#: indexes the summary reads:
#: invoice, customer, salesperson, amount, paid, owed, due, days, bucket, step, notify_from, chases, notes, given
#: with `notes` None or (warnings, trace): few rows have any, except under --explain.
CUSTOMER, SALESPERSON, OWED, BUCKET, STEP = 1, 2, 5, 8, 9
#: … then whether the row gave its invoice number (a copy is looked for only then); a spooled record ends
#: with its row instead.
GIVEN = ROW = 13


class Ageing:
    """The rules over one stream: the policy's values, the customers at risk, the owners looked up."""

    def __init__(self, policy: Any, context: Any):
        self.as_of: date = context.options.get("as_of") or context.now.date()
        self.edges = bucket_edges(policy)
        self.names = bucket_names(self.edges)
        self.index = {name: i for i, name in enumerate(self.names)}  # a bucket's column in the summary
        self.terms = policy.terms_days
        self.notice_days = policy.notice_days
        self.notice = timedelta(days=policy.notice_days)
        self.legal_after = policy.legal_after_chases
        self.risk_after = policy.risk_after_days
        self.explain = context.explain
        self.history = lambda: context.history  # opened only if a row needs an owner
        #: customer -> (invoice, days overdue, step) of its worst invoice past the line: why it is at risk
        self.risky: dict[str, tuple[str, int, str]] = {}
        self.owners: dict[str, str | None] = {}
        if self.edges != DEFAULT_EDGES and context.options.get("by"):
            context.warn(
                msg(
                    "bucket_days is {e}: d1_30, d31_60, d61_90 and d91_plus hold the buckets {n}",
                    "bucket_days 为 {e}：d1_30、d31_60、d61_90、d91_plus 四列依次为 {n} 天",
                    e=list(self.edges),
                    n=", ".join(self.names),
                )
            )

    # -- pass one: every row but its risk warning ---------------------------------------------
    def decide(self, row: int | str, fields: dict) -> tuple:
        """One invoice decided as far as it can be alone (the tuple above); a `RowError` if it cannot."""
        customer, chases = fields["customer"], fields["chases"]
        amount, paid = amounts(fields["amount"], fields["paid"], fields["outstanding"])
        invoice = fields["invoice"] or str(row)
        warnings: list[Text] = []
        trace: list | None = [] if self.explain else None
        salesperson = fields["salesperson"] or self.owner(customer, warnings, trace)
        terms = fields["terms_days"]
        invoiced = fields["invoice_date"]
        try:
            due = due_date(fields["due_date"], invoiced, self.terms if terms is None else terms)
            if due is None:
                raise RowError(
                    msg(
                        "needs a due_date, or an invoice_date to add terms_days to",
                        "须有到期日（due_date），或开票日期（invoice_date）加账期天数",
                    )
                )
            notify: date | None = due - self.notice
        except OverflowError:
            raise RowError(msg("the due date falls outside the calendar", "到期日超出日历范围")) from None
        if invoiced is not None and fields["due_date"] is not None and due < invoiced:
            warnings.append(
                msg(
                    "due_date {d} is before invoice_date {i}",
                    "到期日 {d} 早于开票日期 {i}",
                    d=due.isoformat(),
                    i=invoiced.isoformat(),
                )
            )
        owed = amount - paid
        if owed <= 0:
            days, kind, step, notify = 0, SETTLED, NONE, None
            if owed < 0:
                warnings.append(msg("overpaid by {x}", "多收 {x}", x=-owed))
        else:
            days = (self.as_of - due).days
            step = next_step(self.as_of, due, due - self.notice, chases, self.legal_after)
            if days > 0:
                kind = bucket(days, self.edges, self.names)
                if at_risk(days, step, self.risk_after):
                    self.at_risk(name_key(customer), invoice, days, step)
            else:
                days, kind = 0, NOT_DUE
        if trace is not None:
            self.explained(trace, fields, amount, paid, owed, due, days, kind, step, notify)
        notes = (warnings, trace) if warnings or trace else None
        given = bool(fields["invoice"])
        return (invoice, customer, salesperson, amount, paid, owed, due, days, kind, step, notify, chases, notes, given)

    def at_risk(self, customer: str, invoice: str, days: int, step: str) -> None:
        """Remember that `customer` is at risk, by its most overdue invoice (the one a trace names)."""
        known = self.risky.get(customer)
        if known is None or days > known[1]:
            self.risky[customer] = (invoice, days, step)

    def owner(self, customer: str, warnings: list, trace: list | None) -> str:
        """receivables.owner: the customer's owner in the ledger, looked up once per customer; "" with a warning."""
        key = name_key(customer)
        try:
            owner = self.owners[key]
        except KeyError:
            owner = self.owners[key] = self.history().owner(key)
        if owner is None:
            found = msg(
                "no salesperson: the row names none and the ledger has no owner of {c}",
                "无业务员：该行未填，台账中也没有 {c} 的建档业务员",
                c=customer,
            )
            warnings.append(found)
        else:
            found = msg(
                "the row names no salesperson: {c} is {o}'s, who filed it first",
                "该行未填业务员：{c} 由最先建档的 {o} 负责",
                c=customer,
                o=owner,
            )
        if trace is not None:
            trace.append(OWNER.applied(found))
        return owner or ""

    def each_decided(self, requests: Iterable[Request]) -> Iterator[tuple[Any, tuple | RowError]]:
        """Each invoice's row and the invoice as `decide` gives it, or the `RowError` that says why not."""
        for row, fields in requests:
            try:
                aged: tuple | RowError = self.decide(row, fields)
            except RowError as exc:
                exc.row = row
                aged = exc
            yield row, aged

    # -- per invoice: pass one spools, pass two adds the warning -------------------------------------
    def invoices(self, requests: Iterable[Request]) -> Iterator[Outcome]:
        """One result per invoice, in input order, once every invoice has been read (see the module's doc).

        An invoice listed again (`Copies`) is aged once: the copies after the first are the rows' errors.
        """
        spool, copies = Spool(), Copies()
        try:
            for row, aged in self.each_decided(requests):
                if isinstance(aged, RowError):
                    yield aged
                    continue
                record = _plain(aged, row)
                if aged[GIVEN]:
                    copies.add(_listed(record))
                spool.append(record)
            suspects = copies.suspects()
            numbers = {listing[0] for listing in suspects}
            first: dict[tuple, Any] = {}
            for record in spool:
                if record[0] in numbers:
                    key = _listed(record)
                    if key in suspects:
                        earlier = first.setdefault(key, record[ROW])
                        if earlier != record[ROW]:
                            yield listed_again(record[0], earlier, record[ROW])
                            continue
                yield self.result(record)
        finally:
            spool.close()

    def result(self, record: tuple) -> dict:
        """Pass two: a spooled invoice as its result, with its customer's risk warning."""
        invoice, customer, salesperson, amount, paid, owed, due, days, kind, step, notify, chases, notes, _ = record
        risky = kind != SETTLED and name_key(customer) in self.risky
        result = {
            "invoice": invoice,
            "customer": customer,
            "salesperson": salesperson,
            "amount": Decimal(amount),
            "paid": Decimal(paid),
            "outstanding": Decimal(owed),
            "due_date": date.fromordinal(due),
            "days_overdue": days,
            "bucket": kind,
            "next_step": step,
            "notify_from": None if notify is None else date.fromordinal(notify),
            "chases": chases,
            "risk_warning": risky,
            "warnings": [],
        }
        if notes is not None:
            warnings, trace = notes
            result["warnings"] = [Text(en, zh) for en, zh in warnings]
            if trace is not None:
                if kind != SETTLED:
                    trace.append(self.risk_trace(customer))
                result["trace"] = trace
        return result

    def risk_trace(self, customer: str) -> dict:
        why = self.risky.get(name_key(customer))
        if why is None:
            effect = msg(
                "{c}: no open invoice over {n} days overdue or at legal: no warning",
                "{c}：没有逾期超过 {n} 天或走法律途径的发票：不预警",
                c=customer,
                n=self.risk_after,
            )
        elif why[2] == AT_LEGAL:
            effect = msg(
                "{c} at risk: invoice {i} goes to legal action",
                "{c} 风险预警：发票 {i} 已走法律途径",
                c=customer,
                i=why[0],
            )
        else:
            effect = msg(
                "{c} at risk: invoice {i} is {d} days overdue (over {n})",
                "{c} 风险预警：发票 {i} 逾期 {d} 天（超过 {n} 天）",
                c=customer,
                i=why[0],
                d=why[1],
                n=self.risk_after,
            )
        return RISK.applied(effect)

    # -- the summary: one pass -------------------------------------------------------------------
    def summary(self, requests: Iterable[Request], by: str) -> Iterator[Outcome]:
        """One row per customer or salesperson, sorted, from each invoice added into its (salesperson, customer) pair."""
        pairs: dict[tuple[str, str], Tally] = {}
        copies, listings, held = Copies(), Spool(), []
        try:
            for row, aged in self.each_decided(requests):
                if isinstance(aged, RowError):
                    yield aged
                    continue
                if aged[GIVEN]:
                    listing = listing_of(aged[0], aged[CUSTOMER], str(aged[3]), aged[6].toordinal())
                    listings.append((listing, row))
                    if copies.add(listing):  # perhaps listed before: counted once it is known not to be
                        held.append((listing, row, aged))
                        continue
                self.tally(pairs, aged)
            if held:
                first: dict[tuple, Any] = {}
                suspects = {listing for listing, _, _ in held}
                for listing, row in listings:
                    if listing in suspects and listing not in first:
                        first[listing] = row
                for listing, row, aged in held:
                    if first[listing] != row:
                        yield listed_again(aged[0], first[listing], row)
                    else:
                        self.tally(pairs, aged)
        finally:
            listings.close()
        keyed: dict[str, Tally] = {}
        at_risk: dict[str, list[str]] = {}
        for (salesperson, customer), tally in pairs.items():
            key = salesperson if by == "salesperson" else customer
            total = keyed.get(key)
            keyed[key] = tally if total is None else total.merge(tally)
            if tally.invoices and customer in self.risky:
                at_risk.setdefault(key, []).append(customer)
        for key in sorted(keyed):
            yield self.summary_row(by, key, keyed[key], sorted(at_risk.get(key, ())))

    def tally(self, pairs: dict[tuple[str, str], Tally], aged: tuple) -> None:
        """Add a decided invoice into its (salesperson, customer) pair's tally."""
        pair = (name_key(aged[SALESPERSON]), name_key(aged[CUSTOMER]))
        tally = pairs.get(pair)
        if tally is None:
            tally = pairs[pair] = Tally()
        tally.add(aged, self.index.get(aged[BUCKET]))

    def summary_row(self, by: str, key: str, tally: Tally, risky: list[str]) -> dict:
        b1, b2, b3, b4 = tally.buckets
        result: dict[str, Any] = {
            by: key,
            "invoices": tally.invoices,
            "outstanding": tally.outstanding,
            "not_due": tally.not_due,
            "d1_30": b1,
            "d31_60": b2,
            "d61_90": b3,
            "d91_plus": b4,
            "overdue": b1 + b2 + b3 + b4,
            "at_legal": tally.at_legal,
            "risk_warning": bool(risky),
            "warnings": tally.warnings(),
        }
        if self.explain:
            result["trace"] = self.summary_trace(tally, risky)
        return result

    def summary_trace(self, tally: Tally, risky: list[str]) -> list:
        amounts = [(NOT_DUE, tally.not_due), *zip(self.names, tally.buckets)]
        shown = "; ".join(f"{name} {amount}" for name, amount in amounts if amount)
        trace = [
            BUCKETS.applied(
                msg(
                    "{n} open invoices, {o} outstanding: {s}",
                    "{n} 张未结发票，未收 {o}：{s}",
                    n=tally.invoices,
                    o=tally.outstanding,
                    s=shown or "-",
                )
            )
        ]
        if risky:
            trace += [self.risk_trace(customer) for customer in risky[:5]]
            if len(risky) > 5:
                trace.append(RISK.applied(msg("and {n} more customers", "另有 {n} 个客户", n=len(risky) - 5)))
        return trace

    # -- --explain ------------------------------------------------------------------------------
    def explained(self, trace: list, fields: dict, amount, paid, owed, due, days, kind, step, notify) -> None:
        """The trace of one invoice (only under --explain): each rule that decided it, with its numbers."""
        shown = {"a": _money(amount), "p": _money(paid), "o": _money(owed)}
        trace.append(OUTSTANDING.applied(msg("{a} − {p} = {o}", "{a} − {p} = {o}", **shown)))
        if kind == SETTLED:
            return
        if fields["due_date"] is None:
            given = fields["terms_days"] is not None
            source = msg(
                "due {d}: invoiced {i} + {t} days{s}",
                "到期日 {d}：开票日期 {i} + {t} 天{s}",
                d=due.isoformat(),
                i=fields["invoice_date"].isoformat(),
                t=fields["terms_days"] if given else self.terms,
                s="" if given else " (policy terms_days)",
            )
        else:
            source = msg("due {d}", "到期日 {d}", d=due.isoformat())
        if days == 0:
            trace.append(
                NOTICE.applied(
                    source
                    + msg(
                        "; notices from {f} ({n} days before); as of {a}: {s}",
                        "；{f} 起发通知（提前 {n} 天）；截至 {a}：{s}",
                        f=notify.isoformat(),
                        n=self.notice_days,
                        a=self.as_of.isoformat(),
                        s=_label(step),
                    )
                )
            )
            return
        trace.append(
            CHASE.applied(
                source
                + msg(
                    "; as of {a}: {d} days overdue: chase",
                    "；截至 {a}：逾期 {d} 天，催收",
                    a=self.as_of.isoformat(),
                    d=days,
                )
            )
        )
        if step == AT_LEGAL:
            trace.append(
                LEGAL.applied(
                    msg(
                        "chased {c} times (legal after {n}) and unpaid: legal action",
                        "已催收 {c} 次（满 {n} 次）仍未付款：法律途径",
                        c=fields["chases"],
                        n=self.legal_after,
                    )
                )
            )
        trace.append(BUCKETS.applied(msg("{d} days overdue: {b}", "逾期 {d} 天：{b}", d=days, b=_label(kind))))


def amounts(amount: Decimal, paid: Decimal, outstanding: Decimal | None) -> tuple[Decimal, Decimal]:
    """receivables.outstanding: (amount, paid) from the columns an export has; what cannot be is a `RowError`.

    An export may give the amount and what is still open (未核销金额) instead of
    what was paid: paid (0, or not given) is then the rest. Given a paid
    amount as well, the three must agree.
    """
    if outstanding is None:
        return amount, paid
    if not paid:
        paid = amount - outstanding
        if paid < 0:
            raise RowError(
                msg(
                    "outstanding {o} is more than the amount {a}",
                    "未收金额 {o} 大于金额 {a}",
                    o=_money(outstanding),
                    a=_money(amount),
                )
            )
    elif amount - paid != outstanding:
        raise RowError(
            msg(
                "amount {a} − paid {p} is {d}, but outstanding says {o}",
                "金额 {a} − 已收 {p} = {d}，而未收金额为 {o}",
                a=_money(amount),
                p=_money(paid),
                d=_money(amount - paid),
                o=_money(outstanding),
            )
        )
    return amount, paid


def _plain(aged: tuple, row: Any) -> tuple:
    """A decided invoice as the spool keeps it: marshal's plain values (texts, ordinals), not Decimals and dates,
    and its row last.

    Warnings go as (en, zh) pairs, so a batch is marshalled unless it holds a trace (--explain).
    """
    invoice, customer, salesperson, amount, paid, owed, due, days, kind, step, notify, chases, notes, _ = aged
    return (
        invoice,
        customer,
        salesperson,
        str(amount),  # exact both ways: Decimal(str(d)) == d, digits and exponent alike
        str(paid),
        str(owed),
        due.toordinal(),
        days,
        kind,
        step,
        None if notify is None else notify.toordinal(),
        chases,
        None if notes is None else ([(str(w), getattr(w, "zh", str(w))) for w in notes[0]], notes[1]),
        row,
    )


def _listed(record: tuple) -> tuple:
    """A spooled invoice's listing (`listing_of`: number, customer, amount, due date)."""
    return listing_of(record[0], record[1], record[3], record[6])


def _label(value: str) -> Text:
    """An enum value in a trace: itself in English, its label in Chinese (`notify`, 发结算通知)."""
    zh = RECEIVABLES.labels.get(value)
    return Text(value, zh[0]) if zh else Text(value, value)


def _money(value: Decimal) -> str:
    """Money as text with its two decimals (the writer's fast path takes it as it is)."""
    text = str(value)
    return text if text[-3:-2] == "." else str(value.quantize(CENT))


class Tally:
    """The open invoices of one (salesperson, customer) pair, or of one summary row."""

    __slots__ = ("at_legal", "buckets", "invoices", "not_due", "outstanding", "overpaid", "overpaid_by", "unowned")

    def __init__(self) -> None:
        self.invoices = self.at_legal = self.overpaid = self.unowned = 0
        self.outstanding = self.not_due = self.overpaid_by = ZERO
        self.buckets = [ZERO, ZERO, ZERO, ZERO]

    def add(self, aged: tuple, overdue: int | None) -> None:
        """One decided invoice; `overdue` is the index of its overdue bucket (None when it is not overdue)."""
        owed, kind = aged[OWED], aged[BUCKET]
        if not aged[SALESPERSON]:  # neither the row nor the ledger named one
            self.unowned += 1
        if kind == SETTLED:
            if owed < 0:
                self.overpaid += 1
                self.overpaid_by -= owed
            return
        self.invoices += 1
        self.outstanding += owed
        if overdue is None:
            self.not_due += owed
        else:
            self.buckets[overdue] += owed
        if aged[STEP] == AT_LEGAL:
            self.at_legal += 1

    def merge(self, other: Tally) -> Tally:
        for name in ("invoices", "at_legal", "overpaid", "unowned", "outstanding", "not_due", "overpaid_by"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.buckets = [a + b for a, b in zip(self.buckets, other.buckets)]
        return self

    def warnings(self) -> list[Text]:
        found = []
        if self.overpaid:
            found.append(
                msg(
                    "{n} invoice(s) overpaid, by {x} in all",
                    "{n} 张发票多收，共 {x}",
                    n=self.overpaid,
                    x=self.overpaid_by,
                )
            )
        if self.unowned:
            found.append(
                msg(
                    "{n} invoice(s) name no salesperson, and the ledger has no owner of their customer",
                    "{n} 张发票未填业务员，台账中也没有其客户的建档业务员",
                    n=self.unowned,
                )
            )
        return found
