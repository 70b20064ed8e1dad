"""The core's own answers to hooks, for a company whose plugin gives none.

Registered as the plugin `bizops` in every plugin manager and routed to for
every company, after the company's extensions and its plugin: it is
registered first and its implementations are `trylast`, so any plugin that
implements a hook answers before it. A hook given a default here answers for
every company (a plugin may answer instead, or return None to leave it to the
default); a hook without one, asked for a company whose plugin lacks it,
answers None and the command exits 69.

What the defaults need joins every company as the company decides
(`PluginHost.company`): `COMMANDS`, the specs of the core commands answered
here, and `SETTINGS`, their thresholds. A company's own declaration of a
command or of a setting of the same name wins (a plugin changing only the
default of `terms_days` declares that `Setting`; a config file changes it
under `[company.NAME]` like any other).

The rules themselves live with the other rules, as a plugin's do, in
`bizops.plugins.general` (seed 003, which binds every company): the hooks
below hand over to them, importing them only when the command runs.

- `bizops_collect` (`bizops receivables`): ageing and the next collection step.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from bizops.core.hookspecs import hookimpl
from bizops.core.schema import CommandSpec, Setting
from bizops.plugins.general import spec as general

if TYPE_CHECKING:
    from bizops.core.context import Context
    from bizops.core.policy import Policy
    from bizops.core.schema import Outcome, Request

#: Core commands the core answers for every company: name -> spec (a company's own declaration wins).
COMMANDS: dict[str, CommandSpec] = {"receivables": general.RECEIVABLES}
#: Settings every company has for the commands above (a company's setting of the same name wins).
SETTINGS: tuple[Setting, ...] = general.SETTINGS


@hookimpl(trylast=True)
def bizops_collect(requests: Iterator[Request], policy: Policy, context: Context) -> Iterable[Outcome]:
    from bizops.plugins.general.receivables import collect

    return collect(requests, policy, context)
