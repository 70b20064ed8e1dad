"""Text encodings of an input: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode Text"), others named.

The readers split rows on bytes, so every input reaches them as UTF-8 or in
an encoding named with `--encoding` that keeps ASCII as ASCII (GBK, GB18030,
Big5…); UTF-16 is re-encoded as UTF-8 on the way in.
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import BinaryIO

from bizops.core.errors import BizopsError, Exit
from bizops.core.i18n import Text, msg

BOM = codecs.BOM_UTF8
#: A row holding a NUL (a byte, a JSON `\u0000`, a workbook's `_x0000_`) cannot be read: PostgreSQL cannot keep
#: one, and no order book means one.
NUL_BYTE = msg("contains a NUL byte", "含有 NUL 字节")
#: Nor one holding half a character (JSON's lone `\ud800`): no text, output or ledger, can hold it.
LONE_SURROGATE = msg(
    "holds text that is not valid Unicode (a lone surrogate such as \\ud800)",
    "含有无效的 Unicode 文本（孤立的代理项，如 \\ud800）",
)
#: `--encoding` values that mean what is read without one.
UTF8 = (None, "utf-8", "utf8", "utf-8-sig")


def is_utf16(head: bytes, encoding: str | None) -> bool:
    """Whether the input is UTF-16 (Excel's "Unicode Text" export starts with its BOM)."""
    if encoding:
        return codecs.lookup(encoding).name.startswith("utf-16")
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or sniff_utf16(head) is not None


def sniff_utf16(head: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` for UTF-16 without a BOM, else None.

    Text in UTF-16 has a NUL beside every ASCII character (commas, tabs, line
    ends, digits), on the odd bytes (little-endian, as Windows writes it) or the
    even ones; UTF-8 text and the Chinese encodings have no NUL at all.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or len(head) < 4:
        return None
    pairs = len(head) // 2
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    enough = max(1, pairs // 4)  # a short input without any NUL (`{}\n{}\n`) is not UTF-16
    if odd >= enough and even == 0:
        return "utf-16-le"
    if even >= enough and odd == 0:
        return "utf-16-be"
    return None


def guess(head: bytes, encoding: str | None) -> str | None:
    """The encoding to read a CSV in when none is given; None for UTF-8.

    A BOM decides. Without one, the first bytes do: UTF-8 if they are UTF-8,
    or mostly UTF-8 text with a few bad bytes (those rows are errors, the
    others read as they are); GB18030 if they are GB18030 and not UTF-8 text
    (Chinese Excel and WPS save a CSV that way, "ANSI" on a Chinese Windows;
    the caller says so, once); else UTF-8, and the rows that are not are errors.
    """
    if encoding or head.startswith(BOM):
        return encoding
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character cut at the end is fine
        return None
    except UnicodeDecodeError:
        pass
    text = head.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    if good >= bad:  # UTF-8 text with a few broken bytes: those rows are the errors
        return None
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
    except UnicodeDecodeError:
        return None  # not Chinese text either: bytes no encoding reads (each such row is an error)
    return "gb18030"


def utf16_as_utf8(stream: BinaryIO, encoding: str | None) -> io.BufferedReader:
    """A UTF-16 input as UTF-8, re-encoded as it is read."""
    return io.BufferedReader(_Recoded(stream, encoding or "utf-16"))


class _Recoded(io.RawIOBase):
    """The bytes of `stream`, decoded from `encoding` and encoded as UTF-8 (without a BOM)."""

    def __init__(self, stream: BinaryIO, encoding: str):
        # read1: what has arrived, so rows piped slowly are decided as they come
        self._read = getattr(stream, "read1", stream.read)
        self.encoding = codecs.lookup(encoding).name
        self.decoder: codecs.IncrementalDecoder | None = None  # chosen on the first two bytes
        self.head = b""
        self.consumed = 0  # bytes of `stream` decoded before the current read, for the error message
        self.out = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.out:
            chunk = self._read(1 << 16)
            if self.decoder is None:
                self.head += chunk
                if len(self.head) < 2 and chunk:
                    continue
                chunk, self.head = self.head, b""
                self.decoder = self._decoder(chunk)
            try:
                text = self.decoder.decode(chunk, final=not chunk)
            except UnicodeError as exc:
                raise BizopsError(
                    msg(
                        "the input is not valid UTF-16 (byte {p}); save it as CSV UTF-8",
                        "输入不是有效的 UTF-16（第 {p} 字节）；请另存为 CSV UTF-8",
                        p=self.consumed + getattr(exc, "start", 0),
                    ),
                    Exit.DATA,
                ) from None
            if self.consumed == 0:  # `utf-16` drops its BOM itself; `utf-16-le` keeps it as U+FEFF
                text = text.removeprefix("\ufeff")
            self.consumed += len(chunk)
            self.out = text.encode("utf-8")
            if not chunk:
                break
        count = min(len(buffer), len(self.out))
        buffer[:count] = self.out[:count]
        self.out = self.out[count:]
        return count

    def _decoder(self, head: bytes) -> codecs.IncrementalDecoder:
        encoding = self.encoding
        if encoding == "utf-16" and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"  # as bytes.decode("utf-16") reads it
        return codecs.getincrementaldecoder(encoding)()


def encoding_hint(encoding: str | None) -> Text:
    """What to say of a row that cannot be decoded."""
    if encoding not in UTF8:
        return msg("cannot be decoded as {e}", "无法按 {e} 解码", e=encoding)
    return msg(
        "is not valid UTF-8; a file saved by Excel or WPS in Chinese needs --encoding gb18030",
        "不是有效的 UTF-8；Excel 或 WPS 中文版保存的文件请加 --encoding gb18030",
    )
