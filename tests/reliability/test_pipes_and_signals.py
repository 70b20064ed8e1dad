"""The real `bizops` command in real pipes: head, a full disk, Ctrl-C, SIGTERM, closed descriptors, colour.

Large inputs (200,000 quotes) take the `--jobs` path, where worker processes
write the output; each case is also tried with `--jobs 1`.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest
from reliability_support import bizops_command, process_env, run_process, shell

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full and POSIX signals")

ESCAPES = re.compile(rb"\x1b\[")


@pytest.fixture(scope="module")
def some_orders(big_orders, tmp_path_factory):
    """The first 20,000 orders: enough for a table or a JSON document, which are written at the end."""
    path = tmp_path_factory.mktemp("some") / "orders.jsonl"
    with open(big_orders, "rb") as source:
        path.write_bytes(b"".join(line for _, line in zip(range(20_000), source)))
    return path


STREAMED = [(fmt, jobs) for fmt in ("jsonl", "csv") for jobs in ("auto", "1")] + [("json", "1"), ("table", "1")]


@pytest.mark.parametrize("fmt, jobs", STREAMED)
def test_head_ends_a_large_stream_quietly(tmp_path, big_orders, some_orders, jobs, fmt):
    source = big_orders if fmt in ("jsonl", "csv") else some_orders
    done = shell(
        f'$BIZOPS --company cable quote "{source}" --jobs {jobs} --format {fmt} 2>err | head -1 >first;'
        ' echo "${PIPESTATUS[0]}"',
        tmp_path,
    )
    assert done.stdout.decode().strip() == "0"
    assert (tmp_path / "err").read_bytes() == b""
    first = (tmp_path / "first").read_text()
    if fmt == "jsonl":
        assert json.loads(first)["company"] == "cable"
    assert first.endswith("\n")


def test_head_on_stdin_input_and_on_an_error_stream(tmp_path, big_orders):
    done = shell(
        f'$BIZOPS --company cable quote - < "{big_orders}" 2>err | head -c 100 >/dev/null; echo "${{PIPESTATUS[0]}}"',
        tmp_path,
    )
    assert done.stdout.decode().strip() == "0" and (tmp_path / "err").read_bytes() == b""
    # stderr closed early too (2>&1 | head): still no traceback, still exit 0
    done = shell(
        'printf \'{"guide_price":"x"}\\n%.0s\' $(seq 5000) | $BIZOPS --company cable quote - 2>&1 | head -1;'
        ' echo "${PIPESTATUS[1]}"',
        tmp_path,
    )
    lines = done.stdout.decode().splitlines()
    assert lines[0] == 'row 1: guide_price must be a number, got "x"'
    assert lines[-1] in ("0", "65")  # 65 when every error line fitted in the pipe before head left


@pytest.mark.parametrize("fmt, jobs", STREAMED)
def test_a_full_disk_is_exit_74_with_a_message(tmp_path, big_orders, some_orders, jobs, fmt):
    source = big_orders if fmt in ("jsonl", "csv") else some_orders
    done = shell(f'$BIZOPS --company cable quote "{source}" --jobs {jobs} --format {fmt} >/dev/full', tmp_path)
    assert done.returncode == 74
    assert done.stderr.decode() == "bizops: I/O error: No space left on device\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--company", "cable", "quote", "--guide-price", "100"],
        ["companies"],
        ["--company", "cable", "policy", "show"],
        ["--help"],
        ["--version"],
    ],
)
def test_every_command_reports_a_full_disk(tmp_path, args):
    done = shell("$BIZOPS " + " ".join(args) + " >/dev/full", tmp_path)
    assert done.returncode == 74, done
    assert b"No space left on device" in done.stderr and b"Traceback" not in done.stderr


def test_closed_descriptors(tmp_path):
    done = shell("$BIZOPS --company cable quote - <&-", tmp_path)
    assert (done.returncode, done.stderr) == (66, b"bizops: standard input is closed: nothing to read\n")
    done = shell("$BIZOPS --company cable quote --guide-price 100 >&-", tmp_path)
    assert (done.returncode, done.stderr) == (
        74,
        b"bizops: standard output is closed: the results have nowhere to go\n",
    )
    done = shell("$BIZOPS --company cable quote --guide-price abc 2>&-", tmp_path)
    assert done.returncode == 65 and done.stdout == b""
    done = shell("$BIZOPS --company cable quote --guide-price 100 2>&- >/dev/full", tmp_path)
    assert done.returncode == 74
    done = shell("$BIZOPS --company cable quote - </dev/null", tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


# -- signals -----------------------------------------------------------------------------------
def start(args: list[str], tmp_path, **env) -> subprocess.Popen:
    """bizops as started from a terminal: Ctrl-C's SIGINT at its default disposition.

    A shell without job control starts background commands with SIGINT
    ignored, and Python keeps an inherited "ignore" (as it should); tests run
    that way (`pytest … &`) would otherwise see no interruption at all.
    """
    return subprocess.Popen(
        bizops_command() + args,
        cwd=tmp_path,
        env=process_env(tmp_path, **env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def read_some(proc: subprocess.Popen, size: int = 1) -> bytes:
    """Wait until the command has written (it is mid-stream), without reading much of it."""
    return os.read(proc.stdout.fileno(), size)


def group_gone(pgid: int) -> bool:
    for _ in range(100):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("jobs", ["auto", "1"])
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "Ctrl-C"])
def test_an_interrupted_stream_exits_130_with_whole_rows_only(tmp_path, big_orders, jobs, how):
    proc = start(["--company", "cable", "quote", str(big_orders), "--jobs", jobs], tmp_path)
    head = read_some(proc)
    time.sleep(0.3)
    if how == "Ctrl-C":  # a terminal sends SIGINT to the whole foreground group, workers included
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, how))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == b"bizops: interrupted\n"
    out = head + out
    assert out.endswith(b"\n") and len(out.splitlines()) < 200_000
    for line in out.splitlines():
        json.loads(line)  # no half-written row
    assert group_gone(proc.pid), "worker processes left behind"


def test_an_interrupted_csv_stream_ends_at_a_row(tmp_path, big_orders):
    proc = start(["--company", "cable", "quote", str(big_orders), "--format", "csv"], tmp_path)
    head = read_some(proc)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err == b"bizops: interrupted\n"
    rows = (head + out).decode().split("\r\n")
    assert rows[-1] == "" and all(len(r.split(",")) == 17 for r in rows[:-1])


def orders(count: int, customers: int = 40) -> bytes:
    return "".join(
        json.dumps(
            {
                "customer": f"C{i % customers}",
                "amount": f"{(i * 37) % 6000 + 1}.25",
                "new_customer": False,
                "invoice": "vat",
            }
        )
        + "\n"
        for i in range(count)
    ).encode()


def stored_decisions(db: str) -> int:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM bizops_decisions").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGKILL"])
def test_an_interrupted_record_leaves_only_whole_decisions(tmp_path, how):
    db = str(tmp_path / "ledger.db")
    book = orders(20_000)
    (tmp_path / "orders.jsonl").write_bytes(book)
    proc = start(["--company", "cable", "--db", db, "approve-order", "orders.jsonl", "--record"], tmp_path)
    head = read_some(proc, 1)
    time.sleep(0.4)
    proc.send_signal(getattr(signal, how))
    out, err = proc.communicate(timeout=60)
    if how == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
    else:
        # The last line says it was interrupted; the ones before, what the ledger holds.
        assert proc.returncode == 130 and err.endswith(b"bizops: interrupted\n"), err
        assert b"before the run stopped" in err and b"resume" in err, err
    output = head + out
    if how == "SIGKILL" and not output.endswith(b"\n"):
        # Killed inside a write of more than a pipe's atomic 4 KiB: no program can finish that line.
        output = output[: output.rfind(b"\n") + 1]
    printed = output.splitlines()
    for line in printed:
        json.loads(line)
    check = run_process(["ledger", "check", "--db", db, "--format", "json"], tmp_path)
    assert check.returncode == 0, check
    stored = stored_decisions(db)
    assert 0 < len(printed) <= stored < 20_000  # a row is printed only once its decision is committed
    # The same first rows recorded into a fresh ledger leave the same pending VAT per customer:
    # nothing was half-counted, nothing counted twice.
    fresh = str(tmp_path / "fresh.db")
    redo = run_process(
        ["--company", "cable", "--db", fresh, "approve-order", "-", "--record"],
        tmp_path,
        input=b"".join(book.splitlines(keepends=True)[:stored]),
    )
    assert redo.returncode == 0, redo
    probe = b"".join(
        json.dumps({"customer": f"C{c}", "amount": "0.01", "new_customer": False, "invoice": "vat"}).encode() + b"\n"
        for c in range(40)
    )
    left = run_process(["--company", "cable", "--db", db, "approve-order", "-"], tmp_path, input=probe)
    right = run_process(["--company", "cable", "--db", fresh, "approve-order", "-"], tmp_path, input=probe)
    assert left.returncode == right.returncode == 0
    assert left.stdout == right.stdout


# -- colour ------------------------------------------------------------------------------------
def test_no_escape_codes_in_pipes(tmp_path):
    for args in (
        ["--company", "cable", "quote", "--guide-price", "100", "--format", "table", "--explain"],
        ["--company", "cable", "quote", "--guide-price", "abc", "--format", "table"],
        ["companies", "--format", "table"],
        ["--company", "cable", "policy", "show"],
        ["--help"],
        ["--company", "cable", "quote", "--bogus"],
    ):
        done = run_process(args, tmp_path, NO_COLOR="", FORCE_COLOR="", TERM="xterm-256color")
        assert not ESCAPES.search(done.stdout + done.stderr), (args, done)


def on_terminal(args: list[str], tmp_path, **env) -> tuple[int, bytes]:
    """Run with stdin, stdout and stderr on a pseudo-terminal, as in an interactive shell."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        bizops_command() + args,
        cwd=tmp_path,
        env=process_env(tmp_path, TERM="xterm-256color", COLUMNS="200", **env),
        stdin=slave,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(30), out


