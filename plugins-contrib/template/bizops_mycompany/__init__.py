"""The hooks of the mycompany plugin: what bizops calls.

bizops imports this module only to run one of mycompany's commands (or to
list the plugins), so keep it light: the rules live in `rules.py` and are
imported only when a quote is asked for. bizops asks these hooks only about
mycompany: they need not check which company a request is for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bizops.api import Company, Context, Outcome, Policy, Request, hookimpl, map_rows

# Relative imports work both installed and loaded from the source with --plugin.
from .spec import COMPANY


@hookimpl
def bizops_company() -> Company:
    """Who we are and what we answer (see spec.py)."""
    return COMPANY


@hookimpl
def bizops_price(requests: Iterator[Request], policy: Policy, context: Context) -> Iterable[Outcome]:
    """`bizops quote`: one result per request, in order."""
    from .rules import quote

    # map_rows calls quote(fields, policy, context) for each request; a RowError it raises
    # becomes that row's error (exit 65) and the other rows go on.
    return map_rows(requests, lambda fields: quote(fields, policy, context))


# More hooks, when your rules need them (docs/plugin-guide.md lists them all):
#   bizops_approve(requests, policy, context)        -> bizops approve-order
#   bizops_expense(kind, requests, policy, context)  -> bizops expense request|claim
#   bizops_score(events, policy, context)            -> bizops score
# A command of your own is a CommandSpec with run= in spec.py, no hook.
# Declare each command's inputs and outputs in spec.py too.
