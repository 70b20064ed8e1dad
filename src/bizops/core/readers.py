"""Input rows from JSON Lines, a JSON array or CSV/TSV, streamed.

A reader yields `(row, raw)` pairs: `raw` is the row's dict of untyped values
and `row` the number the user sees: the line of a JSON Lines file, the element
of a JSON array (from 1), the spreadsheet row of a CSV (the header is row 1).
A row that cannot be read at all (broken JSON, invalid UTF-8, a NUL byte) is
yielded as a `RowError` in its place, and reading goes on.

Reading happens in two steps, `records()` (split the bytes into raw records)
and `parse()` (one record to a row), so `--jobs` can split the first from the
second across processes.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from decimal import Decimal
from itertools import chain
from typing import BinaryIO

from bizops.core.errors import BizopsError, Exit, RowError, UsageError
from bizops.core.i18n import Text, msg

try:  # orjson parses JSON Lines about 3.5x faster than json (see bench/)
    from orjson import JSONDecodeError as _OrjsonError
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency; keep working without it
    from json import loads as _fast_loads

    _OrjsonError = ValueError

_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}
_BOMS = (codecs.BOM_UTF8,)


def format_for(path: str | None, explicit: str | None, head: bytes) -> str:
    """`--input-format`, else the file extension, else a look at the first bytes."""
    if explicit:
        return explicit
    if path and path != "-":
        for ext, fmt in _EXTENSIONS.items():
            if path.lower().endswith(ext):
                return fmt
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        return "jsonl"
    first = text.split(b"\n", 1)[0]
    # Excel's "Unicode Text" (*.txt) is tab-separated
    return "tsv" if b"\t" in first and b"," not in first else "csv"


def is_utf16(head: bytes, encoding: str | None) -> bool:
    """Whether the input is UTF-16 (Excel's "Unicode Text" export starts with its BOM)."""
    if encoding:
        return codecs.lookup(encoding).name.startswith("utf-16")
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def utf16_as_utf8(stream: BinaryIO, encoding: str | None) -> BinaryIO:
    """A UTF-16 input re-encoded as UTF-8, for the readers, which split lines on bytes.

    Read whole: a UTF-16 file comes from a spreadsheet, whose size Excel bounds.
    """
    data = stream.read()
    try:
        text = data.decode(encoding or "utf-16")
    except UnicodeDecodeError as exc:
        raise BizopsError(
            msg(
                "the input is not valid UTF-16 (byte {p}); save it as CSV UTF-8",
                "输入不是有效的 UTF-16（第 {p} 字节）；请另存为 CSV UTF-8",
                p=exc.start,
            ),
            Exit.DATA,
        ) from None
    return io.BufferedReader(io.BytesIO(text.lstrip("\ufeff").encode("utf-8")))


def open_reader(stream: BinaryIO, fmt: str, encoding: str | None):
    """The reader for a format; `encoding` None means UTF-8 with or without BOM."""
    if fmt == "jsonl":
        return JsonLinesReader(stream, encoding)
    if fmt == "json":
        return JsonArrayReader(stream, encoding)
    if fmt in ("csv", "tsv"):
        from bizops.core.csvreader import CsvReader

        return CsvReader(stream, encoding, "\t" if fmt == "tsv" else ",")
    raise UsageError(msg("unknown input format {f}", "未知输入格式 {f}", f=fmt))


def _encoding_hint(encoding: str | None) -> Text:
    if encoding:
        return msg("cannot be decoded as {e}", "无法按 {e} 解码", e=encoding)
    return msg(
        "is not valid UTF-8; a file saved by Excel or WPS in Chinese needs --encoding gb18030",
        "不是有效的 UTF-8；Excel 或 WPS 中文版保存的文件请加 --encoding gb18030",
    )


def exact_json(text: str | bytes):
    """The standard library's JSON, with decimals kept exact and repeated keys refused."""
    import json  # only for rows orjson cannot read exactly: not on the start-up path

    return json.loads(
        text, parse_float=_exact_float, parse_int=_exact_int, parse_constant=_no_constant, object_pairs_hook=_no_repeats
    )


def _exact_int(text: str):
    # No amount has dozens of digits: hand on the text, and the field's parser says
    # "too many digits" (int() itself refuses past 4300 digits, in Python's words).
    return int(text) if len(text) <= 40 else text


def _exact_float(text: str):
    # An exponent is not a number here (contract): hand the text on, and the
    # field's parser refuses it with "must be a number".
    return text if ("e" in text or "E" in text) else Decimal(text)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


class RepeatedKey(ValueError):
    pass


def _no_repeats(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise RepeatedKey(f"key {key!r} appears twice")
            seen.add(key)
    return result


def _json_row_error(row, exc) -> RowError:
    if isinstance(exc, RepeatedKey):
        return RowError(msg("{e}; give each field once", "{e}；每个字段只能出现一次", e=exc), row)
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return RowError(msg("not a valid JSON object ({d})", "不是有效的 JSON 对象（{d}）", d=detail), row)


def _blocks(stream: BinaryIO, size: int, boundary, read=None) -> Iterator[bytes]:
    """The rest of `stream` in pieces of about `size` bytes, each ending where `boundary` says.

    `read` is `stream.read` unless given: `stream.read1` hands on what has
    arrived at once instead of waiting for `size` bytes.
    """
    read = read or stream.read
    rest = b""
    while True:
        chunk = read(size)
        if not chunk:
            if rest:
                yield rest
            return
        data = rest + chunk
        cut = boundary(data)
        if cut <= 0:
            rest = data
            continue
        yield data[:cut]
        rest = data[cut:]


def _after_last_line(data: bytes) -> int:
    return data.rfind(b"\n") + 1


class JsonLinesReader:
    """One JSON object per line. Blank lines are skipped (their numbers still count)."""

    CHUNK = 1 << 15  # bytes read and parsed at a time (a few hundred rows: they stay in cache)

    def __init__(self, stream: BinaryIO, encoding: str | None):
        self.stream = stream
        self.encoding = None if encoding in (None, "utf-8", "utf8", "utf-8-sig") else encoding
        self.rows_read = 0
        self._lines: dict[int, bytes] | None = None  # the lines of the rows last given out, for `exact`
        self._block: tuple[int, bytes] | None = None  # or the block they came from, with its first line's number

    def blocks(self, size: int) -> Iterator[bytes]:
        """The input in pieces of whole lines, for `--jobs` (see `bizops.core.parallel`)."""
        return _blocks(self.stream, size, _after_last_line)

    def for_block(self, block: bytes) -> JsonLinesReader:
        """A reader of one piece, numbering its lines from 1."""
        return JsonLinesReader(io.BytesIO(block), self.encoding)

    def parse(self, row: int, line: bytes):
        """One line to `(row, dict)`, or a `RowError`."""
        if self.encoding is not None:
            try:
                line = line.decode(self.encoding)
            except UnicodeDecodeError:
                return RowError(Text("line ", "该行") + _encoding_hint(self.encoding), row)
        try:
            obj = _fast_loads(line)
        except _OrjsonError as exc:
            if b"\x00" in line if isinstance(line, bytes) else "\x00" in line:
                return RowError(msg("contains a NUL byte", "含有 NUL 字节"), row)
            if isinstance(line, bytes):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return RowError(Text("line ", "该行") + _encoding_hint(None), row)
            try:  # orjson refuses numbers no double holds (a 400-digit amount, 1e999): read exactly
                obj = exact_json(line)
            except (ValueError, RecursionError) as exact:
                return _json_row_error(
                    row, exact if isinstance(exact, RepeatedKey) or "is not a number" in str(exact) else exc
                )
            if type(obj) is not dict:
                return RowError(msg("must be a JSON object {{...}}", "必须是 JSON 对象 {{...}}"), row)
            return row, obj
        if type(obj) is not dict:
            return RowError(msg("must be a JSON object {{...}}", "必须是 JSON 对象 {{...}}"), row)
        # orjson keeps the last of repeated keys: counting `":` finds every repeat
        # (and every nested object), and such rows are read again exactly.
        colons = line.count(b'":') if isinstance(line, bytes) else line.count('":')
        if colons != len(obj):
            try:
                obj = exact_json(line)
            except ValueError as exc:
                return _json_row_error(row, exc)
        self._block, self._lines = None, {row: line}
        return row, obj

    def exact(self, row: int, raw: dict) -> dict | None:
        """The row just parsed, read again with decimals exact, if orjson gave it a float.

        orjson reads `1.5` as a float. No field accepts a float, so such a row
        fails validation and the pipeline asks for it again here (rare rows pay,
        not every row). None when there is nothing to re-read.
        """
        line = self._line_of(row)
        if line is None or float not in set(map(type, raw.values())):
            return None
        try:
            exact = exact_json(line)
        except ValueError:
            return None
        for name, value in raw.items():  # keep what flags filled in (`_with_defaults`)
            exact.setdefault(name, value)
        return exact

    def _line_of(self, row: int) -> bytes | None:
        if self._block is not None:  # the rows came from one read of a whole block: cut it only now
            first, block = self._block
            self._block = None
            self._lines = dict(enumerate(block.split(b"\n"), first))
        return self._lines.get(row) if self._lines is not None else None

    def __iter__(self):
        # Rows pass from a block's iterator to the caller through C only (chain, zip): no generator frame per row.
        return chain.from_iterable(self._row_batches())

    def _row_batches(self):
        """For each block of whole lines read, an iterator of its rows."""
        lineno = 0
        # read1: what has arrived, so rows typed or piped slowly are decided at once
        for block in _blocks(self.stream, self.CHUNK, _after_last_line, read=self.stream.read1):
            if not block.endswith(b"\n"):  # the last line, unterminated
                block += b"\n"
            lines = block.count(b"\n")
            yield self._rows(block, lineno, lines)
            lineno += lines
            self.rows_read = lineno

    def _rows(self, block: bytes, lineno: int, lines: int) -> Iterator:
        """The `lines` rows of `block`, after line `lineno`: one call to orjson when all are plain objects.

        One call for a block saves a third of the reading; any line that is
        not one plain object (blank, broken, nested, a repeated key…) sends
        the block to `parse`, line by line, which says what is wrong with which row.
        """
        if lineno == 0 and block.startswith(codecs.BOM_UTF8):
            block = block[3:]
        if self.encoding is None:
            joined = b"[" + block[:-1].replace(b"\n", b",") + b"]"
            try:
                objects = _fast_loads(joined)
            except _OrjsonError:
                objects = None
            if (
                objects is not None
                and len(objects) == lines
                and set(map(type, objects)) == {dict}
                and joined.count(b'":') == sum(map(len, objects))
            ):
                self._block, self._lines = (lineno + 1, block), None
                return zip(range(lineno + 1, lineno + 1 + len(objects)), objects)
        parse = self.parse
        return (
            parse(row, line)
            for row, line in enumerate(block[:-1].split(b"\n"), lineno + 1)
            if line and not line.isspace()
        )


class JsonArrayReader:
    """A JSON array of objects (or one object), decoded element by element."""

    CHUNK = 1 << 16

    def __init__(self, stream: BinaryIO, encoding: str | None):
        self.stream = stream
        self.encoding = encoding or "utf-8-sig"

    def __iter__(self):
        import json

        lenient = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)  # where an element ends
        decoder = json.JSONDecoder(
            parse_float=_exact_float, parse_int=_exact_int, parse_constant=_no_constant, object_pairs_hook=_no_repeats
        )
        text_stream = codecs.getincrementaldecoder(self.encoding)()
        buffer, pos, eof, started, index = "", 0, False, False, 0

        def fill():
            nonlocal buffer, pos, eof
            chunk = self.stream.read1(
                self.CHUNK
            )  # what is there: an array typed or piped slowly is decided as it comes
            if not chunk:
                eof = True
            buffer = buffer[pos:] + text_stream.decode(chunk, final=not chunk)
            pos = 0

        def skip(chars=" \t\r\n"):
            nonlocal pos
            while True:
                while pos < len(buffer) and buffer[pos] in chars:
                    pos += 1
                if pos < len(buffer) or eof:
                    return
                fill()

        try:
            fill()
            skip()
            if pos < len(buffer) and buffer[pos] == "{":
                single = True
            elif pos < len(buffer) and buffer[pos] == "[":
                single, pos = False, pos + 1
            elif pos >= len(buffer):
                return
            else:
                yield RowError(msg("the JSON input must be an array of objects", "JSON 输入必须是对象数组"), 1)
                return
            while True:
                skip(" \t\r\n," if started and not single else " \t\r\n")
                if pos >= len(buffer):
                    if not single:
                        yield RowError(msg("the JSON array is not closed with ]", "JSON 数组缺少结尾的 ]"), index + 1)
                    return
                if not single and buffer[pos] == "]":
                    return
                while True:
                    try:
                        obj, end = decoder.raw_decode(buffer, pos)
                        break
                    except (json.JSONDecodeError, RepeatedKey, ValueError) as exc:
                        try:  # valid JSON refused here (a repeated key, NaN): only this element is lost
                            end = lenient.raw_decode(buffer, pos)[1]
                        except ValueError:
                            if eof:
                                yield _json_row_error(index + 1, exc)
                                return
                            fill()
                            continue
                        obj = exc
                        break
                index += 1
                started = True
                pos = end
                if isinstance(obj, Exception):
                    yield _json_row_error(index, obj)
                elif type(obj) is not dict:
                    yield RowError(msg("must be a JSON object {{...}}", "必须是 JSON 对象 {{...}}"), index)
                else:
                    yield index, obj
                if single:
                    return
        except UnicodeDecodeError:
            yield RowError(
                Text("the input ", "输入") + _encoding_hint(None if self.encoding == "utf-8-sig" else self.encoding),
                index + 1,
            )
