"""Field sales (业务员每天的工作流程): a salesperson's daily activity against the day's quotas.

Seed `000_58b8834288199564.txt` lines 357–361: a visiting day means 4–5 visits
and contact with 10+ customers; a phone day means 80+ calls with real
conversations with 20+ customers. `bizops score` turns an activity log into
one scorecard per salesperson and day.

The rule module is imported when a score runs, so loading the plugin (for a
field-sales command, or to list the plugins) costs only the declarations.
"""

from __future__ import annotations

from bizops.api import hookimpl

from .spec import COMPANY


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl
def bizops_score(events, policy, context):
    from .scorecard import score

    return score(events, policy, context)
