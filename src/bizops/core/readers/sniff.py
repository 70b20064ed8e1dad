"""Which reader an input needs: `--input-format`, else the file extension, else a look at its first bytes."""

from __future__ import annotations

from bizops.core.readers.encodings import BOM

EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xlsb": "xlsx",
    ".xls": "xlsx",
    ".ods": "xlsx",
}
#: `--input-format` names of a workbook (calamine tells the kinds apart itself).
WORKBOOK_NAMES = ("xlsx", "xls", "ods")
#: The first bytes of a workbook: a zip (xlsx, xlsm, xlsb, ods) or an OLE compound file (xls).
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def is_workbook(head: bytes) -> bool:
    return head.startswith(_WORKBOOK_MAGIC)


def format_for(path: str | None, explicit: str | None, head: bytes) -> str:
    """The input format, from the option, the file name (`-` is stdin) and `head`, the input's first bytes.

    A workbook is known by its first bytes whatever it is called or said to
    be (an `.xlsx` saved as `orders.csv`: no text format starts that way); a
    CSV whose first line is cut by tabs and not commas is read as TSV (Excel's
    "Unicode Text" saved under a `.csv` name), unless `--input-format` says csv.
    """
    if is_workbook(head):
        return "xlsx"
    if explicit:
        return "xlsx" if explicit in WORKBOOK_NAMES else explicit
    if path and path != "-":
        for ext, fmt in EXTENSIONS.items():
            if path.lower().endswith(ext):
                return _delimited(head) if fmt == "csv" else fmt
    text = head.removeprefix(BOM).lstrip()
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        return "jsonl"
    return _delimited(text)


def _delimited(head: bytes) -> str:
    """csv or tsv, by what cuts the first line more: Excel's "Unicode Text" (*.txt) is tab-separated."""
    first = head.removeprefix(BOM).lstrip(b"\r\n").split(b"\n", 1)[0]
    return "tsv" if first.count(b"\t") > first.count(b",") else "csv"
