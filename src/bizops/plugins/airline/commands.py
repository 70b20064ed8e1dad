"""`bizops flights triage` and `bizops flights checklist`: the typer side.

Imported only when the CLI is built, so a score never loads typer for it.
The checklist reads no rows: it is written with the core's `emit`, and
`triage --checklist` hands over to it before any input is opened.
"""

import sys
from typing import Annotated, Optional

import typer

from bizops.api import rows_command
from bizops.commands import runtime
from bizops.commands.options import NowOpt, common_options
from bizops.core.command import RowsRequest, emit, output_columns
from bizops.core.i18n import msg, render
from bizops.plugins.airline.checklist import checklist
from bizops.plugins.airline.spec import CHECKLIST, NAME, TRIAGE
from bizops.plugins.airline.watch import option_at, triage

AtOpt = Annotated[Optional[str], typer.Option(
    "--at", help="The moment of the watch, YYYY-MM-DDTHH:MM (default: --now, else the clock).", show_default=False)]
AllOpt = Annotated[bool, typer.Option("--all", help="Also list flights already gone or beyond the watch (30 days).")]
ChecklistOpt = Annotated[bool, typer.Option(
    "--checklist", help="Show the day's fixed checks and which are due at --at instead (reads no input).")]


def flights_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None, help="The airline sales office's flight watch.")
    app.command("triage", help=TRIAGE.help)(rows_command(
        "flights triage", spec=TRIAGE, process=triage, company=NAME, plugin=NAME,
        options={"at": AtOpt, "all": AllOpt, "checklist": ChecklistOpt},
        instead={"checklist": checklist_from_triage}, help=TRIAGE.help,
    ))
    app.command("checklist", help=CHECKLIST.help)(common_options(checklist_command))
    return app


def checklist_command(options, at: AtOpt = None, now: NowOpt = None) -> int:
    """The day's fixed checks and which are due or overdue at --at."""
    return show_checklist(options, at, now)


def checklist_from_triage(options, request: RowsRequest) -> int:
    return show_checklist(options, request.options.get("at"), request.now, request.input)


def show_checklist(options, at: str | None, now: str | None, unread: str | None = None) -> int:
    if not options.company:
        options = options._replace(company=NAME)

    def body(session) -> int:
        spec = session.command_spec("flights checklist")
        company = session.company
        moment = option_at(at, session.now(now))
        rows = checklist(session.policy, moment)
        if unread is not None:
            label = "警告" if session.lang == "zh" else "warning"
            note = msg("--checklist reads no input; {f} was not read", "--checklist 不读取输入；未读取 {f}", f=unread)
            sys.stderr.write(f"{label}: {render(note, session.lang)}\n")
        for row in rows:
            row["company"] = company.name
        emit(session, output_columns(spec), rows, company.labels)
        return 0

    return runtime.guarded(options, body)
