"""Cable maker (电线电缆厂): quotes, order approval and the 十奖十罚 scorecard.

Spec: `spec/cable.md`; seed `000_58b8834288199564.txt`, 业务部日常工作规范.
The rule modules are imported inside the hooks, so a run loads only the one it needs.
"""

from __future__ import annotations

from bizops.core.hookspecs import hookimpl
from bizops.core.outcomes import map_rows
from bizops.plugins.cable.spec import COMPANY, NAME


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl(trylast=True)  # built in: an installed plugin for this company answers first
def bizops_price(company, requests, policy, context):
    if company != NAME:
        return None
    from bizops.plugins.cable.quote import Quoter

    return map_rows(requests, Quoter(policy, context).quote)


@hookimpl(trylast=True)  # built in: an installed plugin for this company answers first
def bizops_approve(company, requests, policy, context):
    if company != NAME:
        return None
    from bizops.plugins.cable.orders import Approver

    return map_rows(requests, Approver(policy, context).approve)


@hookimpl(trylast=True)  # built in: an installed plugin for this company answers first
def bizops_score(company, events, policy, context):
    if company != NAME:
        return None
    from bizops.plugins.cable.score import Scorer

    return Scorer(policy, context).score(events)
