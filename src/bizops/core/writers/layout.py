"""Widths on a screen, wrapping, and how a table's columns share a terminal's width.

A Chinese character takes two columns of a terminal, an accent none. Text
here has been made safe to show already (`bizops.core.display`): no control
characters are left to measure.

`plan` gives each column its width, or says the columns cannot share the
width: the columns that are shown whole (money, numbers, dates, choices,
ids) get all they need; only free text (a reason, warnings) is wrapped, and
never below a few columns. When even the whole ones do not fit, the caller
shows each result as a card instead (as psql's `\\x auto` does).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

#: Columns between two table columns.
GAP = 2
#: The narrowest a wrapped column is made (a shorter one would be read a syllable a line).
MIN_WRAPPED = 12


def cell_width(text: str) -> int:
    """The columns `text` takes on a terminal: two for a wide (CJK) character, none for a combining mark."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if char.isascii():
            width += 1
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        else:
            width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded with spaces to `width` columns (on the left when `right`)."""
    fill = " " * max(0, width - cell_width(text))
    return fill + text if right else text + fill


def wrap(text: str, width: int, words: bool = False) -> list[str]:
    """`text` in lines of at most `width` columns: broken at spaces, else anywhere (Chinese has no spaces).

    With `words`, broken at spaces only (a choice's label is never cut; a
    word wider than `width` stays whole on its line). Nothing is dropped:
    every character of `text` is on one of the lines.
    """
    if width < 1 or cell_width(text) <= width:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for word in _words(text, cjk=not words):
        size = cell_width(word)
        if used + size <= width:
            line, used = line + word, used + size
            continue
        if line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
            word = word.lstrip()
            size = cell_width(word)
        while size > width and not words:  # a word longer than the line: cut it, character by character
            cut, taken = "", 0
            for char in word:
                w = cell_width(char)
                if taken + w > width and cut:
                    break
                cut, taken = cut + char, taken + w
            lines.append(cut)
            word = word[len(cut) :]
            size = cell_width(word)
        line, used = word, size
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _words(text: str, cjk: bool = True) -> list[str]:
    """`text` cut before each space run and (`cjk`) around each wide character: where a line may break."""
    words: list[str] = []
    current = ""
    for char in text:
        wide = cjk and not char.isascii() and unicodedata.east_asian_width(char) in ("W", "F")
        if char == " " and current and not current.endswith(" "):
            words.append(current)
            current = char
        elif wide:
            if current:
                words.append(current)
            words.append(char)
            current = ""
        else:
            current += char
    if current:
        words.append(current)
    return words


def longest_word(text: str) -> int:
    """The widest word of `text`: a header is wrapped between its words, never inside one."""
    return max((cell_width(w) for w in text.split()), default=0)


def natural(lines: Sequence[str]) -> int:
    return max((cell_width(line) for line in lines), default=0)


def plan(
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    fits: Sequence[str],
    limit: int | None,
) -> list[int] | None:
    """Each column's width, or None when the columns cannot share `limit` columns.

    `cells` are each column's cell lines; `fits` says how each may be fitted
    (`whole`, `words`, `free`: see `bizops.core.writers.human.fit`). A header
    wraps between its words. With no `limit` (a file, a pipe) every column
    gets all it needs and nothing wraps.
    """
    needs = [max(natural(c), longest_word(h)) for c, h in zip(cells, headers)]
    if limit is None:
        return [max(n, cell_width(h)) if cell_width(h) <= 40 else n for n, h in zip(needs, headers)]
    room = limit - GAP * (len(needs) - 1)
    full = [max(n, cell_width(h)) for n, h in zip(needs, headers)]
    if sum(full) <= room:  # everything on one line, headers too
        return full
    if sum(needs) <= room:
        return needs
    floors = []
    for need, column, header, fit in zip(needs, cells, headers, fits):
        if fit == "whole":
            floors.append(need)
        elif fit == "words":
            floors.append(max([longest_word(h) for h in column] + [longest_word(header)]))
        else:
            floors.append(min(need, max(MIN_WRAPPED, longest_word(header))))
    if sum(floors) > room:
        return None
    spare = room - sum(floors)
    wanted = [need - floor for need, floor in zip(needs, floors)]
    total = sum(wanted) or 1
    return [floor + min(want, spare * want // total) for floor, want in zip(floors, wanted)]
