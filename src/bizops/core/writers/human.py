"""Values as a person reads them: labels in `--lang`, money with two decimals, yes/no, lists one per line.

Shared by the writers for people (tables, markdown, cards, workbooks). Every
text is shown through `bizops.core.display` (a line break, a terminal escape
or a bidi override in a name becomes a visible escape); markdown also
escapes what a pipe table reads as structure.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bizops.core.display import has_surrogate, shown
from bizops.core.display import markdown as markdown_cell
from bizops.core.i18n import render
from bizops.core.money import decimal_text, money_text, price_text
from bizops.core.names import CORE_LABELS
from bizops.core.schema import Column
from bizops.core.values import format_datetime

#: Kinds shown whole in a table, never wrapped: what a person reads a row by.
WHOLE_KINDS = ("money", "price", "decimal", "int", "bool", "date", "datetime")
#: Columns shown whole whatever their kind: a decision's outcome.
WHOLE_NAMES = ("status", "decision")
#: Kinds wrapped between words only (`pay on / delivery`), never inside one: choices and lists of them.
WORD_KINDS = ("enum", "texts")
#: Kinds aligned to the right (numbers line up by their last digit).
RIGHT_KINDS = ("money", "price", "decimal", "int")


def fit(column: Column) -> str:
    """How a table may fit this column to a terminal: `whole` (never wrapped: money, numbers,
    dates, ids, status, decision), `words` (wrapped between words: choices), `free` (text)."""
    if column.kind in WHOLE_KINDS or column.key or column.name in WHOLE_NAMES:
        return "whole"
    return "words" if column.kind in WORD_KINDS else "free"


def is_whole(column: Column) -> bool:
    """Whether a table shows this column's cells whole at any width (see `bizops.core.writers.layout`)."""
    return fit(column) == "whole"


class Human:
    """Turns JSON-ready and typed values into the text a person reads, in one language."""

    def __init__(self, lang: str, labels: dict[str, tuple[str, str]], markdown: bool = False, lines: str = "\n"):
        self.lang = lang
        self.labels = {**CORE_LABELS, **labels}
        self.markdown = markdown
        self.lines = "<br>" if markdown else lines

    def text(self, text: Any) -> str:
        """A text as shown; a lone surrogate is refused (no UTF-8 output can hold it)."""
        text = str(text)
        if has_surrogate(text):
            raise UnicodeEncodeError("utf-8", text, 0, len(text), "surrogates not allowed")
        return markdown_cell(text) if self.markdown else shown(text)

    def cell(self, column: Column, value: Any) -> str:
        if value is None or value == []:
            return ""
        if value is True or value is False:
            return self.yes_no(value)
        if column.kind in ("enum", "texts") or (column.kind == "text" and value in self.labels):
            if isinstance(value, list):
                return self.lines.join(self.label(v) for v in value)
            return self.label(value)
        if isinstance(value, list):
            return self.lines.join(self.item(v) for v in value)
        if isinstance(value, datetime):
            return format_datetime(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            if column.kind == "money":
                return money_text(value)
            return price_text(value) if column.kind == "price" else decimal_text(value)
        if isinstance(value, dict):
            return self.item(value)
        return self.text(render(value, self.lang))

    def yes_no(self, value: bool) -> str:
        return ("是" if value else "否") if self.lang == "zh" else ("yes" if value else "no")

    def label(self, value: Any) -> str:
        if isinstance(value, str) and value in self.labels:
            zh, en = self.labels[value]
            return self.text(zh if self.lang == "zh" else en)
        return self.text(render(value, self.lang))

    def item(self, item: Any) -> str:
        if isinstance(item, dict):
            parts = []
            for value in item.values():
                if value is None or value == "":
                    continue
                if isinstance(value, Decimal):
                    parts.append(decimal_text(value))
                elif isinstance(value, (dict, list)):
                    parts.append(self.item(value) if isinstance(value, dict) else "; ".join(map(self.item, value)))
                else:
                    parts.append(self.label(value))
            return " ".join(parts)
        return self.label(item)

    def trace(self, step: dict) -> str:
        """One rule of a trace: `cable.price.floor (000 三、市场价格 3): effect`."""
        effect = self.text(render(step.get("effect", ""), self.lang))
        return f"{self.text(step.get('rule', ''))} ({self.text(step.get('clause', ''))}): {effect}"
