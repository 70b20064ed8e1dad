"""The names of the input and output formats (kept apart so parsing options imports no codec)."""

INPUT_FORMATS = ("jsonl", "json", "csv", "tsv")
OUTPUT_FORMATS = ("table", "markdown", "json", "jsonl", "csv", "tsv")
#: Formats written row by row as results come (the others need the whole stream).
STREAMING_FORMATS = ("jsonl", "csv", "tsv")
