"""Output for people is safe to paste and to show (issue 18, item 9).

A name holding a line break and a fake row (`Evil\n| 9 | … | Victim | ok |`)
or a terminal escape (`ESC [31m`) is shown, never obeyed: in a markdown
table `|` is escaped and a line break is the visible `\n`, so every result is
one table row; in a plain table and in rich's table on a terminal (a real
pseudo-terminal, 80 columns) no control character reaches the screen; in
messages on stderr the same. csv, tsv and json keep the exact text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import struct
import subprocess

import pytest
from reliability_support import PLUGINS, assert_contract, on_terminal
from wcwidth import wcswidth

ECHO = str(PLUGINS / "echo.py")
EVIL = "Evil\n| 9 | 0.01 | Victim | ok |"
ESC = "E\x1b[31mR\x1b[0m"
BIDI = "abc\u202edcb"
C1 = "x\x9b2Jy"
NAMES = [EVIL, ESC, BIDI, C1, "a|b\\|c", "<img src=x onerror=alert(1)>", "[link](http://x)", "普通 客户"]
ROWS = "".join(json.dumps({"name": name, "note": "n"}, ensure_ascii=False) + "\n" for name in NAMES)
#: Any control character at all, and the bidi overrides (what must never reach a screen).
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def echo(bizops_run, *args, input=ROWS):
    return bizops_run("--plugin", ECHO, "--company", "echo", "quote", "-", *args, input=input)


def cells(line: str) -> list[str]:
    """The cells of a markdown table row, split where GitHub splits them (at `|` not escaped)."""
    protected = line.strip().replace("\\\\", "\0")  # an escaped backslash escapes no pipe
    return [c.strip().replace("\0", "\\\\") for c in re.split(r"(?<!\\)\|", protected)[1:-1]]


def test_markdown_has_one_row_per_result_and_shows_what_was_typed(bizops_run):
    r = echo(bizops_run, "--format", "markdown")
    assert_contract(r, 0)
    title, blank, *lines = r.stdout.splitlines()
    assert title == "**company: echo · note: n**" and blank == ""  # one value in every row: the title
    assert len(lines) == 2 + len(NAMES)  # header, rule, one line per result: nothing injected
    width = len(cells(lines[0]))
    assert all(len(cells(line)) == width for line in lines), r.stdout
    names = [cells(line)[0] for line in lines[2:]]
    # The visible escapes' backslashes are escaped too: rendered, the cell reads `Evil\n| 9 | …`.
    assert names[0] == r"Evil\\n\| 9 \| 0.01 \| Victim \| ok \|"
    assert names[1] == r"E\\x1b\[31mR\\x1b\[0m"
    assert names[2] == r"abc\\u202edcb" and names[3] == r"x\\x9b2Jy"
    assert names[4] == r"a\|b\\\|c"
    assert names[5] == r"\<img src=x onerror=alert(1)\>" and names[6] == r"\[link\](http://x)"
    assert names[7] == "普通 客户"
    assert not HIDDEN.search(r.stdout)


def test_markdown_lists_stay_in_their_row(bizops_run):
    """A cell with several lines (warnings) joins them with <br>: one physical line per field of the card."""
    r = bizops_run(
        *("--company", "pv", "expense", "request", "--employee", "甲", "--scope", "in_province"),
        *("--depart", "2026-03-02", "--return", "2026-03-09", "--purpose", "new_market", "--plane"),
        *("--format", "markdown"),
    )
    assert_contract(r, 0)
    lines = r.stdout.splitlines()
    assert lines[:2] == ["| field | value |", "|---|---|"], r.stdout  # one result: a card
    assert all(len(cells(line)) == 2 for line in lines), r.stdout
    rows = {cells(line)[0]: cells(line)[1] for line in lines[2:]}
    assert rows["approvers"] == "department head<br>general manager"
    assert rows["warnings"].count("<br>") == 2, rows


def test_a_plain_table_shows_escapes_and_keeps_one_line_per_result(bizops_run):
    r = echo(bizops_run, "--format", "table")  # not a terminal: plain text
    assert_contract(r, 0)
    assert not HIDDEN.search(r.stdout), r.stdout
    title, blank, *lines = r.stdout.splitlines()
    assert title == "company: echo · note: n" and blank == ""
    assert len(lines) == 2 + len(NAMES)
    assert r"Evil\n| 9 | 0.01 | Victim | ok |" in lines[2]
    assert r"E\x1b[31mR\x1b[0m" in lines[3]


def test_programs_get_the_exact_text(bizops_run):
    assert [row["name"] for row in echo(bizops_run, "--format", "jsonl").rows()] == NAMES
    assert [row["name"] for row in json.loads(echo(bizops_run, "--format", "json").stdout)] == NAMES
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        text = echo(bizops_run, "--format", fmt).stdout
        assert [row["name"] for row in csv.DictReader(io.StringIO(text), delimiter=delimiter)] == NAMES


def test_messages_on_stderr_show_escapes(bizops_run):
    """A row error quotes what the row held: shown, never obeyed, whoever wrote the message."""
    row = {"trip_id": "T\x1b[31m\u202e", "employee": "a", "scope": "x\u202e", "depart": "2026-01-01"}
    r = bizops_run("--company", "pv", "expense", "claim", "-", input=json.dumps(row) + "\n")
    assert_contract(r, 65)
    assert not HIDDEN.search(r.stderr), r.stderr
    assert r.stderr.startswith(r"row 1: trip_id T\x1b[31m\u202e: "), r.stderr


@pytest.mark.parametrize("no_color", ["1", ""])
def test_a_table_on_an_80_column_terminal_obeys_no_escape_from_the_data(tmp_path, no_color):
    (tmp_path / "names.jsonl").write_text(ROWS, encoding="utf-8")
    args = ["--plugin", ECHO, "--company", "echo", "quote", "names.jsonl"]
    code, screen = on_terminal(args, tmp_path, NO_COLOR=no_color)
    assert code == 0, screen
    screen = screen.replace("\r\n", "\n")  # the terminal's own line ends
    lines = re.sub("\x1b\\[[01]m", "", screen).splitlines()
    assert max(wcswidth(line) for line in lines) <= 80, screen  # columns on screen (a Chinese character is two)
    escapes = set(re.findall("\x1b\\[[0-9;]*[A-Za-z]", screen))
    assert escapes <= ({"\x1b[1m", "\x1b[0m"} if not no_color else set()), escapes  # rich's bold headers at most
    assert not HIDDEN.search(screen.replace("\x1b[1m", "").replace("\x1b[0m", "")), screen
    flat = "".join(line.strip("│ ") for line in lines)  # a wrapped cell's pieces, in order
    assert r"E\x1b[31mR\x1b[0m".replace(" ", "") in flat.replace(" ", "")
    assert "Victim" in screen and "普通 客户" in screen
