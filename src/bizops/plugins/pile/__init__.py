"""Pipe-pile factory (管桩厂): dispatch requests, the fines ledger, weekly production plans.

Spec: `spec/pile.md`; seed `000_58b8834288199564.txt`, 业务流程日常工作操作规范.
Rule modules are imported when their command runs, typer only when commands are built.
"""

from __future__ import annotations

from bizops.core.hookspecs import hookimpl
from bizops.core.outcomes import map_rows
from bizops.plugins.pile.spec import COMPANY, NAME


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl(trylast=True)  # built in: an installed plugin for this company answers first
def bizops_approve(company, requests, policy, context):
    if company != NAME:
        return None
    from bizops.plugins.pile.dispatch import Dispatcher

    return map_rows(requests, Dispatcher(policy, context).decide)


@hookimpl(trylast=True)  # built in: an installed plugin for this company answers first
def bizops_score(company, events, policy, context):
    if company != NAME:
        return None
    from bizops.plugins.pile.fines import score

    return score(events, policy, context)


@hookimpl
def bizops_register_commands(app):
    from bizops.plugins.pile.commands import register

    register(app)
