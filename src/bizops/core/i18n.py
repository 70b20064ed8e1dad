"""Bilingual text: English is the value, Chinese rides along.

`Text` is a `str` holding the English wording, so JSON (which stays English by
contract) serialises it as is; tables and stderr messages show `.zh` when the
language is Chinese.
"""

from __future__ import annotations

import os


class Text(str):
    __slots__ = ("zh",)
    zh: str

    def __new__(cls, en: str, zh: str | None = None) -> Text:
        self = super().__new__(cls, en)
        self.zh = zh if zh is not None else en
        return self

    def __reduce__(self):  # keep the Chinese across processes (--jobs)
        return (Text, (str(self), self.zh))

    def __add__(self, other):
        if isinstance(other, str):
            return Text(str(self) + other, self.zh + getattr(other, "zh", other))
        return NotImplemented


def msg(en: str, zh: str, **params) -> Text:
    """A message in both languages, `{name}` placeholders filled from params (a `Text` one in its own language)."""
    return Text(en.format(**params), zh.format(**{k: getattr(v, "zh", v) for k, v in params.items()}))


def render(value, lang: str) -> str:
    """The text to show a person: Chinese when asked for and known."""
    if lang == "zh":
        return getattr(value, "zh", value)
    return value


def default_lang(environ=os.environ) -> str:
    """`zh` when the locale says Chinese (LC_ALL, then LC_MESSAGES, then LANG)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


LANGS = ("zh", "en")
