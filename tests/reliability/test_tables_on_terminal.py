"""Issue 15: tables a person can read, on a real pseudo-terminal 60, 80, 100 and 160 columns wide.

What matters is never cut: every money, id, status and decision value a
program gets (JSON Lines) is on the screen whole. Rows appear as they are
decided (a slow pipe shows its first rows before it closes), memory stays
flat, progress goes to stderr only when stderr is a terminal the results do
not go to, and a workbook is never written to a terminal.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_support import bizops_command, on_terminal, process_env

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
#: The runs a sales admin makes (the README's own), and the columns that must be shown whole.
RUNS = {
    "cable quote": (
        ["--company", "cable", "quote", str(EXAMPLES / "cable/quotes.csv")],
        ("sku", "unit_price", "total", "status"),
    ),
    "cable quote from a price list": (
        ["--config", str(EXAMPLES / "cable/bizops.toml"), "quote", str(EXAMPLES / "cable/quotes-list.csv")],
        ("sku", "unit_price", "total", "status"),
    ),
    "cable orders": (
        ["--company", "cable", "approve-order", str(EXAMPLES / "cable/orders.csv")],
        ("customer", "amount", "decision", "deposit"),
    ),
    "pv claims": (
        ["--company", "pv", "expense", "claim", str(EXAMPLES / "pv/claims.csv")],
        ("trip_id", "status", "decision"),
    ),
}
ESCAPES = re.compile("\x1b\\[[0-9;?]*[A-Za-z]")


def screen_text(screen: str) -> str:
    return ESCAPES.sub("", screen).replace("\r\n", "\n")


@pytest.mark.parametrize("columns", [60, 80, 100, 160])
@pytest.mark.parametrize("name", sorted(RUNS))
def test_no_money_or_id_is_cut_on_a_terminal(tmp_path, name, columns):
    args, whole = RUNS[name]
    programs = subprocess.run(
        bizops_command() + [*args, "--format", "jsonl"], cwd=tmp_path, env=process_env(tmp_path), capture_output=True
    )
    rows = [json.loads(line) for line in programs.stdout.decode().splitlines()]
    assert rows, programs
    for lang in ("en", "zh"):
        code, screen = on_terminal([*args, "--lang", lang], tmp_path, columns, NO_COLOR="1")
        assert code == programs.returncode, screen
        text = screen_text(screen)
        assert "…" not in text, text
        words = set(re.split(r"[\s│|]+", text))
        for row in rows:
            for column in whole:
                value = row.get(column)
                if value in (None, ""):
                    continue
                if column in ("status", "decision") and lang == "zh":
                    continue  # shown as its label, checked in English
                shown = str(value).replace("_", " ") if column in ("status", "decision") else str(value)
                assert shown in words or (" " in shown and shown in text), (
                    f"{column} {shown!r} cut at {columns}:\n{text}"
                )
        table = [line for line in text.splitlines() if not line.startswith(("warning:", "警告"))]  # stderr's
        assert all(_width(line) <= columns for line in table), text  # never wider than the screen


def _width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_a_single_result_is_a_card(tmp_path):
    args = ["--company", "cable", "quote", "--guide-price", "100.00", "--qty", "10", "--no-vat-invoice"]
    code, screen = on_terminal([*args, "--discount-pct", "2", "--fee-pct", "5"], tmp_path, 60, NO_COLOR="1")
    assert code == 0, screen
    lines = {line.split("  ")[0].strip(): line.split()[-1] for line in screen_text(screen).splitlines() if line}
    assert lines["total"] == "968.40" and lines["unit price"] == "96.84" and lines["status"] == "ok"


def test_explain_groups_each_trace_under_its_result(tmp_path):
    args = ["--company", "cable", "quote", str(EXAMPLES / "cable/quotes.csv"), "--explain"]
    _code, screen = on_terminal(args, tmp_path, 100, NO_COLOR="1")
    text = screen_text(screen)
    blocks = [b for b in text.split("\n\n") if "↳" in b]
    results = [next(x for x in b.splitlines() if re.match(r"[A-Z]{2}", x) and not x.startswith("sku")) for b in blocks]
    assert [line.split()[0] for line in results] == ["BV-2.5", "BV-4", "YJV-3x95"], text
    assert "cable.price.fee" in blocks[0] and "cable.price.fee" not in blocks[1]


def test_columns_picks_what_the_table_shows(tmp_path):
    args = ["--company", "cable", "quote", str(EXAMPLES / "cable/quotes.csv"), "--columns", "sku,total,floor"]
    _code, screen = on_terminal(args, tmp_path, 80, NO_COLOR="1")
    lines = screen_text(screen).splitlines()
    header = next(line for line in lines if line.startswith("sku"))
    assert header.split() == ["sku", "total", "floor"]


def test_a_slow_pipe_shows_its_rows_as_they_are_decided(tmp_path):
    """The first rows are on the screen while the input is still open (no waiting for the end)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = process_env(tmp_path, TERM="xterm", NO_COLOR="1")
    env.pop("COLUMNS", None)
    proc = subprocess.Popen(
        bizops_command() + ["--company", "cable", "quote", "-"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    assert proc.stdin is not None
    proc.stdin.write(b'{"sku":"FIRST-1","qty":"2","guide_price":"10"}\n')
    proc.stdin.flush()
    seen = b""
    deadline = time.monotonic() + 20
    while b"FIRST-1" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 65536)
    first_seen = b"FIRST-1" in seen and b"20.00" in seen
    proc.stdin.write(b'{"sku":"LAST-2","qty":"1","guide_price":"5"}\n')
    proc.stdin.close()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(20) == 0
    assert first_seen, seen  # shown before the pipe closed
    assert b"LAST-2" in seen


def _peak_kb(tmp_path: Path, rows: int) -> int:
    """Peak memory of bizops writing a table of `rows` rows to a terminal (80 columns)."""
    data = tmp_path / f"rows{rows}.jsonl"
    with data.open("w") as out:
        for i in range(rows):
            out.write(f'{{"sku":"SKU-{i}","qty":"3","guide_price":"10.50"}}\n')
    measure = (
        "import resource, subprocess, sys, pty, os\n"
        "m, s = pty.openpty()\n"
        "p = subprocess.Popen(sys.argv[1:], stdout=s, stderr=s)\n"
        "os.close(s)\n"
        "while True:\n"
        "    try:\n"
        "        c = os.read(m, 1 << 16)\n"
        "    except OSError:\n"
        "        break\n"
        "    if not c:\n"
        "        break\n"
        "p.wait()\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    args = bizops_command() + ["--company", "cable", "quote", str(data), "--format", "table"]
    done = subprocess.run(
        [sys.executable, "-c", measure, *args], cwd=tmp_path, env=process_env(tmp_path), capture_output=True
    )
    return int(done.stdout.decode().split()[-1])


def test_a_table_on_a_terminal_keeps_memory_flat(tmp_path):
    small, large = _peak_kb(tmp_path, 1_000), _peak_kb(tmp_path, 20_000)
    assert large < small + 12_000, (small, large)  # 20 times the rows, not 20 times the memory


def test_a_workbook_is_refused_on_a_terminal(tmp_path):
    code, screen = on_terminal(["--company", "cable", "quote", "--guide-price", "5", "--format", "xlsx"], tmp_path)
    assert code == 2, screen
    assert "-o FILE.xlsx" in screen and "PK" not in screen


# -- progress ------------------------------------------------------------------------------------------------
def _rows_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "orders.jsonl"
    with path.open("w") as out:
        for i in range(count):
            out.write(f'{{"sku":"S{i}","qty":"3","guide_price":"10.5"}}\n')
    out_of_order = '{"sku":"BAD","qty":"-1","guide_price":"1"}\n'
    with path.open("a") as out:
        out.write(out_of_order)
    return path


def test_progress_on_a_terminal_stderr_never_in_the_output(tmp_path):
    _rows_file(tmp_path, 60_000)
    args = ["--company", "cable", "quote", "orders.jsonl", "-o", "quoted.csv", "--jobs", "1"]
    code, screen = on_terminal(args, tmp_path, 80, BIZOPS_PROGRESS_AFTER="0")
    assert code == 65, screen
    assert re.search(r"reading [█░]{20} \d+\.\d / \d+\.\d MB \(\d+ %\), 0:\d\d", screen), screen[-500:]
    assert "\nrow 60001: qty must be > 0" in screen.replace("\r\x1b[K", "\n")  # the message on a line of its own
    assert screen.endswith("\r\x1b[K") or "row 60001" in screen.rsplit("\r\x1b[K", 1)[-1]  # the line is cleared
    text = (tmp_path / "quoted.csv").read_text(encoding="utf-8")
    assert "reading" not in text and len(text.splitlines()) == 60_001  # header and every good row


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    _rows_file(tmp_path, 60_000)
    done = subprocess.run(
        bizops_command() + ["--company", "cable", "quote", "orders.jsonl", "-o", "quoted.csv", "--jobs", "1"],
        cwd=tmp_path,
        env=process_env(tmp_path, BIZOPS_PROGRESS_AFTER="0"),
        capture_output=True,
    )
    assert done.returncode == 65
    assert done.stderr.decode().splitlines() == ['row 60001: qty must be > 0, got "-1"']
