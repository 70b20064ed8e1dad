"""The names of the input and output formats (kept apart so parsing options imports no codec)."""

#: `xls` and `ods` name a workbook too: one reader (python-calamine) reads every kind.
INPUT_FORMATS = ("jsonl", "json", "csv", "tsv", "xlsx", "xls", "ods")
OUTPUT_FORMATS = ("table", "markdown", "json", "jsonl", "csv", "tsv", "xlsx")
#: Formats written row by row as results come, by one process or by `--jobs` workers in turn.
STREAMING_FORMATS = ("jsonl", "csv", "tsv")
#: Output formats that are no text: written to a file (`-o`), never to a terminal.
BINARY_FORMATS = ("xlsx",)
#: The output format a file name asks for (`-o quoted.xlsx`), when `--format` does not say.
OUTPUT_EXTENSIONS = {
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "table",
    ".md": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
