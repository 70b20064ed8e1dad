"""The command line's own words in English and Chinese: help texts, headings, usage errors.

`say(en, zh)` returns the English (what typer is given) and remembers the
Chinese; `--lang zh` (or a Chinese locale) shows the Chinese wherever the
English would be, in `--help` (`BizopsFormatter`) and in the errors typer
reports (`usage_error`). A plugin's own words come translated from its
declarations (`Field(zh=…)`, `CommandSpec(zh=…)`).
"""

from __future__ import annotations

import inspect
import re

_ZH: dict[str, str] = {}


def say(en: str, zh: str) -> str:
    """`en`, with `zh` remembered as its translation (as click will have cleaned it up, too)."""
    _ZH[en] = zh
    _ZH[inspect.cleandoc(en)] = zh
    return en


def zh(text: str) -> str:
    """The Chinese of a text said with `say`, or of typer's own words; else the text itself."""
    return _ZH.get(text) or _TYPER.get(text) or text


#: One line per core command for `bizops --help`, so listing them builds none of them.
COMMAND_HELP = {
    "companies": say(
        "Installed company plugins, where from, what they answer.", "已安装的公司插件：来源、能回答什么。"
    ),
    "policy": say(
        "A company's thresholds: show, write a config, check one.", "公司的政策参数：查看、生成配置、检查配置。"
    ),
    "quote": say(
        "Price quotes: guide price, discounts, floor, fees, commission cut.",
        "报价：指导价、下浮、最低价、费用、提成调整。",
    ),
    "approve-order": say(
        "Order approval: payment terms, deposit, invoice type, who must sign.",
        "订单审批：付款方式、定金、发票类型、确认人。",
    ),
    "expense": say("Travel expenses: request before the trip, claim after it.", "差旅费用：出差前申请，出差后报销。"),
    "score": say("Scorecards per person and period from a stream of events.", "按人和期间汇总事项，得出考核结果。"),
    "receivables": say(
        "Receivables ageing: days overdue, bucket, next collection step, risk warning.",
        "应收账款账龄：逾期天数、账龄段、下一步催收、风险预警。",
    ),
    "commission": say("Commission on collections per salesperson and month.", "按业务员和月份计算回款提成。"),
    "ledger": say(
        "The ledger of recorded decisions: list, show, reverse, export, back up.",
        "已记录决定的台账：列表、查看、冲销、导出、备份。",
    ),
    "check": say("Run a file of rule cases against a company's plugin.", "用规则案例文件检查公司插件。"),
    "completion": say(
        "Shell completion for bash, zsh, fish or PowerShell: commands, options, companies, fields.",
        "bash、zsh、fish 或 PowerShell 的命令补全：命令、选项、公司、字段。",
    ),
}


#: typer's (click's) own words in its help pages.
_TYPER = {
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Global options": "通用选项",
    "[default: {}]": "[默认：{}]",
    "[required]": "[必填]",
}

#: typer's usage errors, as (English pattern, Chinese); `{…}` placeholders keep what matched.
_ERRORS = [
    (r"No such command '(?P<a>[^']*)'\.(?: Did you mean (?P<b>.*)\?)?", "没有命令 '{a}'。{b?是否要用 {b}？}"),
    (r"No such option: (?P<a>\S+)(?: Did you mean (?P<b>\S+)\?)?", "没有选项：{a}{b?；是否要用 {b}？}"),
    (r"No such option: (?P<a>\S+) \(Possible options: (?P<b>.*)\)", "没有选项：{a}；是否要用 {b}？"),
    (r"Missing argument '(?P<a>[^']*)'\.", "缺少参数 '{a}'。"),
    (r"Missing option '(?P<a>[^']*)'\.", "缺少选项 '{a}'。"),
    (r"Missing command\.", "缺少命令。"),
    (r"Option '(?P<a>[^']*)' requires an argument\.", "选项 '{a}' 需要一个值。"),
    (r"Option '(?P<a>[^']*)' requires (?P<b>\d+) arguments\.", "选项 '{a}' 需要 {b} 个值。"),
    (r"Got unexpected extra arguments? \((?P<a>.*)\)", "多余的参数（{a}）"),
    (r"Invalid value for (?P<a>.*?): (?P<b>.*)", "{a} 的值无效：{b}"),
    (r"Option '(?P<a>[^']*)' does not take a value\.", "选项 '{a}' 不接受值。"),
]


def _conditional(text: str, parts: dict[str, str]) -> str:
    """`{b?…}` kept when `b` matched, else dropped."""
    return re.sub(r"\{(\w)\?([^}]*\{\w\}[^}]*)\}", lambda m: m.group(2) if m.group(1) in parts else "", text)


def usage_error(message: str) -> str:
    """A usage error of typer's in Chinese (the English when no pattern knows it)."""
    for pattern, chinese in _ERRORS:
        found = re.fullmatch(pattern, message.strip())
        if found:
            parts = {k: v for k, v in found.groupdict().items() if v is not None}
            return _conditional(chinese, parts).format(**parts)
    return message
