"""The hooks a bizops plugin implements (plugin API 1.0). Project name `bizops`.

Each hook a company's plugin implements is asked only for that company: bizops
routes every call to the plugins of the selected company (its extensions
first, then the plugin that brings it, then the core's defaults), so a hook
never sees another company's requests and needs no check of `company`.

Each decision hook is called once per stream, not once per row: it receives an
iterator of validated requests and returns an iterable of outcomes, so a plugin
can quote a million rows with nothing between rows but its own code.

- A request is a tuple `(row, fields)`: `row` is the row number the user sees
  (line of a JSON Lines file, spreadsheet row of a CSV) and `fields` a dict of
  the typed values the plugin's `Field`s declared (absent fields hold their
  default, or `None`).
- An outcome is a result dict with the plugin's declared output columns, or a
  `RowError` for a row the plugin finds invalid. `map_rows(requests, decide)`
  turns a per-row function into this shape.
- Every result carries `company` and `warnings`; decisions also `status`
  (`ok` | `refused`) and `reason`. A result may carry `trace`, a list of
  `Rule.applied(...)` entries; the core shows it with `--explain`.

A hook may take fewer of the arguments than its spec passes (by name), never
others. The decision hooks are `firstresult`: the first answer that is not
None is used, so an extension returning None leaves the request to the
company's own plugin, and a wrapper (`@hookimpl(wrapper=True)`) may
post-process what the others answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal

import pluggy

if TYPE_CHECKING:
    from bizops.core.context import Context
    from bizops.core.policy import Policy
    from bizops.core.schema import Company, Extension, Outcome, Request

hookspec = pluggy.HookspecMarker("bizops")
#: Marks a plugin's hook implementations (`@hookimpl`, or `@hookimpl(wrapper=True)`).
hookimpl = pluggy.HookimplMarker("bizops")


@hookspec
def bizops_company() -> Company | Extension | None:
    """Declare what this plugin brings: a company, or an extension of one.

    Receives nothing. Returns a `Company` (its name, zh/en display names,
    policy `Setting`s, the `CommandSpec` of each command it answers, its
    rules and table labels) or an `Extension` (the company it changes, new
    setting defaults, its rules and labels). Called once, when the plugin
    loads. Results do not combine: each plugin's answer is read on its own.
    """


@hookspec(firstresult=True)
def bizops_price(
    company: str, requests: Iterator[Request], policy: Policy, context: Context
) -> Iterable[Outcome] | None:
    """Quote prices (`bizops quote`): one outcome per request, in order.

    Receives the company's name, the validated quote requests, the effective
    policy and the run's context. Returns an iterable of outcomes (a result
    dict or a `RowError` per request), or None to leave the request to the
    next plugin of the company. Results combine as firstresult: the first
    answer that is not None is used.
    """


@hookspec(firstresult=True)
def bizops_approve(
    company: str, requests: Iterator[Request], policy: Policy, context: Context
) -> Iterable[Outcome] | None:
    """Decide orders (`bizops approve-order`): one outcome per request, in order.

    Receives what `bizops_price` receives. Returns one outcome per request, or
    None; a result says the decision (`approved`, `needs_approval`,
    `refused`, …), who must sign, payment terms. Reads history through
    `context.history`; what it writes there is kept only under `--record`.
    Results combine as firstresult.
    """


@hookspec(firstresult=True)
def bizops_expense(
    company: str,
    kind: Literal["request", "claim"],
    requests: Iterator[Request],
    policy: Policy,
    context: Context,
) -> Iterable[Outcome] | None:
    """Travel expenses: `kind` is `request` (`bizops expense request`, before the trip) or `claim` (after).

    Receives the kind besides what `bizops_price` receives; a claim's legs
    arrive as a list of dicts in its `records` field. Returns one outcome per
    request, in order, or None. Results combine as firstresult.
    """


@hookspec(firstresult=True)
def bizops_score(company: str, events: Iterator[Request], policy: Policy, context: Context) -> Iterable[Outcome] | None:
    """Scorecards (`bizops score`): aggregate a stream of events.

    Receives events as `(row, fields)` pairs, like requests. Returns one
    result per person and period, sorted by person then period, and a
    `RowError` (with its row set) for each bad event; or None. Results
    combine as firstresult.
    """


@hookspec(firstresult=True)
def bizops_collect(
    company: str, requests: Iterator[Request], policy: Policy, context: Context
) -> Iterable[Outcome] | None:
    """Receivables (`bizops receivables`): age open invoices and say the next collection step.

    Receives the invoices as `(row, fields)` requests, the policy (with the
    core's `terms_days`, `notice_days`, `legal_after_chases`, `bucket_days`,
    `risk_after_days`) and the context, whose `options` hold `as_of` (a date)
    and `by` (None for one row per invoice, `customer` or `salesperson` for
    the ageing summary). Returns one result per invoice in input order, or one
    per key sorted by key, and a `RowError` with its row for each bad invoice;
    or None. The core answers it for every company (`bizops.core.defaults`,
    rules in `bizops.plugins.general`); a plugin's answer comes first.
    Results combine as firstresult.
    """


@hookspec(firstresult=True)
def bizops_commission(
    company: str, collections: Iterator[Request], policy: Policy, context: Context
) -> Iterable[Outcome] | None:
    """Commission on collections (`bizops commission`): aggregate a stream of payments received.

    Receives the collections as `(row, fields)` pairs, like requests. Returns
    one result per salesperson and period, sorted by salesperson then period,
    and a `RowError` (with its row set) for each bad collection; or None. No
    default: a company whose plugin has none exits 69. Results combine as
    firstresult.
    """
