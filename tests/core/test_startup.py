"""Startup stays light: a plain quote imports nothing heavy it does not need."""

import subprocess
import sys

HEAVY = (
    "rich",
    "tabulate",
    "pydantic",
    "importlib.metadata",
    "sqlite3",
    "psycopg",
    "bizops.plugins.pv",
    "bizops.plugins.pile",
    "bizops.plugins.airline",
    "bizops_fieldsales",  # installed plugins of other companies (when installed): a cable quote never imports them
    "bizops_mycompany",
    "bizops.commands.own",
    "bizops.core.ledger",
    "bizops.core.parallel",
    "tomllib",
    "hypothesis",
    "hashlib",  # 15 ms (OpenSSL): the generated code's linecache names use hash()
)


def imported_by(*args: str) -> set[str]:
    code = (
        f"import sys\nfrom bizops.cli import main\ntry:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"},
    )
    return set(done.stderr.splitlines())


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_a_quote_from_flags_imports_nothing_heavy():
    modules = imported_by("--company", "cable", "quote", "--guide-price", "100", "--format", "json")
    assert "bizops.plugins.cable.quote" in modules  # the measurement did run the quote
    assert heavy(modules) == []


def test_help_lists_commands_without_building_them():
    modules = imported_by("--help")
    # the help lists the companies' own commands, so it loads the plugins; nothing that runs a command
    plugins = ("bizops.plugins.", "bizops_fieldsales", "bizops_mycompany", "bizops.commands.own")
    assert [m for m in heavy(modules) if not m.startswith(plugins)] == []
    for machinery in ("bizops.core.stream", "bizops.core.command", "bizops.core.writers", "orjson"):
        assert machinery not in modules


def test_a_recorded_stream_does_not_load_the_jobs_machinery(tmp_path):
    """`--record` decides in one process (a forked SQLite writer beside it): `--jobs`' workers and
    `multiprocessing` are not loaded just to say so."""
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,customer,amount,city\nA-1,恒通电器,1200.00,广州\n", encoding="utf-8")
    ledger = tmp_path / "ledger.db"
    modules = imported_by("--company", "cable", "--db", str(ledger), "approve-order", str(orders), "--record")
    assert "bizops.core.ledger.sqlite_writer" in modules  # the run did record, with a writer process
    assert "bizops.core.parallel" not in modules
    assert "multiprocessing" not in modules
