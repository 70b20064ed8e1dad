"""`bizops flights triage` and `bizops flights checklist`: the typer side.

Imported only when the CLI is built, so a score never loads typer for it.
`triage --checklist` is the checklist command (which reads no input).
"""

from typing import Annotated

import typer

from bizops.api import rows_command
from bizops.plugins.airline.spec import CHECKLIST, NAME, TRIAGE

AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at", help="The moment of the watch, YYYY-MM-DDTHH:MM (default: --now, else the clock).", show_default=False
    ),
]
AllOpt = Annotated[bool, typer.Option("--all", help="Also list flights already gone or beyond the watch (30 days).")]
ChecklistOpt = Annotated[
    bool,
    typer.Option("--checklist", help="Show the day's fixed checks and which are due at --at instead (reads no input)."),
]


def _triage(requests, policy, context):
    from bizops.plugins.airline.watch import triage

    return triage(requests, policy, context)


def _checklist(requests, policy, context):
    """The checks of --at's day, one row each; the request stream (from no input) is not read."""
    from bizops.plugins.airline.checklist import checklist
    from bizops.plugins.airline.watch import option_at

    return checklist(policy, option_at(context.options.get("at"), context.now))


def flights_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None, help="The airline sales office's flight watch.")
    app.command("triage", help=TRIAGE.help)(
        rows_command(
            "flights triage",
            spec=TRIAGE,
            process=_triage,
            company=NAME,
            plugin=NAME,
            options={"at": AtOpt, "all": AllOpt, "checklist": ChecklistOpt},
            switch={"checklist": ("flights checklist", _checklist)},
            help=TRIAGE.help,
        )
    )
    app.command("checklist", help=CHECKLIST.help)(
        rows_command(
            "flights checklist",
            spec=CHECKLIST,
            process=_checklist,
            company=NAME,
            plugin=NAME,
            options={"at": AtOpt},
            help=CHECKLIST.help,
        )
    )
    return app
