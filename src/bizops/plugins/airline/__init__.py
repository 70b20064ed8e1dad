"""Airline sales office (航空营业部, Dalian): the daily flight watch and route revenue completion.

Spec: `spec/airline.md`; seed `000_58b8834288199564.txt` lines 283–319. No price
list, order approval or travel rules in the seed: `quote`, `approve-order` and
`expense` exit 69 for this company (the core says so, as they are not in
`COMPANY.commands`). `bizops flights triage` and `flights checklist` are
declared in spec.py (`TRIAGE`, `CHECKLIST`).
"""

from __future__ import annotations

from bizops.api import hookimpl

from .spec import COMPANY


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl
def bizops_score(events, policy, context):
    from .score import score

    return score(events, policy, context)
