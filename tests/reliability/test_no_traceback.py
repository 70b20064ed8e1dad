"""Odd command lines, odd option values, pipes whose reader has gone: an exit code of the contract, never a traceback.

Only `--debug` shows a traceback.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from reliability_support import CONTRACT_CODES, assert_contract, bizops_command, process_env

CASES = [
    ([], 2),
    (["bogus"], 2),
    (["quote"], 2),
    (["--company", "nope", "quote"], 2),
    (["--company", "pv", "quote", "--guide-price", "1"], 69),
    (["--company", "pile", "expense", "claim", "-"], 69),
    (["--company", "cable", "quote", "--jobs", "0", "-"], 2),
    (["--company", "cable", "quote", "--jobs", "many", "-"], 2),
    (["--company", "cable", "quote", "--now", "garbage", "--guide-price", "1"], 2),
    (["--company", "cable", "quote", "--now", "2026-02-30T09:00", "--guide-price", "1"], 2),
    (["--company", "cable", "quote", "--lang", "fr", "--guide-price", "1"], 2),
    (["--company", "cable", "quote", "--format", "xml", "--guide-price", "1"], 2),
    (["--company", "cable", "quote", "--input-format", "xml", "-"], 2),
    (["--company", "cable", "quote", "--encoding", "nope", "-"], 2),
    (["--company", "cable", "quote", "missing.csv"], 66),
    (["--company", "cable", "quote", "."], 66),
    (["--company", "cable", "quote", "--guide-price"], 2),
    (["--company", "cable", "quote", "--bogus"], 2),
    (["--company", "cable", "quote", "--qty", "-3", "--guide-price", "1"], 65),
    (["--company", "cable", "quote", "--guide-price", "1", "--explain", "--format", "markdown", "--lang", "zh"], 0),
    (["--company", "cable", "policy", "init", "extra"], 2),
    (["--company", "cable", "policy", "check", "nope.toml"], 78),
    (["ledger", "show", "abc"], 2),
    (["ledger", "show", "99999"], 2),
    (["ledger", "reverse", "1"], 2),
    (["ledger", "backup", "/nonexistent/dir/x.db"], 74),
    (["ledger", "list", "--db", "/nonexistent/dir/l.db"], 74),
    (["--company", "airline", "flights", "triage", "--at", "garbage", "-"], 2),
    (["--company", "pile", "pile", "plan", "--bogus"], 2),
    (["--company", "cable", "score", "-"], 0),
    (["--company", "pile", "pile", "plan", "-"], 0),
    (["--company", "cable", "--config", "nowhere.toml", "quote", "--guide-price", "1"], 78),
    (["--plugin", "no_such_plugin.py", "--company", "cable", "quote", "--guide-price", "1"], 0),
    (["--plugin", "no.such.module", "companies"], 0),
    (["--company", "cable", "quote", "--help"], 0),
    (["quote", "--help"], 0),
    (["expense", "--help"], 0),
    (["--version"], 0),
    (["--help"], 0),
    (["companies", "--format", "tsv"], 0),
]


@pytest.mark.parametrize("args, code", CASES, ids=[" ".join(a) or "(none)" for a, _ in CASES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_odd_command_lines(bizops_run, args, code, lang):
    r = bizops_run(*args, input=b"", env={"LANG": "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8"})
    assert_contract(r, code)


def test_only_debug_shows_a_traceback(bizops_run, tmp_path):
    (tmp_path / "junk.db").write_bytes(b"x" * 4096)
    args = ("--company", "cable", "--db", "junk.db", "approve-order", "--customer", "A", "--amount", "1")
    quiet = bizops_run(*args)
    assert_contract(quiet, 74)
    loud = bizops_run(*args, "--debug")
    assert loud.exit_code == 74 and "Traceback" in loud.stderr


def with_gone_reader(args: list[str], tmp_path, stream: str, input: bytes = b"") -> int:
    """Run with stdout or stderr a pipe whose reader has already closed it: every write fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    kwargs = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: write_end}
    try:
        done = subprocess.run(
            bizops_command() + args, cwd=tmp_path, env=process_env(tmp_path), input=input, timeout=60, **kwargs
        )
    finally:
        os.close(write_end)
    return done.returncode


@pytest.mark.parametrize(
    "args, code",
    [
        (["--help"], 0),
        (["--company", "cable", "quote", "--help"], 0),
        (["companies"], 0),
        (["--company", "cable", "quote", "--guide-price", "100"], 0),
        (["--company", "cable", "policy", "init"], 0),
    ],
)
def test_a_gone_stdout_reader_is_exit_0(tmp_path, args, code):
    assert with_gone_reader(args, tmp_path, "stdout") == code


@pytest.mark.parametrize(
    "args, code",
    [
        (["bogus"], 2),
        (["--company", "cable", "quote", "--bogus"], 2),
        (["--company", "nope", "quote"], 2),
        (["--company", "cable", "quote", "-"], 0),
    ],
)
def test_a_gone_stderr_reader_keeps_an_exit_code_of_the_contract(tmp_path, args, code):
    bad_rows = b'{"guide_price": "x"}\n' * 2000
    result = with_gone_reader(args, tmp_path, "stderr", input=bad_rows)
    assert result in CONTRACT_CODES
    assert result == code
