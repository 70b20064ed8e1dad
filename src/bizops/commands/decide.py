"""The core row commands: quote, approve-order, expense request/claim, score, receivables, commission.

Each is a `rows_command` answered by the selected company's hook. The field
flags come from that company's spec, so `bizops --company cable quote --help`
lists the cable maker's fields; the company is read from argv, the environment
or the config before the command is built (`early_spec`).
"""

from __future__ import annotations

import typer

from bizops.commands import runtime
from bizops.commands.rows import rows_command
from bizops.core.schema import CommandSpec

HELP = {
    "quote": "Price quotes: guide price, discounts, floor, fees, commission cut.",
    "approve-order": "Order approval: payment terms, deposit, invoice type, who must sign.",
    "expense request": "Before a trip: approval chain and travel advance.",
    "expense claim": "After a trip: what is paid, what is not and why, balance against the advance.",
    "score": "Scorecards per person and period from a stream of events.",
    "receivables": "Receivables ageing per invoice (or --by customer|salesperson): outstanding, days overdue, "
    "bucket, next step (none|notify|chase|legal), notice date, risk warning.",
    "commission": "Commission on collections, per salesperson and month.",
}


def early_spec(command: str, early_options) -> CommandSpec | None:
    """The spec of `command` for the company named before parsing, if one is named and has it."""
    try:
        return runtime.session(early_options).command_spec(command)
    except Exception:
        return None


#: Without a company the field flags are unknown: accept any, and let the run say
#: that no company is selected (exit 2) instead of "no such option".
_LENIENT = {"ignore_unknown_options": True, "allow_extra_args": True}


def _add(app: typer.Typer, name: str, command: str, early_options) -> None:
    spec = early_spec(command, early_options)
    app.command(name, help=HELP[command], context_settings=None if spec else _LENIENT)(
        rows_command(command, spec=spec, help=HELP[command])
    )


def single(command: str, early_options) -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None)
    _add(app, command, command, early_options)
    return app


def expense(name: str, early_options) -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None, help="Travel expenses: request before, claim after.")
    for kind in ("request", "claim"):
        _add(app, kind, f"expense {kind}", early_options)
    return app
