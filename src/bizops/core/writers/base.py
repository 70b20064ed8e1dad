"""What every writer shares: the base `Writer`, JSON encoding, and what makes a result unwritable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from bizops.core.names import CORE_LABELS
from bizops.core.schema import Column

try:
    from orjson import OPT_APPEND_NEWLINE as LINE
    from orjson import (
        JSONEncodeError,
        dumps,  # dumps(obj, None, LINE) is obj's JSON line, C all the way down
    )
except ImportError:  # pragma: no cover - orjson is a dependency; keep working without it
    import json

    LINE = 1
    JSONEncodeError = TypeError  # type: ignore[misc,assignment]

    def dumps(obj, default=None, option=None) -> bytes:  # type: ignore[misc]
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
        return text + b"\n" if option == LINE else text


#: What a writer raises for an encoded result it cannot write: text that is not Unicode
#: (a lone surrogate) or an int JSON cannot hold. A result's failure, never the output's.
UNWRITABLE = (JSONEncodeError, UnicodeEncodeError)


def unwritable(exc: Exception) -> str:
    """What was wrong with a result a writer could not write (one of `UNWRITABLE`)."""
    if isinstance(exc, UnicodeEncodeError) or "surrogate" in str(exc):
        return "text that is not valid Unicode (a lone surrogate)"
    return f"a value that cannot be written: {exc}"


# -- writers -----------------------------------------------------------------


class Writer:
    """Base: `write(encoded, original)` per result, `close()` at the end.

    `columns` are the encoded result's; `shown` those to write (all unless
    `--columns` picks some), `names` their keys with `trace` under --explain.
    """

    streaming = True

    def __init__(
        self,
        out: BinaryIO,
        columns: Sequence[Column],
        *,
        lang: str,
        explain: bool,
        labels: dict[str, tuple[str, str]],
        single: bool = False,
        tty: bool = False,
        shown: Sequence[Column] | None = None,
    ):
        self.out, self.columns, self.lang, self.explain = out, tuple(columns), lang, explain
        self.labels = {**CORE_LABELS, **labels}
        self.single, self.tty = single, tty
        self.shown = tuple(shown) if shown is not None else self.columns
        self.names = [c.name for c in self.shown] + (["trace"] if explain else [])
        self.picked = self.shown != self.columns

    def pick(self, encoded: dict) -> list:
        """The values of the columns written, in order."""
        if not self.picked:
            return list(encoded.values())
        return [encoded.get(name) for name in self.names]

    def write(self, encoded: dict, original: dict) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


class JsonLinesWriter(Writer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: A row's line is `dumps(encoded, None, LINE)`: the row pipeline writes it itself (see `Sink.settle`).
        self.lines = not self.picked

    def write(self, encoded, original):
        if self.picked:
            encoded = dict(zip(self.names, self.pick(encoded)))
        self.out.write(dumps(encoded, None, LINE))


class JsonWriter(Writer):
    """One JSON document: an array, streamed element by element.

    For a single request from flags, an object instead, as long as exactly
    one result comes out (a filter may give none, an aggregate several:
    those stay an array).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = 0
        self.held: bytes | None = None

    def write(self, encoded, original):
        if self.picked:
            encoded = dict(zip(self.names, self.pick(encoded)))
        element = dumps(encoded)
        if self.single and self.count == 0:
            self.held = element
        else:
            if self.held is not None:
                self.out.write(b"[\n" + self.held)
                self.held = None
            self.out.write((b"[\n" if self.count == 0 else b",\n") + element)
        self.count += 1

    def close(self):
        if self.held is not None:
            self.out.write(self.held + b"\n")
        elif self.count == 0:
            self.out.write(b"[]\n")
        else:
            self.out.write(b"\n]\n")
        super().close()
