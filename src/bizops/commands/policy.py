"""`bizops policy show | init | check`: a company's thresholds, as effective, as a file, as checked."""

from pathlib import Path
from typing import Annotated

import typer

from bizops.commands import runtime
from bizops.commands.groups import add, examples, new_app
from bizops.commands.options import common_options
from bizops.commands.texts import say
from bizops.core.command import emit
from bizops.core.errors import ConfigError, UsageError
from bizops.core.i18n import msg
from bizops.core.policy import build_policy, describe_allowed, read_config, toml_value
from bizops.core.schema import Column

SHOW_COLUMNS = (
    Column("company", "text", zh="公司", en="company"),
    Column("name", "text", zh="名称", en="name"),
    Column("value", "json", zh="取值", en="value"),
    Column("source", "text", zh="来源", en="source"),
    Column("allowed", "text", zh="允许", en="allowed"),
    Column("help", "text", zh="说明", en="meaning"),
)
CHECK_COLUMNS = (
    Column("company", "text", zh="公司", en="company"),
    Column("file", "text", zh="文件", en="file"),
    Column("status", "enum", zh="结果", en="status"),
    Column("warnings", "texts", zh="提示", en="warnings"),
)


def show(options) -> int:
    """Effective policy values of the selected company and where each comes from."""

    def body(session) -> int:
        policy = session.policy
        extended = _extended_defaults(session)
        rows = [
            {
                "company": policy.company,
                "name": s.name,
                "value": toml_value(policy[s.name]),
                "source": extended.get(s.name, "default")
                if policy.sources[s.name] == "default"
                else policy.sources[s.name],
                "allowed": describe_allowed(s),
                "help": s.help(session.lang),
            }
            for s in session.company.settings
        ]
        emit(session, SHOW_COLUMNS, rows)
        return 0

    return runtime.guarded(options, body)


def _extended_defaults(session) -> dict[str, str]:
    """Settings whose default an extension changed, and the source `policy show` gives them."""
    found = {}
    for extension in reversed(session.host.extensions(session.company.name)):  # the last applied wins
        for name in extension.declared.defaults:
            found[name] = f"default of {extension.name}"
    return found


def init(
    options,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=say("Write to this file instead of stdout.", "写入此文件而不是标准输出。")),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=say("Overwrite an existing --output file.", "覆盖已有的 --output 文件。"))
    ] = False,
) -> int:
    """Write a complete, valid TOML config with every value of the selected company."""

    def body(session) -> int:
        text = config_text(session.company, session.lang)
        if output is None:
            session.stdout.write(text.encode())
            session.stdout.flush()
            return 0
        if output.exists() and not force:
            raise UsageError(msg("{f} exists; add --force to overwrite it", "{f} 已存在；加 --force 覆盖", f=output))
        output.write_text(text, encoding="utf-8")
        return 0

    return runtime.guarded(options, body)


def config_text(company, lang: str) -> str:
    """The config file `policy init` writes: every setting with its default and meaning."""
    import tomli_w

    zh = lang == "zh"
    lines = [
        f"# bizops 配置：{company.zh}（{company.name}）"
        if zh
        else f"# bizops configuration: {company.en} ({company.name})",
        "# 每个值都是默认值；修改后用 bizops policy check 校验。"
        if zh
        else "# Every value below is the default; change what your company does differently,",
        "" if zh else "# then run `bizops policy check`.",
        "",
        "[company]",
        tomli_w.dumps({"name": company.name}).strip(),
        "",
        f"[company.{company.name}]",
    ]
    for setting in company.settings:
        meaning = setting.help(lang)
        lines.append(f"# {meaning} ({describe_allowed(setting)})")
        if setting.default is None:  # TOML has no null: an unset value stays a comment
            lines.append(f"# {setting.name} = ")
        else:
            lines.append(tomli_w.dumps({setting.name: toml_value(setting.default)}).strip())
    return "\n".join(lines) + "\n"


def check(
    options,
    file: Annotated[
        Path | None,
        typer.Argument(
            help=say("Config file (default: the one bizops would use).", "配置文件（默认：bizops 会读取的那个）。")
        ),
    ] = None,
) -> int:
    """Validate a config file against every installed company it has a table for."""

    def body(session) -> int:
        if file is not None:
            config = read_config(file) if file.is_file() else None
            if config is None:
                raise ConfigError(msg("{f}: config file not found", "{f}：找不到配置文件", f=file))
        else:
            config = session.config
            if config.path is None:
                raise ConfigError(
                    msg(
                        "no config file found (bizops.toml or the user config)",
                        "未找到配置文件（bizops.toml 或用户配置）",
                    )
                )
        host = session.host
        host.load_all()
        installed = host.companies()
        rows = []
        names = list(config.tables()) or ([config.company] if config.company else [])
        if config.company and config.company not in installed:
            raise ConfigError(
                msg(
                    "{f}: company {c!r} is not installed; installed: {i}",
                    "{f}：公司 {c!r} 未安装；已安装：{i}",
                    f=config.path,
                    c=config.company,
                    i=", ".join(sorted(installed)),
                )
            )
        for name in names:
            if name not in installed:
                raise ConfigError(
                    msg(
                        "{f}: [company.{c}] names no installed company; installed: {i}",
                        "{f}：[company.{c}] 不是已安装的公司；已安装：{i}",
                        f=config.path,
                        c=name,
                        i=", ".join(sorted(installed)),
                    )
                )
            build_policy(host.company(name), config)
            rows.append({"company": name, "file": str(config.path), "status": "ok", "warnings": []})
        emit(session, CHECK_COLUMNS, rows, {"ok": ("通过", "ok")})
        return 0

    return runtime.guarded(options, body)


SHOW = (
    (
        "bizops --company cable policy show",
        "the cable maker's thresholds and where each comes from",
        "电缆厂的各项参数及来源",
    ),
    (
        "bizops --config examples/cable/bizops.toml policy show --lang zh",
        "as a config file makes them",
        "配置文件生效后的参数",
    ),
)
INIT = (
    ("bizops --company cable policy init", "every value with its meaning, as TOML", "全部参数及含义（TOML）"),
    ("bizops --company pv policy init --lang zh", "with the meanings in Chinese", "含义用中文"),
)
CHECK = (
    (
        "bizops policy check examples/cable/bizops.toml",
        "a config file checked (exit 78 if wrong)",
        "检查配置文件（有误则退出码 78）",
    ),
    ("bizops policy check examples/cable/bizops.toml --lang zh", "the same, said in Chinese", "同上，用中文说明"),
)


def app(name: str = "policy", early_options=None) -> typer.Typer:
    typer_app = new_app(
        help=say(
            "A company's thresholds: show, write a config, check one.", "公司的政策参数：查看、生成配置、检查配置。"
        ),
        epilog=examples(SHOW[:1] + INIT[:1] + CHECK[:1]),
    )
    add(
        typer_app,
        "show",
        common_options(show),
        help=say(
            "Effective policy values of the selected company and where each comes from.",
            "所选公司生效的政策参数及其来源。",
        ),
        epilog=examples(SHOW),
    )
    add(
        typer_app,
        "init",
        common_options(init),
        help=say(init.__doc__ or "", "生成完整的 TOML 配置：每个参数的默认值和含义。"),
        epilog=examples(INIT),
    )
    add(
        typer_app,
        "check",
        common_options(check),
        help=say(check.__doc__ or "", "检查配置文件：未知键、类型和取值范围（有误则退出码 78）。"),
        epilog=examples(CHECK),
    )
    return typer_app
