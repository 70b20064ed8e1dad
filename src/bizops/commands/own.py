"""The companies' own commands (`bizops pile plan`, `bizops flights triage`), built from their declarations.

A company declares each command it adds in `Company.commands` under its full
name, one or two words, with a `CommandSpec` that says how it runs (`run`)
and which options it takes; bizops builds the typer command from that, as it
builds the core ones. The first word is the group (`flights`); a one-word
name is a command of its own.

Finding them imports plugins: the group's namesake company and the one named
before parsing are looked at first (`bizops pile plan` imports the pile
factory's plugin only), every plugin when neither declares it, or for the help.
"""

from __future__ import annotations

from typing import Any

import typer

from bizops.commands import runtime
from bizops.commands.groups import Group, add, examples, new_app
from bizops.commands.rows import rows_command
from bizops.core.plugins import Loaded
from bizops.core.schema import CommandSpec, Company

#: A company's own command: its full name -> (the company declaring it, its spec).
Declared = dict[str, tuple[Company, CommandSpec]]


def declared(group: str | None = None, first: tuple[str | None, ...] = ()) -> Declared:
    """Own commands, by full name; only those of `group` when given, found in as few plugins as may be.

    `first` names companies to look in before importing every plugin. When
    two companies declare one name, the first found keeps it.
    """
    host = runtime.host()
    if group is not None:
        for name in dict.fromkeys((*first, group)):
            if name:
                host.load_for(name)
                found = _in(host.companies().get(name), group)
                if found:
                    return found
    host.load_all()
    commands: Declared = {}
    for loaded in host.companies().values():
        for name, pair in _in(loaded, group).items():
            commands.setdefault(name, pair)
    return commands


def _in(loaded: Loaded | None, group: str | None) -> Declared:
    """The own commands of a loaded plugin's company (of `group` when given)."""
    company = loaded.company if loaded is not None else None
    if company is None:
        return {}
    return {
        name: (company, spec)
        for name, spec in company.own_commands().items()
        if group is None or name.split(" ")[0] == group
    }


def groups() -> dict[str, str]:
    """Every group (or one-word command) companies add, with its one line for `bizops --help`."""
    by_group: dict[str, Declared] = {}
    for name, pair in declared().items():
        by_group.setdefault(name.split(" ")[0], {})[name] = pair
    return {group: summary(commands) for group, commands in by_group.items()}


def summary(commands: Declared) -> str:
    """One line on a group: whose commands and which (`Pile factory (管桩厂): plan.`)."""
    companies = {company.name: company for company, _ in commands.values()}.values()
    whose = "; ".join(f"{c.en} ({c.zh})" if c.zh else c.en or c.name for c in companies)
    if len(commands) == 1:
        [(name, (_, spec))] = commands.items()
        if " " not in name:
            return spec.help.splitlines()[0] if spec.help else whose
    return f"{whose}: {', '.join(name.split(' ', 1)[-1] for name in commands)}."


def build(group: str, commands: Declared) -> Any:
    """The click command for `group`: a command, or a group of the commands declared under it."""
    every = [example for _, spec in commands.values() for example in spec.examples]
    app = typer.Typer(
        cls=Group,
        add_completion=False,
        rich_markup_mode=None,
        help=summary(commands),
        epilog=examples(every[:3]) if every else None,
    )
    lang = runtime.help_lang()
    for name, (company, spec) in commands.items():
        words = name.split(" ")
        function = rows_command(name, spec=spec, company=company.name)
        epilog = examples(spec.examples) if spec.examples else None
        if len(words) == 1:
            single = new_app()
            add(single, None, function, help=spec.help_text(lang), epilog=epilog)
            command = typer.main.get_command(single)
            command.name = group
            return command
        add(app, words[1], function, help=spec.help_text(lang), epilog=epilog)
    command = typer.main.get_group(app)
    command.name = group
    return command
