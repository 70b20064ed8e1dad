"""Running generated code so that tracebacks and debuggers can show its lines.

The row pipeline generates two functions per stream as straight-line Python
(the field parser of `bizops.core.requests`, the result encoder of
`bizops.core.encoder`). Code given to `exec` as a string has no file, so a
traceback through it would show no source. `define` compiles it under a name
of its own and registers the text with `linecache`, as `dataclasses` and
`attrs` do for the methods they generate.

The name is derived from the text (`<bizops fields 1a2b3c4d5e6f>`): the same
code compiled again, by every stream of a long-running process, shares one
cache entry instead of adding another. (`hash`, not hashlib: importing
hashlib costs a quote from flags 15 ms, and the name need only be unique
within the process.)
"""

from __future__ import annotations

import linecache
from typing import Any


def define(source: str, kind: str, namespace: dict[str, Any]) -> str:
    """Run `source` in `namespace` under a registered file name; return that name."""
    filename = f"<bizops {kind} {hash(source) & 0xFFFFFFFFFFFF:012x}>"
    # `mtime` None: linecache.checkcache() keeps the entry (there is no file to compare it with).
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)
    return filename
