"""A JSON array of objects (or one object), read element by element as it arrives.

Where an element ends is found before it is decoded (the `,` or `]` after it,
outside strings and brackets), so an element that cannot be read (broken,
nested a thousand deep, a repeated key, longer than MAX_ROW_BYTES) is one row
error and the elements after it are still read.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from bizops.core.errors import RowError
from bizops.core.i18n import Text, msg
from bizops.core.readers.encodings import encoding_hint
from bizops.core.readers.jsontext import exact_decoder, json_row_error, not_an_object, unreadable_text
from bizops.core.readers.pieces import MAX_ROW_BYTES, too_long

_SPACE = re.compile(r"[ \t\r\n]*+")
_SPACE_COMMAS = re.compile(r"[ \t\r\n,]*+")
_OUTSIDE = re.compile(r'["\[\]{},]')
_INSIDE = re.compile(r'["\\]')


class JsonArrayReader:
    """A JSON array of objects (or one object); element N is row N."""

    CHUNK = 1 << 16

    def __init__(self, stream: BinaryIO, encoding: str | None):
        self.stream = stream
        self.encoding = encoding or "utf-8-sig"

    def __iter__(self):
        text = _Text(self.stream, self.encoding, self.CHUNK)
        index = 0
        try:
            if not text.skip(_SPACE):
                return
            single = text.data[text.pos] == "{"
            if not single:
                if text.data[text.pos] != "[":
                    yield RowError(msg("the JSON input must be an array of objects", "JSON 输入必须是对象数组"), 1)
                    return
                text.pos += 1
            while True:
                if not text.skip(_SPACE_COMMAS if index and not single else _SPACE):
                    if not single:
                        yield RowError(msg("the JSON array is not closed with ]", "JSON 数组缺少结尾的 ]"), index + 1)
                    return
                if not single and text.data[text.pos] == "]":
                    return
                item = _element(text, index + 1, single)
                index += 1
                if type(item) is tuple and (why := unreadable_text(item[1])) is not None:  # `\u0000`, `\ud800`
                    item = RowError(why, index)
                yield item
                if single:
                    if text.skip(_SPACE):
                        yield RowError(
                            msg(
                                "more follows the JSON object; one object per line is JSON Lines (--input-format jsonl)",
                                "JSON 对象之后还有内容；每行一个对象请用 JSON Lines（--input-format jsonl）",
                            ),
                            index + 1,
                        )
                    return
                if type(item) is not tuple and text.eof and text.pos == len(text.data):
                    return  # a truncated array: its last element's error says so
        except UnicodeDecodeError:
            hint = encoding_hint(None if self.encoding == "utf-8-sig" else self.encoding)
            yield RowError(Text("the input ", "输入") + hint, index + 1)


def _element(text: _Text, row: int, single: bool):
    """The element at `text.pos` as row `row`: `(row, dict)` or a `RowError`; `text.pos` moves past it."""
    try:  # most elements: the decoder finds where they end
        obj, end = exact_decoder().raw_decode(text.data, text.pos)
    except (ValueError, RecursionError):
        pass
    else:
        if single:
            text.pos = end
            return (row, obj) if type(obj) is dict else not_an_object(row)
        if end == len(text.data) or text.data[end] not in ",]":  # white space first (or not all here yet)
            end = text.next_char(end)
        if (end == len(text.data) or text.data[end] in ",]") and end - text.pos <= MAX_ROW_BYTES:
            text.pos = end
            return (row, obj) if type(obj) is dict else not_an_object(row)
    # Broken, nested too deep, too long, or not all here yet: find its end first.
    end = _element_end(text, single)
    if end is None:
        return too_long(row)
    element, text.pos = text.data[text.pos : end], end
    try:
        obj = exact_decoder().decode(element)
    except (ValueError, RecursionError) as exc:
        return json_row_error(row, exc)
    return (row, obj) if type(obj) is dict else not_an_object(row)


def _element_end(text: _Text, single: bool) -> int | None:
    """Where the element at `text.pos` ends: the `,` or `]` after it (or the end of the input).

    None for an element longer than MAX_ROW_BYTES: it has been skipped, and
    `text.pos` is at its end.
    """
    end = None
    scan = _Scan(single)
    while end is None:
        end = scan.find(text.data, text.pos)
        if end is None:
            if len(text.data) - text.pos > MAX_ROW_BYTES:
                break
            if not text.more():
                return len(text.data)
    if end is not None and end - text.pos <= MAX_ROW_BYTES:
        return end
    while end is None:  # too long: what is scanned is let go, so memory stays bounded
        text.pos, scan.at = text.pos + scan.at, 0
        if not text.more():
            text.pos = len(text.data)
            return None
        end = scan.find(text.data, text.pos)
    text.pos = end
    return None


class _Scan:
    """Finds where a JSON value ends without decoding it: strings and bracket depth only, at any depth.

    Resumable: `find` keeps its place (`at`, from the element's start) when the text ends first.
    """

    def __init__(self, single: bool):
        self.single = single  # the one object of a document ends with its closing bracket
        self.depth = 0
        self.inside = False  # in a string
        self.at = 0

    def find(self, data: str, start: int) -> int | None:
        """The index in `data` where the element begun at `start` ends, or None when `data` ends first."""
        pos, depth, inside, n = start + self.at, self.depth, self.inside, len(data)
        while pos < n:
            found = (_INSIDE if inside else _OUTSIDE).search(data, pos)
            if found is None:
                pos = n
                break
            c, pos = found.group(), found.end()
            if inside:
                if c == "\\":
                    if pos == n:  # what it escapes has not arrived
                        pos -= 1
                        break
                    pos += 1
                else:
                    inside = False
            elif c == '"':
                inside = True
            elif c in "[{":
                depth += 1
            elif depth == 0:
                if c != "}":  # a stray `}` is part of a broken element; `,` or `]` ends it
                    return found.start()
            elif c != ",":
                depth -= 1
                if depth == 0 and self.single:
                    return pos
        self.at, self.depth, self.inside = pos - start, depth, inside
        return None


class _Text:
    """The input decoded as it is read; `data[pos:]` is what is not consumed yet."""

    def __init__(self, stream: BinaryIO, encoding: str, chunk: int):
        self.read = getattr(stream, "read1", stream.read)  # what is there: an array piped slowly is decided as it comes
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.data, self.pos, self.eof = "", 0, False
        self.chunk = chunk

    def more(self) -> bool:
        """Read on; False at the end of the input.

        Asks for as much again as is held, so a long element is looked at a
        bounded number of times (linear time).
        """
        if self.eof:
            return False
        chunk = self.read(max(self.chunk, len(self.data) - self.pos))
        self.eof = not chunk
        self.data = self.data[self.pos :] + self.decoder.decode(chunk, final=self.eof)
        self.pos = 0
        return True

    def next_char(self, at: int) -> int:
        """Where the first character from `at` on that is not white space is (`len(data)` at the end of the input).

        Reads on if need be, keeping `data[pos:]` (the indexes move with it).
        """
        while True:
            space = _SPACE.match(self.data, at)
            at = space.end() if space else at
            if at < len(self.data):
                return at
            start = self.pos
            if not self.more():
                return at
            at -= start

    def skip(self, pattern: re.Pattern) -> bool:
        """Past what `pattern` matches; False at the end of the input."""
        while True:
            skipped = pattern.match(self.data, self.pos)
            self.pos = skipped.end() if skipped else self.pos
            if self.pos < len(self.data):
                return True
            if not self.more():
                return False
