"""The hooks a bizops plugin implements. Project name `bizops`.

Each decision hook is called once per stream, not once per row: it receives an
iterator of validated requests and returns an iterable of outcomes, so a plugin
can quote a million rows with nothing between rows but its own code.

- A request is a tuple `(row, fields)`: `row` is the row number the user sees
  (line of a JSON Lines file, spreadsheet row of a CSV) and `fields` a dict of
  the typed values the plugin's `Field`s declared (absent fields hold their
  default, or `None`).
- An outcome is a result dict with the plugin's declared output columns, or a
  `bizops.core.errors.RowError` for a row the plugin finds invalid.
  `bizops.core.outcomes.map_rows` turns a per-row function into this shape.
- Every result carries `company` and `warnings`; decisions also `status`
  (`ok` | `refused`) and `reason`. A result may carry `trace`, a list of
  `Rule.applied(...)` entries; the core shows it with `--explain`.

The decision hooks are `firstresult`: the core passes the selected company's
name and a plugin returns `None` for a company it does not bring. The first
non-`None` answer is used. The built-in plugins mark their decision hooks
`trylast`, so an installed plugin that answers for a built-in company (to
change its rules) is asked first; a hookwrapper can post-process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal

import pluggy

if TYPE_CHECKING:  # typing only: keep typer out of plugin-loading time
    import typer

    from bizops.core.context import Context
    from bizops.core.errors import RowError
    from bizops.core.policy import Policy
    from bizops.core.schema import Company

    Request = tuple[int | str, dict]
    Outcome = dict | RowError

hookspec = pluggy.HookspecMarker("bizops")
hookimpl = pluggy.HookimplMarker("bizops")


@hookspec
def bizops_company() -> Company | None:
    """Declare the company this plugin brings.

    Receives nothing. Returns a `bizops.core.schema.Company`: its name, zh/en
    display names, version, policy `Setting`s (defaults, types and ranges), the
    `CommandSpec` (input fields, output columns) of each command it answers,
    its rules and table labels. A plugin that only extends others returns None.
    Results are collected: one company per plugin that brings one.
    """


@hookspec(firstresult=True)
def bizops_price(
    company: str, requests: Iterator[Request], policy: Policy, context: Context
) -> Iterable[Outcome] | None:
    """Quote prices (`bizops quote`): one outcome per request, in order.

    Receives the selected company's name, the validated quote requests, the
    effective policy and the run's context. Returns an iterable of outcomes
    (a result dict or a `RowError` per request) or None when `company` is not
    this plugin's. firstresult: the first non-None answer is used.
    """


@hookspec(firstresult=True)
def bizops_approve(
    company: str, requests: Iterator[Request], policy: Policy, context: Context
) -> Iterable[Outcome] | None:
    """Decide orders (`bizops approve-order`): one outcome per request, in order.

    Receives and returns as `bizops_price` does; a result says the decision
    (`approved`, `needs_approval`, `refused`, …), who must sign, payment terms.
    Reads history through `context.history`; writes it with `context.history`
    only takes effect under `--record`. firstresult.
    """


@hookspec(firstresult=True)
def bizops_expense(
    company: str,
    kind: Literal["request", "claim"],
    requests: Iterator[Request],
    policy: Policy,
    context: Context,
) -> Iterable[Outcome] | None:
    """Travel expenses: `kind` is `request` (before the trip) or `claim` (after).

    One outcome per request, in order; None when `company` is not this
    plugin's. A claim's legs arrive as a list of dicts in its `records` field.
    firstresult.
    """


@hookspec(firstresult=True)
def bizops_score(company: str, events: Iterator[Request], policy: Policy, context: Context) -> Iterable[Outcome] | None:
    """Scorecards (`bizops score`): aggregate a stream of events.

    Receives events as `(row, fields)` like requests. Returns one result per
    person and period, sorted by person then period, and a `RowError` (with
    its row set) for each bad event; None when `company` is not this
    plugin's. firstresult.
    """


@hookspec
def bizops_register_commands(app: typer.Typer) -> None:
    """Add company-specific commands (`bizops pile plan`) to the CLI.

    Receives the top-level `typer.Typer`; add commands or sub-apps to it with
    typer's public API. Build row-reading commands with
    `bizops.api.rows_command` to get the common options, input formats,
    output formats and exit codes for free. Returns nothing; every plugin's
    implementation is called.
    """
