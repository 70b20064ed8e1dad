"""Pipe-pile factory (管桩厂): dispatch requests, the fines ledger, weekly production plans.

Spec: `spec/pile.md`; seed `000_58b8834288199564.txt`, 业务流程日常工作操作规范.
Rule modules are imported when their command runs; `bizops pile plan` is declared in spec.py (`PLAN`).
"""

from __future__ import annotations

from bizops.api import hookimpl, map_rows

from .spec import COMPANY


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl
def bizops_approve(requests, policy, context):
    from .dispatch import Dispatcher

    return map_rows(requests, Dispatcher(policy, context).decide)


@hookimpl
def bizops_score(events, policy, context):
    from .fines import score

    return score(events, policy, context)
