"""`bizops companies`: the plugins installed, where from, what they answer or which company they extend."""

import typer

from bizops.commands import runtime
from bizops.commands.groups import add, examples, new_app
from bizops.commands.options import common_options
from bizops.commands.texts import say
from bizops.core.command import emit
from bizops.core.schema import Column

COLUMNS = (
    Column("name", "text", zh="名称", en="name"),
    Column("zh", "text", zh="中文名", en="zh"),
    Column("en", "text", zh="英文名", en="en"),
    Column("version", "text", zh="版本", en="version"),
    Column("extends", "text", zh="扩展", en="extends"),
    Column("source", "text", zh="来源", en="loaded from"),
    Column("hooks", "texts", zh="钩子", en="hooks"),
    Column("commands", "texts", zh="命令", en="commands"),
    Column("status", "enum", zh="状态", en="status"),
    Column("error", "text", zh="错误", en="error"),
)
LABELS = {"loaded": ("已加载", "loaded"), "failed": ("加载失败", "failed")}


def companies(options) -> int:
    """List installed company plugins and extensions (and any that failed to load)."""

    def body(session) -> int:
        host = session.host
        host.load_all()
        rows = []
        for name, loaded in host.loaded.items():
            company = loaded.company
            hooks = sorted(
                caller.name
                for caller in host.pm.get_hookcallers(loaded.module) or ()
                if caller.name != "bizops_company"
            )
            rows.append(
                {
                    "name": company.name if company else name,
                    "zh": company and company.zh,
                    "en": company and company.en,
                    "version": loaded.version,
                    "extends": loaded.extends,
                    "source": loaded.source,
                    "hooks": hooks,
                    "commands": list(host.with_core(company).commands) if company else [],
                    "status": "loaded",
                    "error": None,
                }
            )
        for failure in host.failures:
            rows.append(
                {
                    "name": failure.name,
                    "zh": None,
                    "en": None,
                    "version": None,
                    "extends": None,
                    "source": failure.source,
                    "hooks": [],
                    "commands": [],
                    "status": "failed",
                    "error": f"{failure.hook}: {failure.error}",
                }
            )
        emit(session, COLUMNS, rows, LABELS)
        return 0

    return runtime.guarded(options, body)


EXAMPLES = (
    ("bizops companies", "every company installed, where from, what it answers", "已安装的公司、来源、能回答什么"),
    ("bizops companies --format json", "the same for a script", "同上，供脚本读取"),
)


def app(name: str = "companies", early_options=None) -> typer.Typer:
    typer_app = new_app()
    add(
        typer_app,
        "companies",
        common_options(companies),
        help=say(
            "List installed company plugins and extensions (and any that failed to load).",
            "列出已安装的公司插件和扩展（以及加载失败的）。",
        ),
        epilog=examples(EXAMPLES),
    )
    return typer_app
