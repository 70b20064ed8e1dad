"""Cable maker (电线电缆厂): quotes, order approval, the 十奖十罚 scorecard and commission on collections.

Spec: `spec/cable.md`; seed `000_58b8834288199564.txt`, 业务部日常工作规范.
The rule modules are imported inside the hooks, so a run loads only the one it needs.
"""

from __future__ import annotations

from bizops.api import hookimpl, map_rows

from .spec import COMPANY


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl
def bizops_price(requests, policy, context):
    from .quote import Quoter

    return map_rows(requests, Quoter(policy, context).quote)


@hookimpl
def bizops_approve(requests, policy, context):
    from .orders import Approver

    return map_rows(requests, Approver(policy, context).approve)


@hookimpl
def bizops_score(events, policy, context):
    from .score import Scorer

    return Scorer(policy, context).score(events)


@hookimpl
def bizops_commission(collections, policy, context):
    from .commission import commissions

    return commissions(collections, policy, context)
