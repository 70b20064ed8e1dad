"""Shared by the bench scripts: where bizops and the kit are, and a cached input file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KIT = HERE / "kit"
OUT = HERE / "out"


def bizops() -> str:
    """The bizops script next to this Python (the project's venv), else on PATH."""
    candidate = Path(sys.executable).with_name("bizops")
    found = str(candidate) if candidate.exists() else shutil.which("bizops")
    if not found:
        sys.exit("bench: bizops is not installed in this Python's environment")
    return found


def orders(rows: int) -> Path:
    """A file of `rows` generated quote requests (made once, then reused)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"orders-{rows}.jsonl"
    if not path.exists():
        with open(path, "w") as handle:
            subprocess.run([sys.executable, str(KIT / "gen_orders.py"), str(rows)], stdout=handle, check=True)
    return path


def compare(a: str, b: str, runs: int) -> str:
    """The kit's compare.py on two shell commands; returns its last line (the ratio)."""
    done = subprocess.run(
        [sys.executable, str(KIT / "compare.py"), "--runs", str(runs), a, b], capture_output=True, text=True, check=True
    )
    print(done.stdout, end="")
    return done.stdout.strip().splitlines()[-1]


def compile_bytecode() -> None:
    """Write .pyc for bizops once: under PYTHONDONTWRITEBYTECODE every start would recompile it."""
    import bizops

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(bizops.__file__).parent)],
        check=False,
        stdout=subprocess.DEVNULL,
    )


def machine() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}"
