"""Tables for people: `--format table` (a terminal, a file) and `--format markdown`, streamed in batches.

Results are held a batch at a time (a few hundred, or half a second on a
terminal), so rows appear while a long input is still being decided and
memory stays flat however long it is. The first batch decides the layout;
a later row whose id or amount needs a wider column gets a new header above
it rather than a cut cell.

What a person sees:

- a single result (one request from flags, or a stream that held one) as a
  card: one line per field, the label on the left;
- many results as a table of the command's essential columns (`--columns`
  for others, `--columns all` for every one); a column that holds one value
  for every row (the company) goes into a title line above it;
- on a terminal the table fits its width: money, numbers, dates, choices,
  status, decision and ids are never cut or wrapped; free text wraps. When
  even those do not fit, each result is a card instead;
- `--explain`: each result's rules right under it (markdown: a last column).
"""

from __future__ import annotations

import os
import threading
from typing import Any

from bizops.core.schema import Column
from bizops.core.writers.base import Writer
from bizops.core.writers.human import RIGHT_KINDS, Human, fit, is_whole
from bizops.core.writers.layout import GAP, cell_width, longest_word, pad, plan, wrap

#: Results held before they are drawn; on a terminal also drawn after `SECONDS`.
BATCH = 256
SECONDS = 0.5
#: Kinds a title may take a one-value column of (never an id, an amount or an outcome).
_TITLE_KINDS = ("text", "enum")


class _Row:
    """One result as it will be drawn: its cells' texts (by column name) and its trace lines."""

    __slots__ = ("cells", "trace")

    def __init__(self, cells: dict[str, str], trace: list[str]):
        self.cells, self.trace = cells, trace