def test_no_color_is_honoured_on_a_terminal(tmp_path):
    code, out = on_terminal(["--company", "cable", "quote", "--guide-price", "100"], tmp_path, NO_COLOR="1")
    assert code == 0 and "90.00" in out.decode()  # rich's table, drawn for a terminal
    assert not ESCAPES.search(out), out[:300]
    # Without NO_COLOR a terminal gets rich's table; still no colours, only bold headers.
    code, out = on_terminal(["--company", "cable", "quote", "--guide-price", "100"], tmp_path, NO_COLOR="")
    assert code == 0
    assert set(re.findall(rb"\x1b\[[0-9;]*m", out)) <= {b"\x1b[1m", b"\x1b[0m"}


@pytest.mark.parametrize("jobs", ["auto", "1"])
def test_rows_piped_slowly_to_a_terminal_are_shown_as_they_are_decided(tmp_path, jobs):
    """`tail -f orders.jsonl | bizops … quote -` in a terminal: each row at once, not at the end of the input."""
    terminal, screen = pty.openpty()
    env = process_env(tmp_path)
    env.pop("PYTHONUNBUFFERED", None)  # a user's shell has no such setting: stdout is buffered by default
    proc = subprocess.Popen(
        bizops_command() + ["--company", "cable", "quote", "-", "--format", "jsonl", "--jobs", jobs],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=screen,
        stderr=subprocess.PIPE,
    )
    os.close(screen)
    try:
        shown = b""
        for qty in (2, 3):
            proc.stdin.write(b'{"guide_price": "100", "qty": %d}\n' % qty)
            proc.stdin.flush()
            deadline = time.monotonic() + 20
            while shown.count(b"\n") < qty - 1 and time.monotonic() < deadline:
                if select.select([terminal], [], [], 0.1)[0]:
                    shown += os.read(terminal, 4096)
            assert b'"total":"%d00.00"' % qty in shown, shown  # while the input is still open
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)
        os.close(terminal)
