"""An input in pieces of whole rows, in bounded memory and linear time.

The readers that cut bytes into rows (JSON Lines, CSV) read through
`pieces()`: one process in small pieces as the bytes arrive, `--jobs` in
pieces of a megabyte for its workers. The same `cut` decides where rows end in
both, and each reader reads a piece again from its start, so the rows, their
numbers and their errors cannot depend on where the input was cut (see
`bizops.core.parallel`).

A row is at most `MAX_ROW_BYTES`. A longer one is never held whole: the
pieces carry an `Oversized` in its place (one row error), and reading goes on
at the next line, so the rows after it keep their numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bizops.core.errors import RowError
from bizops.core.i18n import msg

#: The longest row read, with its line end: far beyond any order, claim or spreadsheet row
#: (an Excel cell holds 32,767 characters), small enough that a broken file cannot stall bizops.
MAX_ROW_BYTES = 1 << 20

#: `cut(data, final) -> (end, oversized)`: `data[:end]` is whole rows. `final` says
#: nothing follows `data`. `oversized`: the row at `end` is longer than
#: MAX_ROW_BYTES; it is skipped to the end of the line it starts on.
Cut = Callable[[bytes, bool], tuple[int, bool]]


def cut_lines(data: bytes, final: bool) -> tuple[int, bool]:
    """The `Cut` of an input whose rows are its lines (JSON Lines; CSV without quotes).

    A line after the first can be too long only when more than a row's limit
    follows the first line (what was left over, and a read of up to the limit):
    then the whole rows end before it, and it is the first line of the next cut.
    """
    first = data.find(b"\n")
    if first >= MAX_ROW_BYTES or (first < 0 and len(data) > MAX_ROW_BYTES):
        return 0, True
    start = first + 1
    while first >= 0 and len(data) - start > MAX_ROW_BYTES:  # a line of the limit's length fits: look
        last = data.rfind(b"\n", start, start + MAX_ROW_BYTES)  # every line begun before it is short
        if last < 0:
            return start, False
        start = last + 1
    return (len(data) if final else data.rfind(b"\n") + 1), False


class Oversized:
    """In a stream of pieces, one row that was too long to read (it went to a worker as this)."""

    __slots__ = ()


def too_long(row: int) -> RowError:
    return RowError(
        msg(
            "is longer than {n:,} bytes (1 MiB); not read",
            "超过 {n:,} 字节（1 MiB）；未读取",
            n=MAX_ROW_BYTES,
        ),
        row,
    )


class OversizedReader:
    """The reader of an `Oversized` piece: its one row error."""

    rows_read = 1
    header = None

    def __iter__(self):
        return iter((too_long(1),))


def pieces(read: Callable[[int], bytes], size: int, cut: Cut) -> Iterator[bytes | Oversized]:
    """What `read` gives, in pieces of whole rows of about `size` bytes (at most MAX_ROW_BYTES are read at once).

    A line ends with LF (a CRLF ends with its LF; the CSV reader turns a lone CR into LF).
    """
    # One read is never longer than a row may be: then only a row begun before
    # it can be too long, and `cut` need look no further than that row.
    size = min(size, MAX_ROW_BYTES)
    rest = b""
    want = size
    while True:
        chunk = read(want)
        final = not chunk
        data = rest + chunk if rest else chunk
        end, oversized = cut(data, final)
        if end:
            yield data[:end]
        rest = data[end:]
        if oversized:
            yield Oversized()
            after = _after_line(read, rest, size)
            if after is None:
                return
            rest, want = after, size
            continue
        if final:
            return
        # Nothing ended in what was there: read more at once next time (up to a
        # row's limit), so a long row is not cut and looked at again and again.
        want = size if end else min(MAX_ROW_BYTES, max(size, 2 * len(rest)))


def _after_line(read: Callable[[int], bytes], data: bytes, size: int) -> bytes | None:
    """What follows the end of the line `data` starts with, the line discarded; None if the input ends first."""
    while (end := data.find(b"\n")) < 0:
        data = read(size)
        if not data:
            return None
    return data[end + 1 :]