class BatchedTable(Writer):
    """Holds results a batch at a time and draws each batch (`_draw`); see the module's docstring.

    `shown` are the columns a table shows (the essential ones, or `--columns`);
    `chosen` says the user chose them (a card then shows only those too);
    `titled` are columns that hold one value by construction (`company`).
    """

    streaming = False

    def __init__(
        self,
        *args: Any,
        shown: tuple[Column, ...] | None = None,
        chosen: bool = False,
        titled: tuple[str, ...] = (),
        width: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.shown = shown or self.columns
        self.chosen = chosen
        self.titled = titled
        self.width = width
        self.human = self._human()
        # drawn for every result: the columns shown, and those whose one value is the title
        self.drawn_columns = self.shown + tuple(c for c in self.columns if c.name in titled and c not in self.shown)
        self.pending: list[_Row] = []
        self.count = 0
        self.started = False
        self.title: tuple[Column, ...] = ()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._failed: BaseException | None = None

    def _human(self) -> Human:
        return Human(self.lang, self.labels)

    # -- collecting ------------------------------------------------------------
    def write(self, encoded: dict, original: dict) -> None:
        card = self.columns if (self.count == 0 and not self.chosen) else self.drawn_columns
        row = _Row(
            {c.name: self.human.cell(c, original.get(c.name)) for c in card},
            [self.human.trace(step) for step in original.get("trace") or ()] if self.explain else [],
        )
        with self._lock:
            self._check()
            self.pending.append(row)
            self.count += 1
            if len(self.pending) >= BATCH:
                self._flush(final=False)
            elif self.tty and not self.single and self._timer is None:
                self._timer = threading.Timer(SECONDS, self._on_time)
                self._timer.daemon = True
                self._timer.start()

    def _on_time(self) -> None:
        with self._lock:
            self._timer = None
            try:
                self._flush(final=False)
            except BaseException as exc:  # the reader left (a closed pipe), a full disk: the main thread says so
                self._failed = exc

    def _check(self) -> None:
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._check()
            self._flush(final=True)
        super().close()

    def _flush(self, final: bool) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        if final and not self.started and self.count == 1:
            self._card(rows[0], self.columns if not self.chosen else self.shown)
        else:
            if not self.started:
                self.title = self._title(rows, final)
            self._draw(rows)
        self.started = True
        self.out.flush()

    def _title(self, rows: list[_Row], final: bool) -> tuple[Column, ...]:
        """The columns that go to the title: one value by construction, or (a table drawn
        in one go) one value in every row; never an id, an amount or an outcome."""
        title = []
        for column in self.drawn_columns:
            if column.name in self.titled:
                title.append(column)
            elif final and len(rows) > 1 and column.kind in _TITLE_KINDS and not is_whole(column):
                values = {row.cells.get(column.name, "") for row in rows}
                if len(values) == 1 and "" not in values and "\n" not in next(iter(values)):
                    title.append(column)
        return tuple(title)

    def _title_text(self, rows: list[_Row]) -> str:
        sep = "：" if self.lang == "zh" else ": "
        first = rows[0].cells
        return " · ".join(f"{self.human.text(c.label(self.lang))}{sep}{first.get(c.name, '')}" for c in self.title)

    def _put(self, lines: list[str]) -> None:
        if lines:
            self.out.write(("\n".join(lines) + "\n").encode("utf-8"))

    # -- drawing (per format) ----------------------------------------------------
    def _draw(self, rows: list[_Row]) -> None:
        raise NotImplementedError

    def _card(self, row: _Row, columns: tuple[Column, ...]) -> None:
        raise NotImplementedError


def fits(lines: list[str], how: str, width: int) -> bool:
    """Whether a column's lines fit its width as the column may be fitted (see `human.fit`)."""
    if how == "whole":
        return all(cell_width(line) <= width for line in lines)
    if how == "words":
        return all(longest_word(line) <= width for line in lines)
    return True


class TableWriter(BatchedTable):
    """Plain text: on a terminal fitted to its width with a bold header, elsewhere at full width."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.bold = self.tty and not os.environ.get("NO_COLOR")
        self.rule = "─" if self.tty else "-"
        self.widths: list[int] | None = None
        self.drawn: tuple[Column, ...] = ()
        self.cards = False

    def _draw(self, rows: list[_Row]) -> None:
        lines: list[str] = []
        if not self.started and self.title:
            lines += [self._title_text(rows), ""]
        columns = tuple(c for c in self.shown if c not in self.title)
        cells = [[line for r in rows for line in r.cells.get(c.name, "").split("\n")] for c in columns]
        if self.widths is not None and not self.cards:
            if all(fits(lines, fit(c), w) for lines, c, w in zip(cells, columns, self.widths)):
                lines += self._rows(rows, columns, self.widths)
                self._put(lines)
                return
            lines.append("")  # a wider id or amount: a new header, never a cut cell
        headers = [self.human.text(c.label(self.lang)) for c in columns]
        widths = plan(headers, cells, [fit(c) for c in columns], self.width)
        if widths is None or not columns:
            self.cards = True
            self._put(lines)
            for row in rows:
                self._card(row, columns)
            return
        self.widths, self.drawn, self.cards = widths, columns, False
        lines += self._header(headers, widths, [c.kind in RIGHT_KINDS for c in columns])
        lines += self._rows(rows, columns, widths)
        self._put(lines)

    def _header(self, headers: list[str], widths: list[int], right: list[bool]) -> list[str]:
        cells = [wrap(h, w) for h, w in zip(headers, widths)]
        height = max(len(c) for c in cells)
        lines = []
        for i in range(height):
            text = (
                (" " * GAP)
                .join(pad(c[i] if i < len(c) else "", w, r) for c, w, r in zip(cells, widths, right))
                .rstrip()
            )
            lines.append(f"\x1b[1m{text}\x1b[0m" if self.bold else text)
        lines.append((" " * GAP).join(self.rule * w for w in widths))
        return lines

    def _rows(self, rows: list[_Row], columns: tuple[Column, ...], widths: list[int]) -> list[str]:
        lines = []
        right = [c.kind in RIGHT_KINDS for c in columns]
        how = [fit(c) for c in columns]
        for row in rows:
            cells = []
            for column, width, fitted in zip(columns, widths, how):
                parts = row.cells.get(column.name, "").split("\n")
                if fitted != "whole":
                    parts = [line for part in parts for line in wrap(part, width, words=fitted == "words")]
                cells.append(parts)
            height = max(len(c) for c in cells)
            for i in range(height):
                lines.append(
                    (" " * GAP)
                    .join(pad(c[i] if i < len(c) else "", w, r) for c, w, r in zip(cells, widths, right))
                    .rstrip()
                )
            if row.trace:
                lines += self._trace(row) + [""]  # a blank line ends a result's rules
        return lines

    def _trace(self, row: _Row) -> list[str]:
        """A result's rules under it, indented; wrapped to the terminal, whole in a file."""
        lines = []
        for step in row.trace:
            for i, line in enumerate(wrap(step, self.width - 4) if self.width else [step]):
                lines.append(("  ↳ " if i == 0 else "    ") + line)
        return lines

    def _card(self, row: _Row, columns: tuple[Column, ...]) -> None:
        """One result, one field a line: `单价  96.84`; a long value folds onto the next lines, whole."""
        labels = [self.human.text(c.label(self.lang)) for c in columns]
        room = max((cell_width(label) for label in labels), default=0)
        lines = [""] if self.started else []  # set apart from what was drawn before it
        value_width = (self.width - room - GAP) if self.width else None
        for column, label in zip(columns, labels):
            text = row.cells.get(column.name, "")
            if not text:
                continue
            parts = text.split("\n")
            if value_width is not None and value_width > 0:
                parts = [line for part in parts for line in wrap(part, value_width)]
            head = f"\x1b[1m{pad(label, room)}\x1b[0m" if self.bold else pad(label, room)
            lines.append(head + " " * GAP + parts[0])
            lines += [" " * (room + GAP) + part for part in parts[1:]]
        if row.trace:
            why = "依据" if self.lang == "zh" else "why"
            lines.append(why + ":" if self.lang != "zh" else why + "：")
            lines += self._trace(row)
        self._put(lines)
        self.started = True


class MarkdownWriter(BatchedTable):
    """A pipe table for reports: streamed, one line per result, `|` and markup escaped, lists joined with <br>."""

    def _human(self) -> Human:
        return Human(self.lang, self.labels, markdown=True)

    def _draw(self, rows: list[_Row]) -> None:
        lines: list[str] = []
        columns = tuple(c for c in self.shown if c not in self.title)
        if not self.started:
            if self.title:
                lines += [f"**{self._title_text(rows)}**", ""]
            headers = [self.human.text(c.label(self.lang)) for c in columns]
            if self.explain:
                headers.append("依据" if self.lang == "zh" else "why")
            lines.append("| " + " | ".join(headers) + " |")
            rules = ["---:" if c.kind in RIGHT_KINDS else "---" for c in columns] + (["---"] if self.explain else [])
            lines.append("|" + "|".join(rules) + "|")
        for row in rows:
            cells = [row.cells.get(c.name, "") for c in columns]
            if self.explain:
                cells.append("<br>".join(row.trace))
            lines.append("| " + " | ".join(cells) + " |")
        self._put(lines)

    def _card(self, row: _Row, columns: tuple[Column, ...]) -> None:
        field, value = ("项目", "内容") if self.lang == "zh" else ("field", "value")
        lines = [f"| {field} | {value} |", "|---|---|"]
        for column in columns:
            text = row.cells.get(column.name, "")
            if text:
                lines.append(f"| {self.human.text(column.label(self.lang))} | {text} |")
        if row.trace:
            lines.append(f"| {'依据' if self.lang == 'zh' else 'why'} | {'<br>'.join(row.trace)} |")
        self._put(lines)
