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


#: The operating system's reasons in Chinese, by errno name (its English wording is `strerror`'s).
_OS_ZH = {
    "ENOENT": "没有那个文件或目录",
    "EACCES": "权限不够",
    "EPERM": "不允许的操作",
    "EISDIR": "是一个目录",
    "ENOTDIR": "不是一个目录",
    "ENOSPC": "设备上没有空间",
    "EDQUOT": "超出磁盘配额",
    "EROFS": "只读文件系统",
    "EEXIST": "文件已存在",
    "EIO": "输入/输出错误",
    "EMFILE": "打开的文件过多",
    "ENAMETOOLONG": "文件名过长",
    "EBUSY": "设备或资源忙",
    "ENXIO": "没有那个设备或地址",
    "EPIPE": "管道已断开",
    "ELOOP": "符号链接的层数过多",
}


def os_reason(exc: OSError) -> Text:
    """Why the operating system refused, in both languages (`No such file or directory`, `没有那个文件或目录`)."""
    import errno

    en = exc.strerror or str(exc)
    return Text(en, _OS_ZH.get(errno.errorcode.get(exc.errno or 0, ""), en))
