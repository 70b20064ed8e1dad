"""The hooks of the mycompany plugin: what bizops calls.

bizops imports this module for every command, so keep it light: the rules
live in `rules.py` and are imported only when a quote is asked for.

Each decision hook receives the selected company's name and returns None when
it is not ours: bizops asks every plugin, and the first answer wins.
"""

from __future__ import annotations

from bizops.api import hookimpl, map_rows

# Relative imports work both installed and loaded from the source with --plugin.
from .spec import COMPANY, NAME


@hookimpl
def bizops_company():
    """Who we are and what we answer (see spec.py)."""
    return COMPANY


@hookimpl
def bizops_price(company, requests, policy, context):
    """`bizops quote`: one result per request, in order."""
    if company != NAME:
        return None
    from .rules import quote

    # map_rows calls quote(fields, policy, context) for each request; a RowError it raises
    # becomes that row's error (exit 65) and the other rows go on.
    return map_rows(requests, lambda fields: quote(fields, policy, context))


# More hooks, when your rules need them (docs/plugin-guide.md lists them all):
#   bizops_approve(company, requests, policy, context)        -> bizops approve-order
#   bizops_expense(company, kind, requests, policy, context)  -> bizops expense request|claim
#   bizops_score(company, events, policy, context)            -> bizops score
#   bizops_register_commands(app)                             -> a command of your own
# Declare each command's inputs and outputs in spec.py too.
