"""The classes every bizops command and group is built with: help in `--lang`, examples, "did you mean".

`new_app()` and `add()` make the typer apps and commands of `bizops.commands`
with them:

- the help is in Chinese under `--lang zh` (or a Chinese locale): bizops' own
  texts through `texts.say`, typer's headings too (`Formatter`);
- a command's help ends with its examples, as written (`Command.format_epilog`);
- a mistyped command gets the nearest ones (`Group.resolve_command`), as a
  mistyped option already does.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from bizops.commands import runtime, texts


def _zh() -> bool:
    return runtime.help_lang() == "zh"


_BaseFormatter: Any = typer.Context.formatter_class


class Formatter(_BaseFormatter):
    """typer's help formatter, saying bizops' and typer's words in Chinese when the help language is."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix=texts.zh("Usage:") + " " if _zh() else prefix)

    @contextmanager
    def section(self, name: str):  # type: ignore[no-untyped-def]
        with super().section(texts.zh(name) if _zh() else name):
            yield

    def write_heading(self, heading: str) -> None:
        super().write_heading(texts.zh(heading) if _zh() else heading)

    def write_dl(self, rows: Iterable[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        if _zh():
            rows = [(term, texts.zh(text)) for term, text in rows]
        super().write_dl(rows, *args, **kwargs)

    def write_text(self, text: str) -> None:
        super().write_text(texts.zh(text) if _zh() else text)


class Context(typer.Context):
    formatter_class = Formatter


class _Help:
    """The help of a command or group: its text in the help's language, its examples as written."""

    help: str | None
    epilog: str | None

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        if self.epilog:
            formatter.write_paragraph()
            for line in self.epilog.splitlines():
                formatter.write(f"{line}\n" if line else "\n")

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        if self.help and _zh():
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(texts.zh(self.help))
            return
        super().format_help_text(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        """The line a group's help lists it with: cut from the Chinese help under `--lang zh`."""
        if self.help and _zh():
            line = texts.zh(self.help).strip().splitlines()[0]
            line = line.split("。")[0]  # the first sentence
            return _cut(line, limit)
        return super().get_short_help_str(limit)  # type: ignore[misc]


def _cut(text: str, columns: int) -> str:
    """`text` in at most `columns` screen columns (a Chinese character takes two), `…` where cut."""
    import unicodedata  # for a Chinese help only

    used = 0
    for index, char in enumerate(text):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > columns - 1:
            return text[:index] + "…"
    return text


class Command(_Help, TyperCommand):
    """A command whose epilog (its examples) is written as it is, not re-wrapped."""

    context_class = Context


class Group(_Help, TyperGroup):
    """A group whose mistyped commands get the nearest ones, and whose help ends with its examples."""

    context_class = Context

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:  # typer's UsageError: "No such command 'qoute'."
            message = getattr(exc, "message", None)
            if message and args and "Did you mean" not in message:
                close = difflib.get_close_matches(args[0], self.list_commands(ctx), n=3, cutoff=0.6)
                if close:
                    exc.message = f"{message.rstrip('.')}. Did you mean {', '.join(repr(c) for c in close)}?"  # type: ignore[attr-defined]
            raise


def new_app(help: str | None = None, epilog: str | None = None) -> typer.Typer:
    """A typer app (a group, or a single command) built with bizops' classes."""
    return typer.Typer(cls=Group, add_completion=False, rich_markup_mode=None, help=help, epilog=epilog)


def add(app: typer.Typer, name: str | None, function: Callable[..., Any], **kwargs: Any) -> None:
    """`app.command(name, …)(function)`, with bizops' command class."""
    app.command(name, cls=Command, **kwargs)(function)


def examples(lines: Iterable[tuple[str, str, str]], lang: str | None = None) -> str:
    """The examples a help ends with: `Examples:` and each command under its comment, in `lang`."""
    lang = lang or runtime.help_lang()
    out = ["示例：" if lang == "zh" else "Examples:"]
    for command, en, zh in lines:
        comment = zh if lang == "zh" else en
        if comment:
            out.append(f"  # {comment}")
        out.append(f"  {command}")
    return "\n".join(out)
