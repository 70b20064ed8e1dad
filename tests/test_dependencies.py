"""Pins that must not outlive their reason.

typer is held below 0.29 (pyproject.toml) for start-up speed alone: 0.29
builds a pydantic TypeAdapter for every option of a command, so a plain quote
imports pydantic and does 2.2 times the work (callgrind, 0.29.2). This test installs the newest
typer from the package index beside bizops and fails once it decides a quote
without importing pydantic: then the pin can go. (It skips when the index
cannot be reached.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

QUOTE = ["--company", "cable", "quote", "--guide-price", "100", "--qty", "10", "--format", "json"]
RUN = (
    "import json, sys\nfrom bizops.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "import typer\n"
    "sys.stderr.write(json.dumps({'typer': typer.__file__, 'pydantic': 'pydantic' in sys.modules}))\n"
)


def test_the_typer_pin_is_lifted_once_a_newer_typer_starts_as_fast(tmp_path):
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", str(site)]
    done = subprocess.run([*pip, "typer>=0.29"], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        if "No matching distribution" in done.stderr:
            return  # no typer newer than the pin: nothing to lift
        pytest.skip(f"cannot install the newest typer: {done.stderr.strip().splitlines()[-1:]}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", RUN, *QUOTE], capture_output=True, text=True, env=env, timeout=300)
    seen = json.loads(run.stderr.splitlines()[-1])  # what the quote imported (its errors, if any, come before)
    assert seen["typer"].startswith(str(site)), "the test did not run the newest typer"
    works = run.stdout.startswith("{") and json.loads(run.stdout)["total"] == "1000.00"
    assert not (works and not seen["pydantic"]), (
        "the newest typer decides a quote without importing pydantic: lift the <0.29 pin in pyproject.toml "
        "(and measure bench/startup.py)"
    )
