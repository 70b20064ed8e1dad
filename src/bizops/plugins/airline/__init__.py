"""Airline sales office (航空营业部, Dalian): the daily flight watch and route revenue completion.

Spec: `spec/airline.md`; seed `000_58b8834288199564.txt` lines 283–319. No price
list, order approval or travel rules in the seed: `quote`, `approve-order` and
`expense` exit 69 for this company (the core says so, as they are not in
`COMPANY.commands`).
"""

from __future__ import annotations

from bizops.core.hookspecs import hookimpl
from bizops.plugins.airline.spec import COMPANY, NAME


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl(trylast=True)  # built in: an installed plugin for this company answers first
def bizops_score(company, events, policy, context):
    if company != NAME:
        return None
    from bizops.plugins.airline.score import score

    return score(events, policy, context)


@hookimpl
def bizops_register_commands(app):
    from bizops.plugins.airline.commands import flights_app

    app.add_typer(flights_app(), name="flights", help="The airline sales office's flight watch (triage, checklist).")
