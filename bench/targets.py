#!/usr/bin/env python3
"""Every target of the speed issue in one run: stream, startup (one quote, --help) and scaling.

Usage: python bench/targets.py

Runs stream.py, startup.py and scaling.py one after the other, so the ratios
come from the same machine at the same time, prints their figures and a
summary, and exits 1 if a target is not met.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    summary, failed = [], False
    for script in ("stream.py", "startup.py", "scaling.py"):
        done = subprocess.run([sys.executable, str(HERE / script)], capture_output=True, text=True)
        print(f"== {script}\n{done.stdout}", end="")
        sys.stderr.write(done.stderr)
        summary += [line for line in done.stdout.splitlines() if "target" in line or line.startswith("speed-up")]
        failed |= done.returncode != 0
    print("== summary")
    print("\n".join(summary))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
