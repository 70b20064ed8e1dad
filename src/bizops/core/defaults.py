"""The core's own answers to hooks, for a company whose plugin gives none.

Registered as the plugin `bizops` in every plugin manager and routed to for
every company, after the company's extensions and its plugin: it is
registered first and its implementations are `trylast`, so any plugin that
implements a hook answers before it. A hook given a default here answers for
every company (a plugin may answer instead, or return None to leave it to the
default); a hook without one, asked for a company whose plugin lacks it,
answers None and the command exits 69.

A core command every company answers this way also needs its inputs and
outputs: `COMMANDS` gives its `CommandSpec`, used for a company that declares
none of its own. No hook has a default yet; one is written as a plugin's is:

    COMMANDS["collect"] = CommandSpec(inputs=(...), outputs=(...), help="Receivables ageing.")

    @hookimpl(trylast=True)
    def bizops_collect(requests, policy, context):
        return map_rows(requests, ...)
"""

from __future__ import annotations

from bizops.core.schema import CommandSpec

#: Core commands the core answers for every company: name -> spec (a company's own declaration wins).
COMMANDS: dict[str, CommandSpec] = {}
