"""Every command the README shows in a block marked `runs-from-a-fresh-clone` runs, in order, in a copy of
the files git tracks (a fresh clone), with the exit code the README says or implies.

The set-up line (`python3 -m venv .venv && .venv/bin/pip install …`) runs its last part only: this test's
bizops is already installed, and installing needs the package index.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
MARK = "<!-- runs-from-a-fresh-clone -->"


def commands() -> list[str]:
    """The commands of the marked blocks, continuation lines joined, comments and blank lines left out."""
    found = []
    for block in re.findall(re.escape(MARK) + r"\n```sh\n(.*?)```", README, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                found.append(line)
    return found


def runnable(line: str) -> str:
    """The set-up line's last part, as this test's environment runs it; any other line as it is."""
    if line.startswith("python3 -m venv"):
        last = line.split("&&")[-1].strip()
        assert last.startswith(".venv/bin/bizops "), line
        return last.removeprefix(".venv/bin/")
    return line


def expected_codes(line: str) -> set[int]:
    """0, or 1 when the README says a row is refused by policy: either is 'every row decided'."""
    return {0, 1}


def test_the_readme_marks_its_runnable_blocks():
    assert README.count(MARK) >= 8
    assert len(commands()) >= 35
    assert "Python 3.11 or newer" in README.split("```", 1)[0]  # said before the first command
    assert README.count("```powershell") >= 2 and ".venv\\Scripts\\bizops" in README
    assert "exits with code **1**" in README and "refused by policy" in README


def test_every_readme_command_runs_from_a_fresh_clone(fresh_clone, shell_env):
    clone, env = fresh_clone, shell_env
    for tool in ("jq", "sqlite3"):
        if shutil.which(tool) is None:
            pytest.skip(f"the README's pipelines use {tool}")
    for line in commands():
        command = runnable(line)
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=clone, env=env, capture_output=True)
        assert done.returncode in expected_codes(line), (command, done.stderr.decode()[-3000:])
        assert "Traceback" not in done.stderr.decode(), command
    assert (clone / "报价结果.xlsx").exists() and (clone / "demo.db").exists()
    assert (clone / "审批.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_first_example_exits_1_for_the_one_refused_quote(shell_env):
    line = runnable(commands()[0])
    done = subprocess.run(["bash", "-c", line], cwd=REPO, env=shell_env, capture_output=True)
    assert done.returncode == 1
    out = done.stdout.decode()
    refused = [line for line in out.splitlines() if not line.startswith(" ") and " 拒绝 " in f"{line} "]
    assert len(refused) == 1 and refused[0].startswith("YJV-3x95"), out
