"""`bizops pile plan`: the plugin's own command, built on the core's row command."""

import typer

from bizops.api import rows_command
from bizops.plugins.pile.spec import NAME, PLAN


def _plan(requests, policy, context):
    from bizops.plugins.pile.plan import plan

    return plan(requests, policy, context)


def register(app: typer.Typer) -> None:
    pile = typer.Typer(
        add_completion=False, rich_markup_mode=None, help="Pile factory (管桩厂): weekly production plans."
    )
    pile.command("plan", help=PLAN.help)(rows_command("pile plan", spec=PLAN, process=_plan, company=NAME, plugin=NAME))
    app.add_typer(pile, name="pile")
