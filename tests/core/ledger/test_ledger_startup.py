"""A run that never reads history pays nothing for the ledger: no sqlite3, no psycopg, no bizops.core.ledger."""

from __future__ import annotations

import subprocess
import sys

from ledger_support import subprocess_env

LEDGER_MODULES = ("sqlite3", "_sqlite3", "psycopg", "bizops.core.ledger")


def imported(args: list[str], tmp_path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bizops", *args],
        env=subprocess_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_a_quote_imports_nothing_of_the_ledger(tmp_path):
    modules = imported(["--company", "cable", "quote", "--guide-price", "1"], tmp_path)
    assert "bizops.plugins.cable.quote" in modules  # the measurement works
    assert not [m for m in modules if m.startswith(LEDGER_MODULES)]


def test_reading_history_imports_the_ledger(tmp_path):
    modules = imported(
        ["--company", "cable", "approve-order", "--customer", "A", "--amount", "100", "--city", "广州"], tmp_path
    )
    assert "sqlite3" in modules and "bizops.core.ledger.store" in modules
    assert not [m for m in modules if m.startswith("psycopg")]
