"""A spool: items written to a temporary file in one pass, read back in order in the next.

For rules that must see a whole stream before they can finish any row of it:
a customer's risk warning needs every invoice of the customer, wherever the
invoices stand in the file. The first pass decides each row as far as it can
and appends what it decided; the second reads it back and finishes it. Memory
holds one batch whatever the number of rows, and stdin works as a file does
(there is nothing to read twice).

Batches are written with `marshal` when every item is plain (str, int, bool,
None, bytes, and tuples, lists and dicts of them): about a microsecond a row
both ways. A batch holding anything else (a `Decimal`, a `date`, a `Text`) is
pickled instead, ten times slower: keep the common rows plain and let the rare
ones (a warning, a `--explain` trace) carry the rest.
"""

from __future__ import annotations

import marshal
import struct
from collections.abc import Iterator
from typing import Any

from bizops.core.errors import OutputError
from bizops.core.i18n import msg, os_reason

#: Items per batch: large enough that a batch costs one write, small enough to be nothing in memory.
BATCH = 2048
_HEAD = struct.Struct("<cI")  # b"m" (marshal) or b"p" (pickle), then the payload's length


class Spool:
    """`append` items, then iterate them once, in order; the temporary file goes when done or closed."""

    def __init__(self, batch: int = BATCH):
        self.batch = batch
        self.pending: list[Any] = []
        self.file: Any = None  # created with the first full batch: a short stream never touches the disk
        self.count = 0

    def append(self, item: Any) -> None:
        pending = self.pending
        pending.append(item)
        if len(pending) >= self.batch:
            self._flush()

    def __len__(self) -> int:
        return self.count + len(self.pending)

    def _flush(self) -> None:
        try:
            tag, payload = b"m", marshal.dumps(self.pending)
        except ValueError:  # something marshal cannot hold: this batch only is pickled
            import pickle

            tag, payload = b"p", pickle.dumps(self.pending, pickle.HIGHEST_PROTOCOL)
        try:
            if self.file is None:
                import tempfile  # not on the start-up path of every plugin importing bizops.api

                self.file = tempfile.TemporaryFile(prefix="bizops-spool-")  # noqa: SIM115 (lives until read back)
            self.file.write(_HEAD.pack(tag, len(payload)))
            self.file.write(payload)
        except OSError as exc:
            raise _unwritable(exc) from exc
        self.count += len(self.pending)
        self.pending = []

    def __iter__(self) -> Iterator[Any]:
        file, last = self.file, self.pending
        self.file, self.pending, self.count = None, [], 0
        try:
            if file is not None:
                file.seek(0)
                while head := file.read(_HEAD.size):
                    tag, size = _HEAD.unpack(head)
                    payload = file.read(size)
                    if tag == b"m":
                        yield from marshal.loads(payload)
                    else:
                        import pickle

                        yield from pickle.loads(payload)  # our own file, written above: nothing foreign
        finally:
            if file is not None:
                file.close()
        yield from last

    def close(self) -> None:
        """Drop what is spooled (the stream ended early: an error, Ctrl-C)."""
        if self.file is not None:
            self.file.close()
            self.file = None
        self.pending = []


def _unwritable(exc: OSError) -> OutputError:
    """A full disk (or an unwritable temporary directory) is the environment's I/O error (74), not a bug."""
    import tempfile

    return OutputError(
        msg(
            "cannot keep the rows read so far in a temporary file in {d} (TMPDIR): {r}",
            "无法把已读的行暂存到临时目录 {d}（TMPDIR）：{r}",
            d=tempfile.gettempdir(),
            r=os_reason(exc),
        )
    )
