"""Text for people: what tables, markdown and messages show of text bizops did not write.

A customer name, a SKU or a plugin's reason reaches a person in a terminal
table, a plain or markdown table and in messages on stderr.
Such text may hold a line break that starts a fake table row, a terminal
escape (`ESC [31m`) that recolours or rewrites the screen, or a bidi override
that reorders what is shown. `shown(text)` makes each of those characters
visible as the escape a programmer would write (`\\n`, `\\x1b`, `\\u202e`);
`markdown(text)` also escapes what gives a pipe table structure or links.

csv, tsv and json keep the exact text: programs read those, and a program
asked for a name wants the name.
"""

from __future__ import annotations

import re

#: Shown as escapes: C0 and C1 controls, DEL, line and paragraph separators, bidi marks,
#: embeddings, overrides and isolates, and lone surrogates (no character at all).
_HIDDEN = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: What a pipe table (GitHub, GitLab, most wikis) reads as structure, a link, code or HTML.
_MARKDOWN = r"([\\|<>\[\]`])"


def _escape(match: re.Match) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """`text` with every control, separator and bidi character (and lone surrogate) shown as an escape."""
    if text.isprintable():  # nearly every value: one C call
        return text
    return re.sub(_HIDDEN, _escape, text)  # compiled on first use (re keeps it): not at start-up


def markdown(text: str) -> str:
    """`text` as one pipe-table cell: shown as above, then `\\ | < > [ ] `` ` escaped with a backslash."""
    return re.sub(_MARKDOWN, r"\\\1", shown(text))


def has_surrogate(text: str) -> bool:
    """Whether `text` holds a lone surrogate: not Unicode, and no UTF-8 output can hold it."""
    return not text.isprintable() and any("\ud800" <= char <= "\udfff" for char in text)
