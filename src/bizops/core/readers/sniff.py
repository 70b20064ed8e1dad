"""Which reader an input needs: `--input-format`, else the file extension, else a look at its first bytes."""

from __future__ import annotations

from bizops.core.readers.encodings import BOM

EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}


def format_for(path: str | None, explicit: str | None, head: bytes) -> str:
    """The input format, from the option, the file name (`-` is stdin) and `head`, the input's first bytes."""
    if explicit:
        return explicit
    if path and path != "-":
        for ext, fmt in EXTENSIONS.items():
            if path.lower().endswith(ext):
                return fmt
    text = head.removeprefix(BOM).lstrip()
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        return "jsonl"
    first = text.split(b"\n", 1)[0]
    # Excel's "Unicode Text" (*.txt) is tab-separated
    return "tsv" if b"\t" in first and b"," not in first else "csv"
