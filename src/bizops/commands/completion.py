"""`bizops completion bash|zsh|fish|powershell`: the script that makes a shell complete bizops' words.

typer's completion, installed by the user where their shell reads it (the
README says where for each shell). Pressing Tab then asks bizops itself
(`_BIZOPS_COMPLETE` set), which completes commands and options, the
installed companies after `--company`, and after `--company NAME` that
company's fields (`--guide-price`) and choices (`--settlement c<Tab>`).
typer's completion machinery is imported only for this command and for a
Tab, never for a run.
"""

from __future__ import annotations

import os
import shlex
from typing import Annotated

import typer

from bizops.commands.groups import add, examples, new_app
from bizops.commands.texts import say

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")

EXAMPLES = (
    ("bizops completion bash > ~/.local/share/bash-completion/completions/bizops", "bash", "bash"),
    ("bizops completion zsh > ~/.zfunc/_bizops", "zsh (with ~/.zfunc in fpath)", "zsh（fpath 中含 ~/.zfunc）"),
    (
        "bizops completion powershell >> $PROFILE",
        "PowerShell on Windows: add it to your profile",
        "Windows 上的 PowerShell：加入 profile",
    ),
)


def completion(
    shell: Annotated[
        str,
        typer.Argument(
            metavar="SHELL",
            help=say("bash, zsh, fish or powershell (pwsh).", "bash、zsh、fish 或 powershell（pwsh）。"),
            autocompletion=lambda incomplete: [s for s in SHELLS if s.startswith(incomplete)],
        ),
    ],
) -> None:
    """Print the completion script for SHELL."""
    if shell not in SHELLS:
        from bizops.commands import runtime

        wanted = ", ".join(SHELLS)
        zh = runtime.help_lang() == "zh"
        said = f"应为 {wanted} 之一，实际为 {shell!r}" if zh else f"one of {wanted}, got {shell!r}"
        raise typer.BadParameter(said, param_hint="SHELL")
    from typer.completion import get_completion_script  # also registers typer's shells

    typer.echo(get_completion_script(prog_name="bizops", complete_var="_BIZOPS_COMPLETE", shell=shell))


def words_typed() -> list[str]:
    """The words of the command line being completed (without `bizops`), as each shell passes them."""
    from typer.completion import completion_init

    completion_init()  # typer's shells, registered before typer completes (the Tab is answered by typer)

    line = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or ""
    try:
        words = shlex.split(line)
    except ValueError:  # an open quote while typing
        words = line.split()
    return words[1:]


def app(name: str = "completion", early_options=None) -> typer.Typer:
    typer_app = new_app()
    add(
        typer_app,
        "completion",
        completion,
        help=say(
            "Print the shell completion script for SHELL (bash, zsh, fish, powershell).",
            "输出 SHELL（bash、zsh、fish、powershell）的命令补全脚本。",
        ),
        epilog=examples(EXAMPLES),
    )
    return typer_app
